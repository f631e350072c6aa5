//! Whether the network lets a request along a traffic link: routes, security groups and
//! network ACLs between the two resources, decided as AWS decides them, with the reason
//! when it does not. The validator reports blocked links; the simulation fails the
//! requests that take them.
//!
//! Security groups are stateful: the sender's outbound rules and the receiver's inbound
//! rules must allow the request, and replies pass. Network ACLs are stateless: each
//! subnet's rules are read in order and the first match decides, for the request and for
//! the reply on an ephemeral port (VPC user guide: security groups, network ACLs).
//! A rule admits a sender when its range holds all of the sender's addresses: a subnet's
//! whole block, the on-premises block, or for the internet only 0.0.0.0/0.

use ipnet::Ipv4Net;

use crate::model::config::database::{AuroraEngine, CacheEngine, RdsEngine};
use crate::model::config::edge::LbScheme;
use crate::model::config::network::{NaclRule, Protocol, RuleAction, RuleSource, SgRule};
use crate::model::refs::References;
use crate::model::{Config, Diagram, Kind, Resource, ResourceId};

/// A port replies come back to (inside the ephemeral range 1024–65535).
const EPHEMERAL_PORT: u16 = 32768;

/// AWS service endpoints are reached over HTTPS.
const HTTPS: u16 = 443;

/// What happens to a request along a link, from one place its sender runs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Passage {
    /// The network lets it through.
    Open,
    /// A rule or a missing route stops it.
    Blocked {
        /// The security group, network ACL, subnet or resource to change.
        by: ResourceId,
        /// In words: "db-sg does not allow TCP 3306 from app-sg".
        why: String,
    },
    /// It leaves the VPC through a NAT gateway, and fails while that gateway is out.
    ViaNat {
        /// The NAT gateway.
        nat: ResourceId,
    },
}

/// A traffic link's passage from each AZ its sender runs in (`None`: the sender is not in
/// an AZ, such as users on the internet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkReach {
    /// The AZ and the passage from there.
    pub from: Vec<(Option<ResourceId>, Passage)>,
}

impl LinkReach {
    /// The first blocked passage, if any place is blocked.
    pub fn blocked(&self) -> Option<(&ResourceId, &str)> {
        self.from.iter().find_map(|(_, p)| match p {
            Passage::Blocked { by, why } => Some((by, why.as_str())),
            _ => None,
        })
    }
}

/// Where a request comes from, as the network sees it.
enum Origin<'d> {
    /// The internet (users, CloudFront, API Gateway, a function outside any VPC).
    Internet,
    /// An on-premises network over VPN or Direct Connect.
    OnPremises(&'d Resource, Ipv4Net),
    /// A subnet, with the sender's security groups.
    Subnet {
        subnet: &'d Resource,
        range: Ipv4Net,
        groups: Vec<&'d Resource>,
    },
}

/// The security groups a resource belongs to: the groups its settings name (an Auto Scaling
/// group: its launch template's). Read from the configuration's references, so a new kind
/// that names security groups is covered without a line here.
pub fn security_groups<'d>(d: &'d Diagram, r: &Resource) -> Vec<&'d Resource> {
    match &r.config {
        Config::AutoScalingGroup(c) => c
            .launch_template
            .as_ref()
            .and_then(|t| d.resource(t.as_str()))
            .map(|t| security_groups(d, t))
            .unwrap_or_default(),
        // A group's own references are its rules' sources, not groups it belongs to.
        Config::SecurityGroup(_) => Vec::new(),
        config => {
            let mut groups: Vec<&Resource> = Vec::new();
            config.for_each_ref(&mut |id| {
                if let Some(g) = d.resource(id.as_str())
                    && g.kind() == Kind::SecurityGroup
                    && !groups.iter().any(|seen| seen.id == g.id)
                {
                    groups.push(g);
                }
            });
            groups
        }
    }
}

/// The subnets a resource runs in: those its configuration names, or the one it is drawn
/// in.
pub fn subnets<'d>(d: &'d Diagram, r: &Resource) -> Vec<&'d Resource> {
    let mut out: Vec<&Resource> = r
        .config
        .references()
        .iter()
        .filter_map(|id| d.resource(id.as_str()))
        .filter(|s| s.kind() == Kind::Subnet)
        .collect();
    if out.is_empty()
        && let Some(s) = d.enclosing(r.id.as_str(), Kind::Subnet)
    {
        out.push(s);
    }
    out
}

fn range_of(subnet: &Resource) -> Option<Ipv4Net> {
    match &subnet.config {
        Config::Subnet(s) => s.cidr.trim().parse().ok(),
        _ => None,
    }
}

/// The AWS service endpoint a kind is reached at, for kinds that live outside VPCs (the
/// catalog's `endpoint`).
fn public_service(kind: Kind) -> Option<&'static str> {
    crate::model::catalog::catalog()
        .info(kind)
        .endpoint
        .as_deref()
}

/// The ports a resource in a VPC takes requests on; none for what is not a network
/// endpoint in a VPC, or whose ports are not modelled.
fn ports(d: &Diagram, r: &Resource) -> Vec<u16> {
    let listeners = |ls: &[crate::model::config::edge::Listener]| -> Vec<u16> {
        ls.iter().map(|l| l.port).collect()
    };
    match &r.config {
        Config::ApplicationLoadBalancer(c) => listeners(&c.listeners),
        Config::NetworkLoadBalancer(c) => listeners(&c.listeners),
        Config::ClassicLoadBalancer(c) => listeners(&c.listeners),
        Config::Ec2Instance(c) => vec![c.app.port],
        Config::AutoScalingGroup(c) => c
            .launch_template_in(d)
            .map(|t| vec![t.app.port])
            .unwrap_or_default(),
        Config::EcsService(c) => c
            .task_definition_in(d)
            .map(|t| t.containers.iter().map(|c| c.port).collect())
            .unwrap_or_default(),
        Config::RdsInstance(c) => vec![match c.engine {
            RdsEngine::MySql | RdsEngine::MariaDb => 3306,
            RdsEngine::PostgreSql => 5432,
            RdsEngine::Oracle => 1521,
            RdsEngine::SqlServer => 1433,
            RdsEngine::Db2 => 50000,
        }],
        Config::AuroraCluster(c) => vec![match c.engine {
            AuroraEngine::AuroraMySql => 3306,
            AuroraEngine::AuroraPostgreSql => 5432,
        }],
        Config::ElastiCacheCluster(c) => vec![match c.engine {
            CacheEngine::Redis | CacheEngine::Valkey => 6379,
            CacheEngine::Memcached => 11211,
        }],
        Config::MemoryDbCluster(_) => vec![6379],
        Config::DocumentDbCluster(_) => vec![27017],
        Config::NeptuneCluster(_) => vec![8182],
        Config::EfsFileSystem(_) => vec![2049],
        // Not a network endpoint in a VPC: places, plumbing and gateways that traffic
        // passes through, services reached at a Regional endpoint (checked as such), a
        // function invoked through its API, and what sits outside AWS.
        Config::Region(_)
        | Config::Vpc(_)
        | Config::AvailabilityZone(_)
        | Config::Subnet(_)
        | Config::InternetGateway(_)
        | Config::NatGateway(_)
        | Config::RouteTable(_)
        | Config::NetworkAcl(_)
        | Config::SecurityGroup(_)
        | Config::ElasticIp(_)
        | Config::VpcPeering(_)
        | Config::VirtualPrivateGateway(_)
        | Config::TransitGateway(_)
        | Config::SiteToSiteVpn(_)
        | Config::CustomerGateway(_)
        | Config::DirectConnect(_)
        | Config::Route53HostedZone(_)
        | Config::CloudFrontDistribution(_)
        | Config::LaunchTemplate(_)
        | Config::LambdaFunction(_)
        | Config::EcsCluster(_)
        | Config::EcsTaskDefinition(_)
        | Config::EcrRepository(_)
        | Config::S3Bucket(_)
        | Config::EbsVolume(_)
        | Config::InstanceStore(_)
        | Config::GlacierVault(_)
        | Config::DynamoDbTable(_)
        | Config::KeyspacesTable(_)
        | Config::TimestreamDatabase(_)
        | Config::QldbLedger(_)
        | Config::SqsQueue(_)
        | Config::EventBridgeBus(_)
        | Config::StepFunctionsStateMachine(_)
        | Config::SnsTopic(_)
        | Config::ApiGateway(_)
        | Config::CloudWatchAlarm(_)
        | Config::CloudWatchDashboard(_)
        | Config::CloudWatchLogGroup(_)
        | Config::CloudTrail(_)
        | Config::IamUser(_)
        | Config::IamGroup(_)
        | Config::IamRole(_)
        | Config::IamPolicy(_)
        | Config::RootUser(_)
        | Config::KmsKey(_)
        | Config::SecretsManagerSecret(_)
        | Config::AcmCertificate(_)
        | Config::WafWebAcl(_)
        | Config::AthenaWorkgroup(_)
        | Config::Users(_)
        | Config::OnPremisesDataCenter(_) => Vec::new(),
        // In a VPC, at ports this program does not model yet: links to them are not
        // checked against security groups and ACLs.
        Config::NetworkInterface(_)
        | Config::VpcEndpoint(_)
        | Config::GatewayLoadBalancer(_)
        | Config::FsxFileSystem(_)
        | Config::EksCluster(_)
        | Config::ElasticBeanstalkEnvironment(_) => Vec::new(),
    }
}

/// Whether a rule of `protocol` over `from..=to` covers a TCP request to `port`.
fn covers(protocol: Protocol, from: u16, to: u16, port: u16) -> bool {
    matches!(protocol, Protocol::Tcp | Protocol::All) && from <= port && port <= to
}

/// Whether `rule_range` holds every address of `range`.
fn holds(rule_range: &str, range: &Ipv4Net) -> bool {
    rule_range
        .trim()
        .parse::<Ipv4Net>()
        .is_ok_and(|r| r.contains(range))
}

/// The first of a network ACL's rules (in rule-number order) that matches decides; none
/// matching denies (the final `*` rule).
fn nacl_allows(rules: &[NaclRule], port: u16, range: &Ipv4Net) -> bool {
    let mut sorted: Vec<&NaclRule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.rule_number);
    sorted
        .iter()
        .find(|r| covers(r.protocol, r.from_port, r.to_port, port) && holds(&r.cidr, range))
        .is_some_and(|r| r.action == RuleAction::Allow)
}

fn internet() -> Ipv4Net {
    Ipv4Net::default()
}

/// A subnet's network ACL, if it has one of its own (the default ACL allows everything).
fn acl_of<'d>(d: &'d Diagram, subnet: &Resource) -> Option<&'d Resource> {
    match &subnet.config {
        Config::Subnet(s) => s.network_acl.as_ref().and_then(|a| d.resource(a.as_str())),
        _ => None,
    }
}

/// Checks a subnet's network ACL for a request crossing into it (`inbound`) or out of it.
fn check_acl(
    d: &Diagram,
    subnet: &Resource,
    inbound: bool,
    port: u16,
    other: &Ipv4Net,
) -> Result<(), Passage> {
    let Some(acl) = acl_of(d, subnet) else {
        return Ok(());
    };
    let Config::NetworkAcl(c) = &acl.config else {
        return Ok(());
    };
    // The request one way, its reply the other way to an ephemeral port.
    let (request_rules, reply_rules) = if inbound {
        (&c.inbound, &c.outbound)
    } else {
        (&c.outbound, &c.inbound)
    };
    let (into, out_of) = if inbound {
        ("into", "out of")
    } else {
        ("out of", "into")
    };
    if !nacl_allows(request_rules, port, other) {
        return Err(Passage::Blocked {
            by: acl.id.clone(),
            why: format!(
                "{} denies TCP {port} {into} {} for {other}",
                acl.id, subnet.id
            ),
        });
    }
    if !nacl_allows(reply_rules, EPHEMERAL_PORT, other) {
        return Err(Passage::Blocked {
            by: acl.id.clone(),
            why: format!(
                "{} denies the replies {out_of} {} on ephemeral ports for {other} (network ACLs are stateless)",
                acl.id, subnet.id
            ),
        });
    }
    Ok(())
}

/// Whether a security group rule's source (or destination) is the sender (receiver).
fn rule_matches(rule: &SgRule, port: u16, groups: &[&Resource], range: &Ipv4Net) -> bool {
    covers(rule.protocol, rule.from_port, rule.to_port, port)
        && match &rule.source {
            RuleSource::SecurityGroup(g) => groups.iter().any(|x| &x.id == g),
            RuleSource::Cidr(c) => holds(c, range),
        }
}

fn sg_rules(sg: &Resource, inbound: bool) -> &[SgRule] {
    match &sg.config {
        Config::SecurityGroup(c) if inbound => &c.inbound,
        Config::SecurityGroup(c) => &c.outbound,
        _ => &[],
    }
}

/// Whether any of `groups` has a rule (inbound, or outbound) for TCP `port` with the
/// other end: one of `peer_groups`, or a range holding all of `range`. No group at all
/// leaves the question to a default the diagram does not show, so it passes.
fn groups_allow(
    groups: &[&Resource],
    inbound: bool,
    port: u16,
    peer_groups: &[&Resource],
    range: &Ipv4Net,
) -> bool {
    groups.is_empty()
        || groups.iter().any(|g| {
            sg_rules(g, inbound)
                .iter()
                .any(|r| rule_matches(r, port, peer_groups, range))
        })
}

/// "sg does not" or "none of a, b does", to go before "allow …".
fn refusing(groups: &[&Resource]) -> String {
    match groups {
        [one] => format!("{} does not", one.id),
        _ => format!(
            "none of {} does",
            groups
                .iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The receiver's security groups must admit the sender on `port`.
fn check_inbound(
    groups: &[&Resource],
    port: u16,
    sender_groups: &[&Resource],
    range: &Ipv4Net,
    sender: &str,
) -> Result<(), Passage> {
    if groups_allow(groups, true, port, sender_groups, range) {
        return Ok(());
    }
    Err(Passage::Blocked {
        by: groups[0].id.clone(),
        why: format!("{} allow TCP {port} from {sender}", refusing(groups)),
    })
}

/// The sender's security groups must let the request out to the receiver on `port`.
fn check_outbound(
    groups: &[&Resource],
    port: u16,
    receiver_groups: &[&Resource],
    range: &Ipv4Net,
    receiver: &str,
) -> Result<(), Passage> {
    if groups_allow(groups, false, port, receiver_groups, range) {
        return Ok(());
    }
    Err(Passage::Blocked {
        by: groups[0].id.clone(),
        why: format!("{} allow TCP {port} out to {receiver}", refusing(groups)),
    })
}

/// The route table's target for the internet (0.0.0.0/0), if any.
fn default_route<'d>(d: &'d Diagram, subnet: &Resource) -> Option<&'d Resource> {
    let Config::Subnet(s) = &subnet.config else {
        return None;
    };
    let table = d.resource(s.route_table.as_ref()?.as_str())?;
    let Config::RouteTable(t) = &table.config else {
        return None;
    };
    t.routes
        .iter()
        .filter(|r| holds(&r.destination, &internet()))
        .find_map(|r| d.resource(r.target.as_str()))
}

/// How a request from `subnet` reaches AWS service `service` outside the VPC.
fn to_service(
    d: &Diagram,
    subnet: &Resource,
    (groups, range): (&[&Resource], &Ipv4Net),
    service: &str,
    receiver: &Resource,
) -> Passage {
    let vpc = d.enclosing(subnet.id.as_str(), Kind::Vpc);
    // A VPC endpoint for the service keeps the request inside AWS's network; an interface
    // endpoint (its private DNS answering for the service) must admit the sender through
    // its security groups.
    let endpoint = d.resources().find_map(|e| match &e.config {
        Config::VpcEndpoint(c)
            if c.service.trim().eq_ignore_ascii_case(service)
                && d.enclosing(e.id.as_str(), Kind::Vpc).map(|v| &v.id) == vpc.map(|v| &v.id) =>
        {
            Some((e, c))
        }
        _ => None,
    });
    if let Some((e, c)) = endpoint {
        if c.endpoint_type != crate::model::config::network::EndpointType::Interface {
            return Passage::Open;
        }
        let endpoint_groups: Vec<&Resource> = c
            .security_groups
            .iter()
            .filter_map(|g| d.resource(g.as_str()))
            .collect();
        return if groups_allow(&endpoint_groups, true, HTTPS, groups, range) {
            Passage::Open
        } else {
            Passage::Blocked {
                by: e.id.clone(),
                why: format!(
                    "{} allow HTTPS ({HTTPS}) from {} to endpoint {}",
                    refusing(&endpoint_groups),
                    subnet.id,
                    e.id
                ),
            }
        };
    }
    match default_route(d, subnet) {
        Some(t) if t.kind() == Kind::NatGateway => Passage::ViaNat { nat: t.id.clone() },
        // An internet gateway, a transit gateway or a peering: out of our hands.
        Some(_) => Passage::Open,
        None => Passage::Blocked {
            by: subnet.id.clone(),
            why: format!(
                "{} has no route to {} ({service}): add a NAT gateway route or a VPC endpoint",
                subnet.id, receiver.id
            ),
        },
    }
}

/// The origin of requests `sender` sends, per subnet it runs in.
fn origins<'d>(d: &'d Diagram, sender: &'d Resource) -> Vec<Origin<'d>> {
    if let Config::OnPremisesDataCenter(c) = &sender.config {
        return match c.cidr.trim().parse() {
            Ok(range) => vec![Origin::OnPremises(sender, range)],
            Err(_) => vec![Origin::Internet],
        };
    }
    let groups = security_groups(d, sender);
    let inside: Vec<Origin> = subnets(d, sender)
        .into_iter()
        .filter_map(|subnet| {
            range_of(subnet).map(|range| Origin::Subnet {
                subnet,
                range,
                groups: groups.clone(),
            })
        })
        .collect();
    if inside.is_empty() {
        vec![Origin::Internet]
    } else {
        inside
    }
}

/// Whether the network lets requests from `sender` reach `receiver`.
pub fn link(d: &Diagram, sender: &Resource, receiver: &Resource) -> LinkReach {
    let from = origins(d, sender)
        .into_iter()
        .map(|origin| {
            let az = match &origin {
                Origin::Subnet { subnet, .. } => d
                    .enclosing(subnet.id.as_str(), Kind::AvailabilityZone)
                    .map(|a| a.id.clone()),
                _ => None,
            };
            (az, passage(d, &origin, sender, receiver))
        })
        .collect();
    LinkReach { from }
}

fn passage(d: &Diagram, origin: &Origin<'_>, sender: &Resource, receiver: &Resource) -> Passage {
    if let Some(service) = public_service(receiver.kind()) {
        return match origin {
            Origin::Subnet {
                subnet,
                groups,
                range,
            } => {
                let out = check_outbound(groups, HTTPS, &[], &internet(), service)
                    .and_then(|()| check_acl(d, subnet, false, HTTPS, &internet()));
                match out {
                    Err(blocked) => blocked,
                    Ok(()) => to_service(d, subnet, (groups, range), service, receiver),
                }
            }
            _ => Passage::Open,
        };
    }
    let ports = ports(d, receiver);
    let targets = subnets(d, receiver);
    if ports.is_empty() || targets.is_empty() {
        // Not a network endpoint of a VPC (DNS, a CDN) or not placed: nothing to check.
        return Passage::Open;
    }
    let receiver_groups = security_groups(d, receiver);
    let mut first_blocked = None;
    for port in &ports {
        for target in &targets {
            let Some(target_range) = range_of(target) else {
                return Passage::Open;
            };
            let entry = Entry {
                resource: receiver,
                groups: &receiver_groups,
                port: *port,
                subnet: target,
                range: target_range,
            };
            match through(d, origin, sender, &entry) {
                Ok(()) => return Passage::Open,
                Err(blocked) => {
                    first_blocked.get_or_insert(blocked);
                }
            }
        }
    }
    first_blocked.unwrap_or(Passage::Open)
}

/// One way into the receiver: a port it listens on, in one of its subnets.
struct Entry<'a> {
    resource: &'a Resource,
    groups: &'a [&'a Resource],
    port: u16,
    subnet: &'a Resource,
    range: Ipv4Net,
}

/// Every check for one way into the receiver.
fn through(
    d: &Diagram,
    origin: &Origin<'_>,
    sender: &Resource,
    entry: &Entry<'_>,
) -> Result<(), Passage> {
    let Entry {
        resource: receiver,
        groups: receiver_groups,
        port,
        subnet: target,
        range: target_range,
    } = *entry;
    let target_range = &target_range;
    match origin {
        Origin::Internet => {
            let public_lb = match &receiver.config {
                Config::ApplicationLoadBalancer(c) => Some(c.scheme == LbScheme::InternetFacing),
                Config::NetworkLoadBalancer(c) => Some(c.scheme == LbScheme::InternetFacing),
                Config::ClassicLoadBalancer(c) => Some(c.scheme == LbScheme::InternetFacing),
                _ => None,
            };
            if public_lb == Some(false) {
                return Err(Passage::Blocked {
                    by: receiver.id.clone(),
                    why: format!(
                        "{} is an internal load balancer: {} reaches it only from inside the VPC",
                        receiver.id, sender.id
                    ),
                });
            }
            let routed =
                default_route(d, target).is_some_and(|t| t.kind() == Kind::InternetGateway);
            if !routed {
                let outside = if sender.kind() == Kind::LambdaFunction {
                    format!("{} runs outside the VPC, and ", sender.id)
                } else {
                    String::new()
                };
                return Err(Passage::Blocked {
                    by: target.id.clone(),
                    why: format!(
                        "{outside}{} is in {}, which has no route to an internet gateway: nothing from the internet reaches it",
                        receiver.id, target.id
                    ),
                });
            }
            check_inbound(
                receiver_groups,
                port,
                &[],
                &internet(),
                "the internet (0.0.0.0/0)",
            )?;
            check_acl(d, target, true, port, &internet())
        }
        Origin::OnPremises(dc, range) => {
            check_inbound(
                receiver_groups,
                port,
                &[],
                range,
                &format!("{} ({range})", dc.id),
            )?;
            check_acl(d, target, true, port, range)
        }
        Origin::Subnet {
            subnet,
            range,
            groups,
        } => {
            let sender_name = match groups.first() {
                Some(g) => g.id.to_string(),
                None => format!("{} ({range})", subnet.id),
            };
            check_outbound(
                groups,
                port,
                receiver_groups,
                target_range,
                receiver.id.as_str(),
            )?;
            check_inbound(receiver_groups, port, groups, range, &sender_name)?;
            if subnet.id != target.id {
                check_acl(d, subnet, false, port, target_range)?;
                check_acl(d, target, true, port, range)?;
            }
            Ok(())
        }
    }
}
