//! What the simulation tests share: templates changed by `--set`-style overrides, runs
//! with scheduled actions, and lookups in a report.

use cloudcanvas::library::templates;
use cloudcanvas::model::overrides;
use cloudcanvas::model::{Diagram, ResourceId};
use cloudcanvas::sim::{Action, Failure, RunReport, RunSettings, Simulation, from_secs};

/// `d` with each `ID.FIELD=VALUE` applied.
pub fn with(mut d: Diagram, sets: &[&str]) -> Diagram {
    for set in sets {
        overrides::apply(&mut d, &set.parse().unwrap()).unwrap_or_else(|e| panic!("{set}: {e}"));
    }
    d
}

/// A shipped template with overrides.
pub fn template(name: &str, sets: &[&str]) -> Diagram {
    with(templates::find(name).unwrap().load().unwrap(), sets)
}

pub fn id(s: &str) -> ResourceId {
    ResourceId::new(s).unwrap()
}

/// A simulation of `d` for `secs` seconds, measured from the start, not yet run.
pub fn start(d: &Diagram, seed: u64, secs: f64) -> Simulation {
    Simulation::new(
        d,
        RunSettings {
            seed,
            duration: from_secs(secs),
            warmup: 0,
        },
    )
    .unwrap()
}

/// Requests that failed at `resource` for `reason` (after the warm-up).
pub fn failed_at(r: &RunReport, resource: &str, reason: Failure) -> u64 {
    r.failures_by_resource
        .iter()
        .filter(|f| f.resource.as_str() == resource && f.reason == reason)
        .map(|f| f.count)
        .sum()
}

/// A run of `secs` seconds (the first `warmup` left out), with `actions` at their times.
pub fn play(
    d: &Diagram,
    seed: u64,
    secs: f64,
    warmup: f64,
    actions: &[(f64, Action)],
) -> RunReport {
    let mut s = Simulation::new(
        d,
        RunSettings {
            seed,
            duration: from_secs(secs),
            warmup: from_secs(warmup),
        },
    )
    .unwrap();
    for (at, action) in actions {
        s.schedule(from_secs(*at), action.clone());
    }
    s.run();
    s.report()
}

/// Seconds of the log lines containing all of `words`.
pub fn logged_at(r: &RunReport, words: &[&str]) -> Vec<f64> {
    r.log
        .iter()
        .filter(|l| words.iter().all(|w| l.text.contains(w)))
        .map(|l| l.secs)
        .collect()
}
