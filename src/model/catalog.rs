//! The resource catalog: for each kind, its category, display name, icon, allowed
//! parents and links, and a teaching text.
//!
//! The catalog is data (`catalog.ron`, embedded in the binary), parsed and checked once
//! on first use. The model asks it which containments and links are allowed.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::{Kind, LinkKind};

/// A group of kinds drawn with one colour and listed together in the palette.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
pub enum Category {
    /// Networking and content delivery.
    Networking,
    /// Virtual machines, functions and scaling.
    Compute,
    /// Container orchestration and registries.
    Containers,
    /// Object, block and file storage.
    Storage,
    /// Relational and purpose-built databases and caches.
    Database,
    /// Queues, topics and APIs.
    Integration,
    /// Monitoring and audit.
    Management,
    /// Identity, keys, certificates and firewalls.
    Security,
    /// Analytics.
    Analytics,
    /// Users and systems outside AWS.
    External,
}

/// Display data of a category.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    /// The category.
    pub id: Category,
    /// Display name.
    pub name: String,
    /// Colour as `#RRGGBB`, after AWS's category colours.
    pub color: String,
}

/// Which links a kind may start.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRule {
    /// The link kind.
    pub kind: LinkKind,
    /// Kinds the link may end at.
    #[serde(default)]
    pub to: Vec<Kind>,
    /// Categories whose every kind the link may end at.
    #[serde(default)]
    pub to_categories: Vec<Category>,
}

/// How draw.io draws a kind, from its AWS library (`mxgraph.aws4`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub enum DrawioShape {
    /// A service icon (`resIcon`), coloured by the kind's category.
    Icon(String),
    /// A shape of its own, such as `nat_gateway`.
    Shape(String),
    /// A group frame (Regions, VPCs, zones, subnets).
    Group,
}

/// The IAM permission a traffic link to a kind needs, from the service's actions in AWS's
/// Service Authorization Reference.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IamAccess {
    /// Actions on the target.
    pub actions: Vec<String>,
    /// The part of the target they apply to.
    #[serde(default)]
    pub on: IamPart,
    /// Actions the service grants only on every resource (`"*"`).
    #[serde(default)]
    pub account_wide: Vec<String>,
}

/// The part of a target an IAM statement names.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub enum IamPart {
    /// The resource's own ARN.
    #[default]
    Itself,
    /// A bucket's objects (`…/*`).
    Objects,
    /// A database's tables (`…/table/*`).
    Tables,
    /// A log group's streams (`…:*`).
    Streams,
}

/// Everything the catalog knows about one kind.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindInfo {
    /// The kind.
    pub kind: Kind,
    /// Its category.
    pub category: Category,
    /// Display name, such as "Auto Scaling group".
    pub name: String,
    /// Icon name; the UI loads `icons/<icon>.svg`.
    pub icon: String,
    /// How draw.io draws it.
    pub drawio: DrawioShape,
    /// Global or account-wide (CloudFront, Route 53, IAM, actors): written to the home
    /// Region's stack and provider.
    #[serde(default)]
    pub global: bool,
    /// AWS charges nothing for it itself (or its cost is counted on other resources).
    #[serde(default)]
    pub free: bool,
    /// The AWS service endpoint it is reached at from a VPC, such as `s3`, for kinds that
    /// live outside VPCs.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// What a compute resource's role needs to use it over a traffic link; none where
    /// the network alone decides (security groups and routes) or no identity is asked.
    #[serde(default)]
    pub iam: Option<IamAccess>,
    /// The CloudFormation types it is written as and read from, the usual one first;
    /// none when no CloudFormation resource is one.
    #[serde(default)]
    pub cloudformation: Vec<String>,
    /// The Terraform types it is written as, the usual one first; none when no Terraform
    /// resource is one.
    #[serde(default)]
    pub terraform: Vec<String>,
    /// Drawn as a frame that holds other resources.
    #[serde(default)]
    pub container: bool,
    /// May sit outside any container.
    #[serde(default)]
    pub top_level: bool,
    /// Container kinds it may sit in.
    #[serde(default)]
    pub parents: Vec<Kind>,
    /// Links it may start.
    #[serde(default)]
    pub links: Vec<LinkRule>,
    /// Shared link rules it also follows, by name.
    #[serde(default)]
    pub link_sets: Vec<String>,
    /// What it is and when to use it, in a few sentences.
    pub teaching: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    categories: Vec<CategoryInfo>,
    kinds: Vec<KindInfo>,
    #[serde(default)]
    link_sets: BTreeMap<String, Vec<LinkRule>>,
}

/// The loaded, checked catalog.
#[derive(Debug)]
pub struct Catalog {
    categories: Vec<CategoryInfo>,
    /// Indexed by `Kind as usize`; the check guarantees one entry per kind, in order.
    kinds: Vec<KindInfo>,
    /// Link rules of each kind with its link sets expanded, indexed like `kinds`.
    expanded_links: Vec<Vec<LinkRule>>,
    /// Each CloudFormation type and the kinds that read it.
    by_cloudformation: BTreeMap<String, Vec<Kind>>,
}

/// The text of the embedded catalog.
pub const CATALOG_RON: &str = include_str!("catalog.ron");

/// The catalog, parsed and checked on first use.
///
/// # Panics
/// When the embedded catalog is invalid, which the test suite rules out for every build.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match Catalog::parse(CATALOG_RON) {
        Ok(catalog) => catalog,
        // The catalog is compiled into the binary and checked by `embedded_catalog_is_valid`.
        Err(problems) => panic!("the embedded catalog is invalid:\n{}", problems.join("\n")),
    })
}

impl Catalog {
    /// Parses and checks catalog text; returns every problem found.
    pub fn parse(text: &str) -> Result<Catalog, Vec<String>> {
        let file: CatalogFile =
            ron::from_str(text).map_err(|e| vec![format!("catalog.ron:{e}")])?;
        let mut problems = Vec::new();
        for category in [
            Category::Networking,
            Category::Compute,
            Category::Containers,
            Category::Storage,
            Category::Database,
            Category::Integration,
            Category::Management,
            Category::Security,
            Category::Analytics,
            Category::External,
        ] {
            if !file.categories.iter().any(|c| c.id == category) {
                problems.push(format!("category {category:?} has no entry"));
            }
        }
        let mut kinds: Vec<Option<KindInfo>> = vec![None; Kind::ALL.len()];
        for info in file.kinds {
            let slot = &mut kinds[info.kind as usize];
            if slot.is_some() {
                problems.push(format!("{} is listed twice", info.kind));
            }
            *slot = Some(info);
        }
        let mut checked = Vec::with_capacity(kinds.len());
        for (kind, info) in Kind::ALL.iter().zip(kinds) {
            match info {
                Some(info) => checked.push(info),
                None => problems.push(format!("{kind} has no catalog entry")),
            }
        }
        let mut expanded_links = Vec::with_capacity(checked.len());
        for info in &checked {
            if info.teaching.trim().is_empty()
                || info.name.trim().is_empty()
                || info.icon.trim().is_empty()
            {
                problems.push(format!(
                    "{} needs a name, an icon and a teaching text",
                    info.kind
                ));
            }
            if !info.top_level && info.parents.is_empty() {
                problems.push(format!(
                    "{} can be placed nowhere: give it parents or top_level",
                    info.kind
                ));
            }
            for parent in &info.parents {
                if !checked.iter().any(|p| p.kind == *parent && p.container) {
                    problems.push(format!(
                        "{} names {parent} as a parent, which is not a container",
                        info.kind
                    ));
                }
            }
            let mut rules = info.links.clone();
            for set in &info.link_sets {
                match file.link_sets.get(set) {
                    Some(set_rules) => rules.extend(set_rules.iter().cloned()),
                    None => {
                        problems.push(format!("{} uses the unknown link set `{set}`", info.kind))
                    }
                }
            }
            expanded_links.push(rules);
        }
        let mut by_cloudformation: BTreeMap<String, Vec<Kind>> = BTreeMap::new();
        for info in &checked {
            for t in &info.cloudformation {
                if !t.starts_with("AWS::") {
                    problems.push(format!("{}: `{t}` is not a CloudFormation type", info.kind));
                }
                by_cloudformation
                    .entry(t.clone())
                    .or_default()
                    .push(info.kind);
            }
            let actions = info
                .iam
                .iter()
                .flat_map(|a| a.actions.iter().chain(&a.account_wide));
            for action in actions {
                // IAM actions are `service:Action`, the service prefix in lower case.
                let well_formed = action.split_once(':').is_some_and(|(service, name)| {
                    !service.is_empty()
                        && service
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && name.starts_with(|c: char| c.is_ascii_uppercase())
                });
                if !well_formed {
                    problems.push(format!("{}: `{action}` is not an IAM action", info.kind));
                }
            }
        }
        if problems.is_empty() {
            Ok(Catalog {
                categories: file.categories,
                kinds: checked,
                expanded_links,
                by_cloudformation,
            })
        } else {
            Err(problems)
        }
    }

    /// The kind a CloudFormation type is read as, when exactly one kind reads it (the
    /// importer tells apart the kinds that share a type, such as the load balancers).
    pub fn kind_for_cloudformation(&self, cloudformation_type: &str) -> Option<Kind> {
        match self.by_cloudformation.get(cloudformation_type)?.as_slice() {
            [kind] => Some(*kind),
            _ => None,
        }
    }

    /// Everything about `kind`.
    pub fn info(&self, kind: Kind) -> &KindInfo {
        &self.kinds[kind as usize]
    }

    /// Every kind's entry, in catalog order.
    pub fn kinds(&self) -> &[KindInfo] {
        &self.kinds
    }

    /// The categories, in palette order.
    pub fn categories(&self) -> &[CategoryInfo] {
        &self.categories
    }

    /// Display data of `category`.
    pub fn category(&self, category: Category) -> Option<&CategoryInfo> {
        self.categories.iter().find(|c| c.id == category)
    }

    /// The display name of `kind`.
    pub fn name(&self, kind: Kind) -> &str {
        &self.info(kind).name
    }

    /// True when `kind` is drawn as a container.
    pub fn is_container(&self, kind: Kind) -> bool {
        self.info(kind).container
    }

    /// True when a `child` may sit in `parent` (`None` is the top level of the canvas).
    pub fn may_contain(&self, parent: Option<Kind>, child: Kind) -> bool {
        let info = self.info(child);
        match parent {
            None => info.top_level,
            Some(parent) => info.parents.contains(&parent),
        }
    }

    /// A sentence saying where `child` may sit, for refusals.
    pub fn placement_hint(&self, child: Kind) -> String {
        let info = self.info(child);
        let mut places: Vec<String> = info
            .parents
            .iter()
            .map(|p| with_article(self.name(*p)))
            .collect();
        if info.top_level {
            places.push("the top level of the canvas".into());
        }
        format!(
            "{} may sit in {}",
            with_article(&info.name),
            join_or(&places)
        )
    }

    /// The link rules `from` may start, with link sets expanded.
    pub fn link_rules(&self, from: Kind) -> &[LinkRule] {
        &self.expanded_links[from as usize]
    }

    /// True when a link of kind `link` may go from a `from` resource to a `to` resource.
    pub fn link_allowed(&self, from: Kind, to: Kind, link: LinkKind) -> bool {
        let to_category = self.info(to).category;
        self.link_rules(from).iter().any(|rule| {
            rule.kind == link
                && (rule.to.contains(&to) || rule.to_categories.contains(&to_category))
        })
    }

    /// The link kinds allowed from `from` to `to`, in declaration order.
    pub fn allowed_link_kinds(&self, from: Kind, to: Kind) -> Vec<LinkKind> {
        let mut kinds = Vec::new();
        for link in LinkKind::ALL {
            if self.link_allowed(from, to, *link) {
                kinds.push(*link);
            }
        }
        kinds
    }
}

/// `name` with "a" or "an" before it, by how it is spoken: "an EC2 instance", "an S3
/// bucket", "a VPC", "a NAT gateway".
pub fn with_article(name: &str) -> String {
    let first_word = name.split_whitespace().next().unwrap_or("");
    let is_acronym = first_word.len() >= 2
        && first_word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    // Acronyms said as words rather than letter by letter.
    let said_as_word = matches!(first_word, "NAT" | "WAF");
    let vowel_sound = match first_word.chars().next() {
        Some(c) if is_acronym && !said_as_word => "AEFHILMNORSX".contains(c),
        // "U" as in "user" or "unit" sounds like "you".
        Some(_) if first_word.starts_with("Us") || first_word.starts_with("Uni") => false,
        Some(c) => "AEIOUaeiou".contains(c),
        None => false,
    };
    format!("{} {name}", if vowel_sound { "an" } else { "a" })
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_is_valid() {
        if let Err(problems) = Catalog::parse(CATALOG_RON) {
            panic!("catalog problems:\n{}", problems.join("\n"));
        }
    }

    #[test]
    fn an_iam_action_without_its_service_prefix_is_refused() {
        let broken = CATALOG_RON.replacen("\"sns:Publish\"", "\"Publish\"", 1);
        let problems = Catalog::parse(&broken).err().unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`Publish` is not an IAM action")),
            "{problems:?}"
        );
    }

    #[test]
    fn containment_follows_the_aws_nesting() {
        let c = catalog();
        assert!(c.may_contain(None, Kind::Region));
        assert!(c.may_contain(Some(Kind::Region), Kind::Vpc));
        assert!(!c.may_contain(None, Kind::Vpc));
        assert!(c.may_contain(Some(Kind::Vpc), Kind::AvailabilityZone));
        assert!(c.may_contain(Some(Kind::AvailabilityZone), Kind::Subnet));
        assert!(c.may_contain(Some(Kind::Subnet), Kind::Ec2Instance));
        assert!(!c.may_contain(Some(Kind::Vpc), Kind::Ec2Instance));
        assert!(c.may_contain(Some(Kind::Region), Kind::S3Bucket));
        assert!(!c.may_contain(Some(Kind::Subnet), Kind::S3Bucket));
        assert!(c.may_contain(None, Kind::Route53HostedZone));
        assert_eq!(c.placement_hint(Kind::Vpc), "a VPC may sit in a Region");
        assert_eq!(
            c.placement_hint(Kind::AvailabilityZone),
            "an Availability Zone may sit in a VPC or a Region"
        );
    }

    #[test]
    fn articles_follow_pronunciation() {
        let cases = [
            ("EC2 instance", "an"),
            ("S3 bucket", "an"),
            ("VPC", "a"),
            ("NAT gateway", "a"),
            ("IAM role", "an"),
            ("KMS key", "a"),
            ("Auto Scaling group", "an"),
            ("Route 53 hosted zone", "a"),
            ("Users", "a"),
        ];
        for (name, article) in cases {
            assert_eq!(with_article(name), format!("{article} {name}"));
        }
    }

    #[test]
    fn links_follow_the_catalog_including_sets_and_categories() {
        let c = catalog();
        assert!(c.link_allowed(
            Kind::Users,
            Kind::ApplicationLoadBalancer,
            LinkKind::Traffic
        ));
        assert!(c.link_allowed(
            Kind::ApplicationLoadBalancer,
            Kind::AutoScalingGroup,
            LinkKind::Traffic
        ));
        assert!(
            c.link_allowed(Kind::Ec2Instance, Kind::RdsInstance, LinkKind::Traffic),
            "category rule"
        );
        assert!(c.link_allowed(Kind::S3Bucket, Kind::LambdaFunction, LinkKind::EventTrigger));
        assert!(c.link_allowed(Kind::EbsVolume, Kind::Ec2Instance, LinkKind::Attachment));
        assert!(!c.link_allowed(Kind::RdsInstance, Kind::Users, LinkKind::Traffic));
        assert!(!c.link_allowed(Kind::S3Bucket, Kind::LambdaFunction, LinkKind::Traffic));
        assert_eq!(
            c.allowed_link_kinds(Kind::S3Bucket, Kind::S3Bucket),
            vec![LinkKind::Replication]
        );
    }

    #[test]
    fn broken_catalogs_are_reported_not_accepted() {
        let problems = Catalog::parse("(categories: [], kinds: [])").unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("Region has no catalog entry"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("category Networking has no entry"))
        );
        let syntax = Catalog::parse("(categories: [").unwrap_err();
        assert!(syntax[0].starts_with("catalog.ron:1:"), "{syntax:?}");
    }
}
