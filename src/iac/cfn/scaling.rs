//! Auto Scaling groups with their launch settings, scaling policies, alarms and
//! schedules.

use serde_json::{Value, json};

use super::Builder;
use super::compute::image;
use crate::aws::names as aws;
use crate::iac::derived::balancers_of;
use crate::model::config::compute::{
    AutoScalingGroup, AzDistribution, HealthCheckType, PurchaseOption, ScalingMetric, ScalingPolicy,
};
use crate::model::{Kind, LinkKind, Resource};

pub(super) fn auto_scaling_group(b: &mut Builder, r: &Resource, c: &AutoScalingGroup) {
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
    for lb in balancers_of(b.d, id) {
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
            let lb = balancers_of(b.d, id)
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
                    && let Some(lb) = balancers_of(b.d, id)
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
                "AdjustmentType": aws::adjustment_type(s.adjustment_type), "StepAdjustments": steps });
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
                "AdjustmentType": aws::adjustment_type(s.adjustment_type), "ScalingAdjustment": s.adjustment });
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
        "Threshold": threshold, "ComparisonOperator": aws::comparison_operator(comparison),
        "AlarmActions": [{ "Ref": name }] });
    b.add(&alarm, "AWS::CloudWatch::Alarm", props);
}
