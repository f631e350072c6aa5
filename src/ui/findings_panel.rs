//! The findings panel: the validator's findings of the open diagram, recomputed when it
//! changes, filtered by severity, pillar and text, each with its explanation, a way to
//! select its resources and, where there is one, a one-click fix.

use std::collections::HashMap;

use egui::{Color32, RichText};

use crate::editor::commands::Command;
use crate::model::{Diagram, ResourceId};
use crate::validate::{Finding, Pillar, Report, Severity, validate};

/// The findings of one revision of the document.
#[derive(Default)]
pub struct FindingsCache {
    revision: Option<u64>,
    /// The report.
    pub report: Report,
    /// The most serious severity and the number of findings of each resource.
    pub by_resource: HashMap<ResourceId, (Severity, usize)>,
}

impl FindingsCache {
    /// Revalidates if the document changed since the last time; returns whether it did.
    pub fn refresh(&mut self, diagram: &Diagram, revision: u64) -> bool {
        if self.revision == Some(revision) {
            return false;
        }
        self.report = validate(diagram);
        self.by_resource.clear();
        for finding in &self.report.findings {
            for id in &finding.resources {
                let entry = self
                    .by_resource
                    .entry(id.clone())
                    .or_insert((finding.severity, 0));
                entry.0 = entry.0.min(finding.severity);
                entry.1 += 1;
            }
        }
        self.revision = Some(revision);
        true
    }
}

/// What the panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingsFilter {
    /// Shown severities, in `Severity::ALL` order.
    pub severities: [bool; 3],
    /// Only this pillar, or all.
    pub pillar: Option<Pillar>,
    /// Text the rule, message or resources must contain.
    pub search: String,
}

impl Default for FindingsFilter {
    fn default() -> Self {
        Self {
            severities: [true, true, true],
            pillar: None,
            search: String::new(),
        }
    }
}

impl FindingsFilter {
    fn shows(&self, f: &Finding) -> bool {
        let severity_index = Severity::ALL
            .iter()
            .position(|s| *s == f.severity)
            .unwrap_or(0);
        let needle = self.search.trim().to_lowercase();
        self.severities[severity_index]
            && self.pillar.is_none_or(|p| p == f.pillar)
            && (needle.is_empty()
                || f.rule.to_lowercase().contains(&needle)
                || f.message.to_lowercase().contains(&needle)
                || f.info().title.to_lowercase().contains(&needle)
                || f.resources.iter().any(|r| r.as_str().contains(&needle)))
    }
}

/// The colour of a severity, readable on light and dark backgrounds.
pub fn severity_color(severity: Severity) -> Color32 {
    match severity {
        Severity::Error => Color32::from_rgb(0xD1, 0x32, 0x12),
        Severity::Warning => Color32::from_rgb(0xE0, 0x8E, 0x00),
        Severity::Info => Color32::from_rgb(0x2E, 0x73, 0xB8),
    }
}

/// "2 errors · 5 warnings · 3 info", or "No findings".
pub fn summary(report: &Report) -> String {
    if report.findings.is_empty() {
        return "No findings".into();
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {} · {} info",
        plural(report.count(Severity::Error), "error", "errors"),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        report.count(Severity::Info)
    )
}

/// The findings panel.
pub fn findings_panel_ui(
    ui: &mut egui::Ui,
    cache: &FindingsCache,
    filter: &mut FindingsFilter,
    out: &mut Vec<Command>,
) {
    let report = &cache.report;
    ui.horizontal(|ui| {
        for (i, severity) in Severity::ALL.iter().enumerate() {
            let label = format!(
                "{} ({})",
                title_case(severity.label()),
                report.count(*severity)
            );
            ui.toggle_value(&mut filter.severities[i], label);
        }
        ui.separator();
        egui::ComboBox::from_label("Pillar")
            .selected_text(
                filter
                    .pillar
                    .map_or("All pillars".to_owned(), |p| title_case(p.label())),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.pillar, None, "All pillars");
                for pillar in Pillar::ALL {
                    ui.selectable_value(
                        &mut filter.pillar,
                        Some(pillar),
                        title_case(pillar.label()),
                    );
                }
            });
        ui.add(
            egui::TextEdit::singleline(&mut filter.search)
                .hint_text("Search findings")
                .desired_width(180.0),
        );
    });
    ui.separator();
    let shown: Vec<&Finding> = report.findings.iter().filter(|f| filter.shows(f)).collect();
    if shown.is_empty() {
        ui.weak(if report.findings.is_empty() {
            "No findings: every rule passes."
        } else {
            "No finding matches the filter."
        });
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("findings_list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("findings_grid")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for finding in shown {
                        finding_row(ui, finding, out);
                        ui.end_row();
                    }
                });
        });
}

fn title_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One finding: severity, rule, the message (click to select its resources), the fix.
fn finding_row(ui: &mut egui::Ui, finding: &Finding, out: &mut Vec<Command>) {
    let info = finding.info();
    ui.label(
        RichText::new(finding.severity.label().to_uppercase())
            .small()
            .strong()
            .color(severity_color(finding.severity)),
    );
    ui.weak(finding.rule);
    let explanation = format!(
        "{}\n\nWhy: {}\n\nFix: {}\n\nPillar: {}. Click to select the resources involved.",
        info.title,
        info.why,
        info.fix,
        finding.pillar.label()
    );
    let response = ui
        .add(egui::Label::new(&finding.message).sense(egui::Sense::click()))
        .on_hover_text(explanation);
    if response.clicked() {
        out.push(Command::Select(finding.resources.clone()));
        out.push(Command::ZoomToSelection);
    }
    match &finding.fix {
        Some(fix) => {
            if ui
                .button(&fix.label)
                .on_hover_text("Apply this fix (undo with Ctrl+Z)")
                .clicked()
            {
                out.push(Command::ApplyFix(fix.clone()));
            }
        }
        None => {
            ui.label("");
        }
    }
}
