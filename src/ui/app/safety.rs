//! What keeps work from being lost: the question before unsaved work is dropped, autosave
//! and the offer to recover after a crash.

use std::path::Path;

use super::EditorApp;
use crate::editor::commands::Command;
use crate::editor::state::Tone;
use crate::io;
use crate::ui::files;

impl EditorApp {
    /// A window close with unsaved work waits for the answer to the Quit question.
    pub(super) fn intercept_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_dirty()
            && !self.quit_confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.state.confirm = Some(Command::Quit);
        }
    }

    /// Asks before a command drops unsaved work: save, don't save or cancel.
    pub(super) fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(waiting) = self.state.confirm.clone() else {
            return;
        };
        let action = match &waiting {
            Command::Quit => "closing",
            Command::Open(_) => "opening another diagram",
            Command::New(_) => "starting a new diagram",
            Command::Import(_) => "importing a template",
            _ => "continuing",
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("confirm_unsaved")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "Save the changes to {} before {action}?",
                self.doc.display_name()
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                let saved = match self.doc.path.clone() {
                    Some(path) => self.save_to(&path),
                    None => {
                        self.save_as_dialog();
                        !self.doc.is_dirty()
                    }
                };
                if saved {
                    self.state.confirm = None;
                    self.perform_unchecked(ctx, waiting);
                }
            }
            Some(1) => self.commands.push(Command::DiscardAndContinue),
            Some(2) => self.state.confirm = None,
            _ => {}
        }
    }

    /// Offers work autosaved before a crash back.
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some((path, message)) = self.recovery_offer.clone() else {
            return;
        };
        let choice = two_way_question(
            ctx,
            "recovery_offer",
            "Recover unsaved work?",
            &message,
            ("Restore", "Discard"),
        );
        match choice {
            Some(true) => {
                self.recovery_offer = None;
                self.perform_unchecked(ctx, Command::Recover(path));
            }
            Some(false) => {
                self.recovery_offer = None;
                self.remove_recovery();
            }
            None => {}
        }
    }

    /// Writes unsaved work to the recovery file every [`files::AUTOSAVE_SECS`].
    pub(super) fn autosave(&mut self) {
        let Some(path) = self.recovery_path.clone() else {
            return;
        };
        if !self.doc.is_dirty()
            || self.recovery_offer.is_some()
            || self.state.now - self.last_autosave < files::AUTOSAVE_SECS
        {
            return;
        }
        self.last_autosave = self.state.now;
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match io::save(&path, &self.doc.diagram) {
            Ok(()) => {
                let original = self
                    .doc
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let _ = std::fs::write(path.with_extension("path"), original);
            }
            Err(e) => self.state.say(Tone::Error, format!("Autosave failed: {e}")),
        }
    }

    /// Drops the recovery files once the work is safe.
    pub(super) fn remove_recovery(&self) {
        if let Some(path) = &self.recovery_path {
            let _ = std::fs::remove_file(path);
            let _ = std::fs::remove_file(io::backup_path(path));
            let _ = std::fs::remove_file(path.with_extension("path"));
        }
    }

    /// The recovery file, if autosave is on.
    pub fn recovery_path(&self) -> Option<&Path> {
        self.recovery_path.as_deref()
    }
}

/// A modal question with two answers; `Some(true)` for the first once one is clicked.
pub(super) fn two_way_question(
    ctx: &egui::Context,
    id: &str,
    heading: &str,
    body: &str,
    (yes, no): (&str, &str),
) -> Option<bool> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.heading(heading);
        ui.label(body);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(yes).clicked() {
                choice = Some(true);
            }
            if ui.button(no).clicked() {
                choice = Some(false);
            }
        });
    });
    choice
}

/// What a recovery file holds, in words.
pub(super) fn recovery_message(path: &Path) -> String {
    let original = std::fs::read_to_string(path.with_extension("path")).unwrap_or_default();
    let place = if original.trim().is_empty() {
        "a diagram that was never saved".to_owned()
    } else {
        original.trim().to_owned()
    };
    let name = io::load(path).map(|d| d.name).unwrap_or_default();
    format!("cloudcanvas closed with unsaved changes to \"{name}\" ({place}). They were autosaved.")
}
