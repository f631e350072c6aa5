//! The command line, run as a person runs it: output, files and exit codes.

use std::path::Path;
use std::process::{Command, Output};

pub(crate) fn cloudcanvas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudcanvas"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn templates_are_listed_and_shown() {
    let out = cloudcanvas(&["templates"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for name in [
        "employee-directory",
        "three-tier",
        "serverless",
        "static-website",
        "containers",
        "multi-region-failover",
        "hybrid",
        "queue-workers",
        "flawed-teaching",
        "queueing-lab",
    ] {
        assert!(text.contains(name), "lists {name}");
    }
    let out = cloudcanvas(&["templates", "show", "serverless", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["name"], "Serverless upload pipeline");
    assert_eq!(json["by_kind"]["LambdaFunction"], 3);
    let out = cloudcanvas(&["templates", "show", "four-tier"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no template `four-tier`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn new_writes_a_file_that_info_reads_with_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.ron");
    let out = cloudcanvas(&["new", "Shop", "--template", "three-tier", "-o", path(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Created"));

    let out = cloudcanvas(&["new", "Shop", "-t", "three-tier", "-o", path(&file)]);
    assert_eq!(out.status.code(), Some(2), "refuses to overwrite");
    assert!(stderr(&out).contains("--force"));
    let out = cloudcanvas(&[
        "new",
        "Shop 2",
        "-t",
        "serverless",
        "-o",
        path(&file),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        dir.path().join("shop.ron.bak").exists(),
        "the replaced file is kept"
    );

    let out = cloudcanvas(&[
        "info",
        path(&file),
        "--format",
        "json",
        "--set",
        "ingest-fn.memory_mb=512",
        "--set",
        "name=Renamed",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["name"], "Renamed");

    let out = cloudcanvas(&["info", path(&file)]);
    let text = stdout(&out);
    assert!(text.starts_with("Shop 2\n"), "{text}");
    assert!(text.contains("Traffic path"), "{text}");
}

#[test]
fn bad_overrides_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    assert!(
        cloudcanvas(&["new", "D", "-o", path(&file)])
            .status
            .success()
    );
    for (set, expected) in [
        ("app-asg.max_size=many", "expected a whole number"),
        ("nope.max_size=1", "there is no resource `nope`"),
        ("app-asg.maximum=3", "`maximum` is not a setting"),
        ("no-equals", "is not RESOURCE_ID.FIELD=VALUE"),
    ] {
        let out = cloudcanvas(&["info", path(&file), "--set", set]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        assert!(stderr(&out).contains(expected), "{set}: {}", stderr(&out));
    }
}

#[test]
fn broken_and_missing_files_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.ron");
    std::fs::write(
        &file,
        "(\n  schema_version: 1,\n  resources: [(id: \"x\", config: Nope())],\n)",
    )
    .unwrap();
    let out = cloudcanvas(&["info", path(&file)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:3:", file.display())), "{err}");
    assert!(err.contains("unknown resource kind `Nope`"), "{err}");

    let out = cloudcanvas(&["info", path(&dir.path().join("absent.ron"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("absent.ron"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = cloudcanvas(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("templates"));
    let out = cloudcanvas(&["info"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cloudcanvas(&["info", "x.ron", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cost_prints_formulas_totals_and_what_is_not_priced_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.ron");
    assert!(
        cloudcanvas(&["new", "Shop", "-t", "three-tier", "-o", path(&file)])
            .status
            .success()
    );
    let out = cloudcanvas(&["cost", path(&file), "--set", "app-asg.desired_capacity=3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("3 × m5.large on-demand: 2190 h × $0.096/h = $210.24"),
        "{text}"
    );
    assert!(
        text.contains("db.m5.large MySQL Multi-AZ: 1460 h × $0.171/h = $249.66"),
        "{text}"
    );
    assert!(
        text.contains("data out, first 10 TB: 100 GB × $0.085/GB = $8.50"),
        "{text}"
    );
    assert!(
        !text.contains("Not priced"),
        "every resource is priced: {text}"
    );
    assert!(text.contains("Total: $"), "{text}");
    let out = cloudcanvas(&["cost", path(&file), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lines = json["lines"].as_array().unwrap();
    let sum: f64 = lines
        .iter()
        .map(|l| l["monthly_usd"].as_f64().unwrap())
        .sum();
    assert!((json["monthly_usd"].as_f64().unwrap() - sum).abs() < 0.01);
    let out = cloudcanvas(&["cost", path(&file), "--format", "csv"]);
    assert!(
        stdout(&out).starts_with("resource,service,item,quantity,unit,unit_price_usd,monthly_usd")
    );
    let out = cloudcanvas(&[
        "cost",
        path(&file),
        "--format",
        "markdown",
        "--region",
        "eu-west-1",
    ]);
    let md = stdout(&out);
    assert!(
        md.contains("| **Total** |") && md.contains("(price from us-east-1)"),
        "{md}"
    );
}

#[test]
fn cost_compares_purchase_options_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.ron");
    assert!(
        cloudcanvas(&["new", "Shop", "-t", "three-tier", "-o", path(&file)])
            .status
            .success()
    );
    let text = stdout(&cloudcanvas(&["cost", path(&file), "--compare"]));
    assert!(
        text.contains("Reserved, 1 year, no upfront") && text.contains("saves $    52.56 (6.8 %)"),
        "{text}"
    );
    let out = cloudcanvas(&["cost", path(&file), "--compare", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert_eq!(json["purchase_options"].as_array().unwrap().len(), 3);
    let out = cloudcanvas(&["cost", path(&file), "--compare", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--compare works with"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn validate_exits_1_on_errors_and_0_on_a_sound_design() {
    let dir = tempfile::tempdir().unwrap();
    let sound = dir.path().join("sound.ron");
    let flawed = dir.path().join("flawed.ron");
    for (file, template) in [(&sound, "three-tier"), (&flawed, "flawed-teaching")] {
        assert!(
            cloudcanvas(&["new", "X", "-t", template, "-o", path(file)])
                .status
                .success()
        );
    }
    let out = cloudcanvas(&["validate", path(&sound)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("0 errors, 0 warnings"),
        "{}",
        stdout(&out)
    );
    let out = cloudcanvas(&["validate", path(&flawed)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("SEC001 [security] web-sg allows SSH (port 22) from 0.0.0.0/0")
            && text.contains("why: Port 22 open to 0.0.0.0/0")
            && text.contains(
                "fix: Allow SSH only from the VPC (10.0.0.0/16) (one click in the editor)"
            ),
        "{text}"
    );
    let out = cloudcanvas(&[
        "validate",
        path(&flawed),
        "--format",
        "json",
        "--set",
        "web-sg.inbound=[]",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"SEC001"),
        "--set applies before validating"
    );
    assert!(rules.contains(&"SEC003"));
}

#[test]
fn simulate_reports_and_writes_metrics_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.ron");
    assert!(
        cloudcanvas(&["new", "Shop", "-t", "three-tier", "-o", path(&file)])
            .status
            .success()
    );
    let metrics = dir.path().join("metrics.csv");
    let events = dir.path().join("events.csv");
    let out = cloudcanvas(&[
        "simulate",
        path(&file),
        "--duration",
        "45m",
        "--scenario",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/three-tier-az-outage.scenario.ron"
        ),
        "--metrics",
        path(&metrics),
        "--events",
        path(&events),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Availability:")
            && text.contains("00:10:00  Availability Zone az-a goes down"),
        "{text}"
    );
    assert!(
        stderr(&out).is_empty(),
        "no progress bar in a pipe: {}",
        stderr(&out)
    );
    let m = std::fs::read_to_string(&metrics).unwrap();
    assert!(m.starts_with("seconds,resource,in_service,desired,cpu_percent,backlog_per_instance,requests_per_target,queue_visible,queue_in_flight\n60,app-asg,2,2,"));
    let e = std::fs::read_to_string(&events).unwrap();
    assert!(
        e.contains("600,az-a,Availability Zone az-a goes down"),
        "{e}"
    );
    let out = cloudcanvas(&[
        "simulate",
        path(&file),
        "--duration",
        "5m",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(json["arrived"].as_u64().unwrap() > 10_000);
    let bad = dir.path().join("bad.scenario.ron");
    std::fs::write(
        &bad,
        "(name: \"x\", steps: [(at: \"soon\", action: FailAz(\"az-a\"))])",
    )
    .unwrap();
    let out = cloudcanvas(&["simulate", path(&file), "--scenario", path(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("step at `soon`"), "{}", stderr(&out));
}
