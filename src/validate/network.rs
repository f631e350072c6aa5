//! Network rules: address ranges, routes, gateways, peering and hybrid links.

use std::collections::{BTreeSet, HashMap};

use ipnet::Ipv4Net;

use super::context::Ctx;
use super::{Edit, Fix, Out};
use crate::model::config::network::{NatConnectivity, Route, RouteTable, Subnet, SubnetTier, Vpc};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    let ranges = address_ranges(ctx, out);
    subnets_inside_and_apart(ctx, &ranges, out);
    zones_in_region(ctx, out);
    public_routes(ctx, out);
    route_tables(ctx, out);
    nat_gateways(ctx, out);
    private_egress(ctx, out);
    peering(ctx, &ranges, out);
    hybrid(ctx, out);
    default_vpcs(ctx, out);
    gateways_per_vpc(ctx, out);
    blocked_links(ctx, out);
}

/// NET018: a traffic link that security groups, network ACLs or routes stop, as the
/// simulation would find out request by request — and a queue's instances that cannot
/// poll it (they call the queue, against the trigger link's direction).
fn blocked_links(ctx: &Ctx<'_>, out: &mut Out) {
    for link in ctx.d.links() {
        let (Some(a), Some(b)) = (
            ctx.d.resource(link.from.as_str()),
            ctx.d.resource(link.to.as_str()),
        ) else {
            continue;
        };
        let polls = link.kind == LinkKind::EventTrigger
            && a.kind() == Kind::SqsQueue
            && matches!(b.kind(), Kind::AutoScalingGroup | Kind::Ec2Instance);
        let (from, to, what) = match link.kind {
            LinkKind::Traffic => (a, b, "requests"),
            _ if polls => (b, a, "polls"),
            _ => continue,
        };
        let verdict = crate::reach::link(ctx.d, from, to);
        if let Some((by, why)) = verdict.blocked() {
            let mut resources = vec![from.id.clone(), to.id.clone()];
            if !resources.contains(by) {
                resources.push(by.clone());
            }
            out.emit(
                "NET018",
                resources,
                format!("{what} from {} to {} are blocked: {why}", from.id, to.id),
                None,
            );
        }
    }
}

/// Parses every VPC and subnet range: NET001 (syntax) and NET002 (prefix size).
fn address_ranges<'a>(ctx: &Ctx<'a>, out: &mut Out) -> HashMap<&'a ResourceId, Ipv4Net> {
    let mut ranges = HashMap::new();
    for r in ctx
        .of_kind(Kind::Vpc)
        .iter()
        .chain(ctx.of_kind(Kind::Subnet))
    {
        let text = match &r.config {
            Config::Vpc(c) => &c.cidr,
            Config::Subnet(c) => &c.cidr,
            _ => continue,
        };
        let Ok(net) = text.trim().parse::<Ipv4Net>() else {
            out.emit(
                "NET001",
                vec![r.id.clone()],
                format!("{} has `{text}`, which is not an IPv4 range in CIDR notation such as 10.0.0.0/16", r.id),
                None,
            );
            continue;
        };
        if net.addr() != net.network() {
            let fixed = net.trunc().to_string();
            out.emit(
                "NET001",
                vec![r.id.clone()],
                format!(
                    "{} has `{text}` with host bits set; the range starts at {fixed}",
                    r.id
                ),
                with_cidr(r, &fixed).map(|c| Fix::config(format!("Use {fixed}"), &r.id, c)),
            );
        }
        if !(16..=28).contains(&net.prefix_len()) {
            out.emit(
                "NET002",
                vec![r.id.clone()],
                format!(
                    "{} is a /{} range; AWS allows /16 (65,536 addresses) to /28 (16)",
                    r.id,
                    net.prefix_len()
                ),
                None,
            );
        }
        ranges.insert(&r.id, net.trunc());
    }
    ranges
}

fn with_cidr(r: &Resource, cidr: &str) -> Option<Config> {
    match &r.config {
        Config::Vpc(c) => Some(Config::Vpc(Vpc {
            cidr: cidr.into(),
            ..c.clone()
        })),
        Config::Subnet(c) => Some(Config::Subnet(Subnet {
            cidr: cidr.into(),
            ..c.clone()
        })),
        _ => None,
    }
}

/// NET003 (subnet inside its VPC) and NET004 (subnets of a VPC do not overlap).
fn subnets_inside_and_apart(ctx: &Ctx<'_>, ranges: &HashMap<&ResourceId, Ipv4Net>, out: &mut Out) {
    let mut by_vpc: HashMap<&ResourceId, Vec<(&Resource, Ipv4Net)>> = HashMap::new();
    for subnet in ctx.of_kind(Kind::Subnet) {
        let (Some(vpc), Some(net)) = (ctx.place(subnet.id.as_str()).vpc, ranges.get(&subnet.id))
        else {
            continue;
        };
        if let Some(vpc_net) = ranges.get(&vpc.id)
            && !vpc_net.contains(net)
        {
            out.emit(
                "NET003",
                vec![subnet.id.clone(), vpc.id.clone()],
                format!(
                    "{} ({net}) is not inside its VPC {} ({vpc_net})",
                    subnet.id, vpc.id
                ),
                None,
            );
        }
        by_vpc.entry(&vpc.id).or_default().push((subnet, *net));
    }
    for subnets in by_vpc.values_mut() {
        // Sorted by first address, a range overlaps an earlier one only if it starts
        // before the furthest end seen so far.
        subnets.sort_by_key(|(s, n)| (n.network(), n.prefix_len(), &s.id));
        let mut furthest: Option<(&Resource, Ipv4Net)> = None;
        for (subnet, net) in subnets.iter() {
            if let Some((other, other_net)) = furthest
                && net.network() <= other_net.broadcast()
            {
                out.emit(
                    "NET004",
                    vec![subnet.id.clone(), other.id.clone()],
                    format!(
                        "{} ({net}) overlaps {} ({other_net}) in the same VPC",
                        subnet.id, other.id
                    ),
                    None,
                );
            }
            if furthest.is_none_or(|(_, f)| net.broadcast() > f.broadcast()) {
                furthest = Some((subnet, *net));
            }
        }
    }
}

/// NET005: an AZ's name belongs to its Region (us-east-1a is in us-east-1).
fn zones_in_region(ctx: &Ctx<'_>, out: &mut Out) {
    for az in ctx.of_kind(Kind::AvailabilityZone) {
        let Config::AvailabilityZone(c) = &az.config else {
            continue;
        };
        let region = ctx.region_code(az.id.as_str());
        let suffix = c.zone.strip_prefix(region);
        let ok =
            suffix.is_some_and(|s| s.len() == 1 && s.chars().all(|ch| ch.is_ascii_lowercase()));
        if !ok {
            out.emit(
                "NET005",
                vec![az.id.clone()],
                format!(
                    "AZ `{}` is not a zone of {region}; its zones are named {region}a, {region}b, …",
                    c.zone
                ),
                None,
            );
        }
    }
}

/// The route table a subnet uses, if it names one.
fn route_table_of<'a>(ctx: &Ctx<'a>, subnet: &Resource) -> Option<(&'a Resource, &'a RouteTable)> {
    let Config::Subnet(s) = &subnet.config else {
        return None;
    };
    let table = ctx.get(s.route_table.as_ref()?.as_str())?;
    match &table.config {
        Config::RouteTable(rt) => Some((table, rt)),
        _ => None,
    }
}

/// The target of a route table's default route (0.0.0.0/0).
fn default_target<'a>(ctx: &Ctx<'a>, table: &RouteTable) -> Option<&'a Resource> {
    table
        .routes
        .iter()
        .find(|r| r.destination.trim() == "0.0.0.0/0")
        .and_then(|r| ctx.get(r.target.as_str()))
}

/// NET006: a public subnet routes 0.0.0.0/0 to an internet gateway of its VPC.
fn public_routes(ctx: &Ctx<'_>, out: &mut Out) {
    for subnet in ctx.of_kind(Kind::Subnet) {
        if Ctx::tier(subnet) != Some(SubnetTier::Public) {
            continue;
        }
        let Some(vpc) = ctx.place(subnet.id.as_str()).vpc else {
            continue;
        };
        let table = route_table_of(ctx, subnet);
        let target = table.and_then(|(_, rt)| default_target(ctx, rt));
        if target.is_some_and(|t| {
            t.kind() == Kind::InternetGateway
                && ctx.place(t.id.as_str()).vpc.map(|v| &v.id) == Some(&vpc.id)
        }) {
            continue;
        }
        let why = match (table, target) {
            (None, _) => "names no route table, so it has only the local route".to_owned(),
            (Some((t, _)), None) => format!("uses {} which has no 0.0.0.0/0 route", t.id),
            (Some((t, _)), Some(target)) => format!(
                "uses {} whose 0.0.0.0/0 route goes to {} rather than the VPC's internet gateway",
                t.id, target.id
            ),
        };
        out.emit(
            "NET006",
            vec![subnet.id.clone()],
            format!("public subnet {} {why}", subnet.id),
            internet_route_fix(ctx, subnet, vpc),
        );
    }
}

/// Routes a subnet to the internet: through an existing public route table of the VPC, or
/// by adding the route (and the gateway, if the VPC has none).
fn internet_route_fix(ctx: &Ctx<'_>, subnet: &Resource, vpc: &Resource) -> Option<Fix> {
    let Config::Subnet(s) = &subnet.config else {
        return None;
    };
    let in_vpc = |kind: Kind| {
        ctx.of_kind(kind)
            .iter()
            .copied()
            .filter(|r| ctx.place(r.id.as_str()).vpc.map(|v| &v.id) == Some(&vpc.id))
            .collect::<Vec<_>>()
    };
    let mut edits = Vec::new();
    let igw = match in_vpc(Kind::InternetGateway).first() {
        Some(igw) => igw.id.clone(),
        None => {
            let id = ctx.d.unique_id("igw");
            edits.push(Edit::Add {
                resource: Resource::new(id.clone(), Kind::InternetGateway)
                    .named("Internet gateway")
                    .in_parent(&vpc.id),
            });
            id
        }
    };
    let public_table = in_vpc(Kind::RouteTable)
        .into_iter()
        .find(|t| match &t.config {
            Config::RouteTable(rt) => default_target(ctx, rt).is_some_and(|x| x.id == igw),
            _ => false,
        });
    let default_route = Route {
        destination: "0.0.0.0/0".into(),
        target: igw.clone(),
    };
    let table_id = match (public_table, route_table_of(ctx, subnet)) {
        (Some(t), _) => t.id.clone(),
        (None, Some((table, rt))) => {
            let mut rt = rt.clone();
            rt.routes.retain(|r| r.destination.trim() != "0.0.0.0/0");
            rt.routes.push(default_route);
            edits.push(Edit::SetConfig {
                id: table.id.clone(),
                config: Config::RouteTable(rt),
            });
            table.id.clone()
        }
        (None, None) => {
            let id = ctx.d.unique_id("public-routes");
            edits.push(Edit::Add {
                resource: Resource::new(id.clone(), Kind::RouteTable)
                    .named("Public routes")
                    .in_parent(&vpc.id)
                    .with_config(Config::RouteTable(RouteTable {
                        routes: vec![default_route],
                    })),
            });
            id
        }
    };
    if s.route_table.as_ref() != Some(&table_id) {
        edits.push(Edit::SetConfig {
            id: subnet.id.clone(),
            config: Config::Subnet(Subnet {
                route_table: Some(table_id.clone()),
                ..s.clone()
            }),
        });
    }
    Some(Fix {
        label: format!("Route 0.0.0.0/0 to the internet gateway through {table_id}"),
        edits,
    })
}

/// NET007 (targets in the same VPC) and NET015 (one route per destination).
fn route_tables(ctx: &Ctx<'_>, out: &mut Out) {
    for table in ctx.of_kind(Kind::RouteTable) {
        let Config::RouteTable(rt) = &table.config else {
            continue;
        };
        let vpc = ctx.place(table.id.as_str()).vpc.map(|v| &v.id);
        let mut seen = BTreeSet::new();
        for route in &rt.routes {
            if !seen.insert(route.destination.trim()) {
                out.emit(
                    "NET015",
                    vec![table.id.clone()],
                    format!("{} has two routes for {}", table.id, route.destination),
                    None,
                );
            }
            let Some(target) = ctx.get(route.target.as_str()) else {
                continue;
            };
            let local = matches!(
                target.kind(),
                Kind::InternetGateway
                    | Kind::NatGateway
                    | Kind::VpcEndpoint
                    | Kind::VirtualPrivateGateway
            );
            let target_vpc = ctx.place(target.id.as_str()).vpc.map(|v| &v.id);
            if local && vpc.is_some() && target_vpc != vpc {
                out.emit(
                    "NET007",
                    vec![table.id.clone(), target.id.clone()],
                    format!(
                        "{} sends {} to {}, which belongs to another VPC",
                        table.id, route.destination, target.id
                    ),
                    None,
                );
            }
        }
    }
}

/// NET008: a public NAT gateway sits in a public subnet.
fn nat_gateways(ctx: &Ctx<'_>, out: &mut Out) {
    for nat in ctx.of_kind(Kind::NatGateway) {
        let Config::NatGateway(c) = &nat.config else {
            continue;
        };
        let place = ctx.place(nat.id.as_str());
        let Some(subnet) = place.subnet else { continue };
        if c.connectivity != NatConnectivity::Public
            || Ctx::tier(subnet) == Some(SubnetTier::Public)
        {
            continue;
        }
        let public_here = place.az.and_then(|az| {
            ctx.of_kind(Kind::Subnet).iter().copied().find(|s| {
                Ctx::tier(s) == Some(SubnetTier::Public)
                    && ctx.place(s.id.as_str()).az.map(|a| &a.id) == Some(&az.id)
            })
        });
        out.emit(
            "NET008",
            vec![nat.id.clone(), subnet.id.clone()],
            format!(
                "NAT gateway {} is in private subnet {}; it needs a public subnet to reach the internet gateway",
                nat.id, subnet.id
            ),
            public_here.map(|p| Fix {
                label: format!("Move {} to public subnet {}", nat.id, p.id),
                edits: vec![Edit::Move {
                    id: nat.id.clone(),
                    parent: p.id.clone(),
                }],
            }),
        );
    }
}

/// The subnets where compute runs: instances, groups, functions and services.
fn subnets_with_compute<'a>(ctx: &Ctx<'a>) -> BTreeSet<&'a ResourceId> {
    [
        Kind::Ec2Instance,
        Kind::AutoScalingGroup,
        Kind::LambdaFunction,
        Kind::EcsService,
    ]
    .iter()
    .flat_map(|k| ctx.of_kind(*k))
    .flat_map(|r| ctx.subnets_of(r))
    .map(|s| &s.id)
    .collect()
}

/// NET009 (private compute has a way out) and NET010 (through a NAT in its own AZ).
fn private_egress(ctx: &Ctx<'_>, out: &mut Out) {
    let compute = subnets_with_compute(ctx);
    for subnet in ctx.of_kind(Kind::Subnet) {
        if Ctx::tier(subnet) != Some(SubnetTier::Private) {
            continue;
        }
        let target = route_table_of(ctx, subnet).and_then(|(_, rt)| default_target(ctx, rt));
        match target {
            None => {
                if compute.contains(&subnet.id) {
                    out.emit(
                        "NET009",
                        vec![subnet.id.clone()],
                        format!(
                            "private subnet {} runs compute but has no 0.0.0.0/0 route, so it cannot fetch updates or call public APIs",
                            subnet.id
                        ),
                        None,
                    );
                }
            }
            Some(nat) if nat.kind() == Kind::NatGateway => {
                let here = ctx.place(subnet.id.as_str()).az.map(|a| &a.id);
                let there = ctx.place(nat.id.as_str()).az.map(|a| &a.id);
                if here.is_some() && there.is_some() && here != there {
                    out.emit(
                        "NET010",
                        vec![subnet.id.clone(), nat.id.clone()],
                        format!(
                            "private subnet {} reaches the internet through NAT gateway {} in another AZ; if that AZ fails, so does this subnet's egress",
                            subnet.id, nat.id
                        ),
                        None,
                    );
                }
            }
            Some(_) => {}
        }
    }
}

/// The VPCs joined by each peering connection.
fn peered_pairs<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Vec<&'a Resource>)> {
    ctx.of_kind(Kind::VpcPeering)
        .iter()
        .map(|p| {
            let vpcs: Vec<&Resource> = ctx
                .targets(p.id.as_str(), LinkKind::Peering)
                .chain(ctx.sources(p.id.as_str(), LinkKind::Peering))
                .filter(|v| v.kind() == Kind::Vpc)
                .collect();
            (*p, vpcs)
        })
        .collect()
}

/// NET011 (peered ranges do not overlap), NET012 (peering is not transitive) and NET016
/// (a peering joins exactly two VPCs).
fn peering(ctx: &Ctx<'_>, ranges: &HashMap<&ResourceId, Ipv4Net>, out: &mut Out) {
    let mut peers: BTreeSet<(&ResourceId, &ResourceId)> = BTreeSet::new();
    for (p, vpcs) in peered_pairs(ctx) {
        if vpcs.len() != 2 {
            out.emit(
                "NET016",
                vec![p.id.clone()],
                format!(
                    "peering {} joins {} VPC(s); a peering connection joins exactly two",
                    p.id,
                    vpcs.len()
                ),
                None,
            );
            continue;
        }
        let (a, b) = (vpcs[0], vpcs[1]);
        peers.insert((&a.id, &b.id));
        peers.insert((&b.id, &a.id));
        if let (Some(na), Some(nb)) = (ranges.get(&a.id), ranges.get(&b.id))
            && (na.contains(&nb.network()) || nb.contains(&na.network()))
        {
            out.emit(
                "NET011",
                vec![p.id.clone(), a.id.clone(), b.id.clone()],
                format!(
                    "peered VPCs {} ({na}) and {} ({nb}) overlap; AWS refuses such a peering",
                    a.id, b.id
                ),
                None,
            );
        }
    }
    if peers.is_empty() {
        return;
    }
    for link in ctx.d.links().iter().filter(|l| l.kind == LinkKind::Traffic) {
        let from = ctx.place(link.from.as_str()).vpc.map(|v| &v.id);
        let to = ctx.place(link.to.as_str()).vpc.map(|v| &v.id);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if from == to || peers.contains(&(from, to)) {
            continue;
        }
        let via = peers
            .iter()
            .find(|(a, b)| *a == from && peers.contains(&(*b, to)))
            .map(|(_, b)| *b);
        if let Some(via) = via {
            out.emit(
                "NET012",
                vec![link.from.clone(), link.to.clone(), via.clone()],
                format!(
                    "{} sends traffic to {} in VPC {to} through peered VPC {via}; peering is not transitive, so {from} needs its own peering with {to}",
                    link.from, link.to
                ),
                None,
            );
        }
    }
}

/// NET013: a VPN or Direct Connect ends at a virtual private gateway or transit gateway.
fn hybrid(ctx: &Ctx<'_>, out: &mut Out) {
    for kind in [Kind::SiteToSiteVpn, Kind::DirectConnect] {
        for r in ctx.of_kind(kind) {
            let ends_on_aws = ctx
                .targets(r.id.as_str(), LinkKind::HybridConnection)
                .chain(ctx.sources(r.id.as_str(), LinkKind::HybridConnection))
                .any(|g| matches!(g.kind(), Kind::VirtualPrivateGateway | Kind::TransitGateway));
            if !ends_on_aws {
                out.emit(
                    "NET013",
                    vec![r.id.clone()],
                    format!(
                        "{} has no virtual private gateway or transit gateway on the AWS side",
                        r.id
                    ),
                    None,
                );
            }
        }
    }
}

/// NET014: workloads in the default VPC.
fn default_vpcs(ctx: &Ctx<'_>, out: &mut Out) {
    for vpc in ctx.of_kind(Kind::Vpc) {
        if let Config::Vpc(c) = &vpc.config
            && c.is_default
        {
            out.emit(
                "NET014",
                vec![vpc.id.clone()],
                format!(
                    "{} is the default VPC: every subnet in it is public",
                    vpc.id
                ),
                None,
            );
        }
    }
}

/// NET017: a VPC has at most one internet gateway.
fn gateways_per_vpc(ctx: &Ctx<'_>, out: &mut Out) {
    let mut by_vpc: HashMap<&ResourceId, Vec<&ResourceId>> = HashMap::new();
    for igw in ctx.of_kind(Kind::InternetGateway) {
        if let Some(vpc) = ctx.place(igw.id.as_str()).vpc {
            by_vpc.entry(&vpc.id).or_default().push(&igw.id);
        }
    }
    for (vpc, gateways) in by_vpc {
        if gateways.len() > 1 {
            let mut ids = vec![vpc.clone()];
            ids.extend(gateways.iter().map(|g| (*g).clone()));
            out.emit(
                "NET017",
                ids,
                format!(
                    "{vpc} has {} internet gateways; a VPC can attach only one",
                    gateways.len()
                ),
                None,
            );
        }
    }
}
