//! Compute: instances, launch templates, Auto Scaling groups, Lambda, containers and
//! Elastic Beanstalk.

use serde_json::{Value, json};

use super::Builder;
use crate::model::config::compute::{
    AdjustmentType, AutoScalingGroup, AzDistribution, Comparison, CpuCredits, HealthCheckType,
    LambdaArchitecture, LaunchType, Monitoring, PlacementStrategy, PurchaseOption, RootVolume,
    ScalingMetric, ScalingPolicy,
};
use crate::model::{Config, Kind, LinkKind, Resource, ResourceId};

/// Adds `r` when it is a compute resource; false for other kinds.
pub(super) fn add(b: &mut Builder, r: &Resource) -> bool {
    match &r.config {
        Config::Ec2Instance(c) => {
            let id = r.id.as_str();
            let Some(subnet) = b.enclosing(id, Kind::Subnet) else {
                b.skip(r, "an instance must sit in a subnet");
                return true;
            };
            let subnet = b.r(subnet.id.as_str());
            let mut props = json!({ "ImageId": image(b, &c.ami, &c.instance_type),
                "InstanceType": c.instance_type, "Monitoring": c.monitoring == Monitoring::Detailed,
                "BlockDeviceMappings": [root_device(&c.root_volume)], "Tags": b.tags(r) });
            if c.public_ip {
                props["NetworkInterfaces"] = json!([{ "DeviceIndex": "0", "SubnetId": subnet,
                    "GroupSet": b.refs(&c.security_groups), "AssociatePublicIpAddress": true }]);
            } else {
                props["SubnetId"] = subnet;
                props["SecurityGroupIds"] = b.refs(&c.security_groups);
            }
            if let Some(key) = &c.key_pair {
                props["KeyName"] = json!(key);
            }
            if !c.user_data.is_empty() {
                props["UserData"] = json!({ "Fn::Base64": c.user_data });
            }
            if let Some(credits) = credits(c.cpu_credits, &c.instance_type) {
                props["CreditSpecification"] = json!({ "CPUCredits": credits });
            }
            match c.purchase_option {
                PurchaseOption::Spot => {
                    // An instance asks for Spot capacity through a launch template.
                    let name = b.derived(id, "SpotTemplate");
                    let data = json!({ "InstanceMarketOptions": { "MarketType": "spot" } });
                    b.add(
                        &name,
                        "AWS::EC2::LaunchTemplate",
                        json!({ "LaunchTemplateData": data }),
                    );
                    props["LaunchTemplate"] = json!({ "LaunchTemplateId": { "Ref": name },
                        "Version": { "Fn::GetAtt": [name, "LatestVersionNumber"] } });
                }
                PurchaseOption::Dedicated => props["Tenancy"] = json!("dedicated"),
                _ => {}
            }
            if let Some(role) = b.attached_role(id) {
                props["IamInstanceProfile"] =
                    json!({ "Ref": b.instance_profile(role.id.as_str()) });
            }
            b.add_main(r, "AWS::EC2::Instance", props);
        }
        Config::LaunchTemplate(c) => {
            let id = r.id.as_str();
            let mut data = json!({ "ImageId": image(b, &c.ami, &c.instance_type),
                "InstanceType": c.instance_type,
                "Monitoring": { "Enabled": c.monitoring == Monitoring::Detailed },
                "BlockDeviceMappings": [root_device(&c.root_volume)],
                "TagSpecifications": [{ "ResourceType": "instance", "Tags": b.tags(r) }] });
            if c.public_ip {
                data["NetworkInterfaces"] = json!([{ "DeviceIndex": 0,
                    "AssociatePublicIpAddress": true, "Groups": b.refs(&c.security_groups) }]);
            } else if !c.security_groups.is_empty() {
                data["SecurityGroupIds"] = b.refs(&c.security_groups);
            }
            if let Some(key) = &c.key_pair {
                data["KeyName"] = json!(key);
            }
            if !c.user_data.is_empty() {
                data["UserData"] = json!({ "Fn::Base64": c.user_data });
            }
            if let Some(credits) = credits(c.cpu_credits, &c.instance_type) {
                data["CreditSpecification"] = json!({ "CpuCredits": credits });
            }
            if let Some(role) = template_role(b, id) {
                let profile = b.instance_profile(role.id.as_str());
                data["IamInstanceProfile"] = json!({ "Arn": { "Fn::GetAtt": [profile, "Arn"] } });
            }
            b.add_main(
                r,
                "AWS::EC2::LaunchTemplate",
                json!({ "LaunchTemplateData": data }),
            );
        }
        Config::AutoScalingGroup(c) => auto_scaling_group(b, r, c),
        Config::LambdaFunction(c) => lambda(b, r, c),
        Config::EcsCluster(c) => {
            let insights = if c.container_insights {
                "enabled"
            } else {
                "disabled"
            };
            let mut props = json!({ "ClusterSettings": [{ "Name": "containerInsights", "Value": insights }],
                "Tags": b.tags(r) });
            if c.launch_type == LaunchType::Fargate {
                props["CapacityProviders"] = json!(["FARGATE", "FARGATE_SPOT"]);
            } else {
                b.note(format!(
                    "{}: the cluster's {} × {} container instances are not exported; add an Auto Scaling group with the ECS-optimized AMI as its capacity provider",
                    r.id, c.instance_count, c.instance_type
                ));
            }
            b.add_main(r, "AWS::ECS::Cluster", props);
        }
        Config::EcsTaskDefinition(c) => task_definition(b, r, c),
        Config::EcsService(c) => ecs_service(b, r, c),
        Config::EksCluster(c) => {
            let subnets = if c.subnets.is_empty() {
                b.placement_subnets(r)
            } else {
                c.subnets.clone()
            };
            let role = b.made_role(
                r,
                "ClusterRole",
                "eks.amazonaws.com",
                &["AmazonEKSClusterPolicy"],
                Vec::new(),
            );
            let props = json!({ "Version": c.kubernetes_version, "RoleArn": role,
                "ResourcesVpcConfig": { "SubnetIds": b.refs(&subnets) } });
            b.add_main(r, "AWS::EKS::Cluster", props);
            let id = r.id.as_str();
            if c.launch_type == LaunchType::Fargate {
                let pods = b.made_role(
                    r,
                    "PodExecutionRole",
                    "eks-fargate-pods.amazonaws.com",
                    &["AmazonEKSFargatePodExecutionRolePolicy"],
                    Vec::new(),
                );
                let name = b.derived(id, "FargateProfile");
                let props = json!({ "ClusterName": b.r(id), "PodExecutionRoleArn": pods,
                    "Selectors": [{ "Namespace": "default" }], "Subnets": b.refs(&subnets) });
                b.add(&name, "AWS::EKS::FargateProfile", props);
            } else {
                let nodes = b.made_role(
                    r,
                    "NodeRole",
                    "ec2.amazonaws.com",
                    &[
                        "AmazonEKSWorkerNodePolicy",
                        "AmazonEKS_CNI_Policy",
                        "AmazonEC2ContainerRegistryReadOnly",
                    ],
                    Vec::new(),
                );
                let name = b.derived(id, "Nodes");
                let count = c.node_count.max(1);
                let props = json!({ "ClusterName": b.r(id), "NodeRole": nodes,
                    "Subnets": b.refs(&subnets), "InstanceTypes": [c.node_instance_type],
                    "ScalingConfig": { "MinSize": count, "DesiredSize": count, "MaxSize": count } });
                b.add(&name, "AWS::EKS::Nodegroup", props);
            }
        }
        Config::EcrRepository(c) => {
            let props = json!({ "ImageScanningConfiguration": { "ScanOnPush": c.scan_on_push },
                "ImageTagMutability": if c.immutable_tags { "IMMUTABLE" } else { "MUTABLE" },
                "Tags": b.tags(r) });
            b.add_main(r, "AWS::ECR::Repository", props);
        }
        Config::ElasticBeanstalkEnvironment(c) => {
            let id = r.id.as_str();
            let app = b.derived(id, "Application");
            b.add(
                &app,
                "AWS::ElasticBeanstalk::Application",
                json!({ "Description": r.label() }),
            );
            b.made_role(
                r,
                "InstanceRole",
                "ec2.amazonaws.com",
                &["AWSElasticBeanstalkWebTier"],
                Vec::new(),
            );
            let profile = b.instance_profile_of_made(id, "InstanceRole");
            let stack = b.parameter(
                &format!("{}SolutionStack", b.id(id)),
                json!({ "Type": "String",
                    "Description": format!("Solution stack for {} (aws elasticbeanstalk list-available-solution-stacks)", c.platform) }),
            );
            let kind = match c.environment_type {
                crate::model::config::compute::BeanstalkEnvironmentType::LoadBalanced => {
                    "LoadBalanced"
                }
                crate::model::config::compute::BeanstalkEnvironmentType::SingleInstance => {
                    "SingleInstance"
                }
            };
            let option = |ns: &str, name: &str, value: Value| json!({ "Namespace": ns, "OptionName": name, "Value": value });
            let mut options = vec![
                option(
                    "aws:autoscaling:launchconfiguration",
                    "InstanceType",
                    json!(c.instance_type),
                ),
                option(
                    "aws:autoscaling:launchconfiguration",
                    "IamInstanceProfile",
                    json!({ "Ref": profile }),
                ),
                option(
                    "aws:autoscaling:asg",
                    "MinSize",
                    json!(c.min_instances.to_string()),
                ),
                option(
                    "aws:autoscaling:asg",
                    "MaxSize",
                    json!(c.max_instances.to_string()),
                ),
                option(
                    "aws:elasticbeanstalk:environment",
                    "EnvironmentType",
                    json!(kind),
                ),
            ];
            if !c.subnets.is_empty() {
                let subnets = b.refs(&c.subnets);
                options.push(option(
                    "aws:ec2:vpc",
                    "Subnets",
                    json!({ "Fn::Join": [",", subnets] }),
                ));
                if let Some(vpc) = c
                    .subnets
                    .first()
                    .and_then(|s| b.enclosing(s.as_str(), Kind::Vpc))
                {
                    options.push(option("aws:ec2:vpc", "VPCId", b.r(vpc.id.as_str())));
                }
            }
            let props = json!({ "ApplicationName": { "Ref": app }, "SolutionStackName": stack,
                "OptionSettings": options, "Tags": b.tags(r) });
            b.add_main(r, "AWS::ElasticBeanstalk::Environment", props);
        }
        _ => return false,
    }
    true
}

/// The image of an instance: an AMI id as given, or the newest image of the named
/// operating system read from AWS's public SSM parameters when the stack is created.
fn image(b: &mut Builder, ami: &str, instance_type: &str) -> Value {
    if ami.starts_with("ami-") {
        return json!(ami);
    }
    let arm = is_arm(instance_type);
    let lower = ami.to_ascii_lowercase();
    let (name, path) = if lower.contains("windows") {
        (
            "WindowsImage",
            "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base".to_string(),
        )
    } else if lower.contains("ubuntu") {
        let cpu = if arm { "arm64" } else { "amd64" };
        (
            if arm { "UbuntuArmImage" } else { "UbuntuImage" },
            format!(
                "/aws/service/canonical/ubuntu/server/24.04/stable/current/{cpu}/hvm/ebs-gp3/ami-id"
            ),
        )
    } else if lower.contains("linux 2") && !lower.contains("2023") {
        let cpu = if arm { "arm64" } else { "x86_64" };
        (
            if arm {
                "AmazonLinux2ArmImage"
            } else {
                "AmazonLinux2Image"
            },
            format!("/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-{cpu}-gp2"),
        )
    } else {
        let cpu = if arm { "arm64" } else { "x86_64" };
        (
            if arm {
                "AmazonLinuxArmImage"
            } else {
                "AmazonLinuxImage"
            },
            format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{cpu}"),
        )
    };
    b.parameter(
        name,
        json!({ "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": path,
            "Description": format!("Latest {ami} image") }),
    )
}

/// Whether an instance type runs on Graviton (arm64): a `g` after its generation digit
/// (`t4g`, `m7gd`, `c6gn`).
fn is_arm(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or("");
    let after_letters = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let after_digits = after_letters.trim_start_matches(|c: char| c.is_ascii_digit());
    after_letters.len() != family.len() && after_digits.contains('g')
}

fn root_device(v: &RootVolume) -> Value {
    json!({ "DeviceName": "/dev/xvda", "Ebs": { "VolumeType": format!("{:?}", v.volume_type).to_ascii_lowercase(),
        "VolumeSize": v.size_gb, "Encrypted": v.encrypted,
        "DeleteOnTermination": v.delete_on_termination } })
}

/// The CPU credit option of a burstable instance (`t` family), when one is chosen.
fn credits(credits: CpuCredits, instance_type: &str) -> Option<&'static str> {
    if !instance_type.starts_with('t') {
        return None;
    }
    match credits {
        CpuCredits::FamilyDefault => None,
        CpuCredits::Standard => Some("standard"),
        CpuCredits::Unlimited => Some("unlimited"),
    }
}

/// The role a launch template's instances take: linked to the template, or to a group
/// launching from it.
fn template_role<'a>(b: &Builder<'a>, template: &str) -> Option<&'a Resource> {
    b.attached_role(template).or_else(|| {
        b.d.resources()
            .filter(|g| {
                matches!(&g.config, Config::AutoScalingGroup(c)
                    if c.launch_template.as_ref().is_some_and(|t| t.as_str() == template))
            })
            .find_map(|g| b.attached_role(g.id.as_str()))
    })
}

/// The load balancers whose traffic links reach `id`.
fn balancers_of<'a>(b: &Builder<'a>, id: &str) -> Vec<&'a Resource> {
    b.links_to(
        id,
        LinkKind::Traffic,
        &[
            Kind::ApplicationLoadBalancer,
            Kind::NetworkLoadBalancer,
            Kind::GatewayLoadBalancer,
            Kind::ClassicLoadBalancer,
        ],
    )
}

fn auto_scaling_group(b: &mut Builder, r: &Resource, c: &AutoScalingGroup) {
    let id = r.id.as_str();
    let template = match &c.launch_template {
        Some(lt) => json!({ "LaunchTemplateId": b.r(lt.as_str()),
            "Version": b.att(lt.as_str(), "LatestVersionNumber") }),
        None if c.uses_launch_configuration => {
            // As drawn, though AWS adds nothing to launch configurations any more.
            let name = b.derived(id, "LaunchConfiguration");
            let mut props = json!({ "ImageId": image(b, "Amazon Linux 2023", &c.instance_type),
                "InstanceType": c.instance_type });
            if let Some(role) = b.attached_role(id) {
                props["IamInstanceProfile"] =
                    json!({ "Ref": b.instance_profile(role.id.as_str()) });
            }
            b.add(&name, "AWS::AutoScaling::LaunchConfiguration", props);
            json!({ "LaunchConfigurationName": { "Ref": name } })
        }
        None => {
            // The group names only an instance type: a launch template of its own.
            let name = b.derived(id, "LaunchTemplate");
            let mut data = json!({ "ImageId": image(b, "Amazon Linux 2023", &c.instance_type),
                "InstanceType": c.instance_type });
            if let Some(role) = b.attached_role(id) {
                let profile = b.instance_profile(role.id.as_str());
                data["IamInstanceProfile"] = json!({ "Arn": { "Fn::GetAtt": [profile, "Arn"] } });
            }
            b.add(
                &name,
                "AWS::EC2::LaunchTemplate",
                json!({ "LaunchTemplateData": data }),
            );
            json!({ "LaunchTemplateId": { "Ref": name },
                "Version": { "Fn::GetAtt": [name, "LatestVersionNumber"] } })
        }
    };
    let mut props = json!({ "MinSize": c.min_size.to_string(), "MaxSize": c.max_size.to_string(),
        "DesiredCapacity": c.desired_capacity.to_string(), "VPCZoneIdentifier": b.refs(&c.subnets),
        "HealthCheckType": if c.health_check_type == HealthCheckType::Elb { "ELB" } else { "EC2" },
        "HealthCheckGracePeriod": c.health_check_grace_period_secs,
        "Cooldown": c.default_cooldown_secs.to_string(),
        "Tags": [{ "Key": "Name", "Value": r.label(), "PropagateAtLaunch": true }] });
    if template.get("LaunchConfigurationName").is_some() {
        props["LaunchConfigurationName"] = template["LaunchConfigurationName"].clone();
    } else if c.purchase_option == PurchaseOption::Spot {
        props["MixedInstancesPolicy"] = json!({ "LaunchTemplate": { "LaunchTemplateSpecification": template },
            "InstancesDistribution": { "OnDemandPercentageAboveBaseCapacity": 0,
                "SpotAllocationStrategy": "price-capacity-optimized" } });
    } else {
        props["LaunchTemplate"] = template;
    }
    if let Some(warmup) = c.default_instance_warmup_secs {
        props["DefaultInstanceWarmup"] = json!(warmup);
    }
    if c.az_distribution == AzDistribution::BalancedOnly {
        props["AvailabilityZoneDistribution"] =
            json!({ "CapacityDistributionStrategy": "balanced-only" });
    }
    let mut groups = Vec::new();
    let mut classic = Vec::new();
    for lb in balancers_of(b, id) {
        if lb.kind() == Kind::ClassicLoadBalancer {
            classic.push(b.r(lb.id.as_str()));
        } else {
            groups.push(json!({ "Ref": b.target_group(lb.id.as_str(), id) }));
        }
    }
    if !groups.is_empty() {
        props["TargetGroupARNs"] = json!(groups);
    }
    if !classic.is_empty() {
        props["LoadBalancerNames"] = json!(classic);
    }
    let backlog = c.scaling_policies.iter().any(|p| match p {
        ScalingPolicy::TargetTracking(t) => t.metric == ScalingMetric::BacklogPerInstance,
        ScalingPolicy::Step(s) => s.metric == ScalingMetric::BacklogPerInstance,
        ScalingPolicy::Simple(s) => s.metric == ScalingMetric::BacklogPerInstance,
    });
    if backlog {
        props["MetricsCollection"] =
            json!([{ "Granularity": "1Minute", "Metrics": ["GroupInServiceInstances"] }]);
    }
    b.add_main(r, "AWS::AutoScaling::AutoScalingGroup", props);
    for policy in &c.scaling_policies {
        scaling_policy(b, r, policy);
    }
    for action in &c.scheduled_actions {
        // The action's name lives in its logical id; the resource has no name of its own.
        let name = b.derived(
            id,
            &format!("Schedule{}", crate::iac::logical_id(&action.name)),
        );
        let mut props = json!({ "AutoScalingGroupName": b.r(id), "Recurrence": action.recurrence });
        if let Some(v) = action.min_size {
            props["MinSize"] = json!(v);
        }
        if let Some(v) = action.max_size {
            props["MaxSize"] = json!(v);
        }
        if let Some(v) = action.desired_capacity {
            props["DesiredCapacity"] = json!(v);
        }
        b.add(&name, "AWS::AutoScaling::ScheduledAction", props);
    }
}

/// The metric a scaling policy of group `id` watches, as a CloudWatch metric
/// (namespace, name, dimensions, statistic).
fn policy_metric(
    b: &mut Builder,
    id: &str,
    metric: ScalingMetric,
) -> (String, String, Value, &'static str) {
    let group = json!([{ "Name": "AutoScalingGroupName", "Value": b.r(id) }]);
    match metric {
        ScalingMetric::CpuUtilization => {
            ("AWS/EC2".into(), "CPUUtilization".into(), group, "Average")
        }
        ScalingMetric::NetworkIn => ("AWS/EC2".into(), "NetworkIn".into(), group, "Average"),
        ScalingMetric::NetworkOut => ("AWS/EC2".into(), "NetworkOut".into(), group, "Average"),
        ScalingMetric::RequestCountPerTarget => {
            let lb = balancers_of(b, id)
                .into_iter()
                .find(|l| l.kind() == Kind::ApplicationLoadBalancer);
            let dims = match lb {
                Some(lb) => {
                    let tg = b.target_group(lb.id.as_str(), id);
                    json!([{ "Name": "TargetGroup", "Value": { "Fn::GetAtt": [tg, "TargetGroupFullName"] } }])
                }
                None => group,
            };
            (
                "AWS/ApplicationELB".into(),
                "RequestCountPerTarget".into(),
                dims,
                "Sum",
            )
        }
        ScalingMetric::BacklogPerInstance => {
            let queue = b
                .links_to(id, LinkKind::EventTrigger, &[Kind::SqsQueue])
                .into_iter()
                .next();
            let dims = match queue {
                Some(q) => {
                    json!([{ "Name": "QueueName", "Value": b.att(q.id.as_str(), "QueueName") }])
                }
                None => json!([]),
            };
            (
                "AWS/SQS".into(),
                "ApproximateNumberOfMessagesVisible".into(),
                dims,
                "Sum",
            )
        }
    }
}

fn scaling_policy(b: &mut Builder, r: &Resource, policy: &ScalingPolicy) {
    let id = r.id.as_str();
    let name = b.derived(id, "ScalingPolicy");
    let adjustment = |t: AdjustmentType| match t {
        AdjustmentType::ChangeInCapacity => "ChangeInCapacity",
        AdjustmentType::ExactCapacity => "ExactCapacity",
        AdjustmentType::PercentChangeInCapacity => "PercentChangeInCapacity",
    };
    let (metric, threshold, comparison, period, periods) = match policy {
        ScalingPolicy::TargetTracking(t) => {
            let spec = match t.metric {
                ScalingMetric::CpuUtilization => "ASGAverageCPUUtilization",
                ScalingMetric::NetworkIn => "ASGAverageNetworkIn",
                ScalingMetric::NetworkOut => "ASGAverageNetworkOut",
                ScalingMetric::RequestCountPerTarget => "ALBRequestCountPerTarget",
                ScalingMetric::BacklogPerInstance => "",
            };
            let mut config =
                json!({ "TargetValue": t.target_value, "DisableScaleIn": t.disable_scale_in });
            if spec.is_empty() {
                let (namespace, metric, dims, _) = policy_metric(b, id, t.metric);
                config["CustomizedMetricSpecification"] = json!({ "Metrics": [
                    { "Id": "visible", "ReturnData": false, "MetricStat": { "Stat": "Sum",
                        "Metric": { "Namespace": namespace, "MetricName": metric, "Dimensions": dims } } },
                    { "Id": "instances", "ReturnData": false, "MetricStat": { "Stat": "Average",
                        "Metric": { "Namespace": "AWS/AutoScaling", "MetricName": "GroupInServiceInstances",
                            "Dimensions": [{ "Name": "AutoScalingGroupName", "Value": b.r(id) }] } } },
                    { "Id": "backlog", "Expression": "visible / instances", "Label": "Backlog per instance",
                        "ReturnData": true }] });
            } else {
                let mut predefined = json!({ "PredefinedMetricType": spec });
                if t.metric == ScalingMetric::RequestCountPerTarget
                    && let Some(lb) = balancers_of(b, id)
                        .into_iter()
                        .find(|l| l.kind() == Kind::ApplicationLoadBalancer)
                {
                    let tg = b.target_group(lb.id.as_str(), id);
                    predefined["ResourceLabel"] = json!({ "Fn::Sub":
                        format!("${{{}.LoadBalancerFullName}}/${{{tg}.TargetGroupFullName}}", b.id(lb.id.as_str())) });
                }
                config["PredefinedMetricSpecification"] = predefined;
            }
            let mut props = json!({ "AutoScalingGroupName": b.r(id), "PolicyType": "TargetTrackingScaling",
                "TargetTrackingConfiguration": config });
            if let Some(w) = t.warmup_secs {
                props["EstimatedInstanceWarmup"] = json!(w);
            }
            b.add(&name, "AWS::AutoScaling::ScalingPolicy", props);
            return;
        }
        ScalingPolicy::Step(s) => {
            let steps: Vec<Value> = if s.steps.is_empty() {
                vec![json!({ "MetricIntervalLowerBound": 0, "ScalingAdjustment": 1 })]
            } else {
                s.steps
                    .iter()
                    .map(|step| {
                        let mut v = json!({ "ScalingAdjustment": step.adjustment });
                        if let Some(l) = step.lower_bound {
                            v["MetricIntervalLowerBound"] = json!(l);
                        }
                        if let Some(u) = step.upper_bound {
                            v["MetricIntervalUpperBound"] = json!(u);
                        }
                        v
                    })
                    .collect()
            };
            let mut props = json!({ "AutoScalingGroupName": b.r(id), "PolicyType": "StepScaling",
                "AdjustmentType": adjustment(s.adjustment_type), "StepAdjustments": steps });
            if let Some(w) = s.warmup_secs {
                props["EstimatedInstanceWarmup"] = json!(w);
            }
            b.add(&name, "AWS::AutoScaling::ScalingPolicy", props);
            (
                s.metric,
                s.threshold,
                s.comparison,
                s.period_secs,
                s.evaluation_periods,
            )
        }
        ScalingPolicy::Simple(s) => {
            let mut props = json!({ "AutoScalingGroupName": b.r(id), "PolicyType": "SimpleScaling",
                "AdjustmentType": adjustment(s.adjustment_type), "ScalingAdjustment": s.adjustment });
            if let Some(c) = s.cooldown_secs {
                props["Cooldown"] = json!(c.to_string());
            }
            b.add(&name, "AWS::AutoScaling::ScalingPolicy", props);
            (
                s.metric,
                s.threshold,
                s.comparison,
                s.period_secs,
                s.evaluation_periods,
            )
        }
    };
    // Step and simple policies act when an alarm of their own fires.
    let (namespace, metric_name, dims, statistic) = policy_metric(b, id, metric);
    let alarm = b.derived(id, "ScalingAlarm");
    let props = json!({ "Namespace": namespace, "MetricName": metric_name, "Dimensions": dims,
        "Statistic": statistic, "Period": period, "EvaluationPeriods": periods,
        "Threshold": threshold, "ComparisonOperator": comparison_operator(comparison),
        "AlarmActions": [{ "Ref": name }] });
    b.add(&alarm, "AWS::CloudWatch::Alarm", props);
}

/// CloudWatch's name for a comparison with a threshold.
pub(super) fn comparison_operator(c: Comparison) -> &'static str {
    match c {
        Comparison::GreaterThan => "GreaterThanThreshold",
        Comparison::GreaterThanOrEqual => "GreaterThanOrEqualToThreshold",
        Comparison::LessThan => "LessThanThreshold",
        Comparison::LessThanOrEqual => "LessThanOrEqualToThreshold",
    }
}

/// IAM statements that let `r` use the data services its traffic links reach.
pub(super) fn access_statements(b: &Builder, r: &Resource) -> Vec<Value> {
    let mut out = Vec::new();
    for to in b.links_from(r.id.as_str(), LinkKind::Traffic, &[]) {
        let tid = to.id.as_str();
        let statement = match to.kind() {
            Kind::DynamoDbTable => json!({ "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
                "Resource": b.att(tid, "Arn") }),
            Kind::S3Bucket => json!({ "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": { "Fn::Sub": format!("${{{}.Arn}}/*", b.id(tid)) } }),
            Kind::SqsQueue => json!({ "Effect": "Allow",
                "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                "Resource": b.att(tid, "Arn") }),
            Kind::SnsTopic => json!({ "Effect": "Allow", "Action": "sns:Publish",
                "Resource": b.r(tid) }),
            _ => continue,
        };
        out.push(statement);
    }
    out
}

fn lambda(b: &mut Builder, r: &Resource, c: &crate::model::config::compute::LambdaFunction) {
    let id = r.id.as_str();
    let in_vpc = b.enclosing(id, Kind::Vpc).is_some();
    let triggers = b.links_to(id, LinkKind::EventTrigger, &[]);
    let mut managed = vec!["service-role/AWSLambdaBasicExecutionRole"];
    if in_vpc {
        managed.push("service-role/AWSLambdaVPCAccessExecutionRole");
    }
    if triggers.iter().any(|t| t.kind() == Kind::SqsQueue) {
        managed.push("service-role/AWSLambdaSQSQueueExecutionRole");
    }
    if triggers.iter().any(|t| t.kind() == Kind::DynamoDbTable) {
        managed.push("service-role/AWSLambdaDynamoDBExecutionRole");
    }
    let statements = access_statements(b, r);
    let role = b.role_for(r, "lambda.amazonaws.com", &managed, statements);
    let bucket = b.parameter(
        "LambdaCodeBucket",
        json!({ "Type": "String", "Description": "Bucket holding the functions' deployment packages" }),
    );
    let key = b.parameter(
        &format!("{}CodeKey", b.id(id)),
        json!({ "Type": "String", "Default": format!("{id}.zip"),
            "Description": format!("Key of {}'s deployment package", r.label()) }),
    );
    let arch = match c.architecture {
        LambdaArchitecture::X86_64 => "x86_64",
        LambdaArchitecture::Arm64 => "arm64",
    };
    let mut props = json!({ "Runtime": c.runtime, "Handler": c.handler, "Role": role,
        "Code": { "S3Bucket": bucket, "S3Key": key }, "MemorySize": c.memory_mb,
        "Timeout": c.timeout_secs, "Architectures": [arch],
        "EphemeralStorage": { "Size": c.ephemeral_storage_mb }, "Tags": b.tags(r) });
    if let Some(reserved) = c.reserved_concurrency {
        props["ReservedConcurrentExecutions"] = json!(reserved);
    }
    if in_vpc {
        let subnets = b.placement_subnets(r);
        props["VpcConfig"] = json!({ "SubnetIds": b.refs(&subnets),
            "SecurityGroupIds": b.refs(&c.security_groups) });
    }
    b.add_main(r, "AWS::Lambda::Function", props);
    if c.provisioned_concurrency > 0 {
        let version = b.derived(id, "Version");
        b.add(
            &version,
            "AWS::Lambda::Version",
            json!({ "FunctionName": b.r(id) }),
        );
        let alias = b.derived(id, "LiveAlias");
        let props = json!({ "FunctionName": b.r(id), "Name": "live",
            "FunctionVersion": { "Fn::GetAtt": [version, "Version"] },
            "ProvisionedConcurrencyConfig": { "ProvisionedConcurrentExecutions": c.provisioned_concurrency } });
        b.add(&alias, "AWS::Lambda::Alias", props);
    }
    for source in triggers {
        let sid = source.id.as_str();
        match source.kind() {
            Kind::SqsQueue | Kind::DynamoDbTable => {
                let name = b.derived(id, &format!("From{}", b.id(sid)));
                let mut props = json!({ "FunctionName": b.r(id), "BatchSize": 10 });
                if source.kind() == Kind::SqsQueue {
                    props["EventSourceArn"] = b.att(sid, "Arn");
                } else {
                    props["EventSourceArn"] = b.att(sid, "StreamArn");
                    props["StartingPosition"] = json!("LATEST");
                }
                b.add(&name, "AWS::Lambda::EventSourceMapping", props);
            }
            Kind::S3Bucket => {
                let name = b.bucket_permission(sid, id);
                let mut props = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.r(id),
                    "Principal": "s3.amazonaws.com", "SourceAccount": { "Ref": "AWS::AccountId" } });
                if let Config::S3Bucket(s) = &source.config
                    && !s.bucket_name.is_empty()
                {
                    props["SourceArn"] = json!(format!("arn:aws:s3:::{}", s.bucket_name));
                }
                b.add(&name, "AWS::Lambda::Permission", props);
            }
            Kind::SnsTopic => {
                let name = b.derived(id, &format!("From{}", b.id(sid)));
                let props = json!({ "TopicArn": b.r(sid), "Protocol": "lambda",
                    "Endpoint": b.att(id, "Arn") });
                b.add(&name, "AWS::SNS::Subscription", props);
                let permission = b.derived(id, &format!("InvokeFrom{}", b.id(sid)));
                let props = json!({ "Action": "lambda:InvokeFunction", "FunctionName": b.r(id),
                    "Principal": "sns.amazonaws.com", "SourceArn": b.r(sid) });
                b.add(&permission, "AWS::Lambda::Permission", props);
            }
            _ => {}
        }
    }
}

fn task_definition(
    b: &mut Builder,
    r: &Resource,
    c: &crate::model::config::compute::EcsTaskDefinition,
) {
    let id = r.id.as_str();
    // A repository the services running this task pull from names the images.
    let repository = b
        .d
        .resources()
        .filter(|s| matches!(&s.config, Config::EcsService(s) if s.task_definition.as_ref().is_some_and(|t| t.as_str() == id)))
        .flat_map(|s| b.links_from(s.id.as_str(), LinkKind::Traffic, &[Kind::EcrRepository]))
        .next();
    let containers: Vec<Value> = c
        .containers
        .iter()
        .map(|k| {
            let image = match repository {
                Some(repo) if !k.image.contains('/') => {
                    let tag = k.image.split_once(':').map_or("latest", |(_, t)| t);
                    json!({ "Fn::Join": ["", [b.att(repo.id.as_str(), "RepositoryUri"), format!(":{tag}")]] })
                }
                _ => json!(k.image),
            };
            json!({ "Name": k.name, "Image": image, "Essential": true,
                "PortMappings": [{ "ContainerPort": k.port, "Protocol": "tcp" }] })
        })
        .collect();
    let fargate = !b.d.resources().any(|s| {
        matches!(&s.config, Config::EcsService(s)
            if s.launch_type == LaunchType::Ec2 && s.task_definition.as_ref().is_some_and(|t| t.as_str() == id))
    });
    let execution = b.made_role(
        r,
        "ExecutionRole",
        "ecs-tasks.amazonaws.com",
        &["service-role/AmazonECSTaskExecutionRolePolicy"],
        Vec::new(),
    );
    let mut props = json!({ "Family": id, "Cpu": c.cpu_units.to_string(), "Memory": c.memory_mb.to_string(),
        "NetworkMode": "awsvpc", "RequiresCompatibilities": [if fargate { "FARGATE" } else { "EC2" }],
        "ContainerDefinitions": containers, "ExecutionRoleArn": execution, "Tags": b.tags(r) });
    let role = c
        .task_role
        .as_ref()
        .map(ResourceId::as_str)
        .map(str::to_string)
        .or_else(|| b.attached_role(id).map(|x| x.id.to_string()));
    if let Some(role) = role {
        props["TaskRoleArn"] = b.att(&role, "Arn");
    }
    b.add_main(r, "AWS::ECS::TaskDefinition", props);
}

fn ecs_service(b: &mut Builder, r: &Resource, c: &crate::model::config::compute::EcsService) {
    let id = r.id.as_str();
    let (Some(cluster), Some(task)) = (&c.cluster, &c.task_definition) else {
        b.skip(r, "a service needs a cluster and a task definition");
        return;
    };
    let subnets = if c.subnets.is_empty() {
        b.placement_subnets(r)
    } else {
        c.subnets.clone()
    };
    let container = b
        .d
        .resource(task.as_str())
        .and_then(|t| match &t.config {
            Config::EcsTaskDefinition(t) => t.containers.first().map(|k| (k.name.clone(), k.port)),
            _ => None,
        })
        .unwrap_or_else(|| ("app".into(), 80));
    let mut props = json!({ "Cluster": b.r(cluster.as_str()), "TaskDefinition": b.r(task.as_str()),
        "LaunchType": if c.launch_type == LaunchType::Fargate { "FARGATE" } else { "EC2" },
        "DesiredCount": c.desired_count,
        "NetworkConfiguration": { "AwsvpcConfiguration": { "Subnets": b.refs(&subnets),
            "SecurityGroups": b.refs(&c.security_groups), "AssignPublicIp": "DISABLED" } },
        "Tags": b.tags(r) });
    if c.launch_type == LaunchType::Ec2 {
        props["PlacementStrategies"] = match c.placement {
            PlacementStrategy::Spread => {
                json!([{ "Type": "spread", "Field": "attribute:ecs.availability-zone" }])
            }
            PlacementStrategy::Binpack => json!([{ "Type": "binpack", "Field": "memory" }]),
            PlacementStrategy::Random => json!([{ "Type": "random" }]),
        };
    }
    let mut balancers = Vec::new();
    let mut listeners = Vec::new();
    for lb in balancers_of(b, id) {
        if lb.kind() == Kind::ClassicLoadBalancer {
            continue;
        }
        let tg = b.target_group(lb.id.as_str(), id);
        balancers.push(
            json!({ "ContainerName": container.0, "ContainerPort": container.1,
            "TargetGroupArn": { "Ref": tg } }),
        );
        let count = match &lb.config {
            Config::ApplicationLoadBalancer(l) => l.listeners.len(),
            Config::NetworkLoadBalancer(l) => l.listeners.len(),
            _ => 1,
        };
        for index in 0..count {
            listeners.push(b.listener(lb.id.as_str(), index));
        }
    }
    if !balancers.is_empty() {
        props["LoadBalancers"] = json!(balancers);
        props["HealthCheckGracePeriodSeconds"] = json!(60);
    }
    let entry = b.add_main(r, "AWS::ECS::Service", props);
    // A target group must belong to a listener before a service registers with it.
    for listener in listeners {
        entry.depends_on(listener);
    }
    if let Some(target) = c.target_cpu_percent {
        let scalable = b.derived(id, "ScalableTarget");
        let props = json!({ "MinCapacity": c.min_count, "MaxCapacity": c.max_count,
            "ResourceId": { "Fn::Sub": format!("service/${{{}}}/${{{}.Name}}", b.id(cluster.as_str()), b.id(id)) },
            "ScalableDimension": "ecs:service:DesiredCount", "ServiceNamespace": "ecs" });
        b.add(
            &scalable,
            "AWS::ApplicationAutoScaling::ScalableTarget",
            props,
        );
        let policy = b.derived(id, "ScalingPolicy");
        let props = json!({ "PolicyName": { "Fn::Sub": format!("${{AWS::StackName}}-{policy}") },
            "PolicyType": "TargetTrackingScaling", "ScalingTargetId": { "Ref": scalable },
            "TargetTrackingScalingPolicyConfiguration": { "TargetValue": target,
                "PredefinedMetricSpecification": { "PredefinedMetricType": "ECSServiceAverageCPUUtilization" } } });
        b.add(&policy, "AWS::ApplicationAutoScaling::ScalingPolicy", props);
    }
}
