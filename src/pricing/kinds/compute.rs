//! Compute: EC2 instances, Auto Scaling groups, Lambda, ECS on Fargate or EC2, EKS, ECR.

use super::Lines;
use crate::aws::HOURS_PER_MONTH;
use crate::model::Diagram;
use crate::model::config::compute::*;
use crate::model::config::compute::{LambdaArchitecture, RootVolume};
use crate::pricing::estimate::number;

pub(super) fn ec2_instance(l: &mut Lines<'_>, c: &Ec2Instance) {
    l.ec2(&c.instance_type, c.purchase_option, 1.0);
    l.root(&c.root_volume, 1.0);
    detailed_monitoring(l, c.monitoring, 1.0);
}

/// Detailed monitoring publishes EC2's 7 instance metrics every minute, billed as custom
/// metrics (AWS's pricing example: $2.10 per instance per month at $0.30 a metric).
fn detailed_monitoring(l: &mut Lines<'_>, monitoring: Monitoring, count: f64) {
    const EC2_METRICS: f64 = 7.0;
    if monitoring == Monitoring::Detailed {
        l.unit(
            "CloudWatch",
            "custom / detailed-monitoring metric (first 10k)",
            "detailed monitoring (7 metrics per instance)",
            EC2_METRICS * count,
            "metric-month",
        );
    }
}

pub(super) fn auto_scaling_group(diagram: &Diagram, l: &mut Lines<'_>, c: &AutoScalingGroup) {
    let count = f64::from(c.desired_capacity);
    let template = c.launch_template_in(diagram);
    let instance_type = template.map_or(c.instance_type.as_str(), |t| t.instance_type.as_str());
    l.scale_between(c.min_size, c.desired_capacity, c.max_size);
    l.ec2(instance_type, c.purchase_option, count);
    l.root(
        template.map_or(&RootVolume::default(), |t| &t.root_volume),
        count,
    );
    detailed_monitoring(
        l,
        template.map_or(Monitoring::Basic, |t| t.monitoring),
        count,
    );
}

pub(super) fn lambda_function(l: &mut Lines<'_>, c: &LambdaFunction) {
    l.unit(
        "Lambda",
        "requests",
        "requests",
        c.invocations_per_month_millions,
        "M requests",
    );
    let gb_seconds = c.invocations_per_month_millions * 1e6 * c.average_duration_ms / 1000.0
        * f64::from(c.memory_mb)
        / 1024.0;
    const BILLION: f64 = 1e9;
    let tiers: &[(f64, &str, &str)] = match c.architecture {
        LambdaArchitecture::X86_64 => &[
            (
                6.0 * BILLION,
                "duration x86 (first 6B GB-s/month)",
                "compute, first 6B GB-s",
            ),
            (
                9.0 * BILLION,
                "duration x86 (next 9B GB-s)",
                "compute, next 9B GB-s",
            ),
            (
                f64::INFINITY,
                "duration x86 (over 15B GB-s)",
                "compute, over 15B GB-s",
            ),
        ],
        LambdaArchitecture::Arm64 => &[
            (
                7.5 * BILLION,
                "duration arm64 (first 7.5B GB-s/month)",
                "compute (Arm), first 7.5B GB-s",
            ),
            (
                f64::INFINITY,
                "duration arm64 (over 7.5B GB-s)",
                "compute (Arm), over 7.5B GB-s",
            ),
        ],
    };
    l.tiered("Lambda", tiers, gb_seconds, "GB-s");
}

pub(super) fn ecr_repository(l: &mut Lines<'_>, c: &EcrRepository) {
    l.unit("ECR", "storage", "image storage", c.storage_gb, "GB-month")
}

pub(super) fn eks_cluster(l: &mut Lines<'_>, c: &EksCluster) {
    let h = HOURS_PER_MONTH;
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

pub(super) fn ecs_service(diagram: &Diagram, l: &mut Lines<'_>, c: &EcsService) {
    let h = HOURS_PER_MONTH;
    let task = c.task_definition_in(diagram);
    let Some(task) = task else {
        l.missing("a Fargate service needs a task definition to know its CPU and memory".into());
        return;
    };
    let tasks = f64::from(c.desired_count);
    l.scale_between(c.min_count, c.desired_count, c.max_count);
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

pub(super) fn ecs_cluster(l: &mut Lines<'_>, c: &EcsCluster) {
    l.ec2(
        &c.instance_type,
        PurchaseOption::OnDemand,
        f64::from(c.instance_count),
    );
}
