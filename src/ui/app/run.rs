//! The editor in run mode: starting and stopping a run, stepping it each frame, its
//! panels, and the measured usage offered to the cost estimate when it stops.

use super::EditorApp;
use crate::editor::commands::Command;
use crate::editor::state::{Gesture, Tone};
use crate::play::{RunCommand, RunMode};
use crate::ui::run::compare::{self, CompareRequest, CompareState, CompareWith};
use crate::ui::run::panels::{self, SourceControl};
use crate::ui::run::record::{self, Recorder};

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
    /// Presentation mode: full screen, large type, only the canvas and the dashboard.
    pub presenting: bool,
    /// The compare window.
    pub compare: CompareState,
    /// The recording in progress, if any.
    pub recorder: Option<Recorder>,
}

/// How much larger everything is drawn in presentation mode.
const PRESENTATION_ZOOM: f32 = 1.4;

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
        if let Some(recorder) = &mut session.recorder {
            let room = recorder.collect();
            if !room {
                self.commands.push(Command::Run(RunCommand::StopRecording));
            }
            // A recording moves the run one fixed step per picture taken, so the same
            // run records the same frames whatever the machine's speed.
            if !recorder.awaiting && !session.run.paused && room {
                session.run.frame_exact(1.0 / f64::from(record::FPS));
                recorder.request(ctx);
            } else {
                session.run.frame_exact(0.0);
            }
            ctx.request_repaint();
            return;
        }
        let dt = ctx.input(|i| f64::from(i.stable_dt));
        session.run.frame(dt);
        if !session.run.paused || session.run.seeking().is_some() {
            ctx.request_repaint();
        }
    }

    pub(super) fn handle_run(&mut self, command: RunCommand) {
        match command {
            RunCommand::Start => self.start_run(),
            RunCommand::Stop => self.stop_run(),
            RunCommand::OpenLessonDialog => self.open_lesson(),
            RunCommand::TogglePresenting => {
                if let Some(session) = &mut self.session {
                    session.presenting = !session.presenting;
                }
            }
            RunCommand::OpenCompare => {
                if let Some(session) = &mut self.session {
                    session.compare.open = true;
                }
            }
            RunCommand::StartRecording => self.start_recording(),
            RunCommand::StopRecording => self.stop_recording(),
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
                    RunCommand::Seek(secs) => {
                        if let Err(e) = run.start_seek(secs) {
                            self.state.say(Tone::Error, e);
                        }
                    }
                    RunCommand::PlayLesson(scenario) => match run.play_lesson(&scenario) {
                        Ok(()) => self
                            .state
                            .say(Tone::Info, format!("Lesson: {}", scenario.name)),
                        Err(e) => self.state.say(Tone::Error, e),
                    },
                    RunCommand::ContinueLesson => run.continue_lesson(),
                    RunCommand::SetPauseAtSteps(pause) => run.set_pause_at_steps(pause),
                    RunCommand::Start
                    | RunCommand::Stop
                    | RunCommand::OpenLessonDialog
                    | RunCommand::TogglePresenting
                    | RunCommand::OpenCompare
                    | RunCommand::StartRecording
                    | RunCommand::StopRecording => {}
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
                    presenting: false,
                    compare: CompareState::default(),
                    recorder: None,
                });
                self.state.gesture = Gesture::Idle;
                self.state
                    .say(Tone::Info, "Running: editing is locked until you stop");
            }
            Err(e) => self.state.say(Tone::Error, format!("Cannot run: {e}")),
        }
    }

    /// Asks for a scenario file and plays it as a lesson, or says why it cannot.
    fn open_lesson(&mut self) {
        let Some(path) = self.dialogs.open() else {
            return;
        };
        let scenario = crate::io::read_text_capped(&path, crate::sim::MAX_SCENARIO_BYTES)
            .map_err(|e| format!("cannot read it: {e}"))
            .and_then(|text| crate::sim::Scenario::parse(&text));
        let scenario = match scenario {
            Ok(s) => s,
            Err(e) => {
                self.state
                    .say(Tone::Error, format!("{}: {e}", path.display()));
                return;
            }
        };
        let missing = crate::library::scenarios::missing_resources(&scenario, &self.doc.diagram);
        if !missing.is_empty() {
            self.state.say(
                Tone::Error,
                format!(
                    "{}: this design has no {}, which the scenario acts on",
                    path.display(),
                    missing.join(", ")
                ),
            );
            return;
        }
        // A lesson runs as long as the class watches: any time is within the run.
        if let Err(e) =
            crate::library::scenarios::check(&scenario, &self.doc.diagram, f64::INFINITY)
        {
            self.state
                .say(Tone::Error, format!("{}: {e}", path.display()));
            return;
        }
        self.handle_run(RunCommand::PlayLesson(Box::new(scenario)));
    }

    /// Puts the window in or out of presentation mode when the session asks for it.
    pub(super) fn apply_presentation(&mut self, ctx: &egui::Context) {
        let wanted = self.session.as_ref().is_some_and(|s| s.presenting);
        if wanted != self.presented {
            self.presented = wanted;
            ctx.set_zoom_factor(if wanted { PRESENTATION_ZOOM } else { 1.0 });
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(wanted));
            // The canvas changes size: show the whole design again.
            self.state.fit_pending = true;
            self.state.fitted_size = None;
        }
    }

    /// The lesson's narration card, over the top of the canvas.
    pub(super) fn lesson_card(&mut self, ctx: &egui::Context) {
        let Some(session) = &self.session else {
            return;
        };
        let Some(lesson) = session.run.lesson() else {
            return;
        };
        let Some((heading, words)) = lesson.card_text() else {
            return;
        };
        let mut out = Vec::new();
        egui::Area::new(egui::Id::unique("lesson_card"))
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 96.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style())
                    .inner_margin(14.0)
                    .show(ui, |ui| {
                        ui.set_max_width(560.0);
                        ui.label(egui::RichText::new(heading).strong().size(16.0));
                        ui.add_space(4.0);
                        ui.label(egui::RichText::new(words).size(15.0));
                        ui.add_space(8.0);
                        ui.horizontal(|ui| {
                            if ui.button("Continue").clicked() {
                                out.push(RunCommand::ContinueLesson);
                            }
                            let steps = lesson.steps.len();
                            ui.label(
                                egui::RichText::new(format!(
                                    "{} of {steps} steps done",
                                    lesson.reached
                                ))
                                .weak(),
                            );
                        });
                    });
            });
        self.commands.extend(out.into_iter().map(Command::Run));
    }

    /// The compare window, and the comparison running beside the UI.
    pub(super) fn compare_ui(&mut self, ctx: &egui::Context) {
        let Some(session) = &mut self.session else {
            return;
        };
        let state = &mut session.compare;
        if let Some(job) = &state.job {
            match job.try_recv() {
                Ok(result) => {
                    state.result = Some(result);
                    state.job = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => ctx.request_repaint(),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    state.result = Some(Err("the comparison stopped unexpectedly".to_owned()));
                    state.job = None;
                }
            }
        }
        if !state.open {
            return;
        }
        match compare::compare_window(ctx, state) {
            Some(CompareRequest::ChooseFile) => {
                if let Some(path) = self.dialogs.open() {
                    state.with = CompareWith::File(Some(path));
                }
            }
            Some(CompareRequest::Run) => {
                let other = other_design(&state.with, session.run.design());
                match other {
                    Ok((name, other)) => {
                        let design = session.run.design().clone();
                        let scenario = session.run.lesson().map(|l| l.scenario.clone());
                        let secs = state.minutes * 60.0;
                        let (send, receive) = std::sync::mpsc::channel();
                        std::thread::spawn(move || {
                            let result = compare::compare(
                                ("this design", &design),
                                (&name, &other),
                                scenario.as_ref(),
                                secs,
                            );
                            let _ = send.send(result);
                        });
                        state.job = Some(receive);
                        state.result = None;
                    }
                    Err(e) => state.result = Some(Err(e)),
                }
            }
            None => {}
        }
    }

    fn start_recording(&mut self) {
        if self.session.as_ref().is_none_or(|s| s.recorder.is_some()) {
            return;
        }
        let Some(path) = self.dialogs.save_recording("run.gif") else {
            return;
        };
        if let Some(session) = &mut self.session {
            session.recorder = Some(Recorder::start(path.clone()));
            session.run.paused = false;
        }
        self.state.say(
            Tone::Info,
            format!(
                "Recording to {} at {} frames a second of play",
                path.display(),
                record::FPS
            ),
        );
    }

    fn stop_recording(&mut self) {
        let Some(recorder) = self.session.as_mut().and_then(|s| s.recorder.take()) else {
            return;
        };
        let path = recorder.path.clone();
        match recorder.finish() {
            Ok(frames) => self.state.say(
                Tone::Info,
                format!("Wrote {frames} frames to {}", path.display()),
            ),
            Err(e) => self.state.say(Tone::Error, e),
        }
    }

    fn stop_run(&mut self) {
        self.stop_recording();
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
            let recording = session.recorder.as_ref().map(|r| r.taken);
            crate::ui::run::toolbar::run_toolbar(ui, &session.run, recording, &mut out);
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
        if session.presenting {
            self.commands.extend(out.into_iter().map(Command::Run));
            return;
        }
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
        let body = format!(
            "The run simulated {}. Its traffic, data moved and instance hours can replace \
             the usage figures of the design, so the cost estimate shows a month at the \
             run's pace. This is one step you can undo.",
            crate::ui::run::toolbar::span(secs.round())
        );
        let choice = super::safety::two_way_question(
            ctx,
            "measured_usage_offer",
            "Use what the run measured?",
            &body,
            ("Use measured usage", "Keep the design as drawn"),
        );
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

/// The design to compare with, and its name.
fn other_design(
    with: &CompareWith,
    design: &crate::model::Diagram,
) -> Result<(String, crate::model::Diagram), String> {
    match with {
        CompareWith::Variant(text) => {
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if lines.is_empty() {
                return Err("Write at least one change, such as app-asg.min_size=4".to_owned());
            }
            let mut variant = design.clone();
            for line in &lines {
                let item: crate::model::overrides::Override =
                    line.parse().map_err(|e| format!("{line}: {e}"))?;
                crate::model::overrides::apply(&mut variant, &item)
                    .map_err(|e| format!("{line}: {e}"))?;
            }
            Ok((format!("variant: {}", lines.join(", ")), variant))
        }
        CompareWith::Template(name) => crate::library::templates::find(name)
            .ok_or_else(|| format!("There is no template {name}"))?
            .load()
            .map(|d| (format!("template {name}"), d))
            .map_err(|e| e.to_string()),
        CompareWith::File(Some(path)) => crate::io::load(path)
            .map(|d| {
                let name = path.file_stem().map_or("the other file".to_owned(), |s| {
                    s.to_string_lossy().into_owned()
                });
                (name, d)
            })
            .map_err(|e| e.to_string()),
        CompareWith::File(None) => Err("Choose a file to compare with".to_owned()),
    }
}
