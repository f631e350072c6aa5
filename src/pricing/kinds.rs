//! How each kind is priced: the line items of one resource.

use super::estimate::{CostReport, LineItem, NotPriced, number};
use super::{
    Ec2Rate, HOURS_PER_MONTH, Price, ec2_hourly, elasticache_hourly, rds_hourly, unit_price,
};
use crate::catalog::catalog;
use crate::model::config::compute::{LambdaArchitecture, LaunchType, PurchaseOption, RootVolume};
use crate::model::config::database::{
    AuroraEngine, CacheEngine, CapacityMode, RdsEngine, RdsStorageType,
};
use crate::model::config::network::EndpointType;
use crate::model::config::services::ApiType;
use crate::model::config::storage::{FileSystemRedundancy, StorageClass, VolumeType};
use crate::model::{Config, Diagram, Kind, ResourceId};

/// Collects the lines of one resource.
pub(super) struct Lines<'a> {
    pub(super) report: &'a mut CostReport,
    pub(super) resource: &'a ResourceId,
    pub(super) region: &'a str,
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

    fn missing(&mut self, reason: String) {
        self.report.not_priced.push(NotPriced {
            resource: self.resource.clone(),
            kind: Kind::Users,
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
    let h = HOURS_PER_MONTH;
    match config {
        Config::Ec2Instance(c) => {
            l.ec2(&c.instance_type, c.purchase_option, 1.0);
            l.root(&c.root_volume, 1.0);
        }
        Config::AutoScalingGroup(c) => {
            let count = f64::from(c.desired_capacity);
            let template = c
                .launch_template
                .as_ref()
                .and_then(|t| diagram.resource(t.as_str()))
                .and_then(|r| match &r.config {
                    Config::LaunchTemplate(t) => Some(t),
                    _ => None,
                });
            let instance_type =
                template.map_or(c.instance_type.as_str(), |t| t.instance_type.as_str());
            l.ec2(instance_type, c.purchase_option, count);
            l.root(
                template.map_or(&RootVolume::default(), |t| &t.root_volume),
                count,
            );
        }
        Config::EbsVolume(c) => {
            l.volume(c.volume_type, f64::from(c.size_gb), 1.0);
            match (c.volume_type, c.iops) {
                (VolumeType::Gp3, Some(iops)) if iops > 3000 => {
                    l.unit(
                        "EBS",
                        "gp3 provisioned IOPS above 3000 free",
                        "gp3 IOPS above 3,000",
                        f64::from(iops - 3000),
                        "IOPS-month",
                    );
                }
                (VolumeType::Io1, Some(iops)) => l.unit(
                    "EBS",
                    "io1 provisioned IOPS",
                    "io1 IOPS",
                    f64::from(iops),
                    "IOPS-month",
                ),
                (VolumeType::Io2, Some(iops)) => {
                    l.unit(
                        "EBS",
                        "io2 provisioned IOPS (first 32000 tier)",
                        "io2 IOPS",
                        f64::from(iops),
                        "IOPS-month",
                    );
                }
                _ => {}
            }
            if let (VolumeType::Gp3, Some(mibps)) = (c.volume_type, c.throughput_mibps)
                && mibps > 125
            {
                l.unit(
                    "EBS",
                    "gp3 provisioned throughput above 125 MB/s free",
                    "gp3 throughput above 125 MB/s",
                    f64::from(mibps - 125),
                    "MBps-month",
                );
            }
            l.unit(
                "EBS",
                "snapshot storage",
                "snapshots",
                c.snapshot_gb,
                "GB-month",
            );
        }
        Config::ApplicationLoadBalancer(c) => {
            l.unit("ELB", "Application Load Balancer hour", "ALB hours", h, "h");
            l.unit(
                "ELB",
                "Application Load Balancer LCU-hour",
                "ALB LCUs",
                c.lcus * h,
                "LCU-h",
            );
        }
        Config::NetworkLoadBalancer(c) => {
            l.unit("ELB", "Network Load Balancer hour", "NLB hours", h, "h");
            l.unit(
                "ELB",
                "Network Load Balancer NLCU-hour",
                "NLB LCUs",
                c.lcus * h,
                "LCU-h",
            );
        }
        Config::ClassicLoadBalancer(c) => {
            l.unit("ELB", "Classic Load Balancer hour", "CLB hours", h, "h");
            l.unit(
                "ELB",
                "Classic Load Balancer data processed",
                "CLB data processed",
                c.processed_gb_per_month,
                "GB",
            );
        }
        Config::NatGateway(c) => {
            l.unit("VPC", "NAT gateway hour", "NAT gateway hours", h, "h");
            l.unit(
                "VPC",
                "NAT gateway data processed",
                "NAT data processed",
                c.processed_gb_per_month,
                "GB",
            );
        }
        Config::ElasticIp(_) => l.unit(
            "VPC",
            "Elastic IP / public IPv4 address",
            "public IPv4 address",
            h,
            "h",
        ),
        Config::VpcEndpoint(c) if c.endpoint_type == EndpointType::Interface => {
            let azs = c.subnets.len().max(1) as f64;
            l.unit(
                "VPC",
                "Interface VPC endpoint hour (per AZ)",
                &format!("interface endpoint in {} AZ(s)", number(azs)),
                h * azs,
                "h",
            );
            l.unit(
                "VPC",
                "Interface VPC endpoint data processed (first 1 PB)",
                "endpoint data processed",
                c.processed_gb_per_month,
                "GB",
            );
        }
        Config::S3Bucket(c) => {
            let (key, label) = match c.storage_class {
                StorageClass::Standard => ("Standard storage (first 50 TB tier)", "S3 Standard"),
                StorageClass::StandardIa => ("Standard-IA storage", "S3 Standard-IA"),
                StorageClass::OneZoneIa => ("One Zone-IA storage", "S3 One Zone-IA"),
                StorageClass::IntelligentTiering => (
                    "Intelligent-Tiering frequent access storage",
                    "S3 Intelligent-Tiering (frequent tier)",
                ),
                StorageClass::GlacierFlexibleRetrieval => (
                    "Glacier Flexible Retrieval storage",
                    "S3 Glacier Flexible Retrieval",
                ),
                StorageClass::GlacierDeepArchive => {
                    ("Glacier Deep Archive storage", "S3 Glacier Deep Archive")
                }
                StorageClass::GlacierInstantRetrieval => {
                    l.missing("no S3 Glacier Instant Retrieval price in the data".into());
                    return;
                }
            };
            l.unit("S3", key, label, c.storage_gb, "GB-month");
            l.unit(
                "S3",
                "Standard PUT/COPY/POST/LIST requests",
                "PUT, COPY, POST, LIST requests",
                c.write_requests_thousands,
                "k requests",
            );
            l.unit(
                "S3",
                "Standard GET/SELECT/other requests",
                "GET and other requests",
                c.read_requests_thousands,
                "k requests",
            );
        }
        Config::LambdaFunction(c) => {
            l.unit(
                "Lambda",
                "requests",
                "requests",
                c.invocations_per_month_millions,
                "M requests",
            );
            let gb_seconds = c.invocations_per_month_millions * 1e6 * c.average_duration_ms
                / 1000.0
                * f64::from(c.memory_mb)
                / 1024.0;
            let key = match c.architecture {
                LambdaArchitecture::X86_64 => "duration x86 (first 6B GB-s/month)",
                LambdaArchitecture::Arm64 => "duration arm64 (first 7.5B GB-s/month)",
            };
            l.unit("Lambda", key, "compute", gb_seconds, "GB-s");
        }
        Config::DynamoDbTable(c) => {
            match c.capacity_mode {
                CapacityMode::OnDemand => {
                    l.unit(
                        "DynamoDB",
                        "on-demand read request units",
                        "read request units",
                        c.reads_per_month_millions,
                        "M RRU",
                    );
                    l.unit(
                        "DynamoDB",
                        "on-demand write request units",
                        "write request units",
                        c.writes_per_month_millions,
                        "M WRU",
                    );
                }
                CapacityMode::Provisioned => {
                    l.unit(
                        "DynamoDB",
                        "provisioned RCU",
                        "provisioned read capacity",
                        f64::from(c.read_capacity_units),
                        "RCU-month",
                    );
                    l.unit(
                        "DynamoDB",
                        "provisioned WCU",
                        "provisioned write capacity",
                        f64::from(c.write_capacity_units),
                        "WCU-month",
                    );
                }
            }
            l.unit(
                "DynamoDB",
                "data storage (Standard table class)",
                "storage",
                c.storage_gb,
                "GB-month",
            );
        }
        Config::Route53HostedZone(c) => {
            l.unit(
                "Route53",
                "hosted zone (first 25)",
                "hosted zone",
                1.0,
                "zone-month",
            );
            l.unit(
                "Route53",
                "standard queries (first 1B/month)",
                "standard queries",
                c.queries_per_month_millions,
                "M queries",
            );
        }
        Config::SqsQueue(c) => {
            let key = if c.fifo {
                "FIFO queue requests"
            } else {
                "standard queue requests (after 1M free)"
            };
            l.unit(
                "SQS",
                key,
                "requests",
                c.requests_per_month_millions,
                "M requests",
            );
        }
        Config::SnsTopic(c) => {
            l.unit(
                "SNS",
                "standard topic API requests (over 1M)",
                "publishes",
                c.publishes_per_month_millions,
                "M requests",
            );
        }
        Config::CloudWatchAlarm(c) => {
            let key = if c.high_resolution {
                "high-resolution alarm metric"
            } else {
                "standard-resolution alarm metric"
            };
            l.unit("CloudWatch", key, "alarm", 1.0, "alarm-month");
        }
        Config::CloudWatchDashboard(_) => l.unit(
            "CloudWatch",
            "dashboard",
            "dashboard",
            1.0,
            "dashboard-month",
        ),
        Config::CloudWatchLogGroup(c) => {
            l.unit(
                "CloudWatch",
                "logs ingestion (standard)",
                "log ingestion",
                c.ingested_gb_per_month,
                "GB",
            );
        }
        Config::KmsKey(_) => l.unit(
            "KMS",
            "customer managed key",
            "customer managed key",
            1.0,
            "key-month",
        ),
        Config::EcrRepository(c) => {
            l.unit("ECR", "storage", "image storage", c.storage_gb, "GB-month")
        }
        Config::ApiGateway(c) => {
            let (key, label) = match c.api_type {
                ApiType::Rest => ("REST API requests (first 333M)", "REST API requests"),
                ApiType::Http => ("HTTP API requests (first 300M)", "HTTP API requests"),
                ApiType::WebSocket => ("WebSocket messages (first 1B)", "WebSocket messages"),
            };
            l.unit(
                "APIGateway",
                key,
                label,
                c.requests_per_month_millions,
                "M requests",
            );
        }
        Config::EksCluster(c) => {
            l.unit(
                "EKS",
                "cluster hour (standard support)",
                "EKS control plane",
                h,
                "h",
            );
            l.ec2(
                &c.node_instance_type,
                PurchaseOption::OnDemand,
                f64::from(c.node_count),
            );
        }
        Config::EfsFileSystem(c) => {
            let key = if c.redundancy == FileSystemRedundancy::OneZone {
                "One Zone storage"
            } else {
                "Standard storage"
            };
            l.unit(
                "EFS",
                key,
                &format!("EFS {}", key.to_lowercase()),
                c.storage_gb,
                "GB-month",
            );
        }
        Config::AuroraCluster(c) => {
            if c.serverless {
                l.unit(
                    "Aurora",
                    "Serverless v2 ACU-hour (Standard)",
                    "Serverless v2 at its minimum capacity",
                    c.min_capacity_acu * h,
                    "ACU-h",
                );
            } else {
                let engine = if c.engine == AuroraEngine::AuroraMySql {
                    "Aurora MySQL"
                } else {
                    "Aurora PostgreSQL"
                };
                let count = 1.0 + f64::from(c.replicas);
                match rds_hourly(&c.instance_class, l.region, engine) {
                    Some(price) => l.push(
                        "Aurora",
                        format!(
                            "{} × {} ({engine}, writer and replicas)",
                            number(count),
                            c.instance_class
                        ),
                        h * count,
                        "h",
                        price,
                    ),
                    None => l.missing(format!(
                        "no {engine} price for {} in the data (classes before 2021 only)",
                        c.instance_class
                    )),
                }
            }
            if c.io_optimized {
                l.unit(
                    "Aurora",
                    "storage (I/O-Optimized config)",
                    "storage (I/O-Optimized)",
                    c.storage_gb,
                    "GB-month",
                );
            } else {
                l.unit(
                    "Aurora",
                    "storage (Standard config)",
                    "storage",
                    c.storage_gb,
                    "GB-month",
                );
                l.unit(
                    "Aurora",
                    "I/O requests (Standard config)",
                    "I/O requests",
                    c.io_requests_millions,
                    "M requests",
                );
            }
        }
        Config::RdsInstance(c) => {
            let engine = match c.engine {
                RdsEngine::MySql => "MySQL",
                RdsEngine::PostgreSql => "PostgreSQL",
                RdsEngine::MariaDb => "MariaDB",
                other => {
                    l.missing(format!("{other:?} licensing prices are not in the data"));
                    return;
                }
            };
            // Multi-AZ bills the standby too: exactly twice the Single-AZ instance and storage.
            let copies = if c.multi_az { 2.0 } else { 1.0 };
            let deployment = if c.multi_az { "Multi-AZ" } else { "Single-AZ" };
            match rds_hourly(&c.instance_class, l.region, engine) {
                Some(price) => l.push(
                    "RDS",
                    format!("{} {engine} {deployment}", c.instance_class),
                    h * copies,
                    "h",
                    price,
                ),
                None => l.missing(format!(
                    "no {engine} price for {} in the data (classes before 2021 only)",
                    c.instance_class
                )),
            }
            let storage = f64::from(c.allocated_storage_gb) * copies;
            match c.storage_type {
                RdsStorageType::Gp2 | RdsStorageType::Gp3 => l.unit(
                    "RDS",
                    "gp2 storage Single-AZ",
                    &format!("general purpose storage ({deployment})"),
                    storage,
                    "GB-month",
                ),
                RdsStorageType::Io1 | RdsStorageType::Io2 => {
                    l.unit(
                        "RDS",
                        "io1 storage Single-AZ",
                        &format!("provisioned IOPS storage ({deployment})"),
                        storage,
                        "GB-month",
                    );
                    l.unit(
                        "RDS",
                        "io1 provisioned IOPS Single-AZ",
                        "provisioned IOPS",
                        f64::from(c.iops.unwrap_or(1000)) * copies,
                        "IOPS-month",
                    );
                }
                RdsStorageType::Magnetic => l.unit(
                    "RDS",
                    "magnetic storage",
                    "magnetic storage",
                    storage,
                    "GB-month",
                ),
            }
            l.unit(
                "RDS",
                "additional backup storage",
                "backups beyond the free allowance",
                c.extra_backup_gb,
                "GB-month",
            );
        }
        Config::ElastiCacheCluster(c) => {
            let engine = match c.engine {
                CacheEngine::Redis => "Redis",
                CacheEngine::Valkey => "Valkey",
                CacheEngine::Memcached => "Memcached",
            };
            let replicas = if c.engine == CacheEngine::Memcached {
                0
            } else {
                c.replicas_per_shard
            };
            let nodes = f64::from(c.shards) * (1.0 + f64::from(replicas));
            match elasticache_hourly(&c.node_type, l.region, engine) {
                Some(price) => l.push(
                    "ElastiCache",
                    format!("{} × {} ({engine})", number(nodes), c.node_type),
                    h * nodes,
                    "h",
                    price,
                ),
                None => l.missing(format!("no {engine} price for {} in the data", c.node_type)),
            }
        }
        Config::EcsService(c) if c.launch_type == LaunchType::Fargate => {
            let task = c
                .task_definition
                .as_ref()
                .and_then(|t| diagram.resource(t.as_str()))
                .and_then(|r| match &r.config {
                    Config::EcsTaskDefinition(t) => Some(t),
                    _ => None,
                });
            let Some(task) = task else {
                l.missing(
                    "a Fargate service needs a task definition to know its CPU and memory".into(),
                );
                return;
            };
            let tasks = f64::from(c.desired_count);
            let vcpu = f64::from(task.cpu_units) / 1024.0;
            let gb = f64::from(task.memory_mb) / 1024.0;
            l.unit(
                "Fargate",
                "Linux/x86 vCPU-hour",
                &format!("{} task(s) × {} vCPU", number(tasks), number(vcpu)),
                tasks * vcpu * h,
                "vCPU-h",
            );
            l.unit(
                "Fargate",
                "Linux/x86 GB-hour",
                &format!("{} task(s) × {} GB", number(tasks), number(gb)),
                tasks * gb * h,
                "GB-h",
            );
        }
        Config::EcsCluster(c) if c.launch_type == LaunchType::Ec2 && c.instance_count > 0 => {
            l.ec2(
                &c.instance_type,
                PurchaseOption::OnDemand,
                f64::from(c.instance_count),
            );
        }
        Config::CloudFrontDistribution(c) => {
            // Volume tiers of the North America edge, in GB.
            let tiers = [
                (
                    10_240.0,
                    "data transfer out to internet (first 10tb) (US, Mexico, Canada edge)",
                    "data out, first 10 TB",
                ),
                (
                    40_960.0,
                    "data transfer out to internet (next 40tb) (US, Mexico, Canada edge)",
                    "data out, next 40 TB",
                ),
                (
                    102_400.0,
                    "data transfer out to internet (next 100tb) (US, Mexico, Canada edge)",
                    "data out, next 100 TB",
                ),
                (
                    f64::INFINITY,
                    "data transfer out to internet (next 350tb) (US, Mexico, Canada edge)",
                    "data out, beyond 150 TB",
                ),
            ];
            let mut left = c.data_out_gb_per_month;
            for (size, key, label) in tiers {
                let here = left.min(size);
                l.unit("CloudFront", key, label, here, "GB");
                left -= here;
                if left <= 0.0 {
                    break;
                }
            }
            l.unit(
                "CloudFront",
                "HTTPS requests (US, Mexico, Canada)",
                "HTTPS requests",
                c.requests_per_month_millions * 100.0,
                "10k requests",
            );
        }
        other => {
            if !free(other.kind()) {
                l.missing(format!(
                    "{} has no price in the data",
                    catalog().name(other.kind())
                ));
            }
        }
    }
}

/// Kinds AWS does not charge for (or whose cost is counted on other resources).
fn free(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Region
            | Kind::Vpc
            | Kind::AvailabilityZone
            | Kind::Subnet
            | Kind::InternetGateway
            | Kind::RouteTable
            | Kind::NetworkAcl
            | Kind::SecurityGroup
            | Kind::NetworkInterface
            | Kind::VpcEndpoint
            | Kind::VpcPeering
            | Kind::LaunchTemplate
            | Kind::EcsCluster
            | Kind::EcsService
            | Kind::EcsTaskDefinition
            | Kind::IamUser
            | Kind::IamGroup
            | Kind::IamRole
            | Kind::IamPolicy
            | Kind::RootUser
            | Kind::AcmCertificate
            | Kind::Users
            | Kind::OnPremisesDataCenter
            | Kind::CustomerGateway
            | Kind::ElasticBeanstalkEnvironment
    )
}
