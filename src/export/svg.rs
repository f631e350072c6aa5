//! The diagram as an SVG picture, drawn as the canvas draws it at 100 %: containers with
//! their frames and titles, resource cards with their icons, links with their styles and
//! labels, sticky notes — from the same design tokens (`crate::style`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::layout::HEADER;
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Config, Diagram, Kind, Resource};
use crate::style::{self, Rgba};

/// Room around the drawing.
const MARGIN: f32 = 24.0;
/// Fonts a viewer will find on most systems, in the editor's spirit.
const FONT: &str = "Ubuntu, sans-serif";

/// What to draw.
#[derive(Clone, Debug, Default)]
pub struct SvgOptions {
    /// The dark theme instead of the light one.
    pub dark: bool,
    /// Only these resources (with what they contain), or the whole diagram.
    pub only: Option<Vec<crate::model::ResourceId>>,
}

/// The diagram (or the chosen part of it) as an SVG document.
pub fn svg(diagram: &Diagram, options: &SvgOptions) -> String {
    let palette = if options.dark {
        &style::DARK
    } else {
        &style::LIGHT
    };
    let drawn = drawn_ids(diagram, options.only.as_deref());
    let resources: Vec<&Resource> = diagram
        .resources()
        .filter(|r| drawn.contains(r.id.as_str()))
        .collect();
    let bounds = resources
        .iter()
        .map(|r| r.rect)
        .chain(
            options
                .only
                .is_none()
                .then(|| diagram.notes().iter().map(|n| n.rect))
                .into_iter()
                .flatten(),
        )
        .reduce(|a, b| a.union(&b))
        .unwrap_or(Rect::new(0.0, 0.0, 200.0, 100.0))
        .expanded(MARGIN);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="{x} {y} {w} {h}" font-family="{FONT}">"#,
        x = n(bounds.x),
        y = n(bounds.y),
        w = n(bounds.w),
        h = n(bounds.h),
    );
    let _ = write!(out, "<title>{}</title>", escape(&diagram.name));
    icon_symbols(&mut out, &resources);
    rect(&mut out, &bounds, 0.0, palette.canvas, None);
    for r in containers_outermost_first(diagram, &resources) {
        container(&mut out, r, palette);
    }
    let routes = crate::layout::routes::Routes::of(diagram);
    for (index, link) in diagram.links().iter().enumerate() {
        if !(drawn.contains(link.from.as_str()) && drawn.contains(link.to.as_str())) {
            continue;
        }
        let route = routes.drawing_of(diagram, index);
        let label_at =
            crate::layout::tidy::label_point(&routes.route_of(diagram, index)).unwrap_or_default();
        link_svg(&mut out, &route, label_at, link.kind, &link.label, palette);
    }
    for r in resources
        .iter()
        .filter(|r| !catalog().is_container(r.kind()))
    {
        node(&mut out, r, palette);
    }
    if options.only.is_none() {
        for note in diagram.notes() {
            note_svg(&mut out, note, palette);
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The ids drawn: everything, or the chosen resources with their descendants.
fn drawn_ids<'d>(
    diagram: &'d Diagram,
    only: Option<&[crate::model::ResourceId]>,
) -> BTreeSet<&'d str> {
    let all = diagram.resources().map(|r| r.id.as_str());
    let Some(only) = only else {
        return all.collect();
    };
    diagram
        .resources()
        .filter(|r| {
            let mut current = Some(*r);
            while let Some(c) = current {
                if only.contains(&c.id) {
                    return true;
                }
                current = c.parent.as_ref().and_then(|p| diagram.resource(p.as_str()));
            }
            false
        })
        .map(|r| r.id.as_str())
        .collect()
}

/// Containers sorted so that each comes before what it holds (drawing order otherwise).
fn containers_outermost_first<'d>(
    diagram: &'d Diagram,
    drawn: &[&'d Resource],
) -> Vec<&'d Resource> {
    let depth = |r: &Resource| {
        let mut d = 0;
        let mut current = r.parent.as_ref();
        while let Some(p) = current {
            d += 1;
            current = diagram.resource(p.as_str()).and_then(|r| r.parent.as_ref());
        }
        d
    };
    let mut containers: Vec<&Resource> = drawn
        .iter()
        .copied()
        .filter(|r| catalog().is_container(r.kind()))
        .collect();
    containers.sort_by_key(|r| depth(r));
    containers
}

/// Each icon used, once, as a symbol to `<use>`.
fn icon_symbols(out: &mut String, resources: &[&Resource]) {
    let kinds: BTreeSet<Kind> = resources.iter().map(|r| r.kind()).collect();
    out.push_str("<defs>");
    for kind in kinds {
        let Some((view_box, inner)) = style::icon_svg(kind).and_then(icon_parts) else {
            continue;
        };
        let _ = write!(
            out,
            r#"<symbol id="{}" viewBox="{view_box}">{inner}</symbol>"#,
            icon_id(kind)
        );
    }
    out.push_str("</defs>");
}

/// An icon file's `viewBox` and drawing (its title left out).
fn icon_parts(text: &str) -> Option<(String, String)> {
    let open = text.find("<svg")?;
    let open_end = open + text[open..].find('>')?;
    let tag = &text[open..open_end];
    let view_box = tag
        .split("viewBox=\"")
        .nth(1)?
        .split('"')
        .next()?
        .to_owned();
    let close = text.rfind("</svg>")?;
    let mut inner = text[open_end + 1..close].to_owned();
    if let (Some(a), Some(b)) = (inner.find("<title>"), inner.find("</title>")) {
        inner.replace_range(a..b + "</title>".len(), "");
    }
    Some((view_box, inner.trim().to_owned()))
}

fn icon_id(kind: Kind) -> String {
    format!("icon-{}", catalog().info(kind).icon)
}

/// The icon of `kind` in `area`; a chip of its colour when it has none.
fn icon(out: &mut String, kind: Kind, area: &Rect) {
    if style::icon_svg(kind).is_some_and(|t| icon_parts(t).is_some()) {
        let _ = write!(
            out,
            r##"<use href="#{id}" xlink:href="#{id}" x="{}" y="{}" width="{}" height="{}"/>"##,
            n(area.x),
            n(area.y),
            n(area.w),
            n(area.h),
            id = icon_id(kind),
        );
    } else {
        rect(out, area, area.w * 0.2, style::kind_color(kind), None);
    }
}

fn container(out: &mut String, r: &Resource, palette: &style::Palette) {
    let tier = match &r.config {
        Config::Subnet(s) => Some(s.tier),
        _ => None,
    };
    let frame = style::frame(palette, r.kind(), tier);
    let radius = if r.kind() == Kind::Subnet { 4.0 } else { 6.0 };
    let dash = frame.dashed.then_some((8.0, 5.0));
    rect(
        out,
        &r.rect,
        radius,
        frame.fill,
        Some((frame.stroke, frame.width, dash)),
    );
    let chip = Rect::new(r.rect.x + 6.0, r.rect.y + 6.0, HEADER - 10.0, HEADER - 10.0);
    icon(out, r.kind(), &chip);
    let title = crate::layout::routes::container_title(r);
    let middle = chip.y + chip.h / 2.0;
    text(
        out,
        chip.right() + 6.0,
        middle,
        &title,
        13.0,
        frame.accent,
        "start",
        "central",
        false,
    );
    let detail = match &r.config {
        Config::Region(x) => x.code.clone(),
        Config::Vpc(x) => x.cidr.clone(),
        Config::Subnet(x) => x.cidr.clone(),
        _ => String::new(),
    };
    if !detail.is_empty() {
        text(
            out,
            r.rect.right() - 8.0,
            middle,
            &detail,
            11.0,
            palette.weak_text,
            "end",
            "central",
            true,
        );
    }
}

fn node(out: &mut String, r: &Resource, palette: &style::Palette) {
    rect(
        out,
        &r.rect,
        8.0,
        palette.card,
        Some((palette.grid, 1.0, None)),
    );
    let size = 40.0;
    let area = Rect::new(r.rect.center().x - size / 2.0, r.rect.y + 8.0, size, size);
    icon(out, r.kind(), &area);
    let x = r.rect.center().x;
    text(
        out,
        x,
        area.bottom() + 6.0,
        &style::ellipsize(r.label(), style::CARD_NAME_CHARS),
        12.5,
        palette.text,
        "middle",
        "hanging",
        false,
    );
    let kind = style::ellipsize(catalog().name(r.kind()), style::CARD_KIND_CHARS);
    text(
        out,
        x,
        area.bottom() + 22.0,
        &kind,
        10.0,
        palette.weak_text,
        "middle",
        "hanging",
        false,
    );
}

fn link_svg(
    out: &mut String,
    route: &[Point],
    label_at: Point,
    kind: crate::model::LinkKind,
    label: &str,
    palette: &style::Palette,
) {
    let s = style::link_style(kind, palette);
    let points: Vec<String> = route
        .iter()
        .map(|p| format!("{},{}", n(p.x), n(p.y)))
        .collect();
    let dash = s.dash.map_or(String::new(), |(d, g)| {
        format!(r#" stroke-dasharray="{} {}""#, n(d), n(g))
    });
    let _ = write!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{dash} stroke-linejoin="round"/>"#,
        points.join(" "),
        s.color.hex(),
        n(s.width),
    );
    if s.arrow && route.len() >= 2 {
        let (tip, before) = (route[route.len() - 1], route[route.len() - 2]);
        let (dx, dy) = (tip.x - before.x, tip.y - before.y);
        let length = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (ux, uy) = (dx / length, dy / length);
        let size = 8.0;
        let corner = |side: f32| {
            format!(
                "{},{}",
                n(tip.x - ux * size - uy * size * 0.5 * side),
                n(tip.y - uy * size + ux * size * 0.5 * side)
            )
        };
        let _ = write!(
            out,
            r#"<polygon points="{},{} {} {}" fill="{}"/>"#,
            n(tip.x),
            n(tip.y),
            corner(1.0),
            corner(-1.0),
            s.color.hex()
        );
    }
    if !label.is_empty() && route.len() >= 2 {
        let mid = label_at;
        let width = label.chars().count() as f32 * 6.0 + 8.0;
        rect(
            out,
            &Rect::new(mid.x - width / 2.0, mid.y - 8.0, width, 16.0),
            3.0,
            palette.canvas,
            None,
        );
        text(
            out,
            mid.x,
            mid.y,
            label,
            10.5,
            palette.text,
            "middle",
            "central",
            false,
        );
    }
}

fn note_svg(out: &mut String, note: &crate::model::Note, palette: &style::Palette) {
    rect(out, &note.rect, 2.0, style::note_fill(note.color), None);
    let per_line = ((note.rect.w - 16.0) / 6.5).max(8.0) as usize;
    let mut y = note.rect.y + 8.0;
    for line in wrap(&note.text, per_line) {
        if y + 14.0 > note.rect.bottom() {
            break;
        }
        text(
            out,
            note.rect.x + 8.0,
            y,
            &line,
            11.5,
            style::LIGHT.text,
            "start",
            "hanging",
            false,
        );
        y += 15.0;
    }
    let _ = palette;
}

/// Words in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

type Border = (Rgba, f32, Option<(f32, f32)>);

fn rect(out: &mut String, r: &Rect, radius: f32, fill: Rgba, border: Option<Border>) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}""#,
        n(r.x),
        n(r.y),
        n(r.w.max(0.0)),
        n(r.h.max(0.0)),
        n(radius),
        fill.hex()
    );
    if fill.3 < 255 {
        let _ = write!(out, r#" fill-opacity="{}""#, n(f32::from(fill.3) / 255.0));
    }
    if let Some((color, width, dash)) = border {
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{}""#,
            color.hex(),
            n(width)
        );
        if let Some((d, g)) = dash {
            let _ = write!(out, r#" stroke-dasharray="{} {}""#, n(d), n(g));
        }
    }
    out.push_str("/>");
}

#[allow(clippy::too_many_arguments)]
fn text(
    out: &mut String,
    x: f32,
    y: f32,
    content: &str,
    size: f32,
    color: Rgba,
    anchor: &str,
    baseline: &str,
    mono: bool,
) {
    let family = if mono {
        r#" font-family="Hack, monospace""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{anchor}" dominant-baseline="{baseline}"{family}>{}</text>"#,
        n(x),
        n(y),
        n(size),
        color.hex(),
        escape(content)
    );
}

/// A number as SVG wants it: short, and never NaN.
fn n(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Text escaped for XML, without the characters XML forbids.
fn escape(text: &str) -> String {
    super::escape::xml(text)
}
