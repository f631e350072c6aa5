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
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        let text = svg(diagram, &SvgOptions::default());
        let tree = parse(&text);
        let bounds = cloudcanvas::layout::bounds(diagram);
        assert!(
            (tree.size().width() - (bounds.w + 48.0)).abs() < 1.0,
            "{}: the picture spans the diagram and its margin",
            template.name
        );
        for r in diagram.resources() {
            let shown = if r.name.is_empty() {
                cloudcanvas::model::catalog::catalog()
                    .name(r.kind())
                    .to_owned()
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
    let mut diagram = cloudcanvas::library::templates::find("three-tier")
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
    let diagram = cloudcanvas::library::templates::find("queueing-lab")
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

/// A cell of a draw.io file: id, parent, geometry, and (source, target) for an edge.
struct Cell {
    id: String,
    parent: Option<String>,
    geometry: Option<(f64, f64, f64, f64)>,
    edge: Option<(String, String)>,
}

/// A draw.io file read back by an independent XML parser.
fn drawio_cells(text: &str) -> Vec<Cell> {
    let doc = resvg::usvg::roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("mxCell"))
        .map(|n| {
            let geometry = n
                .children()
                .find(|g| g.has_tag_name("mxGeometry"))
                .and_then(|g| {
                    let v = |k: &str| g.attribute(k).and_then(|x| x.parse::<f64>().ok());
                    Some((v("x")?, v("y")?, v("width")?, v("height")?))
                });
            let edge = n
                .attribute("source")
                .zip(n.attribute("target"))
                .map(|(s, t)| (s.to_string(), t.to_string()));
            Cell {
                id: n.attribute("id").unwrap().to_string(),
                parent: n.attribute("parent").map(str::to_string),
                geometry,
                edge,
            }
        })
        .collect()
}

#[test]
fn every_template_exports_a_drawio_file_whose_cells_nest_and_connect() {
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        let text = cloudcanvas::export::drawio(diagram);
        let cells = drawio_cells(&text);
        let ids: std::collections::HashMap<&str, &Cell> =
            cells.iter().map(|c| (c.id.as_str(), c)).collect();
        assert_eq!(ids.len(), cells.len(), "{}: ids are unique", template.name);
        // One vertex per resource and note, one edge per link, plus draw.io's two roots.
        let edges = cells.iter().filter(|c| c.edge.is_some()).count();
        assert_eq!(edges, diagram.links().len(), "{}", template.name);
        assert_eq!(
            cells.len(),
            2 + diagram.len() + diagram.notes().len() + edges,
            "{}",
            template.name
        );
        for cell in &cells {
            let id = &cell.id;
            if let Some(parent) = &cell.parent {
                assert!(
                    ids.contains_key(parent.as_str()),
                    "{}: {id}'s parent {parent} exists",
                    template.name
                );
            }
            if let Some((source, target)) = &cell.edge {
                assert!(
                    ids.contains_key(source.as_str()) && ids.contains_key(target.as_str()),
                    "{}: {id} joins cells",
                    template.name
                );
            }
            // A nested cell lies inside its container (coordinates are the container's own).
            if let (Some(parent), Some((x, y, w, h))) = (&cell.parent, cell.geometry)
                && let Some((_, _, pw, ph)) = ids.get(parent.as_str()).and_then(|p| p.geometry)
            {
                assert!(
                    x >= 0.0 && y >= 0.0 && x + w <= pw + 0.5 && y + h <= ph + 0.5,
                    "{}: {id} fits in {parent}",
                    template.name
                );
            }
        }
        // Resources keep their containment.
        for r in diagram.resources() {
            let cell = ids[format!("r-{}", r.id).as_str()];
            let want = r
                .parent
                .as_ref()
                .map_or("1".to_string(), |p| format!("r-{p}"));
            assert_eq!(
                cell.parent.as_deref(),
                Some(want.as_str()),
                "{}: {}",
                template.name,
                r.id
            );
        }
    }
}

#[test]
fn every_drawio_edge_bends_where_the_canvas_route_bends() {
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        let text = cloudcanvas::export::drawio(diagram);
        let doc = resvg::usvg::roxmltree::Document::parse(&text).unwrap();
        let routes = cloudcanvas::layout::routes::Routes::of(diagram);
        let mut bent = 0;
        for (i, link) in diagram.links().iter().enumerate() {
            let edge = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(format!("link-{i}").as_str()))
                .unwrap();
            let points: Vec<(f32, f32)> = edge
                .descendants()
                .filter(|n| n.has_tag_name("mxPoint"))
                .map(|p| {
                    let v = |k: &str| p.attribute(k).unwrap().parse::<f32>().unwrap();
                    (v("x"), v("y"))
                })
                .collect();
            let route = routes.get(&link.from, &link.to, link.kind).unwrap();
            let bends: Vec<(f32, f32)> = route[1..route.len() - 1]
                .iter()
                .map(|p| (p.x, p.y))
                .collect();
            assert_eq!(points.len(), bends.len(), "{}: link {i}", template.name);
            for (a, b) in points.iter().zip(&bends) {
                assert!(
                    (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01,
                    "{}: link {i} bends at {b:?}, draw.io at {a:?}",
                    template.name
                );
            }
            bent += usize::from(!bends.is_empty());
        }
        assert!(
            bent > 0 || diagram.links().is_empty(),
            "{}: some link bends",
            template.name
        );
    }
}

#[test]
fn a_link_label_in_svg_sits_in_the_middle_of_its_longest_run() {
    // The three-tier template labels CloudFront → ALB "HTTPS".
    let diagram = crate::sim_support::template("three-tier", &[]);
    let text = cloudcanvas::export::svg(&diagram, &cloudcanvas::export::SvgOptions::default());
    let doc = resvg::usvg::roxmltree::Document::parse(&text).unwrap();
    let label = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some("HTTPS"))
        .unwrap();
    let at = |k: &str| label.attribute(k).unwrap().parse::<f32>().unwrap();
    let (x, y) = (at("x"), at("y"));
    let routes = cloudcanvas::layout::routes::Routes::of(&diagram);
    let link = diagram.links().iter().find(|l| l.label == "HTTPS").unwrap();
    let route = routes.get(&link.from, &link.to, link.kind).unwrap();
    let length =
        |w: &[cloudcanvas::model::geom::Point]| (w[0].x - w[1].x).abs() + (w[0].y - w[1].y).abs();
    let longest = route
        .windows(2)
        .max_by(|a, b| length(a).total_cmp(&length(b)))
        .unwrap();
    let (mx, my) = (
        (longest[0].x + longest[1].x) / 2.0,
        (longest[0].y + longest[1].y) / 2.0,
    );
    assert!(
        (x - mx).abs() < 0.6 && (y - my).abs() < 0.6,
        "label at ({x}, {y}), the longest run's middle at ({mx}, {my}) of {route:?}"
    );
}

#[test]
fn a_vpc_made_elsewhere_says_so_in_its_title() {
    let made = crate::sim_support::template("three-tier", &["vpc.made_elsewhere=true"]);
    let own = crate::sim_support::template("three-tier", &[]);
    let options = cloudcanvas::export::SvgOptions::default();
    assert!(cloudcanvas::export::svg(&made, &options).contains("web-vpc · made elsewhere"));
    assert!(!cloudcanvas::export::svg(&own, &options).contains("made elsewhere"));
}
