//! The status bar: the last message, the selection, the zoom and the save state.

use crate::editor::document::Document;
use crate::editor::state::{Tone, UiState};

/// Seconds a status message stays.
const MESSAGE_SECS: f64 = 8.0;

/// The status bar. Returns true when the findings summary was clicked.
pub fn status_bar(
    ui: &mut egui::Ui,
    doc: &Document,
    state: &UiState,
    monthly_usd: f64,
    findings: &crate::validate::Report,
) -> bool {
    let mut open_findings = false;
    ui.horizontal(|ui| {
        match &state.status {
            Some(message) if message.since.is_none_or(|t| state.now - t < MESSAGE_SECS) => {
                let color = if message.tone == Tone::Error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.colored_label(color, &message.text);
            }
            _ => {
                ui.weak("Drag resources from the palette onto the canvas");
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(if doc.is_dirty() {
                "Unsaved changes"
            } else {
                "Saved"
            });
            ui.separator();
            ui.strong(format!("{}/month", super::cost_panel::money(monthly_usd)));
            ui.separator();
            let worst = crate::validate::Severity::ALL
                .into_iter()
                .find(|s| findings.count(*s) > 0);
            let text = super::findings_panel::summary(findings);
            let text = match worst {
                Some(s) if s != crate::validate::Severity::Info => {
                    egui::RichText::new(text).color(super::findings_panel::severity_color(s))
                }
                _ => egui::RichText::new(text),
            };
            if ui
                .add(egui::Label::new(text).sense(egui::Sense::click()))
                .on_hover_text("Show the findings")
                .clicked()
            {
                open_findings = true;
            }
            ui.separator();
            ui.label(format!("{:.0} %", state.camera.zoom * 100.0));
            ui.separator();
            let d = &doc.diagram;
            ui.label(format!("{} resources · {} links", d.len(), d.links().len()));
            if !state.selection.resources.is_empty() {
                ui.separator();
                ui.label(format!("{} selected", state.selection.resources.len()));
            }
        });
    });
    open_findings
}
