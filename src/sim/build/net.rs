//! The network a run simulates: traffic sources, stations, balancers, relays and groups,
//! as the builder derives them from a diagram.

use crate::model::ResourceId;
use crate::model::config::compute::ServiceDistribution;
use crate::model::config::edge::RoutingAlgorithm;
use crate::model::config::services::TrafficPattern;

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
    /// A link the network may stop: its guard decides, then the request goes on.
    Guarded(u32),
    /// A database and its read replicas: writes to the database, reads spread over the
    /// replicas in service.
    ReadSplit(u32),
}

/// The calls of one tier to a database and its read replicas.
#[derive(Clone, Debug)]
pub struct SplitSpec {
    pub writes: Hop,
    /// The calls to the replicas, and each one's station.
    pub reads: Vec<(Hop, u32)>,
}

/// What the network does to requests along one link, by the AZ they are sent from.
#[derive(Clone, Debug)]
pub struct GuardSpec {
    pub from: ResourceId,
    pub to: ResourceId,
    /// Where the link leads.
    pub inner: Hop,
    /// Per sender AZ (index into `Net::azs`; none outside AZs).
    pub per_az: Vec<(Option<u32>, Gate)>,
}

impl GuardSpec {
    /// The gate a sender in AZ `az` meets, and its index in `per_az`: its AZ's, or the
    /// first for a sender outside AZs (or in one the link does not list).
    pub fn gate_for(&self, az: Option<u32>) -> (usize, Option<&Gate>) {
        let index = self.per_az.iter().position(|(a, _)| *a == az).unwrap_or(0);
        (index, self.per_az.get(index).map(|(_, gate)| gate))
    }
}

/// The network's verdict on a link from one place.
#[derive(Clone, Debug, PartialEq)]
pub enum Gate {
    Open,
    /// Always stopped, with the reason.
    Blocked(String),
    /// Leaves through a NAT gateway in this AZ: stopped while the AZ is out.
    ViaNat {
        nat: ResourceId,
        az: Option<u32>,
    },
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
    /// Kilobytes of each response, for the data the run moves.
    pub response_kb: f64,
    /// What the pattern's rates are multiplied by: 1 over the sampling weight.
    pub rate_scale: f64,
    /// Where its users are (continent, country), for latency and geolocation routing.
    pub place: Option<(super::geo::Continent, Option<&'static str>)>,
    pub next: Vec<Hop>,
}

impl Source {
    /// The request rate at `t` seconds, per the pattern.
    pub fn rate_at(&self, t: f64) -> f64 {
        let base = self.base_rps;
        let rate = match &self.pattern {
            TrafficPattern::Constant => base,
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
        rate.max(0.0) * self.rate_scale
    }
}

/// What a station stands for, which decides how calls through it behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An application server: serves, then makes its calls in order.
    Compute,
    /// A database: serves queries.
    Database,
    /// A read-through cache: a hit spares the caller its next database call.
    Cache,
    /// A managed store (DynamoDB, S3): a latency per request, no queue of its own, and
    /// request-rate limits.
    Store,
    /// The front of a queue (an SQS send): once sent, the message waits for a consumer.
    Queue,
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
    /// A Multi-AZ database's standby: the AZ it runs in, where it takes over.
    pub standby_az: Option<u32>,
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
    /// A burstable (T-family) instance: how it earns and spends CPU credits.
    pub burst: Option<BurstSpec>,
    /// A Memcached cluster: its nodes, each holding an equal share of the keys.
    pub cache_nodes: Option<CacheNodes>,
    /// An RDS instance's read replicas (stations), and for a replica its source.
    pub replicas: Vec<u32>,
    pub replica_of: Option<u32>,
    /// Request-rate limits (DynamoDB capacity, S3 per-prefix rates).
    pub limit: Option<RateLimit>,
    /// A request served here puts a message in each of these queues (an SQS send, a
    /// bucket's event notifications) ...
    pub enqueues: Vec<u32>,
    /// ... only when it writes (a bucket notifies of new objects, not of reads).
    pub enqueues_writes_only: bool,
    /// The queue this station takes messages from whenever a worker is free.
    pub consumes: Option<u32>,
    /// A spot instance: EC2 may interrupt it with two minutes' notice.
    pub spot: bool,
    /// The Region it runs in (index into `Net::regions`), if known.
    pub region: Option<u32>,
}

impl StationSpec {
    /// A station of `role` with one server and nothing else set.
    pub fn new(id: ResourceId, role: Role, mean_service_secs: f64) -> Self {
        StationSpec {
            id,
            role,
            servers: 1,
            capacity: 1,
            mean_service_secs: mean_service_secs.max(1e-9),
            distribution: ServiceDistribution::Exponential,
            cv: 1.0,
            hit_ratio: 0.0,
            calls: Vec::new(),
            az: None,
            standby_az: None,
            failover_secs: None,
            group: None,
            hourly_usd: None,
            lambda: None,
            burst: None,
            cache_nodes: None,
            replicas: Vec::new(),
            replica_of: None,
            limit: None,
            enqueues: Vec::new(),
            enqueues_writes_only: false,
            consumes: None,
            spot: false,
            region: None,
        }
    }
}

/// Servers of a store or queue front: requests never wait there for one another.
pub const UNBOUNDED: u32 = 1 << 30;

/// Request-rate limits as token buckets of capacity units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Units per second available to reads and to writes.
    pub read_per_sec: f64,
    pub write_per_sec: f64,
    /// Units one read and one write use.
    pub read_units: f64,
    pub write_units: f64,
    /// Seconds of unused capacity kept for bursts (DynamoDB provisioned: 300).
    pub burst_secs: f64,
    /// DynamoDB on-demand: the limits grow with the traffic seen.
    pub on_demand: Option<OnDemand>,
}

/// DynamoDB on-demand capacity: a new table serves 12,000 read and 4,000 write units a
/// second at once; afterwards up to twice the previous peak, where a new peak counts
/// after 30 minutes; never above the table's maximum (40,000 each by default).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OnDemand {
    pub max_read_per_sec: f64,
    pub max_write_per_sec: f64,
    /// Seconds before a new peak raises the limit.
    pub settle_secs: f64,
}

/// An SQS queue (or the internal queue of asynchronous Lambda invocations).
#[derive(Clone, Debug)]
pub struct QueueSpec {
    pub id: ResourceId,
    /// The resource of the diagram it stands for: the SQS queue, or the resource whose
    /// events a function's internal queue holds.
    pub owner: ResourceId,
    /// Seconds a received message stays hidden; if not deleted by then, it is received
    /// again (SQS visibility timeout; Lambda's retry delay for asynchronous events).
    pub visibility_secs: f64,
    /// Seconds a message is kept before SQS deletes it unread.
    pub retention_secs: f64,
    /// Seconds a new message stays invisible (delay queue).
    pub delay_secs: f64,
    /// Receives after which a message moves to the dead-letter queue (or is dropped).
    pub max_receives: Option<u32>,
    pub dead_letter: Option<u32>,
    /// What consumes it: Auto Scaling groups, instances, Lambda functions.
    pub consumers: Vec<Hop>,
    /// For each consumer, the guard of its polls when it reaches the queue through the
    /// network itself (instances; Lambda's poller is AWS's own).
    pub consumer_guards: Vec<Option<u32>>,
}

/// How a Lambda function's execution environments behave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LambdaSpec {
    pub cold_start_secs: f64,
    pub keep_warm_secs: f64,
    /// An invocation running longer fails (at most 900 s, Lambda quotas).
    pub timeout_secs: f64,
    /// Environments kept initialised: never a cold start while this few are busy.
    pub provisioned: u32,
    /// New environments it may add per 10 s (a bucket refilled continuously).
    pub new_per_10s: f64,
}

/// The nodes of a Memcached cluster: keys are spread over them, so losing one loses its
/// share (ElastiCache user guide, "Mitigating failures" for Memcached).
#[derive(Clone, Debug, PartialEq)]
pub struct CacheNodes {
    /// The AZ of each node (nodes are spread over the subnet group's AZs in turn).
    pub azs: Vec<Option<u32>>,
    /// Servers (vCPUs) of one node.
    pub servers_per_node: u32,
    /// Distinct keys read: a lost node's share misses until read again.
    pub keys: f64,
}

/// CPU credits of a burstable instance. One credit is one vCPU at 100 % for a minute
/// (EC2 user guide, "Key concepts for burstable performance instances").
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BurstSpec {
    pub vcpus: f64,
    /// Share of each vCPU used without spending credits; credits are earned at
    /// `vcpus × baseline` a minute.
    pub baseline: f64,
    /// Unlimited mode: no throttling, surplus credits billed.
    pub unlimited: bool,
    /// Credits of a newly launched instance (standard T2: 30 per vCPU; none otherwise).
    pub launch_credits: f64,
}

impl BurstSpec {
    /// Credits earned per second.
    pub fn earned_per_sec(&self) -> f64 {
        self.vcpus * self.baseline / 60.0
    }

    /// The most credits it holds: 24 hours of earnings.
    pub fn max_credits(&self) -> f64 {
        self.earned_per_sec() * 24.0 * 3600.0
    }
}

/// Concurrent executions per Region (Lambda quotas; adjustable).
pub(super) const LAMBDA_ACCOUNT_CONCURRENCY: u32 = 1000;

/// The longest a Lambda invocation may run, 15 minutes (Lambda quotas).
pub(super) const LAMBDA_MAX_TIMEOUT_SECS: u32 = 900;

/// A Classic Load Balancer's idle timeout (ELB guide: 60 s by default).
pub(super) const CLASSIC_IDLE_TIMEOUT_SECS: f64 = 60.0;

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
    /// The guards of its links to targets: by group, or by station for a lone target.
    pub guards: Vec<(Hop, u32)>,
    /// Seconds it waits for a target's answer before answering 504 (its idle timeout);
    /// none for a Network Load Balancer, which passes connections through.
    pub timeout_secs: Option<f64>,
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
    /// Seconds it waits for what it passes requests to (API Gateway's integration
    /// timeout).
    pub timeout_secs: Option<f64>,
}

/// The DNS record users resolve, and how Route 53 answers it.
#[derive(Clone, Debug)]
pub struct DnsSpec {
    pub routing: crate::model::config::edge::RoutingPolicy,
    /// Each answer's geolocation location (`Default`, a continent or country code).
    pub locations: Vec<String>,
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
    /// The continent of its Region, for latency routing.
    pub continent: Option<super::geo::Continent>,
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
    /// The Regions of the diagram, by resource id.
    pub regions: Vec<ResourceId>,
    /// The Region of each AZ (index into `regions`).
    pub az_regions: Vec<Option<u32>>,
    /// Message queues.
    pub queues: Vec<QueueSpec>,
    /// CloudWatch alarms: drawn ones and those of step and simple scaling policies.
    pub alarms: Vec<super::alarms::AlarmSpec>,
    /// Scheduled actions of Auto Scaling groups.
    pub schedules: Vec<super::alarms::ScheduleSpec>,
    pub unmodelled: Vec<ResourceId>,
    /// Read/write splits over databases and their replicas.
    pub splits: Vec<SplitSpec>,
    /// Links the network stops or sends through a NAT gateway.
    pub guards: Vec<GuardSpec>,
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
    /// Names of new members: `i` for instances (`web.i3`), `t` for tasks (`api.t3`).
    pub member_prefix: char,
    /// Size limits and the size at the start.
    pub min: u32,
    pub max: u32,
    pub desired: u32,
    /// Target tracking policies.
    pub tracking: Vec<TargetTracking>,
    /// Seconds between metric datapoints: 60 with detailed monitoring, 300 with basic.
    pub metric_period_secs: f64,
    /// Seconds a new instance's metrics stay out of the group's and block scale-in.
    pub warmup_secs: f64,
}

/// What a target tracking policy holds near its target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrackedMetric {
    /// Average CPU utilization of the warm instances in service, percent.
    Cpu,
    /// Visible messages of the queue the group consumes, per instance in service (none
    /// until the queue is known).
    Backlog(Option<u32>),
    /// Requests per instance per minute from its load balancers.
    RequestsPerTarget,
}

impl TrackedMetric {
    /// In words, for the event log.
    pub fn label(self) -> &'static str {
        match self {
            TrackedMetric::Cpu => "CPU",
            TrackedMetric::Backlog(_) => "backlog per instance",
            TrackedMetric::RequestsPerTarget => "requests per target",
        }
    }
}

/// A target tracking policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetTracking {
    pub metric: TrackedMetric,
    /// The value to hold.
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
    /// A scheduled action's recurrence is not a cron expression.
    #[error(
        "{id}: scheduled action `{name}` has recurrence `{recurrence}`, which is not a cron expression ({reason}); write five fields, such as `0 9 * * 1-5`"
    )]
    BadRecurrence {
        /// The Auto Scaling group.
        id: ResourceId,
        /// The action.
        name: String,
        /// What was written.
        recurrence: String,
        /// Why it does not parse.
        reason: String,
    },
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
