//! Reliability rules: more than one AZ, sizes that make sense, health checks, backups,
//! replicas and DNS failover.

use super::context::Ctx;
use super::{Fix, Out};
use crate::model::config::compute::{AutoScalingGroup, HealthCheckType, PurchaseOption};
use crate::model::config::database::{CacheEngine, RdsEngine};
use crate::model::config::edge::{DnsRecord, FailoverRole, RecordType, RoutingPolicy};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    auto_scaling_groups(ctx, out);
    load_balancers(ctx, out);
    api_throttles(ctx, out);
    databases(ctx, out);
    caches(ctx, out);
    dns(ctx, out);
    spot(ctx, out);
}

/// The subnet list of `r` with one subnet of another AZ added: a subnet of the same tier
/// in the same VPC, in an AZ `r` does not use yet.
fn second_az_subnets(
    ctx: &Ctx<'_>,
    r: &Resource,
    current: &[ResourceId],
) -> Option<Vec<ResourceId>> {
    let subnets = ctx.subnets_of(r);
    let first = subnets.first()?;
    let vpc = ctx.place(first.id.as_str()).vpc?;
    let tier = Ctx::tier(first);
    let used = ctx.azs_of(r);
    let other = ctx.of_kind(Kind::Subnet).iter().find(|s| {
        let place = ctx.place(s.id.as_str());
        Ctx::tier(s) == tier
            && place.vpc.map(|v| &v.id) == Some(&vpc.id)
            && place.az.is_some_and(|az| !used.contains(&az.id))
    })?;
    let mut list = current.to_vec();
    list.push(other.id.clone());
    Some(list)
}

/// REL001 (more than one AZ), REL005 (min ≤ desired ≤ max), REL006 (max set), REL007 (ELB
/// health checks behind a load balancer), REL008 (launch templates) and REL021 (a grace
/// period for ELB checks).
fn auto_scaling_groups(ctx: &Ctx<'_>, out: &mut Out) {
    for asg in ctx.of_kind(Kind::AutoScalingGroup) {
        let Config::AutoScalingGroup(c) = &asg.config else {
            continue;
        };
        let fixed = |f: &dyn Fn(&mut AutoScalingGroup)| {
            let mut c = c.clone();
            f(&mut c);
            Config::AutoScalingGroup(c)
        };
        if ctx.azs_of(asg).len() == 1 {
            let fix = second_az_subnets(ctx, asg, &c.subnets).map(|subnets| {
                let added = subnets.last().cloned().unwrap_or_else(|| asg.id.clone());
                Fix::config(
                    format!("Also launch in {added}"),
                    &asg.id,
                    fixed(&|c| c.subnets = subnets.clone()),
                )
            });
            out.emit(
                "REL001",
                vec![asg.id.clone()],
                format!("Auto Scaling group {} launches in one AZ only", asg.id),
                fix,
            );
        }
        if c.max_size == 0 {
            out.emit(
                "REL006",
                vec![asg.id.clone()],
                format!(
                    "{} has a maximum size of 0, so it can never run an instance",
                    asg.id
                ),
                None,
            );
        } else if !(c.min_size <= c.desired_capacity && c.desired_capacity <= c.max_size) {
            let (min, max) = (c.min_size.min(c.max_size), c.min_size.max(c.max_size));
            let desired = c.desired_capacity.clamp(min, max);
            out.emit(
                "REL005",
                vec![asg.id.clone()],
                format!(
                    "{} has minimum {}, desired {} and maximum {}; AWS needs minimum ≤ desired ≤ maximum",
                    asg.id, c.min_size, c.desired_capacity, c.max_size
                ),
                Some(Fix::config(
                    format!("Use minimum {min}, desired {desired}, maximum {max}"),
                    &asg.id,
                    fixed(&|c| {
                        c.min_size = min;
                        c.desired_capacity = desired;
                        c.max_size = max;
                    }),
                )),
            );
        }
        let behind_lb = ctx.sources(asg.id.as_str(), LinkKind::Traffic).any(|s| {
            matches!(
                s.kind(),
                Kind::ApplicationLoadBalancer
                    | Kind::NetworkLoadBalancer
                    | Kind::ClassicLoadBalancer
            )
        });
        if behind_lb && c.health_check_type == HealthCheckType::Ec2 {
            out.emit(
                "REL007",
                vec![asg.id.clone()],
                format!(
                    "{} sits behind a load balancer but uses EC2 health checks: an instance whose application crashed keeps running and is never replaced",
                    asg.id
                ),
                Some(Fix::config(
                    "Use ELB health checks (300 s grace period)",
                    &asg.id,
                    fixed(&|c| {
                        c.health_check_type = HealthCheckType::Elb;
                        if c.health_check_grace_period_secs == 0 {
                            c.health_check_grace_period_secs = 300;
                        }
                    }),
                )),
            );
        }
        if c.health_check_type == HealthCheckType::Elb && c.health_check_grace_period_secs == 0 {
            out.emit(
                "REL021",
                vec![asg.id.clone()],
                format!("{} checks new instances through the load balancer with no grace period, so booting instances are replaced", asg.id),
                Some(Fix::config(
                    "Give new instances 300 s to boot",
                    &asg.id,
                    fixed(&|c| c.health_check_grace_period_secs = 300),
                )),
            );
        }
        if c.uses_launch_configuration {
            out.emit(
                "REL008",
                vec![asg.id.clone()],
                format!(
                    "{} uses a launch configuration; AWS no longer adds features to them",
                    asg.id
                ),
                Some(Fix::config(
                    "Use a launch template",
                    &asg.id,
                    fixed(&|c| c.uses_launch_configuration = false),
                )),
            );
        }
    }
}

/// REL002 (an ALB spans two AZs), REL010 (draining) and REL022 (targets in one AZ).
fn load_balancers(ctx: &Ctx<'_>, out: &mut Out) {
    for lb in ctx.of_kind(Kind::ApplicationLoadBalancer) {
        let Config::ApplicationLoadBalancer(c) = &lb.config else {
            continue;
        };
        if ctx.azs_of(lb).len() < 2 {
            let fix = second_az_subnets(ctx, lb, &c.subnets).map(|subnets| {
                let mut fixed = c.clone();
                fixed.subnets = subnets;
                Fix::config(
                    "Add a subnet in a second AZ",
                    &lb.id,
                    Config::ApplicationLoadBalancer(fixed),
                )
            });
            out.emit(
                "REL002",
                vec![lb.id.clone()],
                format!("Application Load Balancer {} has subnets in fewer than two AZs; AWS requires two", lb.id),
                fix,
            );
        }
    }
    for lb in ctx
        .of_kind(Kind::ApplicationLoadBalancer)
        .iter()
        .chain(ctx.of_kind(Kind::NetworkLoadBalancer))
    {
        let delay = match &lb.config {
            Config::ApplicationLoadBalancer(c) => c.deregistration_delay_secs,
            Config::NetworkLoadBalancer(c) => c.deregistration_delay_secs,
            _ => continue,
        };
        if delay == 0 {
            out.emit(
                "REL010",
                vec![lb.id.clone()],
                format!(
                    "{} drops in-flight requests when a target leaves (deregistration delay 0)",
                    lb.id
                ),
                None,
            );
        }
        targets_within_quota(ctx, lb, out);
        let instances: Vec<&Resource> = ctx
            .targets(lb.id.as_str(), LinkKind::Traffic)
            .filter(|t| t.kind() == Kind::Ec2Instance)
            .collect();
        let azs: std::collections::BTreeSet<_> =
            instances.iter().flat_map(|i| ctx.azs_of(i)).collect();
        if instances.len() >= 2 && azs.len() == 1 {
            out.emit(
                "REL022",
                vec![lb.id.clone()],
                format!("all {} targets of {} are in one AZ", instances.len(), lb.id),
                None,
            );
        }
    }
}

/// Most targets an Application Load Balancer (and one target group) holds; the quota is
/// not adjustable (Elastic Load Balancing quotas for Application Load Balancers).
const ALB_MAX_TARGETS: u64 = 1_000;

/// REL023: the instances an ALB may be asked to hold (its instances, and its groups at
/// their maximum size) fit its quota of targets.
fn targets_within_quota(ctx: &Ctx<'_>, lb: &Resource, out: &mut Out) {
    if lb.kind() != Kind::ApplicationLoadBalancer {
        return;
    }
    let mut groups = Vec::new();
    let mut targets = 0u64;
    for t in ctx.targets(lb.id.as_str(), LinkKind::Traffic) {
        match &t.config {
            Config::Ec2Instance(_) => targets += 1,
            Config::AutoScalingGroup(g) => {
                targets += u64::from(g.max_size);
                groups.push((t, g));
            }
            _ => {}
        }
    }
    if targets <= ALB_MAX_TARGETS {
        return;
    }
    // One group behind it: cap that group so the whole fits.
    let fix = match groups.as_slice() {
        [(group, g)] => {
            let others = targets - u64::from(g.max_size);
            let room = ALB_MAX_TARGETS.saturating_sub(others) as u32;
            (room >= g.min_size.max(1)).then(|| {
                let mut fixed = (*g).clone();
                fixed.max_size = room;
                fixed.desired_capacity = fixed.desired_capacity.min(room);
                Fix::config(
                    format!("Cap {} at {room} instances", group.id),
                    &group.id,
                    Config::AutoScalingGroup(fixed),
                )
            })
        }
        _ => None,
    };
    out.emit(
        "REL023",
        vec![lb.id.clone()],
        format!(
            "{} may be asked to hold {targets} targets; an Application Load Balancer holds at most 1,000",
            lb.id
        ),
        fix,
    );
}

/// The requests a second a traffic source sends at its peak, and to how many targets it
/// spreads them (each request goes to one of its traffic links, at random).
fn source_peak(ctx: &Ctx<'_>, source: &Resource) -> Option<f64> {
    let peak = match &source.config {
        Config::Users(u) => u.pattern.peak_rps(u.requests_per_second),
        Config::OnPremisesDataCenter(o) => o.requests_per_second,
        _ => return None,
    };
    let targets = ctx
        .targets(source.id.as_str(), LinkKind::Traffic)
        .count()
        .max(1);
    Some(peak / targets as f64)
}

/// REL024: the traffic sources send an API no more than its throttle lets through; API
/// Gateway answers the rest with 429 (its account quota is 10,000 requests a second).
fn api_throttles(ctx: &Ctx<'_>, out: &mut Out) {
    for api in ctx.of_kind(Kind::ApiGateway) {
        let Config::ApiGateway(c) = &api.config else {
            continue;
        };
        let sent: f64 = ctx
            .sources(api.id.as_str(), LinkKind::Traffic)
            .filter_map(|s| source_peak(ctx, s))
            .sum();
        if sent <= f64::from(c.throttle_rate_rps) {
            continue;
        }
        let needed = sent.ceil().min(f64::from(u32::MAX)) as u32;
        let mut fixed = c.clone();
        fixed.throttle_rate_rps = needed;
        out.emit(
            "REL024",
            vec![api.id.clone()],
            format!(
                "users send {} up to {sent:.0} requests a second; it lets {} through and answers the rest with 429",
                api.id, c.throttle_rate_rps
            ),
            Some(Fix::config(
                format!("Raise the throttle to {needed} requests a second"),
                &api.id,
                Config::ApiGateway(fixed),
            )),
        );
    }
}

/// Most read replicas an RDS engine allows.
fn replica_limit(engine: RdsEngine) -> usize {
    match engine {
        RdsEngine::MySql | RdsEngine::MariaDb | RdsEngine::PostgreSql => 15,
        RdsEngine::Db2 => 3,
        _ => 5,
    }
}

/// REL003 (Multi-AZ), REL011/REL012 (backup retention), REL013 (replica limits), REL020
/// (backups on a replica's source) and REL014 (Aurora replicas in another AZ).
fn databases(ctx: &Ctx<'_>, out: &mut Out) {
    for db in ctx.of_kind(Kind::RdsInstance) {
        let Config::RdsInstance(c) = &db.config else {
            continue;
        };
        let is_replica = ctx
            .sources(db.id.as_str(), LinkKind::Replication)
            .any(|s| s.kind() == Kind::RdsInstance);
        let replicas: Vec<&Resource> = ctx
            .targets(db.id.as_str(), LinkKind::Replication)
            .filter(|t| t.kind() == Kind::RdsInstance)
            .collect();
        if !c.multi_az && !is_replica {
            let mut fixed = c.clone();
            fixed.multi_az = true;
            out.emit(
                "REL003",
                vec![db.id.clone()],
                format!("{} runs in one AZ with no standby", db.id),
                Some(Fix::config(
                    "Enable Multi-AZ",
                    &db.id,
                    Config::RdsInstance(fixed),
                )),
            );
        }
        if c.backup_retention_days > 35 {
            let mut fixed = c.clone();
            fixed.backup_retention_days = 35;
            out.emit(
                "REL012",
                vec![db.id.clone()],
                format!(
                    "{} keeps automated backups {} days; RDS allows at most 35",
                    db.id, c.backup_retention_days
                ),
                Some(Fix::config(
                    "Keep backups 35 days",
                    &db.id,
                    Config::RdsInstance(fixed),
                )),
            );
        } else if c.backup_retention_days == 0 && !is_replica {
            let mut fixed = c.clone();
            fixed.backup_retention_days = 7;
            let (rule, message) = if replicas.is_empty() {
                (
                    "REL011",
                    format!(
                        "{} has automated backups turned off (retention 0 days)",
                        db.id
                    ),
                )
            } else {
                (
                    "REL020",
                    format!(
                        "{} has read replicas but no automated backups, which replicas need",
                        db.id
                    ),
                )
            };
            out.emit(
                rule,
                vec![db.id.clone()],
                message,
                Some(Fix::config(
                    "Keep backups 7 days",
                    &db.id,
                    Config::RdsInstance(fixed),
                )),
            );
        }
        if replicas.len() > replica_limit(c.engine) {
            let mut ids = vec![db.id.clone()];
            ids.extend(replicas.iter().map(|r| r.id.clone()));
            out.emit(
                "REL013",
                ids,
                format!(
                    "{} has {} read replicas; {:?} allows {}",
                    db.id,
                    replicas.len(),
                    c.engine,
                    replica_limit(c.engine)
                ),
                None,
            );
        }
    }
    for cluster in ctx.of_kind(Kind::AuroraCluster) {
        let Config::AuroraCluster(c) = &cluster.config else {
            continue;
        };
        if c.replicas == 0 || ctx.azs_of(cluster).len() < 2 {
            let fix = (c.replicas == 0).then(|| {
                let mut fixed = c.clone();
                fixed.replicas = 1;
                Fix::config("Add a replica", &cluster.id, Config::AuroraCluster(fixed))
            });
            out.emit(
                "REL014",
                vec![cluster.id.clone()],
                format!(
                    "Aurora cluster {} has no replica in another AZ to fail over to",
                    cluster.id
                ),
                fix,
            );
        }
    }
}

/// REL004 (cache replicas) and REL019 (Memcached for data that must survive).
fn caches(ctx: &Ctx<'_>, out: &mut Out) {
    for cache in ctx.of_kind(Kind::ElastiCacheCluster) {
        let Config::ElastiCacheCluster(c) = &cache.config else {
            continue;
        };
        if c.engine == CacheEngine::Memcached {
            if c.durable_data {
                let mut fixed = c.clone();
                fixed.engine = CacheEngine::Redis;
                fixed.replicas_per_shard = fixed.replicas_per_shard.max(1);
                fixed.automatic_failover = true;
                out.emit(
                    "REL019",
                    vec![cache.id.clone()],
                    format!("{} keeps data that must survive in Memcached, which has no replicas or persistence", cache.id),
                    Some(Fix::config("Use Redis with a replica", &cache.id, Config::ElastiCacheCluster(fixed))),
                );
            }
            continue;
        }
        if c.replicas_per_shard == 0 {
            let mut fixed = c.clone();
            fixed.replicas_per_shard = 1;
            fixed.automatic_failover = true;
            out.emit(
                "REL004",
                vec![cache.id.clone()],
                format!(
                    "{} has no replica: a node failure empties the cache",
                    cache.id
                ),
                Some(Fix::config(
                    "Add a replica with automatic failover",
                    &cache.id,
                    Config::ElastiCacheCluster(fixed),
                )),
            );
        }
    }
}

/// REL015 (failover health checks), REL016 (geolocation default), REL017 (simple routing
/// ignores health checks) and REL018 (no CNAME at the apex).
fn dns(ctx: &Ctx<'_>, out: &mut Out) {
    for zone in ctx.of_kind(Kind::Route53HostedZone) {
        let Config::Route53HostedZone(z) = &zone.config else {
            continue;
        };
        let with_record = |index: usize, f: &dyn Fn(&mut DnsRecord)| {
            let mut z = z.clone();
            f(&mut z.records[index]);
            Config::Route53HostedZone(z)
        };
        for (i, record) in z.records.iter().enumerate() {
            let name = if record.name.is_empty() {
                z.domain.clone()
            } else {
                format!("{}.{}", record.name, z.domain)
            };
            let unchecked_primary = record
                .targets
                .iter()
                .any(|t| t.failover == FailoverRole::Primary && !t.health_check);
            let has_default = record
                .targets
                .iter()
                .any(|t| t.location.eq_ignore_ascii_case("default"));
            let checked = record.targets.iter().any(|t| t.health_check);
            match record.routing {
                RoutingPolicy::Failover if unchecked_primary => out.emit(
                    "REL015",
                    vec![zone.id.clone()],
                    format!("failover record {name} has no health check on its primary, so it never fails over"),
                    Some(Fix::config(
                        "Health-check the primary",
                        &zone.id,
                        with_record(i, &|r| {
                            for t in r.targets.iter_mut().filter(|t| t.failover == FailoverRole::Primary) {
                                t.health_check = true;
                            }
                        }),
                    )),
                ),
                RoutingPolicy::Geolocation if !has_default => out.emit(
                    "REL016",
                    vec![zone.id.clone()],
                    format!("geolocation record {name} has no Default location: viewers elsewhere get no answer"),
                    None,
                ),
                RoutingPolicy::Simple if checked => out.emit(
                    "REL017",
                    vec![zone.id.clone()],
                    format!("simple record {name} has health checks, which simple routing ignores"),
                    None,
                ),
                _ => {}
            }
            if record.name.is_empty() && record.record_type == RecordType::Cname {
                out.emit(
                    "REL018",
                    vec![zone.id.clone()],
                    format!("{name} is a CNAME at the zone apex, which DNS forbids"),
                    Some(Fix::config(
                        "Use an alias A record",
                        &zone.id,
                        with_record(i, &|r| {
                            r.record_type = RecordType::A;
                            r.alias = true;
                        }),
                    )),
                );
            }
        }
    }
}

/// REL009: spot capacity can be taken back with two minutes' notice; state on it is lost.
fn spot(ctx: &Ctx<'_>, out: &mut Out) {
    for instance in ctx.of_kind(Kind::Ec2Instance) {
        let Config::Ec2Instance(c) = &instance.config else {
            continue;
        };
        if c.purchase_option != PurchaseOption::Spot {
            continue;
        }
        let state = ctx
            .sources(instance.id.as_str(), LinkKind::Attachment)
            .find(|s| match &s.config {
                Config::EbsVolume(_) => true,
                Config::InstanceStore(store) => store.holds_persistent_data,
                _ => false,
            });
        if let Some(state) = state {
            out.emit(
                "REL009",
                vec![instance.id.clone(), state.id.clone()],
                format!(
                    "{} is a spot instance holding state on {}",
                    instance.id, state.id
                ),
                None,
            );
        }
    }
}
