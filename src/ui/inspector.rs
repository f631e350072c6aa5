//! The inspector: the selected resource's settings, each with the widget its type calls
//! for, its teaching text and its links; or the selected link or note; or the diagram.

mod fields;

use crate::editor::commands::Command;
use crate::editor::state::{LinkKey, UiState};
use crate::model::catalog::catalog;
use crate::model::{Config, Diagram, Kind, Resource, ResourceId};

/// The inspector panel.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    diagram: &Diagram,
    state: &UiState,
    findings: &crate::validate::Report,
    out: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.add_space(6.0);
        if let Some(link) = &state.selection.link {
            link_ui(ui, diagram, link, out);
        } else if let Some(note) = state.selection.note.as_ref().and_then(|id| diagram.notes().iter().find(|n| &n.id == id)) {
            ui.heading("Note");
            let mut text = note.text.clone();
            let response = ui.add(egui::TextEdit::multiline(&mut text).desired_rows(6).desired_width(f32::INFINITY));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, "Note text"));
            gesture_on_focus(&response, "Edit note", out);
            if response.changed() {
                out.push(Command::SetNoteText { id: note.id.clone(), text });
            }
            if ui.button("Delete note").clicked() {
                out.push(Command::DeleteSelection);
            }
        } else {
            match state.selection.resources.as_slice() {
                [] => diagram_ui(ui, diagram),
                [one] => match diagram.resource(one.as_str()) {
                    Some(resource) => resource_ui(ui, diagram, resource, findings, out),
                    None => diagram_ui(ui, diagram),
                },
                many => {
                    ui.heading(format!("{} resources selected", many.len()));
                    ui.label("Drag any of them to move all; use Arrange to align or distribute them.");
                }
            }
        }
    });
}

/// The findings involving the resource, each with its explanation and fix.
fn findings_of(
    ui: &mut egui::Ui,
    resource: &Resource,
    findings: &crate::validate::Report,
    out: &mut Vec<Command>,
) {
    let mine: Vec<_> = findings.about(&resource.id).collect();
    if mine.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(format!("Findings ({})", mine.len()));
    for finding in mine {
        let info = finding.info();
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                super::findings_panel::severity_color(finding.severity),
                finding.severity.label().to_uppercase(),
            );
            ui.label(&finding.message).on_hover_text(format!(
                "{} ({})\n\nWhy: {}\n\nFix: {}",
                info.title, finding.rule, info.why, info.fix
            ));
        });
        if let Some(fix) = &finding.fix
            && ui.button(&fix.label).clicked()
        {
            out.push(Command::ApplyFix(fix.clone()));
        }
    }
}

/// Edits inside a focused field form one undo step.
fn gesture_on_focus(response: &egui::Response, label: &str, out: &mut Vec<Command>) {
    if response.gained_focus() || response.drag_started() {
        out.push(Command::BeginGesture(label.to_owned()));
    }
    if response.lost_focus() || response.drag_stopped() {
        out.push(Command::EndGesture);
    }
}

fn diagram_ui(ui: &mut egui::Ui, diagram: &Diagram) {
    ui.heading(&diagram.name);
    ui.label(&diagram.description);
    ui.add_space(6.0);
    ui.weak(format!(
        "Region {} · {} resources · {} links",
        diagram.region,
        diagram.len(),
        diagram.links().len()
    ));
    ui.add_space(6.0);
    ui.label("Select a resource to see and edit its settings.");
}

fn resource_ui(
    ui: &mut egui::Ui,
    diagram: &Diagram,
    resource: &Resource,
    findings: &crate::validate::Report,
    out: &mut Vec<Command>,
) {
    let catalog = catalog();
    let kind = resource.kind();
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::Vec2::splat(28.0), egui::Sense::hover());
        super::canvas::draw::kind_icon(ui.painter(), rect, kind, 1.0);
        ui.heading(catalog.name(kind));
    });
    egui::CollapsingHeader::new("About")
        .id_salt(("about", kind))
        .default_open(false)
        .show(ui, |ui| {
            ui.label(&catalog.info(kind).teaching);
        });
    // Findings come and go as settings are typed: in a scope of their own, they never shift
    // the ids of the fields below, which would take the focus away mid-word.
    ui.push_id("resource_findings", |ui| {
        findings_of(ui, resource, findings, out)
    });
    ui.add_space(4.0);
    egui::Grid::new("identity")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            ui.label("Name");
            let mut name = resource.name.clone();
            let response =
                ui.add(egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Name"));
            gesture_on_focus(&response, &format!("Rename {}", resource.id), out);
            if response.changed() {
                out.push(Command::SetName {
                    id: resource.id.clone(),
                    name,
                });
            }
            ui.end_row();
            ui.label("Id");
            id_editor(ui, resource, out);
            ui.end_row();
            ui.label("Inside");
            ui.label(
                resource
                    .parent
                    .as_ref()
                    .map_or("the canvas".to_owned(), |p| p.to_string()),
            );
            ui.end_row();
        });
    ui.separator();
    ui.strong("Settings");
    let shape = Config::shape_of(kind);
    let mut json = resource.config.to_json();
    let changed = fields::struct_ui(ui, &shape, &mut json, diagram, &resource.id, out);
    if changed {
        match Config::from_json(kind, json) {
            Ok(config) => out.push(Command::SetConfig {
                id: resource.id.clone(),
                config,
            }),
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            }
        }
    }
    ui.separator();
    links_list(ui, diagram, &resource.id, out);
}

fn id_editor(ui: &mut egui::Ui, resource: &Resource, out: &mut Vec<Command>) {
    let memory_id = egui::Id::unique(("id_edit", &resource.id));
    let mut text = ui
        .data_mut(|d| d.get_temp::<String>(memory_id))
        .unwrap_or_else(|| resource.id.to_string());
    ui.vertical(|ui| {
        let response = ui.add(
            egui::TextEdit::singleline(&mut text)
                .font(egui::TextStyle::Monospace)
                .desired_width(f32::INFINITY),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Id"));
        let parsed = ResourceId::new(text.clone());
        if let Err(e) = &parsed {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
        if response.lost_focus() {
            if let Ok(new_id) = parsed
                && new_id != resource.id
            {
                out.push(Command::Rename {
                    id: resource.id.clone(),
                    new_id,
                });
            }
            ui.data_mut(|d| d.remove::<String>(memory_id));
        } else if response.has_focus() {
            ui.data_mut(|d| d.insert_temp(memory_id, text));
        }
    });
}

fn links_list(ui: &mut egui::Ui, diagram: &Diagram, id: &ResourceId, out: &mut Vec<Command>) {
    let links: Vec<_> = diagram.links_of(id.as_str()).collect();
    ui.strong(format!("Links ({})", links.len()));
    if links.is_empty() {
        ui.weak("Drag from the handle on the resource's right edge to another resource.");
    }
    for link in links {
        let text = if &link.from == id {
            format!("to {} ({})", link.to, link.kind.label())
        } else {
            format!("from {} ({})", link.from, link.kind.label())
        };
        if ui.link(text).clicked() {
            out.push(Command::SelectLink(LinkKey {
                from: link.from.clone(),
                to: link.to.clone(),
                kind: link.kind,
            }));
        }
    }
}

fn link_ui(ui: &mut egui::Ui, diagram: &Diagram, key: &LinkKey, out: &mut Vec<Command>) {
    let Some(link) = diagram
        .links()
        .iter()
        .find(|l| l.from == key.from && l.to == key.to && l.kind == key.kind)
    else {
        return;
    };
    ui.heading("Link");
    ui.label(format!("From {} to {}", link.from, link.to));
    let kinds: Vec<crate::model::LinkKind> = match (
        diagram.resource(link.from.as_str()),
        diagram.resource(link.to.as_str()),
    ) {
        (Some(a), Some(b)) => catalog().allowed_link_kinds(a.kind(), b.kind()),
        _ => Vec::new(),
    };
    let mut chosen = link.kind;
    egui::ComboBox::from_label("Kind")
        .selected_text(chosen.label())
        .show_ui(ui, |ui| {
            for kind in &kinds {
                ui.selectable_value(&mut chosen, *kind, kind.label());
            }
        });
    if chosen != link.kind {
        out.push(Command::SetLinkKind {
            link: key.clone(),
            kind: chosen,
        });
    }
    let mut label = link.label.clone();
    ui.horizontal(|ui| {
        ui.label("Label");
        let response = ui.text_edit_singleline(&mut label);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Label"));
        gesture_on_focus(&response, "Edit link label", out);
        if response.changed() {
            out.push(Command::SetLinkLabel {
                link: key.clone(),
                label,
            });
        }
    });
    if ui.button("Delete link").clicked() {
        out.push(Command::DeleteSelection);
    }
}

/// Resources that a reference field may name, with their labels.
fn candidates(
    diagram: &Diagram,
    kind: Option<Kind>,
    own: &ResourceId,
) -> Vec<(ResourceId, String)> {
    diagram
        .resources()
        .filter(|r| &r.id != own && kind.is_none_or(|k| r.kind() == k))
        .map(|r| {
            (
                r.id.clone(),
                if r.name.is_empty() {
                    r.id.to_string()
                } else {
                    format!("{} ({})", r.id, r.name)
                },
            )
        })
        .collect()
}
