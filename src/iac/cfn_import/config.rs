//! Which kind a CloudFormation resource is, and its configuration read from its
//! properties and from the resources that hang on it (listeners, routes, rules…).

use serde_json::{Value, json};

use super::{Doc, Res, refs};
use crate::model::catalog::catalog;
use crate::model::{Config, Kind};

/// Types that belong to another resource (a subnet's route table association, a load
/// balancer's listener): read with their owner, never drawn on their own.
const PARTS: &[&str] = &[
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::Route",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::FlowLog",
    "AWS::EC2::EIPAssociation",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::VolumeAttachment",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::Route53::RecordSet",
    "AWS::Route53::RecordSetGroup",
    "AWS::Route53::HealthCheck",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    "AWS::S3::BucketPolicy",
    "AWS::AutoScaling::ScalingPolicy",
    "AWS::AutoScaling::ScheduledAction",
    "AWS::AutoScaling::LaunchConfiguration",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::AccessKey",
    "AWS::IAM::Policy",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::Lambda::EventSourceMapping",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::RDS::DBSubnetGroup",
    "AWS::RDS::DBParameterGroup",
    "AWS::RDS::DBClusterParameterGroup",
    "AWS::RDS::GlobalCluster",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::MemoryDB::SubnetGroup",
    "AWS::DocDB::DBSubnetGroup",
    "AWS::DocDB::DBInstance",
    "AWS::Neptune::DBSubnetGroup",
    "AWS::Neptune::DBInstance",
    "AWS::SecretsManager::Secret",
    "AWS::Cassandra::Keyspace",
    "AWS::Timestream::Table",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::EKS::Nodegroup",
    "AWS::EKS::FargateProfile",
    "AWS::ElasticBeanstalk::Application",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::Events::Rule",
];

/// Whether a type is a part of another resource.
pub(super) fn is_part(kind: &str) -> bool {
    PARTS.contains(&kind)
}

/// The diagram kind of a template resource, or `None` for a part or an unsupported type.
pub(super) fn kind_of(doc: &Doc, logical: &str, r: &Res) -> Option<Kind> {
    let p = |k: &str| r.prop(k);
    Some(match r.kind.as_str() {
        // An address a NAT gateway takes is part of it.
        "AWS::EC2::EIP"
            if doc
                .referring("AWS::EC2::NatGateway", "AllocationId", logical)
                .next()
                .is_some() =>
        {
            return None;
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => match p("Type").as_str() {
            Some("network") => Kind::NetworkLoadBalancer,
            Some("gateway") => Kind::GatewayLoadBalancer,
            _ => Kind::ApplicationLoadBalancer,
        },
        // A launch template only a group or an instance of ours made is part of it.
        "AWS::EC2::LaunchTemplate" if doc.ours && r.meta.is_none() => return None,
        "AWS::EFS::MountTarget" => return None,
        // An instance of a cluster is part of the cluster.
        "AWS::RDS::DBInstance" if !p("DBClusterIdentifier").is_null() => return None,
        // An alarm that only drives a scaling policy is part of the policy's group.
        "AWS::CloudWatch::Alarm"
            if refs(p("AlarmActions")).iter().any(|a| {
                doc.res
                    .get(a)
                    .is_some_and(|x| x.kind == "AWS::AutoScaling::ScalingPolicy")
            }) =>
        {
            return None;
        }
        // A log group a flow log writes to is part of the VPC's flow logs.
        "AWS::Logs::LogGroup"
            if doc
                .referring("AWS::EC2::FlowLog", "LogGroupName", logical)
                .next()
                .is_some() =>
        {
            return None;
        }
        // A secret holding a user's first console password is part of the user.
        "AWS::SecretsManager::Secret" if doc.first_passwords.contains(logical) => return None,
        // Every other type: the one kind whose catalog entry reads it.
        other => return catalog().kind_for_cloudformation(other),
    })
}

/// A configuration built field by field over a kind's defaults.
pub(super) struct Fields {
    kind: Kind,
    value: Value,
}

impl Fields {
    pub(super) fn new(kind: Kind) -> Self {
        Fields {
            kind,
            value: Config::default_for(kind).to_json(),
        }
    }

    /// Sets `field` when `value` is not null.
    pub(super) fn set(&mut self, field: &str, value: impl Into<Value>) -> &mut Self {
        let value = value.into();
        if !value.is_null() {
            self.value[field] = value;
        }
        self
    }

    /// The configuration; a field the kind rejects leaves the defaults in place.
    pub(super) fn finish(self) -> Config {
        Config::from_json(self.kind, self.value.clone()).unwrap_or_else(|_| {
            // Fall back field by field: keep every field that fits.
            let mut good = Config::default_for(self.kind).to_json();
            if let Value::Object(fields) = self.value {
                for (k, v) in fields {
                    let mut trial = good.clone();
                    trial[&k] = v;
                    if Config::from_json(self.kind, trial.clone()).is_ok() {
                        good = trial;
                    }
                }
            }
            Config::from_json(self.kind, good).unwrap_or_else(|_| Config::default_for(self.kind))
        })
    }
}

/// A number written as a number or a string (`"2"`), as templates do.
pub(super) fn number(v: &Value) -> Value {
    match v {
        Value::Number(_) => v.clone(),
        Value::String(s) => s
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| s.parse::<f64>().map(Value::from))
            .unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// A boolean written as a boolean or a string.
pub(super) fn boolean(v: &Value) -> Value {
    match v {
        Value::Bool(_) => v.clone(),
        Value::String(s) if s.eq_ignore_ascii_case("true") => json!(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => json!(false),
        _ => Value::Null,
    }
}

/// A plain string property (null for an intrinsic function).
pub(super) fn text(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        _ => Value::Null,
    }
}

/// The `Value` of tag `Name`.
pub(super) fn name_tag(r: &Res) -> Option<String> {
    for key in ["Tags", "HostedZoneTags", "FileSystemTags"] {
        if let Some(tags) = r.prop(key).as_array() {
            for tag in tags {
                if tag["Key"] == "Name"
                    && let Some(v) = tag["Value"].as_str()
                {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}
