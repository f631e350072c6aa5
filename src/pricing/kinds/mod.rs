//! How each kind is priced: the line items of one resource, one module per family of
//! kinds (mirroring `model::config`).

mod compute;
mod database;
mod edge;
mod network;
mod services;
mod storage;

use super::estimate::{CostReport, LineItem, NotPriced, number};
use crate::aws::{Ec2Rate, HOURS_PER_MONTH, Price, ec2_hourly, unit_price};
use crate::model::catalog::catalog;
use crate::model::config::compute::{LaunchType, PurchaseOption, RootVolume};
use crate::model::config::network::EndpointType;
use crate::model::config::storage::VolumeType;
use crate::model::{Config, Diagram, Kind, ResourceId};

/// Collects the lines of one resource.
pub(super) struct Lines<'a> {
    pub(super) report: &'a mut CostReport,
    pub(super) resource: &'a ResourceId,
    pub(super) kind: Kind,
    pub(super) region: &'a str,
    /// Minimum and maximum size as multiples of the desired size, for scaling capacity.
    pub(super) scale: Option<(f64, f64)>,
}

impl Lines<'_> {
    fn push(
        &mut self,
        service: &'static str,
        item: String,
        quantity: f64,
        unit: &'static str,
        price: Price,
    ) {
        if quantity <= 0.0 {
            return;
        }
        self.report.lines.push(LineItem {
            resource: self.resource.clone(),
            service,
            item,
            quantity,
            unit,
            unit_price_usd: price.usd,
            monthly_usd: quantity * price.usd,
            price_from_us_east_1: price.fallback,
            as_of: price.as_of,
            source: price.source,
            range_usd: self
                .scale
                .map(|(min, max)| (quantity * price.usd * min, quantity * price.usd * max)),
        });
    }

    /// A line priced from the unit table; a missing price is reported, never $0.
    fn unit(
        &mut self,
        service: &'static str,
        key: &str,
        item: &str,
        quantity: f64,
        unit: &'static str,
    ) {
        match unit_price(service, key, self.region) {
            Some(price) => self.push(service, item.to_owned(), quantity, unit, price),
            None => self.missing(format!("no price for {service} {key}")),
        }
    }

    /// Lines of a volume-tiered price: each tier `(size, key, label)` takes what is left of
    /// `quantity` up to its size, in order; the last tier should be unbounded.
    fn tiered(
        &mut self,
        service: &'static str,
        tiers: &[(f64, &str, &str)],
        quantity: f64,
        unit: &'static str,
    ) {
        let mut left = quantity;
        for (size, key, label) in tiers {
            if left <= 0.0 {
                break;
            }
            let here = left.min(*size);
            self.unit(service, key, label, here, unit);
            left -= here;
        }
    }

    /// Marks the following lines as capacity that scales from `min` to `max` around
    /// `desired` (no range when the three agree or nothing is desired).
    fn scale_between(&mut self, min: u32, desired: u32, max: u32) {
        self.scale = (desired > 0 && (min != desired || max != desired)).then(|| {
            let desired = f64::from(desired);
            (f64::from(min) / desired, f64::from(max) / desired)
        });
    }

    fn missing(&mut self, reason: String) {
        self.report.not_priced.push(NotPriced {
            resource: self.resource.clone(),
            kind: self.kind,
            reason,
        });
    }

    fn ec2(&mut self, instance_type: &str, option: PurchaseOption, count: f64) {
        let (rate, label) = match option {
            PurchaseOption::OnDemand => (Ec2Rate::OnDemand, "on-demand"),
            PurchaseOption::Reserved => (
                Ec2Rate::Reserved1YearNoUpfront,
                "reserved 1-year no upfront",
            ),
            PurchaseOption::Spot => (Ec2Rate::SpotAverage, "spot (average)"),
            // The data has no Savings Plan or dedicated rates: the on-demand rate, said so.
            PurchaseOption::SavingsPlan => (
                Ec2Rate::OnDemand,
                "on-demand (no Savings Plan rates in the data)",
            ),
            PurchaseOption::Dedicated => (
                Ec2Rate::OnDemand,
                "on-demand shared tenancy (no dedicated rates in the data)",
            ),
        };
        match ec2_hourly(instance_type, self.region, rate) {
            Some(price) => {
                let item = if count == 1.0 {
                    format!("{instance_type} {label}")
                } else {
                    format!("{} × {instance_type} {label}", number(count))
                };
                self.push("EC2", item, HOURS_PER_MONTH * count, "h", price);
            }
            None => self.missing(format!("no {label} price for {instance_type}")),
        }
    }

    fn volume(&mut self, volume_type: VolumeType, size_gb: f64, count: f64) {
        let key = match volume_type {
            VolumeType::Gp2 => "gp2 storage",
            VolumeType::Gp3 => "gp3 storage",
            VolumeType::Io1 => "io1 storage",
            VolumeType::Io2 => "io2 storage",
            VolumeType::St1 => "st1 storage",
            VolumeType::Sc1 => "sc1 storage",
            VolumeType::Standard => "standard (magnetic) storage",
        };
        self.unit("EBS", key, key, size_gb * count, "GB-month");
    }

    fn root(&mut self, root: &RootVolume, count: f64) {
        self.volume(root.volume_type, f64::from(root.size_gb), count);
    }
}

pub(super) fn price_resource(diagram: &Diagram, config: &Config, l: &mut Lines<'_>) {
    match config {
        Config::Ec2Instance(c) => compute::ec2_instance(l, c),
        Config::AutoScalingGroup(c) => compute::auto_scaling_group(diagram, l, c),
        Config::EbsVolume(c) => storage::ebs_volume(l, c),
        Config::ApplicationLoadBalancer(c) => edge::application_load_balancer(l, c),
        Config::NetworkLoadBalancer(c) => edge::network_load_balancer(l, c),
        Config::ClassicLoadBalancer(c) => edge::classic_load_balancer(l, c),
        Config::Region(c) => network::data_transfer(diagram, l, c),
        Config::NatGateway(c) => network::nat_gateway(l, c),
        Config::ElasticIp(_) => network::elastic_ip(l),
        Config::VpcEndpoint(c) if c.endpoint_type == EndpointType::Interface => {
            network::vpc_endpoint(l, c)
        }
        Config::S3Bucket(c) => storage::s3_bucket(l, c),
        Config::LambdaFunction(c) => compute::lambda_function(l, c),
        Config::DynamoDbTable(c) => database::dynamodb_table(l, c),
        Config::Route53HostedZone(c) => edge::route53_hosted_zone(l, c),
        Config::SqsQueue(c) => services::sqs_queue(l, c),
        Config::SnsTopic(c) => services::sns_topic(l, c),
        Config::CloudWatchAlarm(c) => services::cloudwatch_alarm(l, c),
        Config::CloudWatchDashboard(_) => services::cloudwatch_dashboard(l),
        Config::CloudWatchLogGroup(c) => services::cloudwatch_log_group(l, c),
        Config::KmsKey(_) => services::kms_key(l),
        Config::SecretsManagerSecret(c) => services::secret(l, c),
        Config::StepFunctionsStateMachine(c) => services::state_machine(l, c),
        Config::EventBridgeBus(c) => services::event_bus(l, c),
        Config::EcrRepository(c) => compute::ecr_repository(l, c),
        Config::ApiGateway(c) => services::api_gateway(l, c),
        Config::EksCluster(c) => compute::eks_cluster(l, c),
        Config::EfsFileSystem(c) => storage::efs_file_system(l, c),
        Config::AuroraCluster(c) => database::aurora_cluster(l, c),
        Config::RdsInstance(c) => database::rds_instance(l, c),
        Config::ElastiCacheCluster(c) => database::elasticache_cluster(l, c),
        Config::EcsService(c) if c.launch_type == LaunchType::Fargate => {
            compute::ecs_service(diagram, l, c)
        }
        Config::EcsCluster(c) if c.launch_type == LaunchType::Ec2 && c.instance_count > 0 => {
            compute::ecs_cluster(l, c)
        }
        Config::CloudFrontDistribution(c) => edge::cloudfront_distribution(l, c),
        // Capacity billed elsewhere: a gateway endpoint costs nothing, an ECS service on EC2
        // runs on its cluster's instances, and a cluster of Fargate tasks has no instances.
        Config::VpcEndpoint(_) | Config::EcsService(_) | Config::EcsCluster(_) => {}
        // No price function: free kinds (the catalog's `free`) cost nothing, and the others
        // are listed as not priced, never counted as $0.
        Config::Vpc(_)
        | Config::AvailabilityZone(_)
        | Config::Subnet(_)
        | Config::InternetGateway(_)
        | Config::RouteTable(_)
        | Config::NetworkAcl(_)
        | Config::SecurityGroup(_)
        | Config::NetworkInterface(_)
        | Config::VpcPeering(_)
        | Config::VirtualPrivateGateway(_)
        | Config::TransitGateway(_)
        | Config::SiteToSiteVpn(_)
        | Config::CustomerGateway(_)
        | Config::DirectConnect(_)
        | Config::GatewayLoadBalancer(_)
        | Config::LaunchTemplate(_)
        | Config::ElasticBeanstalkEnvironment(_)
        | Config::EcsTaskDefinition(_)
        | Config::InstanceStore(_)
        | Config::FsxFileSystem(_)
        | Config::GlacierVault(_)
        | Config::MemoryDbCluster(_)
        | Config::DocumentDbCluster(_)
        | Config::KeyspacesTable(_)
        | Config::NeptuneCluster(_)
        | Config::TimestreamDatabase(_)
        | Config::QldbLedger(_)
        | Config::CloudTrail(_)
        | Config::IamUser(_)
        | Config::IamGroup(_)
        | Config::IamRole(_)
        | Config::IamPolicy(_)
        | Config::RootUser(_)
        | Config::AcmCertificate(_)
        | Config::WafWebAcl(_)
        | Config::AthenaWorkgroup(_)
        | Config::Users(_)
        | Config::OnPremisesDataCenter(_) => {
            if !free(config.kind()) {
                l.missing(format!(
                    "{} has no price in the data",
                    catalog().name(config.kind())
                ));
            }
        }
    }
}

/// Kinds AWS does not charge for, or whose cost is counted on other resources (the
/// catalog's `free`).
fn free(kind: Kind) -> bool {
    catalog().info(kind).free
}
