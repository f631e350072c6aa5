//! The editor app: panels around the canvas, the command loop and files (autosave and the
//! questions asked before unsaved work is lost are in `safety`).

mod exports;
mod keys;
mod run;
mod safety;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::{self, FileDialogs};
use super::theme::{self, ThemeChoice};
use super::{canvas, inspector, menu, palette, status};
use crate::editor::commands::{self, Command};
use crate::editor::document::Document;
use crate::editor::state::{Gesture, Tone, UiState};
use crate::io;
use crate::library::templates;
use crate::model::Diagram;

/// Preferences kept between runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Light or dark.
    pub theme: ThemeChoice,
    /// Grid shown.
    pub show_grid: bool,
    /// Moves snap to the grid.
    pub snap_to_grid: bool,
    /// The minimap is shown.
    pub show_minimap: bool,
    /// The cost panel is shown.
    pub show_cost: bool,
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    /// A PNG picture's size, times the canvas's at 100 %.
    pub picture_scale: f32,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            theme: ThemeChoice::Light,
            show_grid: true,
            snap_to_grid: true,
            show_minimap: true,
            show_cost: true,
            recent: Vec::new(),
            picture_scale: 2.0,
        }
    }
}

/// Key of the preferences in eframe's storage.
const PREFERENCES_KEY: &str = "cloudcanvas.preferences";

/// How the editor starts.
pub struct EditorOptions {
    /// The diagram to show.
    pub diagram: Diagram,
    /// Its file, if it came from one.
    pub path: Option<PathBuf>,
    /// How to ask for file names.
    pub dialogs: Box<dyn FileDialogs>,
    /// Where unsaved work is autosaved; none disables autosave.
    pub recovery_path: Option<PathBuf>,
    /// Preferences.
    pub preferences: Preferences,
}

/// The editor.
pub struct EditorApp {
    doc: Document,
    state: UiState,
    commands: Vec<Command>,
    dialogs: Box<dyn FileDialogs>,
    recovery_path: Option<PathBuf>,
    /// A recovery file found at start, offered for restoring.
    recovery_offer: Option<(PathBuf, String)>,
    prefs: Preferences,
    last_autosave: f64,
    canvas_size: (f32, f32),
    shown_title: String,
    /// The person agreed to quit with unsaved work.
    quit_confirmed: bool,
    /// The estimate of the current document.
    cost: super::cost_panel::CostCache,
    /// Order of the cost panel's line items.
    cost_sort: super::cost_panel::SortBy,
    /// The findings of the current document.
    findings: super::findings_panel::FindingsCache,
    /// What the findings panel shows.
    findings_filter: super::findings_panel::FindingsFilter,
    /// The tab of the bottom panel.
    bottom_tab: BottomTab,
    /// The run in progress, with its controls.
    session: Option<run::RunSession>,
    /// After a run: the design with the usage it measured, and the seconds it ran.
    measured_offer: Option<(Diagram, f64)>,
    /// The window is in presentation mode (full screen, large type).
    presented: bool,
}

/// The tabs of the bottom panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BottomTab {
    /// The cost estimate.
    #[default]
    Cost,
    /// The validator's findings.
    Findings,
}

impl EditorApp {
    /// An editor with these options.
    pub fn new(options: EditorOptions) -> Self {
        let recovery_offer = options
            .recovery_path
            .clone()
            .filter(|p| p.is_file())
            .map(|p| {
                let message = safety::recovery_message(&p);
                (p, message)
            });
        let prefs = options.preferences;
        let state = UiState {
            show_grid: prefs.show_grid,
            snap_to_grid: prefs.snap_to_grid,
            ..UiState::default()
        };
        EditorApp {
            doc: Document::new(options.diagram, options.path),
            state,
            commands: Vec::new(),
            dialogs: options.dialogs,
            recovery_path: options.recovery_path,
            recovery_offer,
            prefs,
            last_autosave: 0.0,
            canvas_size: (1200.0, 800.0),
            shown_title: String::new(),
            quit_confirmed: false,
            cost: Default::default(),
            cost_sort: Default::default(),
            findings: Default::default(),
            findings_filter: Default::default(),
            bottom_tab: BottomTab::default(),
            session: None,
            measured_offer: None,
            presented: false,
        }
    }

    /// The editor as eframe creates it: preferences from storage, native dialogs.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        diagram: Diagram,
        path: Option<PathBuf>,
    ) -> Self {
        let preferences = load_preferences(cc.storage);
        EditorApp::new(EditorOptions {
            diagram,
            path,
            dialogs: Box::new(files::NativeDialogs),
            recovery_path: files::default_recovery_path(),
            preferences,
        })
    }

    /// The open document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The view state.
    pub fn state(&self) -> &UiState {
        &self.state
    }

    /// Queues a command, as a menu item or key would.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The preferences.
    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    /// Draws one frame and applies the commands it produced.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.state.now = ctx.input(|i| i.time);
        if let Some(message) = &mut self.state.status {
            message.since.get_or_insert(self.state.now);
        }
        ctx.set_visuals(theme::visuals(self.prefs.theme));
        self.intercept_close(&ctx);
        self.open_dropped_files(&ctx);

        self.step_run(&ctx);
        self.state.running = self.session.is_some();
        egui::Panel::top("menu_bar").show(ui, |ui| {
            menu::menu_bar(
                ui,
                &self.doc,
                &mut self.state,
                &mut self.prefs,
                &mut self.commands,
            );
        });
        self.run_toolbar(ui);
        // A new document starts at revision 0 too: refresh whenever the diagram object changed.
        if self.cost.refresh(&self.doc.diagram, self.doc.revision()) {
            self.state
                .cost_by_resource
                .clone_from(&self.cost.by_resource);
        }
        if self
            .findings
            .refresh(&self.doc.diagram, self.doc.revision())
        {
            self.state
                .findings_by_resource
                .clone_from(&self.findings.by_resource);
        }
        let monthly = self.cost.report.monthly_usd();
        let mut open_findings = false;
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            open_findings =
                status::status_bar(ui, &self.doc, &self.state, monthly, &self.findings.report);
        });
        if open_findings {
            self.prefs.show_cost = true;
            self.bottom_tab = BottomTab::Findings;
        }
        if self.session.is_some() {
            self.run_panels(ui);
        } else {
            self.editing_panels(ui);
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let size = ui.available_size();
                self.canvas_size = (size.x, size.y);
                let palette = theme::Palette::of(self.prefs.theme);
                let live = self.session.as_ref().map(|s| canvas::LiveCanvas {
                    live: s.run.live(),
                    animation_secs: s.run.animation_secs,
                });
                canvas::canvas_ui(
                    ui,
                    &self.doc.diagram,
                    &mut self.state,
                    &palette,
                    live,
                    &mut self.commands,
                );
            });
        self.state.show_grid = self.prefs.show_grid;
        self.state.show_minimap = self.prefs.show_minimap;
        self.state.snap_to_grid = self.prefs.snap_to_grid;

        menu::dialogs_ui(&ctx, &self.doc, &mut self.state, &mut self.commands);
        self.confirm_ui(&ctx);
        self.recovery_ui(&ctx);
        self.measured_offer_ui(&ctx);
        self.lesson_card(&ctx);
        self.compare_ui(&ctx);
        self.apply_presentation(&ctx);
        self.shortcuts(&ctx);
        self.run_commands(&ctx);
        self.update_title(&ctx);
        self.autosave();
    }

    /// The panels around the canvas while editing: cost and findings, palette, inspector.
    fn editing_panels(&mut self, ui: &mut egui::Ui) {
        if self.prefs.show_cost {
            egui::Panel::bottom("cost_panel")
                .resizable(true)
                .default_size(210.0)
                .min_size(120.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.bottom_tab, BottomTab::Cost, "Cost");
                        ui.selectable_value(
                            &mut self.bottom_tab,
                            BottomTab::Findings,
                            format!(
                                "Findings: {}",
                                super::findings_panel::summary(&self.findings.report)
                            ),
                        );
                    });
                    ui.separator();
                    match self.bottom_tab {
                        BottomTab::Cost => super::cost_panel::cost_panel_ui(
                            ui,
                            &self.cost,
                            &mut self.cost_sort,
                            &mut self.commands,
                        ),
                        BottomTab::Findings => super::findings_panel::findings_panel_ui(
                            ui,
                            &self.findings,
                            &mut self.findings_filter,
                            &mut self.commands,
                        ),
                    }
                });
        }
        egui::Panel::left("palette")
            .resizable(true)
            .default_size(240.0)
            .min_size(180.0)
            .show(ui, |ui| {
                palette::palette_ui(ui, &mut self.state);
            });
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                inspector::inspector_ui(
                    ui,
                    &self.doc.diagram,
                    &self.state,
                    &self.findings.report,
                    &mut self.commands,
                );
            });
    }

    /// Applies the frame's commands in order: the only place the document changes.
    fn run_commands(&mut self, ctx: &egui::Context) {
        let mut refused_in_gesture = false;
        let queue = std::mem::take(&mut self.commands);
        if !queue.is_empty() {
            // Commands run after the frame was drawn: the next frame shows what they did.
            ctx.request_repaint();
        }
        for command in queue {
            if self.session.is_some() && !command.allowed_while_running() {
                self.state
                    .say(Tone::Info, "Stop the run to edit the design (F5 or Stop)");
                continue;
            }
            match command {
                Command::Run(run_command) => self.handle_run(run_command),
                Command::BeginGesture(label) => {
                    self.doc.history.begin(label, &self.doc.diagram);
                    refused_in_gesture = false;
                }
                Command::EndGesture if refused_in_gesture => self.cancel_gesture(),
                Command::EndGesture => {
                    if self.doc.history.commit(&self.doc.diagram) {
                        self.doc.touched();
                    }
                }
                Command::CancelGesture => self.cancel_gesture(),
                Command::Undo => match self.doc.history.undo(&mut self.doc.diagram) {
                    Some(label) => self.after_history(format!("Undid: {label}")),
                    None => self.state.say(Tone::Info, "Nothing to undo"),
                },
                Command::Redo => match self.doc.history.redo(&mut self.doc.diagram) {
                    Some(label) => self.after_history(format!("Redid: {label}")),
                    None => self.state.say(Tone::Info, "Nothing to redo"),
                },
                Command::New(_)
                | Command::Open(_)
                | Command::Import(_)
                | Command::Recover(_)
                | Command::Quit
                    if self.doc.is_dirty() =>
                {
                    self.state.confirm = Some(command);
                }
                Command::DiscardAndContinue => {
                    if let Some(waiting) = self.state.confirm.take() {
                        self.perform_unchecked(ctx, waiting);
                    }
                }
                Command::New(_)
                | Command::Open(_)
                | Command::Import(_)
                | Command::Recover(_)
                | Command::Quit => self.perform_unchecked(ctx, command),
                Command::OpenDialog => {
                    if let Some(path) = self.dialogs.open() {
                        self.commands.push(Command::Open(path));
                        self.run_commands(ctx);
                    }
                }
                Command::Save => match self.doc.path.clone() {
                    Some(path) => {
                        self.save_to(&path);
                    }
                    None => self.save_as_dialog(),
                },
                Command::SaveAsDialog => self.save_as_dialog(),
                Command::ExportPictureDialog { selection } => self.export_picture(selection),
                Command::ExportDialog(kind) => self.export(kind),
                Command::ImportDialog => {
                    let files = self.dialogs.open_templates();
                    if !files.is_empty() {
                        self.commands.push(Command::Import(files));
                        self.run_commands(ctx);
                    }
                }
                Command::SaveAs(path) => {
                    self.save_to(&path);
                }
                other => {
                    let in_gesture = self.doc.history.is_open();
                    if !commands::apply(&mut self.doc, &mut self.state, other, self.canvas_size)
                        && in_gesture
                    {
                        refused_in_gesture = true;
                    }
                }
            }
        }
    }

    fn cancel_gesture(&mut self) {
        self.doc.history.abort(&mut self.doc.diagram);
        self.doc.touched();
    }

    fn after_history(&mut self, message: String) {
        self.doc.touched();
        let diagram = &self.doc.diagram;
        self.state
            .selection
            .retain_existing(|id| diagram.contains(id.as_str()));
        self.state.say(Tone::Info, message);
    }

    fn perform_unchecked(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::New(name) => match templates::find(&name).map(|t| t.load()) {
                Some(Ok(diagram)) => self.replace_document(Document::new(diagram, None)),
                Some(Err(e)) => self.state.say(Tone::Error, e.to_string()),
                None => self
                    .state
                    .say(Tone::Error, format!("There is no template {name}")),
            },
            Command::Open(path) => self.open(&path),
            Command::Import(files) => self.import(&files),
            Command::Recover(path) => match io::load(&path) {
                Ok(diagram) => {
                    let original = std::fs::read_to_string(path.with_extension("path"))
                        .ok()
                        .map(PathBuf::from);
                    let mut doc = Document::new(Diagram::new(""), original);
                    doc.diagram = diagram;
                    doc.touched();
                    self.replace_document(doc);
                    self.state
                        .say(Tone::Info, "Restored the unsaved work; save it to keep it");
                }
                Err(e) => self.state.say(Tone::Error, e.to_string()),
            },
            Command::Quit => {
                self.quit_confirmed = true;
                self.remove_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            _ => {}
        }
    }

    fn replace_document(&mut self, doc: Document) {
        self.session = None;
        self.measured_offer = None;
        self.doc = doc;
        self.cost = Default::default();
        self.state.selection = Default::default();
        self.state.gesture = Gesture::Idle;
        self.state.fit_pending = true;
        self.state.fitted_size = None;
    }

    /// Opens a diagram file, or says why it cannot.
    pub fn open(&mut self, path: &Path) {
        match io::load(path) {
            Ok(diagram) => {
                self.replace_document(Document::new(diagram, Some(path.to_path_buf())));
                files::remember(&mut self.prefs.recent, path);
                self.state
                    .say(Tone::Info, format!("Opened {}", path.display()));
            }
            Err(e) => self.state.say(Tone::Error, e.to_string()),
        }
    }

    fn save_as_dialog(&mut self) {
        let suggested = files::suggested_file_name(&self.doc.diagram.name);
        if let Some(path) = self.dialogs.save_as(&suggested) {
            self.save_to(&path);
        }
    }

    /// Saves to `path`; an error is shown, never lost.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match io::save(path, &self.doc.diagram) {
            Ok(()) => {
                self.doc.mark_saved(path.to_path_buf());
                files::remember(&mut self.prefs.recent, path);
                self.remove_recovery();
                self.state
                    .say(Tone::Info, format!("Saved {}", path.display()));
                true
            }
            Err(e) => {
                self.state.say(Tone::Error, e.to_string());
                false
            }
        }
    }

    fn open_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == "ron"))
        {
            self.commands.push(Command::Open(path));
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.doc.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }
}

/// The preferences kept in eframe's storage, or the defaults.
pub fn load_preferences(storage: Option<&dyn eframe::Storage>) -> Preferences {
    let mut prefs: Preferences = storage
        .and_then(|s| eframe::get_value(s, PREFERENCES_KEY))
        .unwrap_or_default();
    // Kept from storage: a damaged value must not ask for a huge picture.
    prefs.picture_scale = match prefs.picture_scale {
        s if s.is_finite() => s.clamp(1.0, 4.0),
        _ => Preferences::default().picture_scale,
    };
    prefs
}

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        if !self.doc.is_dirty() {
            self.remove_recovery();
        }
    }
}
