//! Security rules for network exposure: security groups, network ACLs, databases in reach
//! of the internet, listeners and CloudFront.

use super::context::Ctx;
use super::{Edit, Fix, Out};
use crate::model::config::edge::{
    CloudFrontDistribution, LbProtocol, OriginAccess, ViewerProtocolPolicy,
};
use crate::model::config::network::{
    Protocol, RuleAction, RuleSource, SecurityGroup, SgRule, SubnetTier,
};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    open_ports(ctx, out);
    database_sources(ctx, out);
    behind_load_balancers(ctx, out);
    network_acls(ctx, out);
    databases_exposed(ctx, out);
    listeners(ctx, out);
    cloudfront(ctx, out);
}

/// Kinds that hold data and should sit out of the internet's reach.
pub(super) const DATABASES: [Kind; 6] = [
    Kind::RdsInstance,
    Kind::AuroraCluster,
    Kind::ElastiCacheCluster,
    Kind::MemoryDbCluster,
    Kind::DocumentDbCluster,
    Kind::NeptuneCluster,
];

/// Database engines' ports: MySQL/Aurora, PostgreSQL, SQL Server, Oracle, Redis,
/// Memcached, MongoDB/DocumentDB, Cassandra/Keyspaces, Neptune, Redshift.
const DATABASE_PORTS: [u16; 10] = [3306, 5432, 1433, 1521, 6379, 11211, 27017, 9042, 8182, 5439];

fn from_anywhere(rule: &SgRule) -> bool {
    matches!(&rule.source, RuleSource::Cidr(c) if c.trim() == "0.0.0.0/0" || c.trim() == "::/0")
}

fn covers(rule: &SgRule, port: u16) -> bool {
    matches!(rule.protocol, Protocol::Tcp | Protocol::All)
        && rule.from_port <= port
        && port <= rule.to_port
}

/// The CIDR of the VPC holding `sg`, for narrowing a rule that was open to the world.
fn vpc_cidr(ctx: &Ctx<'_>, sg: &Resource) -> Option<String> {
    match &ctx.place(sg.id.as_str()).vpc?.config {
        Config::Vpc(v) => Some(v.cidr.clone()),
        _ => None,
    }
}

/// `sg` with the inbound rules matching `which` given `source` instead.
fn with_source(sg: &SecurityGroup, which: impl Fn(&SgRule) -> bool, source: RuleSource) -> Config {
    let mut sg = sg.clone();
    for rule in sg.inbound.iter_mut().filter(|r| which(r)) {
        rule.source = source.clone();
    }
    Config::SecurityGroup(sg)
}

/// SEC001 (SSH), SEC002 (RDP), SEC003 (database ports) and SEC006 (everything) open to
/// the whole internet.
fn open_ports(ctx: &Ctx<'_>, out: &mut Out) {
    for sg in ctx.of_kind(Kind::SecurityGroup) {
        let Config::SecurityGroup(c) = &sg.config else {
            continue;
        };
        // Administrators come from the on-premises network when the diagram has one, else
        // from inside the VPC (a bastion or Session Manager).
        let admin = ctx
            .of_kind(Kind::OnPremisesDataCenter)
            .iter()
            .find_map(|dc| match &dc.config {
                Config::OnPremisesDataCenter(c) if c.cidr.parse::<ipnet::Ipv4Net>().is_ok() => {
                    Some(("the on-premises network", c.cidr.clone()))
                }
                _ => None,
            })
            .or_else(|| vpc_cidr(ctx, sg).map(|cidr| ("the VPC", cidr)));
        let narrow = |port: Option<u16>, what: &str| {
            admin.clone().map(|(from, cidr)| {
                Fix::config(
                    format!("Allow {what} only from {from} ({cidr})"),
                    &sg.id,
                    with_source(
                        c,
                        |r| from_anywhere(r) && port.is_none_or(|p| covers(r, p)),
                        RuleSource::Cidr(cidr.clone()),
                    ),
                )
            })
        };
        for rule in c.inbound.iter().filter(|r| from_anywhere(r)) {
            if rule.protocol == Protocol::All || (rule.from_port == 0 && rule.to_port == 65535) {
                out.emit(
                    "SEC006",
                    vec![sg.id.clone()],
                    format!("{} allows every port from anywhere", sg.id),
                    None,
                );
                continue;
            }
            if covers(rule, 22) {
                out.emit(
                    "SEC001",
                    vec![sg.id.clone()],
                    format!("{} allows SSH (port 22) from 0.0.0.0/0", sg.id),
                    narrow(Some(22), "SSH"),
                );
            }
            if covers(rule, 3389) {
                out.emit(
                    "SEC002",
                    vec![sg.id.clone()],
                    format!("{} allows RDP (port 3389) from 0.0.0.0/0", sg.id),
                    narrow(Some(3389), "RDP"),
                );
            }
            if let Some(port) = DATABASE_PORTS.iter().copied().find(|p| covers(rule, *p)) {
                let app = app_tier_group(ctx, sg);
                let fix = match app {
                    Some(app) => Some(Fix::config(
                        format!("Allow port {port} only from {}", app.id),
                        &sg.id,
                        with_source(
                            c,
                            |r| from_anywhere(r) && covers(r, port),
                            RuleSource::SecurityGroup(app.id.clone()),
                        ),
                    )),
                    None => narrow(Some(port), &format!("port {port}")),
                };
                out.emit(
                    "SEC003",
                    vec![sg.id.clone()],
                    format!("{} allows database port {port} from 0.0.0.0/0", sg.id),
                    fix,
                );
            }
        }
    }
}

/// The databases a security group protects.
fn databases_using<'a>(ctx: &Ctx<'a>, sg: &Resource) -> Vec<&'a Resource> {
    DATABASES
        .iter()
        .flat_map(|k| ctx.of_kind(*k))
        .copied()
        .filter(|db| ctx.security_groups_of(db).iter().any(|g| g.id == sg.id))
        .collect()
}

/// The one security group of the tier that sends traffic to the databases `sg` protects.
fn app_tier_group<'a>(ctx: &Ctx<'a>, sg: &Resource) -> Option<&'a Resource> {
    let mut groups: Vec<&Resource> = databases_using(ctx, sg)
        .iter()
        .flat_map(|db| ctx.sources(db.id.as_str(), LinkKind::Traffic))
        .flat_map(|client| ctx.security_groups_of(client))
        .filter(|g| g.id != sg.id)
        .collect();
    groups.sort_by_key(|g| &g.id);
    groups.dedup_by_key(|g| &g.id);
    (groups.len() == 1).then(|| groups[0])
}

/// SEC004: a database's security group admits address ranges rather than the app tier's
/// security group.
fn database_sources(ctx: &Ctx<'_>, out: &mut Out) {
    for sg in ctx.of_kind(Kind::SecurityGroup) {
        let Config::SecurityGroup(c) = &sg.config else {
            continue;
        };
        if databases_using(ctx, sg).is_empty() {
            continue;
        }
        let cidr_rules: Vec<&SgRule> = c
            .inbound
            .iter()
            .filter(|r| matches!(r.source, RuleSource::Cidr(_)) && !from_anywhere(r))
            .collect();
        if cidr_rules.is_empty() {
            continue;
        }
        let fix = app_tier_group(ctx, sg).map(|app| {
            Fix::config(
                format!("Admit {} instead of address ranges", app.id),
                &sg.id,
                with_source(
                    c,
                    |r| matches!(r.source, RuleSource::Cidr(_)) && !from_anywhere(r),
                    RuleSource::SecurityGroup(app.id.clone()),
                ),
            )
        });
        out.emit(
            "SEC004",
            vec![sg.id.clone()],
            format!(
                "database security group {} admits {} by address range; name the app tier's security group instead",
                sg.id,
                cidr_rules
                    .iter()
                    .filter_map(|r| match &r.source {
                        RuleSource::Cidr(c) => Some(c.as_str()),
                        RuleSource::SecurityGroup(_) => None,
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            fix,
        );
    }
}

/// SEC005: targets of a load balancer admit requests from anywhere, not only from the load
/// balancer's security group.
fn behind_load_balancers(ctx: &Ctx<'_>, out: &mut Out) {
    for kind in [Kind::ApplicationLoadBalancer, Kind::ClassicLoadBalancer] {
        for lb in ctx.of_kind(kind) {
            let lb_groups = ctx.security_groups_of(lb);
            for target in ctx.targets(lb.id.as_str(), LinkKind::Traffic) {
                for sg in ctx.security_groups_of(target) {
                    let Config::SecurityGroup(c) = &sg.config else {
                        continue;
                    };
                    if lb_groups.iter().any(|g| g.id == sg.id) {
                        continue; // Shared with the load balancer: SEC001/SEC003 speak for it.
                    }
                    let open: Vec<&SgRule> = c
                        .inbound
                        .iter()
                        .filter(|r| from_anywhere(r) && ![22, 3389].contains(&r.from_port))
                        .collect();
                    if open.is_empty() {
                        continue;
                    }
                    let fix = lb_groups.first().map(|g| {
                        Fix::config(
                            format!("Admit only {}", g.id),
                            &sg.id,
                            with_source(
                                c,
                                |r| from_anywhere(r) && ![22, 3389].contains(&r.from_port),
                                RuleSource::SecurityGroup(g.id.clone()),
                            ),
                        )
                    });
                    out.emit(
                        "SEC005",
                        vec![sg.id.clone(), target.id.clone(), lb.id.clone()],
                        format!(
                            "{} sits behind {} but its group {} admits port {} from anywhere",
                            target.id, lb.id, sg.id, open[0].from_port
                        ),
                        fix,
                    );
                }
            }
        }
    }
}

/// SEC007: a network ACL is stateless, so allowed requests need their replies allowed on
/// the ephemeral ports the other way.
fn network_acls(ctx: &Ctx<'_>, out: &mut Out) {
    for acl in ctx.of_kind(Kind::NetworkAcl) {
        let Config::NetworkAcl(c) = &acl.config else {
            continue;
        };
        let allows_ephemeral = |rules: &[crate::model::config::network::NaclRule]| {
            let mut sorted: Vec<_> = rules.iter().collect();
            sorted.sort_by_key(|r| r.rule_number);
            // The first matching rule wins: find what decides a reply on port 32768.
            sorted
                .iter()
                .find(|r| {
                    matches!(r.protocol, Protocol::Tcp | Protocol::All)
                        && r.from_port <= 32768
                        && 32768 <= r.to_port
                })
                .is_some_and(|r| r.action == RuleAction::Allow)
        };
        let serves = c.inbound.iter().any(|r| r.action == RuleAction::Allow);
        if serves && !allows_ephemeral(&c.outbound) {
            out.emit(
                "SEC007",
                vec![acl.id.clone()],
                format!(
                    "{} allows requests in but no replies out on ephemeral ports 1024-65535; network ACLs do not remember connections",
                    acl.id
                ),
                None,
            );
        }
    }
}

/// A private subnet in the same AZ as `subnet`.
fn private_twin<'a>(ctx: &Ctx<'a>, subnet: &Resource) -> Option<&'a Resource> {
    let az = ctx.place(subnet.id.as_str()).az?;
    ctx.of_kind(Kind::Subnet).iter().copied().find(|s| {
        Ctx::tier(s) == Some(SubnetTier::Private)
            && ctx.place(s.id.as_str()).az.map(|a| &a.id) == Some(&az.id)
    })
}

/// SEC019 (publicly accessible databases) and SEC020 (databases in public subnets).
fn databases_exposed(ctx: &Ctx<'_>, out: &mut Out) {
    for kind in DATABASES {
        for db in ctx.of_kind(kind) {
            match &db.config {
                Config::RdsInstance(c) if c.publicly_accessible => {
                    let mut fixed = c.clone();
                    fixed.publicly_accessible = false;
                    out.emit(
                        "SEC019",
                        vec![db.id.clone()],
                        format!("{} is publicly accessible: it gets a public address", db.id),
                        Some(Fix::config(
                            "Turn off public access",
                            &db.id,
                            Config::RdsInstance(fixed),
                        )),
                    );
                }
                Config::AuroraCluster(c) if c.publicly_accessible => {
                    let mut fixed = c.clone();
                    fixed.publicly_accessible = false;
                    out.emit(
                        "SEC019",
                        vec![db.id.clone()],
                        format!("{} is publicly accessible: it gets a public address", db.id),
                        Some(Fix::config(
                            "Turn off public access",
                            &db.id,
                            Config::AuroraCluster(fixed),
                        )),
                    );
                }
                _ => {}
            }
            let public: Vec<&Resource> = ctx
                .subnets_of(db)
                .into_iter()
                .filter(|s| Ctx::tier(s) == Some(SubnetTier::Public))
                .collect();
            if public.is_empty() {
                continue;
            }
            let mut ids = vec![db.id.clone()];
            ids.extend(public.iter().map(|s| s.id.clone()));
            out.emit(
                "SEC020",
                ids,
                format!(
                    "{} uses public subnet(s) {}; databases belong in private subnets",
                    db.id,
                    public
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                private_subnet_fix(ctx, db, &public),
            );
        }
    }
}

/// Moves a database to private subnets of the same AZs: out of the public subnet it is
/// drawn in, and its subnet list with each public subnet swapped for a private twin.
fn private_subnet_fix(ctx: &Ctx<'_>, db: &Resource, public: &[&Resource]) -> Option<Fix> {
    let mut edits = Vec::new();
    let twin = |s: &Resource| private_twin(ctx, s).map(|t| t.id.clone());
    let swap = |list: &[ResourceId]| -> Option<Vec<ResourceId>> {
        let mut swapped = Vec::new();
        for id in list {
            let replacement = match public.iter().find(|p| &p.id == id) {
                Some(p) => twin(p)?,
                None => id.clone(),
            };
            if !swapped.contains(&replacement) {
                swapped.push(replacement);
            }
        }
        Some(swapped)
    };
    let config = match &db.config {
        Config::RdsInstance(c) => {
            let mut c = c.clone();
            c.subnets = swap(&c.subnets)?;
            Config::RdsInstance(c)
        }
        Config::AuroraCluster(c) => {
            let mut c = c.clone();
            c.subnets = swap(&c.subnets)?;
            Config::AuroraCluster(c)
        }
        Config::ElastiCacheCluster(c) => {
            let mut c = c.clone();
            c.subnets = swap(&c.subnets)?;
            Config::ElastiCacheCluster(c)
        }
        _ => return None,
    };
    if config != db.config {
        edits.push(Edit::SetConfig {
            id: db.id.clone(),
            config,
        });
    }
    if let Some(drawn_in) = ctx.place(db.id.as_str()).subnet
        && Ctx::tier(drawn_in) == Some(SubnetTier::Public)
    {
        edits.push(Edit::Move {
            id: db.id.clone(),
            parent: twin(drawn_in)?,
        });
    }
    (!edits.is_empty()).then(|| Fix {
        label: "Move to private subnets in the same AZs".into(),
        edits,
    })
}

/// SEC023 (HTTPS and TLS listeners need a certificate), SEC030 (security groups admit
/// the listener ports) and SEC028 (internet-facing load
/// balancers speak HTTPS).
fn listeners(ctx: &Ctx<'_>, out: &mut Out) {
    for lb in ctx
        .of_kind(Kind::ApplicationLoadBalancer)
        .iter()
        .chain(ctx.of_kind(Kind::NetworkLoadBalancer))
        .chain(ctx.of_kind(Kind::ClassicLoadBalancer))
    {
        let (listeners, internet_facing) = match &lb.config {
            Config::ApplicationLoadBalancer(c) => (
                &c.listeners,
                c.scheme == crate::model::config::edge::LbScheme::InternetFacing,
            ),
            Config::NetworkLoadBalancer(c) => (&c.listeners, false),
            Config::ClassicLoadBalancer(c) => (
                &c.listeners,
                c.scheme == crate::model::config::edge::LbScheme::InternetFacing,
            ),
            _ => continue,
        };
        for l in listeners {
            if matches!(l.protocol, LbProtocol::Https | LbProtocol::Tls) && l.certificate.is_none()
            {
                out.emit(
                    "SEC023",
                    vec![lb.id.clone()],
                    format!(
                        "{} has a {:?} listener on port {} without a certificate",
                        lb.id, l.protocol, l.port
                    ),
                    None,
                );
            }
        }
        let groups = ctx.security_groups_of(lb);
        if !groups.is_empty() {
            for l in listeners {
                let admitted = groups.iter().any(|g| match &g.config {
                    Config::SecurityGroup(sg) => sg.inbound.iter().any(|r| covers(r, l.port)),
                    _ => false,
                });
                if !admitted {
                    out.emit(
                        "SEC030",
                        vec![lb.id.clone()],
                        format!(
                            "{} listens on port {} but none of its security groups admits that port",
                            lb.id, l.port
                        ),
                        None,
                    );
                }
            }
        }
        let plain_only = !listeners.is_empty()
            && listeners
                .iter()
                .all(|l| l.protocol == LbProtocol::Http && !l.redirect_to_https);
        if internet_facing
            && plain_only
            && ctx
                .sources(lb.id.as_str(), LinkKind::Traffic)
                .next()
                .is_some()
        {
            out.emit(
                "SEC028",
                vec![lb.id.clone()],
                format!("internet-facing {} serves only plain HTTP", lb.id),
                None,
            );
        }
    }
}

/// SEC021 (viewers may use plain HTTP) and SEC022 (an S3 origin open to all, not only to
/// CloudFront).
fn cloudfront(ctx: &Ctx<'_>, out: &mut Out) {
    for cdn in ctx.of_kind(Kind::CloudFrontDistribution) {
        let Config::CloudFrontDistribution(c) = &cdn.config else {
            continue;
        };
        if c.viewer_protocol_policy == ViewerProtocolPolicy::AllowAll {
            out.emit(
                "SEC021",
                vec![cdn.id.clone()],
                format!("{} lets viewers use plain HTTP", cdn.id),
                Some(Fix::config(
                    "Redirect HTTP to HTTPS",
                    &cdn.id,
                    Config::CloudFrontDistribution(CloudFrontDistribution {
                        viewer_protocol_policy: ViewerProtocolPolicy::RedirectToHttps,
                        ..c.clone()
                    }),
                )),
            );
        }
        let bucket = ctx
            .targets(cdn.id.as_str(), LinkKind::Traffic)
            .find(|t| t.kind() == Kind::S3Bucket);
        if let Some(bucket) = bucket
            && c.origin_access == OriginAccess::None
            && !matches!(&bucket.config, Config::S3Bucket(b) if b.website_hosting)
        {
            out.emit(
                "SEC022",
                vec![cdn.id.clone(), bucket.id.clone()],
                format!(
                    "{} reads bucket {} without origin access control, so the bucket must be open to everyone",
                    cdn.id, bucket.id
                ),
                Some(Fix::config(
                    "Use origin access control (OAC)",
                    &cdn.id,
                    Config::CloudFrontDistribution(CloudFrontDistribution {
                        origin_access: OriginAccess::Oac,
                        ..c.clone()
                    }),
                )),
            );
        }
    }
}
