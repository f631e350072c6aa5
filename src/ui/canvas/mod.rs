//! The canvas: pan and zoom, drawing, and pointer gestures (select, move, resize, link,
//! box-select, drop from the palette), turned into commands.

pub mod draw;
pub mod minimap;
mod run_menu;

use egui::{CursorIcon, Sense, Vec2};

use super::commands::Command;
use super::palette::PaletteItem;
use super::state::{GRID, Gesture, LinkKey, ResizeHandle, UiState};
use super::theme::Palette;
use crate::catalog::catalog;
use crate::geom::{Point, Rect};
use crate::model::{Diagram, ResourceId};
use crate::view::{self, Camera};
use draw::{from_egui, to_egui};
use run_menu::{failable_around, run_menu};

/// Pointer distance (screen pixels) within which a link counts as hit.
const LINK_HIT_PX: f32 = 6.0;
/// Size of a container's resize corner (screen pixels).
const CORNER_PX: f32 = 14.0;
/// Thickness of a container's resizable edges (screen pixels).
const EDGE_PX: f32 = 8.0;
/// Smallest container, in world units.
const MIN_CONTAINER_W: f32 = 160.0;
/// Smallest container height, in world units.
const MIN_CONTAINER_H: f32 = 100.0;

/// A run drawn over the design.
pub struct LiveCanvas<'a> {
    /// What the run looks like now.
    pub live: &'a crate::ui::run::LiveView,
    /// Seconds of animation, for the moving requests.
    pub animation_secs: f64,
}

/// The canvas; with a run, its live state over the design and right-click failures.
pub fn canvas_ui(
    ui: &mut egui::Ui,
    diagram: &Diagram,
    state: &mut UiState,
    palette: &Palette,
    live: Option<LiveCanvas<'_>>,
    out: &mut Vec<Command>,
) {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Canvas"));
    let viewport = from_egui(response.rect);
    if state.fit_pending && viewport.w > 10.0 {
        let reserved = if state.show_minimap {
            minimap::RESERVED_WIDTH
        } else {
            0.0
        };
        state.camera = Camera::fit_clear_of_corner(
            &crate::generate::bounds(diagram),
            viewport.w,
            viewport.h,
            reserved,
            minimap::RESERVED_HEIGHT,
        );
        // Panels settle over the first frames: keep fitting until the canvas size holds.
        let size = (viewport.w, viewport.h);
        if state.fitted_size == Some(size) {
            state.fit_pending = false;
        }
        state.fitted_size = Some(size);
    }
    pan_and_zoom(ui, &response, state, &viewport);
    let camera = state.camera;
    let pointer_screen = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|p| response.rect.contains(*p));
    let pointer_world = pointer_screen.map(|p| camera.to_world(Point::new(p.x, p.y), &viewport));

    draw::background(&painter, &viewport, &camera, palette, state.show_grid);
    let visible = camera.visible_world(&viewport).expanded(20.0);
    let drag_target = palette_drop(ui, state, diagram, pointer_world, out);
    let overlay = live.as_ref().map(|l| crate::ui::run::overlay::Overlay {
        diagram,
        live: l.live,
        camera: &camera,
        viewport: &viewport,
        palette,
        animation_secs: l.animation_secs,
        pointer: pointer_screen,
    });

    // Containers, outermost first, each with a header and a resize corner that react.
    for resource in draw::containers_in_order(diagram) {
        if !visible.intersects(&resource.rect) {
            continue;
        }
        let screen = camera.rect_to_screen(&resource.rect, &viewport);
        let selected = state.selection.contains(&resource.id);
        draw::container(&painter, resource, &screen, camera.zoom, palette, selected);
        let header = Rect::new(
            screen.x,
            screen.y,
            screen.w,
            (crate::layout::HEADER * camera.zoom).max(6.0),
        );
        let header_response = ui.interact(
            to_egui(&header),
            ui.scope_id().with(("container", &resource.id)),
            Sense::click_and_drag(),
        );
        header_response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Group, true, accessible_name(resource))
        });
        item_gestures(&header_response, &resource.id, state, diagram, &camera, out);
        if state.running {
            run_menu(&header_response, resource, overlay.as_ref(), out);
            continue;
        }
        // Resize handles only where they can be used: on the container under the pointer,
        // the selected one, or the one being resized; never when it is too small to grab.
        let resizing = matches!(&state.gesture, Gesture::Resizing { id, .. } if id == &resource.id);
        let pointer_inside =
            pointer_screen.is_some_and(|p| to_egui(&screen).expand(EDGE_PX).contains(p));
        let worth_handles =
            (pointer_inside || selected || resizing) && screen.w.min(screen.h) >= 40.0;
        let header_px = (crate::layout::HEADER * camera.zoom).max(6.0);
        for (handle, area, cursor) in resize_handles(to_egui(&screen), header_px)
            .into_iter()
            .filter(|_| worth_handles)
        {
            let handle_response = ui
                .interact(
                    area,
                    ui.scope_id().with(("resize", &resource.id, handle as u8)),
                    Sense::drag(),
                )
                .on_hover_cursor(cursor);
            handle_response.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Splitter,
                    true,
                    format!("Resize {} ({handle:?})", resource.id),
                )
            });
            resize_gesture(
                &handle_response,
                resource.id.clone(),
                resource.rect,
                handle,
                state,
                &camera,
                out,
            );
        }
    }

    if let Some(overlay) = &overlay {
        overlay.zones(&painter);
    }

    // Links.
    let selected_link = state.selection.link.clone();
    for link in diagram.links() {
        let (Some(from), Some(to)) = (
            diagram.resource(link.from.as_str()),
            diagram.resource(link.to.as_str()),
        ) else {
            continue;
        };
        if !visible.intersects(&from.rect.union(&to.rect)) {
            continue;
        }
        let route = draw::link_route(&from.rect, &to.rect, &camera, &viewport);
        draw::link(
            &painter,
            &route,
            link.kind,
            &link.label,
            camera.zoom,
            palette,
            draw::is_selected_link(selected_link.as_ref(), link),
        );
    }

    if let Some(overlay) = &overlay {
        overlay.flows(&painter);
    }

    // Nodes, in drawing order.
    let mut hovered_node = None;
    for resource in diagram
        .resources()
        .filter(|r| !catalog().is_container(r.kind()))
    {
        if !visible.intersects(&resource.rect) {
            continue;
        }
        let screen = camera.rect_to_screen(&resource.rect, &viewport);
        let node_response = ui.interact(
            to_egui(&screen),
            ui.scope_id().with(("node", &resource.id)),
            Sense::click_and_drag(),
        );
        node_response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, accessible_name(resource))
        });
        let hovered = node_response.hovered();
        if hovered {
            hovered_node = Some((resource.id.clone(), screen));
        }
        draw::node(
            &painter,
            resource,
            &screen,
            camera.zoom,
            palette,
            state.selection.contains(&resource.id),
            hovered,
        );
        item_gestures(&node_response, &resource.id, state, diagram, &camera, out);
        if state.running {
            run_menu(&node_response, resource, overlay.as_ref(), out);
            continue;
        }
        if let Some(usd) = state.cost_by_resource.get(&resource.id) {
            draw::cost_badge(&painter, &screen, *usd, camera.zoom, palette);
        }
        if let Some((severity, count)) = state.findings_by_resource.get(&resource.id) {
            draw::finding_badge(&painter, &screen, *severity, *count, camera.zoom);
        }
    }
    if let Some(overlay) = &overlay {
        overlay.resources(&painter);
    }

    notes(
        ui, &painter, diagram, state, &camera, &viewport, palette, out,
    );
    let hovered_node = hovered_node.filter(|_| !state.running);
    link_handles(
        ui,
        &painter,
        diagram,
        state,
        hovered_node,
        &camera,
        &viewport,
        palette,
        out,
    );
    background_gestures(ui, &response, diagram, state, &camera, &viewport, out);
    if state.running {
        // A right-click inside a container's body: the menu of the AZ or Region around.
        if response.secondary_clicked() {
            state.run_menu_target = pointer_world
                .and_then(|p| view::hit_test(diagram, p, 0.0))
                .and_then(|hit| failable_around(diagram, &hit.id))
                .map(|r| r.id.clone());
        }
        if let Some(target) = state.run_menu_target.clone()
            && let Some(resource) = diagram.resource(target.as_str())
        {
            run_menu(&response, resource, overlay.as_ref(), out);
        }
    }

    // Overlays.
    match &state.gesture {
        Gesture::BoxSelecting { start, current } => {
            let a = camera.to_screen(*start, &viewport);
            let b = camera.to_screen(*current, &viewport);
            draw::selection_box(
                &painter,
                egui::Rect::from_two_pos(egui::pos2(a.x, a.y), egui::pos2(b.x, b.y)),
                palette,
            );
        }
        Gesture::Connecting { from, pointer } => {
            if let Some(source) = diagram.resource(from.as_str()) {
                let end = Rect::new(pointer.x, pointer.y, 0.0, 0.0);
                let route = draw::link_route(&source.rect, &end, &camera, &viewport);
                draw::link(
                    &painter,
                    &route,
                    crate::model::LinkKind::Traffic,
                    "",
                    camera.zoom,
                    palette,
                    true,
                );
            }
        }
        _ => {}
    }
    if state.show_minimap {
        minimap::minimap_ui(ui, response.rect, diagram, state, palette);
    }
    if let Some((target, refusal)) = drag_target {
        let target = target.map(|r| to_egui(&camera.rect_to_screen(&r, &viewport)));
        let at = pointer_screen.unwrap_or(response.rect.center());
        draw::drop_target(
            &painter,
            target,
            refusal.as_deref().map(|r| (r, at)),
            palette,
        );
    }
}

/// The name assistive technology and tests use for a resource.
pub fn accessible_name(resource: &crate::model::Resource) -> String {
    if resource.name.is_empty() {
        resource.id.to_string()
    } else {
        format!("{} ({})", resource.name, resource.id)
    }
}

fn pan_and_zoom(ui: &egui::Ui, response: &egui::Response, state: &mut UiState, viewport: &Rect) {
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
fn item_gestures(
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

fn resize_gesture(
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
fn resize_handles(screen: egui::Rect, header: f32) -> [(ResizeHandle, egui::Rect, CursorIcon); 4] {
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
fn link_handles(
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
fn background_gestures(
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
        let link = link_at(diagram, world, LINK_HIT_PX / camera.zoom);
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

fn link_at(diagram: &Diagram, world: Point, tolerance: f32) -> Option<LinkKey> {
    diagram.links().iter().rev().find_map(|link| {
        let from = diagram.resource(link.from.as_str())?;
        let to = diagram.resource(link.to.as_str())?;
        let route = view::link_route(&from.rect, &to.rect);
        (view::distance_to_route(world, &route) <= tolerance).then(|| LinkKey {
            from: link.from.clone(),
            to: link.to.clone(),
            kind: link.kind,
        })
    })
}

#[allow(clippy::too_many_arguments)]
fn notes(
    ui: &egui::Ui,
    painter: &egui::Painter,
    diagram: &Diagram,
    state: &mut UiState,
    camera: &Camera,
    viewport: &Rect,
    palette: &Palette,
    out: &mut Vec<Command>,
) {
    for note in diagram.notes() {
        let screen = camera.rect_to_screen(&note.rect, viewport);
        let selected = state.selection.note.as_ref() == Some(&note.id);
        draw::note(painter, note, &screen, camera.zoom, palette, selected);
        let response = ui.interact(
            to_egui(&screen),
            ui.scope_id().with(("note", &note.id)),
            Sense::click_and_drag(),
        );
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Note, true, format!("Note {}", note.id))
        });
        if response.clicked() {
            out.push(Command::SelectNote(note.id.clone()));
        }
        if response.drag_started() {
            out.push(Command::SelectNote(note.id.clone()));
            out.push(Command::BeginGesture("Move note".into()));
            state.gesture = Gesture::MovingNote {
                id: note.id.clone(),
            };
        }
        if response.dragged()
            && matches!(&state.gesture, Gesture::MovingNote { id } if id == &note.id)
        {
            let delta = response.drag_delta() / camera.zoom;
            out.push(Command::MoveNote {
                id: note.id.clone(),
                dx: delta.x,
                dy: delta.y,
            });
        }
        if response.drag_stopped()
            && matches!(&state.gesture, Gesture::MovingNote { id } if id == &note.id)
        {
            state.gesture = Gesture::Idle;
            out.push(Command::EndGesture);
        }
    }
}

/// Handles a palette item dragged over the canvas; on release, adds the resource. Returns
/// the container to highlight and any refusal to show.
fn palette_drop(
    ui: &egui::Ui,
    state: &mut UiState,
    diagram: &Diagram,
    pointer: Option<Point>,
    out: &mut Vec<Command>,
) -> Option<(Option<Rect>, Option<String>)> {
    let item = egui::DragAndDrop::payload::<PaletteItem>(ui.ctx())?;
    let Some(at) = pointer else {
        state.palette_drag = None;
        return None;
    };
    let PaletteItem(kind) = *item;
    let verdict = view::drop_parent(diagram, at, kind, &[]);
    let released = ui.input(|i| i.pointer.primary_released());
    if released {
        egui::DragAndDrop::clear_payload(ui.ctx());
        state.palette_drag = None;
        let at = if state.snap_to_grid {
            Point::new(view::snap(at.x, GRID), view::snap(at.y, GRID))
        } else {
            at
        };
        match verdict {
            Ok(parent) => out.push(Command::Add { kind, at, parent }),
            Err(reason) => state.say(super::state::Tone::Error, reason),
        }
        return None;
    }
    let shown = match &verdict {
        Ok(Some(parent)) => (diagram.resource(parent.as_str()).map(|r| r.rect), None),
        Ok(None) => (None, None),
        Err(reason) => (None, Some(reason.clone())),
    };
    state.palette_drag = Some((kind, verdict));
    Some(shown)
}
