//! The menu bar, and the overlays it opens: template gallery, keyboard help and the
//! command palette.

use super::app::Preferences;
use super::theme::ThemeChoice;
use crate::editor::commands::{Command, ExportKind};
use crate::editor::document::Document;
use crate::editor::edit::{Alignment, Axis};
use crate::editor::state::UiState;
use crate::library::templates;
use crate::play::RunCommand;

/// The menu bar.
pub fn menu_bar(
    ui: &mut egui::Ui,
    doc: &Document,
    state: &mut UiState,
    prefs: &mut Preferences,
    out: &mut Vec<Command>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("New from template…").clicked() {
                state.show_gallery = true;
                ui.close();
            }
            if ui.button("Open…").clicked() {
                out.push(Command::OpenDialog);
                ui.close();
            }
            ui.menu_button("Open recent", |ui| {
                if prefs.recent.is_empty() {
                    ui.label("No recent files");
                }
                for path in prefs.recent.clone() {
                    if ui.button(path.display().to_string()).clicked() {
                        out.push(Command::Open(path));
                        ui.close();
                    }
                }
            });
            ui.separator();
            if ui.button("Save").clicked() {
                out.push(Command::Save);
                ui.close();
            }
            if ui.button("Save as…").clicked() {
                out.push(Command::SaveAsDialog);
                ui.close();
            }
            ui.separator();
            if ui.button("Export picture…").clicked() {
                out.push(Command::ExportPictureDialog { selection: false });
                ui.close();
            }
            if ui
                .add_enabled(
                    !state.selection.resources.is_empty(),
                    egui::Button::new("Export selection as picture…"),
                )
                .clicked()
            {
                out.push(Command::ExportPictureDialog { selection: true });
                ui.close();
            }
            ui.menu_button("PNG picture scale", |ui| {
                for scale in [1.0, 2.0, 3.0, 4.0] {
                    ui.radio_value(&mut prefs.picture_scale, scale, format!("{scale}×"));
                }
            });
            ui.menu_button("Export as", |ui| {
                for (label, kind) in [
                    ("draw.io file…", ExportKind::DrawIo),
                    ("CloudFormation template…", ExportKind::CloudFormation),
                    ("Terraform configuration…", ExportKind::Terraform),
                    ("Report (Markdown or HTML)…", ExportKind::Report),
                ] {
                    if ui.button(label).clicked() {
                        out.push(Command::ExportDialog(kind));
                        ui.close();
                    }
                }
            });
            if ui.button("Import CloudFormation…").clicked() {
                out.push(Command::ImportDialog);
                ui.close();
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                out.push(Command::Quit);
                ui.close();
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = doc
                .history
                .undo_label()
                .map_or("Undo".to_owned(), |l| format!("Undo {l}"));
            if ui
                .add_enabled(doc.history.undo_label().is_some(), egui::Button::new(undo))
                .clicked()
            {
                out.push(Command::Undo);
                ui.close();
            }
            let redo = doc
                .history
                .redo_label()
                .map_or("Redo".to_owned(), |l| format!("Redo {l}"));
            if ui
                .add_enabled(doc.history.redo_label().is_some(), egui::Button::new(redo))
                .clicked()
            {
                out.push(Command::Redo);
                ui.close();
            }
            ui.separator();
            let any = !state.selection.resources.is_empty();
            for (label, enabled, command) in [
                ("Cut", any, Command::Cut),
                ("Copy", any, Command::Copy),
                ("Paste", !state.clipboard.is_empty(), Command::Paste),
                ("Duplicate", any, Command::Duplicate),
                (
                    "Delete",
                    !state.selection.is_empty(),
                    Command::DeleteSelection,
                ),
                ("Select all", true, Command::SelectAll),
            ] {
                if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                    out.push(command);
                    ui.close();
                }
            }
        });
        ui.menu_button("Arrange", |ui| {
            let many = state.selection.resources.len() >= 2;
            for (label, alignment) in [
                ("Align left", Alignment::Left),
                ("Align centres horizontally", Alignment::CenterHorizontally),
                ("Align right", Alignment::Right),
                ("Align top", Alignment::Top),
                ("Align centres vertically", Alignment::CenterVertically),
                ("Align bottom", Alignment::Bottom),
            ] {
                if ui.add_enabled(many, egui::Button::new(label)).clicked() {
                    out.push(Command::Align(alignment));
                    ui.close();
                }
            }
            ui.separator();
            let three = state.selection.resources.len() >= 3;
            if ui
                .add_enabled(three, egui::Button::new("Distribute horizontally"))
                .clicked()
            {
                out.push(Command::Distribute(Axis::Horizontal));
                ui.close();
            }
            if ui
                .add_enabled(three, egui::Button::new("Distribute vertically"))
                .clicked()
            {
                out.push(Command::Distribute(Axis::Vertical));
                ui.close();
            }
            ui.separator();
            if ui
                .add_enabled(
                    !state.selection.resources.is_empty(),
                    egui::Button::new("Bring to front"),
                )
                .clicked()
            {
                out.push(Command::BringToFront);
                ui.close();
            }
        });
        ui.menu_button("View", |ui| {
            if ui.button("Zoom to fit").clicked() {
                out.push(Command::ZoomToFit);
                ui.close();
            }
            if ui
                .add_enabled(
                    !state.selection.resources.is_empty(),
                    egui::Button::new("Zoom to selection"),
                )
                .clicked()
            {
                out.push(Command::ZoomToSelection);
                ui.close();
            }
            ui.separator();
            ui.checkbox(&mut prefs.show_grid, "Show grid");
            ui.checkbox(&mut prefs.snap_to_grid, "Snap to grid");
            ui.checkbox(&mut prefs.show_minimap, "Show minimap");
            ui.checkbox(&mut prefs.show_cost, "Show cost panel");
            ui.separator();
            ui.radio_value(&mut prefs.theme, ThemeChoice::Light, "Light theme");
            ui.radio_value(&mut prefs.theme, ThemeChoice::Dark, "Dark theme");
        });
        ui.menu_button("Simulate", |ui| {
            if state.running {
                if ui.button("Stop the run (F5)").clicked() {
                    out.push(Command::Run(RunCommand::Stop));
                    ui.close();
                }
            } else if ui.button("Start a run (F5)").clicked() {
                out.push(Command::Run(RunCommand::Start));
                ui.close();
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard shortcuts (F1)").clicked() {
                state.show_help = true;
                ui.close();
            }
            if ui.button("Command palette (Ctrl+K)").clicked() {
                state.command_palette = Some(String::new());
                ui.close();
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if !state.running
                && ui
                    .button(egui::RichText::new("Run").strong())
                    .on_hover_text("Simulate the design as a live system (F5)")
                    .clicked()
            {
                out.push(Command::Run(RunCommand::Start));
            }
        });
    });
}

/// Every action of the command palette: its label and command.
fn actions() -> Vec<(&'static str, Command)> {
    vec![
        ("Open…", Command::OpenDialog),
        ("Save", Command::Save),
        ("Save as…", Command::SaveAsDialog),
        ("Undo", Command::Undo),
        ("Redo", Command::Redo),
        ("Select all", Command::SelectAll),
        ("Duplicate", Command::Duplicate),
        ("Delete", Command::DeleteSelection),
        ("Zoom to fit", Command::ZoomToFit),
        ("Zoom to selection", Command::ZoomToSelection),
        ("Bring to front", Command::BringToFront),
        ("Align left", Command::Align(Alignment::Left)),
        ("Align top", Command::Align(Alignment::Top)),
        (
            "Distribute horizontally",
            Command::Distribute(Axis::Horizontal),
        ),
        ("Distribute vertically", Command::Distribute(Axis::Vertical)),
    ]
}

/// The keyboard shortcuts, as shown by the help overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y", "Undo / redo"),
    ("Ctrl+S / Ctrl+Shift+S", "Save / save as"),
    ("Ctrl+O / Ctrl+N", "Open / new from a template"),
    (
        "Ctrl+C, Ctrl+X, Ctrl+V, Ctrl+D",
        "Copy, cut, paste, duplicate",
    ),
    ("Delete", "Delete the selection"),
    ("Ctrl+A", "Select all"),
    ("Arrow keys (Shift: larger steps)", "Nudge the selection"),
    ("Ctrl+]", "Bring to front"),
    ("Ctrl+K", "Command palette: find resources and actions"),
    ("Scroll / middle drag / Space+drag", "Pan"),
    ("Ctrl+scroll, pinch, Ctrl+= / Ctrl+-", "Zoom"),
    ("Ctrl+0 or Shift+1 / Shift+2", "Zoom to fit / to selection"),
    ("Double-click the background", "Zoom to fit"),
    (
        "Drag from a resource's handle",
        "Link it to another resource",
    ),
    (
        "Shift+click, Ctrl+click, drag on the background",
        "Add to the selection, box select",
    ),
    ("Drag a container's edge or corner", "Resize it"),
    ("Right-click the background", "Add a sticky note"),
    ("Drop a .ron file on the window", "Open it"),
    ("Escape", "Cancel the gesture, clear the selection"),
    ("F1", "This help"),
];

/// The overlays: template gallery, keyboard help, command palette.
pub fn dialogs_ui(
    ctx: &egui::Context,
    doc: &Document,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    if state.show_gallery {
        let mut open = true;
        egui::Window::new("New from template")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .fixed_size([640.0, 560.0])
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                let palette = super::theme::Palette::of(if ui.visuals().dark_mode {
                    super::theme::ThemeChoice::Dark
                } else {
                    super::theme::ThemeChoice::Light
                });
                egui::ScrollArea::vertical()
                    .max_height(540.0)
                    .show(ui, |ui| {
                        for (template, diagram) in templates::loaded() {
                            ui.group(|ui| {
                                ui.set_width(600.0);
                                ui.horizontal_top(|ui| {
                                    let (rect, _) = ui.allocate_exact_size(
                                        egui::vec2(150.0, 100.0),
                                        egui::Sense::hover(),
                                    );
                                    ui.painter().rect_filled(
                                        rect,
                                        egui::CornerRadius::same(4),
                                        palette.canvas,
                                    );
                                    super::canvas::minimap::paint_overview(
                                        &ui.painter().with_clip_rect(rect),
                                        rect.shrink(4.0),
                                        diagram,
                                        &palette,
                                    );
                                    ui.vertical(|ui| {
                                        ui.set_width(430.0);
                                        ui.horizontal(|ui| {
                                            ui.strong(&diagram.name);
                                            ui.weak(format!("{} resources", diagram.len()));
                                        });
                                        ui.add(egui::Label::new(&diagram.description).wrap());
                                        if ui.button(format!("Use {}", template.name)).clicked() {
                                            out.push(Command::New(template.name.to_owned()));
                                            state.show_gallery = false;
                                        }
                                    });
                                });
                            });
                        }
                    });
            });
        state.show_gallery &= open;
    }
    if state.show_help {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.strong(*keys);
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        state.show_help &= open;
    }
    if let Some(mut query) = state.command_palette.take() {
        let mut keep = true;
        egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
            ui.set_width(420.0);
            let field = ui.add(
                egui::TextEdit::singleline(&mut query).hint_text("Find a resource or an action"),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::SearchInput,
                    true,
                    "Find a resource or an action",
                )
            });
            field.request_focus();
            let needle = query.to_lowercase();
            let mut shown = 0;
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for resource in doc.diagram.resources() {
                        let kind = crate::model::catalog::catalog().name(resource.kind());
                        let text = format!("{} ({}) · {kind}", resource.label(), resource.id);
                        if shown < 30 && text.to_lowercase().contains(&needle) {
                            shown += 1;
                            if ui.selectable_label(false, text).clicked() {
                                out.push(Command::Select(vec![resource.id.clone()]));
                                out.push(Command::ZoomToSelection);
                                keep = false;
                            }
                        }
                    }
                    for (label, command) in actions() {
                        if label.to_lowercase().contains(&needle)
                            && ui.selectable_label(false, label).clicked()
                        {
                            out.push(command);
                            keep = false;
                        }
                    }
                });
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                keep = false;
            }
        });
        if keep {
            state.command_palette = Some(query);
        }
    }
}
