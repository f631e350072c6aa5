//! Configuration of compute: EC2, launch templates, Auto Scaling, Lambda, containers and
//! Elastic Beanstalk.

use serde::{Deserialize, Serialize};

use super::storage::VolumeType;
use crate::model::ResourceId;

choice! {
    /// How a burstable (T-family) instance pays for CPU above its baseline.
    pub enum CpuCredits {
        /// The family's default: standard for T2, unlimited for T3, T3a and T4g (EC2
        /// RunInstances reference).
        FamilyDefault,
        /// Spends earned credits, then is held to its baseline.
        Standard,
        /// Keeps bursting; credits spent beyond those earned are billed (surplus credits).
        Unlimited,
    }
    default FamilyDefault
}

choice! {
    /// How EC2 capacity is bought.
    pub enum PurchaseOption {
        /// Pay by the second, no commitment.
        OnDemand,
        /// Reserved Instance: a 1- or 3-year commitment for up to 75 % off (seeds).
        Reserved,
        /// Spare capacity at up to 90 % off that AWS can reclaim with two minutes' notice.
        Spot,
        /// Savings Plan: a 1- or 3-year spend commitment across instance types.
        SavingsPlan,
        /// Dedicated Instance on hardware used by no other account.
        Dedicated,
    }
    default OnDemand
}

choice! {
    /// Length of a Reserved Instance or Savings Plan commitment.
    pub enum CommitmentTerm {
        /// One year.
        OneYear,
        /// Three years.
        ThreeYears,
    }
    default OneYear
}

choice! {
    /// How much of a commitment is paid in advance.
    pub enum UpfrontPayment {
        /// Nothing in advance.
        NoUpfront,
        /// Part in advance.
        PartialUpfront,
        /// All in advance.
        AllUpfront,
    }
    default NoUpfront
}

choice! {
    /// CloudWatch monitoring of an instance.
    pub enum Monitoring {
        /// Metrics every 5 minutes, free (AWS default).
        Basic,
        /// Metrics every minute, charged; target tracking works best with it.
        Detailed,
    }
    default Basic
}

config! {
    /// The root EBS volume of an instance.
    pub struct RootVolume {
        /// Volume type; only SSD types can boot.
        pub volume_type: VolumeType = VolumeType::Gp3,
        /// Size in GiB (8 GiB is Amazon Linux 2023's default).
        pub size_gb: u32 = 8,
        /// Encryption at rest with KMS.
        pub encrypted: bool = false,
        /// Deleted with the instance (console default).
        pub delete_on_termination: bool = true,
    }
}

choice! {
    /// How long requests take to serve, around their mean.
    pub enum ServiceDistribution {
        /// Memoryless: most requests short, a few long (the M/M/c model).
        Exponential,
        /// Every request takes the mean.
        Constant,
        /// Skewed like real services, with the coefficient of variation set beside it.
        LogNormal,
    }
    default Exponential
}

config! {
    /// How the application on an instance serves requests, for the simulation.
    pub struct AppServer {
        /// Mean time to serve one request in ms, on one worker (an assumption).
        pub service_time_ms: f64 = 20.0,
        /// Shape of the service time around its mean.
        pub service_distribution: ServiceDistribution = ServiceDistribution::Exponential,
        /// Standard deviation over mean of log-normal service times.
        pub service_time_cv: f64 = 1.0,
        /// Requests served at once per vCPU (worker threads or processes).
        pub workers_per_vcpu: u32 = 1,
        /// Requests that may wait beyond those in service; more are refused with a 503.
        pub queue_capacity: u32 = 100,
        /// Port the application listens on: where load balancers and callers send
        /// requests, and what security groups must admit.
        pub port: u16 = 80,
    }
}

config! {
    /// An EC2 instance: a virtual machine in one subnet.
    pub struct Ec2Instance {
        /// Instance type, such as `t3.micro` or `m5.large` (family, generation, size).
        pub instance_type: String = "t3.micro".into(),
        /// How the capacity is bought.
        pub purchase_option: PurchaseOption = PurchaseOption::OnDemand,
        /// Term of a reservation or Savings Plan.
        pub commitment_term: CommitmentTerm = CommitmentTerm::OneYear,
        /// Advance payment of a reservation or Savings Plan.
        pub upfront_payment: UpfrontPayment = UpfrontPayment::NoUpfront,
        /// Machine image: the operating system and preinstalled software.
        pub ami: String = "Amazon Linux 2023".into(),
        /// Key pair for SSH; none disables key-based SSH.
        pub key_pair: Option<String> = None,
        /// Script run as root at first boot.
        pub user_data: String = String::new(),
        /// CloudWatch monitoring.
        pub monitoring: Monitoring = Monitoring::Basic,
        /// Root volume.
        pub root_volume: RootVolume = RootVolume::default(),
        /// Security groups; every instance needs at least one.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Whether the instance gets a public IPv4 address.
        pub public_ip: bool = false,
        /// How its application serves requests, for the simulation.
        pub app: AppServer = AppServer::default(),
        /// CPU credit option of burstable (T-family) types.
        pub cpu_credits: CpuCredits = CpuCredits::FamilyDefault,
    }
}

config! {
    /// A launch template: what an Auto Scaling group launches.
    pub struct LaunchTemplate {
        /// Instance type.
        pub instance_type: String = "t3.micro".into(),
        /// Machine image.
        pub ami: String = "Amazon Linux 2023".into(),
        /// Key pair for SSH.
        pub key_pair: Option<String> = None,
        /// Script run as root at first boot.
        pub user_data: String = String::new(),
        /// CloudWatch monitoring.
        pub monitoring: Monitoring = Monitoring::Basic,
        /// Root volume.
        pub root_volume: RootVolume = RootVolume::default(),
        /// Security groups of launched instances.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Whether launched instances get a public IPv4 address.
        pub public_ip: bool = false,
        /// How the application on launched instances serves requests, for the simulation.
        pub app: AppServer = AppServer::default(),
        /// CPU credit option of burstable (T-family) types.
        pub cpu_credits: CpuCredits = CpuCredits::FamilyDefault,
    }
}

choice! {
    /// Which health checks make an Auto Scaling group replace an instance.
    pub enum HealthCheckType {
        /// EC2 status checks only (AWS default): an application crash is not replaced.
        Ec2,
        /// Load balancer health checks as well.
        Elb,
    }
    default Ec2
}

choice! {
    /// A metric a scaling policy follows.
    pub enum ScalingMetric {
        /// Average CPU utilization of the group, in percent.
        CpuUtilization,
        /// ALB requests per target per minute.
        RequestCountPerTarget,
        /// Average bytes received per instance.
        NetworkIn,
        /// Average bytes sent per instance.
        NetworkOut,
        /// SQS messages waiting per instance.
        BacklogPerInstance,
    }
    default CpuUtilization
}

config! {
    /// Target tracking: keep a metric near a target value, like a thermostat.
    pub struct TargetTrackingPolicy {
        /// The metric.
        pub metric: ScalingMetric = ScalingMetric::CpuUtilization,
        /// The value to hold, such as 50 % CPU.
        pub target_value: f64 = 50.0,
        /// Never remove instances, only add them.
        pub disable_scale_in: bool = false,
        /// Seconds a new instance warms up; none falls back to the group's default.
        pub warmup_secs: Option<u32> = None,
    }
}

choice! {
    /// Which side of a threshold triggers a policy's alarm.
    pub enum Comparison {
        /// Metric > threshold.
        GreaterThan,
        /// Metric ≥ threshold.
        GreaterThanOrEqual,
        /// Metric < threshold.
        LessThan,
        /// Metric ≤ threshold.
        LessThanOrEqual,
    }
    default GreaterThan
}

choice! {
    /// How a scaling adjustment is read.
    pub enum AdjustmentType {
        /// Add or remove this many instances.
        ChangeInCapacity,
        /// Set the group to exactly this many instances.
        ExactCapacity,
        /// Add or remove this percentage of the current capacity.
        PercentChangeInCapacity,
    }
    default ChangeInCapacity
}

config! {
    /// One step of a step scaling policy, with bounds relative to the alarm threshold.
    pub struct StepAdjustment {
        /// Lower bound of the breach, inclusive; none is minus infinity.
        pub lower_bound: Option<f64> = Some(0.0),
        /// Upper bound of the breach, exclusive; none is plus infinity.
        pub upper_bound: Option<f64> = None,
        /// The adjustment.
        pub adjustment: i32 = 1,
    }
}

config! {
    /// Step scaling: adjustments by how far an alarm's threshold is breached.
    pub struct StepScalingPolicy {
        /// The metric.
        pub metric: ScalingMetric = ScalingMetric::CpuUtilization,
        /// Alarm threshold.
        pub threshold: f64 = 70.0,
        /// Alarm comparison.
        pub comparison: Comparison = Comparison::GreaterThan,
        /// Alarm period in seconds.
        pub period_secs: u32 = 60,
        /// Alarm evaluation periods (CDK default 1).
        pub evaluation_periods: u32 = 1,
        /// How adjustments are read.
        pub adjustment_type: AdjustmentType = AdjustmentType::ChangeInCapacity,
        /// Steps; they must not overlap or leave gaps.
        pub steps: Vec<StepAdjustment> = vec![StepAdjustment::default()],
        /// Seconds a new instance warms up; none falls back to the group's default.
        pub warmup_secs: Option<u32> = None,
    }
}

config! {
    /// Simple scaling: one adjustment per alarm, then wait for the cooldown.
    pub struct SimpleScalingPolicy {
        /// The metric.
        pub metric: ScalingMetric = ScalingMetric::CpuUtilization,
        /// Alarm threshold.
        pub threshold: f64 = 70.0,
        /// Alarm comparison.
        pub comparison: Comparison = Comparison::GreaterThan,
        /// Alarm period in seconds.
        pub period_secs: u32 = 300,
        /// Alarm evaluation periods.
        pub evaluation_periods: u32 = 1,
        /// How the adjustment is read.
        pub adjustment_type: AdjustmentType = AdjustmentType::ChangeInCapacity,
        /// The adjustment.
        pub adjustment: i32 = 1,
        /// Cooldown in seconds; none uses the group's default cooldown.
        pub cooldown_secs: Option<u32> = None,
    }
}

/// A dynamic scaling policy of an Auto Scaling group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScalingPolicy {
    /// Keep a metric near a target.
    TargetTracking(TargetTrackingPolicy),
    /// Adjust by steps of an alarm's breach.
    Step(StepScalingPolicy),
    /// Adjust once per alarm, then cool down.
    Simple(SimpleScalingPolicy),
}

impl crate::model::refs::References for ScalingPolicy {
    fn for_each_ref(&self, _: &mut dyn FnMut(&crate::model::ResourceId)) {}
    fn rename_refs(&mut self, _: &crate::model::ResourceId, _: &crate::model::ResourceId) {}
    fn drop_refs(&mut self, _: &crate::model::ResourceId) -> bool {
        true
    }
    fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
        match self {
            ScalingPolicy::TargetTracking(p) => p.for_each_number(path, f),
            ScalingPolicy::Step(p) => p.for_each_number(path, f),
            ScalingPolicy::Simple(p) => p.for_each_number(path, f),
        }
    }
}

impl crate::model::shape::Described for ScalingPolicy {
    fn shape() -> crate::model::shape::Shape {
        crate::model::shape::Shape::Composite("ScalingPolicy")
    }
}

config! {
    /// A scheduled action: set the group's size at known times.
    pub struct ScheduledAction {
        /// Name of the action.
        pub name: String = String::new(),
        /// Cron expression (UTC), such as `0 9 * * 1-5`.
        pub recurrence: String = "0 9 * * 1-5".into(),
        /// New minimum size.
        pub min_size: Option<u32> = None,
        /// New desired capacity.
        pub desired_capacity: Option<u32> = None,
        /// New maximum size.
        pub max_size: Option<u32> = None,
    }
}

choice! {
    /// Where an Auto Scaling group launches when an Availability Zone fails.
    pub enum AzDistribution {
        /// Launch in another healthy AZ (AWS default).
        BalancedBestEffort,
        /// Keep retrying the impaired AZ.
        BalancedOnly,
    }
    default BalancedBestEffort
}

config! {
    /// An Auto Scaling group: a fleet of instances kept between a minimum and a maximum.
    pub struct AutoScalingGroup {
        /// The launch template; without one, the settings below describe the instances.
        pub launch_template: Option<ResourceId> = None,
        /// Uses a legacy launch configuration instead of a template.
        pub uses_launch_configuration: bool = false,
        /// Instance type when no launch template is drawn.
        pub instance_type: String = "t3.micro".into(),
        /// How the instances are bought.
        pub purchase_option: PurchaseOption = PurchaseOption::OnDemand,
        /// Fewest instances.
        pub min_size: u32 = 1,
        /// Instances wanted now (defaults to the minimum, as in the console).
        pub desired_capacity: u32 = 1,
        /// Most instances; set it to avoid runaway cost (seeds).
        pub max_size: u32 = 1,
        /// Subnets to launch into, ideally in two or more Availability Zones.
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Health checks that trigger replacement.
        pub health_check_type: HealthCheckType = HealthCheckType::Ec2,
        /// Seconds a new instance is spared from health checks (console default 300).
        pub health_check_grace_period_secs: u32 = 300,
        /// Cooldown of simple scaling policies in seconds (AWS default 300).
        pub default_cooldown_secs: u32 = 300,
        /// Default instance warm-up in seconds; none is AWS's "not enabled" default, and
        /// policies then fall back to the cooldown (300 s).
        pub default_instance_warmup_secs: Option<u32> = None,
        /// Dynamic scaling policies.
        pub scaling_policies: Vec<ScalingPolicy> = Vec::new(),
        /// Scheduled actions.
        pub scheduled_actions: Vec<ScheduledAction> = Vec::new(),
        /// Launch behaviour when an Availability Zone fails.
        pub az_distribution: AzDistribution = AzDistribution::BalancedBestEffort,
        /// Seconds from launch decision to in service (an assumption; 30–60 s measured).
        pub launch_time_secs: u32 = 45,
    }
}

choice! {
    /// Processor architecture of a Lambda function.
    pub enum LambdaArchitecture {
        /// x86_64 (default).
        X86_64,
        /// arm64 (Graviton), cheaper per GB-second.
        Arm64,
    }
    default X86_64
}

config! {
    /// A Lambda function: code run on events, with no servers to manage.
    pub struct LambdaFunction {
        /// Runtime, such as `python3.12` or `nodejs20.x`.
        pub runtime: String = "python3.12".into(),
        /// Handler method.
        pub handler: String = "app.handler".into(),
        /// Processor architecture.
        pub architecture: LambdaArchitecture = LambdaArchitecture::X86_64,
        /// Memory in MB, 128 to 10,240; CPU grows with it (AWS default 128).
        pub memory_mb: u32 = 128,
        /// Timeout in seconds, at most 900 (console default 3).
        pub timeout_secs: u32 = 3,
        /// Concurrency reserved for this function; none shares the Region's pool.
        pub reserved_concurrency: Option<u32> = None,
        /// Pre-initialised execution environments (no cold starts for these).
        pub provisioned_concurrency: u32 = 0,
        /// Ephemeral `/tmp` storage in MB (AWS default 512).
        pub ephemeral_storage_mb: u32 = 512,
        /// Security groups when the function runs in a VPC subnet.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Invocations per month, for the cost estimate.
        pub invocations_per_month_millions: f64 = 1.0,
        /// Average run time of one invocation in milliseconds.
        pub average_duration_ms: f64 = 100.0,
        /// Extra time of an invocation that needs a new execution environment, in ms, for
        /// the simulation ("under 100 ms to over 1 second", Lambda developer guide; about
        /// 170–290 ms measured for small Node.js packages).
        pub cold_start_ms: f64 = 250.0,
        /// Seconds an idle execution environment stays warm before Lambda reclaims it (not
        /// documented; commonly observed 5–15 minutes; an assumption).
        pub keep_warm_secs: u32 = 600,
        /// New execution environments the function may add every 10 seconds, refilled
        /// continuously; beyond them invocations are throttled (1,000, Lambda scaling
        /// behaviour).
        pub new_environments_per_10s: u32 = 1000,
    }
}

choice! {
    /// Where an ECS or EKS workload runs.
    pub enum LaunchType {
        /// Serverless containers; no instances to manage.
        Fargate,
        /// Container instances (EC2) managed by the cluster.
        Ec2,
    }
    default Fargate
}

config! {
    /// An ECS cluster: a logical group of services and tasks.
    pub struct EcsCluster {
        /// Default capacity of the cluster.
        pub launch_type: LaunchType = LaunchType::Fargate,
        /// Instance type of container instances (EC2 launch type).
        pub instance_type: String = "m5.large".into(),
        /// Number of container instances (EC2 launch type).
        pub instance_count: u32 = 0,
        /// CloudWatch Container Insights.
        pub container_insights: bool = false,
    }
}

choice! {
    /// How ECS places tasks on container instances.
    pub enum PlacementStrategy {
        /// Spread across Availability Zones (and instances).
        Spread,
        /// Pack tasks onto as few instances as possible.
        Binpack,
        /// Anywhere.
        Random,
    }
    default Spread
}

config! {
    /// An ECS service: keeps a number of tasks of one task definition running.
    pub struct EcsService {
        /// The cluster.
        pub cluster: Option<ResourceId> = None,
        /// The task definition.
        pub task_definition: Option<ResourceId> = None,
        /// Fargate or EC2.
        pub launch_type: LaunchType = LaunchType::Fargate,
        /// Tasks wanted now.
        pub desired_count: u32 = 1,
        /// Fewest tasks under service auto scaling.
        pub min_count: u32 = 1,
        /// Most tasks under service auto scaling.
        pub max_count: u32 = 1,
        /// Target CPU utilization of service auto scaling; none disables it.
        pub target_cpu_percent: Option<f64> = None,
        /// Subnets of the tasks (awsvpc networking).
        pub subnets: Vec<ResourceId> = Vec::new(),
        /// Security groups of the tasks.
        pub security_groups: Vec<ResourceId> = Vec::new(),
        /// Task placement.
        pub placement: PlacementStrategy = PlacementStrategy::Spread,
    }
}

config! {
    /// One container of a task definition.
    pub struct ContainerDefinition {
        /// Container name.
        pub name: String = "app".into(),
        /// Image, usually from ECR.
        pub image: String = "app:latest".into(),
        /// Port the container listens on.
        pub port: u16 = 80,
    }
}

config! {
    /// An ECS task definition: the blueprint of a task (JSON in AWS).
    pub struct EcsTaskDefinition {
        /// CPU units (1,024 = 1 vCPU); Fargate allows fixed CPU/memory pairs.
        pub cpu_units: u32 = 256,
        /// Memory in MiB.
        pub memory_mb: u32 = 512,
        /// Containers of the task.
        pub containers: Vec<ContainerDefinition> = vec![ContainerDefinition::default()],
        /// Role the task's code runs as.
        pub task_role: Option<ResourceId> = None,
    }
}

config! {
    /// An EKS cluster: managed Kubernetes control plane plus worker nodes.
    pub struct EksCluster {
        /// Kubernetes version.
        pub kubernetes_version: String = "1.31".into(),
        /// Managed node groups on EC2, or Fargate profiles.
        pub launch_type: LaunchType = LaunchType::Ec2,
        /// Instance type of the nodes.
        pub node_instance_type: String = "m5.large".into(),
        /// Number of nodes.
        pub node_count: u32 = 2,
        /// Subnets of the nodes.
        pub subnets: Vec<ResourceId> = Vec::new(),
    }
}

config! {
    /// An ECR repository: private storage of container images.
    pub struct EcrRepository {
        /// Scan images for vulnerabilities on push (off by default).
        pub scan_on_push: bool = false,
        /// Forbid overwriting an existing tag (tags are mutable by default).
        pub immutable_tags: bool = false,
        /// Stored image data in GB, for the cost estimate.
        pub storage_gb: f64 = 1.0,
    }
}

choice! {
    /// Shape of an Elastic Beanstalk environment.
    pub enum BeanstalkEnvironmentType {
        /// An Auto Scaling group behind a load balancer.
        LoadBalanced,
        /// One instance, no load balancer.
        SingleInstance,
    }
    default LoadBalanced
}

config! {
    /// An Elastic Beanstalk environment: a managed application stack.
    pub struct ElasticBeanstalkEnvironment {
        /// Platform, such as `Python 3.12 on Amazon Linux 2023`.
        pub platform: String = "Python 3.12 on Amazon Linux 2023".into(),
        /// Load-balanced or single instance.
        pub environment_type: BeanstalkEnvironmentType = BeanstalkEnvironmentType::LoadBalanced,
        /// Instance type.
        pub instance_type: String = "t3.micro".into(),
        /// Fewest instances (load-balanced environments).
        pub min_instances: u32 = 1,
        /// Most instances (load-balanced environments).
        pub max_instances: u32 = 4,
        /// Subnets of the environment.
        pub subnets: Vec<ResourceId> = Vec::new(),
    }
}

impl Comparison {
    /// As a mathematical sign: `>`, `≥`, `<`, `≤`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThan => ">",
            Comparison::GreaterThanOrEqual => "≥",
            Comparison::LessThan => "<",
            Comparison::LessThanOrEqual => "≤",
        }
    }
}

impl AutoScalingGroup {
    /// The launch template it names, if `diagram` has it.
    pub fn launch_template_in<'d>(
        &self,
        diagram: &'d crate::model::Diagram,
    ) -> Option<&'d LaunchTemplate> {
        match &diagram
            .resource(self.launch_template.as_ref()?.as_str())?
            .config
        {
            crate::model::Config::LaunchTemplate(t) => Some(t),
            _ => None,
        }
    }
}

impl EcsService {
    /// The task definition it names, if `diagram` has it.
    pub fn task_definition_in<'d>(
        &self,
        diagram: &'d crate::model::Diagram,
    ) -> Option<&'d EcsTaskDefinition> {
        match &diagram
            .resource(self.task_definition.as_ref()?.as_str())?
            .config
        {
            crate::model::Config::EcsTaskDefinition(t) => Some(t),
            _ => None,
        }
    }
}
