//! Lessons shipped with the program (`scenarios/*.scenario.ron`, embedded): timelines of
//! failures and load changes for the templates, with narration for the run mode.
//!
//! A scenario's file name starts with the name of the template it was written for, such
//! as `three-tier-az-outage` for `three-tier`.

use include_dir::{Dir, include_dir};

use crate::model::Diagram;
use crate::sim::Scenario;

static SCENARIO_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/scenarios");

/// One shipped scenario.
#[derive(Clone, Copy, Debug)]
pub struct Shipped {
    /// Its file name without `.scenario.ron`, such as `three-tier-az-outage`.
    pub name: &'static str,
    /// The RON text.
    pub text: &'static str,
}

impl Shipped {
    /// The scenario, parsed.
    pub fn load(&self) -> Result<Scenario, String> {
        Scenario::parse(self.text).map_err(|e| format!("scenarios/{}.scenario.ron: {e}", self.name))
    }
}

/// Every shipped scenario, by name.
pub fn all() -> Vec<Shipped> {
    let mut out: Vec<Shipped> = SCENARIO_DIR
        .files()
        .filter_map(|file| {
            let file_name = file.path().file_name()?.to_str()?;
            Some(Shipped {
                name: file_name.strip_suffix(".scenario.ron")?,
                text: file.contents_utf8()?,
            })
        })
        .collect();
    out.sort_by_key(|s| s.name);
    out
}

impl Shipped {
    /// The template it was written for: the longest template name its name starts with.
    pub fn template(&self) -> Option<&'static (crate::library::templates::Template, Diagram)> {
        crate::library::templates::loaded()
            .iter()
            .filter(|(t, _)| self.name.starts_with(t.name))
            .max_by_key(|(t, _)| t.name.len())
    }

    /// Whether `diagram` looks like the design it was written for: it holds at least four
    /// in five of that template's resources (by id), so edits to a template keep its
    /// lessons while another template's lesson, whose ids may happen to match a few, is
    /// not offered as if it were written for it.
    pub fn written_for(&self, diagram: &Diagram) -> bool {
        let Some((_, template)) = self.template() else {
            return false;
        };
        let ids: Vec<&str> = template.resources().map(|r| r.id.as_str()).collect();
        let present = ids.iter().filter(|id| diagram.contains(id)).count();
        !ids.is_empty() && present * 5 >= ids.len() * 4
    }
}

/// Why `scenario` cannot play on `diagram`: the resources its steps act on that the
/// diagram lacks (none: it can).
pub fn missing_resources(scenario: &Scenario, diagram: &Diagram) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for step in &scenario.steps {
        let id = step.action.resource();
        // A group's instance (`app-asg.i1`) needs its group.
        let needed = match id.as_str().rsplit_once('.') {
            Some((group, _)) if !diagram.contains(id.as_str()) => group,
            _ => id.as_str(),
        };
        if !diagram.contains(needed) && !missing.iter().any(|m| m == needed) {
            missing.push(needed.to_owned());
        }
    }
    missing
}

/// Why `scenario` cannot play on `diagram` for a run of `duration_secs`: a step that
/// names nothing, the wrong kind, a senseless number or a time after the end.
pub fn check(scenario: &Scenario, diagram: &Diagram, duration_secs: f64) -> Result<(), String> {
    let settings = crate::sim::RunSettings {
        seed: 0,
        duration: crate::sim::from_secs(duration_secs.min(3600.0)),
        warmup: 0,
    };
    let sim = crate::sim::Simulation::new(diagram, settings).map_err(|e| e.to_string())?;
    sim.check_scenario(scenario, duration_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_scenario_parses_narrates_and_fits_its_template() {
        let shipped = all();
        assert!(shipped.len() >= 10);
        for s in shipped {
            let scenario = s.load().unwrap_or_else(|e| panic!("{e}"));
            assert!(!scenario.lesson.is_empty(), "{} has no lesson", s.name);
            assert!(
                scenario.steps.iter().all(|step| !step.say.is_empty()),
                "{}: every step narrates",
                s.name
            );
            let template = crate::library::templates::all()
                .into_iter()
                .filter(|t| s.name.starts_with(t.name))
                .max_by_key(|t| t.name.len())
                .unwrap_or_else(|| panic!("{} matches no template", s.name));
            let diagram = template.load().unwrap_or_else(|e| panic!("{e}"));
            assert!(
                s.written_for(&diagram),
                "{} is offered on {}",
                s.name,
                template.name
            );
            assert_eq!(
                missing_resources(&scenario, &diagram),
                Vec::<String>::new(),
                "{} on {}",
                s.name,
                template.name
            );
            // Every step acts on something of the right kind, within an hour's run.
            check(&scenario, &diagram, 3600.0).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        }
    }

    #[test]
    fn a_lesson_is_offered_for_the_design_it_was_written_for() {
        let az_outage = all()
            .into_iter()
            .find(|s| s.name == "three-tier-az-outage")
            .unwrap_or_else(|| panic!("ships"));
        let load = |name: &str| {
            crate::library::templates::find(name)
                .and_then(|t| t.load().ok())
                .unwrap_or_else(|| panic!("{name} ships"))
        };
        let mut three_tier = load("three-tier");
        assert!(az_outage.written_for(&three_tier));
        // Edited, it is still the same design.
        three_tier
            .remove(&crate::model::ResourceId::new("cpu-alarm").unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(az_outage.written_for(&three_tier));
        // Another template with a few of the same ids (users, az-a, app-asg) is not.
        assert!(!az_outage.written_for(&load("employee-directory")));
    }

    #[test]
    fn a_scenario_for_another_design_names_what_is_missing() {
        let hybrid = all()
            .into_iter()
            .find(|s| s.name == "hybrid-server-failure")
            .and_then(|s| s.load().ok())
            .unwrap_or_else(|| panic!("hybrid-server-failure ships"));
        let three_tier = crate::library::templates::find("three-tier")
            .and_then(|t| t.load().ok())
            .unwrap_or_else(|| panic!("three-tier ships"));
        assert_eq!(missing_resources(&hybrid, &three_tier), ["app-1"]);
    }
}
