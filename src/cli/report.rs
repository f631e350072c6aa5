//! `cloudcanvas report`: a design review or handout in Markdown (pictures beside it) or
//! one HTML page — picture, cost, findings and, when asked, a simulated run.

use std::path::{Path, PathBuf};

use super::Failure;
use super::simulate::{SimulateOptions, run};
use crate::export::write_file;
use crate::model::Diagram;
use crate::report::{Run, build};
use crate::sim::Scenario;

/// The scenario named `name`: a shipped one (`three-tier-az-outage`) or a file.
pub fn scenario(name: &str) -> Result<Scenario, Failure> {
    if let Some(shipped) = crate::scenarios::all().into_iter().find(|s| s.name == name) {
        return shipped.load().map_err(Failure::usage);
    }
    let path = Path::new(name);
    let text = std::fs::read_to_string(path).map_err(|e| {
        let names: Vec<&str> = crate::scenarios::all().iter().map(|s| s.name).collect();
        Failure::usage(format!(
            "{name} is neither a shipped scenario ({}) nor a readable file: {e}",
            names.join(", ")
        ))
    })?;
    Scenario::parse(&text).map_err(|e| Failure::usage(format!("{name}: {e}")))
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

/// Writes the report of `diagram` to `out` (HTML for `.html`, Markdown otherwise, with
/// its pictures beside it).
pub fn write(diagram: &Diagram, out: &Path, request: &RunRequest) -> Result<String, Failure> {
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
    let built = build(diagram, run.as_ref(), stem);
    let save = |path: &Path, bytes: &[u8]| {
        write_file(path, bytes).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
    };
    let html = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if html {
        save(out, built.html.as_bytes())?;
        return Ok(format!(
            "Wrote {} ({} bytes, pictures inside)",
            out.display(),
            built.html.len()
        ));
    }
    save(out, built.markdown.as_bytes())?;
    let mut written: Vec<PathBuf> = vec![out.to_path_buf()];
    for (file, text) in &built.pictures {
        let path = out.with_file_name(file);
        save(&path, text.as_bytes())?;
        written.push(path);
    }
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    Ok(format!("Wrote {}", names.join(", ")))
}
