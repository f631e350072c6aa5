//! Hostile and careless input through the command line: markup in names never comes out
//! live, outputs never destroy inputs or existing files, paths never leave the chosen
//! folder, and malformed values are refused with a message that names them.

use std::path::{Path, PathBuf};
use std::process::Command;

use cloudcanvas::model::{Diagram, Note, ResourceId};

use crate::cli::{cloudcanvas, path, stderr};

/// Names an attacker would try: script, frames and pictures of local files, script
/// links, attribute breaks, entity smuggling, CDATA and comment breaks, terminal escapes.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<iframe src=\"file:///etc/passwd\"></iframe>",
    "<img src=\"file:///etc/passwd\" onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "<javascript:alert(1)>",
    "\"><svg onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "]]><!-- x --><![CDATA[",
    "\u{1b}]0;owned\u{7}\u{1b}[2J",
    "bell\u{7}back\u{8}form\u{c}",
    "' onmouseover='alert(1)",
    "`code` *bold* | pipe # heading",
];

/// The three-tier template with every resource, the diagram and a note named from the
/// corpus, saved in `dir`.
fn hostile_diagram(dir: &Path) -> PathBuf {
    let mut diagram: Diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let ids: Vec<ResourceId> = diagram.resources().map(|r| r.id.clone()).collect();
    for (id, name) in ids.iter().zip(HOSTILE.iter().cycle()) {
        diagram.set_name(id, *name).unwrap();
    }
    diagram.name = HOSTILE[0].to_owned();
    diagram.description = HOSTILE.join(" ");
    diagram
        .add_note(Note {
            id: ResourceId::new("note-hostile").unwrap(),
            text: HOSTILE.join("\n"),
            rect: cloudcanvas::model::geom::Rect::new(0.0, 0.0, 200.0, 120.0),
            color: Default::default(),
        })
        .unwrap();
    let file = dir.join("hostile.ron");
    cloudcanvas::io::save(&file, &diagram).unwrap();
    file
}

fn export(file: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["export", path(file), "-o", path(out)];
    args.extend_from_slice(extra);
    let o = cloudcanvas(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read_to_string(out).unwrap()
}

/// Every `<tag` of an HTML text, lower-cased, with its attributes.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or("").to_ascii_lowercase())
        .collect()
}

fn assert_no_live_markup(html: &str, what: &str) {
    for tag in tags(html) {
        let name = tag.split([' ', '/']).find(|s| !s.is_empty()).unwrap_or("");
        assert!(
            !matches!(
                name,
                "script" | "iframe" | "svg" | "object" | "embed" | "form"
            ),
            "{what}: a live <{tag}>"
        );
        assert!(
            !tag.contains(" on") || !tag.contains('='),
            "{what}: an event attribute in <{tag}>"
        );
        assert!(
            !tag.contains("javascript:"),
            "{what}: a script link in <{tag}>"
        );
        if name == "img" {
            assert!(
                tag.contains("src=\"data:image/svg+xml;base64,"),
                "{what}: a picture from elsewhere: <{tag}>"
            );
        }
        if name == "a" {
            assert!(
                !tag.contains("href=") || tag.contains("href=\"http"),
                "{what}: a link to elsewhere: <{tag}>"
            );
        }
    }
}

#[test]
fn the_html_report_shows_hostile_names_as_text_under_a_strict_policy() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_diagram(dir.path());
    let out = dir.path().join("review.html");
    let o = cloudcanvas(&["report", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert_no_live_markup(&html, "HTML report");
    assert!(
        html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "a restrictive policy"
    );
    // The names are there, as text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("[click me](javascript:alert(1))"));
    assert!(!html.contains('\u{1b}'), "no terminal escape in the page");
}

#[test]
fn the_markdown_report_stays_text_in_a_viewer_that_allows_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_diagram(dir.path());
    let out = dir.path().join("review.md");
    let o = cloudcanvas(&["report", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let markdown = std::fs::read_to_string(&out).unwrap();
    // A viewer renders Markdown with raw HTML allowed (CommonMark's default).
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::all()),
    );
    for tag in tags(&html) {
        let name = tag.split([' ', '/']).find(|s| !s.is_empty()).unwrap_or("");
        assert!(
            !matches!(name, "script" | "iframe" | "svg"),
            "Markdown: a live <{tag}>"
        );
        assert!(!tag.contains("javascript:"), "Markdown: <{tag}>");
        if name == "img" {
            assert!(tag.contains("src=\"review."), "Markdown: <{tag}>");
        }
    }
    // Its picture sits beside it and is well-formed.
    let picture = std::fs::read_to_string(dir.path().join("review.diagram.svg")).unwrap();
    resvg::usvg::roxmltree::Document::parse(&picture).unwrap();
}

#[test]
fn pictures_and_drawio_files_are_well_formed_with_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_diagram(dir.path());
    let svg = export(&file, &dir.path().join("d.svg"), &[]);
    let doc = resvg::usvg::roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        assert!(
            !matches!(tag, "script" | "foreignObject" | "iframe"),
            "SVG: a <{tag}> element"
        );
        for attribute in node.attributes() {
            assert!(
                !attribute.name().starts_with("on"),
                "SVG: an event attribute {}",
                attribute.name()
            );
        }
    }
    // A PNG draws it (resvg reads it).
    let o = cloudcanvas(&["export", path(&file), "-o", path(&dir.path().join("d.png"))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let drawio = export(&file, &dir.path().join("d.drawio"), &[]);
    let doc = resvg::usvg::roxmltree::Document::parse(&drawio).unwrap_or_else(|e| panic!("{e}"));
    for cell in doc.descendants().filter(|n| n.has_tag_name("mxCell")) {
        // draw.io shows labels as HTML (html=1): the only markup allowed is a line break.
        let label = cell.attribute("value").unwrap_or("").replace("<br>", "");
        assert!(
            !label.contains('<'),
            "draw.io: markup in the label {label:?}"
        );
    }
}

#[test]
fn infrastructure_code_with_hostile_names_still_parses() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_diagram(dir.path());
    let json = export(&file, &dir.path().join("stack.json"), &[]);
    let template: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(template["Resources"].as_object().unwrap().len() > 10);
    let yaml = export(&file, &dir.path().join("stack.yaml"), &[]);
    let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).unwrap();
    assert_eq!(from_yaml["Resources"], template["Resources"]);
    let tf = export(&file, &dir.path().join("main.tf"), &[]);
    let body: hcl::Body = hcl::from_str(&tf).unwrap_or_else(|e| panic!("{e}"));
    assert!(body.blocks().count() > 10);
}

#[test]
fn a_region_code_that_names_a_path_is_refused_when_loading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    let o = cloudcanvas(&["new", "x", "-t", "multi-region-failover", "-o", path(&file)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("code: \"us-west-2\""));
    std::fs::write(
        &file,
        text.replace("code: \"us-west-2\"", "code: \"x/../../escaped\""),
    )
    .unwrap();
    let o = cloudcanvas(&[
        "export",
        path(&file),
        "-o",
        path(&dir.path().join("s.yaml")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let message = stderr(&o);
    assert!(
        message.contains("x/../../escaped") && message.contains("AWS's form"),
        "{message}"
    );
    assert!(message.contains("d.ron:"), "the file and line: {message}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );

    // The same through --set and --region.
    let template = dir.path().join("t.ron");
    cloudcanvas(&["new", "x", "-o", path(&template)]);
    let o = cloudcanvas(&["info", path(&template), "--set", "region=../../x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = cloudcanvas(&["cost", path(&template), "--region", "eu/../x-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn no_output_replaces_its_input_or_an_existing_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-o", path(&file)]);
    let original = std::fs::read(&file).unwrap();
    for args in [
        vec!["report", path(&file), "-o", path(&file)],
        vec!["export", path(&file), "--format", "svg", "-o", path(&file)],
        vec![
            "export",
            path(&file),
            "--format",
            "svg",
            "-o",
            path(&file),
            "--force",
        ],
        vec![
            "simulate",
            path(&file),
            "--duration",
            "1m",
            "--events",
            path(&file),
            "--force",
        ],
    ] {
        let o = cloudcanvas(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is the file being read"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&file).unwrap(), original, "{args:?}");
    }
    let out = dir.path().join("d.svg");
    std::fs::write(&out, "mine").unwrap();
    let o = cloudcanvas(&["export", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pass --force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let o = cloudcanvas(&["export", path(&file), "-o", path(&out), "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));
}

#[test]
fn a_report_and_its_pictures_are_written_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-o", path(&file)]);
    // One picture's name is taken: neither the report nor any picture is written.
    std::fs::write(dir.path().join("r.diagram.svg"), "mine").unwrap();
    let o = cloudcanvas(&["report", path(&file), "-o", path(&dir.path().join("r.md"))]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.path().join("r.md").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("r.diagram.svg")).unwrap(),
        "mine"
    );
}

#[cfg(unix)]
#[test]
fn endless_devices_and_writerless_pipes_do_not_hang_or_fill_memory() {
    let o = cloudcanvas(&["info", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("more than the 64 MiB"),
        "{}",
        stderr(&o)
    );

    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.ron");
    assert!(
        Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap()
            .success()
    );
    // Nobody writes to it: it reads as empty at once.
    let o = cloudcanvas(&["info", path(&pipe)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the file is empty"), "{}", stderr(&o));
}

#[test]
fn empty_files_byte_order_marks_and_long_ids_get_plain_messages() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "").unwrap();
    let o = cloudcanvas(&["info", path(&empty)]);
    assert!(stderr(&o).contains("the file is empty"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Header"), "{}", stderr(&o));

    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-o", path(&file)]);
    let with_bom = dir.path().join("bom.ron");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(std::fs::read(&file).unwrap());
    std::fs::write(&with_bom, bytes).unwrap();
    let o = cloudcanvas(&["info", path(&with_bom)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a byte order mark is read past: {}",
        stderr(&o)
    );

    let long = "x".repeat(10_000);
    let o = cloudcanvas(&["info", path(&file), "--set", &format!("{long}.name=a")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).len() < 600,
        "{} bytes of message",
        stderr(&o).len()
    );
}

#[test]
fn numbers_that_make_no_sense_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-t", "queueing-lab", "-o", path(&file)]);
    let text = std::fs::read_to_string(&file).unwrap();
    for (field, value, was) in [
        ("requests_per_second", "NaN", "50.0"),
        ("requests_per_second", "inf", "50.0"),
        ("requests_per_second", "-5.0", "50.0"),
        ("read_fraction", "1.5", "1.0"),
    ] {
        let written = format!("{field}: {was}");
        assert!(text.contains(&written), "{written}");
        let broken = text.replacen(&written, &format!("{field}: {value}"), 1);
        let bad = dir.path().join("bad.ron");
        std::fs::write(&bad, broken).unwrap();
        let o = cloudcanvas(&["simulate", path(&bad), "--duration", "1m"]);
        assert_eq!(o.status.code(), Some(2), "{field} = {value}");
        let message = stderr(&o);
        assert!(message.contains(field), "{message}");
        assert!(
            message.contains("bad.ron:"),
            "names the file and line: {message}"
        );
    }
    let o = cloudcanvas(&[
        "simulate",
        path(&file),
        "--set",
        "server.app.service_time_ms=-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("service_time_ms"), "{}", stderr(&o));
    let o = cloudcanvas(&["simulate", path(&file), "--warmup", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0 to 0.9"), "{}", stderr(&o));
}

fn scenario_error(diagram: &Path, scenario: &str) -> String {
    let dir = diagram.parent().unwrap();
    let file = dir.join("s.scenario.ron");
    std::fs::write(&file, scenario).unwrap();
    let o = cloudcanvas(&[
        "simulate",
        path(diagram),
        "--duration",
        "10m",
        "--scenario",
        path(&file),
    ]);
    assert_eq!(o.status.code(), Some(2), "{scenario}: {}", stderr(&o));
    stderr(&o)
}

#[test]
fn scenario_steps_that_would_do_nothing_are_errors_naming_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-t", "queueing-lab", "-o", path(&file)]);
    let step = |at: &str, action: &str| {
        format!(
            "(name: \"t\", steps: [(at: \"1m\", action: SetRate(source: \"users\", rps: 5.0)), (at: \"{at}\", action: {action})])"
        )
    };
    let message = scenario_error(&file, &step("2m", "Fail(\"ghost\")"));
    assert!(
        message.contains("step 2 (at 2m, Fail)") && message.contains("no resource `ghost`"),
        "{message}"
    );
    let message = scenario_error(&file, &step("2m", "SetRate(source: \"server\", rps: 5.0)"));
    assert!(message.contains("traffic source"), "{message}");
    let message = scenario_error(&file, &step("2m", "FailAz(\"users\")"));
    assert!(message.contains("Availability Zone"), "{message}");
    let message = scenario_error(
        &file,
        &step("2m", "AddLatency(resource: \"server\", ms: -5.0)"),
    );
    assert!(message.contains("ms = -5"), "{message}");
    let message = scenario_error(
        &file,
        &step("2m", "AddLatency(resource: \"server\", ms: inf)"),
    );
    assert!(message.contains("ms = inf"), "{message}");
    let message = scenario_error(&file, &step("2h", "Fail(\"server\")"));
    assert!(message.contains("after the run's end"), "{message}");
    let message = scenario_error(
        &file,
        "(name: \"t\", steps: [(at: \"1m\", action: Explode(\"server\"))])",
    );
    assert!(message.contains("line 1, column"), "{message}");
}

#[test]
fn logical_ids_alike_in_their_first_64_characters_or_named_region_import() {
    let dir = tempfile::tempdir().unwrap();
    let long = "MyServiceStackNestedConstructWithAVeryLongNameQueueResourceAbcdefgh1234";
    assert!(long.len() > 64);
    let template = serde_json::json!({
        "Resources": {
            "Region": {"Type": "AWS::SQS::Queue"},
            format!("{long}A"): {"Type": "AWS::SQS::Queue"},
            format!("{long}B"): {"Type": "AWS::SQS::Queue"},
            format!("{long}C"): {"Type": "AWS::SQS::Queue"},
        }
    });
    let file = dir.path().join("cdk.json");
    std::fs::write(&file, template.to_string()).unwrap();
    let out = dir.path().join("d.ron");
    let started = std::time::Instant::now();
    let o = cloudcanvas(&["import", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        started.elapsed().as_secs() < 60,
        "no endless search for an id"
    );
    let diagram = cloudcanvas::io::load(&out).unwrap();
    let queues = diagram
        .resources()
        .filter(|r| r.kind() == cloudcanvas::model::Kind::SqsQueue)
        .count();
    assert_eq!(queues, 4, "each queue is its own resource");
}

#[test]
fn runs_beyond_the_budget_are_refused_at_once_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.ron");
    cloudcanvas(&["new", "x", "-t", "queueing-lab", "-o", path(&file)]);
    let started = std::time::Instant::now();
    let o = cloudcanvas(&[
        "simulate",
        path(&file),
        "--set",
        "users.requests_per_second=1e12",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--sample-weight"), "{}", stderr(&o));
    let o = cloudcanvas(&["simulate", path(&file), "--duration", "10years"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("31 days"), "{}", stderr(&o));
    let o = cloudcanvas(&[
        "simulate",
        path(&dir.path().join("d.ron")),
        "--set",
        "server.instance_type=\"m5.large\"",
        "--duration",
        "1m",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(started.elapsed().as_secs() < 60, "refusals come at once");

    let three_tier = dir.path().join("t.ron");
    cloudcanvas(&["new", "x", "-t", "three-tier", "-o", path(&three_tier)]);
    let o = cloudcanvas(&[
        "simulate",
        path(&three_tier),
        "--set",
        "app-asg.max_size=10000000",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("10000000 servers"), "{}", stderr(&o));
}

#[test]
fn yaml_that_costs_far_more_than_its_size_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // Flow lists nested 20,000 deep: the YAML scanner's work grows with the depth squared.
    let deep = dir.path().join("deep.yaml");
    std::fs::write(
        &deep,
        format!(
            "Resources: {{A: {{Type: 'AWS::SQS::Queue', Properties: {{X: {}{}}}}}}}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    )
    .unwrap();
    // One large anchor repeated 400 times by aliases (CloudFormation has no aliases).
    let anchor: String = (0..2_000)
        .map(|i| format!("      K{i}: value-{i}-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"))
        .collect();
    let mut bomb =
        format!("Resources:\n  Base: &base\n    Type: AWS::SQS::Queue\n    Properties:\n{anchor}");
    for i in 0..400 {
        bomb.push_str(&format!("  Q{i}: *base\n"));
    }
    let aliases = dir.path().join("aliases.yaml");
    std::fs::write(&aliases, bomb).unwrap();
    for (file, said) in [(&deep, "nested more than 128 deep"), (&aliases, "aliases")] {
        let started = std::time::Instant::now();
        let o = cloudcanvas(&["import", path(file), "-o", path(&dir.path().join("d.ron"))]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(said), "{}", stderr(&o));
        assert!(started.elapsed().as_secs() < 20, "refused at once");
    }
}

#[test]
fn parameter_defaults_give_subnets_their_own_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let template = serde_json::json!({
        "Parameters": {
            "VpcCidr": {"Type": "String", "Default": "10.20.0.0/16"},
            "SubnetACidr": {"Type": "String", "Default": "10.20.1.0/24"},
            "SubnetBCidr": {"Type": "String", "Default": "10.20.2.0/24"},
            "LatestAmi": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                          "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}
        },
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "VpcCidr"}}},
            "SubnetA": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Ref": "SubnetACidr"},
                "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}}},
            "SubnetB": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Ref": "SubnetBCidr"},
                "AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]}}}
        }
    });
    let file = dir.path().join("params.json");
    std::fs::write(&file, template.to_string()).unwrap();
    let out = dir.path().join("d.ron");
    let o = cloudcanvas(&["import", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let diagram = cloudcanvas::io::load(&out).unwrap();
    let cidr = |id: &str| match &diagram.resource(id).unwrap().config {
        cloudcanvas::model::Config::Subnet(s) => s.cidr.clone(),
        cloudcanvas::model::Config::Vpc(v) => v.cidr.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(cidr("vpc"), "10.20.0.0/16");
    assert_eq!(cidr("subnet-a"), "10.20.1.0/24");
    assert_eq!(cidr("subnet-b"), "10.20.2.0/24");
    let o = cloudcanvas(&["validate", path(&out), "--format", "json"]);
    let findings = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        !findings.contains("overlap"),
        "no false overlap: {findings}"
    );
}

#[test]
fn subnets_of_a_vpc_made_elsewhere_import_into_a_vpc_named_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let template = serde_json::json!({
        "Parameters": {"VpcId": {"Type": "AWS::EC2::VPC::Id"}},
        "Resources": {
            "SubnetA": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "VpcId"}, "CidrBlock": "10.20.1.0/24"}},
            "SubnetB": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "VpcId"}, "CidrBlock": "10.20.2.0/24"}},
            "Shared": {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Fn::ImportValue": "network-VpcId"}, "CidrBlock": "10.30.0.0/24"}}
        }
    });
    let file = dir.path().join("external.json");
    std::fs::write(&file, template.to_string()).unwrap();
    let out = dir.path().join("d.ron");
    let o = cloudcanvas(&["import", path(&file), "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let diagram = cloudcanvas::io::load(&out).unwrap();
    let vpc_of = |subnet: &str| {
        let vpc = diagram
            .enclosing(subnet, cloudcanvas::model::Kind::Vpc)
            .unwrap();
        let cloudcanvas::model::Config::Vpc(c) = &vpc.config else {
            unreachable!()
        };
        assert!(c.made_elsewhere, "{} is marked as made elsewhere", vpc.id);
        (vpc.name.clone(), c.cidr.clone())
    };
    let (name, cidr) = vpc_of("subnet-a");
    assert!(name.contains("parameter VpcId"), "{name}");
    // The smallest range holding 10.20.1.0/24 and 10.20.2.0/24.
    assert_eq!(cidr, "10.20.0.0/22");
    assert_eq!(vpc_of("subnet-b").0, name, "one VPC for one parameter");
    assert!(vpc_of("shared").0.contains("network-VpcId"));
    let o = cloudcanvas(&["validate", path(&out)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "no error: {}",
        String::from_utf8_lossy(&o.stdout)
    );
}
