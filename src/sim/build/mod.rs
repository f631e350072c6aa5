//! Turns a diagram into the network the engine runs: traffic sources, balancers and
//! server stations joined along the traffic links.

use std::collections::HashMap;

use crate::model::config::compute::{AppServer, ServiceDistribution};
use crate::model::config::edge::RoutingAlgorithm;
use crate::model::config::services::TrafficPattern;
use crate::model::{Config, Diagram, Kind, LinkKind, ResourceId};

mod alarms;
mod data;
pub(crate) mod geo;
mod group;
mod net;
mod prices;
mod replicas;
mod sampling;

pub use alarms::*;
pub use net::*;
use prices::*;
pub(crate) use sampling::dilate;

struct Builder<'a> {
    d: &'a Diagram,
    net: Net,
    hops: HashMap<&'a ResourceId, Hop>,
}

impl<'a> Builder<'a> {
    /// The Region code of a resource, for its prices.
    fn region_of(&self, id: &str) -> String {
        self.d.region_code(id).to_owned()
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

    fn push_station(&mut self, mut spec: StationSpec) -> u32 {
        if spec.region.is_none() {
            spec.region = self.region_index(spec.id.as_str());
        }
        self.net.stations.push(spec);
        (self.net.stations.len() - 1) as u32
    }

    /// The index of the Region resource enclosing `id`.
    fn region_index(&self, id: &str) -> Option<u32> {
        let region = self.d.enclosing(id, Kind::Region)?;
        self.net
            .regions
            .iter()
            .position(|r| *r == region.id)
            .map(|i| i as u32)
    }

    fn compute_spec(name: ResourceId, vcpus: u32, app: &AppServer) -> StationSpec {
        let servers = (vcpus * app.workers_per_vcpu).max(1);
        StationSpec {
            servers,
            capacity: servers.saturating_add(app.queue_capacity),
            distribution: app.service_distribution,
            cv: app.service_time_cv.max(0.0),
            ..StationSpec::new(name, Role::Compute, app.service_time_ms / 1000.0)
        }
    }

    /// An EC2 instance of `instance_type` running `app`, bought as `purchase`: its
    /// servers, price and whether EC2 may interrupt it.
    fn ec2_spec(
        &self,
        id: &ResourceId,
        instance_type: &str,
        purchase: crate::model::config::compute::PurchaseOption,
        app: &AppServer,
        credits: crate::model::config::compute::CpuCredits,
    ) -> Result<StationSpec, BuildError> {
        use crate::model::config::compute::CpuCredits;
        let (vcpus, _) = vcpus_of(instance_type).ok_or_else(|| Self::unknown(id, instance_type))?;
        let mut spec = Self::compute_spec(id.clone(), vcpus, app);
        spec.hourly_usd = ec2_price(instance_type, &self.region_of(id.as_str()), purchase);
        spec.spot = purchase == crate::model::config::compute::PurchaseOption::Spot;
        spec.burst = crate::aws::burstable(instance_type).map(|b| {
            let unlimited = match credits {
                CpuCredits::Standard => false,
                CpuCredits::Unlimited => true,
                // T2 launches in standard mode, T3, T3a and T4g in unlimited mode.
                CpuCredits::FamilyDefault => !instance_type.starts_with("t2."),
            };
            BurstSpec {
                vcpus: f64::from(vcpus),
                baseline: b.baseline_per_vcpu,
                unlimited,
                launch_credits: if unlimited {
                    0.0
                } else {
                    b.launch_credits_per_vcpu * f64::from(vcpus)
                },
            }
        });
        Ok(spec)
    }

    /// The hops of `id`'s outgoing traffic links, each behind its guard when the network
    /// may stop it.
    fn calls_of(&mut self, id: &'a ResourceId) -> Result<Vec<Hop>, BuildError> {
        let mut calls = Vec::new();
        for link in self.d.links_of(id.as_str()) {
            if link.kind == LinkKind::Traffic && &link.from == id {
                let hop = self.hop(&link.to)?;
                calls.push(self.guarded(id, &link.to, hop));
            }
        }
        Ok(calls)
    }

    /// `hop` behind a guard when the network stops the link or sends it through a NAT
    /// gateway from some AZ; `hop` itself when it is open from everywhere.
    fn guarded(&mut self, from: &ResourceId, to: &ResourceId, hop: Hop) -> Hop {
        let (Some(sender), Some(receiver)) =
            (self.d.resource(from.as_str()), self.d.resource(to.as_str()))
        else {
            return hop;
        };
        let verdict = crate::reach::link(self.d, sender, receiver);
        if verdict
            .from
            .iter()
            .all(|(_, p)| *p == crate::reach::Passage::Open)
        {
            return hop;
        }
        let per_az = verdict
            .from
            .into_iter()
            .map(|(az, passage)| {
                let az = az.and_then(|a| self.az_index(&a));
                let gate = match passage {
                    crate::reach::Passage::Open => Gate::Open,
                    crate::reach::Passage::Blocked { why, .. } => Gate::Blocked(why),
                    crate::reach::Passage::ViaNat { nat } => Gate::ViaNat {
                        az: self
                            .d
                            .enclosing(nat.as_str(), Kind::AvailabilityZone)
                            .and_then(|a| self.az_index(&a.id)),
                        nat,
                    },
                };
                (az, gate)
            })
            .collect();
        self.net.guards.push(GuardSpec {
            from: from.clone(),
            to: to.clone(),
            inner: hop,
            per_az,
        });
        Hop::Guarded((self.net.guards.len() - 1) as u32)
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
                let mut spec = self.ec2_spec(
                    id,
                    &c.instance_type,
                    c.purchase_option,
                    &c.app,
                    c.cpu_credits,
                )?;
                spec.az = self.azs_of(r).first().copied();
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
                    servers: concurrency,
                    capacity: concurrency,
                    lambda: Some(LambdaSpec {
                        cold_start_secs: c.cold_start_ms.max(0.0) / 1000.0,
                        keep_warm_secs: f64::from(c.keep_warm_secs),
                        timeout_secs: f64::from(c.timeout_secs.clamp(1, LAMBDA_MAX_TIMEOUT_SECS)),
                        provisioned: c.provisioned_concurrency,
                        new_per_10s: f64::from(c.new_environments_per_10s.max(1)),
                    }),
                    ..StationSpec::new(id.clone(), Role::Compute, c.average_duration_ms / 1000.0)
                });
                self.hops.insert(id, Hop::Station(s));
                let calls = self.calls_of(id)?;
                self.net.stations[s as usize].calls = calls;
                Hop::Station(s)
            }
            Config::ApiGateway(c) => {
                let hop = self.relay(id, 0.0)?;
                if let Hop::Relay(index) = hop {
                    self.net.relays[index as usize].timeout_secs =
                        Some(f64::from(c.integration_timeout_ms) / 1000.0);
                }
                hop
            }
            Config::RdsInstance(c) => {
                let (vcpus, memory_gib) = vcpus_of(&c.instance_class)
                    .ok_or_else(|| Self::unknown(id, &c.instance_class))?;
                // The primary runs in the first AZ of its subnet group, the standby in
                // another one.
                let azs = self.azs_of(r);
                let s = self.push_station(StationSpec {
                    servers: vcpus.max(1),
                    capacity: c
                        .max_connections
                        .unwrap_or_else(|| default_connections(c.engine, memory_gib))
                        .max(vcpus.max(1)),
                    az: azs.first().copied(),
                    standby_az: azs.get(1).copied().filter(|_| c.multi_az),
                    failover_secs: c.multi_az.then_some(f64::from(c.failover_secs)),
                    // Multi-AZ bills the standby too.
                    hourly_usd: rds_engine_name(c.engine)
                        .and_then(|engine| {
                            crate::aws::rds_hourly(
                                &c.instance_class,
                                &self.region_of(id.as_str()),
                                engine,
                            )
                        })
                        .map(|p| p.usd * if c.multi_az { 2.0 } else { 1.0 }),
                    ..StationSpec::new(id.clone(), Role::Database, c.query_time_ms / 1000.0)
                });
                Hop::Station(s)
            }
            Config::ElastiCacheCluster(c) => {
                use crate::model::config::database::CacheEngine;
                let (vcpus, _) =
                    vcpus_of(&c.node_type).ok_or_else(|| Self::unknown(id, &c.node_type))?;
                // The primary runs in the first AZ of the subnet group, its replica in the
                // next one (or beside it when the group has one AZ).
                let azs = self.azs_of(r);
                let fails_over = c.engine != CacheEngine::Memcached
                    && c.replicas_per_shard > 0
                    && c.automatic_failover;
                let s = self.push_station(StationSpec {
                    servers: (vcpus * c.shards.max(1)).max(1),
                    // ElastiCache accepts up to 65,000 client connections per node.
                    capacity: 65_000u32.saturating_mul(c.shards.max(1)),
                    hit_ratio: c.hit_ratio.clamp(0.0, 1.0),
                    cache_nodes: (c.engine == CacheEngine::Memcached).then(|| CacheNodes {
                        azs: (0..c.shards.max(1) as usize)
                            .map(|i| (!azs.is_empty()).then(|| azs[i % azs.len()]))
                            .collect(),
                        servers_per_node: vcpus.max(1),
                        keys: f64::from(c.working_set_keys.max(1)),
                    }),
                    az: azs.first().copied(),
                    standby_az: azs.get(1).or(azs.first()).copied().filter(|_| fails_over),
                    failover_secs: fails_over.then_some(f64::from(c.failover_secs)),
                    hourly_usd: crate::aws::elasticache_hourly(
                        &c.node_type,
                        &self.region_of(id.as_str()),
                        cache_engine_name(c.engine),
                    )
                    .map(|p| {
                        let replicas = if c.engine == CacheEngine::Memcached {
                            0
                        } else {
                            c.replicas_per_shard
                        };
                        p.usd * f64::from(c.shards.max(1) * (1 + replicas))
                    }),
                    ..StationSpec::new(id.clone(), Role::Cache, c.operation_time_ms / 1000.0)
                });
                Hop::Station(s)
            }
            Config::ApplicationLoadBalancer(c) => {
                let timeout = Some(f64::from(c.idle_timeout_secs.max(1)));
                self.balancer(id, c.routing_algorithm, &c.health_check, timeout)?
            }
            Config::NetworkLoadBalancer(c) => {
                self.balancer(id, RoutingAlgorithm::FlowHash, &c.health_check, None)?
            }
            Config::ClassicLoadBalancer(c) => {
                // A Classic Load Balancer's idle timeout is 60 s by default (ELB guide).
                let timeout = Some(CLASSIC_IDLE_TIMEOUT_SECS);
                self.balancer(id, RoutingAlgorithm::RoundRobin, &c.health_check, timeout)?
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
            Config::DynamoDbTable(c) => self.dynamodb(id, c),
            Config::EcsService(c) => self.ecs_service(id, c)?,
            Config::AuroraCluster(c) => self.aurora(id, r, c)?,
            Config::S3Bucket(c) => self.bucket(id, c)?,
            Config::EventBridgeBus(c) => self.event_bus(id, c)?,
            Config::SqsQueue(c) => self.queue(id, c)?,
            // Not modelled as a hop: requests that reach these are counted as reaching an
            // unmodelled resource, and the run report lists it.
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
            | Config::NetworkInterface(_)
            | Config::VpcEndpoint(_)
            | Config::VpcPeering(_)
            | Config::VirtualPrivateGateway(_)
            | Config::TransitGateway(_)
            | Config::SiteToSiteVpn(_)
            | Config::CustomerGateway(_)
            | Config::DirectConnect(_)
            | Config::GatewayLoadBalancer(_)
            | Config::LaunchTemplate(_)
            | Config::ElasticBeanstalkEnvironment(_)
            | Config::EcsCluster(_)
            | Config::EcsTaskDefinition(_)
            | Config::EksCluster(_)
            | Config::EcrRepository(_)
            | Config::EbsVolume(_)
            | Config::InstanceStore(_)
            | Config::EfsFileSystem(_)
            | Config::FsxFileSystem(_)
            | Config::GlacierVault(_)
            | Config::MemoryDbCluster(_)
            | Config::DocumentDbCluster(_)
            | Config::KeyspacesTable(_)
            | Config::NeptuneCluster(_)
            | Config::TimestreamDatabase(_)
            | Config::QldbLedger(_)
            | Config::StepFunctionsStateMachine(_)
            | Config::SnsTopic(_)
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
            | Config::OnPremisesDataCenter(_) => {
                let index = self.net.unmodelled.len() as u32;
                self.net.unmodelled.push(id.clone());
                Hop::Unmodelled(index)
            }
        };
        self.hops.insert(id, hop);
        Ok(hop)
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
            timeout_secs: None,
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
            let mut locations = Vec::new();
            for t in &record.targets {
                if self.d.contains(t.target.as_str()) {
                    let region = self.region_of(t.target.as_str());
                    answers.push(Answer {
                        hop: self.hop(&t.target)?,
                        weight: t.weight,
                        primary: t.failover == crate::model::config::edge::FailoverRole::Primary,
                        checked: t.health_check,
                        continent: geo::continent_of_region(&region),
                    });
                    locations.push(t.location.clone());
                }
            }
            if !answers.is_empty() {
                return Ok(Some(DnsSpec {
                    routing: record.routing,
                    locations,
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
        timeout_secs: Option<f64>,
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
            guards: Vec::new(),
            timeout_secs,
        });
        let mut targets = Vec::new();
        let mut groups = Vec::new();
        let mut guards = Vec::new();
        for hop in self.calls_of(id)? {
            let (hop, guard) = match hop {
                Hop::Guarded(g) => (self.net.guards[g as usize].inner, Some(g)),
                other => (other, None),
            };
            match hop {
                Hop::Station(s) => targets.push(s),
                Hop::Group(g) => {
                    targets.extend(self.net.groups[g as usize].1.iter().copied());
                    groups.push(g);
                }
                _ => continue,
            }
            if let Some(guard) = guard {
                guards.push((hop, guard));
            }
        }
        self.net.balancers[index as usize].targets = targets;
        self.net.balancers[index as usize].groups = groups;
        self.net.balancers[index as usize].guards = guards;
        Ok(hop)
    }
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
            regions: d
                .resources()
                .filter(|r| r.kind() == Kind::Region)
                .map(|r| r.id.clone())
                .collect(),
            ..Net::default()
        },
        hops: HashMap::new(),
    };
    for r in d.resources() {
        // Users, or the people of an on-premises data center (a steady rate).
        let (rps, pattern, read_fraction, response_kb, place) = match &r.config {
            Config::Users(u) => (
                u.requests_per_second,
                u.pattern.clone(),
                u.read_fraction,
                u.response_kb,
                geo::place_of(&u.location),
            ),
            // A data center is where its Region's continent is.
            Config::OnPremisesDataCenter(o) => (
                o.requests_per_second,
                TrafficPattern::Constant,
                o.read_fraction,
                o.response_kb,
                geo::continent_of_region(&b.region_of(r.id.as_str())).map(|c| (c, None)),
            ),
            _ => continue,
        };
        let next = b.calls_of(&r.id)?;
        if next.is_empty() {
            continue;
        }
        b.net.sources.push(Source {
            id: r.id.clone(),
            base_rps: rps.max(0.0),
            peak_rps: pattern.peak_rps(rps),
            pattern,
            read_fraction: read_fraction.clamp(0.0, 1.0),
            response_kb: response_kb.max(0.0),
            rate_scale: 1.0,
            place,
            next,
        });
    }
    b.net.az_regions = b
        .net
        .azs
        .clone()
        .iter()
        .map(|az| b.region_index(az.as_str()))
        .collect();
    b.read_replicas();
    b.drawn_alarms()?;
    if b.net.sources.is_empty() {
        return Err(BuildError::NoTraffic);
    }
    Ok(b.net)
}
