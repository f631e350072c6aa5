//! The panels of a run: traffic and zones (left), the selected resource live with its
//! charts and failure buttons (right), the system's dashboard and the event log (bottom).

use egui::{Color32, RichText};
use egui_plot::{HLine, Legend, Line, Plot};

use super::overlay::{FAILED, OK, SLOW, status_color};
use crate::model::config::compute::{ScalingMetric, ScalingPolicy};
use crate::model::config::services::TrafficPattern;
use crate::model::{Config, Kind, ResourceId};
use crate::play::{RunCommand, RunMode, clock};
use crate::sim::Action;

/// Blue of the first series of a chart.
const BLUE: Color32 = Color32::from_rgb(0x3B, 0x82, 0xF6);
/// Latencies added from the right-click menu and the inspector, in milliseconds.
pub const ADDED_LATENCIES_MS: [f64; 3] = [100.0, 500.0, 2_000.0];

/// What a person can set on a traffic source during a run.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceControl {
    /// The source.
    pub id: ResourceId,
    /// Its base rate.
    pub rps: f64,
    /// The pattern chosen.
    pub pattern: PatternChoice,
    /// How far a ramp, step, spike or daily peak goes, times the base rate.
    pub factor: f64,
}

/// Patterns that can start during a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternChoice {
    /// The base rate.
    Constant,
    /// Up to the factor over ten minutes.
    Ramp,
    /// To the factor at once.
    Step,
    /// The factor for two minutes.
    Spike,
    /// A daily wave peaking at the factor at 14:00.
    Diurnal,
}

impl PatternChoice {
    const ALL: [PatternChoice; 5] = [
        PatternChoice::Constant,
        PatternChoice::Ramp,
        PatternChoice::Step,
        PatternChoice::Spike,
        PatternChoice::Diurnal,
    ];

    fn label(self) -> &'static str {
        match self {
            PatternChoice::Constant => "Constant",
            PatternChoice::Ramp => "Ramp over 10 min",
            PatternChoice::Step => "Step now",
            PatternChoice::Spike => "Spike for 2 min",
            PatternChoice::Diurnal => "Daily wave",
        }
    }

    /// The pattern starting at `now` seconds.
    pub fn pattern(self, rps: f64, factor: f64, now: f64) -> TrafficPattern {
        match self {
            PatternChoice::Constant => TrafficPattern::Constant,
            PatternChoice::Ramp => TrafficPattern::Ramp {
                to_rps: rps * factor,
                start_secs: now,
                over_secs: 600.0,
            },
            PatternChoice::Step => TrafficPattern::Step {
                to_rps: rps * factor,
                at_secs: now,
            },
            PatternChoice::Spike => TrafficPattern::Spike {
                multiplier: factor,
                at_secs: now,
                duration_secs: 120.0,
            },
            PatternChoice::Diurnal => TrafficPattern::Diurnal {
                peak_rps: rps * factor,
                peak_hour: 14.0,
            },
        }
    }
}

/// The traffic sources of a design, as their controls start.
pub fn source_controls(design: &crate::model::Diagram) -> Vec<SourceControl> {
    design
        .resources()
        .filter_map(|r| match &r.config {
            Config::Users(u) => Some(SourceControl {
                id: r.id.clone(),
                rps: u.requests_per_second,
                pattern: PatternChoice::Constant,
                factor: 3.0,
            }),
            _ => None,
        })
        .collect()
}

/// Left: each traffic source's load, and the zones and Regions to fail.
pub fn traffic_panel(
    ui: &mut egui::Ui,
    run: &RunMode,
    controls: &mut [SourceControl],
    out: &mut Vec<RunCommand>,
) {
    ui.heading("Traffic");
    for control in controls.iter_mut() {
        ui.add_space(4.0);
        ui.label(RichText::new(control.id.as_str()).strong());
        let slider = ui.add(
            egui::Slider::new(&mut control.rps, 0.0..=20_000.0)
                .logarithmic(true)
                .suffix(" req/s")
                .text("base rate"),
        );
        if slider.drag_stopped() || (slider.changed() && !slider.dragged()) {
            out.push(RunCommand::Inject(Action::SetRate {
                source: control.id.clone(),
                rps: control.rps,
            }));
        }
        ui.horizontal(|ui| {
            egui::ComboBox::new(("pattern", &control.id), "pattern")
                .selected_text(control.pattern.label())
                .show_ui(ui, |ui| {
                    for choice in PatternChoice::ALL {
                        ui.selectable_value(&mut control.pattern, choice, choice.label());
                    }
                });
            if control.pattern != PatternChoice::Constant {
                ui.add(
                    egui::DragValue::new(&mut control.factor)
                        .range(0.1..=50.0)
                        .speed(0.05)
                        .suffix("×"),
                );
            }
        });
        if ui
            .button(format!("Apply pattern to {}", control.id))
            .clicked()
        {
            out.push(RunCommand::Inject(Action::SetPattern {
                source: control.id.clone(),
                pattern: control
                    .pattern
                    .pattern(control.rps, control.factor, run.secs()),
            }));
        }
    }
    ui.separator();
    ui.heading("Zones");
    for r in run.design().resources() {
        let (fail, restore) = match r.kind() {
            Kind::AvailabilityZone => (
                Action::FailAz(r.id.clone()),
                Action::RestoreAz(r.id.clone()),
            ),
            Kind::Region => (
                Action::FailRegion(r.id.clone()),
                Action::RestoreRegion(r.id.clone()),
            ),
            _ => continue,
        };
        ui.horizontal(|ui| {
            let down = run.live().zones_down.contains(&r.id);
            let dot = if down { FAILED } else { OK };
            let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().circle_filled(rect.center(), 4.5, dot);
            ui.label(r.label());
            if down {
                if ui.button(format!("Restore {}", r.id)).clicked() {
                    out.push(RunCommand::Inject(restore));
                }
            } else if ui.button(format!("Fail {}", r.id)).clicked() {
                out.push(RunCommand::Inject(fail));
            }
        });
    }
}

/// What can be done to a resource of `kind` during a run, in words: for the right-click
/// menu and the inspector alike.
pub fn failure_actions(kind: Kind, id: &ResourceId, spot: bool) -> Vec<(String, Action)> {
    let mut out = Vec::new();
    match kind {
        Kind::AvailabilityZone => {
            out.push((
                "Fail this Availability Zone".to_owned(),
                Action::FailAz(id.clone()),
            ));
            out.push((
                "Restore this Availability Zone".to_owned(),
                Action::RestoreAz(id.clone()),
            ));
        }
        Kind::Region => {
            out.push((
                "Fail this Region".to_owned(),
                Action::FailRegion(id.clone()),
            ));
            out.push((
                "Restore this Region".to_owned(),
                Action::RestoreRegion(id.clone()),
            ));
        }
        _ => {
            out.push((format!("Fail {id}"), Action::Fail(id.clone())));
            if kind == Kind::Ec2Instance {
                out.push((
                    format!("Crash the application on {id}"),
                    Action::CrashApp(id.clone()),
                ));
            }
            out.push((format!("Restore {id}"), Action::Restore(id.clone())));
            for ms in ADDED_LATENCIES_MS {
                out.push((
                    format!("Add {ms:.0} ms to {id}"),
                    Action::AddLatency {
                        resource: id.clone(),
                        ms,
                    },
                ));
            }
            out.push((
                format!("Remove added latency from {id}"),
                Action::AddLatency {
                    resource: id.clone(),
                    ms: 0.0,
                },
            ));
            if spot {
                out.push((
                    format!("Interrupt spot capacity of {id}"),
                    Action::InterruptSpot(id.clone()),
                ));
            }
        }
    }
    out
}

/// A group's "Fail one instance" submenu: one entry per instance in service.
pub fn fail_one_instance(
    ui: &mut egui::Ui,
    live: &crate::play::LiveResource,
    inject: &mut dyn FnMut(Action),
) {
    let members: Vec<&ResourceId> = live
        .members
        .iter()
        .filter(|m| m.status == crate::sim::Status::InService)
        .map(|m| &m.id)
        .collect();
    if members.is_empty() {
        return;
    }
    ui.menu_button("Fail one instance", |ui| {
        for m in members {
            if ui.button(format!("Fail {m}")).clicked() {
                inject(Action::Fail(m.clone()));
                ui.close();
            }
        }
    });
}

/// Right: the selected resource, live.
pub fn live_inspector(
    ui: &mut egui::Ui,
    run: &RunMode,
    selected: Option<&ResourceId>,
    out: &mut Vec<RunCommand>,
) {
    let Some(id) = selected else {
        ui.heading("Live");
        ui.label("Select a resource to watch it: its state, its figures and its charts.");
        ui.label("Right-click a resource, an Availability Zone or a Region to fail it.");
        return;
    };
    let Some(resource) = run.design().resource(id.as_str()) else {
        return;
    };
    ui.heading(resource.label());
    ui.label(RichText::new(crate::model::catalog::catalog().name(resource.kind())).weak());
    let live = run.live().resources.get(id);
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some(live) = live {
            if let Some(status) = live.status {
                ui.label(
                    RichText::new(status.label())
                        .color(status_color(status))
                        .strong(),
                );
            }
            egui::Grid::new("live_figures")
                .num_columns(2)
                .show(ui, |ui| {
                    let mut row = |name: &str, value: String| {
                        ui.label(name);
                        ui.label(value);
                        ui.end_row();
                    };
                    row("Requests", format!("{:.1} /s", live.point.requests_per_sec));
                    row("Errors", format!("{:.2} /s", live.point.errors_per_sec));
                    if live.servers > 0 {
                        row("Busy", format!("{} of {}", live.busy, live.servers));
                        row(
                            "Utilisation",
                            format!("{:.0} %", live.point.utilisation * 100.0),
                        );
                    }
                    if live.point.waiting > 0.0 {
                        row("Waiting", format!("{:.0}", live.point.waiting));
                    }
                    if let Some(g) = &live.group {
                        row(
                            "In service",
                            format!("{} (pending {})", g.in_service, g.pending),
                        );
                        row(
                            "Min / desired / max",
                            format!("{} / {} / {}", g.min, g.desired, g.max),
                        );
                    }
                    if let Some(b) = &live.balancer {
                        row("Healthy targets", format!("{} of {}", b.healthy, b.targets));
                    }
                    if let Some(q) = &live.queue {
                        row("Visible", q.visible.to_string());
                        row("In flight", q.in_flight.to_string());
                        row("Dead-lettered", q.dead_lettered.to_string());
                    }
                    if let Some(c) = live.cpu_credits {
                        row("CPU credits", format!("{c:.0}"));
                    }
                    if let Some(lag) = live.replica_lag_secs {
                        row("Replica lag", format!("{lag:.1} s"));
                    }
                    if let Some(share) = live.keys_cached {
                        row("Keys cached", format!("{:.0} %", share * 100.0));
                    }
                });
        }
        ui.separator();
        let history = run.history();
        chart(
            ui,
            ("requests", id),
            "Requests and errors per second",
            vec![
                (
                    "requests/s",
                    history.resource_series(id, |p| p.requests_per_sec),
                    BLUE,
                ),
                (
                    "errors/s",
                    history.resource_series(id, |p| p.errors_per_sec),
                    FAILED,
                ),
            ],
            None,
        );
        let latency = |k: usize| history.resource_series_where(id, |p| p.latency_ms.map(|l| l[k]));
        if !latency(0).is_empty() {
            chart(
                ui,
                ("latency", id),
                "Response time here, its calls included (ms)",
                vec![
                    ("p50", latency(0), OK),
                    ("p95", latency(1), SLOW),
                    ("p99", latency(2), FAILED),
                ],
                None,
            );
        }
        let alarms = alarms_on(run, id);
        let cpu_alarm = alarms
            .iter()
            .find(|a| a.metric == "CPUUtilization")
            .map(|a| (format!("{} threshold", a.name), a.threshold));
        alarm_states(ui, &alarms);
        if live.is_some_and(|l| l.servers > 0) {
            chart(
                ui,
                ("cpu", id),
                "CPU utilization %",
                vec![("CPU", history.resource_series(id, |p| p.cpu * 100.0), OK)],
                cpu_alarm.or_else(|| {
                    target_percent(&resource.config).map(|t| ("scaling target".to_owned(), t))
                }),
            );
        }
        if live.is_some_and(|l| l.group.is_some()) {
            chart(
                ui,
                ("instances", id),
                "Instances in service",
                vec![(
                    "in service",
                    history.resource_series(id, |p| p.in_service),
                    BLUE,
                )],
                None,
            );
        }
        if live.is_some_and(|l| l.queue.is_some() || l.servers > 0) {
            chart(
                ui,
                ("waiting", id),
                if live.is_some_and(|l| l.queue.is_some()) {
                    "Messages visible"
                } else {
                    "Requests waiting"
                },
                vec![("waiting", history.resource_series(id, |p| p.waiting), SLOW)],
                alarms
                    .iter()
                    .find(|a| a.metric == "ApproximateNumberOfMessagesVisible")
                    .map(|a| (format!("{} threshold", a.name), a.threshold)),
            );
        }
        // Failures last: the right-click menu offers them on the canvas too.
        let spot = live.is_some_and(|l| !l.members.is_empty())
            || run.snapshot().servers.iter().any(|s| &s.id == id && s.spot);
        let actions = failure_actions(resource.kind(), id, spot);
        if !actions.is_empty() && resource.kind() != Kind::Users {
            ui.label(RichText::new("Inject").strong());
            ui.horizontal_wrapped(|ui| {
                for (label, action) in actions {
                    if ui.small_button(label).clicked() {
                        out.push(RunCommand::Inject(action));
                    }
                }
            });
            if let Some(live) = live {
                fail_one_instance(ui, live, &mut |action| out.push(RunCommand::Inject(action)));
            }
            ui.separator();
        }
    });
}

/// A CloudWatch alarm of the design that watches a resource.
struct WatchingAlarm {
    name: String,
    metric: String,
    /// "above 80", "at most 10", …
    condition: String,
    threshold: f64,
    state: Option<crate::sim::AlarmValue>,
}

/// The alarms watching `id`, with their state now.
fn alarms_on(run: &RunMode, id: &ResourceId) -> Vec<WatchingAlarm> {
    run.design()
        .resources()
        .filter_map(|r| match &r.config {
            Config::CloudWatchAlarm(a) if a.watched.as_ref() == Some(id) => Some(WatchingAlarm {
                name: r.label().to_owned(),
                metric: a.metric.clone(),
                condition: {
                    use crate::model::config::compute::Comparison;
                    let words = match a.comparison {
                        Comparison::GreaterThan => "above",
                        Comparison::GreaterThanOrEqual => "at least",
                        Comparison::LessThan => "below",
                        Comparison::LessThanOrEqual => "at most",
                    };
                    format!("{words} {}", a.threshold)
                },
                threshold: a.threshold,
                state: run.live().resources.get(&r.id).and_then(|l| l.alarm),
            }),
            _ => None,
        })
        .collect()
}

/// Each watching alarm's state, in its colour.
fn alarm_states(ui: &mut egui::Ui, alarms: &[WatchingAlarm]) {
    for a in alarms {
        let (text, color) = match a.state {
            Some(crate::sim::AlarmValue::Alarm) => ("ALARM", FAILED),
            Some(crate::sim::AlarmValue::Ok) => ("OK", OK),
            _ => ("INSUFFICIENT_DATA", Color32::GRAY),
        };
        ui.horizontal(|ui| {
            ui.label(format!("{}: {} {}", a.name, a.metric, a.condition));
            ui.label(RichText::new(text).color(color).strong());
        });
    }
}

/// A target-tracking policy's CPU target, to draw on the utilisation chart.
fn target_percent(config: &Config) -> Option<f64> {
    let Config::AutoScalingGroup(group) = config else {
        return None;
    };
    group.scaling_policies.iter().find_map(|p| match p {
        ScalingPolicy::TargetTracking(t) if t.metric == ScalingMetric::CpuUtilization => {
            Some(t.target_value)
        }
        _ => None,
    })
}

/// Bottom: the whole system's figures and charts.
pub fn dashboard(ui: &mut egui::Ui, run: &RunMode) {
    let totals = &run.snapshot().totals;
    ui.horizontal_wrapped(|ui| {
        let figure = |ui: &mut egui::Ui, name: &str, value: String| {
            ui.vertical(|ui| {
                ui.label(RichText::new(name).weak());
                ui.label(RichText::new(value).size(18.0).strong());
            });
            ui.add_space(18.0);
        };
        figure(ui, "Requests", totals.arrived.to_string());
        figure(ui, "Answered", totals.completed.to_string());
        figure(ui, "Failed", totals.failed.to_string());
        let ended = totals.completed + totals.failed;
        figure(
            ui,
            "Availability",
            if ended == 0 {
                "—".to_owned()
            } else {
                format!("{:.3} %", totals.availability * 100.0)
            },
        );
        let latency = match totals.latency_ms {
            Some([p50, p95, p99]) => format!("{p50:.0} / {p95:.0} / {p99:.0} ms"),
            None => "—".to_owned(),
        };
        figure(ui, "p50 / p95 / p99", latency);
        figure(ui, "Cost so far", format!("${:.2}", totals.cost_usd));
    });
    let history = run.history();
    let latency = |k: usize| -> Vec<[f64; 2]> {
        history
            .secs
            .iter()
            .zip(&history.system)
            .filter_map(|(&t, p)| p.latency_ms.map(|l| [t, l[k]]))
            .collect()
    };
    ui.columns(3, |columns| {
        chart(
            &mut columns[0],
            "system_latency",
            "Response time (ms)",
            vec![
                ("p50", latency(0), OK),
                ("p95", latency(1), SLOW),
                ("p99", latency(2), FAILED),
            ],
            None,
        );
        chart(
            &mut columns[1],
            "system_errors",
            "Failed requests %",
            vec![("failed %", history.error_rate_percent(), FAILED)],
            None,
        );
        chart(
            &mut columns[2],
            "system_cost",
            "Cost per hour ($)",
            vec![("$/h", history.cost_per_hour(), BLUE)],
            None,
        );
    });
}

/// Bottom: the run's log, filtered; returns the resource of a clicked entry.
pub fn event_log(ui: &mut egui::Ui, run: &RunMode, filter: &mut String) -> Option<ResourceId> {
    let mut clicked = None;
    ui.horizontal(|ui| {
        ui.label("Filter");
        ui.add(egui::TextEdit::singleline(filter).hint_text("resource or words"));
        if !filter.is_empty() && ui.small_button("Clear").clicked() {
            filter.clear();
        }
    });
    let needle = filter.to_lowercase();
    let injected: Vec<(f64, String)> = run
        .injected()
        .iter()
        .map(|(t, action)| (*t, crate::play::describe(action)))
        .collect();
    let mut entries: Vec<(f64, Option<&ResourceId>, &str, bool)> = run
        .log()
        .iter()
        .map(|e| (e.secs, Some(&e.resource), e.text.as_str(), false))
        .chain(
            injected
                .iter()
                .map(|(t, text)| (*t, None, text.as_str(), true)),
        )
        .filter(|(_, r, text, _)| {
            needle.is_empty()
                || text.to_lowercase().contains(&needle)
                || r.is_some_and(|r| r.as_str().to_lowercase().contains(&needle))
        })
        .collect();
    // Stable: an injected action shows after what the run logged at the same second.
    entries.sort_by(|a, b| a.0.total_cmp(&b.0));
    if entries.is_empty() {
        ui.label(RichText::new("Nothing has happened yet.").weak());
        return None;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    // Only the rows in view are laid out, however long the log.
    egui::ScrollArea::vertical()
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show_rows(ui, row_height, entries.len(), |ui, rows| {
            for (secs, resource, text, injected) in &entries[rows] {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(clock(*secs)).monospace());
                    if let Some(r) = resource
                        && ui.link(r.as_str()).clicked()
                    {
                        clicked = Some((*r).clone());
                    }
                    let words = RichText::new(*text);
                    ui.label(if *injected {
                        words.color(FAILED).strong()
                    } else {
                        words
                    });
                });
            }
        });
    clicked.and_then(|id| diagram_resource_of(run, &id))
}

/// The diagram resource a run's name stands for: itself, or a member's group.
pub fn diagram_resource_of(run: &RunMode, id: &ResourceId) -> Option<ResourceId> {
    if run.design().contains(id.as_str()) {
        return Some(id.clone());
    }
    run.snapshot()
        .servers
        .iter()
        .find(|s| &s.id == id)
        .and_then(|s| s.group.clone())
}

/// A chart over simulated time, read-only (it follows the run rather than the pointer),
/// with its legend and the clock on its axis.
pub fn time_plot(id: impl std::hash::Hash + std::fmt::Debug, height: f32) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        // From 0, and at least to 1: an all-zero series (no failures) keeps a sane scale.
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(|mark, _| clock(mark.value))
}

/// A small time chart; `threshold` draws a dashed line (an alarm's or a target's).
fn chart(
    ui: &mut egui::Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    title: &str,
    lines: Vec<(&str, Vec<[f64; 2]>, Color32)>,
    threshold: Option<(String, f64)>,
) {
    ui.label(RichText::new(title).strong());
    time_plot(id, 120.0).show(ui, |plot| {
        for (name, points, color) in lines {
            plot.line(Line::new(name, points).color(color).width(1.8));
        }
        if let Some((name, y)) = threshold {
            plot.hline(
                HLine::new(name, y)
                    .color(Color32::from_rgb(0x86, 0x8E, 0x96))
                    .style(egui_plot::LineStyle::dashed_dense()),
            );
        }
    });
}
