//! `validate --format sarif` read back by `serde-sarif`, whose types are generated from the
//! SARIF 2.1.0 JSON schema: a document that does not follow the schema fails to load.

use std::process::Command;

use serde_json::Value;

#[test]
fn sarif_output_follows_the_schema_and_points_at_the_declaring_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("flawed.ron");
    let exe = env!("CARGO_BIN_EXE_cloudcanvas");
    let made = Command::new(exe)
        .args(["new", "Flawed", "-t", "flawed-teaching", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(made.status.success());
    let out = Command::new(exe)
        .args(["validate", "--format", "sarif"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "errors found: exit 1");
    let text = String::from_utf8(out.stdout).unwrap();
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not SARIF 2.1.0: {e}"));
    let json: Value = serde_json::to_value(&typed).unwrap();
    assert_eq!(json["version"], "2.1.0");
    let run = &json["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 60, "every rule is described");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 34, "12 errors, 15 warnings and 7 notes");
    let source = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0];
        let resource = location["logicalLocations"][0]["name"].as_str().unwrap();
        let line = location["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        assert!(
            lines[line - 1].contains(&format!("id: \"{resource}\"")),
            "line {line} declares {resource}: {}",
            lines[line - 1]
        );
    }
}
