//! Auto Scaling groups, Lambda functions and containers read back from their templates.

use serde_json::{Value, json};

use super::config::{Fields, boolean, number, text};
use super::read::ids;
use super::{Doc, Res, refs};
use crate::model::Kind;

pub(super) fn auto_scaling_group(doc: &Doc, logical: &str, r: &Res, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    f.set("min_size", number(p("MinSize")))
        .set("max_size", number(p("MaxSize")))
        .set("desired_capacity", number(p("DesiredCapacity")))
        .set("subnets", ids(doc, p("VPCZoneIdentifier")))
        .set(
            "health_check_type",
            if p("HealthCheckType") == "ELB" {
                "Elb"
            } else {
                "Ec2"
            },
        )
        .set(
            "health_check_grace_period_secs",
            number(p("HealthCheckGracePeriod")),
        )
        .set("default_cooldown_secs", number(p("Cooldown")))
        .set(
            "default_instance_warmup_secs",
            number(p("DefaultInstanceWarmup")),
        );
    if let Some(configuration) = doc
        .logical(p("LaunchConfigurationName"))
        .and_then(|l| doc.res.get(&l))
    {
        f.set("uses_launch_configuration", true)
            .set("instance_type", text(configuration.prop("InstanceType")));
    }
    let mixed = &p("MixedInstancesPolicy")["LaunchTemplate"]["LaunchTemplateSpecification"];
    if mixed.is_object() {
        f.set("purchase_option", "Spot");
    }
    let spec = if mixed.is_object() {
        mixed
    } else {
        p("LaunchTemplate")
    };
    match doc.id(&spec["LaunchTemplateId"]) {
        Some(template) => {
            f.set("launch_template", template.as_str());
        }
        None => {
            // A template of the group's own gives only its instance type.
            if let Some(own) = doc
                .logical(&spec["LaunchTemplateId"])
                .and_then(|l| doc.res.get(&l))
            {
                f.set(
                    "instance_type",
                    text(&own.prop("LaunchTemplateData")["InstanceType"]),
                );
            }
        }
    }
    if p("AvailabilityZoneDistribution")["CapacityDistributionStrategy"] == "balanced-only" {
        f.set("az_distribution", "BalancedOnly");
    }
    let mut policies = Vec::new();
    for (policy_logical, policy) in doc.referring(
        "AWS::AutoScaling::ScalingPolicy",
        "AutoScalingGroupName",
        logical,
    ) {
        let pp = |k: &str| policy.prop(k);
        let warmup = number(pp("EstimatedInstanceWarmup"));
        match pp("PolicyType").as_str() {
            Some("StepScaling") | Some("SimpleScaling") => {
                let Some((_, alarm)) = doc.res.iter().find(|(_, a)| {
                    a.kind == "AWS::CloudWatch::Alarm"
                        && refs(a.prop("AlarmActions")).contains(policy_logical)
                }) else {
                    continue;
                };
                let metric = match alarm.prop("MetricName").as_str() {
                    Some("NetworkIn") => "NetworkIn",
                    Some("NetworkOut") => "NetworkOut",
                    Some("RequestCountPerTarget") => "RequestCountPerTarget",
                    Some("ApproximateNumberOfMessagesVisible") => "BacklogPerInstance",
                    _ => "CpuUtilization",
                };
                let comparison = match alarm.prop("ComparisonOperator").as_str() {
                    Some("GreaterThanOrEqualToThreshold") => "GreaterThanOrEqual",
                    Some("LessThanThreshold") => "LessThan",
                    Some("LessThanOrEqualToThreshold") => "LessThanOrEqual",
                    _ => "GreaterThan",
                };
                let adjustment_type = pp("AdjustmentType").as_str().unwrap_or("ChangeInCapacity");
                let mut body = json!({ "metric": metric, "threshold": number(alarm.prop("Threshold")),
                    "comparison": comparison, "period_secs": number(alarm.prop("Period")),
                    "evaluation_periods": number(alarm.prop("EvaluationPeriods")), "adjustment_type": adjustment_type });
                if pp("PolicyType") == "StepScaling" {
                    let steps: Vec<Value> = pp("StepAdjustments")
                        .as_array()
                        .map(|steps| {
                            steps
                                .iter()
                                .map(|s| {
                                    json!({ "lower_bound": number(&s["MetricIntervalLowerBound"]),
                                    "upper_bound": number(&s["MetricIntervalUpperBound"]),
                                    "adjustment": number(&s["ScalingAdjustment"]) })
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    body["steps"] = json!(steps);
                    if !warmup.is_null() {
                        body["warmup_secs"] = warmup;
                    }
                    policies.push(json!({ "Step": body }));
                } else {
                    body["adjustment"] = number(pp("ScalingAdjustment"));
                    let cooldown = number(pp("Cooldown"));
                    if !cooldown.is_null() {
                        body["cooldown_secs"] = cooldown;
                    }
                    policies.push(json!({ "Simple": body }));
                }
            }
            _ => {
                let config = pp("TargetTrackingConfiguration");
                let metric = match config["PredefinedMetricSpecification"]["PredefinedMetricType"]
                    .as_str()
                {
                    Some("ASGAverageNetworkIn") => "NetworkIn",
                    Some("ASGAverageNetworkOut") => "NetworkOut",
                    Some("ALBRequestCountPerTarget") => "RequestCountPerTarget",
                    Some(_) => "CpuUtilization",
                    None => "BacklogPerInstance",
                };
                let mut body = json!({ "metric": metric, "target_value": number(&config["TargetValue"]),
                    "disable_scale_in": boolean(&config["DisableScaleIn"]).as_bool().unwrap_or(false) });
                if !warmup.is_null() {
                    body["warmup_secs"] = warmup;
                }
                policies.push(json!({ "TargetTracking": body }));
            }
        }
    }
    f.set("scaling_policies", policies);
    let prefix = format!("{logical}Schedule");
    let schedules: Vec<Value> = doc
        .referring(
            "AWS::AutoScaling::ScheduledAction",
            "AutoScalingGroupName",
            logical,
        )
        .enumerate()
        .map(|(n, (name, s))| {
            json!({ "name": name.strip_prefix(&prefix).filter(|x| !x.is_empty())
                .map_or_else(|| format!("schedule-{}", n + 1), super::kebab),
            "recurrence": s.prop("Recurrence").as_str().unwrap_or(""),
            "min_size": number(s.prop("MinSize")), "max_size": number(s.prop("MaxSize")),
            "desired_capacity": number(s.prop("DesiredCapacity")) })
        })
        .collect();
    f.set("scheduled_actions", schedules);
}

pub(super) fn lambda(doc: &Doc, logical: &str, r: &Res, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    f.set("runtime", text(p("Runtime")))
        .set("handler", text(p("Handler")))
        .set("memory_mb", number(p("MemorySize")))
        .set("timeout_secs", number(p("Timeout")))
        .set(
            "reserved_concurrency",
            number(p("ReservedConcurrentExecutions")),
        )
        .set(
            "ephemeral_storage_mb",
            number(&p("EphemeralStorage")["Size"]),
        )
        .set(
            "security_groups",
            ids(doc, &p("VpcConfig")["SecurityGroupIds"]),
        );
    if p("Architectures")[0] == "arm64" {
        f.set("architecture", "Arm64");
    }
    if let Some((_, alias)) = doc
        .referring("AWS::Lambda::Alias", "FunctionName", logical)
        .next()
    {
        f.set(
            "provisioned_concurrency",
            number(&alias.prop("ProvisionedConcurrencyConfig")["ProvisionedConcurrentExecutions"]),
        );
    }
}

pub(super) fn containers(doc: &Doc, logical: &str, r: &Res, kind: Kind, f: &mut Fields) {
    let p = |k: &str| r.prop(k);
    match kind {
        Kind::EcsCluster => {
            let providers = p("CapacityProviders")
                .as_array()
                .cloned()
                .unwrap_or_default();
            f.set(
                "launch_type",
                if providers.iter().any(|x| x == "FARGATE") {
                    "Fargate"
                } else {
                    "Ec2"
                },
            );
            let insights = p("ClusterSettings").as_array().is_some_and(|s| {
                s.iter()
                    .any(|x| x["Name"] == "containerInsights" && x["Value"] == "enabled")
            });
            f.set("container_insights", insights);
        }
        Kind::EcsService => {
            let network = &p("NetworkConfiguration")["AwsvpcConfiguration"];
            f.set(
                "launch_type",
                if p("LaunchType") == "EC2" {
                    "Ec2"
                } else {
                    "Fargate"
                },
            )
            .set("desired_count", number(p("DesiredCount")))
            .set("subnets", ids(doc, &network["Subnets"]))
            .set("security_groups", ids(doc, &network["SecurityGroups"]));
            if let Some(cluster) = doc.id(p("Cluster")) {
                f.set("cluster", cluster.as_str());
            }
            if let Some(task) = doc.id(p("TaskDefinition")) {
                f.set("task_definition", task.as_str());
            }
            let target = doc.res.values().find(|t| {
                t.kind == "AWS::ApplicationAutoScaling::ScalableTarget"
                    && refs(t.prop("ResourceId")).iter().any(|x| x == logical)
            });
            if let Some(t) = target {
                f.set("min_count", number(t.prop("MinCapacity")))
                    .set("max_count", number(t.prop("MaxCapacity")));
                let policy = doc.res.values().find(|s| {
                    s.kind == "AWS::ApplicationAutoScaling::ScalingPolicy"
                        && doc
                            .logical(s.prop("ScalingTargetId"))
                            .and_then(|l| doc.res.get(&l))
                            .is_some_and(|x| std::ptr::eq(x, t))
                });
                if let Some(s) = policy {
                    f.set(
                        "target_cpu_percent",
                        number(&s.prop("TargetTrackingScalingPolicyConfiguration")["TargetValue"]),
                    );
                }
            }
        }
        Kind::EcsTaskDefinition => {
            let containers: Vec<Value> = p("ContainerDefinitions")
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|c| {
                            let image = match &c["Image"] {
                                Value::String(s) => s.clone(),
                                other => {
                                    // `repository URI:tag` joined: the repository's id and the tag.
                                    let repo = doc.id(other).map(|id| id.to_string()).unwrap_or_else(|| "app".into());
                                    let tag = other["Fn::Join"][1][1].as_str().unwrap_or(":latest");
                                    format!("{repo}{tag}")
                                }
                            };
                            json!({ "name": c["Name"].as_str().unwrap_or("app"), "image": image,
                                "port": number(&c["PortMappings"][0]["ContainerPort"]).as_u64().unwrap_or(80) })
                        })
                        .collect()
                })
                .unwrap_or_default();
            f.set("cpu_units", number(p("Cpu")))
                .set("memory_mb", number(p("Memory")))
                .set("containers", containers);
            if let Some(role) = doc.id(p("TaskRoleArn")) {
                f.set("task_role", role.as_str());
            }
        }
        Kind::EksCluster => {
            f.set("kubernetes_version", text(p("Version")))
                .set("subnets", ids(doc, &p("ResourcesVpcConfig")["SubnetIds"]));
            if doc
                .referring("AWS::EKS::FargateProfile", "ClusterName", logical)
                .next()
                .is_some()
            {
                f.set("launch_type", "Fargate");
            } else {
                f.set("launch_type", "Ec2");
            }
            if let Some((_, nodes)) = doc
                .referring("AWS::EKS::Nodegroup", "ClusterName", logical)
                .next()
            {
                f.set("node_instance_type", text(&nodes.prop("InstanceTypes")[0]))
                    .set(
                        "node_count",
                        number(&nodes.prop("ScalingConfig")["DesiredSize"]),
                    );
            }
        }
        Kind::EcrRepository => {
            f.set(
                "scan_on_push",
                boolean(&p("ImageScanningConfiguration")["ScanOnPush"]),
            )
            .set("immutable_tags", p("ImageTagMutability") == "IMMUTABLE");
        }
        _ => {
            // Elastic Beanstalk: its option settings.
            let option = |ns: &str, name: &str| -> Value {
                p("OptionSettings")
                    .as_array()
                    .and_then(|o| {
                        o.iter()
                            .find(|x| x["Namespace"] == ns && x["OptionName"] == name)
                    })
                    .map(|x| x["Value"].clone())
                    .unwrap_or(Value::Null)
            };
            f.set(
                "instance_type",
                text(&option(
                    "aws:autoscaling:launchconfiguration",
                    "InstanceType",
                )),
            )
            .set(
                "min_instances",
                number(&option("aws:autoscaling:asg", "MinSize")),
            )
            .set(
                "max_instances",
                number(&option("aws:autoscaling:asg", "MaxSize")),
            )
            .set(
                "subnets",
                ids(doc, &option("aws:ec2:vpc", "Subnets")["Fn::Join"][1]),
            );
            if option("aws:elasticbeanstalk:environment", "EnvironmentType") == "SingleInstance" {
                f.set("environment_type", "SingleInstance");
            }
        }
    }
}
