//! The palette: every kind of the catalog by category, with a search box. Items are dragged
//! onto the canvas to create resources.

use egui::{CornerRadius, Sense, Vec2};

use crate::editor::state::UiState;
use crate::model::Kind;
use crate::model::catalog::catalog;

/// What a palette item carries while it is dragged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaletteItem(pub Kind);

/// The palette panel.
pub fn palette_ui(ui: &mut egui::Ui, state: &mut UiState) {
    ui.add_space(6.0);
    ui.heading("Resources");
    let search = ui.add(
        egui::TextEdit::singleline(&mut state.palette_filter)
            .hint_text("Search resources")
            .desired_width(f32::INFINITY),
    );
    search.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Search resources")
    });
    ui.add_space(4.0);
    let needle = state.palette_filter.trim().to_lowercase();
    let catalog = catalog();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for category in catalog.categories() {
                let kinds: Vec<&crate::model::catalog::KindInfo> = catalog
                    .kinds()
                    .iter()
                    .filter(|k| k.category == category.id)
                    .filter(|k| {
                        needle.is_empty()
                            || k.name.to_lowercase().contains(&needle)
                            || k.kind.name().to_lowercase().contains(&needle)
                    })
                    .collect();
                if kinds.is_empty() {
                    continue;
                }
                let header = egui::CollapsingHeader::new(&category.name)
                    .id_salt(("palette_category", category.id))
                    .default_open(true);
                // A search opens every matching category.
                let header = if needle.is_empty() {
                    header
                } else {
                    header.open(Some(true))
                };
                header.show(ui, |ui| {
                    for info in kinds {
                        palette_item(ui, info.kind, &info.name);
                    }
                });
            }
        });
}

fn palette_item(ui: &mut egui::Ui, kind: Kind, name: &str) {
    let id = egui::Id::unique(("palette_item", kind));
    let response = ui
        .dnd_drag_source(id, PaletteItem(kind), |ui| {
            let (rect, response) =
                ui.allocate_exact_size(Vec2::new(ui.available_width(), 28.0), Sense::hover());
            let hovered = response.hovered();
            if hovered {
                ui.painter().rect_filled(
                    rect,
                    CornerRadius::same(4),
                    ui.visuals().widgets.hovered.weak_bg_fill,
                );
            }
            let icon = egui::Rect::from_min_size(rect.min + Vec2::new(4.0, 4.0), Vec2::splat(20.0));
            super::canvas::draw::kind_icon(ui.painter(), icon, kind, 1.0);
            ui.painter().text(
                egui::pos2(icon.right() + 8.0, rect.center().y),
                egui::Align2::LEFT_CENTER,
                name,
                egui::FontId::proportional(13.5),
                ui.visuals().text_color(),
            );
        })
        .response;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ListItem, true, name));
    let teaching = &catalog().info(kind).teaching;
    response.on_hover_text(format!(
        "{name}\n\n{teaching}\n\nDrag onto the canvas to add one."
    ));
}
