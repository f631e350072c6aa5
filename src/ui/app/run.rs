//! The editor in run mode: starting and stopping a run, stepping it each frame, its
//! panels, and the measured usage offered to the cost estimate when it stops.

use super::EditorApp;
use crate::ui::commands::Command;
use crate::ui::run::panels::{self, SourceControl};
use crate::ui::run::{RunCommand, RunMode};
use crate::ui::state::{Gesture, Tone};

/// The tabs of the bottom panel during a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunTab {
    /// The whole system's figures and charts.
    #[default]
    Dashboard,
    /// What happened.
    Events,
}

/// A run and the controls around it.
pub struct RunSession {
    /// The run.
    pub run: RunMode,
    /// The traffic sources' sliders and patterns.
    pub controls: Vec<SourceControl>,
    /// The bottom panel's tab.
    pub tab: RunTab,
    /// The event log's filter.
    pub filter: String,
}

impl EditorApp {
    /// The run in progress, if any.
    pub fn run(&self) -> Option<&RunMode> {
        self.session.as_ref().map(|s| &s.run)
    }

    /// The run in progress, to drive it from a test or a script.
    pub fn run_mut(&mut self) -> Option<&mut RunMode> {
        self.session.as_mut().map(|s| &mut s.run)
    }

    /// Moves the run by this frame's time.
    pub(super) fn step_run(&mut self, ctx: &egui::Context) {
        let Some(session) = &mut self.session else {
            return;
        };
        let dt = ctx.input(|i| f64::from(i.stable_dt));
        session.run.frame(dt);
        if !session.run.paused {
            ctx.request_repaint();
        }
    }

    pub(super) fn handle_run(&mut self, command: RunCommand) {
        match command {
            RunCommand::Start => self.start_run(),
            RunCommand::Stop => self.stop_run(),
            other => {
                let Some(session) = &mut self.session else {
                    self.state
                        .say(Tone::Info, "Start a run first (Run ▸ Start)");
                    return;
                };
                let run = &mut session.run;
                match other {
                    RunCommand::SetPaused(paused) => run.paused = paused,
                    RunCommand::Step => run.step(),
                    RunCommand::SetSpeed(speed) => run.speed = speed,
                    RunCommand::Restart => {
                        if let Err(e) = run.restart() {
                            self.state.say(Tone::Error, e);
                        }
                    }
                    RunCommand::Inject(action) => run.inject(action),
                    RunCommand::FailRandomInstance => match run.fail_random_instance() {
                        Some(id) => self.state.say(Tone::Info, format!("Failed {id}")),
                        None => self.state.say(Tone::Info, "No instance is in service"),
                    },
                    RunCommand::InterruptRandomSpot => match run.interrupt_random_spot() {
                        Some(id) => self.state.say(Tone::Info, format!("Interrupted {id}")),
                        None => self.state.say(Tone::Info, "No spot instance is in service"),
                    },
                    RunCommand::Start | RunCommand::Stop => {}
                }
            }
        }
    }

    fn start_run(&mut self) {
        if self.session.is_some() {
            return;
        }
        if self.doc.history.is_open() {
            self.cancel_gesture();
        }
        match RunMode::start(&self.doc.diagram) {
            Ok(run) => {
                let controls = panels::source_controls(&self.doc.diagram);
                self.session = Some(RunSession {
                    run,
                    controls,
                    tab: RunTab::default(),
                    filter: String::new(),
                });
                self.state.gesture = Gesture::Idle;
                self.state
                    .say(Tone::Info, "Running: editing is locked until you stop");
            }
            Err(e) => self.state.say(Tone::Error, format!("Cannot run: {e}")),
        }
    }

    fn stop_run(&mut self) {
        let Some(session) = self.session.take() else {
            return;
        };
        if session.run.secs() > 0.0 {
            self.measured_offer = Some((
                session.run.simulation().measured_diagram(),
                session.run.secs(),
            ));
        }
        self.state.say(Tone::Info, "Stopped the run");
    }

    /// The run's toolbar, under the menu.
    pub(super) fn run_toolbar(&mut self, ui: &mut egui::Ui) {
        let Some(session) = &self.session else {
            return;
        };
        let mut out = Vec::new();
        egui::Panel::top("run_toolbar").show(ui, |ui| {
            crate::ui::run::toolbar::run_toolbar(ui, &session.run, &mut out);
        });
        self.commands.extend(out.into_iter().map(Command::Run));
    }

    /// The panels around the canvas during a run.
    pub(super) fn run_panels(&mut self, ui: &mut egui::Ui) {
        let Some(session) = &mut self.session else {
            return;
        };
        let mut out = Vec::new();
        let mut select = None;
        egui::Panel::bottom("run_panel")
            .resizable(true)
            .default_size(250.0)
            .min_size(140.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut session.tab, RunTab::Dashboard, "Dashboard");
                    let events = format!("Events ({})", session.run.log().len());
                    ui.selectable_value(&mut session.tab, RunTab::Events, events);
                });
                ui.separator();
                match session.tab {
                    RunTab::Dashboard => panels::dashboard(ui, &session.run),
                    RunTab::Events => {
                        select = panels::event_log(ui, &session.run, &mut session.filter);
                    }
                }
            });
        egui::Panel::left("run_traffic")
            .resizable(true)
            .default_size(240.0)
            .min_size(180.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    panels::traffic_panel(ui, &session.run, &mut session.controls, &mut out);
                });
            });
        let selected = self.state.selection.resources.first().cloned();
        egui::Panel::right("run_inspector")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                panels::live_inspector(ui, &session.run, selected.as_ref(), &mut out);
            });
        self.commands.extend(out.into_iter().map(Command::Run));
        if let Some(id) = select {
            self.commands.push(Command::Select(vec![id]));
        }
    }

    /// After a run, asks whether the estimate should use what it measured.
    pub(super) fn measured_offer_ui(&mut self, ctx: &egui::Context) {
        let Some(secs) = self.measured_offer.as_ref().map(|(_, secs)| *secs) else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("measured_usage_offer")).show(ctx, |ui| {
            ui.heading("Use what the run measured?");
            ui.label(format!(
                "The run simulated {}. Its traffic, data moved and instance hours can \
                 replace the usage figures of the design, so the cost estimate shows a \
                 month at the run's pace. This is one step you can undo.",
                crate::ui::run::toolbar::span(secs.round())
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Use measured usage").clicked() {
                    choice = Some(true);
                }
                if ui.button("Keep the design as drawn").clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                if let Some((measured, _)) = self.measured_offer.take() {
                    self.commands
                        .push(Command::ApplyMeasuredUsage(Box::new(measured)));
                }
            }
            Some(false) => self.measured_offer = None,
            None => {}
        }
    }
}
