//! What can happen to a running system from outside: failures, restorations and load
//! changes, injected at run time or scheduled by a scenario file.

use serde::{Deserialize, Serialize};

use crate::model::ResourceId;

/// One injected change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// The instance (or database) stops: its requests fail and it answers nothing.
    Fail(ResourceId),
    /// The application on an instance crashes; the instance keeps running, so EC2 status
    /// checks still pass.
    CrashApp(ResourceId),
    /// A failed instance or crashed application comes back.
    Restore(ResourceId),
    /// Everything in an Availability Zone stops.
    FailAz(ResourceId),
    /// An Availability Zone comes back.
    RestoreAz(ResourceId),
    /// Everything in a Region stops (its zones and regional services).
    FailRegion(ResourceId),
    /// A Region comes back.
    RestoreRegion(ResourceId),
    /// EC2 interrupts a spot instance, or one of a group's: two minutes' notice, then it
    /// is terminated (and its group launches a replacement).
    InterruptSpot(ResourceId),
    /// Each request served by the resource (an instance, a group, a database) takes this
    /// much longer; 0 removes the delay.
    AddLatency {
        /// The resource.
        resource: ResourceId,
        /// Milliseconds added.
        ms: f64,
    },
    /// An Auto Scaling group's (or ECS service's) limits and desired size change, as when
    /// someone edits them in the console; a size left out stays as it is.
    SetCapacity {
        /// The group.
        group: ResourceId,
        /// Fewest instances.
        #[serde(default)]
        min: Option<u32>,
        /// Instances wanted now.
        #[serde(default)]
        desired: Option<u32>,
        /// Most instances.
        #[serde(default)]
        max: Option<u32>,
    },
    /// A traffic source changes its base rate.
    SetRate {
        /// The source (a Users resource).
        source: ResourceId,
        /// Requests per second.
        rps: f64,
    },
    /// A traffic source changes its pattern (its base rate stays); the pattern's times
    /// count from the start of the run. A replay cannot start during a run.
    SetPattern {
        /// The source (a Users resource).
        source: ResourceId,
        /// The new pattern.
        pattern: crate::model::config::services::TrafficPattern,
    },
}

impl Action {
    /// The resource it acts on.
    pub fn resource(&self) -> &ResourceId {
        match self {
            Action::Fail(id)
            | Action::CrashApp(id)
            | Action::Restore(id)
            | Action::FailAz(id)
            | Action::RestoreAz(id)
            | Action::FailRegion(id)
            | Action::RestoreRegion(id)
            | Action::InterruptSpot(id) => id,
            Action::AddLatency { resource, .. } => resource,
            Action::SetRate { source, .. } | Action::SetPattern { source, .. } => source,
            Action::SetCapacity { group, .. } => group,
        }
    }
}

/// The largest scenario file read (the shipped ones are a few KiB).
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// A timeline of actions for a reproducible demonstration (`*.scenario.ron`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Title.
    pub name: String,
    /// What it shows.
    #[serde(default)]
    pub description: String,
    /// What to watch, shown before the first step when the scenario is played as a lesson.
    #[serde(default)]
    pub lesson: String,
    /// The steps, each at a time from the start such as "10m" or "1h 30m".
    pub steps: Vec<Step>,
}

/// One step of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// When, from the start of the run: "90s", "10m", "1h 30m".
    pub at: String,
    /// What happens.
    pub action: Action,
    /// What a lesson's narration card says at this step (none: the action in words).
    #[serde(default)]
    pub say: String,
}

impl Scenario {
    /// Reads a scenario from RON text, with its steps' times checked.
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let scenario: Scenario = ron::Options::default().from_str(text).map_err(|e| {
            format!(
                "line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        for step in &scenario.steps {
            humantime::parse_duration(&step.at).map_err(|e| {
                format!(
                    "step at `{}`: {e} (write times like 90s, 10m or 1h 30m)",
                    step.at
                )
            })?;
        }
        Ok(scenario)
    }

    /// The steps as (seconds from start, action).
    pub fn timeline(&self) -> Vec<(f64, Action)> {
        self.steps
            .iter()
            .filter_map(|s| {
                humantime::parse_duration(&s.at)
                    .ok()
                    .map(|d| (d.as_secs_f64(), s.action.clone()))
            })
            .collect()
    }
}
