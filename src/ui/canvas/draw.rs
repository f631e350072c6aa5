//! Painting the canvas: background and grid, containers (outermost first), links, resource
//! nodes, notes, then overlays. Only what is visible is drawn; far out, labels give way to
//! plain shapes.

use egui::{
    Align2, Color32, CornerRadius, FontId, Painter, Pos2, Shape, Stroke, StrokeKind, Vec2, pos2,
};

use crate::editor::state::{GRID, LinkKey};
use crate::layout::view::{self, Camera};
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Config, Diagram, Kind, LinkKind, Note, Resource};
use crate::style::{self, ellipsize};
use crate::ui::theme::{self, Palette};

/// Below this zoom, node labels are not drawn.
pub const LABEL_ZOOM: f32 = 0.35;

/// World rectangle to egui rectangle.
pub fn to_egui(r: &Rect) -> egui::Rect {
    egui::Rect::from_min_size(pos2(r.x, r.y), Vec2::new(r.w, r.h))
}

/// egui rectangle to world-type rectangle.
pub fn from_egui(r: egui::Rect) -> Rect {
    Rect::new(r.min.x, r.min.y, r.width(), r.height())
}

fn p(point: Point) -> Pos2 {
    pos2(point.x, point.y)
}

/// Background and grid.
pub fn background(
    painter: &Painter,
    viewport: &Rect,
    camera: &Camera,
    palette: &Palette,
    grid: bool,
) {
    painter.rect_filled(to_egui(viewport), CornerRadius::ZERO, palette.canvas);
    if !grid {
        return;
    }
    // Coarser grid when zoomed out, so dots never crowd.
    let mut step = GRID * 4.0;
    while step * camera.zoom < 24.0 {
        step *= 2.0;
    }
    let visible = camera.visible_world(viewport);
    let start_x = (visible.x / step).floor() * step;
    let start_y = (visible.y / step).floor() * step;
    let radius = (camera.zoom * 1.2).clamp(0.8, 1.6);
    let mut y = start_y;
    let mut dots = Vec::new();
    while y <= visible.bottom() {
        let mut x = start_x;
        while x <= visible.right() {
            dots.push(Shape::circle_filled(
                p(camera.to_screen(Point::new(x, y), viewport)),
                radius,
                palette.grid,
            ));
            x += step;
        }
        y += step;
    }
    painter.extend(dots);
}

/// A container frame with its title band.
pub fn container(
    painter: &Painter,
    resource: &Resource,
    screen: &Rect,
    zoom: f32,
    palette: &Palette,
    selected: bool,
) {
    let tier = match &resource.config {
        Config::Subnet(s) => Some(s.tier),
        _ => None,
    };
    let style = palette.frame(resource.kind(), tier);
    let rect = to_egui(screen);
    let radius = CornerRadius::same(if resource.kind() == Kind::Subnet {
        4
    } else {
        6
    });
    painter.rect_filled(rect, radius, style.fill);
    if style.dashed {
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        painter.extend(Shape::dashed_line(&corners, style.stroke, 8.0, 5.0));
    } else {
        painter.rect_stroke(rect, radius, style.stroke, StrokeKind::Inside);
    }
    if selected {
        painter.rect_stroke(
            rect.expand(3.0),
            radius,
            Stroke::new(2.0, palette.selection),
            StrokeKind::Outside,
        );
    }
    let header = crate::layout::HEADER * zoom;
    if header < 9.0 {
        return;
    }
    let font = FontId::proportional((13.0 * zoom).clamp(7.0, 26.0));
    let chip = egui::Rect::from_min_size(
        rect.min + Vec2::splat(6.0 * zoom),
        Vec2::splat((header - 10.0 * zoom).max(6.0)),
    );
    kind_icon(painter, chip, resource.kind(), zoom);
    let title = crate::layout::routes::container_title(resource);
    let text_pos = pos2(chip.right() + 6.0 * zoom, chip.center().y);
    let clip = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let title_rect = clip.text(
        text_pos,
        Align2::LEFT_CENTER,
        title,
        font.clone(),
        style.accent,
    );
    let detail = crate::layout::routes::container_detail(&resource.config);
    if !detail.is_empty() && title_rect.right() + 60.0 * zoom < rect.right() {
        let small = FontId::monospace((11.0 * zoom).clamp(6.0, 22.0));
        clip.text(
            pos2(rect.right() - 8.0 * zoom, chip.center().y),
            Align2::RIGHT_CENTER,
            detail,
            small,
            palette.weak_text,
        );
    }
    // The resize handle: two short diagonal strokes in the bottom-right corner.
    let c = rect.right_bottom();
    let s = (10.0 * zoom).clamp(4.0, 14.0);
    let stroke = Stroke::new(1.0, style.stroke.color.gamma_multiply(0.8));
    painter.line_segment([c + Vec2::new(-s, -2.0), c + Vec2::new(-2.0, -s)], stroke);
    painter.line_segment(
        [c + Vec2::new(-s / 2.0, -2.0), c + Vec2::new(-2.0, -s / 2.0)],
        stroke,
    );
}

/// A resource node: a card with the kind's icon and the name.
pub fn node(
    painter: &Painter,
    resource: &Resource,
    screen: &Rect,
    zoom: f32,
    palette: &Palette,
    selected: bool,
    hovered: bool,
) {
    let rect = to_egui(screen);
    let radius = CornerRadius::same((8.0 * zoom).clamp(2.0, 14.0) as u8);
    if zoom >= LABEL_ZOOM {
        painter.rect_filled(
            rect.translate(Vec2::new(0.0, 1.5)),
            radius,
            Color32::from_black_alpha(if palette.dark { 60 } else { 18 }),
        );
    }
    let border = if selected {
        Stroke::new(2.0, palette.selection)
    } else if hovered {
        Stroke::new(1.5, palette.selection.gamma_multiply(0.6))
    } else {
        Stroke::new(1.0, palette.grid)
    };
    painter.rect(rect, radius, palette.card, border, StrokeKind::Inside);
    let icon_size = 40.0 * zoom;
    let icon = egui::Rect::from_center_size(
        pos2(rect.center().x, rect.top() + 8.0 * zoom + icon_size / 2.0),
        Vec2::splat(icon_size),
    );
    kind_icon(painter, icon, resource.kind(), zoom);
    if zoom < LABEL_ZOOM {
        return;
    }
    let clip = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let name_font = FontId::proportional((12.5 * zoom).clamp(6.0, 40.0));
    clip.text(
        pos2(rect.center().x, icon.bottom() + 6.0 * zoom),
        Align2::CENTER_TOP,
        ellipsize(resource.label(), style::CARD_NAME_CHARS),
        name_font,
        palette.text,
    );
    let kind_font = FontId::proportional((10.0 * zoom).clamp(5.0, 32.0));
    let kind_name = catalog().name(resource.kind());
    clip.text(
        pos2(rect.center().x, icon.bottom() + 22.0 * zoom),
        Align2::CENTER_TOP,
        ellipsize(kind_name, style::CARD_KIND_CHARS),
        kind_font,
        palette.weak_text,
    );
}

/// A small pill with the monthly cost at the top-right corner of a node.
pub fn cost_badge(painter: &Painter, screen: &Rect, usd: f64, zoom: f32, palette: &Palette) {
    if zoom < LABEL_ZOOM || usd < 0.005 {
        return;
    }
    let text = if usd >= 1000.0 {
        format!("${:.1}k", usd / 1000.0)
    } else if usd >= 10.0 {
        format!("${usd:.0}")
    } else {
        format!("${usd:.2}")
    };
    let font = FontId::proportional((9.5 * zoom).clamp(6.0, 20.0));
    let galley = painter.layout_no_wrap(text, font, Color32::WHITE);
    let pad = Vec2::new(5.0, 1.5) * zoom.clamp(0.6, 2.0);
    let size = galley.size() + pad * 2.0;
    let rect = egui::Rect::from_min_size(
        pos2(
            screen.right() - size.x + 4.0 * zoom,
            screen.y - size.y / 2.0,
        ),
        size,
    );
    let fill = if palette.dark {
        Color32::from_rgb(0x1E, 0x7B, 0x4B)
    } else {
        Color32::from_rgb(0x1D, 0x81, 0x02)
    };
    painter.rect_filled(rect, CornerRadius::same((size.y / 2.0) as u8), fill);
    painter.galley(rect.min + pad, galley, Color32::WHITE);
}

/// A round badge on a resource's top-left corner: the number of findings, coloured by the
/// most serious. Info alone gets no badge, so the canvas shows what needs attention.
pub fn finding_badge(
    painter: &Painter,
    screen: &Rect,
    severity: crate::validate::Severity,
    count: usize,
    zoom: f32,
) {
    if zoom < LABEL_ZOOM || severity == crate::validate::Severity::Info {
        return;
    }
    let radius = (8.0 * zoom).clamp(5.0, 14.0);
    let center = pos2(screen.x + 2.0 * zoom, screen.y);
    painter.circle_filled(
        center,
        radius,
        crate::ui::findings_panel::severity_color(severity),
    );
    painter.text(
        center,
        egui::Align2::CENTER_CENTER,
        if count > 9 {
            "9+".to_owned()
        } else {
            count.to_string()
        },
        FontId::proportional(radius * 1.2),
        Color32::WHITE,
    );
}

/// The icon of a kind; without one, a rounded square in its category colour with its
/// short name.
pub fn kind_icon(painter: &Painter, rect: egui::Rect, kind: Kind, zoom: f32) {
    // Below 12 points the pictogram cannot be read: a colour chip says as much, cheaper.
    if rect.width() >= 12.0 && crate::ui::icons::paint(painter, rect, kind) {
        return;
    }
    let color = theme::kind_color(kind);
    painter.rect_filled(rect, CornerRadius::same((rect.width() * 0.18) as u8), color);
    let short = short_name(kind);
    let size = rect.height() * if short.len() > 3 { 0.3 } else { 0.38 };
    if size >= 5.0 && zoom > 0.0 {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            short,
            FontId::proportional(size),
            Color32::WHITE,
        );
    }
}

/// A short name for a kind: its acronym, or the initials of its display name.
pub fn short_name(kind: Kind) -> String {
    let name = catalog().name(kind);
    let first = name.split_whitespace().next().unwrap_or(name);
    if first.len() >= 2
        && first
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return first.to_owned();
    }
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if initials.len() >= 2 {
        initials.to_uppercase()
    } else {
        name.chars().take(3).collect::<String>().to_uppercase()
    }
}

/// How a link kind is drawn, in egui's terms.
pub struct LinkStyle {
    /// Colour.
    pub color: Color32,
    /// Width.
    pub width: f32,
    /// Dash length, if dashed.
    pub dash: Option<(f32, f32)>,
    /// Arrow at the end.
    pub arrow: bool,
}

/// The style of a link kind, from the design tokens.
pub fn link_style(kind: LinkKind, palette: &Palette) -> LinkStyle {
    let s = crate::style::link_style(kind, palette.tokens());
    LinkStyle {
        color: crate::ui::theme::color(s.color),
        width: s.width,
        dash: s.dash,
        arrow: s.arrow,
    }
}

/// A link along its route, its label at `label_at` (screen coordinates).
#[allow(clippy::too_many_arguments)]
pub fn link(
    painter: &Painter,
    route: &[Pos2],
    label_at: Option<Pos2>,
    kind: LinkKind,
    label: &str,
    zoom: f32,
    palette: &Palette,
    selected: bool,
) {
    let style = link_style(kind, palette);
    let width = style.width * zoom.clamp(0.6, 2.0);
    if selected {
        painter.add(Shape::line(
            route.to_vec(),
            Stroke::new(width + 5.0, palette.selection.gamma_multiply(0.35)),
        ));
    }
    let stroke = Stroke::new(width, style.color);
    match style.dash {
        Some((dash, gap)) => {
            painter.extend(Shape::dashed_line(
                route,
                stroke,
                dash * zoom.max(0.5),
                gap * zoom.max(0.5),
            ));
        }
        None => {
            painter.add(Shape::line(route.to_vec(), stroke));
        }
    }
    if style.arrow && route.len() >= 2 {
        let tip = route[route.len() - 1];
        let dir = (tip - route[route.len() - 2]).normalized();
        let size = (8.0 * zoom).clamp(4.0, 14.0);
        let normal = Vec2::new(-dir.y, dir.x);
        let head = vec![
            tip,
            tip - dir * size + normal * size * 0.5,
            tip - dir * size - normal * size * 0.5,
        ];
        painter.add(Shape::convex_polygon(head, style.color, Stroke::NONE));
    }
    if !label.is_empty() && zoom >= LABEL_ZOOM && route.len() >= 2 {
        let mid = label_at.unwrap_or_else(|| route[0].lerp(route[route.len() - 1], 0.5));
        let font = FontId::proportional((10.5 * zoom).clamp(6.0, 24.0));
        let galley = painter.layout_no_wrap(label.to_owned(), font, palette.text);
        let bg = egui::Rect::from_center_size(mid, galley.size() + Vec2::new(8.0, 2.0));
        painter.rect_filled(bg, CornerRadius::same(3), palette.canvas);
        painter.galley(bg.center() - galley.size() / 2.0, galley, palette.text);
    }
}

/// The screen route of a link between two resources.
pub fn link_route(from: &Rect, to: &Rect, camera: &Camera, viewport: &Rect) -> Vec<Pos2> {
    view::link_route(from, to)
        .into_iter()
        .map(|pt| p(camera.to_screen(pt, viewport)))
        .collect()
}

/// A sticky note.
pub fn note(
    painter: &Painter,
    note: &Note,
    screen: &Rect,
    zoom: f32,
    palette: &Palette,
    selected: bool,
) {
    let fill = crate::ui::theme::color(crate::style::note_fill(note.color));
    let rect = to_egui(screen);
    painter.rect_filled(
        rect.translate(Vec2::new(1.5, 2.0)),
        CornerRadius::same(2),
        Color32::from_black_alpha(30),
    );
    let border = if selected {
        Stroke::new(2.0, palette.selection)
    } else {
        Stroke::NONE
    };
    painter.rect(
        rect,
        CornerRadius::same(2),
        fill,
        border,
        StrokeKind::Inside,
    );
    if zoom < LABEL_ZOOM {
        return;
    }
    let font = FontId::proportional((12.0 * zoom).clamp(6.0, 36.0));
    let galley = painter.layout(
        note.text.clone(),
        font,
        Color32::from_rgb(0x2B, 0x2B, 0x2B),
        rect.width() - 16.0 * zoom,
    );
    painter
        .with_clip_rect(rect.intersect(painter.clip_rect()))
        .galley(rect.min + Vec2::splat(8.0 * zoom), galley, Color32::BLACK);
}

/// The selection box being drawn.
pub fn selection_box(painter: &Painter, rect: egui::Rect, palette: &Palette) {
    painter.rect(
        rect,
        CornerRadius::ZERO,
        palette.selection.gamma_multiply(0.12),
        Stroke::new(1.0, palette.selection),
        StrokeKind::Inside,
    );
}

/// The handle a link is dragged from, on the right edge of a node.
pub fn link_handle(painter: &Painter, center: Pos2, radius: f32, palette: &Palette) {
    painter.circle(
        center,
        radius,
        palette.card,
        Stroke::new(1.5, palette.selection),
    );
    painter.circle_filled(center, radius * 0.45, palette.selection);
}

/// Outline of the container a palette item would land in, or a refusal at the pointer.
pub fn drop_target(
    painter: &Painter,
    target: Option<egui::Rect>,
    refusal: Option<(&str, Pos2)>,
    palette: &Palette,
) {
    if let Some(rect) = target {
        painter.rect_stroke(
            rect.expand(2.0),
            CornerRadius::same(6),
            Stroke::new(2.5, palette.selection),
            StrokeKind::Outside,
        );
    }
    if let Some((text, at)) = refusal {
        let galley =
            painter.layout_no_wrap(text.to_owned(), FontId::proportional(13.0), Color32::WHITE);
        let bg = egui::Rect::from_min_size(
            at + Vec2::new(16.0, 16.0),
            galley.size() + Vec2::new(12.0, 8.0),
        );
        painter.rect_filled(bg, CornerRadius::same(4), palette.error);
        painter.galley(bg.min + Vec2::new(6.0, 4.0), galley, Color32::WHITE);
    }
}

/// Order in which containers are drawn: outermost first, then drawing order.
pub fn containers_in_order(diagram: &Diagram) -> Vec<&Resource> {
    // Runs every frame: depths of the containers only, not of every resource.
    let mut containers: Vec<(usize, usize, &Resource)> = diagram
        .resources()
        .enumerate()
        .filter(|(_, r)| catalog().is_container(r.kind()))
        .map(|(order, r)| (diagram.ancestors(r.id.as_str()).len(), order, r))
        .collect();
    containers.sort_by_key(|(d, order, _)| (*d, *order));
    containers.into_iter().map(|(_, _, r)| r).collect()
}

/// True when `link` is the selected one.
pub fn is_selected_link(selected: Option<&LinkKey>, link: &crate::model::Link) -> bool {
    selected.is_some_and(|s| s.from == link.from && s.to == link.to && s.kind == link.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_read_like_aws_shorthand() {
        assert_eq!(short_name(Kind::Ec2Instance), "EC2");
        assert_eq!(short_name(Kind::ApplicationLoadBalancer), "ALB");
        assert_eq!(short_name(Kind::AutoScalingGroup), "ASG");
        assert_eq!(short_name(Kind::S3Bucket), "S3");
        assert_eq!(short_name(Kind::Vpc), "VPC");
        for &kind in Kind::ALL {
            let s = short_name(kind);
            assert!((2..=6).contains(&s.chars().count()), "{kind}: {s}");
        }
        assert_eq!(ellipsize("Employee directory ASG", 10), "Employee…");
    }
}
