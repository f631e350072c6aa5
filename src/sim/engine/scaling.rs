//! Auto Scaling on CloudWatch metrics: the group's average CPU utilization per period, and
//! a target tracking policy acting on it as AWS's two alarms do.
//!
//! Target tracking (EC2 Auto Scaling and Application Auto Scaling user guides; the alarm
//! shapes as observed on the alarms AWS creates): scale out when the metric is above the
//! target for 3 datapoints in a row, scale in when it is below about 90 % of the target for
//! 15 in a row; the new size is proportional, ⌈current × metric / target⌉; warming
//! instances count towards capacity, stay out of the metric and block scale-in.

use serde::Serialize;

use super::{Engine, State};
use crate::model::ResourceId;
use crate::sim::build::{GroupSpec, TrackedMetric};
use crate::sim::events::{Event, from_secs, to_secs};

/// Datapoints above target that trigger a scale-out.
const HIGH_DATAPOINTS: u32 = 3;
/// Datapoints below the scale-in threshold that trigger a scale-in.
const LOW_DATAPOINTS: u32 = 15;
/// The scale-in threshold as a share of the target.
const LOW_SHARE: f64 = 0.9;
/// Seconds a scaled-in instance drains before it is terminated (ELB default
/// deregistration delay).
const DEREGISTRATION_SECS: f64 = 300.0;

/// A group's scaling state.
#[derive(Clone, Debug)]
pub(crate) struct GroupState {
    pub desired: u32,
    /// Size limits now (scheduled actions change them).
    pub min: u32,
    pub max: u32,
    /// Per target tracking policy: datapoints in a row above the target and below the
    /// scale-in threshold.
    high: Vec<u32>,
    low: Vec<u32>,
    series: crate::sim::rollup::Series<Datapoint>,
}

/// One metric period of a group.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Datapoint {
    /// End of the period, in seconds from the start.
    pub secs: f64,
    /// Average CPU utilization of its warm instances in service, percent; none without
    /// any (INSUFFICIENT_DATA).
    pub cpu_percent: Option<f64>,
    /// Visible messages of the queue it consumes per instance in service, if it consumes
    /// one.
    pub backlog_per_instance: Option<f64>,
    /// Requests per warm instance in service per minute, if a load balancer sends it any.
    pub requests_per_target: Option<f64>,
    /// Instances in service.
    pub in_service: u32,
    /// Desired size.
    pub desired: u32,
}

/// A longer period, as CloudWatch rolls one up: the averages averaged (each period weighs
/// the same), the sizes as they stood at its end.
impl crate::sim::rollup::Rollup for Datapoint {
    fn absorb(&mut self, later: &Self) {
        fn mean(a: Option<f64>, b: Option<f64>) -> Option<f64> {
            match (a, b) {
                (Some(a), Some(b)) => Some((a + b) / 2.0),
                (one, None) | (None, one) => one,
            }
        }
        self.secs = later.secs;
        self.cpu_percent = mean(self.cpu_percent, later.cpu_percent);
        self.backlog_per_instance = mean(self.backlog_per_instance, later.backlog_per_instance);
        self.requests_per_target = mean(self.requests_per_target, later.requests_per_target);
        self.in_service = later.in_service;
        self.desired = later.desired;
    }
}

/// A group's history over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    /// The Auto Scaling group.
    pub id: ResourceId,
    /// Its limits.
    pub min: u32,
    /// Its limits.
    pub max: u32,
    /// One datapoint per metric period.
    pub series: Vec<Datapoint>,
}

impl GroupState {
    pub(crate) fn new(spec: &GroupSpec) -> Self {
        GroupState {
            desired: spec.desired,
            min: spec.min,
            max: spec.max,
            high: vec![0; spec.tracking.len()],
            low: vec![0; spec.tracking.len()],
            series: crate::sim::rollup::Series::default(),
        }
    }
}

impl Engine {
    /// Whether a member of a group has finished its warm-up, which starts when it comes
    /// into service (the run's first instances are warm).
    pub(super) fn is_warm(&self, group: u32, station: u32) -> bool {
        let spec = &self.net.group_specs[group as usize];
        let launched = self.stations[station as usize].launched_at;
        launched == 0 || self.now >= launched + from_secs(spec.launch_secs + spec.warmup_secs)
    }

    /// A group's warm instances in service, and those still launching or warming up.
    pub(super) fn warm_and_warming(&self, group: u32) -> (u32, u32) {
        let mut warm = 0;
        let mut warming = 0;
        for &s in &self.groups[group as usize] {
            match self.stations[s as usize].state {
                State::InService | State::AppDown if self.is_warm(group, s) => warm += 1,
                State::InService | State::AppDown | State::Pending => warming += 1,
                _ => {}
            }
        }
        (warm, warming)
    }

    pub(super) fn metric_tick(&mut self, group: u32) {
        let spec = self.net.group_specs[group as usize].clone();
        let now = self.now;
        let period = from_secs(spec.metric_period_secs) as f64;
        let mut cpu_sum = 0.0;
        let mut requests = 0u64;
        let mut count = 0u32;
        let mut in_service = 0u32;
        let mut warming = 0u32;
        for i in 0..self.groups[group as usize].len() {
            let s = self.groups[group as usize][i];
            let warm = self.is_warm(group, s);
            let station = &mut self.stations[s as usize];
            station.touch(now, self.settings.warmup);
            let used = station.cpu_area - station.cpu_mark;
            station.cpu_mark = station.cpu_area;
            let entered = station.entered - station.entered_mark;
            station.entered_mark = station.entered;
            match station.state {
                State::InService | State::AppDown => {
                    in_service += 1;
                    if warm {
                        cpu_sum += used / period / f64::from(station.spec.servers.max(1)) * 100.0;
                        requests += entered;
                        count += 1;
                    } else {
                        warming += 1;
                    }
                }
                State::Pending => warming += 1,
                _ => {}
            }
        }
        let cpu = (count > 0).then(|| cpu_sum / f64::from(count));
        let per_minute = 60.0 / spec.metric_period_secs;
        let requests_per_target =
            (count > 0).then(|| requests as f64 / f64::from(count) * per_minute * self.weight);
        let backlog_queue = spec.tracking.iter().find_map(|t| match t.metric {
            TrackedMetric::Backlog(q) => q,
            _ => None,
        });
        let backlog =
            backlog_queue.map(|q| self.queue_visible(q) as f64 / f64::from(in_service.max(1)));
        let state = &mut self.scaling[group as usize];
        state.series.push(Datapoint {
            secs: to_secs(now),
            cpu_percent: cpu,
            backlog_per_instance: backlog,
            requests_per_target,
            in_service,
            desired: state.desired,
        });
        // Warming instances count towards the capacity being scaled.
        let current = in_service + warming;
        let mut out: Option<(u32, String)> = None;
        let mut scale_in: Option<(u32, String)> = None;
        let mut all_low = !spec.tracking.is_empty();
        for (i, policy) in spec.tracking.iter().enumerate() {
            let value = match policy.metric {
                TrackedMetric::Cpu => cpu,
                TrackedMetric::Backlog(_) => backlog,
                TrackedMetric::RequestsPerTarget => requests_per_target,
            };
            // No datapoint (INSUFFICIENT_DATA): the policy neither scales nor agrees to
            // scale in.
            let Some(value) = value else {
                state.high[i] = 0;
                state.low[i] = 0;
                all_low = false;
                continue;
            };
            state.high[i] = if value > policy.target {
                state.high[i] + 1
            } else {
                0
            };
            state.low[i] = if value < LOW_SHARE * policy.target {
                state.low[i] + 1
            } else {
                0
            };
            let proportional = (f64::from(current.max(1)) * value / policy.target).ceil() as u32;
            let unit = if policy.metric == TrackedMetric::Cpu {
                " %"
            } else {
                ""
            };
            let name = policy.metric.label();
            if state.high[i] >= HIGH_DATAPOINTS
                && proportional > current
                && out.as_ref().is_none_or(|(d, _)| proportional > *d)
            {
                out = Some((
                    proportional,
                    format!(
                        "{name} {value:.0}{unit} > target {:.0}{unit} for {HIGH_DATAPOINTS} datapoints",
                        policy.target
                    ),
                ));
            }
            if state.low[i] >= LOW_DATAPOINTS && !policy.disable_scale_in {
                // Several policies: scale in only as far as the most demanding allows.
                if scale_in.as_ref().is_none_or(|(d, _)| proportional > *d) {
                    scale_in = Some((
                        proportional,
                        format!(
                            "{name} {value:.0}{unit} < {:.0}{unit} for {LOW_DATAPOINTS} datapoints",
                            LOW_SHARE * policy.target
                        ),
                    ));
                }
            } else {
                all_low = false;
            }
        }
        if let Some((proportional, why)) = out {
            let desired = proportional.min(state.max);
            if desired > state.desired {
                self.resize(group, desired, why);
            }
        } else if let Some((proportional, why)) = scale_in.filter(|_| all_low && warming == 0) {
            let desired = proportional.max(state.min);
            if desired < state.desired && desired < current {
                let state = &mut self.scaling[group as usize];
                state.low.iter_mut().for_each(|l| *l = 0);
                self.resize(group, desired, why);
            }
        }
        self.queue.push(
            now + from_secs(spec.metric_period_secs),
            Event::MetricTick { group },
        );
    }

    /// Sets the desired size: launches, or drains and retires the newest instances of the
    /// fullest AZs.
    pub(super) fn resize(&mut self, group: u32, desired: u32, why: String) {
        let id = self.net.groups[group as usize].0.clone();
        let before = self.scaling[group as usize].desired;
        self.scaling[group as usize].desired = desired;
        self.note(
            &id,
            format!("{id} desired capacity {before} to {desired}: {why}"),
        );
        if desired > before {
            for _ in before..desired {
                self.launch(group);
            }
            return;
        }
        for _ in desired..before {
            let live: Vec<u32> = self.groups[group as usize]
                .iter()
                .copied()
                .filter(|s| self.stations[*s as usize].state != State::Terminated)
                .collect();
            let per_az = |az: Option<u32>| {
                live.iter()
                    .filter(|s| self.stations[**s as usize].spec.az == az)
                    .count()
            };
            let Some(&victim) = live
                .iter()
                .max_by_key(|s| (per_az(self.stations[**s as usize].spec.az), **s))
            else {
                return;
            };
            self.deregister(group, victim);
            let now = self.now;
            let station = &mut self.stations[victim as usize];
            if station.state == State::InService {
                station.set_state(State::Draining, now);
            }
            let name = station.spec.id.clone();
            self.note(
                &name,
                format!("{id} deregisters {name}; it drains for {DEREGISTRATION_SECS:.0} s"),
            );
            self.queue.push(
                self.now + from_secs(DEREGISTRATION_SECS),
                Event::Retire { station: victim },
            );
        }
    }

    pub(super) fn retire(&mut self, station: u32) {
        let name = self.stations[station as usize].spec.id.clone();
        self.take_down(station, State::Terminated);
        self.note(&name, format!("{name} is terminated"));
    }

    /// Every group's history.
    pub(crate) fn group_reports(&self) -> Vec<GroupReport> {
        self.net
            .groups
            .iter()
            .zip(&self.net.group_specs)
            .zip(&self.scaling)
            .map(|(((id, _), spec), state)| GroupReport {
                id: id.clone(),
                min: spec.min,
                max: spec.max,
                series: state.series.to_vec(),
            })
            .collect()
    }
}
