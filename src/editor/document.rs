//! The open document: the diagram, where it lives, whether it changed, and its history.

use std::path::PathBuf;

use crate::editor::history::History;
use crate::model::Diagram;

/// The diagram being edited.
pub struct Document {
    /// The diagram; changed only by the editor's commands.
    pub diagram: Diagram,
    /// Where it is saved; none for a diagram never saved.
    pub path: Option<PathBuf>,
    /// Undo and redo.
    pub history: History,
    /// The diagram as last opened or saved, to know whether there is unsaved work.
    saved: Diagram,
    /// Whether `diagram` differs from `saved`; refreshed after each batch of commands.
    dirty: bool,
    /// Counts changes, so derived views (cost, findings) know when to recompute.
    revision: u64,
}

impl Document {
    /// A document for `diagram`, saved at `path` if it came from a file.
    pub fn new(diagram: Diagram, path: Option<PathBuf>) -> Self {
        Document {
            saved: diagram.clone(),
            diagram,
            path,
            history: History::default(),
            dirty: false,
            revision: 0,
        }
    }

    /// True when there is unsaved work.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The change counter.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Call after the diagram may have changed.
    pub fn touched(&mut self) {
        self.revision += 1;
        self.dirty = self.diagram != self.saved;
    }

    /// Call after a successful save to `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved = self.diagram.clone();
        self.dirty = false;
    }

    /// File name shown in the title, or the diagram's name when unsaved.
    pub fn display_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.diagram.name.clone())
    }

    /// The window title: a dot marks unsaved work.
    pub fn title(&self) -> String {
        let marker = if self.dirty { "● " } else { "" };
        format!("{marker}{} — cloudcanvas", self.display_name())
    }
}
