//! CloudWatch alarms at run time: a datapoint each period, "M out of N" evaluation with
//! the treatment of missing data, the states OK, ALARM and INSUFFICIENT_DATA, and their
//! actions — notifications, step scaling and simple scaling — and scheduled actions.
//!
//! Step scaling (EC2 Auto Scaling user guide, step and simple scaling policies): the step
//! is chosen by how far the latest datapoint breaches the threshold; the policy acts each
//! period the alarm stays in ALARM, with warming instances counted as already added, so
//! repeated breaches of one step do not stack; scale-in waits for warm-up to end. Simple
//! scaling acts once, then waits for the launch (or the draining) and its cooldown.

use serde::Serialize;

use super::{Engine, State};
use crate::model::ResourceId;
use crate::model::config::compute::{AdjustmentType, Comparison};
use crate::model::config::services::TreatMissingData;
use crate::sim::build::{AlarmAction, AlarmMetric, AlarmSpec, Step};
use crate::sim::events::{Event, SimTime, from_secs, to_secs};

/// Seconds a scaled-in instance drains before the cooldown of a simple policy starts.
const DRAINING_SECS: f64 = 300.0;

/// An alarm's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmValue {
    /// Within its threshold.
    Ok,
    /// Breaching.
    Alarm,
    /// Not enough data to tell.
    InsufficientData,
}

impl AlarmValue {
    /// As CloudWatch writes it.
    pub fn label(self) -> &'static str {
        match self {
            AlarmValue::Ok => "OK",
            AlarmValue::Alarm => "ALARM",
            AlarmValue::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

/// An alarm at run time.
#[derive(Clone, Debug)]
pub(crate) struct AlarmState {
    value: AlarmValue,
    /// The last N datapoints, oldest first.
    window: std::collections::VecDeque<Option<f64>>,
    /// Cumulative counters at the last datapoint, per station or balancer watched.
    marks: Vec<(u32, f64)>,
    last_tick: SimTime,
    /// A simple policy waits until then.
    cooldown_until: SimTime,
    history: Vec<(f64, AlarmValue)>,
    datapoints: crate::sim::rollup::Series<(f64, Option<f64>)>,
}

/// A longer period's datapoint: the mean of the periods that had one, dated at its end.
impl crate::sim::rollup::Rollup for (f64, Option<f64>) {
    fn absorb(&mut self, later: &Self) {
        self.0 = later.0;
        self.1 = match (self.1, later.1) {
            (Some(a), Some(b)) => Some((a + b) / 2.0),
            (one, None) | (None, one) => one,
        };
    }
}

impl AlarmState {
    /// Its state now.
    pub(crate) fn value(&self) -> AlarmValue {
        self.value
    }

    pub(crate) fn new() -> Self {
        AlarmState {
            value: AlarmValue::InsufficientData,
            window: Default::default(),
            marks: Vec::new(),
            last_tick: 0,
            cooldown_until: 0,
            history: vec![(0.0, AlarmValue::InsufficientData)],
            datapoints: Default::default(),
        }
    }
}

/// An alarm's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlarmReport {
    /// The alarm (a scaling policy's is named after its group and policy).
    pub id: ResourceId,
    /// What it watches.
    pub metric: String,
    /// The threshold.
    pub threshold: f64,
    /// How the metric compares with the threshold to breach.
    pub comparison: Comparison,
    /// Its state at the end.
    pub state: AlarmValue,
    /// Every change of state: seconds from the start, and the new state.
    pub transitions: Vec<(f64, AlarmValue)>,
    /// Seconds spent in ALARM.
    pub secs_in_alarm: f64,
    /// Each period's datapoint (none when missing).
    pub datapoints: Vec<(f64, Option<f64>)>,
}

fn breaches(comparison: Comparison, value: f64, threshold: f64) -> bool {
    match comparison {
        Comparison::GreaterThan => value > threshold,
        Comparison::GreaterThanOrEqual => value >= threshold,
        Comparison::LessThan => value < threshold,
        Comparison::LessThanOrEqual => value <= threshold,
    }
}

/// The state "M out of N" gives (CloudWatch user guide, evaluating an alarm; missing
/// data).
fn evaluate(spec: &AlarmSpec, window: &[Option<f64>], current: AlarmValue) -> AlarmValue {
    let mut breaching = 0u32;
    let mut present = 0u32;
    for point in window {
        let breach = match (point, spec.missing) {
            (Some(v), _) => Some(breaches(spec.comparison, *v, spec.threshold)),
            (None, TreatMissingData::Breaching) => Some(true),
            (None, TreatMissingData::NotBreaching) => Some(false),
            (None, TreatMissingData::Missing | TreatMissingData::Ignore) => None,
        };
        if let Some(b) = breach {
            present += 1;
            breaching += u32::from(b);
        }
    }
    if breaching >= spec.datapoints_to_alarm {
        AlarmValue::Alarm
    } else if present == 0 {
        match spec.missing {
            TreatMissingData::Ignore => current,
            _ => AlarmValue::InsufficientData,
        }
    } else {
        AlarmValue::Ok
    }
}

/// The step whose bounds hold `breach` (lower inclusive, upper exclusive).
fn step_for(steps: &[Step], breach: f64) -> Option<&Step> {
    steps
        .iter()
        .find(|s| s.lower.is_none_or(|l| breach >= l) && s.upper.is_none_or(|u| breach < u))
}

/// The capacity an adjustment asks for from `base`.
fn adjusted(kind: AdjustmentType, adjustment: i32, base: u32) -> i64 {
    match kind {
        AdjustmentType::ChangeInCapacity => i64::from(base) + i64::from(adjustment),
        AdjustmentType::ExactCapacity => i64::from(adjustment),
        AdjustmentType::PercentChangeInCapacity => {
            // Rounded towards zero, but never to nothing (EC2 Auto Scaling user guide).
            let change = f64::from(base) * f64::from(adjustment) / 100.0;
            let magnitude = change
                .abs()
                .trunc()
                .max(if change == 0.0 { 0.0 } else { 1.0 });
            i64::from(base) + (magnitude.copysign(change) as i64)
        }
    }
}

impl Engine {
    pub(super) fn schedule_alarms(&mut self) {
        for (a, spec) in self.net.alarms.iter().enumerate() {
            self.queue.push(
                from_secs(spec.period_secs),
                Event::AlarmTick { alarm: a as u32 },
            );
        }
        for s in 0..self.net.schedules.len() {
            self.schedule_next(s as u32, 0);
        }
    }

    /// The next occurrence of a scheduled action strictly after `after`.
    fn schedule_next(&mut self, index: u32, after: SimTime) {
        let spec = &self.net.schedules[index as usize];
        let epoch = crate::sim::sim_epoch();
        let Some(start) = chrono::Duration::from_std(std::time::Duration::from_nanos(after))
            .ok()
            .and_then(|d| epoch.checked_add_signed(d))
        else {
            return;
        };
        if let Ok(next) = spec.cron.find_next_occurrence(&start, false)
            && let Some(ns) = next.signed_duration_since(epoch).num_nanoseconds()
            && ns > 0
        {
            self.queue.push(ns as SimTime, Event::Scheduled { index });
        }
    }

    pub(super) fn scheduled(&mut self, index: u32) {
        let spec = self.net.schedules[index as usize].clone();
        let why = format!("scheduled action `{}`", spec.name);
        self.set_capacity(spec.group, [spec.min, spec.desired, spec.max], &why);
        self.schedule_next(index, self.now);
    }

    /// Changes a group's limits and desired size (each if given), as a scheduled action
    /// or a person does; the desired size is kept within the limits.
    pub(super) fn set_capacity(
        &mut self,
        group: u32,
        [min, desired, max]: [Option<u32>; 3],
        why: &str,
    ) {
        let g = group as usize;
        let state = &mut self.scaling[g];
        if let Some(min) = min {
            state.min = min;
        }
        if let Some(max) = max {
            state.max = max;
        }
        let (min, max) = (state.min, state.max.max(state.min));
        state.max = max;
        let desired = desired.unwrap_or(state.desired).clamp(min, max);
        let id = self.net.groups[g].0.clone();
        self.note(&id, format!("{why} sets {id} to min {min}, max {max}"));
        if desired != self.scaling[g].desired {
            self.resize(group, desired, why.to_owned());
        }
    }

    pub(super) fn alarm_tick(&mut self, alarm: u32) {
        let spec = self.net.alarms[alarm as usize].clone();
        let value = self.alarm_datapoint(alarm, &spec);
        let now = self.now;
        let state = &mut self.alarms[alarm as usize];
        state.last_tick = now;
        state.datapoints.push((to_secs(now), value));
        state.window.push_back(value);
        while state.window.len() > spec.evaluation_periods as usize {
            state.window.pop_front();
        }
        let window: Vec<Option<f64>> = state.window.iter().copied().collect();
        let before = state.value;
        let after = evaluate(&spec, &window, before);
        if after != before {
            state.value = after;
            state.history.push((to_secs(now), after));
            let shown = value.map_or("no data".to_owned(), |v| format!("{v:.1}"));
            let breaching = window
                .iter()
                .filter(|p| p.is_some_and(|v| breaches(spec.comparison, v, spec.threshold)))
                .count();
            self.note(
                &spec.id,
                format!(
                    "alarm {}: {} to {}: {} {shown} ({breaching} of {} datapoints beyond {})",
                    spec.id,
                    before.label(),
                    after.label(),
                    spec.metric_name,
                    window.len(),
                    spec.threshold
                ),
            );
            // Alarm actions run on entering ALARM (OK and INSUFFICIENT_DATA actions are
            // separate lists, rarely used).
            if after == AlarmValue::Alarm
                && let AlarmAction::Notify(targets) = &spec.action
            {
                for target in targets {
                    self.note(
                        target,
                        format!("alarm {} notifies {target}: {}", spec.id, after.label()),
                    );
                }
            }
        }
        if after == AlarmValue::Alarm
            && let Some(value) = value
        {
            self.alarm_acts(alarm, &spec, value);
        }
        self.queue.push(
            now + from_secs(spec.period_secs),
            Event::AlarmTick { alarm },
        );
    }

    /// A scaling policy acts on its alarm's latest datapoint.
    fn alarm_acts(&mut self, alarm: u32, spec: &AlarmSpec, value: f64) {
        let (group, target, why) = match &spec.action {
            AlarmAction::Notify(_) => return,
            AlarmAction::Step { group, policy } => {
                let Some(step) = step_for(&policy.steps, value - spec.threshold) else {
                    return;
                };
                let (warm, warming) = self.warm_and_warming(*group);
                let state = &self.scaling[*group as usize];
                let target = if step.adjustment > 0
                    || policy.adjustment_type == AdjustmentType::ExactCapacity
                {
                    // Warming instances count as already added: the same step again adds
                    // nothing more.
                    adjusted(policy.adjustment_type, step.adjustment, warm)
                        .max(i64::from(state.desired))
                } else {
                    if warming > 0 {
                        return;
                    }
                    adjusted(policy.adjustment_type, step.adjustment, state.desired)
                        .min(i64::from(state.desired))
                };
                (
                    *group,
                    target,
                    format!("step scaling, alarm {} ({value:.1})", spec.id),
                )
            }
            AlarmAction::Simple { group, policy } => {
                if self.now < self.alarms[alarm as usize].cooldown_until {
                    return;
                }
                let state = &self.scaling[*group as usize];
                let target = adjusted(policy.adjustment_type, policy.adjustment, state.desired);
                let settle = if target > i64::from(state.desired) {
                    self.net.group_specs[*group as usize].launch_secs
                } else {
                    DRAINING_SECS
                };
                self.alarms[alarm as usize].cooldown_until =
                    self.now + from_secs(settle + policy.cooldown_secs);
                (
                    *group,
                    target,
                    format!("simple scaling, alarm {} ({value:.1})", spec.id),
                )
            }
        };
        let state = &self.scaling[group as usize];
        let desired =
            target.clamp(i64::from(state.min), i64::from(state.max.max(state.min))) as u32;
        if desired != state.desired {
            self.resize(group, desired, why);
        }
    }

    /// This period's datapoint of an alarm's metric; none when there is no data.
    fn alarm_datapoint(&mut self, alarm: u32, spec: &AlarmSpec) -> Option<f64> {
        let now = self.now;
        let warmup = self.settings.warmup;
        let last = self.alarms[alarm as usize].last_tick;
        let marks = std::mem::take(&mut self.alarms[alarm as usize].marks);
        let mark_of = |id: u32| marks.iter().find(|(m, _)| *m == id).map(|(_, v)| *v);
        let mut new_marks = Vec::new();
        let value = match spec.metric {
            AlarmMetric::GroupCpu(_) | AlarmMetric::StationCpu(_) => {
                let members: Vec<u32> = match spec.metric {
                    AlarmMetric::GroupCpu(g) => self.groups[g as usize].clone(),
                    AlarmMetric::StationCpu(s) => vec![s],
                    _ => Vec::new(),
                };
                let mut sum = 0.0;
                let mut count = 0u32;
                for s in members {
                    let st = &mut self.stations[s as usize];
                    st.touch(now, warmup);
                    new_marks.push((s, st.cpu_area));
                    if !matches!(st.state, State::InService | State::AppDown) {
                        continue;
                    }
                    let since = last.max(st.launched_at);
                    if now <= since {
                        continue;
                    }
                    let used = st.cpu_area - mark_of(s).unwrap_or(0.0);
                    sum += used / ((now - since) as f64 * f64::from(st.spec.servers.max(1)));
                    count += 1;
                }
                (count > 0).then(|| 100.0 * sum / f64::from(count))
            }
            AlarmMetric::QueueVisible(q) => Some(self.queue_visible(q) as f64),
            AlarmMetric::Backlog { queue, group } => queue.map(|q| {
                let in_service = self.groups[group as usize]
                    .iter()
                    .filter(|s| self.stations[**s as usize].state == State::InService)
                    .count();
                self.queue_visible(q) as f64 / in_service.max(1) as f64
            }),
            AlarmMetric::RequestsPerTarget(g) => {
                let mut total = 0.0;
                let mut count = 0u32;
                for &s in &self.groups[g as usize] {
                    let st = &self.stations[s as usize];
                    new_marks.push((s, st.entered as f64));
                    if st.state == State::InService {
                        total += st.entered as f64 - mark_of(s).unwrap_or(0.0);
                        count += 1;
                    }
                }
                // Counts over a period stand for `weight` real requests each; levels (in
                // queues, in the system) are the same in a sampled run.
                (count > 0).then(|| total / f64::from(count) * self.weight)
            }
            AlarmMetric::BalancerRequests(b) => {
                let routed = self.routed[b as usize] as f64;
                new_marks.push((b, routed));
                Some((routed - mark_of(b).unwrap_or(0.0)) * self.weight)
            }
            AlarmMetric::HealthyHosts(b) | AlarmMetric::UnhealthyHosts(b) => {
                let want = matches!(spec.metric, AlarmMetric::HealthyHosts(_));
                Some(
                    self.balancers[b as usize]
                        .targets
                        .iter()
                        .filter(|t| !t.gone && t.healthy == want)
                        .count() as f64,
                )
            }
            AlarmMetric::Refused(s) => {
                let refused = self.stations[s as usize].refused as f64;
                new_marks.push((s, refused));
                Some((refused - mark_of(s).unwrap_or(0.0)) * self.weight)
            }
            AlarmMetric::InSystem(s) => Some(self.stations[s as usize].in_system() as f64),
            AlarmMetric::NotSimulated => None,
        };
        self.alarms[alarm as usize].marks = new_marks;
        value
    }

    /// Every alarm's report.
    pub(crate) fn alarm_reports(&self) -> Vec<AlarmReport> {
        let end = to_secs(self.now);
        self.net
            .alarms
            .iter()
            .zip(&self.alarms)
            .map(|(spec, state)| {
                let mut secs_in_alarm = 0.0;
                for (i, (at, value)) in state.history.iter().enumerate() {
                    if *value == AlarmValue::Alarm {
                        let until = state.history.get(i + 1).map_or(end, |(t, _)| *t);
                        secs_in_alarm += until - at;
                    }
                }
                AlarmReport {
                    id: spec.id.clone(),
                    metric: spec.metric_name.clone(),
                    threshold: spec.threshold,
                    comparison: spec.comparison,
                    state: state.value,
                    transitions: state.history.clone(),
                    secs_in_alarm,
                    datapoints: state.datapoints.to_vec(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::build::AlarmAction;

    fn spec(m: u32, n: u32, missing: TreatMissingData) -> AlarmSpec {
        AlarmSpec {
            id: ResourceId::new("a").unwrap(),
            metric_name: "m".into(),
            metric: AlarmMetric::NotSimulated,
            period_secs: 60.0,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            threshold: 70.0,
            comparison: Comparison::GreaterThan,
            missing,
            action: AlarmAction::Notify(Vec::new()),
        }
    }

    #[test]
    fn m_out_of_n_counts_breaching_datapoints() {
        let s = spec(2, 3, TreatMissingData::Missing);
        let ok = AlarmValue::Ok;
        assert_eq!(
            evaluate(&s, &[Some(80.0), Some(50.0), Some(75.0)], ok),
            AlarmValue::Alarm
        );
        assert_eq!(
            evaluate(&s, &[Some(80.0), Some(50.0), Some(70.0)], ok),
            AlarmValue::Ok
        );
        assert_eq!(
            evaluate(&s, &[None, None, None], ok),
            AlarmValue::InsufficientData
        );
        // One breach and two missing: not enough to alarm, and there is data.
        assert_eq!(evaluate(&s, &[Some(90.0), None, None], ok), AlarmValue::Ok);
    }

    #[test]
    fn missing_data_is_treated_as_configured() {
        let window = [None, Some(90.0), None];
        let breaching = spec(2, 3, TreatMissingData::Breaching);
        assert_eq!(
            evaluate(&breaching, &window, AlarmValue::Ok),
            AlarmValue::Alarm
        );
        let fine = spec(2, 3, TreatMissingData::NotBreaching);
        assert_eq!(evaluate(&fine, &window, AlarmValue::Alarm), AlarmValue::Ok);
        let ignore = spec(1, 3, TreatMissingData::Ignore);
        assert_eq!(
            evaluate(&ignore, &[None, None, None], AlarmValue::Alarm),
            AlarmValue::Alarm
        );
    }

    #[test]
    fn steps_are_chosen_by_the_breach_and_adjustments_round_as_aws_does() {
        let steps = [
            Step {
                lower: Some(0.0),
                upper: Some(10.0),
                adjustment: 1,
            },
            Step {
                lower: Some(10.0),
                upper: None,
                adjustment: 3,
            },
        ];
        assert_eq!(step_for(&steps, 0.0).map(|s| s.adjustment), Some(1));
        assert_eq!(step_for(&steps, 9.99).map(|s| s.adjustment), Some(1));
        assert_eq!(step_for(&steps, 10.0).map(|s| s.adjustment), Some(3));
        assert!(step_for(&steps, -1.0).is_none());
        assert_eq!(adjusted(AdjustmentType::ChangeInCapacity, 2, 4), 6);
        assert_eq!(adjusted(AdjustmentType::ExactCapacity, 7, 4), 7);
        // 10 % of 4 is 0.4: at least one instance.
        assert_eq!(adjusted(AdjustmentType::PercentChangeInCapacity, 10, 4), 5);
        // 50 % of 5 is 2.5: rounded down to 2.
        assert_eq!(adjusted(AdjustmentType::PercentChangeInCapacity, 50, 5), 7);
        assert_eq!(adjusted(AdjustmentType::PercentChangeInCapacity, -50, 5), 3);
    }
}
