//! `cloudcanvas report`: a design review or handout in Markdown (pictures beside it) or
//! one HTML page — picture, cost, findings and, when asked, a simulated run.

use std::path::Path;

use super::Failure;
use super::export::Destination;
use super::simulate::{SimulateOptions, run};
use crate::model::Diagram;
use crate::report::{Run, build};
use crate::sim::Scenario;

/// The scenario named `name`: a shipped one (`three-tier-az-outage`) or a file.
pub fn scenario(name: &str) -> Result<Scenario, Failure> {
    if let Some(shipped) = crate::library::scenarios::all()
        .into_iter()
        .find(|s| s.name == name)
    {
        return shipped.load().map_err(Failure::usage);
    }
    let path = Path::new(name);
    if !path.exists() {
        let names: Vec<&str> = crate::library::scenarios::all()
            .iter()
            .map(|s| s.name)
            .collect();
        return Err(Failure::usage(format!(
            "{} is neither a shipped scenario ({}) nor a file",
            crate::model::text::shortened(name, 80),
            names.join(", ")
        )));
    }
    scenario_file(path)
}

/// The scenario in file `path`.
pub fn scenario_file(path: &Path) -> Result<Scenario, Failure> {
    let text = crate::io::read_text_capped(path, crate::sim::MAX_SCENARIO_BYTES)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    Scenario::parse(&text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// What to simulate for the report, if anything.
pub struct RunRequest {
    /// Simulated time; a scenario alone runs an hour.
    pub duration: Option<std::time::Duration>,
    /// A scenario to play.
    pub scenario: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Availability objective in percent.
    pub objective_percent: f64,
}

/// Writes the report of `diagram` to `to.out` (HTML for `.html`, Markdown otherwise, with
/// its pictures beside it): all its files, or none.
pub fn write(diagram: &Diagram, to: &Destination, request: &RunRequest) -> Result<String, Failure> {
    let out = to.out;
    let scenario = request.scenario.as_deref().map(scenario).transpose()?;
    let simulate = request.duration.is_some() || scenario.is_some();
    let report = if simulate {
        let options = SimulateOptions {
            duration: request
                .duration
                .unwrap_or(std::time::Duration::from_secs(3600)),
            seed: request.seed,
            sample_weight: 1,
            objective_percent: request.objective_percent,
            warmup_fraction: 0.1,
            scenario: scenario.clone(),
            metrics: None,
            events: None,
            progress: true,
            force: to.force,
            input: Some(to.input.to_path_buf()),
        };
        Some(run(diagram, &options)?)
    } else {
        None
    };
    let name = scenario.as_ref().map(|s| s.name.clone());
    let run = report.as_ref().map(|r| Run {
        scenario: name.as_deref(),
        report: r,
    });
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let files = build(diagram, run.as_ref(), stem)
        .files(out)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let said = match files.as_slice() {
        [(_, page)] => format!(
            "Wrote {} ({} bytes, pictures inside)",
            out.display(),
            page.len()
        ),
        _ => {
            let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
            format!("Wrote {}", names.join(", "))
        }
    };
    to.write(files)?;
    Ok(said)
}
