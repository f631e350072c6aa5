//! Turns a diagram into the network the engine runs: traffic sources, balancers and
//! server stations joined along the traffic links.

use std::collections::HashMap;

use crate::model::config::compute::{AppServer, ServiceDistribution};
use crate::model::config::edge::RoutingAlgorithm;
use crate::model::config::services::TrafficPattern;
use crate::model::{Config, Diagram, Kind, LinkKind, ResourceId};

/// Where a request goes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hop {
    /// A server station.
    Station(u32),
    /// A load balancer choosing among stations.
    Balancer(u32),
    /// DNS or a CDN: answers some requests itself and passes the rest on.
    Relay(u32),
    /// The instances of an Auto Scaling group.
    Group(u32),
    /// A resource the engine does not model yet: the request ends there, counted as such.
    Unmodelled(u32),
}

/// A traffic source (Users).
#[derive(Clone, Debug)]
pub struct Source {
    pub id: ResourceId,
    pub base_rps: f64,
    pub pattern: TrafficPattern,
    /// The highest rate the pattern reaches: arrivals are drawn at this rate and thinned.
    pub peak_rps: f64,
    /// Share of requests that only read (writes skip caches).
    pub read_fraction: f64,
    pub next: Vec<Hop>,
}

impl Source {
    /// The request rate at `t` seconds, per the pattern.
    pub fn rate_at(&self, t: f64) -> f64 {
        let base = self.base_rps;
        let rate = match &self.pattern {
            TrafficPattern::Constant | TrafficPattern::Replay { .. } => base,
            TrafficPattern::Ramp {
                to_rps,
                start_secs,
                over_secs,
            } => {
                if t <= *start_secs {
                    base
                } else if *over_secs <= 0.0 || t >= start_secs + over_secs {
                    *to_rps
                } else {
                    base + (to_rps - base) * (t - start_secs) / over_secs
                }
            }
            TrafficPattern::Step { to_rps, at_secs } => {
                if t >= *at_secs {
                    *to_rps
                } else {
                    base
                }
            }
            TrafficPattern::Spike {
                multiplier,
                at_secs,
                duration_secs,
            } => {
                if t >= *at_secs && t < at_secs + duration_secs {
                    base * multiplier
                } else {
                    base
                }
            }
            TrafficPattern::Diurnal {
                peak_rps,
                peak_hour,
            } => {
                // A cosine over 24 h: the base rate at night, the peak at `peak_hour`.
                let hours = t / 3600.0;
                let phase = (hours - peak_hour) / 24.0 * std::f64::consts::TAU;
                base + (peak_rps - base) * (1.0 + phase.cos()) / 2.0
            }
        };
        rate.max(0.0)
    }
}

pub(crate) fn peak_of(base: f64, pattern: &TrafficPattern) -> f64 {
    let other = match pattern {
        TrafficPattern::Constant | TrafficPattern::Replay { .. } => base,
        TrafficPattern::Ramp { to_rps, .. } | TrafficPattern::Step { to_rps, .. } => *to_rps,
        TrafficPattern::Spike { multiplier, .. } => base * multiplier,
        TrafficPattern::Diurnal { peak_rps, .. } => *peak_rps,
    };
    base.max(other).max(0.0)
}

/// What a station stands for, which decides how calls through it behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An application server: serves, then makes its calls in order.
    Compute,
    /// A database: serves queries.
    Database,
    /// A read-through cache: a hit spares the caller its next database call.
    Cache,
}

/// A server: `servers` requests in service at once, FCFS queue up to `capacity` in all.
#[derive(Clone, Debug)]
pub struct StationSpec {
    pub id: ResourceId,
    pub role: Role,
    pub servers: u32,
    pub capacity: u32,
    pub mean_service_secs: f64,
    pub distribution: ServiceDistribution,
    pub cv: f64,
    /// Share of lookups a cache answers.
    pub hit_ratio: f64,
    /// What a request calls after its service here, in order, holding its worker meanwhile.
    pub calls: Vec<Hop>,
    /// The AZ it runs in (index into `Net::azs`), if known.
    pub az: Option<u32>,
    /// Seconds a failed primary takes to fail over to its standby (RDS Multi-AZ); none
    /// when there is no standby.
    pub failover_secs: Option<f64>,
    /// The Auto Scaling group it belongs to.
    pub group: Option<u32>,
    /// What an hour of it costs at list price (a Multi-AZ database with its standby, a
    /// cache with all its nodes); none when the price data has no price.
    pub hourly_usd: Option<f64>,
    /// A Lambda function: its cold start and how long idle environments stay warm.
    pub lambda: Option<LambdaSpec>,
}

/// How a Lambda function's execution environments behave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LambdaSpec {
    pub cold_start_secs: f64,
    pub keep_warm_secs: f64,
}

/// Concurrent executions per Region (Lambda quotas; adjustable).
const LAMBDA_ACCOUNT_CONCURRENCY: u32 = 1000;

/// A load balancer over stations.
#[derive(Clone, Debug)]
pub struct BalancerSpec {
    pub id: ResourceId,
    pub algorithm: RoutingAlgorithm,
    pub targets: Vec<u32>,
    /// Seconds between health checks, and the consecutive results that change a target's
    /// health (ELB defaults: 30 s, healthy after 5, unhealthy after 2).
    pub check_interval_secs: f64,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    /// The groups whose instances it targets, so that replacements register with it.
    pub groups: Vec<u32>,
}

/// Route 53 (passes everything on: a DNS lookup is negligible next to a request) or
/// CloudFront (serves its cache hits at the edge).
#[derive(Clone, Debug)]
pub struct RelaySpec {
    pub id: ResourceId,
    pub hit_ratio: f64,
    pub next: Vec<Hop>,
    /// For a hosted zone: the record its users resolve, with its routing policy.
    pub dns: Option<DnsSpec>,
}

/// The DNS record users resolve, and how Route 53 answers it.
#[derive(Clone, Debug)]
pub struct DnsSpec {
    pub routing: crate::model::config::edge::RoutingPolicy,
    /// Seconds resolvers keep an answer.
    pub ttl_secs: f64,
    /// Route 53 health checks: every 30 s (or 10 s), unhealthy after 3 failures.
    pub check_interval_secs: f64,
    pub failure_threshold: u32,
    pub answers: Vec<Answer>,
}

/// One value of a record.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    pub hop: Hop,
    pub weight: u32,
    /// The primary of a failover record.
    pub primary: bool,
    /// A health check watches it.
    pub checked: bool,
}

/// The network of one run.
#[derive(Clone, Debug, Default)]
pub struct Net {
    pub sources: Vec<Source>,
    pub stations: Vec<StationSpec>,
    pub balancers: Vec<BalancerSpec>,
    pub relays: Vec<RelaySpec>,
    /// The stations of each Auto Scaling group, and the group.
    pub groups: Vec<(ResourceId, Vec<u32>)>,
    /// How each group behaves: its AZs, launch time and health checks.
    pub group_specs: Vec<GroupSpec>,
    /// The Availability Zones of the diagram, by resource id.
    pub azs: Vec<ResourceId>,
    pub unmodelled: Vec<ResourceId>,
}

/// An Auto Scaling group's behaviour.
#[derive(Clone, Debug)]
pub struct GroupSpec {
    /// The AZs of its subnets (indices into `Net::azs`), where it launches.
    pub azs: Vec<u32>,
    /// Seconds from the decision to launch until in service.
    pub launch_secs: f64,
    /// Replace instances the load balancer finds unhealthy (ELB health checks), not only
    /// those whose instance failed (EC2 status checks, the default).
    pub elb_health_checks: bool,
    /// Seconds after launch before health checks can get an instance replaced.
    pub grace_secs: f64,
    /// A station to copy for each new instance.
    pub template: u32,
    /// Size limits and the size at the start.
    pub min: u32,
    pub max: u32,
    pub desired: u32,
    /// Target tracking on average CPU utilization (percent), if the group has it.
    pub cpu_target: Option<TargetTracking>,
    /// Seconds between metric datapoints: 60 with detailed monitoring, 300 with basic.
    pub metric_period_secs: f64,
    /// Seconds a new instance's metrics stay out of the group's and block scale-in.
    pub warmup_secs: f64,
}

/// A target tracking policy on average CPU utilization.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetTracking {
    /// Percent CPU to hold.
    pub target: f64,
    /// Never remove instances.
    pub disable_scale_in: bool,
}

/// Why a diagram cannot be simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    /// Nothing sends traffic.
    #[error(
        "the diagram has no Users (or other traffic source) linked to anything; add Users and a traffic link to what they call"
    )]
    NoTraffic,
    /// An instance type unknown to the price data (its vCPUs are unknown).
    #[error(
        "{id} uses instance type `{instance_type}`, whose vCPU count is not known; pick a type from the EC2 catalogue"
    )]
    UnknownInstanceType {
        /// The resource.
        id: ResourceId,
        /// Its type.
        instance_type: String,
    },
}

struct Builder<'a> {
    d: &'a Diagram,
    net: Net,
    hops: HashMap<&'a ResourceId, Hop>,
}

/// vCPUs of an instance type or of a database or cache class (`db.m5.large`,
/// `cache.r6g.large`: the EC2 type after the prefix).
fn vcpus_of(class: &str) -> Option<(u32, f64)> {
    let ec2 = class
        .strip_prefix("db.")
        .or_else(|| class.strip_prefix("cache."))
        .unwrap_or(class);
    crate::pricing::ec2_instance_type(ec2).map(|t| (t.vcpu, t.memory_gib))
}

/// The hourly list price of an EC2 instance type bought as `option`, in `region`.
fn ec2_price(
    instance_type: &str,
    region: &str,
    option: crate::model::config::compute::PurchaseOption,
) -> Option<f64> {
    use crate::model::config::compute::PurchaseOption;
    use crate::pricing::Ec2Rate;
    let rate = match option {
        PurchaseOption::Reserved => Ec2Rate::Reserved1YearNoUpfront,
        PurchaseOption::Spot => Ec2Rate::SpotAverage,
        _ => Ec2Rate::OnDemand,
    };
    crate::pricing::ec2_hourly(instance_type, region, rate).map(|p| p.usd)
}

impl<'a> Builder<'a> {
    /// The Region code of a resource, for its prices.
    fn region_of(&self, id: &str) -> String {
        match self.d.enclosing(id, Kind::Region).map(|r| &r.config) {
            Some(Config::Region(r)) => r.code.clone(),
            _ => self.d.region.clone(),
        }
    }

    /// The AZ index of an AZ resource.
    fn az_index(&self, az: &ResourceId) -> Option<u32> {
        self.net.azs.iter().position(|a| a == az).map(|i| i as u32)
    }

    /// The AZs a resource runs in: those of the subnets its configuration names, or the
    /// one it is drawn in.
    fn azs_of(&self, r: &crate::model::Resource) -> Vec<u32> {
        let mut azs = Vec::new();
        for id in r.config.references() {
            if let Some(subnet) = self
                .d
                .resource(id.as_str())
                .filter(|s| s.kind() == Kind::Subnet)
                && let Some(az) = self.d.enclosing(subnet.id.as_str(), Kind::AvailabilityZone)
                && let Some(i) = self.az_index(&az.id)
                && !azs.contains(&i)
            {
                azs.push(i);
            }
        }
        if azs.is_empty()
            && let Some(az) = self.d.enclosing(r.id.as_str(), Kind::AvailabilityZone)
            && let Some(i) = self.az_index(&az.id)
        {
            azs.push(i);
        }
        azs
    }

    fn unknown(id: &ResourceId, class: &str) -> BuildError {
        BuildError::UnknownInstanceType {
            id: id.clone(),
            instance_type: class.to_owned(),
        }
    }

    fn push_station(&mut self, spec: StationSpec) -> u32 {
        self.net.stations.push(spec);
        (self.net.stations.len() - 1) as u32
    }

    fn compute_spec(name: ResourceId, vcpus: u32, app: &AppServer) -> StationSpec {
        let servers = (vcpus * app.workers_per_vcpu).max(1);
        StationSpec {
            id: name,
            role: Role::Compute,
            servers,
            capacity: servers.saturating_add(app.queue_capacity),
            mean_service_secs: (app.service_time_ms / 1000.0).max(1e-9),
            distribution: app.service_distribution,
            cv: app.service_time_cv.max(0.0),
            hit_ratio: 0.0,
            calls: Vec::new(),
            az: None,
            failover_secs: None,
            group: None,
            hourly_usd: None,
            lambda: None,
        }
    }

    /// The hops of `id`'s outgoing traffic links.
    fn calls_of(&mut self, id: &'a ResourceId) -> Result<Vec<Hop>, BuildError> {
        let mut calls = Vec::new();
        for link in self.d.links_of(id.as_str()) {
            if link.kind == LinkKind::Traffic && &link.from == id {
                calls.push(self.hop(&link.to)?);
            }
        }
        Ok(calls)
    }

    /// The hop for a resource, built on first use.
    fn hop(&mut self, id: &'a ResourceId) -> Result<Hop, BuildError> {
        if let Some(hop) = self.hops.get(id) {
            return Ok(*hop);
        }
        let Some(r) = self.d.resource(id.as_str()) else {
            return Ok(Hop::Unmodelled(0));
        };
        let id = &r.id;
        let hop = match &r.config {
            Config::Ec2Instance(c) => {
                let (vcpus, _) = vcpus_of(&c.instance_type)
                    .ok_or_else(|| Self::unknown(id, &c.instance_type))?;
                let mut spec = Self::compute_spec(id.clone(), vcpus, &c.app);
                spec.az = self.azs_of(r).first().copied();
                spec.hourly_usd = ec2_price(
                    &c.instance_type,
                    &self.region_of(id.as_str()),
                    c.purchase_option,
                );
                let s = self.push_station(spec);
                self.hops.insert(id, Hop::Station(s));
                let calls = self.calls_of(id)?;
                self.net.stations[s as usize].calls = calls;
                Hop::Station(s)
            }
            Config::AutoScalingGroup(c) => self.group(id, c)?,
            Config::LambdaFunction(c) => {
                // Each concurrent execution is a server; beyond them, invocations are
                // throttled rather than queued (synchronous invocations get a 429).
                let concurrency = c
                    .reserved_concurrency
                    .unwrap_or(LAMBDA_ACCOUNT_CONCURRENCY)
                    .max(1);
                let s = self.push_station(StationSpec {
                    id: id.clone(),
                    role: Role::Compute,
                    servers: concurrency,
                    capacity: concurrency,
                    mean_service_secs: (c.average_duration_ms / 1000.0).max(1e-9),
                    distribution: ServiceDistribution::Exponential,
                    cv: 1.0,
                    hit_ratio: 0.0,
                    calls: Vec::new(),
                    az: None,
                    failover_secs: None,
                    group: None,
                    hourly_usd: None,
                    lambda: Some(LambdaSpec {
                        cold_start_secs: c.cold_start_ms.max(0.0) / 1000.0,
                        keep_warm_secs: f64::from(c.keep_warm_secs),
                    }),
                });
                self.hops.insert(id, Hop::Station(s));
                let calls = self.calls_of(id)?;
                self.net.stations[s as usize].calls = calls;
                Hop::Station(s)
            }
            Config::ApiGateway(_) => self.relay(id, 0.0)?,
            Config::RdsInstance(c) => {
                let (vcpus, memory_gib) = vcpus_of(&c.instance_class)
                    .ok_or_else(|| Self::unknown(id, &c.instance_class))?;
                let s = self.push_station(StationSpec {
                    id: id.clone(),
                    role: Role::Database,
                    servers: vcpus.max(1),
                    capacity: c
                        .max_connections
                        .unwrap_or_else(|| default_connections(c.engine, memory_gib))
                        .max(vcpus.max(1)),
                    mean_service_secs: (c.query_time_ms / 1000.0).max(1e-9),
                    distribution: ServiceDistribution::Exponential,
                    cv: 1.0,
                    hit_ratio: 0.0,
                    calls: Vec::new(),
                    az: self.azs_of(r).first().copied(),
                    failover_secs: c.multi_az.then_some(f64::from(c.failover_secs)),
                    group: None,
                    // Multi-AZ bills the standby too.
                    hourly_usd: rds_engine_name(c.engine)
                        .and_then(|engine| {
                            crate::pricing::rds_hourly(
                                &c.instance_class,
                                &self.region_of(id.as_str()),
                                engine,
                            )
                        })
                        .map(|p| p.usd * if c.multi_az { 2.0 } else { 1.0 }),
                    lambda: None,
                });
                Hop::Station(s)
            }
            Config::ElastiCacheCluster(c) => {
                let (vcpus, _) =
                    vcpus_of(&c.node_type).ok_or_else(|| Self::unknown(id, &c.node_type))?;
                let s = self.push_station(StationSpec {
                    id: id.clone(),
                    role: Role::Cache,
                    servers: (vcpus * c.shards.max(1)).max(1),
                    // ElastiCache accepts up to 65,000 client connections per node.
                    capacity: 65_000u32.saturating_mul(c.shards.max(1)),
                    mean_service_secs: (c.operation_time_ms / 1000.0).max(1e-9),
                    distribution: ServiceDistribution::Exponential,
                    cv: 1.0,
                    hit_ratio: c.hit_ratio.clamp(0.0, 1.0),
                    calls: Vec::new(),
                    az: self.azs_of(r).first().copied(),
                    failover_secs: (c.engine
                        != crate::model::config::database::CacheEngine::Memcached
                        && c.replicas_per_shard > 0
                        && c.automatic_failover)
                        .then_some(f64::from(c.failover_secs)),
                    group: None,
                    hourly_usd: crate::pricing::elasticache_hourly(
                        &c.node_type,
                        &self.region_of(id.as_str()),
                        cache_engine_name(c.engine),
                    )
                    .map(|p| {
                        let replicas =
                            if c.engine == crate::model::config::database::CacheEngine::Memcached {
                                0
                            } else {
                                c.replicas_per_shard
                            };
                        p.usd * f64::from(c.shards.max(1) * (1 + replicas))
                    }),
                    lambda: None,
                });
                Hop::Station(s)
            }
            Config::ApplicationLoadBalancer(c) => {
                self.balancer(id, c.routing_algorithm, &c.health_check)?
            }
            Config::NetworkLoadBalancer(c) => {
                self.balancer(id, RoutingAlgorithm::FlowHash, &c.health_check)?
            }
            Config::ClassicLoadBalancer(c) => {
                self.balancer(id, RoutingAlgorithm::RoundRobin, &c.health_check)?
            }
            Config::Route53HostedZone(z) => {
                let hop = self.relay(id, 0.0)?;
                if let Hop::Relay(index) = hop {
                    let dns = self.dns(z)?;
                    self.net.relays[index as usize].dns = dns;
                }
                hop
            }
            Config::CloudFrontDistribution(c) => {
                self.relay(id, c.cache_hit_ratio.clamp(0.0, 1.0))?
            }
            _ => {
                let index = self.net.unmodelled.len() as u32;
                self.net.unmodelled.push(id.clone());
                Hop::Unmodelled(index)
            }
        };
        self.hops.insert(id, hop);
        Ok(hop)
    }

    /// An Auto Scaling group: its desired instances, with the launch template's type and
    /// application, all making the group's calls (scaling arrives with its policies).
    fn group(
        &mut self,
        id: &'a ResourceId,
        c: &crate::model::config::compute::AutoScalingGroup,
    ) -> Result<Hop, BuildError> {
        let template = c
            .launch_template
            .as_ref()
            .and_then(|t| self.d.resource(t.as_str()))
            .and_then(|t| match &t.config {
                Config::LaunchTemplate(t) => Some(t),
                _ => None,
            });
        let instance_type = template.map_or(c.instance_type.as_str(), |t| t.instance_type.as_str());
        let app = template.map_or_else(AppServer::default, |t| t.app.clone());
        let detailed = template
            .is_some_and(|t| t.monitoring == crate::model::config::compute::Monitoring::Detailed);
        let (vcpus, _) = vcpus_of(instance_type).ok_or_else(|| Self::unknown(id, instance_type))?;
        let index = self.net.groups.len() as u32;
        let azs = self
            .d
            .resource(id.as_str())
            .map(|r| self.azs_of(r))
            .unwrap_or_default();
        let mut stations = Vec::new();
        for n in 1..=c.desired_capacity {
            let name = ResourceId::new(format!("{id}.i{n}")).unwrap_or_else(|_| id.clone());
            let mut spec = Self::compute_spec(name, vcpus, &app);
            spec.hourly_usd = ec2_price(
                instance_type,
                &self.region_of(id.as_str()),
                c.purchase_option,
            );
            // Balanced across the group's AZs, as Auto Scaling launches them.
            spec.az = (!azs.is_empty()).then(|| azs[(n as usize - 1) % azs.len()]);
            spec.group = Some(index);
            stations.push(self.push_station(spec));
        }
        let template = match stations.first() {
            Some(s) => *s,
            None => {
                let mut spec = Self::compute_spec(id.clone(), vcpus, &app);
                spec.group = Some(index);
                self.push_station(spec)
            }
        };
        let cpu_target = c.scaling_policies.iter().find_map(|p| match p {
            crate::model::config::compute::ScalingPolicy::TargetTracking(t)
                if t.metric == crate::model::config::compute::ScalingMetric::CpuUtilization =>
            {
                Some((
                    TargetTracking {
                        target: t.target_value.clamp(1.0, 100.0),
                        disable_scale_in: t.disable_scale_in,
                    },
                    t.warmup_secs,
                ))
            }
            _ => None,
        });
        // Without a default instance warm-up, policies fall back to the estimated warm-up,
        // which defaults to the default cooldown (EC2 Auto Scaling user guide).
        let warmup = cpu_target
            .and_then(|(_, w)| w)
            .or(c.default_instance_warmup_secs)
            .unwrap_or(c.default_cooldown_secs);
        self.net.group_specs.push(GroupSpec {
            min: c.min_size,
            max: c.max_size.max(c.min_size),
            desired: c.desired_capacity,
            cpu_target: cpu_target.map(|(t, _)| t),
            metric_period_secs: if detailed { 60.0 } else { 300.0 },
            warmup_secs: f64::from(warmup),
            azs,
            launch_secs: f64::from(c.launch_time_secs),
            elb_health_checks: c.health_check_type
                == crate::model::config::compute::HealthCheckType::Elb,
            grace_secs: f64::from(c.health_check_grace_period_secs),
            template,
        });
        self.net.groups.push((id.clone(), stations.clone()));
        self.hops.insert(id, Hop::Group(index));
        let calls = self.calls_of(id)?;
        for s in stations {
            self.net.stations[s as usize].calls = calls.clone();
        }
        Ok(Hop::Group(index))
    }

    fn relay(&mut self, id: &'a ResourceId, hit_ratio: f64) -> Result<Hop, BuildError> {
        let index = self.net.relays.len() as u32;
        let hop = Hop::Relay(index);
        self.hops.insert(id, hop);
        self.net.relays.push(RelaySpec {
            id: id.clone(),
            hit_ratio,
            next: Vec::new(),
            dns: None,
        });
        let next = self.calls_of(id)?;
        self.net.relays[index as usize].next = next;
        Ok(hop)
    }

    /// The first record of a zone that answers with resources of the diagram.
    fn dns(
        &mut self,
        zone: &'a crate::model::config::edge::Route53HostedZone,
    ) -> Result<Option<DnsSpec>, BuildError> {
        for record in &zone.records {
            let mut answers = Vec::new();
            for t in &record.targets {
                if self.d.contains(t.target.as_str()) {
                    answers.push(Answer {
                        hop: self.hop(&t.target)?,
                        weight: t.weight,
                        primary: t.failover == crate::model::config::edge::FailoverRole::Primary,
                        checked: t.health_check,
                    });
                }
            }
            if !answers.is_empty() {
                return Ok(Some(DnsSpec {
                    routing: record.routing,
                    ttl_secs: f64::from(record.ttl_secs),
                    check_interval_secs: f64::from(record.health_check_interval_secs.max(1)),
                    failure_threshold: record.health_check_failure_threshold.max(1),
                    answers,
                }));
            }
        }
        Ok(None)
    }

    fn balancer(
        &mut self,
        id: &'a ResourceId,
        algorithm: RoutingAlgorithm,
        check: &crate::model::config::edge::HealthCheck,
    ) -> Result<Hop, BuildError> {
        let index = self.net.balancers.len() as u32;
        let hop = Hop::Balancer(index);
        // Registered before its targets, so a loop back to it ends here.
        self.hops.insert(id, hop);
        self.net.balancers.push(BalancerSpec {
            id: id.clone(),
            algorithm,
            targets: Vec::new(),
            check_interval_secs: f64::from(check.interval_secs.max(1)),
            healthy_threshold: check.healthy_threshold.max(1),
            unhealthy_threshold: check.unhealthy_threshold.max(1),
            groups: Vec::new(),
        });
        let mut targets = Vec::new();
        let mut groups = Vec::new();
        for hop in self.calls_of(id)? {
            match hop {
                Hop::Station(s) => targets.push(s),
                Hop::Group(g) => {
                    targets.extend(self.net.groups[g as usize].1.iter().copied());
                    groups.push(g);
                }
                _ => {}
            }
        }
        self.net.balancers[index as usize].targets = targets;
        self.net.balancers[index as usize].groups = groups;
        Ok(hop)
    }
}

/// The engine as the RDS price table names it.
fn rds_engine_name(engine: crate::model::config::database::RdsEngine) -> Option<&'static str> {
    use crate::model::config::database::RdsEngine;
    match engine {
        RdsEngine::MySql => Some("MySQL"),
        RdsEngine::PostgreSql => Some("PostgreSQL"),
        RdsEngine::MariaDb => Some("MariaDB"),
        _ => None,
    }
}

/// The engine as the ElastiCache price table names it.
fn cache_engine_name(engine: crate::model::config::database::CacheEngine) -> &'static str {
    use crate::model::config::database::CacheEngine;
    match engine {
        CacheEngine::Redis => "Redis",
        CacheEngine::Valkey => "Valkey",
        CacheEngine::Memcached => "Memcached",
    }
}

/// The engine's default `max_connections` for a class with `memory_gib` of memory.
fn default_connections(engine: crate::model::config::database::RdsEngine, memory_gib: f64) -> u32 {
    use crate::model::config::database::RdsEngine;
    let bytes = memory_gib * 1024.0 * 1024.0 * 1024.0;
    let n = match engine {
        RdsEngine::PostgreSql => (bytes / 9_531_392.0).min(5000.0),
        _ => bytes / 12_582_880.0,
    };
    n.max(1.0) as u32
}

/// The network of `d`: every Users resource with its traffic links followed.
pub fn build(d: &Diagram) -> Result<Net, BuildError> {
    let mut b = Builder {
        d,
        net: Net {
            azs: d
                .resources()
                .filter(|r| r.kind() == Kind::AvailabilityZone)
                .map(|r| r.id.clone())
                .collect(),
            ..Net::default()
        },
        hops: HashMap::new(),
    };
    for r in d.resources().filter(|r| r.kind() == Kind::Users) {
        let Config::Users(u) = &r.config else {
            continue;
        };
        let mut next = Vec::new();
        for link in d.links_of(r.id.as_str()) {
            if link.kind == LinkKind::Traffic && link.from == r.id {
                next.push(b.hop(&link.to)?);
            }
        }
        if next.is_empty() {
            continue;
        }
        b.net.sources.push(Source {
            id: r.id.clone(),
            base_rps: u.requests_per_second.max(0.0),
            pattern: u.pattern.clone(),
            peak_rps: peak_of(u.requests_per_second, &u.pattern),
            read_fraction: u.read_fraction.clamp(0.0, 1.0),
            next,
        });
    }
    if b.net.sources.is_empty() {
        return Err(BuildError::NoTraffic);
    }
    Ok(b.net)
}
