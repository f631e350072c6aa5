//! Two designs (or two variants of one) run side by side under the same seeded traffic
//! and lesson, headless, and charted together: latency, failures and cost.

use crate::model::Diagram;
use crate::play::History;
use crate::play::{RUN_SEED, clock};
use crate::sim::{RunSettings, Scenario, Simulation, from_secs};

/// Points each run of a comparison is charted with.
const POINTS: usize = 400;

/// One side of a comparison.
#[derive(Clone, Debug)]
pub struct Side {
    /// What it is, in words.
    pub name: String,
    /// Its figures over time.
    pub history: History,
    /// Availability over the whole run, 0 to 1.
    pub availability: f64,
    /// Response time percentiles over the whole run (ms).
    pub latency_ms: Option<[f64; 3]>,
    /// What the run cost.
    pub cost_usd: f64,
    /// Requests that failed.
    pub failed: u64,
}

/// Two runs of the same length, seed and lesson.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Simulated seconds each ran.
    pub secs: f64,
    /// The lesson both played, if any.
    pub lesson: Option<String>,
    /// The current design, then the other.
    pub sides: [Side; 2],
}

/// Runs `a` and `b` for `secs` with the run mode's seed and `scenario`.
pub fn compare(
    a: (&str, &Diagram),
    b: (&str, &Diagram),
    scenario: Option<&Scenario>,
    secs: f64,
) -> Result<Comparison, String> {
    let side = |(name, diagram): (&str, &Diagram)| -> Result<Side, String> {
        let settings = RunSettings {
            seed: RUN_SEED,
            duration: from_secs(secs),
            warmup: 0,
        };
        let mut sim = Simulation::new(diagram, settings).map_err(|e| format!("{name}: {e}"))?;
        if let Some(s) = scenario {
            sim.play(s);
        }
        let mut history = History::default();
        history.record(&sim.snapshot());
        for i in 1..=POINTS {
            sim.advance_to(from_secs(secs * i as f64 / POINTS as f64));
            history.record(&sim.snapshot());
        }
        let report = sim.report();
        let totals = sim.snapshot().totals;
        Ok(Side {
            name: name.to_owned(),
            history,
            availability: report.availability,
            latency_ms: (report.completed > 0).then_some([
                report.p50_secs * 1e3,
                report.p95_secs * 1e3,
                report.p99_secs * 1e3,
            ]),
            cost_usd: totals.cost_usd,
            failed: totals.failed,
        })
    };
    Ok(Comparison {
        secs,
        lesson: scenario.map(|s| s.name.clone()),
        sides: [side(a)?, side(b)?],
    })
}

impl Comparison {
    /// A line summing up the difference, for the window's heading.
    pub fn headline(&self) -> String {
        let [a, b] = &self.sides;
        format!(
            "{} of simulated time{}: availability {:.3} % against {:.3} %, cost ${:.2} against ${:.2}",
            clock(self.secs),
            self.lesson
                .as_ref()
                .map_or(String::new(), |l| format!(" with the lesson \"{l}\"")),
            a.availability * 100.0,
            b.availability * 100.0,
            a.cost_usd,
            b.cost_usd
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_with_more_instances_costs_more_under_the_same_traffic() {
        let three_tier = crate::library::templates::find("three-tier")
            .and_then(|t| t.load().ok())
            .unwrap_or_else(|| panic!("three-tier ships"));
        let mut bigger = three_tier.clone();
        for set in ["app-asg.min_size=4", "app-asg.desired_capacity=4"] {
            let item = set.parse().unwrap_or_else(|e| panic!("{e}"));
            crate::model::overrides::apply(&mut bigger, &item).unwrap_or_else(|e| panic!("{e}"));
        }
        let c = compare(
            ("as drawn", &three_tier),
            ("four instances", &bigger),
            None,
            1_800.0,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let [a, b] = &c.sides;
        assert!(b.cost_usd > a.cost_usd, "{} vs {}", b.cost_usd, a.cost_usd);
        assert_eq!(a.history.secs.len(), POINTS + 1);
        assert_eq!(a.history.secs.last(), Some(&1_800.0));
        // The same seed: the users' requests are the same in both.
        let arrived = |s: &Side| s.history.system.last().map(|p| p.completed + p.failed);
        assert!(arrived(a).is_some() && arrived(a).unwrap_or(0) > 100_000);
        assert!(c.headline().starts_with("00:30:00 of simulated time"));
    }
}

/// What the current design is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareWith {
    /// The design with these `ID.FIELD=VALUE` changes, one a line.
    Variant(String),
    /// A shipped template, by name.
    Template(String),
    /// A diagram file.
    File(Option<std::path::PathBuf>),
}

/// The compare window's state.
pub struct CompareState {
    /// The window is open.
    pub open: bool,
    /// The other design.
    pub with: CompareWith,
    /// Simulated minutes each design runs.
    pub minutes: f64,
    /// The runs in progress on a worker thread.
    pub job: Option<std::sync::mpsc::Receiver<Result<Comparison, String>>>,
    /// The last comparison, or why it failed.
    pub result: Option<Result<Comparison, String>>,
}

impl Default for CompareState {
    fn default() -> Self {
        CompareState {
            open: false,
            with: CompareWith::Variant(String::new()),
            minutes: 60.0,
            job: None,
            result: None,
        }
    }
}

/// What the window asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareRequest {
    /// Ask for a diagram file.
    ChooseFile,
    /// Run both designs.
    Run,
}

/// The compare window.
pub fn compare_window(ctx: &egui::Context, state: &mut CompareState) -> Option<CompareRequest> {
    let mut request = None;
    let mut open = state.open;
    egui::Window::new("Compare designs")
        .open(&mut open)
        .default_width(760.0)
        .show(ctx, |ui| {
            ui.label("Run this design and another one under the same seeded traffic (and the lesson playing, if any):");
            let is_variant = matches!(state.with, CompareWith::Variant(_));
            let is_template = matches!(state.with, CompareWith::Template(_));
            ui.horizontal(|ui| {
                if ui.radio(is_variant, "a variant of it").clicked() && !is_variant {
                    state.with = CompareWith::Variant(String::new());
                }
                if ui.radio(is_template, "a template").clicked() && !is_template {
                    state.with = CompareWith::Template("three-tier".to_owned());
                }
                if ui
                    .radio(matches!(state.with, CompareWith::File(_)), "a file")
                    .clicked()
                {
                    request = Some(CompareRequest::ChooseFile);
                }
            });
            match &mut state.with {
                CompareWith::Variant(text) => {
                    ui.label("Changes, one per line, as ID.FIELD=VALUE:");
                    let field = ui.add(
                        egui::TextEdit::multiline(text)
                            .hint_text("app-asg.min_size=4")
                            .desired_rows(3)
                            .desired_width(f32::INFINITY),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, "Changes")
                    });
                }
                CompareWith::Template(name) => {
                    egui::ComboBox::new("compare_template", "template")
                        .selected_text(name.as_str())
                        .show_ui(ui, |ui| {
                            for t in crate::library::templates::all() {
                                ui.selectable_value(name, t.name.to_owned(), t.name);
                            }
                        });
                }
                CompareWith::File(path) => {
                    ui.horizontal(|ui| {
                        ui.label(path.as_ref().map_or("no file chosen".to_owned(), |p| {
                            p.display().to_string()
                        }));
                        if ui.button("Choose…").clicked() {
                            request = Some(CompareRequest::ChooseFile);
                        }
                    });
                }
            }
            ui.horizontal(|ui| {
                ui.label("Simulated time");
                ui.add(
                    egui::DragValue::new(&mut state.minutes)
                        .range(1.0..=1_440.0)
                        .suffix(" min"),
                );
                let running = state.job.is_some();
                if ui
                    .add_enabled(!running, egui::Button::new("Run both"))
                    .clicked()
                {
                    request = Some(CompareRequest::Run);
                }
                if running {
                    ui.spinner();
                    ui.label("running both…");
                }
            });
            ui.separator();
            match &state.result {
                None => {}
                Some(Err(e)) => {
                    ui.colored_label(super::overlay::FAILED, e);
                }
                Some(Ok(c)) => results(ui, c),
            }
        });
    state.open = open;
    request
}

/// The comparison's table and charts.
fn results(ui: &mut egui::Ui, c: &Comparison) {
    use egui::RichText;
    use egui_plot::Line;
    ui.label(RichText::new(c.headline()).strong());
    egui::Grid::new("compare_table")
        .striped(true)
        .show(ui, |ui| {
            for heading in [
                "Design",
                "Availability",
                "p50 / p95 / p99",
                "Failed",
                "Cost",
            ] {
                ui.label(RichText::new(heading).strong());
            }
            ui.end_row();
            for side in &c.sides {
                ui.label(&side.name);
                ui.label(format!("{:.3} %", side.availability * 100.0));
                ui.label(side.latency_ms.map_or("—".to_owned(), |[a, b, c]| {
                    format!("{a:.0} / {b:.0} / {c:.0} ms")
                }));
                ui.label(side.failed.to_string());
                ui.label(format!("${:.2}", side.cost_usd));
                ui.end_row();
            }
        });
    let colors = [
        egui::Color32::from_rgb(0x3B, 0x82, 0xF6),
        egui::Color32::from_rgb(0xF0, 0x8C, 0x00),
    ];
    type Figure = fn(&History) -> Vec<[f64; 2]>;
    let charts: [(&str, Figure); 3] = [
        ("p95 response time (ms)", |h| {
            h.secs
                .iter()
                .zip(&h.system)
                .filter_map(|(&t, p)| p.latency_ms.map(|l| [t, l[1]]))
                .collect()
        }),
        ("Failed requests %", |h| h.error_rate_percent()),
        ("Cost so far ($)", |h| {
            h.secs
                .iter()
                .zip(&h.system)
                .map(|(&t, p)| [t, p.cost_usd])
                .collect()
        }),
    ];
    ui.columns(3, |columns| {
        for (column, (title, figure)) in columns.iter_mut().zip(charts) {
            column.label(RichText::new(title).strong());
            super::panels::time_plot(("compare", title), 160.0).show(column, |plot| {
                // Short legends: a variant's full name would cover the small chart; the
                // table above names both.
                for ((side, color), legend) in
                    c.sides.iter().zip(colors).zip(["this design", "the other"])
                {
                    plot.line(
                        Line::new(legend, figure(&side.history))
                            .color(color)
                            .width(1.8),
                    );
                }
            });
        }
    });
}
