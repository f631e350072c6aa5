//! Typed configuration of every resource kind.
//!
//! [`Config`] is an enum with one variant per [`Kind`], each holding that kind's struct.
//! The variant name is the kind in saves: `config: Ec2Instance(instance_type: "m5.large")`.
//! Adding a kind means one line in the `kinds!` list below, its struct, and its entry in
//! the catalog data (`catalog.ron`); a test checks the two agree.

#[macro_use]
mod macros;
pub mod compute;
pub mod database;
pub mod edge;
pub mod network;
pub mod services;
pub mod storage;

use serde::{Deserialize, Serialize};

use super::ResourceId;
use super::refs::References;

macro_rules! kinds {
    ($( $(#[$doc:meta])* $kind:ident => $cfg:ty ),* $(,)?) => {
        /// A kind of resource: what it is in AWS terms.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind {
            $( $(#[$doc])* $kind, )*
        }

        impl Kind {
            /// Every kind, in catalog order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),*];

            /// The kind's name as written in saves.
            pub fn name(self) -> &'static str {
                match self { $(Kind::$kind => stringify!($kind),)* }
            }

            /// The kind with this saved name.
            pub fn from_name(name: &str) -> Option<Kind> {
                match name { $(stringify!($kind) => Some(Kind::$kind),)* _ => None }
            }
        }

        /// The configuration of a resource; its variant is the resource's kind.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Config {
            $( $(#[$doc])* $kind($cfg), )*
        }

        impl Config {
            /// The kind this configuration belongs to.
            pub fn kind(&self) -> Kind {
                match self { $(Config::$kind(_) => Kind::$kind,)* }
            }

            /// The shape of `kind`'s configuration: its fields, their types and docs.
            pub fn shape_of(kind: Kind) -> $crate::model::shape::Shape {
                match kind { $(Kind::$kind => <$cfg as $crate::model::shape::Described>::shape(),)* }
            }

            /// The default configuration of `kind`.
            pub fn default_for(kind: Kind) -> Config {
                match kind { $(Kind::$kind => Config::$kind(<$cfg>::default()),)* }
            }

            /// The configuration as a JSON value, for generic field access.
            pub fn to_json(&self) -> serde_json::Value {
                let result = match self { $(Config::$kind(c) => serde_json::to_value(c),)* };
                // Configurations are plain structs of strings, numbers, lists and enums,
                // which always serialize to JSON.
                result.unwrap_or(serde_json::Value::Null)
            }

            /// A configuration of `kind` read from a JSON value; unknown fields and wrong
            /// types are errors.
            pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Config, serde_json::Error> {
                Ok(match kind { $(Kind::$kind => Config::$kind(serde_json::from_value(value)?),)* })
            }

            fn as_references(&self) -> &dyn References {
                match self { $(Config::$kind(c) => c,)* }
            }

            fn as_references_mut(&mut self) -> &mut dyn References {
                match self { $(Config::$kind(c) => c,)* }
            }
        }
    };
}

kinds! {
    // Networking and content delivery.
    /// An AWS Region.
    Region => network::Region,
    /// A virtual private cloud.
    Vpc => network::Vpc,
    /// An Availability Zone.
    AvailabilityZone => network::AvailabilityZone,
    /// A subnet.
    Subnet => network::Subnet,
    /// An internet gateway.
    InternetGateway => network::InternetGateway,
    /// A NAT gateway.
    NatGateway => network::NatGateway,
    /// A route table.
    RouteTable => network::RouteTable,
    /// A network ACL.
    NetworkAcl => network::NetworkAcl,
    /// A security group.
    SecurityGroup => network::SecurityGroup,
    /// An Elastic IP address.
    ElasticIp => network::ElasticIp,
    /// An elastic network interface.
    NetworkInterface => network::NetworkInterface,
    /// A VPC endpoint.
    VpcEndpoint => network::VpcEndpoint,
    /// A VPC peering connection.
    VpcPeering => network::VpcPeering,
    /// A virtual private gateway.
    VirtualPrivateGateway => network::VirtualPrivateGateway,
    /// A transit gateway.
    TransitGateway => network::TransitGateway,
    /// A Site-to-Site VPN connection.
    SiteToSiteVpn => network::SiteToSiteVpn,
    /// A customer gateway.
    CustomerGateway => network::CustomerGateway,
    /// A Direct Connect connection.
    DirectConnect => network::DirectConnect,
    /// An Application Load Balancer.
    ApplicationLoadBalancer => edge::ApplicationLoadBalancer,
    /// A Network Load Balancer.
    NetworkLoadBalancer => edge::NetworkLoadBalancer,
    /// A Gateway Load Balancer.
    GatewayLoadBalancer => edge::GatewayLoadBalancer,
    /// A Classic Load Balancer.
    ClassicLoadBalancer => edge::ClassicLoadBalancer,
    /// A Route 53 hosted zone.
    Route53HostedZone => edge::Route53HostedZone,
    /// A CloudFront distribution.
    CloudFrontDistribution => edge::CloudFrontDistribution,
    // Compute.
    /// An EC2 instance.
    Ec2Instance => compute::Ec2Instance,
    /// A launch template.
    LaunchTemplate => compute::LaunchTemplate,
    /// An Auto Scaling group.
    AutoScalingGroup => compute::AutoScalingGroup,
    /// A Lambda function.
    LambdaFunction => compute::LambdaFunction,
    /// An Elastic Beanstalk environment.
    ElasticBeanstalkEnvironment => compute::ElasticBeanstalkEnvironment,
    // Containers.
    /// An ECS cluster.
    EcsCluster => compute::EcsCluster,
    /// An ECS service.
    EcsService => compute::EcsService,
    /// An ECS task definition.
    EcsTaskDefinition => compute::EcsTaskDefinition,
    /// An EKS cluster.
    EksCluster => compute::EksCluster,
    /// An ECR repository.
    EcrRepository => compute::EcrRepository,
    // Storage.
    /// An S3 bucket.
    S3Bucket => storage::S3Bucket,
    /// An EBS volume.
    EbsVolume => storage::EbsVolume,
    /// An instance store.
    InstanceStore => storage::InstanceStore,
    /// An EFS file system.
    EfsFileSystem => storage::EfsFileSystem,
    /// An FSx file system.
    FsxFileSystem => storage::FsxFileSystem,
    /// An S3 Glacier vault.
    GlacierVault => storage::GlacierVault,
    // Databases.
    /// An RDS DB instance.
    RdsInstance => database::RdsInstance,
    /// An Aurora cluster.
    AuroraCluster => database::AuroraCluster,
    /// A DynamoDB table.
    DynamoDbTable => database::DynamoDbTable,
    /// An ElastiCache cluster.
    ElastiCacheCluster => database::ElastiCacheCluster,
    /// A MemoryDB cluster.
    MemoryDbCluster => database::MemoryDbCluster,
    /// A DocumentDB cluster.
    DocumentDbCluster => database::DocumentDbCluster,
    /// A Keyspaces table.
    KeyspacesTable => database::KeyspacesTable,
    /// A Neptune cluster.
    NeptuneCluster => database::NeptuneCluster,
    /// A Timestream database.
    TimestreamDatabase => database::TimestreamDatabase,
    /// A QLDB ledger.
    QldbLedger => database::QldbLedger,
    // Application integration.
    /// An SQS queue.
    SqsQueue => services::SqsQueue,
    /// An EventBridge event bus.
    EventBridgeBus => services::EventBridgeBus,
    /// A Step Functions state machine.
    StepFunctionsStateMachine => services::StepFunctionsStateMachine,
    /// An SNS topic.
    SnsTopic => services::SnsTopic,
    /// An API Gateway API.
    ApiGateway => services::ApiGateway,
    // Management and monitoring.
    /// A CloudWatch alarm.
    CloudWatchAlarm => services::CloudWatchAlarm,
    /// A CloudWatch dashboard.
    CloudWatchDashboard => services::CloudWatchDashboard,
    /// A CloudWatch Logs log group.
    CloudWatchLogGroup => services::CloudWatchLogGroup,
    /// A CloudTrail trail.
    CloudTrail => services::CloudTrail,
    // Security, identity and compliance.
    /// An IAM user.
    IamUser => services::IamUser,
    /// An IAM group.
    IamGroup => services::IamGroup,
    /// An IAM role.
    IamRole => services::IamRole,
    /// An IAM policy.
    IamPolicy => services::IamPolicy,
    /// The account root user.
    RootUser => services::RootUser,
    /// A KMS key.
    KmsKey => services::KmsKey,
    /// A Secrets Manager secret.
    SecretsManagerSecret => services::SecretsManagerSecret,
    /// An ACM certificate.
    AcmCertificate => services::AcmCertificate,
    /// A WAF web ACL.
    WafWebAcl => services::WafWebAcl,
    // Analytics.
    /// An Athena workgroup.
    AthenaWorkgroup => services::AthenaWorkgroup,
    // External actors.
    /// Users on the internet.
    Users => services::Users,
    /// An on-premises data center.
    OnPremisesDataCenter => network::OnPremisesDataCenter,
}

/// The kind of resource a reference field names, by the field's name; `None` when the
/// field may name any kind (a route target, a watched resource).
pub fn reference_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "subnets" | "mount_target_subnets" => Kind::Subnet,
        "security_groups" => Kind::SecurityGroup,
        "route_table" => Kind::RouteTable,
        "network_acl" => Kind::NetworkAcl,
        "launch_template" => Kind::LaunchTemplate,
        "certificate" => Kind::AcmCertificate,
        "waf" => Kind::WafWebAcl,
        "kms_key" => Kind::KmsKey,
        "dead_letter_queue" => Kind::SqsQueue,
        "cluster" => Kind::EcsCluster,
        "task_definition" => Kind::EcsTaskDefinition,
        "task_role" => Kind::IamRole,
        "access_log_bucket" | "bucket" | "results_bucket" => Kind::S3Bucket,
        _ => return None,
    })
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl References for Config {
    fn for_each_ref(&self, f: &mut dyn FnMut(&ResourceId)) {
        self.as_references().for_each_ref(f);
    }
    fn rename_refs(&mut self, from: &ResourceId, to: &ResourceId) {
        self.as_references_mut().rename_refs(from, to);
    }
    fn drop_refs(&mut self, gone: &ResourceId) -> bool {
        self.as_references_mut().drop_refs(gone)
    }
    fn for_each_number(&self, path: &mut String, f: &mut dyn FnMut(&str, f64)) {
        self.as_references().for_each_number(path, f);
    }
}

impl Config {
    /// Every resource this configuration refers to, in field order.
    pub fn references(&self) -> Vec<ResourceId> {
        let mut refs = Vec::new();
        self.for_each_ref(&mut |id| refs.push(id.clone()));
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_default_config_of_its_own_kind_that_survives_json() {
        for &kind in Kind::ALL {
            let config = Config::default_for(kind);
            assert_eq!(config.kind(), kind);
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            let back = Config::from_json(kind, config.to_json()).unwrap();
            assert_eq!(back, config, "{kind}");
        }
    }

    #[test]
    fn every_kind_has_a_documented_shape_matching_its_json() {
        use crate::model::shape::Shape;
        for &kind in Kind::ALL {
            let shape = Config::shape_of(kind);
            let json = Config::default_for(kind).to_json();
            let object = json.as_object().unwrap();
            let names: Vec<&str> = shape.fields().iter().map(|f| f.name).collect();
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            let mut sorted_names = names.clone();
            sorted_names.sort_unstable();
            assert_eq!(
                sorted_names, keys,
                "{kind}: shape fields are the saved fields"
            );
            for field in shape.fields() {
                assert!(!field.doc.is_empty(), "{kind}.{} is documented", field.name);
            }
        }
        let alb = Config::shape_of(Kind::ApplicationLoadBalancer);
        assert_eq!(
            alb.field("routing_algorithm").unwrap().shape,
            Shape::Choice(&[
                "RoundRobin",
                "LeastOutstandingRequests",
                "WeightedRandom",
                "FlowHash"
            ])
        );
        assert!(matches!(
            alb.field("health_check").unwrap().shape,
            Shape::Struct(_)
        ));
        assert!(
            alb.field("deregistration_delay_secs")
                .unwrap()
                .doc
                .contains("300"),
            "the default's source is in the doc"
        );
    }

    #[test]
    fn every_named_reference_field_exists_somewhere() {
        use crate::model::shape::Shape;
        fn walk(shape: &Shape, found: &mut Vec<&'static str>) {
            for field in shape.fields() {
                let mut inner = &field.shape;
                while let Shape::Optional(s) | Shape::List(s) = inner {
                    inner = s;
                }
                if *inner == Shape::Reference {
                    found.push(field.name);
                }
                walk(inner, found);
            }
        }
        let mut found = Vec::new();
        for &kind in Kind::ALL {
            walk(&Config::shape_of(kind), &mut found);
        }
        for name in [
            "subnets",
            "security_groups",
            "route_table",
            "launch_template",
            "kms_key",
            "dead_letter_queue",
        ] {
            assert!(found.contains(&name), "{name}");
            assert!(reference_kind(name).is_some());
        }
        assert_eq!(reference_kind("target"), None);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err =
            Config::from_json(Kind::Vpc, serde_json::json!({"cidrr": "10.0.0.0/16"})).unwrap_err();
        assert!(err.to_string().contains("unknown field `cidrr`"), "{err}");
    }

    #[test]
    fn references_are_found_in_nested_fields() {
        let sg = ResourceId::new("web-sg").unwrap();
        let subnet = ResourceId::new("subnet-a").unwrap();
        let config = Config::AutoScalingGroup(compute::AutoScalingGroup {
            subnets: vec![subnet.clone()],
            ..Default::default()
        });
        assert_eq!(config.references(), vec![subnet]);
        let ec2 = Config::Ec2Instance(compute::Ec2Instance {
            security_groups: vec![sg.clone()],
            ..Default::default()
        });
        assert_eq!(ec2.references(), vec![sg]);
    }
}
