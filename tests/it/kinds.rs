//! Every kind, end to end through the exchange formats: a diagram holding each kind once is
//! exported to CloudFormation and Terraform, and each resource comes out as an AWS
//! resource of a type its catalog entry names, kept in the template's metadata (places and
//! actors), or left out with a stated reason — never dropped without a word. The messages
//! say what to add for a new kind.

use std::collections::BTreeMap;
use std::path::Path;

use cloudcanvas::iac::cfn::{METADATA_KEY, cloudformation};
use cloudcanvas::iac::terraform::terraform;
use cloudcanvas::model::catalog::catalog;
use cloudcanvas::model::{Diagram, Kind};
use serde_json::Value;

fn every_kind() -> Diagram {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-kind.ron");
    let diagram = cloudcanvas::io::load(&path).unwrap();
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| !diagram.resources().any(|r| r.kind() == **k))
        .map(|k| k.name())
        .collect();
    assert!(
        missing.is_empty(),
        "add a resource of each of these kinds to tests/fixtures/every-kind.ron: {missing:?}"
    );
    diagram
}

#[test]
fn every_kind_becomes_a_cloudformation_resource_of_its_catalog_type_or_says_why_not() {
    let diagram = every_kind();
    let export = cloudformation(&diagram);
    // Diagram id → the types of the template resources that carry it.
    let mut written: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut kept = Vec::new();
    for template in export.stacks.values() {
        for entry in template.resources.values() {
            if let Some(id) = entry
                .metadata
                .as_ref()
                .and_then(|m| m.pointer(&format!("/{METADATA_KEY}/Id")))
                .and_then(Value::as_str)
            {
                written
                    .entry(id.to_string())
                    .or_default()
                    .push(entry.kind.clone());
            }
        }
        for list in ["Containers", "Actors", "External"] {
            let described = template.metadata[METADATA_KEY][list].as_array();
            for d in described.into_iter().flatten() {
                kept.extend(d["Id"].as_str().map(str::to_string));
            }
        }
    }
    for r in diagram.resources() {
        let info = catalog().info(r.kind());
        let id = r.id.as_str();
        let skipped = export.skipped.iter().find(|s| s.id == r.id);
        match (written.get(id), skipped) {
            (Some(types), None) => {
                assert_eq!(types.len(), 1, "{id}: one main resource");
                assert!(
                    info.cloudformation.contains(&types[0]),
                    "{} is written as {}: add it to the kind's `cloudformation` in src/model/catalog.ron",
                    info.name,
                    types[0]
                );
            }
            (None, Some(s)) => assert!(
                s.reason.len() > 15 && s.reason != cloudcanvas::iac::NOT_WRITTEN_YET,
                "{}: write it in a family module of src/iac/cfn, or skip it there saying why: {}",
                info.name,
                s.reason
            ),
            (None, None) => assert!(
                kept.iter().any(|k| k == id),
                "{} ({id}) is dropped without a word: write it in a family module of src/iac/cfn, or skip it there with a reason",
                info.name
            ),
            (Some(_), Some(s)) => panic!("{id} is both written and left out: {}", s.reason),
        }
    }
}

#[test]
fn every_kind_becomes_a_terraform_block_of_its_catalog_type_or_says_why_not() {
    let diagram = every_kind();
    let export = terraform(&diagram);
    let body: hcl::Body = hcl::from_str(&export.text).unwrap();
    // Block name → its type, for resource and data blocks.
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for block in body.blocks() {
        if let ["resource" | "data", ..] = [block.identifier()] {
            let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
            if let [kind, name] = labels.as_slice() {
                let kind = if block.identifier() == "data" {
                    format!("data.{kind}")
                } else {
                    kind.to_string()
                };
                blocks.entry(name.to_string()).or_default().push(kind);
            }
        }
    }
    for r in diagram.resources() {
        let info = catalog().info(r.kind());
        let name = cloudcanvas::iac::terraform::snake(r.id.as_str());
        let skipped = export.skipped.iter().find(|s| s.id == r.id);
        let own: Vec<&String> = blocks
            .get(&name)
            .into_iter()
            .flatten()
            .filter(|t| info.terraform.contains(t))
            .collect();
        match (own.as_slice(), skipped) {
            ([_], None) => {}
            ([], Some(s)) => assert!(
                s.reason.len() > 15 && s.reason != cloudcanvas::iac::NOT_WRITTEN_YET,
                "{}: write it in a family module of src/iac/terraform, or skip it there saying why: {}",
                info.name,
                s.reason
            ),
            ([], None) => panic!(
                "{} ({}) has no block named `{name}` of a type in its catalog entry ({:?}; found {:?}): add the type to the kind's `terraform` in src/model/catalog.ron, write it in a family module of src/iac/terraform, or skip it there with a reason",
                info.name,
                r.id,
                info.terraform,
                blocks.get(&name)
            ),
            (found, skipped) => panic!("{}: {found:?} and {skipped:?}", r.id),
        }
    }
}

#[test]
fn a_function_that_rotates_a_secret_may_change_that_secret() {
    let diagram = every_kind();
    // The fixture's database password rotates through the `handler` function.
    let export = cloudformation(&diagram);
    let text = export.home().to_json();
    let template: Value = serde_json::from_str(&text).unwrap();
    let mut found = false;
    for entry in template["Resources"].as_object().unwrap().values() {
        for policy in entry["Properties"]["Policies"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for statement in policy["PolicyDocument"]["Statement"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let actions = statement["Action"].to_string();
                if actions.contains("secretsmanager:PutSecretValue") {
                    assert_eq!(
                        statement["Resource"],
                        serde_json::json!({ "Ref": "DbSecret" })
                    );
                    found = true;
                }
            }
        }
    }
    assert!(found, "the handler's role may put the secret's new value");
    let tf = terraform(&diagram).text;
    assert!(
        tf.contains("secretsmanager:PutSecretValue")
            && tf.contains("aws_secretsmanager_secret.db_secret.arn"),
        "{tf}"
    );
}
