//! A scenario checked against the simulation it is to play in, before it plays: every step
//! must name something of the right kind, with sane numbers, within the run. A step that
//! would do nothing is an error naming the step, never a silent no-op.

use super::{Action, Scenario, Simulation};
use crate::model::ResourceId;
use crate::model::refs::References;

impl Simulation {
    /// Checks every step of `scenario` for a run of `duration_secs`; the error names the
    /// step (its number, time and action) and what to do.
    pub fn check_scenario(&self, scenario: &Scenario, duration_secs: f64) -> Result<(), String> {
        for (index, step) in scenario.steps.iter().enumerate() {
            let at = humantime::parse_duration(&step.at)
                .map(|d| d.as_secs_f64())
                .map_err(|e| format!("step {} at `{}`: {e}", index + 1, step.at))?;
            let name = || {
                format!(
                    "step {} (at {}, {})",
                    index + 1,
                    step.at,
                    action_name(&step.action)
                )
            };
            if at > duration_secs {
                return Err(format!(
                    "{}: comes after the run's end ({}); run longer (--duration) or move the step",
                    name(),
                    humantime::format_duration(std::time::Duration::from_secs_f64(
                        duration_secs.max(0.0)
                    ))
                ));
            }
            self.check_action(&step.action)
                .map_err(|why| format!("{}: {why}", name()))?;
        }
        Ok(())
    }

    /// Why `action` would do nothing in this simulation, if it would.
    pub fn check_action(&self, action: &Action) -> Result<(), String> {
        let id = action.resource();
        let diagram = &self.diagram;
        // A group's instance is named after its group ("app-asg.i3"); ids may hold dots.
        let Some(resource) = diagram
            .resource(id.as_str())
            .or_else(|| group_of(id).and_then(|group| diagram.resource(group)))
        else {
            let closest = diagram
                .resources()
                .map(|r| {
                    (
                        strsim::jaro_winkler(id.as_str(), r.id.as_str()),
                        r.id.as_str(),
                    )
                })
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            return Err(format!(
                "there is no resource `{}` in the diagram{closest}",
                id
            ));
        };
        let net = &self.engine.net;
        let is_group = |id: &ResourceId| net.groups.iter().any(|(g, _)| g == id);
        let is_group_member = |id: &ResourceId| {
            group_of(id).is_some_and(|g| net.groups.iter().any(|(gid, _)| gid.as_str() == g))
        };
        let is_station = |id: &ResourceId| net.stations.iter().any(|s| &s.id == id);
        let wants = |what: &str| {
            Err(format!(
                "`{id}` ({}) cannot take {}: it acts on {what}",
                crate::model::catalog::catalog().name(resource.kind()),
                action_name(action)
            ))
        };
        match action {
            Action::Fail(id) | Action::CrashApp(id) | Action::Restore(id) => {
                if !(is_station(id) || is_group_member(id)) {
                    return wants(
                        "a server the simulation runs (an instance, a database, a cache, a function)",
                    );
                }
            }
            Action::FailAz(id) | Action::RestoreAz(id) => {
                if !net.azs.contains(id) {
                    return wants("an Availability Zone");
                }
            }
            Action::FailRegion(id) | Action::RestoreRegion(id) => {
                if !net.regions.contains(id) {
                    return wants("a Region");
                }
            }
            Action::InterruptSpot(id) => {
                if !(is_station(id) || is_group(id) || is_group_member(id)) {
                    return wants("an instance or an Auto Scaling group");
                }
            }
            Action::AddLatency { resource: id, ms } => {
                if !(is_station(id) || is_group(id) || is_group_member(id)) {
                    return wants("a server the simulation runs or a group");
                }
                check_number("ms", *ms)?;
            }
            Action::SetCapacity {
                group, min, max, ..
            } => {
                if !is_group(group) {
                    return wants("an Auto Scaling group or an ECS service");
                }
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    return Err(format!("min {min} is above max {max}"));
                }
            }
            Action::SetRate { source, rps } => {
                if !net.sources.iter().any(|s| &s.id == source) {
                    return wants("a traffic source (Users or an on-premises data center)");
                }
                check_number("rps", *rps)?;
            }
            Action::SetPattern { source, pattern } => {
                if !net.sources.iter().any(|s| &s.id == source) {
                    return wants("a traffic source (Users or an on-premises data center)");
                }
                let mut bad = Ok(());
                pattern.for_each_number(&mut "pattern".to_string(), &mut |field, value| {
                    if bad.is_ok() {
                        bad = check_number(field, value);
                    }
                });
                bad?;
            }
        }
        Ok(())
    }
}

/// The group a group's instance id names ("app-asg" of "app-asg.i3").
fn group_of(id: &ResourceId) -> Option<&str> {
    id.as_str().rsplit_once('.').map(|(group, _)| group)
}

fn check_number(field: &str, value: f64) -> Result<(), String> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "{field} = {value} must be a finite number, not negative"
        ))
    }
}

/// The action's name as a scenario file writes it.
fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Fail(_) => "Fail",
        Action::CrashApp(_) => "CrashApp",
        Action::Restore(_) => "Restore",
        Action::FailAz(_) => "FailAz",
        Action::RestoreAz(_) => "RestoreAz",
        Action::FailRegion(_) => "FailRegion",
        Action::RestoreRegion(_) => "RestoreRegion",
        Action::InterruptSpot(_) => "InterruptSpot",
        Action::AddLatency { .. } => "AddLatency",
        Action::SetCapacity { .. } => "SetCapacity",
        Action::SetRate { .. } => "SetRate",
        Action::SetPattern { .. } => "SetPattern",
    }
}
