//! Auto Scaling in Terraform: groups with their balancers' target groups, target tracking,
//! step and simple policies with their CloudWatch alarms, and scheduled actions.

use serde_json::{Value, json};

use super::Tf;
use super::compute::instance_profile;
use super::edge::target_group;
use crate::aws::names as aws;
use crate::iac::derived::balancers_of;
use crate::model::config::compute::{
    Comparison, HealthCheckType, PurchaseOption, ScalingMetric, ScalingPolicy,
};
use crate::model::{Kind, LinkKind, Resource};

pub(super) fn group(t: &mut Tf, r: &Resource, c: &crate::model::config::compute::AutoScalingGroup) {
    let id = r.id.as_str();
    let template = match &c.launch_template {
        Some(lt) => json!({ "id": t.r(lt.as_str(), "id"), "version": "$Latest" }),
        None => {
            let mut body = json!({ "name_prefix": format!("{id}-"), "image_id": t.image("Amazon Linux 2023", &c.instance_type),
                "instance_type": c.instance_type });
            if let Some(role) = t.attached_role(id) {
                let profile = instance_profile(t, role.id.as_str());
                body["+iam_instance_profile"] =
                    json!({ "arn": { "$ref": format!("{profile}.arn") } });
            }
            let lt = t.add("aws_launch_template", id, "instances", body);
            json!({ "id": { "$ref": format!("{lt}.id") }, "version": "$Latest" })
        }
    };
    let mut body = json!({ "name_prefix": format!("{id}-"), "min_size": c.min_size, "max_size": c.max_size,
        "desired_capacity": c.desired_capacity, "vpc_zone_identifier": t.ids(&c.subnets),
        "health_check_type": if c.health_check_type == HealthCheckType::Elb { "ELB" } else { "EC2" },
        "health_check_grace_period": c.health_check_grace_period_secs, "default_cooldown": c.default_cooldown_secs,
        "default_instance_warmup": c.default_instance_warmup_secs,
        "+tag": { "key": "Name", "value": r.label(), "propagate_at_launch": true } });
    if c.purchase_option == PurchaseOption::Spot {
        body["+mixed_instances_policy"] = json!({
            "+instances_distribution": { "on_demand_percentage_above_base_capacity": 0, "spot_allocation_strategy": "price-capacity-optimized" },
            "+launch_template": { "+launch_template_specification": { "launch_template_id": template["id"], "version": "$Latest" } } });
    } else {
        body["+launch_template"] = template;
    }
    let mut groups = Vec::new();
    let mut classic = Vec::new();
    for lb in balancers_of(t.d, id) {
        if lb.kind() == Kind::ClassicLoadBalancer {
            classic.push(t.r(lb.id.as_str(), "name"));
        } else {
            let tg = target_group(t, lb.id.as_str(), id);
            groups.push(json!({ "$ref": format!("{tg}.arn") }));
        }
    }
    body["target_group_arns"] = json!(groups);
    if !classic.is_empty() {
        body["load_balancers"] = json!(classic);
    }
    let backlog = c.scaling_policies.iter().any(|p| matches!(p, ScalingPolicy::TargetTracking(x) if x.metric == ScalingMetric::BacklogPerInstance));
    if backlog {
        body["enabled_metrics"] = json!(["GroupInServiceInstances"]);
    }
    t.add_main(r, body);
    for policy in &c.scaling_policies {
        scaling_policy(t, r, policy);
    }
    for action in &c.scheduled_actions {
        t.add("aws_autoscaling_schedule", id, &super::snake(&action.name), json!({ "scheduled_action_name": action.name,
            "autoscaling_group_name": t.r(id, "name"), "recurrence": action.recurrence,
            "min_size": action.min_size.map_or(-1, i64::from), "max_size": action.max_size.map_or(-1, i64::from),
            "desired_capacity": action.desired_capacity.map_or(-1, i64::from) }));
    }
}

fn metric(
    t: &mut Tf,
    id: &str,
    m: ScalingMetric,
) -> (&'static str, &'static str, Value, &'static str) {
    let group = json!({ "AutoScalingGroupName": t.r(id, "name") });
    match m {
        ScalingMetric::CpuUtilization => ("AWS/EC2", "CPUUtilization", group, "Average"),
        ScalingMetric::NetworkIn => ("AWS/EC2", "NetworkIn", group, "Average"),
        ScalingMetric::NetworkOut => ("AWS/EC2", "NetworkOut", group, "Average"),
        ScalingMetric::RequestCountPerTarget => {
            let lb = balancers_of(t.d, id)
                .into_iter()
                .find(|lb| lb.kind() == Kind::ApplicationLoadBalancer);
            let dims = match lb {
                Some(lb) => {
                    let tg = target_group(t, lb.id.as_str(), id);
                    json!({ "TargetGroup": { "$ref": format!("{tg}.arn_suffix") } })
                }
                None => group,
            };
            ("AWS/ApplicationELB", "RequestCountPerTarget", dims, "Sum")
        }
        ScalingMetric::BacklogPerInstance => {
            let queue = t
                .links_to(id, LinkKind::EventTrigger, &[Kind::SqsQueue])
                .first()
                .map(|q| q.id.to_string());
            let dims = queue.map_or(json!({}), |q| json!({ "QueueName": t.r(&q, "name") }));
            ("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims, "Sum")
        }
    }
}

fn scaling_policy(t: &mut Tf, r: &Resource, policy: &ScalingPolicy) {
    let id = r.id.as_str();
    match policy {
        ScalingPolicy::TargetTracking(p) => {
            let predefined = match p.metric {
                ScalingMetric::CpuUtilization => Some("ASGAverageCPUUtilization"),
                ScalingMetric::NetworkIn => Some("ASGAverageNetworkIn"),
                ScalingMetric::NetworkOut => Some("ASGAverageNetworkOut"),
                ScalingMetric::RequestCountPerTarget => Some("ALBRequestCountPerTarget"),
                ScalingMetric::BacklogPerInstance => None,
            };
            let mut config =
                json!({ "target_value": p.target_value, "disable_scale_in": p.disable_scale_in });
            match predefined {
                Some(kind) => {
                    let mut spec = json!({ "predefined_metric_type": kind });
                    if p.metric == ScalingMetric::RequestCountPerTarget
                        && let Some(lb) = balancers_of(t.d, id)
                            .into_iter()
                            .find(|lb| lb.kind() == Kind::ApplicationLoadBalancer)
                    {
                        let tg = target_group(t, lb.id.as_str(), id);
                        let lb_address = t.address(lb.id.as_str()).unwrap_or_default();
                        spec["resource_label"] = json!({ "$template": format!("${{{lb_address}.arn_suffix}}/${{{tg}.arn_suffix}}") });
                    }
                    config["+predefined_metric_specification"] = spec;
                }
                None => {
                    let (namespace, name, dims, _) = metric(t, id, p.metric);
                    let dimensions: Vec<Value> = dims
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| json!({ "name": k, "value": v }))
                                .collect()
                        })
                        .unwrap_or_default();
                    config["+customized_metric_specification"] = json!({ "+metrics": [
                        { "id": "visible", "return_data": false, "+metric_stat": { "stat": "Sum",
                            "+metric": { "namespace": namespace, "metric_name": name, "+dimensions": dimensions } } },
                        { "id": "instances", "return_data": false, "+metric_stat": { "stat": "Average",
                            "+metric": { "namespace": "AWS/AutoScaling", "metric_name": "GroupInServiceInstances",
                                "+dimensions": { "name": "AutoScalingGroupName", "value": t.r(id, "name") } } } },
                        { "id": "backlog", "expression": "visible / instances", "label": "Backlog per instance", "return_data": true }] });
                }
            }
            t.add("aws_autoscaling_policy", id, "target_tracking", json!({ "name": format!("{id}-target-tracking"),
                "autoscaling_group_name": t.r(id, "name"), "policy_type": "TargetTrackingScaling",
                "estimated_instance_warmup": p.warmup_secs, "+target_tracking_configuration": config }));
        }
        ScalingPolicy::Step(p) => {
            let steps: Vec<Value> = if p.steps.is_empty() {
                vec![json!({ "metric_interval_lower_bound": 0, "scaling_adjustment": 1 })]
            } else {
                p.steps.iter().map(|s| json!({ "metric_interval_lower_bound": s.lower_bound.map(|x| x.to_string()),
                    "metric_interval_upper_bound": s.upper_bound.map(|x| x.to_string()), "scaling_adjustment": s.adjustment })).collect()
            };
            let policy = t.add("aws_autoscaling_policy", id, "step", json!({ "name": format!("{id}-step"),
                "autoscaling_group_name": t.r(id, "name"), "policy_type": "StepScaling",
                "adjustment_type": aws::adjustment_type(p.adjustment_type), "estimated_instance_warmup": p.warmup_secs,
                "+step_adjustment": steps }));
            alarm(
                t,
                id,
                &policy,
                p.metric,
                p.threshold,
                p.comparison,
                p.period_secs,
                p.evaluation_periods,
            );
        }
        ScalingPolicy::Simple(p) => {
            let policy = t.add("aws_autoscaling_policy", id, "simple", json!({ "name": format!("{id}-simple"),
                "autoscaling_group_name": t.r(id, "name"), "policy_type": "SimpleScaling",
                "adjustment_type": aws::adjustment_type(p.adjustment_type), "scaling_adjustment": p.adjustment, "cooldown": p.cooldown_secs }));
            alarm(
                t,
                id,
                &policy,
                p.metric,
                p.threshold,
                p.comparison,
                p.period_secs,
                p.evaluation_periods,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn alarm(
    t: &mut Tf,
    id: &str,
    policy: &str,
    m: ScalingMetric,
    threshold: f64,
    c: Comparison,
    period: u32,
    periods: u32,
) {
    let (namespace, name, dims, statistic) = metric(t, id, m);
    t.add("aws_cloudwatch_metric_alarm", id, "scaling", json!({ "alarm_name": format!("{id}-{}", name.to_ascii_lowercase()),
        "namespace": namespace, "metric_name": name, "dimensions": dims, "statistic": statistic, "period": period,
        "evaluation_periods": periods, "threshold": threshold, "comparison_operator": aws::comparison_operator(c),
        "alarm_actions": [{ "$ref": format!("{policy}.arn") }] }));
}
