//! AWS's own names for the diagram's choices, and what the exports work out alike from the
//! diagram, so that CloudFormation and Terraform say the same things.

use serde_json::Value;

use crate::model::config::compute::{BeanstalkEnvironmentType, ElasticBeanstalkEnvironment};
use crate::model::config::database::{AuroraEngine, CacheEngine, RdsEngine};
use crate::model::config::edge::{PriceClass, ViewerProtocolPolicy};
use crate::model::{Config, Diagram, Kind, LinkKind, Resource};

/// An RDS engine's API name and the license model AWS requires for it, if any
/// (CreateDBInstance's `Engine` and `LicenseModel`).
pub(crate) fn rds_engine(engine: RdsEngine) -> (&'static str, Option<&'static str>) {
    match engine {
        RdsEngine::MySql => ("mysql", None),
        RdsEngine::PostgreSql => ("postgres", None),
        RdsEngine::MariaDb => ("mariadb", None),
        RdsEngine::Oracle => ("oracle-se2", Some("license-included")),
        RdsEngine::SqlServer => ("sqlserver-se", Some("license-included")),
        RdsEngine::Db2 => ("db2-se", Some("bring-your-own-license")),
    }
}

/// An Aurora engine's API name.
pub(crate) fn aurora_engine(engine: AuroraEngine) -> &'static str {
    match engine {
        AuroraEngine::AuroraMySql => "aurora-mysql",
        AuroraEngine::AuroraPostgreSql => "aurora-postgresql",
    }
}

/// A replication group's engine (Memcached has no replication group).
pub(crate) fn replication_engine(engine: CacheEngine) -> &'static str {
    if engine == CacheEngine::Valkey {
        "valkey"
    } else {
        "redis"
    }
}

/// The default parameter group of a replication group in cluster mode.
pub(crate) fn cluster_mode_parameter_group(engine: CacheEngine) -> &'static str {
    if engine == CacheEngine::Valkey {
        "default.valkey8.cluster.on"
    } else {
        "default.redis7.cluster.on"
    }
}

/// CloudFront's name of a viewer protocol policy.
pub(crate) fn viewer_protocol_policy(policy: ViewerProtocolPolicy) -> &'static str {
    match policy {
        ViewerProtocolPolicy::AllowAll => "allow-all",
        ViewerProtocolPolicy::RedirectToHttps => "redirect-to-https",
        ViewerProtocolPolicy::HttpsOnly => "https-only",
    }
}

/// CloudFront's name of a price class.
pub(crate) fn price_class(class: PriceClass) -> &'static str {
    match class {
        PriceClass::All => "PriceClass_All",
        PriceClass::Class200 => "PriceClass_200",
        PriceClass::Class100 => "PriceClass_100",
    }
}

/// An Elastic Beanstalk environment's option settings as (namespace, option, value).
/// `profile` is the exporter's expression for the instance profile, `subnets` for the
/// joined subnet ids and `vpc` for the VPC's id, when the environment names subnets.
pub(crate) fn beanstalk_options(
    c: &ElasticBeanstalkEnvironment,
    profile: Value,
    subnets_and_vpc: Option<(Value, Option<Value>)>,
) -> Vec<(&'static str, &'static str, Value)> {
    let kind = match c.environment_type {
        BeanstalkEnvironmentType::LoadBalanced => "LoadBalanced",
        BeanstalkEnvironmentType::SingleInstance => "SingleInstance",
    };
    let mut options = vec![
        (
            "aws:autoscaling:launchconfiguration",
            "InstanceType",
            Value::from(c.instance_type.clone()),
        ),
        (
            "aws:autoscaling:launchconfiguration",
            "IamInstanceProfile",
            profile,
        ),
        (
            "aws:autoscaling:asg",
            "MinSize",
            c.min_instances.to_string().into(),
        ),
        (
            "aws:autoscaling:asg",
            "MaxSize",
            c.max_instances.to_string().into(),
        ),
        (
            "aws:elasticbeanstalk:environment",
            "EnvironmentType",
            kind.into(),
        ),
    ];
    if let Some((subnets, vpc)) = subnets_and_vpc {
        options.push(("aws:ec2:vpc", "Subnets", subnets));
        if let Some(vpc) = vpc {
            options.push(("aws:ec2:vpc", "VPCId", vpc));
        }
    }
    options
}

/// What runs with role `role`: what it is attached to, the groups launching from a
/// template it is attached to, and the services running a task it is attached to.
pub(crate) fn role_users<'a>(d: &'a Diagram, role: &str) -> Vec<&'a Resource> {
    let mut users = Vec::new();
    for holder in d.linked_from(role, LinkKind::Attachment, &[]) {
        users.push(holder);
        users.extend(d.resources().filter(|other| match &other.config {
            Config::AutoScalingGroup(c) => c.launch_template.as_ref() == Some(&holder.id),
            Config::EcsService(c) => c.task_definition.as_ref() == Some(&holder.id),
            _ => false,
        }));
    }
    users
}

/// Names of the AWS managed policies attached to `holder` (a role, user or group): the
/// policy's name as drawn, without spaces, as in `arn:aws:iam::aws:policy/NAME`.
pub(crate) fn managed_policy_names(d: &Diagram, holder: &str) -> Vec<String> {
    d.linked_to(holder, LinkKind::Attachment, &[Kind::IamPolicy])
        .iter()
        .filter(|p| matches!(&p.config, Config::IamPolicy(c) if c.aws_managed))
        .map(|p| p.label().split_whitespace().collect())
        .collect()
}

/// The AWS managed policies role `role` carries: those attached to it as drawn, and what
/// the resources it is attached to need from AWS to run at all (a function's logs, and its
/// network interfaces inside a VPC; Systems Manager for instances).
pub(crate) fn role_managed_policies(d: &Diagram, role: &str) -> Vec<String> {
    let mut names = managed_policy_names(d, role);
    for user in d.linked_from(role, LinkKind::Attachment, &[]) {
        let in_vpc = d.enclosing(user.id.as_str(), Kind::Vpc).is_some();
        let needs: &[&str] = match user.kind() {
            Kind::LambdaFunction if in_vpc => &[
                "service-role/AWSLambdaBasicExecutionRole",
                "service-role/AWSLambdaVPCAccessExecutionRole",
            ],
            Kind::LambdaFunction => &["service-role/AWSLambdaBasicExecutionRole"],
            Kind::LaunchTemplate | Kind::Ec2Instance | Kind::AutoScalingGroup => {
                &["AmazonSSMManagedInstanceCore"]
            }
            _ => &[],
        };
        for need in needs {
            if !names.iter().any(|n| n == need) {
                names.push(need.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_used_by_what_launches_from_its_template() {
        let d = crate::templates::find("employee-directory")
            .unwrap()
            .load()
            .unwrap();
        let users: Vec<&str> = role_users(&d, "app-role")
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(users, ["app-lt", "app-asg"]);
        assert!(role_users(&d, "app-asg").is_empty());
    }

    #[test]
    fn engines_that_need_a_license_model_name_it() {
        for engine in RdsEngine::ALL {
            let (name, license) = rds_engine(*engine);
            let commercial = name.starts_with("oracle") || name.starts_with("sqlserver");
            assert_eq!(license == Some("license-included"), commercial, "{name}");
        }
    }
}
