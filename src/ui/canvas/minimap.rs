//! The minimap: the whole diagram in a corner of the canvas, with the visible part outlined.
//! Clicking or dragging in it moves the view there.

use egui::{CornerRadius, Sense, Stroke, StrokeKind, Vec2};

use super::draw::{from_egui, to_egui};
use crate::editor::state::UiState;
use crate::model::Diagram;
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::ui::theme::Palette;

use crate::editor::state::{MINIMAP_MARGIN, MINIMAP_SIZE};

/// Size of the minimap on screen.
const SIZE: Vec2 = Vec2::new(MINIMAP_SIZE.0, MINIMAP_SIZE.1);
/// Distance from the canvas corner.
const MARGIN: f32 = MINIMAP_MARGIN;

/// Maps world coordinates into the minimap's rectangle, keeping proportions.
#[derive(Clone, Copy, Debug)]
pub struct MinimapTransform {
    world: Rect,
    screen: Rect,
    scale: f32,
}

impl MinimapTransform {
    /// The transform showing `world` (with some margin) inside `screen`.
    pub fn new(world: &Rect, screen: &Rect) -> Self {
        let world = world.expanded(40.0);
        let scale = (screen.w / world.w.max(1.0)).min(screen.h / world.h.max(1.0));
        MinimapTransform {
            world,
            screen: *screen,
            scale,
        }
    }

    fn offset(&self) -> (f32, f32) {
        (
            self.screen.x + (self.screen.w - self.world.w * self.scale) / 2.0,
            self.screen.y + (self.screen.h - self.world.h * self.scale) / 2.0,
        )
    }

    /// A world rectangle in the minimap.
    pub fn to_minimap(&self, r: &Rect) -> Rect {
        let (ox, oy) = self.offset();
        Rect::new(
            ox + (r.x - self.world.x) * self.scale,
            oy + (r.y - self.world.y) * self.scale,
            r.w * self.scale,
            r.h * self.scale,
        )
    }

    /// The world point under a minimap point.
    pub fn to_world(&self, p: Point) -> Point {
        let (ox, oy) = self.offset();
        Point::new(
            self.world.x + (p.x - ox) / self.scale,
            self.world.y + (p.y - oy) / self.scale,
        )
    }
}

/// Draws a whole diagram small inside `area`: containers as outlines, resources as dots
/// in their category colour. Used by the minimap and the template gallery.
pub fn paint_overview(
    painter: &egui::Painter,
    area: egui::Rect,
    diagram: &Diagram,
    palette: &Palette,
) -> MinimapTransform {
    let bounds = crate::layout::bounds(diagram);
    let map = MinimapTransform::new(&bounds, &from_egui(area));
    for resource in diagram.resources() {
        let r = to_egui(&map.to_minimap(&resource.rect));
        if catalog().is_container(resource.kind()) {
            painter.rect_stroke(
                r,
                CornerRadius::ZERO,
                Stroke::new(0.8, palette.weak_text.gamma_multiply(0.6)),
                StrokeKind::Inside,
            );
        } else {
            painter.rect_filled(
                r.expand(0.5),
                CornerRadius::ZERO,
                super::super::theme::kind_color(resource.kind()),
            );
        }
    }
    map
}

/// Draws the minimap in the bottom-right corner of `canvas` and moves the camera when it is
/// clicked or dragged.
pub fn minimap_ui(
    ui: &egui::Ui,
    canvas: egui::Rect,
    diagram: &Diagram,
    state: &mut UiState,
    palette: &Palette,
) {
    if diagram.is_empty() || canvas.width() < SIZE.x * 2.5 || canvas.height() < SIZE.y * 2.5 {
        return;
    }
    // Everything in view: there is nothing to find, and the corner belongs to the diagram.
    let visible = state.camera.visible_world(&from_egui(canvas));
    if visible.contains_rect(&crate::layout::bounds(diagram)) {
        return;
    }
    let area = egui::Rect::from_min_size(canvas.right_bottom() - SIZE - Vec2::splat(MARGIN), SIZE);
    let painter = ui.painter().with_clip_rect(area);
    painter.rect(
        area,
        CornerRadius::same(6),
        palette.card.gamma_multiply(0.94),
        Stroke::new(1.0, palette.grid),
        StrokeKind::Inside,
    );
    let map = paint_overview(&painter, area.shrink(6.0), diagram, palette);
    let viewport = from_egui(canvas);
    let visible = to_egui(&map.to_minimap(&state.camera.visible_world(&viewport)));
    painter.rect(
        visible,
        CornerRadius::same(2),
        palette.selection.gamma_multiply(0.12),
        Stroke::new(1.5, palette.selection),
        StrokeKind::Inside,
    );

    let response = ui.interact(area, ui.scope_id().with("minimap"), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Minimap"));
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        state.camera.center = map.to_world(Point::new(p.x, p.y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimap_round_trips_points_and_keeps_the_world_inside() {
        let world = Rect::new(-100.0, 50.0, 2000.0, 1000.0);
        let screen = Rect::new(10.0, 10.0, 200.0, 140.0);
        let map = MinimapTransform::new(&world, &screen);
        let shown = map.to_minimap(&world);
        assert!(screen.expanded(0.01).contains_rect(&shown), "{shown:?}");
        let c = shown.center();
        let back = map.to_world(c);
        assert!((back.x - world.center().x).abs() < 0.5 && (back.y - world.center().y).abs() < 0.5);
    }
}
