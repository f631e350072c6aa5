//! File ▸ Export as and Import CloudFormation through the app's own paths.

use cloudcanvas::ui::files::ScriptedDialogs;
use egui_kittest::kittest::Queryable;

use crate::harness::*;

fn export_through_menu(h: &mut egui_kittest::Harness<'_, cloudcanvas::ui::EditorApp>, item: &str) {
    click(h, "File");
    click(h, "Export as");
    click(h, item);
}

fn three_tier() -> cloudcanvas::model::Diagram {
    cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap()
}

#[test]
fn the_diagram_exports_as_drawio_cloudformation_and_terraform() {
    let dir = tempfile::tempdir().unwrap();
    let drawio = temp_file(&dir, "d.drawio");
    let stack = temp_file(&dir, "stack.json");
    let terraform = temp_file(&dir, "main.tf");
    let dialogs = ScriptedDialogs {
        save_answers: vec![drawio.clone(), stack.clone(), terraform.clone()],
        ..Default::default()
    };
    let diagram = three_tier();
    let resources = diagram.resources().count();
    let mut h = harness_with(diagram, dialogs);

    export_through_menu(&mut h, "draw.io file…");
    let xml = std::fs::read_to_string(&drawio).expect("the draw.io file is written");
    let doc = resvg::usvg::roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("value") == Some("web-vpc"))
    );
    assert!(h.query_by_label_contains("Exported").is_some());

    export_through_menu(&mut h, "CloudFormation template…");
    let text = std::fs::read_to_string(&stack).expect("the template is written");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON for a .json name");
    assert!(json["Resources"].as_object().unwrap().len() > resources);
    let back = cloudcanvas::iac::cfn_import::import_files(std::slice::from_ref(&stack), None)
        .expect("the export reads back");
    assert_eq!(back.diagram.resources().count(), resources);

    export_through_menu(&mut h, "Terraform configuration…");
    let hcl = std::fs::read_to_string(&terraform).expect("the configuration is written");
    assert!(hcl.contains("provider \"aws\""));
    assert!(hcl.contains("resource \"aws_lb\""));
}

#[test]
fn a_report_exports_with_the_run_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let before = temp_file(&dir, "before.md");
    let during = temp_file(&dir, "during.html");
    let dialogs = ScriptedDialogs {
        save_answers: vec![before.clone(), during.clone()],
        ..Default::default()
    };
    let mut h = harness_with(three_tier(), dialogs);
    export_through_menu(&mut h, "Report (Markdown or HTML)…");
    let markdown = std::fs::read_to_string(&before).expect("the report is written");
    assert!(markdown.contains("## Cost:"));
    assert!(!markdown.contains("## Simulation"), "no run yet");
    assert!(
        dir.path().join("before.diagram.svg").exists(),
        "Markdown's picture beside it"
    );

    h.get_by_label("Run").click();
    h.step();
    h.step();
    h.get_by_label("Pause").click();
    h.step();
    click(&mut h, "100×");
    for _ in 0..3 {
        click(&mut h, "Step");
    }
    export_through_menu(&mut h, "Report (Markdown or HTML)…");
    let html = std::fs::read_to_string(&during).expect("the report is written");
    assert!(html.contains("<h2>Simulation"), "the run is in the report");
    assert!(
        html.contains("data:image/svg+xml;base64,"),
        "pictures held inside"
    );
}

#[test]
fn a_cloudformation_template_opens_as_a_new_unsaved_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let template = temp_file(&dir, "stack.yaml");
    let yaml = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n  Web:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.1.0/24\n  Topic:\n    Type: AWS::SNS::Topic\n  Bus:\n    Type: AWS::Pipes::Pipe\n";
    std::fs::write(&template, yaml).unwrap();
    let dialogs = ScriptedDialogs {
        open_answers: vec![template.clone()],
        ..Default::default()
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "File");
    click(&mut h, "Import CloudFormation…");
    let app = h.state();
    let diagram = &app.document().diagram;
    assert!(diagram.resource("topic").is_some());
    let web = diagram
        .resource("web")
        .expect("the subnet, named by its id");
    let zone = web.parent.clone().expect("inside a zone");
    assert_eq!(
        diagram.resource(zone.as_str()).unwrap().parent,
        Some(id("vpc")),
        "containment from the reference: VPC, then the zone AWS would pick"
    );
    assert!(app.document().is_dirty(), "unsaved until saved");
    assert!(
        app.document().path.is_none(),
        "does not overwrite the open file"
    );
    assert!(
        h.query_by_label_contains("not drawn: Bus (AWS::Pipes::Pipe)")
            .is_some(),
        "unsupported types are named"
    );
}

#[test]
fn a_broken_template_is_reported_and_the_diagram_kept() {
    let dir = tempfile::tempdir().unwrap();
    let template = temp_file(&dir, "broken.yaml");
    std::fs::write(&template, "Resources:\n  Vpc: [\n").unwrap();
    let dialogs = ScriptedDialogs {
        open_answers: vec![template],
        ..Default::default()
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "File");
    click(&mut h, "Import CloudFormation…");
    assert_eq!(h.state().document().diagram.name, "Test");
    assert!(h.query_by_label_contains("broken.yaml").is_some());
}

#[test]
fn a_png_picture_is_written_at_the_chosen_scale() {
    let dir = tempfile::tempdir().unwrap();
    let small = temp_file(&dir, "small.png");
    let large = temp_file(&dir, "large.png");
    let dialogs = ScriptedDialogs {
        save_answers: vec![small.clone(), large.clone()],
        ..Default::default()
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "Front door (alb)");
    let size = |path: &std::path::Path| {
        let png = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(path).unwrap()).unwrap();
        (png.width(), png.height())
    };
    for (scale, path) in [("1×", &small), ("4×", &large)] {
        click(&mut h, "File");
        click(&mut h, "PNG picture scale");
        click(&mut h, scale);
        click(&mut h, "File");
        click(&mut h, "Export selection as picture…");
        assert!(path.exists(), "written at {scale}");
    }
    assert_eq!(
        h.state().preferences().picture_scale,
        4.0,
        "kept as a preference"
    );
    // One card (112 × 88) and its margin: 160 × 136 at the canvas's size.
    assert_eq!(size(&small), (160, 136));
    assert_eq!(size(&large), (640, 544));
}
