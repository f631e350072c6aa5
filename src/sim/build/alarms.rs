//! CloudWatch alarms and the scaling that acts on them: drawn alarms watching a resource's
//! metric, the alarms behind step and simple scaling policies, and scheduled actions.

use std::str::FromStr;

use super::*;
use crate::model::config::compute::{
    AdjustmentType, AutoScalingGroup, Comparison, ScalingMetric, ScalingPolicy,
};
use crate::model::config::services::{CloudWatchAlarm, TreatMissingData};

/// What an alarm watches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AlarmMetric {
    /// Average CPU utilization of a group's running instances, percent.
    GroupCpu(u32),
    /// CPU utilization of one instance or database, percent.
    StationCpu(u32),
    /// Messages visible in a queue.
    QueueVisible(u32),
    /// Visible messages per instance in service of a group (the queue once known).
    Backlog {
        queue: Option<u32>,
        group: u32,
    },
    /// Requests to a group's instances per instance in service, in the period.
    RequestsPerTarget(u32),
    /// Requests a load balancer routed in the period.
    BalancerRequests(u32),
    /// Targets a load balancer finds healthy, or unhealthy.
    HealthyHosts(u32),
    UnhealthyHosts(u32),
    /// Requests a station refused (throttled or queue full) in the period.
    Refused(u32),
    /// Requests in a station now (database connections, concurrent executions).
    InSystem(u32),
    /// A metric the simulation does not produce: the alarm stays INSUFFICIENT_DATA.
    NotSimulated,
}

/// What an alarm does while in ALARM.
#[derive(Clone, Debug, PartialEq)]
pub enum AlarmAction {
    /// Notifies its targets (SNS topics, functions) when it changes state.
    Notify(Vec<ResourceId>),
    /// A step scaling policy of a group.
    Step { group: u32, policy: StepPolicy },
    /// A simple scaling policy of a group.
    Simple { group: u32, policy: SimplePolicy },
}

/// One step: breaches from `lower` (inclusive) to `upper` (exclusive) above the threshold
/// adjust by `adjustment`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepPolicy {
    pub adjustment_type: AdjustmentType,
    pub steps: Vec<Step>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimplePolicy {
    pub adjustment_type: AdjustmentType,
    pub adjustment: i32,
    pub cooldown_secs: f64,
}

/// A CloudWatch alarm.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmSpec {
    pub id: ResourceId,
    /// The metric in words, for the log ("CPUUtilization of web-asg").
    pub metric_name: String,
    pub metric: AlarmMetric,
    pub period_secs: f64,
    /// N of "M out of N", and M.
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub threshold: f64,
    pub comparison: Comparison,
    pub missing: TreatMissingData,
    pub action: AlarmAction,
}

/// A scheduled action of a group.
#[derive(Clone, Debug)]
pub struct ScheduleSpec {
    pub group: u32,
    pub name: String,
    pub cron: croner::Cron,
    pub min: Option<u32>,
    pub desired: Option<u32>,
    pub max: Option<u32>,
}

/// EC2 sends CPU every 5 minutes with basic monitoring: a shorter alarm period sees
/// the same datapoint.
const BASIC_MONITORING_SECS: f64 = 300.0;

impl<'a> Builder<'a> {
    /// The alarms of a group's step and simple policies, and its scheduled actions.
    pub(super) fn group_alarms(
        &mut self,
        id: &ResourceId,
        group: u32,
        c: &AutoScalingGroup,
        detailed: bool,
    ) -> Result<(), BuildError> {
        for (n, policy) in c.scaling_policies.iter().enumerate() {
            let (metric, threshold, comparison, period, evaluations, action) = match policy {
                ScalingPolicy::TargetTracking(_) => continue,
                ScalingPolicy::Step(p) => (
                    p.metric,
                    p.threshold,
                    p.comparison,
                    p.period_secs,
                    p.evaluation_periods,
                    AlarmAction::Step {
                        group,
                        policy: StepPolicy {
                            adjustment_type: p.adjustment_type,
                            steps: p
                                .steps
                                .iter()
                                .map(|s| Step {
                                    lower: s.lower_bound,
                                    upper: s.upper_bound,
                                    adjustment: s.adjustment,
                                })
                                .collect(),
                        },
                    },
                ),
                ScalingPolicy::Simple(p) => (
                    p.metric,
                    p.threshold,
                    p.comparison,
                    p.period_secs,
                    p.evaluation_periods,
                    AlarmAction::Simple {
                        group,
                        policy: SimplePolicy {
                            adjustment_type: p.adjustment_type,
                            adjustment: p.adjustment,
                            cooldown_secs: f64::from(
                                p.cooldown_secs.unwrap_or(c.default_cooldown_secs),
                            ),
                        },
                    },
                ),
            };
            let (alarm_metric, name) = match metric {
                ScalingMetric::CpuUtilization => (AlarmMetric::GroupCpu(group), "CPUUtilization"),
                ScalingMetric::BacklogPerInstance => (
                    AlarmMetric::Backlog { queue: None, group },
                    "backlog per instance",
                ),
                ScalingMetric::RequestCountPerTarget => (
                    AlarmMetric::RequestsPerTarget(group),
                    "RequestCountPerTarget",
                ),
                ScalingMetric::NetworkIn | ScalingMetric::NetworkOut => {
                    (AlarmMetric::NotSimulated, "network bytes")
                }
            };
            let mut period = f64::from(period.max(10));
            if alarm_metric == AlarmMetric::GroupCpu(group) && !detailed {
                period = period.max(BASIC_MONITORING_SECS);
            }
            let evaluations = evaluations.max(1);
            self.net.alarms.push(AlarmSpec {
                id: ResourceId::new(format!("{id}.policy{}", n + 1)).unwrap_or_else(|_| id.clone()),
                metric_name: format!("{name} of {id}"),
                metric: alarm_metric,
                period_secs: period,
                evaluation_periods: evaluations,
                datapoints_to_alarm: evaluations,
                threshold,
                comparison,
                missing: TreatMissingData::Missing,
                action,
            });
        }
        for action in &c.scheduled_actions {
            let cron = croner::Cron::from_str(action.recurrence.trim()).map_err(|e| {
                BuildError::BadRecurrence {
                    id: id.clone(),
                    name: action.name.clone(),
                    recurrence: action.recurrence.clone(),
                    reason: e.to_string(),
                }
            })?;
            self.net.schedules.push(ScheduleSpec {
                group,
                name: action.name.clone(),
                cron,
                min: action.min_size,
                desired: action.desired_capacity,
                max: action.max_size,
            });
        }
        Ok(())
    }

    /// Every drawn CloudWatch alarm, watching the metric it names on its resource.
    pub(super) fn drawn_alarms(&mut self) -> Result<(), BuildError> {
        let d = self.d;
        for r in d.resources() {
            let Config::CloudWatchAlarm(c) = &r.config else {
                continue;
            };
            let metric = match &c.watched {
                Some(watched) if d.contains(watched.as_str()) => {
                    let hop = self.hop(watched)?;
                    self.alarm_metric(watched, hop, c)
                }
                _ => AlarmMetric::NotSimulated,
            };
            let targets = d
                .links_of(r.id.as_str())
                .filter(|l| l.kind == LinkKind::EventTrigger && l.from == r.id)
                .map(|l| l.to.clone())
                .collect();
            let evaluations = c.evaluation_periods.max(1);
            let watched = c.watched.as_ref().map_or("nothing", |w| w.as_str());
            self.net.alarms.push(AlarmSpec {
                id: r.id.clone(),
                metric_name: format!("{} of {watched}", c.metric),
                metric,
                period_secs: f64::from(c.period_secs.max(if c.high_resolution { 10 } else { 60 })),
                evaluation_periods: evaluations,
                datapoints_to_alarm: c
                    .datapoints_to_alarm
                    .unwrap_or(evaluations)
                    .clamp(1, evaluations),
                threshold: c.threshold,
                comparison: c.comparison,
                missing: c.treat_missing_data,
                action: AlarmAction::Notify(targets),
            });
        }
        Ok(())
    }

    /// The simulated metric a drawn alarm names on the resource `hop` stands for.
    fn alarm_metric(&self, watched: &ResourceId, hop: Hop, c: &CloudWatchAlarm) -> AlarmMetric {
        let kind = self.d.resource(watched.as_str()).map(|r| r.kind());
        match (hop, c.metric.as_str()) {
            (Hop::Group(g), "CPUUtilization") => AlarmMetric::GroupCpu(g),
            (Hop::Group(g), "RequestCountPerTarget") => AlarmMetric::RequestsPerTarget(g),
            (Hop::Station(s), "CPUUtilization") => AlarmMetric::StationCpu(s),
            (
                Hop::Station(s),
                "DatabaseConnections" | "ConcurrentExecutions" | "CurrConnections",
            ) => AlarmMetric::InSystem(s),
            (
                Hop::Station(s),
                "Throttles" | "ThrottledRequests" | "WriteThrottleEvents" | "ReadThrottleEvents",
            ) => AlarmMetric::Refused(s),
            (Hop::Station(s), "ApproximateNumberOfMessagesVisible")
                if kind == Some(Kind::SqsQueue) =>
            {
                match self.net.stations[s as usize].enqueues.first() {
                    Some(q) => AlarmMetric::QueueVisible(*q),
                    None => AlarmMetric::NotSimulated,
                }
            }
            (Hop::Balancer(b), "RequestCount") => AlarmMetric::BalancerRequests(b),
            (Hop::Balancer(b), "HealthyHostCount") => AlarmMetric::HealthyHosts(b),
            (Hop::Balancer(b), "UnHealthyHostCount") => AlarmMetric::UnhealthyHosts(b),
            _ => AlarmMetric::NotSimulated,
        }
    }
}
