//! The canvas: pan and zoom, drawing, and pointer gestures (select, move, resize, link,
//! box-select, drop from the palette), turned into commands.

pub mod draw;
mod gestures;
pub mod minimap;
mod run_menu;

use egui::Sense;

use super::palette::PaletteItem;
use super::theme::Palette;
use crate::editor::commands::Command;
use crate::editor::state::{GRID, Gesture, UiState};
use crate::layout::view::{self, Camera};
use crate::model::Diagram;
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use draw::{from_egui, to_egui};
use gestures::{
    EDGE_PX, background_gestures, item_gestures, link_handles, pan_and_zoom, resize_gesture,
    resize_handles,
};
use run_menu::{failable_around, run_menu};

/// A run drawn over the design.
pub struct LiveCanvas<'a> {
    /// What the run looks like now.
    pub live: &'a crate::play::LiveView,
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
        // The whole diagram in view: the minimap hides, so no corner is kept for it.
        state.camera = Camera::fit(&crate::layout::bounds(diagram), viewport.w, viewport.h);
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

    state.routes.update(diagram);
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
    let screen = |p: Point| {
        let s = camera.to_screen(p, &viewport);
        egui::pos2(s.x, s.y)
    };
    for (index, link) in diagram.links().iter().enumerate() {
        let (Some(from), Some(to)) = (
            diagram.resource(link.from.as_str()),
            diagram.resource(link.to.as_str()),
        ) else {
            continue;
        };
        if !visible.intersects(&from.rect.union(&to.rect)) {
            continue;
        }
        let drawing = state.routes.drawing_of(diagram, index);
        let route: Vec<egui::Pos2> = drawing.iter().map(|p| screen(*p)).collect();
        let label_at =
            crate::layout::tidy::label_point(&state.routes.route_of(diagram, index)).map(screen);
        draw::link(
            &painter,
            &route,
            label_at,
            link.kind,
            &link.label,
            camera.zoom,
            palette,
            draw::is_selected_link(selected_link.as_ref(), link),
        );
    }

    if let Some(overlay) = &overlay {
        overlay.flows(&painter, &state.routes);
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
                    None,
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
            Err(reason) => state.say(crate::editor::state::Tone::Error, reason),
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
