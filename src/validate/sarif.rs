//! Findings as SARIF 2.1.0 (the Static Analysis Results Interchange Format), which code
//! scanning tools read. Each result points at the line of the save file that declares the
//! resource.

use serde_json::{Value, json};

use super::{Report, Severity, rules};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The line (1-based) declaring each resource id in a save file's text.
fn declaration_lines(text: &str) -> std::collections::HashMap<String, usize> {
    let mut lines = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("id: \"") {
            let after = &rest[at + 5..];
            let Some(end) = after.find('"') else { break };
            lines.entry(after[..end].to_owned()).or_insert(n + 1);
            rest = &after[end..];
        }
    }
    lines
}

/// The report as one SARIF log. `uri` names the diagram file; `text` is its content, for
/// line numbers.
pub fn to_sarif(report: &Report, uri: &str, text: Option<&str>) -> Value {
    let lines = text.map(declaration_lines).unwrap_or_default();
    let all = rules();
    let index_of = |id: &str| all.iter().position(|r| r.id == id);
    let driver_rules: Vec<Value> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.why },
                "help": { "text": r.fix },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": [r.pillar.label()] },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut physical = json!({ "artifactLocation": { "uri": uri, "index": 0 } });
            if let Some(line) = f.resources.first().and_then(|id| lines.get(id.as_str())) {
                physical["region"] = json!({ "startLine": line });
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": f.resources.iter().map(|id| json!({
                        "name": id.as_str(),
                        "kind": "resource",
                    })).collect::<Vec<_>>(),
                }],
            });
            if let Some(i) = index_of(f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &f.fix {
                result["properties"] = json!({ "fix": fix.label });
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cloudcanvas",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": driver_rules,
                }
            },
            "artifacts": [{ "location": { "uri": uri } }],
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::declaration_lines;

    #[test]
    fn resources_are_found_on_the_line_that_declares_them() {
        let text = "(\n  resources: [\n    (id: \"vpc\", config: Vpc()),\n    (id: \"web\", parent: \"vpc\"),\n  ],\n)";
        let lines = declaration_lines(text);
        assert_eq!(lines["vpc"], 3);
        assert_eq!(lines["web"], 4);
    }
}
