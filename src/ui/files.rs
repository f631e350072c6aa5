//! Files: native dialogs behind a trait (tests use a fake), recent files, and the
//! autosaved recovery file.

use std::path::{Path, PathBuf};

/// Asks the person for file paths.
pub trait FileDialogs {
    /// A diagram to open.
    fn open(&mut self) -> Option<PathBuf>;
    /// Where to save, suggesting `file_name`.
    fn save_as(&mut self, file_name: &str) -> Option<PathBuf>;
    /// Where to write a recording (an animated GIF, or PNG frames), suggesting
    /// `file_name`.
    fn save_recording(&mut self, file_name: &str) -> Option<PathBuf>;
    /// Where to write a picture of the diagram (SVG or PNG), suggesting `file_name`.
    fn save_picture(&mut self, file_name: &str) -> Option<PathBuf>;
    /// Where to write an export, suggesting `file_name`, offering `filters` (name,
    /// extension).
    fn save_export(&mut self, file_name: &str, filters: &[(&str, &str)]) -> Option<PathBuf>;
    /// CloudFormation templates to import (one per Region of a design); none when the
    /// person cancels.
    fn open_templates(&mut self) -> Vec<PathBuf>;
}

/// The operating system's dialogs (XDG portal or zenity on Linux).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("cloudcanvas diagram", &["ron"])
            .pick_file()
    }

    fn save_recording(&mut self, file_name: &str) -> Option<PathBuf> {
        save_dialog(file_name, &[("Animated GIF", "gif"), ("PNG frames", "png")])
    }

    fn save_picture(&mut self, file_name: &str) -> Option<PathBuf> {
        save_dialog(file_name, &[("SVG picture", "svg"), ("PNG image", "png")])
    }

    fn save_as(&mut self, file_name: &str) -> Option<PathBuf> {
        save_dialog(file_name, &[("cloudcanvas diagram", "ron")])
    }

    fn save_export(&mut self, file_name: &str, filters: &[(&str, &str)]) -> Option<PathBuf> {
        save_dialog(file_name, filters)
    }

    fn open_templates(&mut self) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                "CloudFormation template",
                &["yaml", "yml", "json", "template"],
            )
            .pick_files()
            .unwrap_or_default()
    }
}

/// The system's save dialog offering `filters` (name, extension); a name given without
/// an extension gets the first filter's.
fn save_dialog(file_name: &str, filters: &[(&str, &str)]) -> Option<PathBuf> {
    let dialog = filters
        .iter()
        .fold(rfd::FileDialog::new(), |d, (name, ext)| {
            d.add_filter(*name, &[*ext])
        });
    let path = dialog.set_file_name(file_name).save_file()?;
    Some(match (path.extension(), filters.first()) {
        (None, Some((_, ext))) => path.with_extension(ext),
        _ => path,
    })
}

/// Dialogs that answer from a script: for tests and headless runs.
#[derive(Default)]
pub struct ScriptedDialogs {
    /// Answers to "open", first first.
    pub open_answers: Vec<PathBuf>,
    /// Answers to "save as", first first.
    pub save_answers: Vec<PathBuf>,
}

impl FileDialogs for ScriptedDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        (!self.open_answers.is_empty()).then(|| self.open_answers.remove(0))
    }

    fn save_as(&mut self, _: &str) -> Option<PathBuf> {
        (!self.save_answers.is_empty()).then(|| self.save_answers.remove(0))
    }

    fn save_recording(&mut self, name: &str) -> Option<PathBuf> {
        self.save_as(name)
    }

    fn save_picture(&mut self, name: &str) -> Option<PathBuf> {
        self.save_as(name)
    }

    fn save_export(&mut self, name: &str, _: &[(&str, &str)]) -> Option<PathBuf> {
        self.save_as(name)
    }

    fn open_templates(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.open_answers)
    }
}

/// How many recent files are remembered.
pub const RECENT_LIMIT: usize = 10;

/// Puts `path` first in `recent`, without duplicates.
pub fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(RECENT_LIMIT);
}

/// Seconds between autosaves of unsaved work.
pub const AUTOSAVE_SECS: f64 = 30.0;

/// The default recovery file: in the platform's data folder for the app.
pub fn default_recovery_path() -> Option<PathBuf> {
    eframe::storage_dir("cloudcanvas").map(|dir| dir.join("recovery.ron"))
}

/// A suggested file name for a diagram.
pub fn suggested_file_name(name: &str) -> String {
    format!("{}.ron", crate::model::ResourceId::slug(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_capped() {
        let mut recent = Vec::new();
        for i in 0..15 {
            remember(&mut recent, Path::new(&format!("/d/{i}.ron")));
        }
        remember(&mut recent, Path::new("/d/12.ron"));
        assert_eq!(recent.len(), RECENT_LIMIT);
        assert_eq!(recent[0], Path::new("/d/12.ron"));
        assert_eq!(recent.iter().filter(|p| p.ends_with("12.ron")).count(), 1);
        assert_eq!(suggested_file_name("Web shop"), "web-shop.ron");
    }
}
