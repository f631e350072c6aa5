//! CloudFormation exports checked by AWS's own linter, cfn-lint: every template's stacks
//! (JSON and YAML) and a diagram holding one resource of every kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use cloudcanvas::iac::cfn::cloudformation;
use cloudcanvas::model::{Diagram, Kind};

use crate::py_tools;

/// Errors cfn-lint reports, as (file stem, rule id, message).
fn lint(tools: &Path, files: &[PathBuf]) -> Vec<(String, String, String)> {
    let output = Command::new(tools.join("cfn-lint"))
        .args(["--format", "json"])
        .args(files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let findings: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "cfn-lint printed no JSON ({e}): {text} {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["Level"] == "Error")
        .map(|f| {
            let file = Path::new(f["Filename"].as_str().unwrap());
            let stem = file.file_name().unwrap().to_string_lossy().into_owned();
            (
                stem,
                f["Rule"]["Id"].as_str().unwrap().to_string(),
                f["Message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Writes every stack of `diagram` as YAML and as JSON into `dir`, named after `name`.
fn write_stacks(dir: &Path, name: &str, diagram: &Diagram) -> Vec<PathBuf> {
    let export = cloudformation(diagram);
    let mut files = Vec::new();
    for (region, template) in &export.stacks {
        for (ext, text) in [("yaml", template.to_yaml()), ("json", template.to_json())] {
            let path = dir.join(format!("{name}.{region}.{ext}"));
            std::fs::write(&path, text).unwrap();
            files.push(path);
        }
    }
    files
}

#[test]
fn every_template_exports_cloudformation_that_cfn_lint_accepts() {
    let Some(tools) =
        py_tools::tools("every_template_exports_cloudformation_that_cfn_lint_accepts")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        files.extend(write_stacks(dir.path(), template.name, diagram));
    }
    let errors = lint(tools, &files);
    let mut by_template: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, rule, message) in &errors {
        let template = file.split('.').next().unwrap().to_string();
        by_template
            .entry(template)
            .or_default()
            .insert(rule.clone());
        if !file.starts_with("flawed-teaching.") {
            panic!("{file}: {rule} {message}");
        }
    }
    // The flawed teaching template keeps its flaws in the export; cfn-lint finds the
    // same ones the validator teaches: overlapping subnets (NET004), a load balancer in
    // one AZ (REL002) and an invalid bucket name (STO001). Nothing else.
    let flawed: BTreeSet<String> = ["E1161", "E3031", "E3060", "E3680"]
        .map(String::from)
        .into();
    assert_eq!(
        by_template.get("flawed-teaching"),
        Some(&flawed),
        "{errors:?}"
    );
    let diagram = &cloudcanvas::library::templates::loaded()
        .iter()
        .find(|(t, _)| t.name == "flawed-teaching")
        .unwrap()
        .1;
    let report = cloudcanvas::validate::validate(diagram);
    let codes: BTreeSet<String> = report.findings.iter().map(|f| f.rule.to_string()).collect();
    for code in ["NET004", "REL002", "STO001"] {
        assert!(
            codes.contains(code),
            "the validator names {code}: {codes:?}"
        );
    }
}

#[test]
fn a_diagram_of_every_kind_exports_cloudformation_that_cfn_lint_accepts() {
    // With a function reaching every service it needs IAM permission for, so that the
    // checker also sees each permission's resource.
    let (diagram, _) = crate::kinds::function_reaching_every_service();
    let kinds: BTreeSet<Kind> = diagram.resources().map(|r| r.kind()).collect();
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| !kinds.contains(k))
        .map(|k| k.name())
        .collect();
    assert!(missing.is_empty(), "the fixture lacks {missing:?}");

    let export = cloudformation(&diagram);
    // What CloudFormation cannot create is named, each with its reason.
    let skipped: BTreeSet<&str> = export.skipped.iter().map(|s| s.id.as_str()).collect();
    let expected: BTreeSet<&str> = ["dx", "ledger", "readonly", "root", "scratch", "vault"].into();
    assert_eq!(skipped, expected);
    assert!(export.skipped.iter().all(|s| s.reason.len() > 20));

    let Some(tools) =
        py_tools::tools("a_diagram_of_every_kind_exports_cloudformation_that_cfn_lint_accepts")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_stacks(dir.path(), "every-kind", &diagram);
    let errors = lint(tools, &files);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_command_line_writes_a_stack_per_region_and_names_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cloudcanvas"))
            .args(args)
            .output()
            .unwrap()
    };
    let file = dir.path().join("dr.ron");
    let made = run(&[
        "new",
        "-t",
        "multi-region-failover",
        "-o",
        file.to_str().unwrap(),
        "DR",
    ]);
    assert_eq!(made.status.code(), Some(0));
    let out = dir.path().join("dr.json");
    let said = run(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        said.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    let home: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let west: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("dr.us-west-2.json")).unwrap())
            .unwrap();
    assert_eq!(
        home["Resources"]["EastAlb"]["Type"],
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
    );
    assert_eq!(
        west["Resources"]["WestAlb"]["Type"],
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
    );
    let text = String::from_utf8_lossy(&said.stdout);
    assert!(text.contains("Create the first stack first"), "{text}");

    // A name without a known extension needs --format; the message says so.
    let lab = dir.path().join("lab.ron");
    run(&["new", "-t", "hybrid", "-o", lab.to_str().unwrap(), "Hybrid"]);
    let unknown = run(&[
        "export",
        lab.to_str().unwrap(),
        "-o",
        dir.path().join("x.out").to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--format"));
    let yaml = dir.path().join("hybrid.yaml");
    let said = run(&[
        "export",
        lab.to_str().unwrap(),
        "-o",
        yaml.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&said.stdout);
    assert!(
        text.contains("Not exported: dx: a Direct Connect connection"),
        "{text}"
    );
    let parsed: serde_json::Value =
        serde_norway::from_str(&std::fs::read_to_string(&yaml).unwrap()).unwrap();
    assert_eq!(
        parsed["Resources"]["Vpn"]["Type"],
        "AWS::EC2::VPNConnection"
    );
}

#[test]
fn a_vpc_made_elsewhere_exports_as_a_parameter_that_cfn_lint_accepts() {
    let diagram = super::sim_support::template("three-tier", &["vpc.made_elsewhere=true"]);
    let Some(tools) =
        py_tools::tools("a_vpc_made_elsewhere_exports_as_a_parameter_that_cfn_lint_accepts")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_stacks(dir.path(), "made-elsewhere", &diagram);
    let errors = lint(tools, &files);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_function_putting_events_on_the_default_bus_is_granted_its_arn_and_cfn_lint_accepts_it() {
    let (diagram, _) = crate::kinds::function_reaching_every_service();
    let diagram = crate::sim_support::with(diagram, &["bus.default_bus=true"]);
    let text = cloudformation(&diagram).home().to_json();
    assert!(
        text.contains(
            "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
        ),
        "the account's default bus, which the stack does not create, is named by its ARN"
    );
    let Some(tools) = py_tools::tools(
        "a_function_putting_events_on_the_default_bus_is_granted_its_arn_and_cfn_lint_accepts_it",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_stacks(dir.path(), "default-bus", &diagram);
    let errors = lint(tools, &files);
    assert!(errors.is_empty(), "{errors:#?}");
}
