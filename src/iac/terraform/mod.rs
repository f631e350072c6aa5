//! A diagram as Terraform for the AWS provider: one configuration with a provider per
//! Region, a resource block per AWS resource, references as Terraform expressions, and
//! what Terraform cannot create listed in the header.
//!
//! Resources are first written as JSON-like values with three markers — `{"$ref": "a.b.c"}`
//! for a reference, `{"$call": [name, args…]}` for a function call and `{"$template": "…"}`
//! for a string with interpolations — and keys starting with `+` for nested blocks; they
//! are turned into HCL by hcl-rs, which writes the text.

mod compute;
mod data;
mod edge;
mod network;
mod scaling;
mod services;

use std::collections::{HashMap, HashSet};

use hcl::expr::{Expression, FuncCall, Object, ObjectKey, TemplateExpr, Traversal, Variable};
use hcl::structure::{Block, Body};
use serde_json::{Value, json};

use super::Skipped;
use crate::model::{Config, Diagram, Kind, LinkKind, Resource, ResourceId};

/// The Terraform of a diagram.
#[derive(Clone, Debug)]
pub struct Export {
    /// The configuration's text (`main.tf`).
    pub text: String,
    /// Diagram resources without a Terraform counterpart.
    pub skipped: Vec<Skipped>,
    /// Parts of resources the configuration does not express, in sentences.
    pub notes: Vec<String>,
    /// How many resource blocks it holds.
    pub resources: usize,
}

/// Writes `diagram` as Terraform.
pub fn terraform(diagram: &Diagram) -> Export {
    let mut t = Tf::new(diagram);
    for r in diagram.resources() {
        t.place(r);
        let made = network::add(&mut t, r)
            || edge::add(&mut t, r)
            || compute::add(&mut t, r)
            || data::add(&mut t, r)
            || services::add(&mut t, r);
        if !made {
            t.skip(r, non_aws_reason(r.kind()));
        }
    }
    t.finish()
}

fn non_aws_reason(kind: Kind) -> &'static str {
    match kind {
        Kind::Users | Kind::OnPremisesDataCenter => {
            "an actor outside AWS, drawn for the design only"
        }
        Kind::Region | Kind::AvailabilityZone => "a place, which the provider and subnets name",
        Kind::DirectConnect => {
            "a Direct Connect connection is ordered from AWS and a partner and cabled at a location"
        }
        _ => super::NOT_WRITTEN_YET,
    }
}

/// One block of the configuration.
struct Item {
    kind: &'static str,
    labels: Vec<String>,
    body: Value,
}

/// Builds the configuration.
pub(crate) struct Tf<'a> {
    pub(crate) d: &'a Diagram,
    /// Terraform type and name of each diagram resource's main resource.
    main: HashMap<ResourceId, (String, String)>,
    taken: HashSet<String>,
    items: Vec<Item>,
    data: Vec<Item>,
    variables: Vec<Item>,
    regions: Vec<String>,
    /// The Region the resource being written lives in.
    region: String,
    skipped: Vec<Skipped>,
    notes: Vec<String>,
    reserved: HashMap<String, String>,
    /// Statements of the resource policies of buckets, queues and topics: one policy holds
    /// a resource's statements, since a second one would replace the first.
    policy_statements: Vec<(ResourceId, Value)>,
}

pub use super::names::snake;

impl<'a> Tf<'a> {
    fn new(d: &'a Diagram) -> Self {
        let mut t = Tf {
            d,
            main: HashMap::new(),
            taken: HashSet::new(),
            items: Vec::new(),
            data: Vec::new(),
            variables: Vec::new(),
            regions: vec![d.region.clone()],
            region: d.region.clone(),
            skipped: Vec::new(),
            notes: Vec::new(),
            reserved: HashMap::new(),
            policy_statements: Vec::new(),
        };
        for r in d.resources() {
            if let Some(kind) = main_type(r) {
                let name = t.fresh(kind, snake(r.id.as_str()));
                t.main.insert(r.id.clone(), (kind.to_string(), name));
            }
        }
        t
    }

    fn place(&mut self, r: &Resource) {
        // Global and account-wide kinds (the catalog's `global`) take the home provider.
        self.region = if crate::model::catalog::catalog().info(r.kind()).global {
            self.d.region.clone()
        } else {
            self.d.region_code(r.id.as_str()).to_string()
        };
        if !self.regions.contains(&self.region) {
            self.regions.push(self.region.clone());
        }
    }

    /// A name of type `kind` not yet taken.
    fn fresh(&mut self, kind: &str, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(format!("{kind}.{name}")) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }

    pub(crate) fn skip(&mut self, r: &Resource, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            id: r.id.clone(),
            reason: reason.into(),
        });
    }

    pub(crate) fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    /// `{"$ref": "type.name.attribute"}` of a diagram resource's main resource.
    pub(crate) fn r(&self, id: &str, attribute: &str) -> Value {
        match self.main.get(id) {
            Some((kind, name)) => json!({ "$ref": format!("{kind}.{name}.{attribute}") }),
            None => Value::Null,
        }
    }

    /// The `id`s of diagram resources, as references.
    pub(crate) fn ids(&self, ids: &[ResourceId]) -> Value {
        Value::Array(
            ids.iter()
                .map(|i| self.r(i.as_str(), "id"))
                .filter(|v| !v.is_null())
                .collect(),
        )
    }

    /// The Terraform address of a diagram resource's main resource (`aws_vpc.vpc`).
    pub(crate) fn address(&self, id: &str) -> Option<String> {
        self.main.get(id).map(|(k, n)| format!("{k}.{n}"))
    }

    /// Adds the main resource of `r`.
    pub(crate) fn add_main(&mut self, r: &Resource, mut body: Value) {
        let Some((kind, name)) = self.main.get(&r.id).cloned() else {
            // Never dropped without a word: a kind without a Terraform type says so.
            self.skip(r, super::NOT_WRITTEN_YET);
            return;
        };
        // Something made elsewhere is read by a data source, not created.
        if let Some(source) = kind.strip_prefix("data.") {
            if self.region != self.d.region && body.is_object() {
                body["provider"] = json!({ "$ref": format!("aws.{}", snake(&self.region)) });
            }
            self.data.push(Item {
                kind: "data",
                labels: vec![source.to_string(), name],
                body,
            });
            return;
        }
        self.push(kind, name, body);
    }

    /// Adds a resource derived from `id`, named `{id}_{suffix}`; returns its address.
    pub(crate) fn add(&mut self, kind: &str, id: &str, suffix: &str, body: Value) -> String {
        let name = self.fresh(kind, format!("{}_{suffix}", snake(id)));
        self.push(kind.to_string(), name.clone(), body);
        format!("{kind}.{name}")
    }

    /// The address reserved under `key`, named from `id` and `suffix` the first time.
    pub(crate) fn reserve(
        &mut self,
        kind: &str,
        key: String,
        id: &str,
        suffix: &str,
    ) -> (String, bool) {
        if let Some(address) = self.reserved.get(&key) {
            return (address.clone(), false);
        }
        let name = self.fresh(kind, format!("{}_{suffix}", snake(id)));
        let address = format!("{kind}.{name}");
        self.reserved.insert(key, address.clone());
        (address, true)
    }

    /// Adds a resource at a reserved address.
    pub(crate) fn add_at(&mut self, address: &str, body: Value) {
        if let Some((kind, name)) = address.split_once('.') {
            self.push(kind.to_string(), name.to_string(), body);
        }
    }

    fn push(&mut self, kind: String, name: String, mut body: Value) {
        if self.region != self.d.region && body.is_object() {
            body["provider"] = json!({ "$ref": format!("aws.{}", snake(&self.region)) });
        }
        self.items.push(Item {
            kind: "resource",
            labels: vec![kind, name],
            body,
        });
    }

    /// A variable the configuration asks for.
    pub(crate) fn variable(
        &mut self,
        name: &str,
        description: &str,
        default: Option<Value>,
    ) -> Value {
        if !self.variables.iter().any(|v| v.labels[0] == name) {
            let mut body = json!({ "type": { "$ref": "string" }, "description": description });
            if let Some(d) = default {
                body["default"] = d;
            }
            self.variables.push(Item {
                kind: "variable",
                labels: vec![name.to_string()],
                body,
            });
        }
        json!({ "$ref": format!("var.{name}") })
    }

    /// The newest image of an operating system, read from AWS's public SSM parameters.
    pub(crate) fn image(&mut self, ami: &str, instance_type: &str) -> Value {
        if ami.starts_with("ami-") {
            return json!(ami);
        }
        let arm = crate::aws::names::is_arm(instance_type);
        let cpu = if arm { "arm64" } else { "x86_64" };
        let (name, path) = if ami.to_ascii_lowercase().contains("ubuntu") {
            let cpu = if arm { "arm64" } else { "amd64" };
            (
                format!("ubuntu_{cpu}"),
                format!(
                    "/aws/service/canonical/ubuntu/server/24.04/stable/current/{cpu}/hvm/ebs-gp3/ami-id"
                ),
            )
        } else if ami.to_ascii_lowercase().contains("windows") {
            (
                "windows".to_string(),
                "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base".to_string(),
            )
        } else {
            (
                format!("al2023_{cpu}"),
                format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{cpu}"),
            )
        };
        let region_suffix = if self.region == self.d.region {
            String::new()
        } else {
            format!("_{}", snake(&self.region))
        };
        let name = format!("{name}{region_suffix}");
        if !self.data.iter().any(|x| x.labels[1] == name) {
            let mut body = json!({ "name": path });
            if !region_suffix.is_empty() {
                body["provider"] = json!({ "$ref": format!("aws.{}", snake(&self.region)) });
            }
            self.data.push(Item {
                kind: "data",
                labels: vec!["aws_ssm_parameter".into(), name.clone()],
                body,
            });
        }
        json!({ "$ref": format!("data.aws_ssm_parameter.{name}.value") })
    }

    /// `{ Name = … }`.
    pub(crate) fn tags(&self, r: &Resource) -> Value {
        json!({ "Name": r.label() })
    }

    /// Links of `kind` from `id`, to resources of `to` kinds (any when empty).
    pub(crate) fn links_from(&self, id: &str, kind: LinkKind, to: &[Kind]) -> Vec<&'a Resource> {
        self.d.linked_from(id, kind, to)
    }

    /// Links of `kind` into `id`, from resources of `from` kinds (any when empty).
    pub(crate) fn links_to(&self, id: &str, kind: LinkKind, from: &[Kind]) -> Vec<&'a Resource> {
        self.d.linked_to(id, kind, from)
    }

    pub(crate) fn enclosing(&self, id: &str, kind: Kind) -> Option<&'a Resource> {
        self.d.enclosing(id, kind)
    }

    /// The role attached to `id` by a link, if any.
    pub(crate) fn attached_role(&self, id: &str) -> Option<&'a Resource> {
        self.d.attached_role(id)
    }

    /// A statement for the resource policy of bucket, queue or topic `id`.
    pub(crate) fn policy_statement(&mut self, id: &ResourceId, statement: Value) {
        self.policy_statements.push((id.clone(), statement));
    }

    /// The address of the resource policy of bucket, queue or topic `id`.
    pub(crate) fn policy_address(&mut self, id: &ResourceId) -> String {
        let kind = match self.d.resource(id.as_str()).map(Resource::kind) {
            Some(Kind::SqsQueue) => "aws_sqs_queue_policy",
            Some(Kind::SnsTopic) => "aws_sns_topic_policy",
            _ => "aws_s3_bucket_policy",
        };
        self.reserve(kind, format!("policy {id}"), id.as_str(), "policy")
            .0
    }

    /// The subnets a resource without a subnet list runs in (see the CloudFormation export).
    pub(crate) fn placement_subnets(&self, r: &Resource) -> Vec<ResourceId> {
        if let Some(subnet) = self.enclosing(r.id.as_str(), Kind::Subnet) {
            return vec![subnet.id.clone()];
        }
        let Some(vpc) = self.enclosing(r.id.as_str(), Kind::Vpc) else {
            return Vec::new();
        };
        let subnets: Vec<&Resource> = self
            .d
            .subtree(&vpc.id)
            .iter()
            .filter_map(|id| self.d.resource(id.as_str()))
            .filter(|s| s.kind() == Kind::Subnet)
            .collect();
        let private: Vec<ResourceId> = subnets
            .iter()
            .filter(|s| matches!(&s.config, Config::Subnet(c) if c.tier == crate::model::config::network::SubnetTier::Private))
            .map(|s| s.id.clone())
            .collect();
        if private.is_empty() {
            subnets.iter().map(|s| s.id.clone()).collect()
        } else {
            private
        }
    }

    fn finish(mut self) -> Export {
        let statements = std::mem::take(&mut self.policy_statements);
        let mut owners: Vec<ResourceId> = Vec::new();
        for (id, _) in &statements {
            if !owners.contains(id) {
                owners.push(id.clone());
            }
        }
        for id in owners {
            let list: Vec<Value> = statements
                .iter()
                .filter(|(owner, _)| *owner == id)
                .map(|(_, s)| s.clone())
                .collect();
            self.region = self.d.region_code(id.as_str()).to_string();
            let address = self.policy_address(&id);
            let policy =
                json!({ "$call": ["jsonencode", { "Version": "2012-10-17", "Statement": list }] });
            let body = match self.d.resource(id.as_str()).map(Resource::kind) {
                // A queue's `id` is its URL.
                Some(Kind::SqsQueue) => {
                    json!({ "queue_url": self.r(id.as_str(), "id"), "policy": policy })
                }
                Some(Kind::SnsTopic) => {
                    json!({ "arn": self.r(id.as_str(), "arn"), "policy": policy })
                }
                _ => json!({ "bucket": self.r(id.as_str(), "id"), "policy": policy }),
            };
            self.add_at(&address, body);
        }
        let mut blocks: Vec<Block> = Vec::new();
        let providers = json!({ "aws": { "source": "hashicorp/aws", "version": "~> 5.70" } });
        blocks.push(
            Block::builder("terraform")
                .add_attribute(("required_version", ">= 1.5"))
                .add_block(
                    Block::builder("required_providers")
                        .add_attribute(("aws", expression(&providers["aws"])))
                        .build(),
                )
                .build(),
        );
        for (n, region) in self.regions.iter().enumerate() {
            let mut provider = Block::builder("provider").add_label("aws");
            if n > 0 {
                provider = provider.add_attribute(("alias", snake(region)));
            }
            blocks.push(provider.add_attribute(("region", region.as_str())).build());
        }
        let resources = self.items.len();
        for item in self
            .variables
            .iter()
            .chain(self.data.iter())
            .chain(self.items.iter())
        {
            blocks.push(block(item.kind, &item.labels, &item.body));
        }
        let body = Body::from(blocks);
        let mut text = String::new();
        text.push_str(&format!(
            "# {} — written by cloudcanvas for the AWS provider.\n",
            self.d.name
        ));
        for s in &self.skipped {
            text.push_str(&format!("# Not created: {} — {}.\n", s.id, s.reason));
        }
        for n in &self.notes {
            text.push_str(&format!("# Note: {n}\n"));
        }
        text.push('\n');
        text.push_str(&hcl::to_string(&body).unwrap_or_default());
        Export {
            text,
            skipped: self.skipped,
            notes: self.notes,
            resources,
        }
    }
}

/// The Terraform type of a diagram resource's main resource: the catalog's usual type for
/// its kind, or the one its settings call for; none where it has no resource of its own.
fn main_type(r: &Resource) -> Option<&'static str> {
    use crate::model::config::database::CacheEngine;
    use crate::model::config::services::ApiType;
    use crate::model::config::storage::FsxType;
    let usual = crate::model::catalog::catalog()
        .info(r.kind())
        .terraform
        .first()
        .map(String::as_str);
    match &r.config {
        Config::Vpc(c) if c.made_elsewhere => Some("data.aws_vpc"),
        Config::EventBridgeBus(c) if c.default_bus => Some("data.aws_cloudwatch_event_bus"),
        Config::EbsVolume(c) if c.boot_volume => None,
        Config::IamPolicy(c) if c.aws_managed => None,
        Config::FsxFileSystem(c) => Some(match c.file_system_type {
            FsxType::Windows => "aws_fsx_windows_file_system",
            FsxType::Lustre => "aws_fsx_lustre_file_system",
            FsxType::Ontap => "aws_fsx_ontap_file_system",
            FsxType::OpenZfs => "aws_fsx_openzfs_file_system",
        }),
        Config::ElastiCacheCluster(c) if c.engine == CacheEngine::Memcached => {
            Some("aws_elasticache_cluster")
        }
        Config::ApiGateway(c) if c.api_type != ApiType::Rest => Some("aws_apigatewayv2_api"),
        _ => usual,
    }
}

/// A block with its body: `+key` members become nested blocks, the rest attributes.
fn block(kind: &str, labels: &[String], body: &Value) -> Block {
    let mut builder = Block::builder(kind);
    for label in labels {
        builder = builder.add_label(label.as_str());
    }
    if let Value::Object(map) = body {
        // Meta-arguments first, as Terraform's own style has them.
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort_by_key(|k| match k.as_str() {
            "provider" | "depends_on" | "count" => 0,
            k if k.starts_with('+') => 2,
            _ => 1,
        });
        for key in keys {
            let value = &map[key];
            if value.is_null() {
                continue;
            }
            match key.strip_prefix('+') {
                Some(name) => {
                    let items: Vec<&Value> = match value {
                        Value::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        builder = builder.add_block(block(name, &[], item));
                    }
                }
                None => builder = builder.add_attribute((key.as_str(), expression(value))),
            }
        }
    }
    builder.build()
}

/// A value as an HCL expression, with the markers turned into references, calls and
/// templates.
fn expression(value: &Value) -> Expression {
    match value {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Expression::from)
            .or_else(|| n.as_f64().map(Expression::from))
            .unwrap_or(Expression::Null),
        // A literal `${` or `%{` would start an interpolation: written doubled.
        Value::String(s) => Expression::String(s.replace("${", "$${").replace("%{", "%%{")),
        Value::Array(items) => Expression::Array(items.iter().map(expression).collect()),
        Value::Object(map) => {
            if let (1, Some(Value::String(path))) = (map.len(), map.get("$ref")) {
                return traversal(path);
            }
            if let (1, Some(Value::Array(call))) = (map.len(), map.get("$call")) {
                let name = call.first().and_then(Value::as_str).unwrap_or("tostring");
                let mut builder = FuncCall::builder(hcl::Identifier::unchecked(name));
                for arg in &call[1..] {
                    builder = builder.arg(expression(arg));
                }
                return Expression::FuncCall(Box::new(builder.build()));
            }
            if let (1, Some(Value::String(template))) = (map.len(), map.get("$template")) {
                return Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(
                    template.clone(),
                )));
            }
            let mut object = Object::new();
            for (k, v) in map {
                let key = if is_identifier(k) {
                    ObjectKey::Identifier(hcl::Identifier::unchecked(k.as_str()))
                } else {
                    ObjectKey::Expression(Expression::String(k.clone()))
                };
                object.insert(key, expression(v));
            }
            Expression::Object(object)
        }
    }
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `a.b.c` or `a.b[0].c` as a traversal.
fn traversal(path: &str) -> Expression {
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or("null");
    let mut builder = Traversal::builder(Variable::unchecked(first));
    let mut any = false;
    for part in parts {
        any = true;
        match part.split_once('[') {
            Some((name, index)) => {
                builder = builder.attr(name);
                let n: u64 = index.trim_end_matches(']').parse().unwrap_or(0);
                builder = builder.index(Expression::from(n));
            }
            None => builder = builder.attr(part),
        }
    }
    if !any {
        return Expression::Variable(Variable::unchecked(first));
    }
    Expression::Traversal(Box::new(builder.build()))
}

#[cfg(test)]
mod tests;
