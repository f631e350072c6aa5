//! `cloudcanvas report`: Markdown with its pictures beside it, or one HTML page with the
//! pictures inside; every picture read back by usvg.

use std::process::Command;

use base64::Engine as _;
use resvg::usvg;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cloudcanvas"))
        .args(args)
        .output()
        .unwrap()
}

/// Writes a new diagram from a template with the command line.
fn new_diagram(template: &str, path: &str, name: &str) {
    let said = run(&["new", "-t", template, "-o", path, name]);
    assert!(
        said.status.success(),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
}

#[test]
fn a_report_with_a_scenario_writes_markdown_and_its_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    new_diagram("three-tier", &path("tt.ron"), "Shop");
    let said = run(&[
        "report",
        &path("tt.ron"),
        "-o",
        &path("review.md"),
        "--scenario",
        "three-tier-az-outage",
        "--simulate",
        "45m",
    ]);
    assert!(
        said.status.success(),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    let md = std::fs::read_to_string(dir.path().join("review.md")).unwrap();
    assert!(md.starts_with("# Shop\n"), "{md}");
    assert!(
        md.contains("## Simulation: Three-tier: an Availability Zone goes down"),
        "{md}"
    );
    assert!(
        md.contains("| 10m | Availability Zone az-a goes down |"),
        "{md}"
    );
    for picture in ["diagram", "requests", "latency", "instances"] {
        let file = format!("review.{picture}.svg");
        assert!(md.contains(&format!("]({file})")), "{picture} is shown");
        let text = std::fs::read_to_string(dir.path().join(&file)).unwrap();
        usvg::Tree::from_str(&text, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(&file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o044,
                0o044,
                "{file} is readable by others, as a shared document is"
            );
        }
    }
}

#[test]
fn an_html_report_is_one_page_with_its_pictures_inside() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    new_diagram("serverless", &path("s.ron"), "Pipeline");
    let said = run(&["report", &path("s.ron"), "-o", &path("s.html")]);
    assert!(
        said.status.success(),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("s.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h2>Cost: "), "{html}");
    assert!(
        !html.contains("## Simulation") && !html.contains("Simulation"),
        "no run was asked for"
    );
    let images: Vec<&str> = html
        .split("src=\"data:image/svg+xml;base64,")
        .skip(1)
        .collect();
    assert_eq!(images.len(), 1, "the diagram only");
    let encoded = images[0].split('"').next().unwrap();
    let svg = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    usvg::Tree::from_data(&svg, &usvg::Options::default()).unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "nothing but the page beside the diagram"
    );
}

#[test]
fn a_report_names_what_is_wrong_with_its_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    new_diagram("three-tier", &path("tt.ron"), "Shop");
    let missing = run(&["report", &path("tt.ron"), "-o", &path("no/r.md")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does not exist; create it first"));
    let unknown = run(&[
        "report",
        &path("tt.ron"),
        "-o",
        &path("r.md"),
        "--scenario",
        "no-such",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("three-tier-az-outage"),
        "the shipped names are listed"
    );
}
