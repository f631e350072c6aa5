//! The cost panel: the estimate of the open diagram, recomputed when it changes — totals,
//! subtotals by service, the top cost drivers, and every line item with its formula.

use std::collections::HashMap;

use egui::{Align2, CornerRadius, FontId, Sense, Vec2};

use crate::aws::EC2_PRICES_AS_OF;
use crate::editor::commands::Command;
use crate::model::{Diagram, ResourceId};
use crate::pricing::{CostReport, estimate};

/// The estimate of one revision of the document.
#[derive(Default)]
pub struct CostCache {
    revision: Option<u64>,
    /// The report.
    pub report: CostReport,
    /// Monthly total by resource, for badges.
    pub by_resource: HashMap<ResourceId, f64>,
    /// The totals under each purchase option.
    pub scenarios: Vec<crate::pricing::Scenario>,
    /// Totals of the containers, in tree order.
    pub containers: Vec<crate::pricing::ContainerTotal>,
}

impl CostCache {
    /// Recomputes the estimate if the document changed since the last one; returns whether
    /// it did.
    pub fn refresh(&mut self, diagram: &Diagram, revision: u64) -> bool {
        if self.revision == Some(revision) {
            return false;
        }
        self.report = estimate(diagram);
        self.by_resource = self
            .report
            .by_resource()
            .into_iter()
            .map(|(id, usd)| (id.clone(), usd))
            .collect();
        self.scenarios = crate::pricing::compare_purchase_options(diagram);
        self.containers = self.report.container_tree(diagram);
        self.revision = Some(revision);
        true
    }
}

/// How the line items are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Most expensive first.
    #[default]
    Cost,
    /// By resource id.
    Resource,
    /// By service.
    Service,
}

/// A dollar amount, short: "$70.08".
pub fn money(usd: f64) -> String {
    if usd >= 10_000.0 {
        format!("${:.0}", usd)
    } else {
        format!("${usd:.2}")
    }
}

/// The cost panel.
pub fn cost_panel_ui(
    ui: &mut egui::Ui,
    cache: &CostCache,
    sort: &mut SortBy,
    out: &mut Vec<Command>,
) {
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(240.0);
            egui::ScrollArea::vertical()
                .id_salt("cost_summary")
                .show(ui, |ui| summary_ui(ui, cache));
        });
        ui.separator();
        drivers_ui(ui, cache, out);
        ui.separator();
        lines_ui(ui, cache, sort, out);
    });
}

/// Totals, what other purchase options would save, the date of the figures, subtotals by
/// service and what is not priced.
fn summary_ui(ui: &mut egui::Ui, cache: &CostCache) {
    let report = &cache.report;
    ui.heading(format!("{} a month", money(report.monthly_usd())));
    ui.label(format!("{} a year", money(report.yearly_usd())));
    let (low, high) = report.monthly_range_usd();
    if low != high {
        ui.label(format!(
            "Scales between {} and {} a month",
            money(low),
            money(high)
        ))
        .on_hover_text(
            "Auto Scaling groups and ECS services at their minimum and maximum sizes; \
             the total above is at their desired sizes.",
        );
    }
    if cache.scenarios.iter().any(|s| s.saving_usd > 0.005) {
        ui.add_space(4.0);
        ui.strong("If every instance were bought as");
        for scenario in cache.scenarios.iter().skip(1) {
            let name = purchase_option_name(scenario.option);
            ui.label(format!(
                "{name}: {} a month, saving {} ({:.1} %)",
                money(scenario.monthly_usd),
                money(scenario.saving_usd),
                scenario.saving_percent
            ));
        }
    }
    if !report.not_priced.is_empty() {
        ui.add_space(4.0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{} not priced", report.not_priced.len()),
        )
        .on_hover_text(
            report
                .not_priced
                .iter()
                .map(|n| format!("{}: {}", n.resource, n.reason))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    ui.add_space(4.0);
    ui.weak(format!(
        "AWS list prices in USD for {}, 730 hours a month. EC2 prices of {EC2_PRICES_AS_OF}.",
        report.region
    ));
    ui.add_space(4.0);
    ui.strong("By service");
    egui::Grid::new("cost_by_service")
        .num_columns(2)
        .show(ui, |ui| {
            let mut services: Vec<(&str, f64)> = report.by_service().into_iter().collect();
            services.sort_by(|a, b| b.1.total_cmp(&a.1));
            for (service, usd) in services {
                ui.label(service);
                ui.label(money(usd));
                ui.end_row();
            }
        });
    containers_ui(ui, cache);
}

/// Totals of Regions, VPCs, AZs and subnets, indented as they nest.
fn containers_ui(ui: &mut egui::Ui, cache: &CostCache) {
    if cache.containers.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.strong("By container");
    egui::Grid::new("cost_by_container")
        .num_columns(2)
        .show(ui, |ui| {
            for container in &cache.containers {
                ui.horizontal(|ui| {
                    ui.add_space(12.0 * container.depth as f32);
                    ui.label(container.id.as_str()).on_hover_text(
                        crate::model::catalog::catalog()
                            .name(container.kind)
                            .to_owned(),
                    );
                });
                ui.label(money(container.monthly_usd));
                ui.end_row();
            }
        });
}

/// Horizontal bars of the most expensive resources.
fn drivers_ui(ui: &mut egui::Ui, cache: &CostCache, out: &mut Vec<Command>) {
    ui.vertical(|ui| {
        ui.set_width(300.0);
        ui.strong("Top cost drivers");
        let mut top: Vec<(&ResourceId, f64)> = cache
            .by_resource
            .iter()
            .map(|(id, usd)| (id, *usd))
            .collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let max = top.first().map_or(1.0, |t| t.1.max(0.01));
        for (id, usd) in top.into_iter().take(8) {
            let (rect, response) = ui.allocate_exact_size(Vec2::new(290.0, 18.0), Sense::click());
            let bar = egui::Rect::from_min_size(
                rect.min,
                Vec2::new(
                    (rect.width() * 0.55 * (usd / max) as f32).max(2.0),
                    rect.height() - 4.0,
                ),
            );
            ui.painter().rect_filled(
                bar,
                CornerRadius::same(2),
                ui.visuals().selection.bg_fill.gamma_multiply(0.7),
            );
            ui.painter().text(
                egui::pos2(rect.min.x + rect.width() * 0.57, rect.center().y - 2.0),
                Align2::LEFT_CENTER,
                format!("{} {}", money(usd), id),
                FontId::proportional(12.0),
                ui.visuals().text_color(),
            );
            let response = response.on_hover_text("Select this resource");
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Cost of {id}"))
            });
            if response.clicked() {
                out.push(Command::Select(vec![id.clone()]));
                out.push(Command::ZoomToSelection);
            }
        }
    });
}

/// The name of a compared purchase option.
fn purchase_option_name(option: crate::model::config::compute::PurchaseOption) -> &'static str {
    use crate::model::config::compute::PurchaseOption;
    match option {
        PurchaseOption::OnDemand => "on-demand",
        PurchaseOption::Reserved => "reserved (1 year, no upfront)",
        _ => "spot (average)",
    }
}

/// Where a line's price comes from and, for EC2 capacity, what it would cost bought
/// another way.
fn line_details(line: &crate::pricing::LineItem, cache: &CostCache) -> String {
    let mut text = format!("Price of {} from {}", line.as_of, line.source);
    if line.price_from_us_east_1 {
        text.push_str("\nNo price for this Region in the data: us-east-1's is used.");
    }
    if line.service == "EC2" {
        text.push_str("\nThis capacity bought as");
        for scenario in &cache.scenarios {
            if let Some(usd) = scenario.ec2_by_resource.get(&line.resource) {
                text.push_str(&format!(
                    "\n  {}: {} a month",
                    purchase_option_name(scenario.option),
                    money(*usd)
                ));
            }
        }
    }
    text
}

/// Every line item, sortable.
fn lines_ui(ui: &mut egui::Ui, cache: &CostCache, sort: &mut SortBy, out: &mut Vec<Command>) {
    let report = &cache.report;
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            ui.strong(format!("{} line items", report.lines.len()));
            ui.label("Sort by");
            ui.selectable_value(sort, SortBy::Cost, "cost");
            ui.selectable_value(sort, SortBy::Resource, "resource");
            ui.selectable_value(sort, SortBy::Service, "service");
        });
        let mut lines: Vec<_> = report.lines.iter().collect();
        match sort {
            SortBy::Cost => lines.sort_by(|a, b| b.monthly_usd.total_cmp(&a.monthly_usd)),
            SortBy::Resource => lines.sort_by(|a, b| a.resource.cmp(&b.resource)),
            SortBy::Service => lines.sort_by(|a, b| {
                a.service
                    .cmp(b.service)
                    .then(b.monthly_usd.total_cmp(&a.monthly_usd))
            }),
        }
        egui::ScrollArea::vertical()
            .id_salt("cost_lines")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("cost_lines_grid")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        for line in lines {
                            ui.label(money(line.monthly_usd));
                            if ui.link(line.resource.as_str()).clicked() {
                                out.push(Command::Select(vec![line.resource.clone()]));
                            }
                            ui.label(line.service);
                            ui.vertical(|ui| {
                                ui.label(line.formula())
                                    .on_hover_text(line_details(line, cache));
                                if let Some(range) = line.range_text() {
                                    ui.weak(format!("scales from {range}"));
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
    });
}
