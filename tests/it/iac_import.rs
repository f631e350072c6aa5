//! CloudFormation read back: every template exported, parsed from its text and imported
//! gives the same resources, containment, links and layout; without this program's
//! metadata the import still finds the resources, where they sit, and the links the
//! templates' references express.

use std::collections::BTreeSet;

use cloudcanvas::iac::cfn::cloudformation;
use cloudcanvas::iac::cfn_import::{Source, import, parse};
use cloudcanvas::model::{Diagram, Kind};
use serde_json::Value;

type Shape = BTreeSet<(String, String, String)>;

/// Fails naming only what differs.
fn assert_same(got: &Shape, want: &Shape, what: &str) {
    let extra: Vec<_> = got.difference(want).collect();
    let missing: Vec<_> = want.difference(got).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what}: extra {extra:?}, missing {missing:?}"
    );
}

/// (id, kind, parent) of each resource.
fn resources(d: &Diagram) -> Shape {
    d.resources()
        .map(|r| {
            let parent = r.parent.as_ref().map_or(String::new(), |p| p.to_string());
            (r.id.to_string(), r.kind().name().to_string(), parent)
        })
        .collect()
}

/// (from, to, kind + label) of each link.
fn links(d: &Diagram) -> Shape {
    d.links()
        .iter()
        .map(|l| {
            (
                l.from.to_string(),
                l.to.to_string(),
                format!("{:?} {}", l.kind, l.label),
            )
        })
        .collect()
}

/// The templates of `d` as text (YAML, or JSON when `json`), read back, each with the
/// Region its stack is for.
fn round_trip_values(d: &Diagram, json: bool) -> Vec<Source> {
    cloudformation(d)
        .stacks
        .iter()
        .map(|(region, t)| Source {
            template: parse(&if json { t.to_json() } else { t.to_yaml() }).unwrap(),
            region: Some(region.clone()),
        })
        .collect()
}

fn strip_metadata(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("Metadata");
    }
    if let Some(resources) = value.get_mut("Resources").and_then(Value::as_object_mut) {
        for r in resources.values_mut() {
            r.as_object_mut().map(|m| m.remove("Metadata"));
        }
    }
}

#[test]
fn every_template_comes_back_from_its_cloudformation() {
    for (template, original) in cloudcanvas::library::templates::loaded() {
        let export = cloudformation(original);
        let skipped: BTreeSet<String> = export.skipped.iter().map(|s| s.id.to_string()).collect();
        for json in [false, true] {
            let imported = import(round_trip_values(original, json)).unwrap().diagram;
            let mut want = resources(original);
            want.retain(|(id, _, _)| !skipped.contains(id));
            assert_same(
                &resources(&imported),
                &want,
                &format!("{}: resources", template.name),
            );
            let mut want = links(original);
            want.retain(|(f, t, _)| !skipped.contains(f) && !skipped.contains(t));
            assert_same(
                &links(&imported),
                &want,
                &format!("{}: links", template.name),
            );
            // What the validator says of the design is what it says of the import, but
            // for the resources CloudFormation has no counterpart for.
            let findings = |d: &Diagram| -> BTreeSet<(String, Vec<String>)> {
                cloudcanvas::validate::validate(d)
                    .findings
                    .iter()
                    .filter(|f| f.resources.iter().all(|r| !skipped.contains(r.as_str())))
                    .map(|f| {
                        (
                            f.rule.to_string(),
                            f.resources.iter().map(|r| r.to_string()).collect(),
                        )
                    })
                    .collect()
            };
            assert_eq!(
                findings(&imported),
                findings(original),
                "{}: findings",
                template.name
            );
            for r in imported.resources() {
                let before = original.resource(r.id.as_str()).unwrap();
                assert!(
                    (r.rect.x - before.rect.x).abs() <= 0.5
                        && (r.rect.w - before.rect.w).abs() <= 0.5,
                    "{}: {} keeps its place",
                    template.name,
                    r.id
                );
                assert_eq!(r.name, before.name);
            }
        }
    }
}

/// An id as a logical id keeps it: without its hyphens (`app-1` and `app1` are both `App1`).
fn norm(id: &str) -> String {
    id.replace('-', "")
}

/// Links between AWS resources (not actors), by normalised ids.
fn aws_links(d: &Diagram, skipped: &BTreeSet<String>) -> BTreeSet<(String, String, String)> {
    d.links()
        .iter()
        .filter(|l| {
            [&l.from, &l.to].iter().all(|id| {
                !skipped.contains(id.as_str())
                    && d.resource(id.as_str()).is_some_and(|r| {
                        !matches!(r.kind(), Kind::Users | Kind::OnPremisesDataCenter)
                    })
            })
        })
        .map(|l| {
            (
                norm(l.from.as_str()),
                norm(l.to.as_str()),
                format!("{:?}", l.kind),
            )
        })
        .collect()
}

#[test]
fn without_metadata_the_import_infers_resources_containment_and_links() {
    // Links no reference expresses: the serverless ingest function names its queue by an
    // ARN with the queue's name, which the template leaves to CloudFormation; a role
    // linked to a group reaches it through the group's launch template, so it reads as
    // attached to the template; the flawed design opens its database to the whole internet
    // and gives its servers keys instead of a role, so nothing ties them to what they use.
    let unexpressed: BTreeSet<(String, String, String)> = [
        ("ingestfn", "jobs", "Traffic"),
        ("workerrole", "workers", "Attachment"),
        ("adminbox", "db", "Traffic"),
        ("webasg", "db", "Traffic"),
        ("webasg", "assets", "Traffic"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    for (template, original) in cloudcanvas::library::templates::loaded() {
        let export = cloudformation(original);
        let skipped: BTreeSet<String> = export.skipped.iter().map(|s| s.id.to_string()).collect();
        let mut values = round_trip_values(original, false);
        values
            .iter_mut()
            .for_each(|s| strip_metadata(&mut s.template));
        let imported = import(values).unwrap().diagram;
        let find = |id: &str| {
            imported
                .resources()
                .find(|r| norm(r.id.as_str()) == norm(id))
        };
        // The same AWS resources, under the ids their logical ids spell.
        let aws = |d: &Diagram| -> BTreeSet<(String, String)> {
            d.resources()
                .filter(|r| {
                    !matches!(
                        r.kind(),
                        Kind::Users
                            | Kind::OnPremisesDataCenter
                            | Kind::Region
                            | Kind::AvailabilityZone
                    )
                })
                .filter(|r| !skipped.contains(r.id.as_str()))
                .map(|r| (norm(r.id.as_str()), r.kind().name().to_string()))
                .collect()
        };
        // Roles and launch templates the export made (for flow logs, functions, a group
        // naming only an instance type) are resources of the template like any other.
        let mut got = aws(&imported);
        let want = aws(original);
        got.retain(|(id, kind)| {
            !["IamRole", "LaunchTemplate"].contains(&kind.as_str())
                || want.iter().any(|(w, _)| w == id)
        });
        assert_eq!(got, want, "{}", template.name);
        for r in original
            .resources()
            .filter(|r| !skipped.contains(r.id.as_str()))
        {
            let Some(mine) = find(r.id.as_str()) else {
                continue;
            };
            let parent = |d: &Diagram, x: &cloudcanvas::model::Resource| {
                x.parent
                    .as_ref()
                    .and_then(|p| d.resource(p.as_str()))
                    .map(|p| (p.kind(), p.name.clone(), norm(p.id.as_str())))
            };
            let (want, got) = (parent(original, r), parent(&imported, mine));
            match r.kind() {
                Kind::Users
                | Kind::OnPremisesDataCenter
                | Kind::Region
                | Kind::AvailabilityZone => {}
                // A subnet sits in a zone of the same name in the same VPC.
                Kind::Subnet => {
                    let vpc = |d: &Diagram, id: &str| {
                        d.enclosing(id, Kind::Vpc).map(|v| norm(v.id.as_str()))
                    };
                    assert_eq!(
                        want.map(|w| w.1),
                        got.map(|g| g.1),
                        "{}: {}",
                        template.name,
                        r.id
                    );
                    assert_eq!(
                        vpc(original, r.id.as_str()),
                        vpc(&imported, mine.id.as_str())
                    );
                }
                // Regional services sit in a Region; everything else in the same container.
                _ if want.as_ref().is_some_and(|w| w.0 == Kind::Region) => {
                    assert_eq!(
                        got.map(|g| g.0),
                        Some(Kind::Region),
                        "{}: {}",
                        template.name,
                        r.id
                    );
                }
                _ => assert_eq!(got, want, "{}: {}", template.name, r.id),
            }
        }
        // Every link between AWS resources comes back from the references but those no
        // reference expresses.
        let want = aws_links(original, &skipped);
        let got = aws_links(&imported, &skipped);
        let missing: BTreeSet<_> = want.difference(&got).cloned().collect();
        assert!(
            missing.is_subset(&unexpressed),
            "{}: missing {missing:?}",
            template.name
        );
    }
}

#[test]
fn a_diagram_of_every_kind_comes_back_from_its_cloudformation() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-kind.ron");
    let original = cloudcanvas::io::load(&path).unwrap();
    let skipped: BTreeSet<String> = cloudformation(&original)
        .skipped
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    let imported = import(round_trip_values(&original, false)).unwrap();
    assert!(
        imported.unsupported.is_empty(),
        "{:?}",
        imported.unsupported
    );
    let mut want = resources(&original);
    want.retain(|(id, _, _)| !skipped.contains(id));
    assert_same(&resources(&imported.diagram), &want, "resources");
    let mut want = links(&original);
    want.retain(|(f, t, _)| !skipped.contains(f) && !skipped.contains(t));
    assert_same(&links(&imported.diagram), &want, "links");
    // Without the metadata's stored links, the references alone give back the drawn links
    // between AWS resources, but for those no reference expresses.
    let mut values = round_trip_values(&original, false);
    values
        .iter_mut()
        .for_each(|s| strip_metadata(&mut s.template));
    let inferred = import(values).unwrap().diagram;
    let want = aws_links(&original, &skipped);
    let got = aws_links(&inferred, &skipped);
    assert!(
        want.len() > 30,
        "the fixture draws many links: {}",
        want.len()
    );
    let missing: Vec<_> = want.difference(&got).collect();
    assert_eq!(
        missing,
        Vec::<&(String, String, String)>::new(),
        "links no reference gives back"
    );
    // Settings come back from the properties: a few of each family.
    let config = |id: &str| imported.diagram.resource(id).unwrap().config.to_json();
    let before = |id: &str| original.resource(id).unwrap().config.to_json();
    for (id, field) in [
        ("vpc", "cidr"),
        ("vpc", "flow_logs"),
        ("pub-a", "tier"),
        ("pub-a", "route_table"),
        ("pub-a", "network_acl"),
        ("priv-rt", "routes"),
        ("acl", "inbound"),
        ("app-sg", "inbound"),
        ("app-sg", "outbound"),
        ("lb-sg", "inbound"),
        ("alb", "listeners"),
        ("alb", "stickiness"),
        ("alb", "slow_start_secs"),
        ("alb", "waf"),
        ("asg", "scaling_policies"),
        ("asg", "min_size"),
        ("asg", "scheduled_actions"),
        ("spot-asg", "purchase_option"),
        ("spot-asg", "az_distribution"),
        ("bastion", "public_ip"),
        ("bastion", "key_pair"),
        ("worker", "purchase_option"),
        ("lt", "cpu_credits"),
        ("lt", "user_data"),
        ("handler", "provisioned_concurrency"),
        ("handler", "architecture"),
        ("db", "engine"),
        ("db", "multi_az"),
        ("db", "force_ssl"),
        ("db", "subnets"),
        ("db", "kms_key"),
        ("aurora", "serverless"),
        ("aurora", "io_optimized"),
        ("table", "sort_key"),
        ("table", "capacity_mode"),
        ("table", "streams"),
        ("global-table", "replica_regions"),
        ("redis", "shards"),
        ("redis", "replicas_per_shard"),
        ("memcached", "engine"),
        ("queue", "dead_letter_queue"),
        ("fifo", "fifo"),
        ("site", "lifecycle_rules"),
        ("site", "kms_key"),
        ("site", "access_log_bucket"),
        ("rest-api", "api_type"),
        ("rest-api", "caching"),
        ("ws-api", "api_type"),
        ("alarm", "watched"),
        ("alarm", "threshold"),
        ("cdn", "origin_access"),
        ("cdn", "certificate"),
        ("dns", "records"),
        ("service", "target_cpu_percent"),
        ("eks", "launch_type"),
        ("efs", "mount_target_subnets"),
        ("edge-waf", "rate_limit_per_5_min"),
        ("disk", "iops"),
        ("cgw", "bgp_asn"),
        ("ops-user", "access_keys"),
        ("app-policy", "statements"),
        ("db-secret", "rotation_days"),
        ("workflow", "logging"),
        ("bus", "rules"),
        ("workflow", "tracing"),
        ("workflow", "workflow_type"),
        ("db-secret", "kms_key"),
        ("db-secret", "replica_regions"),
    ] {
        assert_eq!(config(id)[field], before(id)[field], "{id}.{field}");
    }
    // A container's image comes from the repository the service pulls from.
    let container = &config("task")["containers"][0];
    assert_eq!(
        (container["name"].as_str(), container["port"].as_u64()),
        (Some("web"), Some(8080))
    );
    assert_eq!(container["image"], "repo:1.0");
}

#[test]
fn a_template_written_by_hand_is_drawn_with_what_it_does_not_know_listed() {
    let text = r#"
AWSTemplateFormatVersion: '2010-09-09'
Description: A small web server
Resources:
  WebVpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.8.0.0/16 }
  SubnetOne:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref WebVpc
      CidrBlock: 10.8.1.0/24
      AvailabilityZone: !Select [1, !GetAZs '']
      MapPublicIpOnLaunch: true
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Web
      VpcId: !Ref WebVpc
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }]
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.small
      SubnetId: !Ref SubnetOne
      SecurityGroupIds: [!GetAtt WebSg.GroupId]
      Tags: [{ Key: Name, Value: Web server }]
  Assets:
    Type: AWS::S3::Bucket
  Nightly:
    Type: AWS::Glue::Job
    Properties: { Command: { Name: glueetl }, Role: glue-role }
"#;
    let imported = cloudcanvas::iac::cfn_import::import_str(text, "web.yaml").unwrap();
    let d = &imported.diagram;
    assert_eq!(
        imported.unsupported,
        vec![("Nightly".to_string(), "AWS::Glue::Job".to_string())]
    );
    let web = d.resource("web").unwrap();
    assert_eq!(web.kind(), Kind::Ec2Instance);
    assert_eq!(web.name, "Web server");
    assert_eq!(web.parent.as_ref().unwrap().as_str(), "subnet-one");
    let zone = d.enclosing("subnet-one", Kind::AvailabilityZone).unwrap();
    assert_eq!(zone.name, "us-east-1b", "the second zone of the Region");
    assert_eq!(
        d.enclosing("subnet-one", Kind::Vpc).unwrap().id.as_str(),
        "web-vpc"
    );
    assert_eq!(
        d.resource("assets")
            .unwrap()
            .parent
            .as_ref()
            .unwrap()
            .as_str(),
        "region"
    );
    let config = web.config.to_json();
    assert_eq!(config["ami"], "ami-0123456789abcdef0");
    assert_eq!(config["security_groups"][0], "web-sg");
    assert_eq!(
        d.resource("subnet-one").unwrap().config.to_json()["tier"],
        "Public"
    );
    // Laid out: every resource has a place, and the instance sits inside its subnet.
    assert!(d.resources().all(|r| !r.rect.is_unplaced()));
    let subnet = d.resource("subnet-one").unwrap().rect;
    assert!(
        subnet.contains_rect(&web.rect),
        "{subnet:?} holds {:?}",
        web.rect
    );
}

#[test]
fn unreadable_templates_say_where_and_why() {
    let error =
        cloudcanvas::iac::cfn_import::import_str("Resources:\n  A: [\n", "bad.yaml").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("bad.yaml: line "), "{text}");
    let error =
        cloudcanvas::iac::cfn_import::import_str("{\"Resources\": {}}", "empty.json").unwrap_err();
    assert!(error.to_string().contains("no resources"), "{error}");
}

#[test]
fn the_command_line_imports_a_stack_per_region_into_one_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cloudcanvas"))
            .args(args)
            .output()
            .unwrap()
    };
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    assert!(
        run(&[
            "new",
            "-t",
            "multi-region-failover",
            "-o",
            &path("dr.ron"),
            "DR"
        ])
        .status
        .success()
    );
    assert!(
        run(&["export", &path("dr.ron"), "-o", &path("dr.yaml")])
            .status
            .success()
    );
    // Without this program's metadata the Region comes from the file name.
    for file in ["dr.yaml", "dr.us-west-2.yaml"] {
        let mut value = parse(&std::fs::read_to_string(dir.path().join(file)).unwrap()).unwrap();
        strip_metadata(&mut value);
        std::fs::write(
            dir.path().join(file),
            serde_json::to_string(&value).unwrap(),
        )
        .unwrap();
    }
    let said = run(&[
        "import",
        &path("dr.yaml"),
        &path("dr.us-west-2.yaml"),
        "--region",
        "us-east-1",
        "-o",
        &path("back.ron"),
    ]);
    assert!(
        said.status.success(),
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );
    assert!(String::from_utf8_lossy(&said.stdout).starts_with("Wrote "));
    let back = cloudcanvas::io::load(&dir.path().join("back.ron")).unwrap();
    assert_eq!(back.region_code("west-alb"), "us-west-2");
    assert_eq!(back.region_code("east-alb"), "us-east-1");
    // The failover record's secondary answer crosses stacks back to the west ALB.
    assert!(
        back.links()
            .iter()
            .any(|l| l.from.as_str() == "dns" && l.to.as_str() == "west-alb")
    );
    // An existing file is kept unless --force.
    let again = run(&["import", &path("dr.yaml"), "-o", &path("back.ron")]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

#[test]
fn a_vpc_made_elsewhere_is_a_parameter_and_comes_back_marked() {
    let original = super::sim_support::template("three-tier", &["vpc.made_elsewhere=true"]);
    let export = cloudformation(&original);
    let stack = &export.stacks[0];
    assert!(
        !stack.types().contains(&"AWS::EC2::VPC"),
        "a VPC made elsewhere is not created: {:?}",
        stack.types()
    );
    let logical = "Vpc";
    assert_eq!(
        stack.parameters[logical]["Type"], "AWS::EC2::VPC::Id",
        "its id is asked for under its own logical id"
    );
    let subnets_in_it = stack
        .resources
        .values()
        .filter(|e| e.kind == "AWS::EC2::Subnet")
        .filter(|e| e.properties["VpcId"] == serde_json::json!({ "Ref": logical }))
        .count();
    assert_eq!(subnets_in_it, 6, "every subnet refers to the parameter");
    for json in [false, true] {
        let imported = import(round_trip_values(&original, json)).unwrap().diagram;
        let skipped: BTreeSet<String> = export.skipped.iter().map(|s| s.id.to_string()).collect();
        let mut want = resources(&original);
        want.retain(|(id, _, _)| !skipped.contains(id));
        assert_same(&resources(&imported), &want, "resources");
        let vpc = imported.resource("vpc").unwrap();
        let cloudcanvas::model::Config::Vpc(c) = &vpc.config else {
            unreachable!()
        };
        assert!(c.made_elsewhere, "still marked");
        assert_eq!(
            (vpc.name.as_str(), c.cidr.as_str()),
            ("web-vpc", "10.0.0.0/16")
        );
        assert_eq!(vpc.rect, original.resource("vpc").unwrap().rect);
    }
}
