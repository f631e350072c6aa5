//! Graph rules over the traffic links: what users can reach, what the internet reaches
//! directly, single points of failure and loops.

use std::collections::{BTreeMap, HashSet};

use petgraph::algo::{dominators, tarjan_scc};
use petgraph::visit::Bfs;

use super::Out;
use super::context::Ctx;
use crate::model::config::network::SubnetTier;
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    let mut graph = ctx
        .d
        .link_graph(&[LinkKind::Traffic, LinkKind::EventTrigger]);
    let sources: Vec<&str> = [Kind::Users, Kind::OnPremisesDataCenter]
        .iter()
        .flat_map(|k| ctx.of_kind(*k))
        .map(|r| r.id.as_str())
        .collect();
    cycles(ctx, &graph, out);
    direct_exposure(ctx, out);
    if sources.is_empty() {
        return; // A sketch without users: nothing is "unreachable" yet.
    }
    // One virtual root feeding every traffic source; no resource id is empty.
    const ROOT: &str = "";
    for source in &sources {
        graph.add_edge(ROOT, source, LinkKind::Traffic);
    }
    let mut reached = HashSet::with_capacity(graph.node_count());
    let mut bfs = Bfs::new(&graph, ROOT);
    while let Some(node) = bfs.next(&graph) {
        reached.insert(node);
    }
    unreachable(ctx, &reached, out);
    single_points_of_failure(ctx, &graph, ROOT, &reached, out);
}

/// Kinds that serve requests and so should be reachable from users.
const SERVING: [Kind; 10] = [
    Kind::Ec2Instance,
    Kind::AutoScalingGroup,
    Kind::ApplicationLoadBalancer,
    Kind::NetworkLoadBalancer,
    Kind::ClassicLoadBalancer,
    Kind::EcsService,
    Kind::LambdaFunction,
    Kind::RdsInstance,
    Kind::AuroraCluster,
    Kind::ElastiCacheCluster,
];

/// GRF001: a serving resource no traffic source can reach.
fn unreachable(ctx: &Ctx<'_>, reached: &HashSet<&str>, out: &mut Out) {
    for kind in SERVING {
        for r in ctx.of_kind(kind) {
            if reached.contains(r.id.as_str()) {
                continue;
            }
            // A read replica is fed by replication; an admin instance by its operators.
            let fed = ctx
                .sources(r.id.as_str(), LinkKind::Replication)
                .next()
                .is_some()
                || ctx
                    .sources(r.id.as_str(), LinkKind::Attachment)
                    .next()
                    .is_some();
            if !fed {
                out.emit(
                    "GRF001",
                    vec![r.id.clone()],
                    format!("no traffic path from users reaches {}", r.id),
                    None,
                );
            }
        }
    }
}

/// GRF002: the internet side (users, CloudFront, Route 53) sends traffic straight to a
/// resource in private subnets, which it cannot reach without a load balancer or gateway.
fn direct_exposure(ctx: &Ctx<'_>, out: &mut Out) {
    for link in ctx.d.links().iter().filter(|l| l.kind == LinkKind::Traffic) {
        let (Some(from), Some(to)) = (ctx.get(link.from.as_str()), ctx.get(link.to.as_str()))
        else {
            continue;
        };
        if !matches!(
            from.kind(),
            Kind::Users | Kind::CloudFrontDistribution | Kind::Route53HostedZone
        ) {
            continue;
        }
        let subnets = ctx.subnets_of(to);
        if !subnets.is_empty()
            && subnets
                .iter()
                .all(|s| Ctx::tier(s) == Some(SubnetTier::Private))
        {
            out.emit(
                "GRF002",
                vec![to.id.clone(), from.id.clone()],
                format!(
                    "{} sends traffic straight to {} in a private subnet; put a load balancer or API in front of it",
                    from.id, to.id
                ),
                None,
            );
        }
    }
}

/// True when a failure of one AZ (or one host) takes `r` down.
fn single_az(ctx: &Ctx<'_>, r: &Resource) -> bool {
    match &r.config {
        Config::Ec2Instance(_) => true,
        Config::RdsInstance(c) => !c.multi_az,
        Config::ElastiCacheCluster(c) => c.replicas_per_shard == 0,
        Config::AutoScalingGroup(_)
        | Config::ApplicationLoadBalancer(_)
        | Config::NetworkLoadBalancer(_)
        | Config::ClassicLoadBalancer(_)
        | Config::EcsService(_) => ctx.azs_of(r).len() <= 1,
        _ => false,
    }
}

/// Kinds that hold the data users come for.
const DATA: [Kind; 8] = [
    Kind::RdsInstance,
    Kind::AuroraCluster,
    Kind::DynamoDbTable,
    Kind::S3Bucket,
    Kind::ElastiCacheCluster,
    Kind::EfsFileSystem,
    Kind::DocumentDbCluster,
    Kind::NeptuneCluster,
];

/// GRF003: a single-AZ resource that every path from users to some data crosses.
fn single_points_of_failure(
    ctx: &Ctx<'_>,
    graph: &petgraph::graphmap::DiGraphMap<&str, LinkKind>,
    root: &str,
    reached: &HashSet<&str>,
    out: &mut Out,
) {
    let doms = dominators::simple_fast(graph, root);
    let mut guards: BTreeMap<&ResourceId, Vec<&ResourceId>> = BTreeMap::new();
    for kind in DATA {
        for store in ctx.of_kind(kind) {
            if !reached.contains(store.id.as_str()) {
                continue;
            }
            let Some(chain) = doms.strict_dominators(store.id.as_str()) else {
                continue;
            };
            for node in chain {
                if let Some(r) = ctx.get(node)
                    && single_az(ctx, r)
                {
                    guards.entry(&r.id).or_default().push(&store.id);
                }
            }
        }
    }
    for (spof, stores) in guards {
        let mut ids = vec![spof.clone()];
        ids.extend(stores.iter().map(|s| (*s).clone()));
        out.emit(
            "GRF003",
            ids,
            format!(
                "every path from users to {} goes through {}, which lives in one AZ",
                stores
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                spof
            ),
            None,
        );
    }
}

/// GRF004: traffic that loops back to where it came from.
fn cycles(ctx: &Ctx<'_>, graph: &petgraph::graphmap::DiGraphMap<&str, LinkKind>, out: &mut Out) {
    for component in tarjan_scc(graph) {
        let looped =
            component.len() > 1 || component.first().is_some_and(|n| graph.contains_edge(n, n));
        if !looped {
            continue;
        }
        let mut ids: Vec<ResourceId> = component
            .iter()
            .filter_map(|n| ctx.get(n).map(|r| r.id.clone()))
            .collect();
        ids.sort();
        out.emit(
            "GRF004",
            ids.clone(),
            format!(
                "traffic loops through {}",
                ids.iter()
                    .map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            None,
        );
    }
}
