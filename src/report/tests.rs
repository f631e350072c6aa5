use super::*;
use crate::sim::{RunSettings, Simulation, from_secs};

fn three_tier() -> Diagram {
    crate::library::templates::find("three-tier")
        .and_then(|t| t.load().ok())
        .expect("the template loads")
}

#[test]
fn a_report_without_a_run_has_picture_cost_and_findings() {
    let d = three_tier();
    let report = build(&d, None, "tt");
    let md = &report.markdown;
    assert!(md.starts_with("# Three-tier web application\n"), "{md}");
    assert!(md.contains("![The diagram](tt.diagram.svg)"));
    let total = estimate(&d).monthly_usd();
    assert!(
        md.contains(&format!("## Cost: {} a month", usd(total))),
        "{md}"
    );
    assert!(md.contains("## Findings: "));
    assert!(!md.contains("## Simulation"));
    assert_eq!(report.pictures.len(), 1);
    assert_eq!(report.pictures[0].0, "tt.diagram.svg");
    // The page holds its pictures and renders the tables.
    assert!(report.html.contains("data:image/svg+xml;base64,"));
    assert!(report.html.contains("<table>"));
    assert!(!report.html.contains("tt.diagram.svg"));
}

#[test]
fn a_simulated_report_adds_the_run_and_its_charts() {
    let d = three_tier();
    let settings = RunSettings {
        seed: 7,
        duration: from_secs(600.0),
        warmup: from_secs(60.0),
    };
    let mut sim = Simulation::new(&d, settings).expect("it runs");
    sim.advance_to(from_secs(600.0));
    let run_report = sim.report();
    let report = build(
        &d,
        Some(&Run {
            scenario: None,
            report: &run_report,
        }),
        "tt",
    );
    let md = &report.markdown;
    assert!(md.contains("## Simulation\n"), "{md}");
    assert!(
        md.contains(&format!(
            "| {} | {} | {} |",
            run_report.arrived, run_report.completed, run_report.failed
        )),
        "{md}"
    );
    assert!(
        md.contains("![Requests](tt.requests.svg)")
            && md.contains("![Response time](tt.latency.svg)")
    );
    assert!(md.contains("![Instances in service](tt.instances.svg)"));
    let names: Vec<&str> = report.pictures.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "tt.diagram.svg",
            "tt.requests.svg",
            "tt.latency.svg",
            "tt.instances.svg"
        ]
    );
    assert!(md.contains("### Response time per tier"));
}
