//! A diagram as CloudFormation: one template per Region it uses (a stack lives in one
//! Region), in JSON or YAML.
//!
//! Each resource becomes the AWS resources that make it real (a subnet its route table
//! association, an ALB its target groups and listeners, an RDS instance its subnet group),
//! with references (`Ref`, `Fn::GetAtt`) where the diagram has references or links. A
//! reference to a resource in another Region's stack becomes a parameter of this stack and
//! an output of that one. Global services (Route 53, CloudFront, IAM) live in the
//! diagram's home Region.

mod compute;
mod containers;
mod data;
mod edge;
mod network;
mod scaling;
mod services;
mod stack;

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::Skipped;
use super::names::Names;
use crate::model::{Config, Diagram, Kind, LinkKind, Resource, ResourceId};
pub(crate) use stack::collect_refs;
use stack::cross_stack;
pub use stack::{Entry, Template};

/// Key of the diagram's own data in a template's and a resource's `Metadata`.
pub const METADATA_KEY: &str = "CloudCanvas";

/// The export of a diagram: a template per Region and what was left out.
#[derive(Clone, Debug)]
pub struct Export {
    /// Templates by Region code, the diagram's home Region first.
    pub stacks: IndexMap<String, Template>,
    /// Diagram resources without a CloudFormation counterpart.
    pub skipped: Vec<Skipped>,
    /// Parts of resources the templates do not express, in sentences.
    pub notes: Vec<String>,
}

impl Export {
    /// The template of the home Region (the only one for a one-Region diagram).
    pub fn home(&self) -> &Template {
        // `cloudformation` always makes the home stack first.
        &self.stacks[0]
    }
}

/// Writes `diagram` as CloudFormation.
pub fn cloudformation(diagram: &Diagram) -> Export {
    let mut b = Builder::new(diagram);
    for r in diagram.resources() {
        b.place(r);
        b.resource(r);
    }
    let mut export = b.finish();
    links_metadata(diagram, &mut export);
    export
}

/// Records in the home stack's metadata the links an import would not find from the
/// templates' references (and those it would find that the diagram does not have), so
/// that reading the templates back gives the diagram's links; labels travel too.
fn links_metadata(diagram: &Diagram, export: &mut Export) {
    let values: Vec<Value> = export
        .stacks
        .values()
        .filter_map(|t| serde_json::to_value(t).ok())
        .collect();
    let inferred = super::cfn_import::inferred_links(values);
    let skipped: std::collections::HashSet<&ResourceId> =
        export.skipped.iter().map(|s| &s.id).collect();
    let present = |id: &ResourceId| diagram.contains(id.as_str()) && !skipped.contains(id);
    let inferred_set: std::collections::HashSet<(&ResourceId, &ResourceId, LinkKind)> =
        inferred.iter().map(|(f, t, k)| (f, t, *k)).collect();
    let drawn: std::collections::HashSet<(&ResourceId, &ResourceId, LinkKind)> = diagram
        .links()
        .iter()
        .map(|l| (&l.from, &l.to, l.kind))
        .collect();
    let found = |l: &crate::model::Link| inferred_set.contains(&(&l.from, &l.to, l.kind));
    let describe = |from: &ResourceId, to: &ResourceId, kind: LinkKind, label: &str| {
        let mut v =
            json!({ "From": from.as_str(), "To": to.as_str(), "Kind": format!("{kind:?}") });
        if !label.is_empty() {
            v["Label"] = json!(label);
        }
        v
    };
    let links: Vec<Value> = diagram
        .links()
        .iter()
        .filter(|l| present(&l.from) && present(&l.to) && (!l.label.is_empty() || !found(l)))
        .map(|l| describe(&l.from, &l.to, l.kind, &l.label))
        .collect();
    let not_links: Vec<Value> = inferred
        .iter()
        .filter(|(f, t, k)| !drawn.contains(&(f, t, *k)))
        .map(|(f, t, k)| describe(f, t, *k, ""))
        .collect();
    if let Some(home) = export.stacks.values_mut().next() {
        if !links.is_empty() {
            home.metadata[METADATA_KEY]["Links"] = Value::Array(links);
        }
        if !not_links.is_empty() {
            home.metadata[METADATA_KEY]["NotLinks"] = Value::Array(not_links);
        }
    }
}

/// Kinds whose resources are global or account-wide (the catalog's `global`): they go in
/// the home Region's stack.
fn is_global(kind: Kind) -> bool {
    crate::model::catalog::catalog().info(kind).global
}

/// Builds the stacks resource by resource.
pub(crate) struct Builder<'a> {
    pub(crate) d: &'a Diagram,
    names: Names,
    stacks: IndexMap<String, stack::Build>,
    /// The Region whose stack receives what is added now.
    region: String,
    skipped: Vec<Skipped>,
    notes: Vec<String>,
    /// Statements of each bucket's policy, by bucket, written when every resource is in.
    /// Statements of the resource policies of buckets, queues and topics, by resource: one
    /// policy holds them all, since a second policy on a queue or topic replaces the first.
    policy_statements: IndexMap<String, Vec<Value>>,
    /// Logical ids one resource's export names and another's creates (a load balancer's
    /// target groups, which its Auto Scaling groups name), by a key of their own.
    reserved: IndexMap<String, String>,
}

impl<'a> Builder<'a> {
    fn new(d: &'a Diagram) -> Self {
        let mut stacks = IndexMap::new();
        stacks.insert(d.region.clone(), stack::Build::default());
        Builder {
            d,
            names: Names::new(d),
            stacks,
            region: d.region.clone(),
            skipped: Vec::new(),
            notes: Vec::new(),
            policy_statements: IndexMap::new(),
            reserved: IndexMap::new(),
        }
    }

    /// Chooses the stack `r` and what it derives go to.
    fn place(&mut self, r: &Resource) {
        self.region = match &r.config {
            Config::Region(c) => c.code.clone(),
            _ if is_global(r.kind()) => self.d.region.clone(),
            _ => self.d.region_code(r.id.as_str()).to_string(),
        };
        self.stacks.entry(self.region.clone()).or_default();
        let layout = json!({ METADATA_KEY: { "Id": r.id.as_str(), "Name": r.name,
            "Rect": [r.rect.x.round() as i64, r.rect.y.round() as i64, r.rect.w.round() as i64,
                r.rect.h.round() as i64] } });
        self.stack().layout.insert(r.id.clone(), layout);
    }

    fn stack(&mut self) -> &mut stack::Build {
        self.stacks.entry(self.region.clone()).or_default()
    }

    /// Adds the CloudFormation counterpart of one diagram resource.
    fn resource(&mut self, r: &Resource) {
        match r.kind() {
            // Stacks and subnets carry them; the diagram's containers travel in metadata.
            Kind::Region | Kind::AvailabilityZone => {
                let value = self.described(r);
                self.stack().containers.push(value);
            }
            Kind::Users | Kind::OnPremisesDataCenter => {
                self.actor(r);
            }
            _ => {
                let made = network::add(self, r)
                    || edge::add(self, r)
                    || compute::add(self, r)
                    || data::add(self, r)
                    || services::add(self, r);
                if !made {
                    // Never dropped without a word.
                    self.skip(r, super::NOT_WRITTEN_YET);
                }
            }
        }
    }

    /// Actors (users, a data center) are not AWS resources: they travel in the metadata.
    fn actor(&mut self, r: &Resource) {
        let value = self.described(r);
        self.stacks[0].actors.push(value);
    }

    /// A resource the template has no resource for, described whole for the metadata.
    fn described(&self, r: &Resource) -> Value {
        // Configurations as text: template metadata may not hold fractional numbers.
        let mut value = json!({ "Id": r.id.as_str(), "Name": r.name, "Kind": r.kind().name(),
            "Config": r.config.to_json().to_string(),
            "Rect": [r.rect.x.round() as i64, r.rect.y.round() as i64, r.rect.w.round() as i64,
                r.rect.h.round() as i64] });
        if let Some(parent) = &r.parent {
            value["Parent"] = json!(parent.as_str());
        }
        value
    }

    /// Records that `r` has no counterpart.
    pub(crate) fn skip(&mut self, r: &Resource, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            id: r.id.clone(),
            reason: reason.into(),
        });
    }

    /// The logical id of a diagram resource.
    pub(crate) fn id(&self, id: &str) -> String {
        self.names.of(id)
    }

    /// A fresh logical id for something `id` derives.
    pub(crate) fn derived(&mut self, id: &str, suffix: &str) -> String {
        self.names.derived(id, suffix)
    }

    /// The logical id reserved under `key`, made from `id` and `suffix` the first time.
    fn reserve(&mut self, key: String, id: &str, suffix: &str) -> String {
        if let Some(name) = self.reserved.get(&key) {
            return name.clone();
        }
        let name = self.derived(id, suffix);
        self.reserved.insert(key, name.clone());
        name
    }

    /// The target group through which load balancer `lb` reaches `target` (`instances`
    /// for the group of its EC2 instances).
    pub(crate) fn target_group(&mut self, lb: &str, target: &str) -> String {
        let suffix = if target == "instances" {
            "InstanceTargets".to_string()
        } else {
            format!("{}Targets", self.id(target))
        };
        self.reserve(format!("tg {lb} {target}"), lb, &suffix)
    }

    /// The `index`th listener of load balancer `lb`.
    pub(crate) fn listener(&mut self, lb: &str, index: usize) -> String {
        self.reserve(
            format!("listener {lb} {index}"),
            lb,
            &format!("Listener{}", index + 1),
        )
    }

    /// The instance profile through which EC2 instances take `role`.
    pub(crate) fn instance_profile(&mut self, role: &str) -> String {
        let key = format!("profile {role}");
        let made = self.reserved.contains_key(&key);
        let name = self.reserve(key, role, "InstanceProfile");
        if !made {
            let props = json!({ "Roles": [self.r(role)] });
            self.add(&name, "AWS::IAM::InstanceProfile", props);
        }
        name
    }

    /// The instance profile of the role made for `id` under `suffix`.
    pub(crate) fn instance_profile_of_made(&mut self, id: &str, suffix: &str) -> String {
        let role = self
            .reserved
            .get(&format!("role {id} {suffix}"))
            .cloned()
            .unwrap_or_default();
        let key = format!("made profile {id} {suffix}");
        let made = self.reserved.contains_key(&key);
        let name = self.reserve(key, id, &format!("{suffix}Profile"));
        if !made {
            self.add(
                &name,
                "AWS::IAM::InstanceProfile",
                json!({ "Roles": [{ "Ref": role }] }),
            );
        }
        name
    }

    /// The permission letting bucket `bucket` invoke function `function`, which the
    /// bucket's notification must wait for.
    pub(crate) fn bucket_permission(&mut self, bucket: &str, function: &str) -> String {
        let suffix = format!("InvokeFrom{}", self.id(bucket));
        self.reserve(
            format!("s3 permission {bucket} {function}"),
            function,
            &suffix,
        )
    }

    /// Adds a statement to the resource policy of bucket, queue or topic `id` (one policy
    /// holds them all).
    pub(crate) fn policy_statement(&mut self, id: &str, statement: Value) {
        self.policy_statements
            .entry(id.to_string())
            .or_default()
            .push(statement);
    }

    /// The logical id of the resource policy of `id`.
    pub(crate) fn policy_name(&mut self, id: &str) -> String {
        self.reserve(format!("resource policy {id}"), id, "Policy")
    }

    /// Records something the export could not express fully.
    pub(crate) fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    /// `{"Ref": …}` to a diagram resource.
    pub(crate) fn r(&self, id: &str) -> Value {
        json!({ "Ref": self.id(id) })
    }

    /// `{"Fn::GetAtt": […]}` of a diagram resource.
    pub(crate) fn att(&self, id: &str, attribute: &str) -> Value {
        json!({ "Fn::GetAtt": [self.id(id), attribute] })
    }

    /// Adds a resource under `logical` to the current stack; returns it for extra keys.
    pub(crate) fn add(&mut self, logical: &str, kind: &str, properties: Value) -> &mut Entry {
        let entry = Entry::new(kind, properties);
        let stack = self.stack();
        let (index, _) = stack.resources.insert_full(logical.to_string(), entry);
        &mut stack.resources[index]
    }

    /// Adds the main resource of diagram resource `r`, under its own logical id, with its
    /// layout in the metadata.
    pub(crate) fn add_main(&mut self, r: &Resource, kind: &str, properties: Value) -> &mut Entry {
        let logical = self.id(r.id.as_str());
        let layout = self.stack().layout.get(&r.id).cloned();
        let entry = self.add(&logical, kind, properties);
        entry.metadata = layout;
        entry
    }

    /// The main resource of diagram resource `id` in the current stack, once added.
    pub(crate) fn entry_mut(&mut self, id: &str) -> Option<&mut Entry> {
        let logical = self.id(id);
        self.stack().resources.get_mut(&logical)
    }

    /// A VPC made elsewhere: a parameter of type `AWS::EC2::VPC::Id` under the VPC's own
    /// logical id, so that every `Ref` to it reads the id given when the stack is created.
    pub(crate) fn external_vpc(&mut self, r: &Resource, cidr: &str) {
        let logical = self.id(r.id.as_str());
        self.parameter(
            &logical,
            json!({ "Type": "AWS::EC2::VPC::Id",
                "Description": stack::truncate(&format!("The id of the VPC {} (made elsewhere)", r.label()), 4000) }),
        );
        let mut kept = self
            .stack()
            .layout
            .get(&r.id)
            .and_then(|l| l.get(METADATA_KEY))
            .cloned()
            .unwrap_or_else(|| json!({}));
        kept["Logical"] = json!(logical);
        kept["CidrBlock"] = json!(cidr);
        self.stack().external.push(kept);
    }

    /// A template parameter of the current stack.
    pub(crate) fn parameter(&mut self, name: &str, value: Value) -> Value {
        self.stack().parameters.insert(name.to_string(), value);
        json!({ "Ref": name })
    }

    /// `[{Key: Name, Value: …}]`, the tag every console shows as the resource's name.
    pub(crate) fn tags(&self, r: &Resource) -> Value {
        json!([{ "Key": "Name", "Value": r.label() }])
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

    /// The role of `r`: the attached one, or one made for it (see [`Self::made_role`]).
    pub(crate) fn role_for(
        &mut self,
        r: &Resource,
        service: &str,
        managed: &[&str],
        statements: Vec<Value>,
    ) -> Value {
        match self.attached_role(r.id.as_str()) {
            Some(role) => self.att(role.id.as_str(), "Arn"),
            None => self.made_role(r, "Role", service, managed, statements),
        }
    }

    /// The ARN of a role made for `r` (named by `suffix`) trusting `service`, with
    /// `managed` AWS policies and inline `statements`.
    pub(crate) fn made_role(
        &mut self,
        r: &Resource,
        suffix: &str,
        service: &str,
        managed: &[&str],
        statements: Vec<Value>,
    ) -> Value {
        let key = format!("role {} {suffix}", r.id);
        if let Some(name) = self.reserved.get(&key) {
            return json!({ "Fn::GetAtt": [name, "Arn"] });
        }
        let name = self.reserve(key, r.id.as_str(), suffix);
        let arns: Vec<Value> = managed
            .iter()
            .map(|p| json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:iam::aws:policy/{p}") }))
            .collect();
        let mut props = json!({ "AssumeRolePolicyDocument": assume_role(service) });
        if !arns.is_empty() {
            props["ManagedPolicyArns"] = json!(arns);
        }
        if !statements.is_empty() {
            props["Policies"] = json!([{ "PolicyName": "linked-resources",
                "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }]);
        }
        self.add(&name, "AWS::IAM::Role", props);
        json!({ "Fn::GetAtt": [name, "Arn"] })
    }

    /// The subnets a resource without its own subnet list runs in: its subnet, or the
    /// private subnets of its VPC (all of them when none is private).
    pub(crate) fn placement_subnets(&self, r: &Resource) -> Vec<ResourceId> {
        if let Some(subnet) = self.enclosing(r.id.as_str(), Kind::Subnet) {
            return vec![subnet.id.clone()];
        }
        match self.enclosing(r.id.as_str(), Kind::Vpc) {
            Some(vpc) => self.placement_subnets_of_vpc(vpc),
            None => Vec::new(),
        }
    }

    /// The private subnets of `vpc` (all of them when none is private).
    pub(crate) fn placement_subnets_of_vpc(&self, vpc: &Resource) -> Vec<ResourceId> {
        let subnets: Vec<&Resource> = self
            .d
            .subtree(&vpc.id)
            .iter()
            .filter_map(|id| self.d.resource(id.as_str()))
            .filter(|s| s.kind() == Kind::Subnet)
            .collect();
        let private: Vec<ResourceId> = subnets
            .iter()
            .filter(|s| {
                matches!(&s.config, Config::Subnet(c) if c.tier == crate::model::config::network::SubnetTier::Private)
            })
            .map(|s| s.id.clone())
            .collect();
        if private.is_empty() {
            subnets.iter().map(|s| s.id.clone()).collect()
        } else {
            private
        }
    }

    /// An Availability Zone by its place in the Region's list (`us-east-1b` is the second),
    /// since zone names differ between accounts; the name itself when it does not follow
    /// the Region's.
    pub(crate) fn zone(&self, zone: &str, of: &str) -> Value {
        let region = self.d.region_code(of);
        match zone.strip_prefix(region).map(str::as_bytes) {
            Some([letter]) if letter.is_ascii_lowercase() => {
                json!({ "Fn::Select": [letter - b'a', { "Fn::GetAZs": "" }] })
            }
            _ => json!(zone),
        }
    }

    /// References to a list of diagram resources.
    pub(crate) fn refs(&self, ids: &[ResourceId]) -> Value {
        Value::Array(ids.iter().map(|id| self.r(id.as_str())).collect())
    }

    fn finish(mut self) -> Export {
        for (id, statements) in std::mem::take(&mut self.policy_statements) {
            self.region = self.d.region_code(&id).to_string();
            let name = self.policy_name(&id);
            let document = json!({ "Version": "2012-10-17", "Statement": statements });
            let (kind, props) = match self.d.resource(&id).map(Resource::kind) {
                Some(Kind::SqsQueue) => (
                    "AWS::SQS::QueuePolicy",
                    json!({ "Queues": [self.r(&id)], "PolicyDocument": document }),
                ),
                Some(Kind::SnsTopic) => (
                    "AWS::SNS::TopicPolicy",
                    json!({ "Topics": [self.r(&id)], "PolicyDocument": document }),
                ),
                _ => (
                    "AWS::S3::BucketPolicy",
                    json!({ "Bucket": self.r(&id), "PolicyDocument": document }),
                ),
            };
            self.add(&name, kind, props);
        }
        let description = if self.d.description.is_empty() {
            self.d.name.clone()
        } else {
            self.d.description.clone()
        };
        let stacks = cross_stack(self.stacks, &self.d.name, &description);
        Export {
            stacks,
            skipped: self.skipped,
            notes: self.notes,
        }
    }
}

/// A trust policy letting `service` (such as `lambda.amazonaws.com`) assume a role, or an
/// account or ARN when it is not a service.
pub(crate) fn assume_role(principal: &str) -> Value {
    let principal = if principal.ends_with(".amazonaws.com") {
        json!({ "Service": principal })
    } else if principal.chars().all(|c| c.is_ascii_digit()) && principal.len() == 12 {
        json!({ "AWS": format!("arn:aws:iam::{principal}:root") })
    } else if principal.starts_with("arn:") {
        json!({ "AWS": principal })
    } else {
        json!({ "Service": format!("{principal}.amazonaws.com") })
    };
    json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole" }]
    })
}

/// Text CloudFormation accepts in descriptions of security groups and their rules
/// (letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`); other characters become spaces.
pub(crate) fn plain_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

impl Export {
    /// The files of the export for an output named `out`: one template per Region (JSON
    /// for a `.json` name, YAML otherwise), the home Region's at `out`, the others beside
    /// it as `NAME.REGION.EXT`.
    pub fn files(
        &self,
        out: &std::path::Path,
    ) -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, crate::io::WriteError> {
        let json = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let mut files = Vec::with_capacity(self.stacks.len());
        for (index, (region, template)) in self.stacks.iter().enumerate() {
            let text = if json {
                template.to_json()
            } else {
                template.to_yaml()
            };
            files.push((stack_path(out, region, index == 0)?, text.into_bytes()));
        }
        Ok(files)
    }
}

/// The file of Region `region`'s stack: `out` for the home Region, `NAME.REGION.EXT`
/// beside it for the others.
pub fn stack_path(
    out: &std::path::Path,
    region: &str,
    home: bool,
) -> Result<std::path::PathBuf, crate::io::WriteError> {
    if home {
        return Ok(out.to_path_buf());
    }
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("stack");
    let name = match out.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{stem}.{region}.{ext}"),
        None => format!("{stem}.{region}"),
    };
    // The Region comes from the diagram: the name must stay beside `out`.
    crate::io::sibling(out, &name)
}

#[cfg(test)]
mod tests;
