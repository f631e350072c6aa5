//! Pointer gestures on the canvas: pan and zoom, select and move, resize a container,
//! draw a link, box-select and the background's menu, turned into commands.

use egui::{CursorIcon, Sense, Vec2};

use super::draw::{self, to_egui};
use crate::editor::commands::Command;
use crate::editor::state::{GRID, Gesture, LinkKey, ResizeHandle, UiState};
use crate::layout::view::{self, Camera};
use crate::model::geom::{Point, Rect};
use crate::model::{Diagram, ResourceId};
use crate::ui::theme::Palette;

/// Pointer distance (screen pixels) within which a link counts as hit.
const LINK_HIT_PX: f32 = 6.0;
/// Size of a container's resize corner (screen pixels).
const CORNER_PX: f32 = 14.0;
/// Thickness of a container's resizable edges (screen pixels).
pub(super) const EDGE_PX: f32 = 8.0;
/// Smallest container, in world units.
const MIN_CONTAINER_W: f32 = 160.0;
/// Smallest container height, in world units.
const MIN_CONTAINER_H: f32 = 100.0;

pub(super) fn pan_and_zoom(
    ui: &egui::Ui,
    response: &egui::Response,
    state: &mut UiState,
    viewport: &Rect,
) {
    let (scroll, zoom, space, pointer) = ui.input(|i| {
        (
            i.smooth_scroll_delta,
            i.zoom_delta(),
            i.key_down(egui::Key::Space),
            i.pointer.hover_pos(),
        )
    });
    let over_canvas = pointer.is_some_and(|p| response.rect.contains(p))
        && response.contains_pointer()
        || response.dragged();
    if !over_canvas && state.gesture != Gesture::Panning {
        return;
    }
    if zoom != 1.0
        && let Some(p) = pointer
    {
        state
            .camera
            .zoom_about(Point::new(p.x, p.y), viewport, zoom);
    } else if scroll != Vec2::ZERO {
        state.camera.pan_by_screen(scroll.x, scroll.y);
    }
    let middle = response.dragged_by(egui::PointerButton::Middle);
    let space_drag = space && response.dragged_by(egui::PointerButton::Primary);
    if middle || space_drag {
        let delta = response.drag_delta();
        state.camera.pan_by_screen(-delta.x, -delta.y);
        state.gesture = Gesture::Panning;
    } else if state.gesture == Gesture::Panning {
        state.gesture = Gesture::Idle;
    }
}

/// Clicks and drags on a node or a container's title band.
pub(super) fn item_gestures(
    response: &egui::Response,
    id: &ResourceId,
    state: &mut UiState,
    diagram: &Diagram,
    camera: &Camera,
    out: &mut Vec<Command>,
) {
    let modifiers = response.ctx.input(|i| i.modifiers);
    if response.clicked() {
        if modifiers.shift || modifiers.command {
            out.push(Command::ToggleSelect(id.clone()));
        } else {
            out.push(Command::Select(vec![id.clone()]));
        }
    }
    if response.drag_started_by(egui::PointerButton::Primary)
        && !state.running
        && !response.ctx.input(|i| i.key_down(egui::Key::Space))
    {
        let mut ids = state.selection.resources.clone();
        if !state.selection.contains(id) {
            ids = if modifiers.shift {
                ids.into_iter().chain([id.clone()]).collect()
            } else {
                vec![id.clone()]
            };
            out.push(Command::Select(ids.clone()));
        }
        ids.retain(|i| diagram.contains(i.as_str()));
        out.push(Command::BeginGesture(format!(
            "Move {} resource{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        )));
        state.gesture = Gesture::Moving {
            ids,
            moved: (0.0, 0.0),
            carry: (0.0, 0.0),
        };
    }
    if response.dragged_by(egui::PointerButton::Primary)
        && let Gesture::Moving { ids, moved, carry } = &mut state.gesture
    {
        let delta = response.drag_delta() / camera.zoom;
        let (mut dx, mut dy) = (delta.x + carry.0, delta.y + carry.1);
        if state.snap_to_grid {
            let (sx, sy) = (view::snap(dx, GRID / 2.0), view::snap(dy, GRID / 2.0));
            *carry = (dx - sx, dy - sy);
            (dx, dy) = (sx, sy);
        }
        if dx != 0.0 || dy != 0.0 {
            moved.0 += dx;
            moved.1 += dy;
            out.push(Command::Translate {
                ids: ids.clone(),
                dx,
                dy,
            });
        }
    }
    if response.drag_stopped()
        && let Gesture::Moving { ids, .. } = std::mem::take(&mut state.gesture)
    {
        out.push(Command::Settle(ids));
        out.push(Command::EndGesture);
    }
}

pub(super) fn resize_gesture(
    response: &egui::Response,
    id: ResourceId,
    rect: Rect,
    handle: ResizeHandle,
    state: &mut UiState,
    camera: &Camera,
    out: &mut Vec<Command>,
) {
    if response.drag_started() {
        out.push(Command::BeginGesture(format!("Resize {id}")));
        state.gesture = Gesture::Resizing {
            id: id.clone(),
            original: rect,
            handle,
        };
    }
    if response.dragged()
        && let Gesture::Resizing {
            id: resizing,
            original,
            handle,
        } = &state.gesture
        && resizing == &id
    {
        let ends = (
            response.ctx.input(|i| i.pointer.press_origin()),
            response.ctx.input(|i| i.pointer.interact_pos()),
        );
        if let (Some(start), Some(now)) = ends {
            let d = (now - start) / camera.zoom;
            let (dx, dy) = (view::snap(d.x, GRID), view::snap(d.y, GRID));
            let rect = handle.resized(original, dx, dy, MIN_CONTAINER_W, MIN_CONTAINER_H);
            out.push(Command::Resize {
                id: id.clone(),
                rect,
            });
        }
    }
    if response.drag_stopped()
        && matches!(&state.gesture, Gesture::Resizing { id: r, .. } if r == &id)
    {
        state.gesture = Gesture::Idle;
        out.push(Command::EndGesture);
    }
}

/// The edges and corner a container is resized by, as screen rectangles.
pub(super) fn resize_handles(
    screen: egui::Rect,
    header: f32,
) -> [(ResizeHandle, egui::Rect, CursorIcon); 4] {
    let t = EDGE_PX;
    let body_top = screen.top() + header;
    [
        (
            ResizeHandle::Left,
            egui::Rect::from_min_max(
                egui::pos2(screen.left() - t / 2.0, body_top),
                egui::pos2(screen.left() + t / 2.0, screen.bottom() - CORNER_PX),
            ),
            CursorIcon::ResizeHorizontal,
        ),
        (
            ResizeHandle::Right,
            egui::Rect::from_min_max(
                egui::pos2(screen.right() - t / 2.0, body_top),
                egui::pos2(screen.right() + t / 2.0, screen.bottom() - CORNER_PX),
            ),
            CursorIcon::ResizeHorizontal,
        ),
        (
            ResizeHandle::Bottom,
            egui::Rect::from_min_max(
                egui::pos2(screen.left() + t, screen.bottom() - t / 2.0),
                egui::pos2(screen.right() - CORNER_PX, screen.bottom() + t / 2.0),
            ),
            CursorIcon::ResizeVertical,
        ),
        (
            ResizeHandle::BottomRight,
            egui::Rect::from_min_max(
                screen.right_bottom() - Vec2::splat(CORNER_PX),
                screen.right_bottom() + Vec2::splat(t / 2.0),
            ),
            CursorIcon::ResizeNwSe,
        ),
    ]
}

#[allow(clippy::too_many_arguments)]
pub(super) fn link_handles(
    ui: &egui::Ui,
    painter: &egui::Painter,
    diagram: &Diagram,
    state: &mut UiState,
    hovered: Option<(ResourceId, Rect)>,
    camera: &Camera,
    viewport: &Rect,
    palette: &Palette,
    out: &mut Vec<Command>,
) {
    // The handle shows on the hovered node and on a single selected node.
    let mut owners: Vec<ResourceId> = hovered.iter().map(|(id, _)| id.clone()).collect();
    if let [only] = state.selection.resources.as_slice()
        && !owners.contains(only)
    {
        owners.push(only.clone());
    }
    if let Gesture::Connecting { from, .. } = &state.gesture
        && !owners.contains(from)
    {
        owners.push(from.clone());
    }
    for id in owners {
        let Some(resource) = diagram.resource(id.as_str()) else {
            continue;
        };
        let screen = to_egui(&camera.rect_to_screen(&resource.rect, viewport));
        let radius = (6.0 * camera.zoom).clamp(4.0, 9.0);
        let center = egui::pos2(screen.right(), screen.center().y);
        let handle = ui
            .interact(
                egui::Rect::from_center_size(center, Vec2::splat(radius * 2.6)),
                ui.scope_id().with(("link_handle", &id)),
                Sense::drag(),
            )
            .on_hover_cursor(CursorIcon::Crosshair)
            .on_hover_text("Drag to another resource to link them");
        handle.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Link from {id}"))
        });
        draw::link_handle(painter, center, radius, palette);
        let pointer = ui
            .input(|i| i.pointer.interact_pos())
            .map(|p| camera.to_world(Point::new(p.x, p.y), viewport));
        if handle.drag_started() {
            state.gesture = Gesture::Connecting {
                from: id.clone(),
                pointer: pointer.unwrap_or(resource.rect.center()),
            };
        }
        if handle.dragged()
            && let (Gesture::Connecting { pointer: p, .. }, Some(now)) =
                (&mut state.gesture, pointer)
        {
            *p = now;
        }
        if handle.drag_stopped()
            && let Gesture::Connecting { from, pointer } = std::mem::take(&mut state.gesture)
        {
            let corner = CORNER_PX / camera.zoom;
            match view::hit_test(diagram, pointer, corner) {
                Some(hit) if hit.id != from => out.push(Command::Connect { from, to: hit.id }),
                _ => {}
            }
        }
    }
}

/// Clicks and drags on the empty canvas and container bodies.
pub(super) fn background_gestures(
    ui: &egui::Ui,
    response: &egui::Response,
    diagram: &Diagram,
    state: &mut UiState,
    camera: &Camera,
    viewport: &Rect,
    out: &mut Vec<Command>,
) {
    let to_world = |p: egui::Pos2| camera.to_world(Point::new(p.x, p.y), viewport);
    let modifiers = ui.input(|i| i.modifiers);
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let world = to_world(pos);
        let link = link_at(diagram, &state.routes, world, LINK_HIT_PX / camera.zoom);
        let hit = view::hit_test(diagram, world, CORNER_PX / camera.zoom);
        match (link, hit) {
            (Some(link), _) => out.push(Command::SelectLink(link)),
            (None, Some(hit)) if modifiers.shift || modifiers.command => {
                out.push(Command::ToggleSelect(hit.id))
            }
            (None, Some(hit)) => out.push(Command::Select(vec![hit.id])),
            (None, None) => out.push(Command::ClearSelection),
        }
    }
    if response.double_clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && view::hit_test(diagram, to_world(pos), 0.0).is_none()
    {
        out.push(Command::ZoomToFit);
    }
    if response.secondary_clicked()
        && !state.running
        && let Some(pos) = response.interact_pointer_pos()
    {
        out.push(Command::AddNote { at: to_world(pos) });
    }
    let space = ui.input(|i| i.key_down(egui::Key::Space));
    if response.drag_started_by(egui::PointerButton::Primary) && !space {
        if let Some(pos) = response.interact_pointer_pos() {
            let start = to_world(pos);
            state.gesture = Gesture::BoxSelecting {
                start,
                current: start,
            };
        }
    }
    if response.dragged_by(egui::PointerButton::Primary)
        && let (Gesture::BoxSelecting { current, .. }, Some(pos)) =
            (&mut state.gesture, response.interact_pointer_pos())
    {
        *current = to_world(pos);
    }
    if response.drag_stopped()
        && let Gesture::BoxSelecting { start, current } = std::mem::take(&mut state.gesture)
    {
        let area = Rect::new(
            start.x.min(current.x),
            start.y.min(current.y),
            (start.x - current.x).abs(),
            (start.y - current.y).abs(),
        );
        let mut ids = view::resources_in(diagram, &area);
        if modifiers.shift {
            ids = state
                .selection
                .resources
                .iter()
                .cloned()
                .chain(ids)
                .collect();
            ids.dedup();
        }
        out.push(Command::Select(ids));
    }
}

fn link_at(
    diagram: &Diagram,
    routes: &crate::layout::routes::Routes,
    world: Point,
    tolerance: f32,
) -> Option<LinkKey> {
    diagram
        .links()
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, link)| {
            let route = routes.route_of(diagram, index);
            (view::distance_to_route(world, &route) <= tolerance).then(|| LinkKey {
                from: link.from.clone(),
                to: link.to.clone(),
                kind: link.kind,
            })
        })
}
