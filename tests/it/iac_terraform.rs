//! Terraform exports read by an independent HCL parser (python-hcl2): every template and a
//! diagram of every kind parse, declare the resources the export counted, and refer only
//! to resources, data sources, variables and providers they declare.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use cloudcanvas::iac::terraform::terraform;
use cloudcanvas::model::Diagram;

use crate::py_tools;

/// Parses `file` with python-hcl2; returns (declared addresses, referenced addresses).
fn parse(tools: &Path, file: &Path) -> (BTreeSet<String>, BTreeSet<String>, usize) {
    let script = r#"
import hcl2, json, re, sys
with open(sys.argv[1]) as f:
    doc = hcl2.load(f)
declared, refs, count = set(), set(), 0
unq = lambda s: s.strip('"')
for block in doc.get("resource", []):
    for kind, named in block.items():
        for name in named:
            declared.add(f"{unq(kind)}.{unq(name)}"); count += 1
for block in doc.get("data", []):
    for kind, named in block.items():
        for name in named:
            declared.add(f"data.{unq(kind)}.{unq(name)}")
for block in doc.get("variable", []):
    for name in block:
        declared.add(f"var.{unq(name)}")
for block in doc.get("provider", []):
    for body in block.values():
        declared.add("aws." + unq(body.get("alias", "aws")))
def walk(v):
    if isinstance(v, dict):
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, str):
        for m in re.finditer(r"\$\{([^}]*)\}", v):
            for r in re.finditer(r"\b((?:data\.)?aws_[a-z0-9_]+\.[a-z0-9_]+|var\.[a-z0-9_]+|aws\.[a-z0-9_]+)", m.group(1)):
                refs.add(r.group(1))
walk(doc.get("resource", [])); walk(doc.get("data", []))
print(json.dumps({"declared": sorted(declared), "refs": sorted(refs), "count": count}))
"#;
    let output = Command::new(tools.join("python"))
        .arg("-c")
        .arg(script)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python-hcl2 rejects {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let set = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    (
        set("declared"),
        set("refs"),
        v["count"].as_u64().unwrap() as usize,
    )
}

fn check(tools: &Path, name: &str, diagram: &Diagram) {
    let export = terraform(diagram);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.tf"));
    std::fs::write(&file, &export.text).unwrap();
    let (declared, refs, count) = parse(tools, &file);
    assert_eq!(count, export.resources, "{name}: resource blocks");
    let dangling: Vec<&String> = refs
        .iter()
        .filter(|r| !declared.contains(*r) && *r != "aws.aws")
        .collect();
    assert!(
        dangling.is_empty(),
        "{name}: refers to undeclared {dangling:?}"
    );
    // Every diagram resource not listed as left out has its resource.
    let skipped: BTreeSet<&str> = export.skipped.iter().map(|s| s.id.as_str()).collect();
    for r in diagram
        .resources()
        .filter(|r| !skipped.contains(r.id.as_str()))
    {
        let name =
            r.id.as_str()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        assert!(
            declared.iter().any(|d| d.ends_with(&format!(".{name}"))),
            "{name}: {} has its own main block, named after it (not only derived ones)",
            r.id
        );
    }
}

#[test]
fn every_template_exports_terraform_that_python_hcl2_reads() {
    let Some(tools) = py_tools::tools("every_template_exports_terraform_that_python_hcl2_reads")
    else {
        return;
    };
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        check(tools, template.name, diagram);
    }
}

#[test]
fn a_diagram_of_every_kind_exports_terraform_that_python_hcl2_reads() {
    // With a function reaching every service it needs IAM permission for, so that the
    // checker also sees each permission's resource.
    let (diagram, _) = crate::kinds::function_reaching_every_service();
    let export = terraform(&diagram);
    let skipped: BTreeSet<&str> = export.skipped.iter().map(|s| s.id.as_str()).collect();
    // Terraform also creates the Glacier vault that CloudFormation cannot.
    let expected: BTreeSet<&str> = [
        "dx", "ledger", "readonly", "root", "scratch", "users", "office", "region", "az-a", "az-b",
        "ovpc-az",
    ]
    .into();
    assert_eq!(skipped, expected);
    let Some(tools) =
        py_tools::tools("a_diagram_of_every_kind_exports_terraform_that_python_hcl2_reads")
    else {
        return;
    };
    check(tools, "every-kind", &diagram);
}

#[test]
fn a_vpc_made_elsewhere_is_read_by_a_data_source_from_a_variable() {
    let diagram = super::sim_support::template("three-tier", &["vpc.made_elsewhere=true"]);
    let text = terraform(&diagram).text;
    assert!(
        !text.contains("resource \"aws_vpc\""),
        "not created:\n{text}"
    );
    assert!(text.contains("data \"aws_vpc\" \"vpc\""), "{text}");
    assert!(text.contains("variable \"vpc_id\""), "{text}");
    assert!(text.contains("id = var.vpc_id"), "{text}");
    assert!(
        text.contains("vpc_id = data.aws_vpc.vpc.id"),
        "subnets in it:\n{text}"
    );
    // The flow logs the design asks for are still attached to it.
    assert!(text.contains("resource \"aws_flow_log\""), "{text}");
    let Some(tools) =
        py_tools::tools("a_vpc_made_elsewhere_is_read_by_a_data_source_from_a_variable")
    else {
        return;
    };
    check(tools, "made-elsewhere", &diagram);
}

#[test]
fn the_default_event_bus_is_read_by_a_data_source_that_a_function_s_permission_names() {
    let (diagram, _) = crate::kinds::function_reaching_every_service();
    let diagram = crate::sim_support::with(diagram, &["bus.default_bus=true"]);
    let export = terraform(&diagram);
    assert!(
        export
            .text
            .contains("data \"aws_cloudwatch_event_bus\" \"bus\""),
        "{}",
        export.text
    );
    assert!(
        export
            .text
            .contains("Resource = data.aws_cloudwatch_event_bus.bus.arn")
    );
    assert!(
        !export.skipped.iter().any(|s| s.id.as_str() == "bus"),
        "read, not left out"
    );
    let Some(tools) = py_tools::tools(
        "the_default_event_bus_is_read_by_a_data_source_that_a_function_s_permission_names",
    ) else {
        return;
    };
    check(tools, "default-bus", &diagram);
}
