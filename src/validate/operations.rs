//! Operational excellence and cost rules: alarms, logs, trails, flow logs, volume types,
//! instance generations and idle gateways.

use super::context::Ctx;
use super::{Edit, Fix, Out};
use crate::model::config::services::CloudWatchAlarm;
use crate::model::config::storage::VolumeType;
use crate::model::{Config, Kind, Resource};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Out) {
    alarms(ctx, out);
    unwatched(ctx, out);
    logs(ctx, out);
    trail(ctx, out);
    flow_logs(ctx, out);
    gp2(ctx, out);
    generations(ctx, out);
    idle_nat(ctx, out);
    state_machine_logs(ctx, out);
    bus_targets(ctx, out);
}

/// OPS008: an event bus with rules triggers something.
fn bus_targets(ctx: &Ctx<'_>, out: &mut Out) {
    for bus in ctx.of_kind(Kind::EventBridgeBus) {
        if let Config::EventBridgeBus(c) = &bus.config
            && !c.rules.is_empty()
            && ctx
                .targets(bus.id.as_str(), crate::model::LinkKind::EventTrigger)
                .next()
                .is_none()
        {
            out.emit(
                "OPS008",
                vec![bus.id.clone()],
                format!(
                    "event bus {} has {} rule{} and no target: its events go nowhere",
                    bus.id,
                    c.rules.len(),
                    if c.rules.len() == 1 { "" } else { "s" }
                ),
                None,
            );
        }
    }
}

/// OPS007: a state machine logs its executions.
fn state_machine_logs(ctx: &Ctx<'_>, out: &mut Out) {
    for machine in ctx.of_kind(Kind::StepFunctionsStateMachine) {
        if let Config::StepFunctionsStateMachine(c) = &machine.config
            && !c.logging
        {
            let mut fixed = c.clone();
            fixed.logging = true;
            out.emit(
                "OPS007",
                vec![machine.id.clone()],
                format!(
                    "state machine {} keeps no log of its executions",
                    machine.id
                ),
                Some(Fix::config(
                    "Log its executions to CloudWatch Logs",
                    &machine.id,
                    Config::StepFunctionsStateMachine(fixed),
                )),
            );
        }
    }
}

/// OPS003 (M of N: M ≤ N) and OPS004 (an alarm watches something).
fn alarms(ctx: &Ctx<'_>, out: &mut Out) {
    for alarm in ctx.of_kind(Kind::CloudWatchAlarm) {
        let Config::CloudWatchAlarm(c) = &alarm.config else {
            continue;
        };
        if let Some(m) = c.datapoints_to_alarm
            && m > c.evaluation_periods
        {
            out.emit(
                "OPS003",
                vec![alarm.id.clone()],
                format!(
                    "alarm {} needs {m} breaching datapoints out of {}, which can never happen",
                    alarm.id, c.evaluation_periods
                ),
                Some(Fix::config(
                    format!("Evaluate {m} periods"),
                    &alarm.id,
                    Config::CloudWatchAlarm(CloudWatchAlarm {
                        evaluation_periods: m,
                        ..c.clone()
                    }),
                )),
            );
        }
        if c.watched.is_none() {
            out.emit(
                "OPS004",
                vec![alarm.id.clone()],
                format!("alarm {} watches no resource", alarm.id),
                None,
            );
        }
    }
}

/// OPS001: groups, load balancers and databases have an alarm watching them.
fn unwatched(ctx: &Ctx<'_>, out: &mut Out) {
    let watched: std::collections::BTreeSet<_> = ctx
        .of_kind(Kind::CloudWatchAlarm)
        .iter()
        .filter_map(|a| match &a.config {
            Config::CloudWatchAlarm(c) => c.watched.as_ref(),
            _ => None,
        })
        .collect();
    for kind in [
        Kind::AutoScalingGroup,
        Kind::RdsInstance,
        Kind::ApplicationLoadBalancer,
    ] {
        for r in ctx.of_kind(kind) {
            if watched.contains(&r.id) {
                continue;
            }
            out.emit(
                "OPS001",
                vec![r.id.clone()],
                format!("no CloudWatch alarm watches {}", r.id),
                alarm_fix(ctx, r),
            );
        }
    }
}

/// A new alarm on the resource's main metric, placed beside it.
fn alarm_fix(ctx: &Ctx<'_>, r: &Resource) -> Option<Fix> {
    let (namespace, metric, threshold, label) = match r.kind() {
        Kind::AutoScalingGroup => ("AWS/EC2", "CPUUtilization", 80.0, "CPU above 80 %"),
        Kind::RdsInstance => ("AWS/RDS", "CPUUtilization", 80.0, "CPU above 80 %"),
        Kind::ApplicationLoadBalancer => (
            "AWS/ApplicationELB",
            "HTTPCode_ELB_5XX_Count",
            10.0,
            "more than 10 errors (5xx) in 5 minutes",
        ),
        _ => return None,
    };
    let parent = ctx.place(r.id.as_str()).region?.id.clone();
    let id = ctx.d.unique_id(&format!("{}-alarm", r.id));
    let alarm = Resource::new(id, Kind::CloudWatchAlarm)
        .named(format!("{} alarm", r.label()))
        .in_parent(&parent)
        .with_config(Config::CloudWatchAlarm(CloudWatchAlarm {
            watched: Some(r.id.clone()),
            namespace: namespace.into(),
            metric: metric.into(),
            threshold,
            evaluation_periods: 3,
            datapoints_to_alarm: Some(3),
            ..CloudWatchAlarm::default()
        }));
    Some(Fix {
        label: format!("Add an alarm: {label}"),
        edits: vec![Edit::Add { resource: alarm }],
    })
}

/// OPS002: log groups keep logs forever unless told otherwise.
fn logs(ctx: &Ctx<'_>, out: &mut Out) {
    for group in ctx.of_kind(Kind::CloudWatchLogGroup) {
        if let Config::CloudWatchLogGroup(c) = &group.config
            && c.retention_days.is_none()
        {
            let mut fixed = c.clone();
            fixed.retention_days = Some(90);
            out.emit(
                "OPS002",
                vec![group.id.clone()],
                format!("log group {} keeps logs forever", group.id),
                Some(Fix::config(
                    "Keep logs 90 days",
                    &group.id,
                    Config::CloudWatchLogGroup(fixed),
                )),
            );
        }
    }
}

/// OPS005: an account with resources records its API calls in a CloudTrail trail.
fn trail(ctx: &Ctx<'_>, out: &mut Out) {
    let regions = ctx.of_kind(Kind::Region);
    if regions.is_empty() || !ctx.of_kind(Kind::CloudTrail).is_empty() {
        return;
    }
    let Some(first) = regions
        .iter()
        .find(|r| ctx.d.children(Some(r.id.as_str())).next().is_some())
    else {
        return;
    };
    let id = ctx.d.unique_id("trail");
    out.emit(
        "OPS005",
        vec![first.id.clone()],
        "no CloudTrail trail records who changed what".into(),
        Some(Fix {
            label: "Add a multi-Region trail".into(),
            edits: vec![Edit::Add {
                resource: Resource::new(id, Kind::CloudTrail)
                    .named("Account trail")
                    .in_parent(&first.id),
            }],
        }),
    );
}

/// OPS006: VPC flow logs record accepted and rejected traffic for troubleshooting.
fn flow_logs(ctx: &Ctx<'_>, out: &mut Out) {
    for vpc in ctx.of_kind(Kind::Vpc) {
        if let Config::Vpc(c) = &vpc.config
            && !c.flow_logs
        {
            let mut fixed = c.clone();
            fixed.flow_logs = true;
            out.emit(
                "OPS006",
                vec![vpc.id.clone()],
                format!("VPC {} has no flow logs", vpc.id),
                Some(Fix::config(
                    "Turn on flow logs",
                    &vpc.id,
                    Config::Vpc(fixed),
                )),
            );
        }
    }
}

/// CST001: gp3 costs 20 % less than gp2 with a better baseline.
fn gp2(ctx: &Ctx<'_>, out: &mut Out) {
    for r in ctx
        .of_kind(Kind::EbsVolume)
        .iter()
        .chain(ctx.of_kind(Kind::Ec2Instance))
        .chain(ctx.of_kind(Kind::LaunchTemplate))
    {
        let fixed = match &r.config {
            Config::EbsVolume(c) if c.volume_type == VolumeType::Gp2 => {
                let mut c = c.clone();
                c.volume_type = VolumeType::Gp3;
                Config::EbsVolume(c)
            }
            Config::Ec2Instance(c) if c.root_volume.volume_type == VolumeType::Gp2 => {
                let mut c = c.clone();
                c.root_volume.volume_type = VolumeType::Gp3;
                Config::Ec2Instance(c)
            }
            Config::LaunchTemplate(c) if c.root_volume.volume_type == VolumeType::Gp2 => {
                let mut c = c.clone();
                c.root_volume.volume_type = VolumeType::Gp3;
                Config::LaunchTemplate(c)
            }
            _ => continue,
        };
        out.emit(
            "CST001",
            vec![r.id.clone()],
            format!("{} uses gp2 storage; gp3 costs 20 % less", r.id),
            Some(Fix::config("Switch to gp3", &r.id, fixed)),
        );
    }
}

/// Instance families AWS lists as previous generation.
const PREVIOUS_GENERATION: [&str; 16] = [
    "t1", "t2", "m1", "m2", "m3", "m4", "c1", "c3", "c4", "r3", "r4", "i2", "d2", "g2", "g3", "p2",
];

/// CST002: previous-generation instance types cost more for less.
fn generations(ctx: &Ctx<'_>, out: &mut Out) {
    for r in ctx
        .of_kind(Kind::Ec2Instance)
        .iter()
        .chain(ctx.of_kind(Kind::LaunchTemplate))
        .chain(ctx.of_kind(Kind::AutoScalingGroup))
    {
        let instance_type = match &r.config {
            Config::Ec2Instance(c) => &c.instance_type,
            Config::LaunchTemplate(c) => &c.instance_type,
            Config::AutoScalingGroup(c) if c.launch_template.is_none() => &c.instance_type,
            _ => continue,
        };
        let family = instance_type.split('.').next().unwrap_or_default();
        if PREVIOUS_GENERATION.contains(&family) {
            out.emit(
                "CST002",
                vec![r.id.clone()],
                format!("{} runs {instance_type}, a previous-generation type", r.id),
                None,
            );
        }
    }
}

/// CST003: a NAT gateway no route uses still bills every hour.
fn idle_nat(ctx: &Ctx<'_>, out: &mut Out) {
    let used: std::collections::BTreeSet<_> = ctx
        .of_kind(Kind::RouteTable)
        .iter()
        .filter_map(|t| match &t.config {
            Config::RouteTable(rt) => Some(rt.routes.iter().map(|r| &r.target)),
            _ => None,
        })
        .flatten()
        .collect();
    for nat in ctx.of_kind(Kind::NatGateway) {
        if !used.contains(&nat.id) {
            out.emit(
                "CST003",
                vec![nat.id.clone()],
                format!("no route table sends traffic to NAT gateway {}", nat.id),
                None,
            );
        }
    }
}
