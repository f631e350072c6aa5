//! Pictures of diagrams: every template's SVG read back by an independent parser (usvg,
//! resvg's), PNG rasterized to the right size with something drawn, and the command line.

use std::process::Command;

use cloudcanvas::export::{SvgOptions, png, svg};
use cloudcanvas::model::ResourceId;
use resvg::usvg;

fn parse(text: &str) -> usvg::Tree {
    usvg::Tree::from_str(text, &usvg::Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_template_draws_as_valid_svg_with_each_resource_named() {
    for (template, diagram) in cloudcanvas::templates::loaded() {
        let text = svg(diagram, &SvgOptions::default());
        let tree = parse(&text);
        let bounds = cloudcanvas::generate::bounds(diagram);
        assert!(
            (tree.size().width() - (bounds.w + 48.0)).abs() < 1.0,
            "{}: the picture spans the diagram and its margin",
            template.name
        );
        for r in diagram.resources() {
            let shown = if r.name.is_empty() {
                cloudcanvas::catalog::catalog().name(r.kind()).to_owned()
            } else {
                r.name.clone()
            };
            let prefix: String = shown.chars().take(10).collect();
            let escaped = prefix.replace('&', "&amp;").replace('<', "&lt;");
            assert!(
                text.contains(&format!(">{escaped}")),
                "{}: {} is labelled",
                template.name,
                r.id
            );
        }
        assert_eq!(
            text.matches("<polyline").count(),
            diagram.links().len(),
            "{}: every link is drawn",
            template.name
        );
    }
}

#[test]
fn names_are_escaped_and_a_part_can_be_drawn_alone() {
    let mut diagram = cloudcanvas::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let id = ResourceId::new("db").unwrap();
    diagram
        .set_name(&id, "Orders <primary> & \"replica\"")
        .unwrap();
    let whole = svg(&diagram, &SvgOptions::default());
    parse(&whole);
    // Cut to the card's width as on the canvas, and escaped.
    assert!(whole.contains(">Orders &lt;primary&gt;…</text>"));
    let az = svg(
        &diagram,
        &SvgOptions {
            only: Some(vec![ResourceId::new("az-a").unwrap()]),
            ..Default::default()
        },
    );
    let part = parse(&az);
    let zone = diagram.resource("az-a").unwrap().rect;
    assert!((part.size().width() - (zone.w + 48.0)).abs() < 1.0);
    assert!(
        !az.contains(">Orders"),
        "what lies outside the zone is left out"
    );
}

#[test]
fn png_has_the_scaled_size_and_a_drawing_on_it() {
    let diagram = cloudcanvas::templates::find("queueing-lab")
        .unwrap()
        .load()
        .unwrap();
    let text = svg(&diagram, &SvgOptions::default());
    let size = parse(&text).size();
    for scale in [1.0f32, 2.0] {
        let bytes = png(&text, scale).unwrap();
        let image = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
        assert_eq!(image.width(), (size.width() * scale).ceil() as u32);
        assert_eq!(image.height(), (size.height() * scale).ceil() as u32);
        let background = image.pixel(0, 0).unwrap();
        let drawn = image.pixels().iter().filter(|p| **p != background).count();
        assert!(
            drawn * 10 > image.pixels().len(),
            "containers, cards and icons cover the canvas: {drawn} pixels"
        );
    }
    assert!(png(&text, 0.0).is_err());
    assert!(png(&text, 1_000.0).unwrap_err().contains("too large"));
}

#[test]
fn the_command_line_writes_pictures_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lab.ron");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cloudcanvas"))
            .args(args)
            .output()
            .unwrap()
    };
    let made = run(&[
        "new",
        "-t",
        "queueing-lab",
        "-o",
        file.to_str().unwrap(),
        "Lab",
    ]);
    assert_eq!(made.status.code(), Some(0));
    let png_path = dir.path().join("lab.png");
    let out = run(&[
        "export",
        file.to_str().unwrap(),
        "--format",
        "png",
        "--scale",
        "0.5",
        "-o",
        png_path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png_path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let svg_path = dir.path().join("lab.svg");
    let out = run(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        svg_path.to_str().unwrap(),
        "--dark",
    ]);
    assert_eq!(out.status.code(), Some(0));
    parse(&std::fs::read_to_string(&svg_path).unwrap());
    let out = run(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        svg_path.to_str().unwrap(),
        "--only",
        "nowhere",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no resource nowhere"));
}
