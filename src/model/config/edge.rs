//! Configuration of load balancers, Route 53 and CloudFront.

use serde::{Deserialize, Serialize};

use crate::model::ResourceId;
use crate::model::refs::References;
use crate::model::shape::{Described, Field, Shape};

choice! {
    /// Whether a load balancer faces the internet.
    pub enum LbScheme {
        /// Reachable from the internet; needs public subnets.
        InternetFacing,
        /// Reachable only inside the VPC and connected networks.
        Internal,
    }
    default InternetFacing
}

choice! {
    /// Protocol of a listener, target group or health check.
    pub enum LbProtocol {
        /// HTTP (layer 7).
        Http,
        /// HTTPS (layer 7); a listener needs a certificate.
        Https,
        /// TCP (layer 4).
        Tcp,
        /// TLS over TCP (layer 4); a listener needs a certificate.
        Tls,
        /// UDP (layer 4).
        Udp,
        /// GENEVE, the Gateway Load Balancer's encapsulation.
        Geneve,
    }
    default Http
}

config! {
    /// A listener: the port and protocol a load balancer accepts connections on.
    pub struct Listener {
        /// Protocol.
        pub protocol: LbProtocol = LbProtocol::Http,
        /// Port.
        pub port: u16 = 80,
        /// ACM certificate for HTTPS or TLS listeners.
        pub certificate: Option<ResourceId> = None,
        /// Whether an HTTP listener only redirects to HTTPS.
        pub redirect_to_https: bool = false,
    }
}

config! {
    /// Health check settings of a target group.
    ///
    /// Defaults are the ALB's (Elastic Load Balancing user guide, target group health
    /// checks): every 30 s, 5 s timeout, unhealthy after 2 failures, healthy after 5.
    pub struct HealthCheck {
        /// Protocol of the check.
        pub protocol: LbProtocol = LbProtocol::Http,
        /// Path requested by HTTP(S) checks; a `/monitor` page that also checks the
        /// database tests the whole application (seeds).
        pub path: String = "/".into(),
        /// Seconds between checks (5 to 300).
        pub interval_secs: u32 = 30,
        /// Seconds without an answer that count as a failure (2 to 120).
        pub timeout_secs: u32 = 5,
        /// Consecutive successes before an unhealthy target is healthy again (2 to 10).
        pub healthy_threshold: u32 = 5,
        /// Consecutive failures before a target is unhealthy (2 to 10).
        pub unhealthy_threshold: u32 = 2,
    }
}

choice! {
    /// How a load balancer picks a target.
    pub enum RoutingAlgorithm {
        /// Each target in turn (ALB default).
        RoundRobin,
        /// The target with the fewest requests in flight.
        LeastOutstandingRequests,
        /// A random target, weighted.
        WeightedRandom,
        /// A hash of the flow's addresses and ports (NLB).
        FlowHash,
    }
    default RoundRobin
}

config! {
    /// An Application Load Balancer (layer 7: HTTP, HTTPS, WebSocket).
    ///
    /// Its targets are the resources its traffic links lead to.
    pub struct ApplicationLoadBalancer {
        /// Internet-facing or internal.
        pub scheme: LbScheme = LbScheme::InternetFacing,
        /// Subnets, one per Availability Zone; an ALB needs at least two AZs.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of the load balancer.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Listeners.
        pub listeners: Vec<Listener> = vec![Listener::default()],
        /// Health checks of the target group.
        pub health_check: HealthCheck = HealthCheck::default(),
        /// Seconds a deregistering target keeps serving in-flight requests (AWS default 300).
        pub deregistration_delay_secs: u32 = 300,
        /// Target selection (AWS default round robin).
        pub routing_algorithm: RoutingAlgorithm = RoutingAlgorithm::RoundRobin,
        /// Cookie-based stickiness (off by default).
        pub stickiness: bool = false,
        /// Lifetime of the stickiness cookie in seconds (AWS default one day).
        pub stickiness_duration_secs: u32 = 86_400,
        /// Seconds over which a new target's share ramps up; 0 is off (AWS default).
        pub slow_start_secs: u32 = 0,
        /// Idle connection timeout in seconds (AWS default 60).
        pub idle_timeout_secs: u32 = 60,
        /// Web ACL protecting the load balancer.
        pub waf: Option<ResourceId> = None,
        /// Average load balancer capacity units used per hour, for the cost estimate (an
        /// assumption: one LCU is 25 new connections/s, 3,000 active, 1 GB/h or 1,000 rule
        /// evaluations/s, whichever is highest).
        pub lcus: f64 = 1.0,
    }
}

config! {
    /// A Network Load Balancer (layer 4: TCP, UDP, TLS), with static IPs per AZ.
    pub struct NetworkLoadBalancer {
        /// Internet-facing or internal.
        pub scheme: LbScheme = LbScheme::InternetFacing,
        /// Subnets, one per Availability Zone.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups (optional for NLBs).
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Listeners.
        pub listeners: Vec<Listener> = vec![Listener { protocol: LbProtocol::Tcp, ..Listener::default() }],
        /// Health checks: TCP with a 10 s timeout (NLB defaults for TCP checks).
        pub health_check: HealthCheck = HealthCheck { protocol: LbProtocol::Tcp, timeout_secs: 10, ..HealthCheck::default() },
        /// Seconds a deregistering target keeps its connections (AWS default 300).
        pub deregistration_delay_secs: u32 = 300,
        /// Cross-zone load balancing; off by default for NLBs, and inter-AZ data is charged.
        pub cross_zone: bool = false,
        /// Source-IP stickiness.
        pub stickiness: bool = false,
        /// Average network load balancer capacity units used per hour (an assumption).
        pub lcus: f64 = 1.0,
    }
}

config! {
    /// A Gateway Load Balancer: sends traffic through third-party virtual appliances.
    pub struct GatewayLoadBalancer {
        /// Subnets, one per Availability Zone.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Health checks of the appliances.
        pub health_check: HealthCheck = HealthCheck { protocol: LbProtocol::Tcp, ..HealthCheck::default() },
        /// Cross-zone load balancing (off by default).
        pub cross_zone: bool = false,
    }
}

config! {
    /// A Classic Load Balancer (previous generation; prefer ALB or NLB).
    pub struct ClassicLoadBalancer {
        /// Internet-facing or internal.
        pub scheme: LbScheme = LbScheme::InternetFacing,
        /// Subnets, one per Availability Zone.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of the load balancer.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Listeners.
        pub listeners: Vec<Listener> = vec![Listener::default()],
        /// Health checks (CLB: healthy after 2 of 30 s checks is the CDK default).
        pub health_check: HealthCheck = HealthCheck { healthy_threshold: 2, ..HealthCheck::default() },
        /// Connection draining in seconds (AWS default 300).
        pub connection_draining_secs: u32 = 300,
        /// Cross-zone load balancing (off by default for CLBs created by API).
        pub cross_zone: bool = false,
        /// Cookie stickiness.
        pub stickiness: bool = false,
        /// Data processed per month in GB, for the cost estimate (an assumption).
        pub processed_gb_per_month: f64 = 100.0,
    }
}

choice! {
    /// The type of a DNS record.
    pub enum RecordType {
        /// Name to IPv4 address (or alias to an AWS resource).
        A,
        /// Name to IPv6 address.
        Aaaa,
        /// Name to another name; not allowed at the zone apex.
        Cname,
        /// Mail exchanger.
        Mx,
        /// Free text.
        Txt,
    }
    default A
}

choice! {
    /// How Route 53 chooses among a record's targets.
    pub enum RoutingPolicy {
        /// One answer; no health checks.
        Simple,
        /// Shares of traffic by weight.
        Weighted,
        /// The Region with the lowest latency to the user.
        Latency,
        /// The primary while healthy, else the secondary.
        Failover,
        /// By the user's location; needs a default record.
        Geolocation,
        /// Up to eight healthy answers at random.
        Multivalue,
    }
    default Simple
}

choice! {
    /// Role of a target in failover routing.
    pub enum FailoverRole {
        /// Serves while healthy.
        Primary,
        /// Serves when the primary is unhealthy.
        Secondary,
    }
    default Primary
}

/// One answer of a DNS record: a target resource and its routing settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordTarget {
    /// The resource answered (load balancer, distribution, bucket, instance…).
    pub target: ResourceId,
    /// Relative weight for weighted routing.
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// Role for failover routing.
    #[serde(default)]
    pub failover: FailoverRole,
    /// Location for geolocation routing, such as `EU`, `US` or `Default`.
    #[serde(default)]
    pub location: String,
    /// Whether a Route 53 health check watches this target.
    #[serde(default)]
    pub health_check: bool,
}

fn default_weight() -> u32 {
    1
}

impl RecordTarget {
    /// A target with default routing settings.
    pub fn new(target: ResourceId) -> Self {
        Self {
            target,
            weight: 1,
            failover: FailoverRole::Primary,
            location: String::new(),
            health_check: false,
        }
    }
}

impl References for RecordTarget {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        f(&self.target);
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        self.target.rename_refs(from, to);
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        &self.target != gone
    }
}

impl Described for RecordTarget {
    fn shape() -> Shape {
        Shape::Struct(vec![
            Field {
                name: "target",
                doc: "The resource answered.",
                shape: Shape::Reference,
            },
            Field {
                name: "weight",
                doc: "Relative weight for weighted routing.",
                shape: u32::shape(),
            },
            Field {
                name: "failover",
                doc: "Role for failover routing.",
                shape: FailoverRole::shape(),
            },
            Field {
                name: "location",
                doc: "Location for geolocation routing, such as EU or Default.",
                shape: Shape::Text,
            },
            Field {
                name: "health_check",
                doc: "Whether a Route 53 health check watches this target.",
                shape: Shape::Bool,
            },
        ])
    }
}

config! {
    /// A DNS record set of a hosted zone.
    pub struct DnsRecord {
        /// The name relative to the zone; empty for the zone apex.
        pub name: String = String::new(),
        /// Record type.
        pub record_type: RecordType = RecordType::A,
        /// An alias to an AWS resource (free queries; works at the apex).
        pub alias: bool = true,
        /// Seconds resolvers keep the answer; alias records to ELB use 60 s, and AWS
        /// suggests 60 s or less for failover records.
        pub ttl_secs: u32 = 60,
        /// Routing policy.
        pub routing: RoutingPolicy = RoutingPolicy::Simple,
        /// Targets of the record.
        pub targets: Vec<RecordTarget> = Vec::new(),
        /// Seconds between health checks: 30 (default) or 10 (fast, extra cost).
        pub health_check_interval_secs: u32 = 30,
        /// Consecutive failed checks before a target is unhealthy (Route 53 default 3).
        pub health_check_failure_threshold: u32 = 3,
    }
}

config! {
    /// A Route 53 hosted zone: the DNS records of a domain.
    pub struct Route53HostedZone {
        /// The domain name.
        pub domain: String = "example.com".into(),
        /// A private zone answers only inside associated VPCs.
        pub private_zone: bool = false,
        /// Record sets.
        pub records: Vec<DnsRecord> = Vec::new(),
        /// Standard DNS queries per month, for the cost estimate.
        pub queries_per_month_millions: f64 = 1.0,
    }
}

choice! {
    /// What CloudFront does with plain HTTP from viewers.
    pub enum ViewerProtocolPolicy {
        /// HTTP and HTTPS (AWS default).
        AllowAll,
        /// Redirect HTTP to HTTPS.
        RedirectToHttps,
        /// Refuse HTTP.
        HttpsOnly,
    }
    default AllowAll
}

choice! {
    /// How CloudFront proves itself to an S3 origin.
    pub enum OriginAccess {
        /// The bucket must be public for CloudFront to read it.
        None,
        /// Origin access identity (legacy).
        Oai,
        /// Origin access control (recommended).
        Oac,
    }
    default None
}

choice! {
    /// Which edge locations serve a distribution.
    pub enum PriceClass {
        /// Every edge location.
        All,
        /// Most regions, without the most expensive.
        Class200,
        /// North America and Europe only.
        Class100,
    }
    default All
}

config! {
    /// A CloudFront distribution: a CDN that caches content at edge locations.
    ///
    /// Its origins are the resources its traffic links lead to.
    pub struct CloudFrontDistribution {
        /// Viewer protocol policy.
        pub viewer_protocol_policy: ViewerProtocolPolicy = ViewerProtocolPolicy::AllowAll,
        /// Access control to S3 origins.
        pub origin_access: OriginAccess = OriginAccess::None,
        /// Edge locations used.
        pub price_class: PriceClass = PriceClass::All,
        /// Minimum cache time in seconds (legacy default 0).
        pub min_ttl_secs: u32 = 0,
        /// Default cache time in seconds (legacy default one day).
        pub default_ttl_secs: u32 = 86_400,
        /// Maximum cache time in seconds (legacy default one year).
        pub max_ttl_secs: u32 = 31_536_000,
        /// Expected share of requests served from the edge cache (an assumption).
        pub cache_hit_ratio: f64 = 0.8,
        /// Custom-domain certificate (must be in us-east-1).
        pub certificate: Option<ResourceId> = None,
        /// Web ACL protecting the distribution.
        pub waf: Option<ResourceId> = None,
        /// Countries allowed or blocked; empty for no restriction.
        pub geo_restriction: Vec<String> = Vec::new(),
        /// Data served to viewers per month in GB, for the cost estimate (an assumption).
        pub data_out_gb_per_month: f64 = 100.0,
        /// Requests per month in millions, for the cost estimate (an assumption).
        pub requests_per_month_millions: f64 = 10.0,
    }
}
