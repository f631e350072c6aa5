//! Pictures of the diagram from the editor: File ▸ Export picture.

use super::EditorApp;
use crate::ui::state::Tone;
use crate::ui::theme::ThemeChoice;

impl EditorApp {
    /// Asks where, then writes a picture of the diagram (or of the selection): PNG at
    /// twice the canvas's size for a `.png` name, SVG otherwise.
    pub(super) fn export_picture(&mut self, selection: bool) {
        let only = selection.then(|| self.state.selection.resources.clone());
        if only.as_ref().is_some_and(Vec::is_empty) {
            self.state.say(Tone::Info, "Select what to export first");
            return;
        }
        let suggested =
            crate::ui::files::suggested_file_name(&self.doc.diagram.name).replace(".ron", ".svg");
        let Some(path) = self.dialogs.save_picture(&suggested) else {
            return;
        };
        let options = crate::export::SvgOptions {
            dark: self.prefs.theme == ThemeChoice::Dark,
            only,
        };
        let written = crate::export::picture_for(&path, &self.doc.diagram, &options, 2.0)
            .and_then(|bytes| crate::export::write_file(&path, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(()) => self
                .state
                .say(Tone::Info, format!("Exported {}", path.display())),
            Err(e) => self
                .state
                .say(Tone::Error, format!("{}: {e}", path.display())),
        }
    }
}
