//! Configuration of integration, monitoring, security and analytics services, and of the
//! external actors (users and traffic).

use serde::{Deserialize, Serialize};

use crate::model::ResourceId;

config! {
    /// An SQS queue: decouples producers from consumers.
    pub struct SqsQueue {
        /// FIFO ordering and exactly-once processing.
        pub fifo: bool = false,
        /// Seconds a received message stays hidden from other consumers (AWS default 30).
        pub visibility_timeout_secs: u32 = 30,
        /// Seconds a message is kept (AWS default 4 days).
        pub message_retention_secs: u32 = 345_600,
        /// Seconds new messages stay invisible (AWS default 0).
        pub delay_secs: u32 = 0,
        /// Long-poll wait in seconds, 0 to 20 (AWS default 0: short polling).
        pub receive_wait_time_secs: u32 = 0,
        /// Queue receiving messages that failed too often.
        pub dead_letter_queue: Option<ResourceId> = None,
        /// Receives before a message moves to the dead-letter queue.
        pub max_receive_count: u32 = 10,
        /// Server-side encryption with SQS-owned keys (on by default since 2022).
        pub encrypted: bool = true,
        /// Requests per month in millions, for the cost estimate.
        pub requests_per_month_millions: f64 = 1.0,
        /// Mean time of a send in ms, for the simulation (10–50 ms is typical; an
        /// assumption).
        pub send_latency_ms: f64 = 20.0,
    }
}

config! {
    /// An SNS topic: publish once, deliver to many subscribers.
    pub struct SnsTopic {
        /// FIFO topic (ordered, to SQS FIFO queues).
        pub fifo: bool = false,
        /// KMS key for encryption at rest.
        pub kms_key: Option<ResourceId> = None,
        /// Publishes per month in millions, for the cost estimate.
        pub publishes_per_month_millions: f64 = 1.0,
    }
}

choice! {
    /// Flavour of an API Gateway API.
    pub enum ApiType {
        /// REST API: the most features.
        Rest,
        /// HTTP API: cheaper and faster, fewer features.
        Http,
        /// WebSocket API.
        WebSocket,
    }
    default Rest
}

choice! {
    /// Where an API Gateway endpoint is reachable.
    pub enum ApiEndpointType {
        /// In one Region.
        Regional,
        /// Through CloudFront edge locations.
        EdgeOptimized,
        /// Only from VPCs through an interface endpoint.
        Private,
    }
    default Regional
}

config! {
    /// An API Gateway API: a managed front door for HTTP APIs.
    pub struct ApiGateway {
        /// API flavour.
        pub api_type: ApiType = ApiType::Rest,
        /// Endpoint type.
        pub endpoint_type: ApiEndpointType = ApiEndpointType::Regional,
        /// Steady request limit per second (account default 10,000).
        pub throttle_rate_rps: u32 = 10_000,
        /// Burst limit (historically 5,000).
        pub throttle_burst: u32 = 5_000,
        /// Milliseconds API Gateway waits for its integration before answering 504
        /// (29,000 by default, API Gateway quotas).
        pub integration_timeout_ms: u32 = 29_000,
        /// Response caching.
        pub caching: bool = false,
        /// Custom-domain certificate.
        pub certificate: Option<ResourceId> = None,
        /// Web ACL protecting the API.
        pub waf: Option<ResourceId> = None,
        /// Requests per month in millions, for the cost estimate.
        pub requests_per_month_millions: f64 = 1.0,
    }
}

choice! {
    /// Statistic of an alarm's metric.
    pub enum Statistic {
        /// Mean of the period.
        Average,
        /// Sum of the period.
        Sum,
        /// Smallest datapoint.
        Minimum,
        /// Largest datapoint.
        Maximum,
        /// Number of datapoints.
        SampleCount,
    }
    default Average
}

choice! {
    /// What an alarm does with missing datapoints.
    pub enum TreatMissingData {
        /// Keep the current state (AWS default).
        Missing,
        /// Count them as breaching.
        Breaching,
        /// Count them as fine.
        NotBreaching,
        /// Ignore them.
        Ignore,
    }
    default Missing
}

config! {
    /// A CloudWatch alarm: watches a metric and acts when it crosses a threshold.
    ///
    /// Its actions are the resources its event-trigger links lead to (SNS, Auto Scaling).
    pub struct CloudWatchAlarm {
        /// The watched resource.
        pub watched: Option<ResourceId> = None,
        /// Metric namespace, such as `AWS/EC2`.
        pub namespace: String = "AWS/EC2".into(),
        /// Metric name, such as `CPUUtilization`.
        pub metric: String = "CPUUtilization".into(),
        /// Statistic.
        pub statistic: Statistic = Statistic::Average,
        /// Period in seconds.
        pub period_secs: u32 = 300,
        /// Periods evaluated (N of "M out of N").
        pub evaluation_periods: u32 = 1,
        /// Breaching periods needed (M); none means all N.
        pub datapoints_to_alarm: Option<u32> = None,
        /// Threshold.
        pub threshold: f64 = 80.0,
        /// Comparison with the threshold.
        pub comparison: super::compute::Comparison = super::compute::Comparison::GreaterThan,
        /// Treatment of missing data.
        pub treat_missing_data: TreatMissingData = TreatMissingData::Missing,
        /// High-resolution alarm (10 s periods; costs more).
        pub high_resolution: bool = false,
    }
}

config! {
    /// A CloudWatch dashboard: graphs of metrics in one place.
    pub struct CloudWatchDashboard {
        /// Resources whose metrics are shown.
        pub widgets: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// A CloudWatch Logs log group: log streams sharing retention and permissions.
    pub struct CloudWatchLogGroup {
        /// Days logs are kept; none keeps them forever (AWS default).
        pub retention_days: Option<u32> = None,
        /// KMS key for encryption.
        pub kms_key: Option<ResourceId> = None,
        /// Log data ingested per month in GB, for the cost estimate.
        pub ingested_gb_per_month: f64 = 5.0,
    }
}

config! {
    /// A CloudTrail trail: a record of API calls in the account.
    pub struct CloudTrail {
        /// Records every Region.
        pub multi_region: bool = true,
        /// Digest files prove logs were not changed.
        pub log_file_validation: bool = true,
        /// Bucket receiving the logs.
        pub bucket: Option<ResourceId> = None,
    }
}

config! {
    /// An IAM user: one person or application with long-term credentials.
    pub struct IamUser {
        /// May sign in to the console.
        pub console_access: bool = true,
        /// Active access keys (0 to 2).
        pub access_keys: u32 = 0,
        /// Multi-factor authentication enabled.
        pub mfa_enabled: bool = false,
    }
}

config! {
    /// An IAM group: users sharing permissions; attach policies here, not to users.
    pub struct IamGroup {}
}

config! {
    /// An IAM role: temporary credentials for a service or a federated user.
    pub struct IamRole {
        /// The principal allowed to assume the role, such as `ec2.amazonaws.com`.
        pub trusted_entity: String = "ec2.amazonaws.com".into(),
        /// Longest session in seconds (AWS default one hour).
        pub max_session_secs: u32 = 3_600,
    }
}

choice! {
    /// Effect of a policy statement.
    pub enum Effect {
        /// Grants the actions.
        Allow,
        /// Refuses the actions, whatever else allows them.
        Deny,
    }
    default Allow
}

config! {
    /// One statement of an IAM policy.
    pub struct PolicyStatement {
        /// Allow or deny.
        pub effect: Effect = Effect::Allow,
        /// Actions, such as `s3:GetObject`.
        pub actions: Vec<String> = Vec::new(),
        /// Resource ARNs, or `*`.
        pub resources: Vec<String> = vec!["*".into()],
    }
}

config! {
    /// An IAM policy: a JSON document of permissions, attached by attachment links.
    pub struct IamPolicy {
        /// Managed by AWS (such as `ReadOnlyAccess`) rather than by the account.
        pub aws_managed: bool = false,
        /// Statements.
        pub statements: Vec<PolicyStatement> = Vec::new(),
    }
}

config! {
    /// The account's root user, which can do anything; lock it away.
    pub struct RootUser {
        /// Multi-factor authentication enabled.
        pub mfa_enabled: bool = false,
        /// Active access keys; the root user should have none.
        pub access_keys: u32 = 0,
        /// Used for everyday tasks instead of IAM identities.
        pub used_for_daily_work: bool = false,
    }
}

config! {
    /// A KMS key: an encryption key whose use is controlled and audited.
    pub struct KmsKey {
        /// Automatic yearly rotation (off by default for customer managed keys).
        pub rotation: bool = false,
        /// Replicated to other Regions.
        pub multi_region: bool = false,
    }
}

config! {
    /// A rule of an event bus: the events it matches. Its targets are the bus's event
    /// trigger links.
    pub struct EventRule {
        /// Rule name.
        pub name: String = "all-events".into(),
        /// The event pattern it matches, as EventBridge's JSON.
        pub pattern: String = r#"{"source":[{"prefix":""}]}"#.into(),
    }
}

config! {
    /// An EventBridge event bus with its rules: events put on it go to the targets of the
    /// rules that match them, each delivered asynchronously, with retries.
    pub struct EventBridgeBus {
        /// The account's default bus, which AWS services' events reach, rather than a
        /// custom bus of its own.
        pub default_bus: bool = false,
        /// Its rules.
        pub rules: Vec<EventRule> = vec![EventRule::default()],
        /// Custom events put on it a month, in millions, for the cost estimate.
        pub events_per_month_millions: f64 = 1.0,
        /// Time PutEvents takes to answer, in ms (an assumption: tens of milliseconds).
        pub latency_ms: f64 = 20.0,
    }
}

choice! {
    /// How a Step Functions workflow runs and is billed.
    pub enum WorkflowType {
        /// Up to a year, each step exactly once, every execution kept for 90 days; billed
        /// per state transition.
        Standard,
        /// Up to five minutes, at least once, for high-volume event processing; billed per
        /// request and duration.
        Express,
    }
    default Standard
}

config! {
    /// A Step Functions state machine: a workflow of steps (calls to Lambda functions,
    /// queues and topics, with retries) that AWS runs and records. Its steps are the
    /// resources it links to, called in order.
    pub struct StepFunctionsStateMachine {
        /// Standard or Express (AWS's default: Standard).
        pub workflow_type: WorkflowType = WorkflowType::Standard,
        /// Executions a month, for the cost estimate.
        pub executions_per_month: f64 = 100_000.0,
        /// State transitions an execution makes, for the cost estimate.
        pub transitions_per_execution: u32 = 5,
        /// Executions logged to CloudWatch Logs (off by default).
        pub logging: bool = false,
        /// X-Ray tracing of executions (off by default).
        pub tracing: bool = false,
    }
}

config! {
    /// A Secrets Manager secret: a password, key or token kept encrypted, read by code at
    /// run time instead of being written into it, and rotated by a Lambda function.
    pub struct SecretsManagerSecret {
        /// Days between automatic rotations; none leaves rotation off (AWS's default).
        /// Rotation runs the Lambda function the secret is linked to.
        pub rotation_days: Option<u32> = None,
        /// The KMS key that encrypts it; none uses the AWS managed key
        /// `aws/secretsmanager`.
        pub kms_key: Option<ResourceId> = None,
        /// Other Regions it is replicated to (each replica is billed as a secret).
        pub replica_regions: Vec<String> = Vec::new(),
        /// API calls a month (reads and writes), for the cost estimate.
        pub api_calls_per_month: f64 = 100_000.0,
    }
}

config! {
    /// An ACM certificate: a free public TLS certificate for AWS endpoints.
    pub struct AcmCertificate {
        /// Domain name.
        pub domain: String = "example.com".into(),
        /// Additional names.
        pub alternative_names: Vec<String> = Vec::new(),
    }
}

config! {
    /// A WAF web ACL: filters HTTP requests to CloudFront, ALB or API Gateway.
    pub struct WafWebAcl {
        /// Managed rule groups, such as `AWSManagedRulesCommonRuleSet`.
        pub managed_rule_groups: Vec<String> = vec!["AWSManagedRulesCommonRuleSet".into()],
        /// Requests allowed per 5 minutes from one IP; none disables rate limiting.
        pub rate_limit_per_5_min: Option<u32> = None,
    }
}

config! {
    /// An Athena workgroup: SQL queries over data in S3, paid per data scanned.
    pub struct AthenaWorkgroup {
        /// Bucket for query results.
        pub results_bucket: Option<ResourceId> = None,
        /// Data scanned per month in TB, for the cost estimate.
        pub scanned_tb_per_month: f64 = 0.1,
    }
}

/// How the request rate of a traffic source changes over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub enum TrafficPattern {
    /// The base rate, always.
    #[default]
    Constant,
    /// From the base rate to `to_rps`, linearly over `over_secs`, starting at `start_secs`.
    Ramp {
        /// Rate at the end of the ramp.
        to_rps: f64,
        /// When the ramp starts.
        start_secs: f64,
        /// How long the ramp lasts.
        over_secs: f64,
    },
    /// The base rate, then `to_rps` from `at_secs` on.
    Step {
        /// New rate.
        to_rps: f64,
        /// When the step happens.
        at_secs: f64,
    },
    /// The base rate times `multiplier` for `duration_secs` from `at_secs`.
    Spike {
        /// Factor applied during the spike.
        multiplier: f64,
        /// When the spike starts.
        at_secs: f64,
        /// How long it lasts.
        duration_secs: f64,
    },
    /// A daily sine wave between the base rate (night) and `peak_rps` at `peak_hour`.
    Diurnal {
        /// Rate at the peak.
        peak_rps: f64,
        /// Hour of the day of the peak (0–24).
        peak_hour: f64,
    },
}

impl crate::model::refs::References for TrafficPattern {
    fn for_each_ref(&self, _: &mut dyn FnMut(&crate::model::ResourceId)) {}
    fn rename_refs(&mut self, _: &crate::model::ResourceId, _: &crate::model::ResourceId) {}
    fn drop_refs(&mut self, _: &crate::model::ResourceId) -> bool {
        true
    }
    fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
        let numbers: &[(&str, f64)] = match *self {
            TrafficPattern::Constant => &[],
            TrafficPattern::Ramp {
                to_rps,
                start_secs,
                over_secs,
            } => &[
                ("to_rps", to_rps),
                ("start_secs", start_secs),
                ("over_secs", over_secs),
            ],
            TrafficPattern::Step { to_rps, at_secs } => &[("to_rps", to_rps), ("at_secs", at_secs)],
            TrafficPattern::Spike {
                multiplier,
                at_secs,
                duration_secs,
            } => &[
                ("multiplier", multiplier),
                ("at_secs", at_secs),
                ("duration_secs", duration_secs),
            ],
            TrafficPattern::Diurnal {
                peak_rps,
                peak_hour,
            } => &[("peak_rps", peak_rps), ("peak_hour", peak_hour)],
        };
        for (field, value) in numbers {
            crate::model::refs::number_field(value, path, field, f);
        }
    }
}

impl TrafficPattern {
    /// The highest rate a source of base rate `base` reaches under this pattern.
    pub fn peak_rps(&self, base: f64) -> f64 {
        let other = match self {
            TrafficPattern::Constant => base,
            TrafficPattern::Ramp { to_rps, .. } | TrafficPattern::Step { to_rps, .. } => *to_rps,
            TrafficPattern::Spike { multiplier, .. } => base * multiplier,
            TrafficPattern::Diurnal { peak_rps, .. } => *peak_rps,
        };
        base.max(other).max(0.0)
    }

    /// The pattern in words, as a log reads it.
    pub fn describe(&self) -> String {
        match self {
            TrafficPattern::Constant => "a constant rate".to_owned(),
            TrafficPattern::Ramp {
                to_rps,
                start_secs,
                over_secs,
            } => format!("a ramp to {to_rps} requests/s over {over_secs} s from {start_secs} s"),
            TrafficPattern::Step { to_rps, at_secs } => {
                format!("a step to {to_rps} requests/s at {at_secs} s")
            }
            TrafficPattern::Spike {
                multiplier,
                at_secs,
                duration_secs,
            } => format!("a {multiplier}× spike at {at_secs} s for {duration_secs} s"),
            TrafficPattern::Diurnal {
                peak_rps,
                peak_hour,
            } => format!("a daily wave peaking at {peak_rps} requests/s at {peak_hour} h"),
        }
    }
}

impl crate::model::shape::Described for TrafficPattern {
    fn shape() -> crate::model::shape::Shape {
        crate::model::shape::Shape::Composite("TrafficPattern")
    }
}

config! {
    /// Users on the internet: the source of the requests the diagram serves.
    pub struct Users {
        /// Base request rate per second.
        pub requests_per_second: f64 = 100.0,
        /// How the rate changes over time.
        pub pattern: TrafficPattern = TrafficPattern::Constant,
        /// Share of requests that only read.
        pub read_fraction: f64 = 0.9,
        /// Average response size in KB, for data transfer.
        pub response_kb: f64 = 50.0,
        /// Where the users are, for latency and geolocation routing.
        pub location: String = "North America".into(),
    }
}
