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

/// Each service's IAM action prefix (AWS's Service Authorization Reference) for the kinds a
/// compute resource reaches through IAM rather than over the network alone.
const IAM_PREFIXES: &[(Kind, &str)] = &[
    (Kind::DynamoDbTable, "dynamodb"),
    (Kind::S3Bucket, "s3"),
    (Kind::SqsQueue, "sqs"),
    (Kind::SnsTopic, "sns"),
    (Kind::SecretsManagerSecret, "secretsmanager"),
    (Kind::LambdaFunction, "lambda"),
    (Kind::KmsKey, "kms"),
    (Kind::EventBridgeBus, "events"),
    (Kind::StepFunctionsStateMachine, "states"),
    (Kind::CloudWatchLogGroup, "logs"),
    (Kind::AthenaWorkgroup, "athena"),
    (Kind::KeyspacesTable, "cassandra"),
    (Kind::EcrRepository, "ecr"),
    (Kind::TimestreamDatabase, "timestream"),
];

/// The every-kind fixture with a traffic link from the `vpc-fn` function (which takes the
/// `fn-role` role) to one resource of each kind in [`IAM_PREFIXES`]; returns the targets'
/// ids with their prefixes.
pub(crate) fn function_reaching_every_service() -> (Diagram, Vec<(String, &'static str)>) {
    use cloudcanvas::model::{Link, LinkKind, ResourceId};
    let mut diagram = every_kind();
    let mut targets = Vec::new();
    for (kind, prefix) in IAM_PREFIXES {
        let target = diagram
            .resources()
            .find(|r| r.kind() == *kind && r.id.as_str() != "vpc-fn")
            .map(|r| r.id.clone())
            .unwrap();
        let link = Link::new(
            ResourceId::new("vpc-fn").unwrap(),
            target.clone(),
            LinkKind::Traffic,
        );
        if !diagram.links().iter().any(|l| l.same_as(&link)) {
            diagram
                .add_link(link)
                .unwrap_or_else(|e| panic!("a function may send traffic to {kind:?}: {e}"));
        }
        targets.push((target.to_string(), *prefix));
    }
    (diagram, targets)
}

/// Every statement of every inline policy in a CloudFormation template.
fn statements(template: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for entry in template["Resources"].as_object().unwrap().values() {
        for policy in entry["Properties"]["Policies"]
            .as_array()
            .into_iter()
            .flatten()
        {
            out.extend(
                policy["PolicyDocument"]["Statement"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            );
        }
    }
    out
}

#[test]
fn a_role_may_use_every_service_its_function_s_traffic_links_reach_in_both_exports() {
    let (diagram, targets) = function_reaching_every_service();
    let template: Value = serde_json::from_str(&cloudformation(&diagram).home().to_json()).unwrap();
    let statements = statements(&template);
    let tf = terraform(&diagram).text;
    for (id, prefix) in &targets {
        let logical = cloudcanvas::iac::logical_id(id);
        // The keyspace's name stands for a Keyspaces table, whose own name is generated.
        let named = cloudcanvas::iac::terraform::snake(id);
        let found = statements.iter().any(|s| {
            let resource = s["Resource"].to_string();
            s["Action"].to_string().contains(&format!("\"{prefix}:"))
                && (resource.contains(&logical) || resource.contains(&format!("/{named}/")))
        });
        assert!(
            found,
            "a statement lets fn-role use {id} ({prefix}:…): {statements:#?}"
        );
        assert!(
            tf.contains(&format!("\"{prefix}:")) && tf.contains(&format!(".{named}.arn")),
            "Terraform lets fn-role use {id} ({prefix}:…)"
        );
    }
}

#[test]
fn an_ecs_service_pulls_its_images_with_the_execution_role_not_its_task_role() {
    // The containers template's service pulls from the `images` repository.
    let diagram = crate::sim_support::template("containers", &[]);
    let template: Value = serde_json::from_str(&cloudformation(&diagram).home().to_json()).unwrap();
    let statements = statements(&template);
    assert!(
        !statements
            .iter()
            .any(|s| s["Action"].to_string().contains("ecr:")),
        "no inline ECR statement: {statements:#?}"
    );
    let resources = template["Resources"].as_object().unwrap();
    let task_definition = resources
        .values()
        .find(|r| r["Type"] == "AWS::ECS::TaskDefinition")
        .unwrap();
    let role = task_definition["Properties"]["ExecutionRoleArn"]["Fn::GetAtt"][0]
        .as_str()
        .unwrap();
    let execution = resources[role]["Properties"]["ManagedPolicyArns"].to_string();
    assert!(
        execution.contains("AmazonECSTaskExecutionRolePolicy"),
        "the execution role carries AWS's policy that grants image pulls: {execution}"
    );
    assert!(!terraform(&diagram).text.contains("ecr:BatchGetImage"));
}

#[test]
fn a_queue_fed_by_a_topic_and_an_event_rule_consents_to_both_in_its_one_policy() {
    // In the fixture, `queue` takes the `topic`'s messages and the `bus`'s rule's events,
    // and the rule also publishes to `topic`. A queue or topic has one resource policy:
    // a second policy resource would replace the first.
    let diagram = every_kind();
    let template: Value = serde_json::from_str(&cloudformation(&diagram).home().to_json()).unwrap();
    let resources = template["Resources"].as_object().unwrap();
    let policies_of = |kind: &str, key: &str, logical: &str| -> Vec<&Value> {
        resources
            .values()
            .filter(|r| r["Type"] == kind)
            .filter(|r| r["Properties"][key][0]["Ref"] == logical)
            .collect()
    };
    let queue = policies_of("AWS::SQS::QueuePolicy", "Queues", "Queue");
    assert_eq!(queue.len(), 1, "one policy for the queue");
    let mut principals: Vec<String> = queue[0]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Principal"]["Service"].as_str().unwrap().to_string())
        .collect();
    principals.sort();
    assert_eq!(principals, ["events.amazonaws.com", "sns.amazonaws.com"]);
    let topic = policies_of("AWS::SNS::TopicPolicy", "Topics", "Topic");
    assert_eq!(topic.len(), 1, "the topic consents to the rule");
    let statement = &topic[0]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], "sns:Publish");
    assert_eq!(
        statement["Condition"]["ArnEquals"]["aws:SourceArn"]["Fn::GetAtt"][0],
        "BusRule1"
    );

    let tf = terraform(&diagram).text;
    assert_eq!(
        tf.matches("resource \"aws_sqs_queue_policy\"").count(),
        1,
        "{tf}"
    );
    assert_eq!(
        tf.matches("resource \"aws_sns_topic_policy\"").count(),
        1,
        "{tf}"
    );
    assert!(tf.contains("source_arn") || tf.contains("aws:SourceArn"));
}
