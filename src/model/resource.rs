//! Resources and sticky notes.

use serde::{Deserialize, Serialize};

use super::{Config, Kind, ResourceId};
use crate::model::geom::Rect;

/// One resource of the diagram: a kind with its configuration, placed on the canvas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Unique, human-readable id.
    pub id: ResourceId,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The container this resource sits in; none is the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ResourceId>,
    /// Position and size on the canvas; an empty rectangle asks for automatic layout.
    #[serde(default)]
    pub rect: Rect,
    /// Kind and configuration.
    pub config: Config,
}

impl Resource {
    /// A resource of `kind` with its default configuration, not yet placed.
    pub fn new(id: ResourceId, kind: Kind) -> Self {
        Self {
            name: String::new(),
            id,
            parent: None,
            rect: Rect::ZERO,
            config: Config::default_for(kind),
        }
    }

    /// The same resource with a display name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The same resource inside `parent`.
    pub fn in_parent(mut self, parent: &ResourceId) -> Self {
        self.parent = Some(parent.clone());
        self
    }

    /// The same resource with `config`.
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The resource's kind.
    pub fn kind(&self) -> Kind {
        self.config.kind()
    }

    /// The display name, or the id when it has none.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            self.id.as_str()
        } else {
            &self.name
        }
    }
}

/// The colour of a sticky note.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteColor {
    /// Yellow (default).
    #[default]
    Yellow,
    /// Blue.
    Blue,
    /// Green.
    Green,
    /// Pink.
    Pink,
}

/// A sticky note: free text on the canvas, for teaching annotations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Unique among the diagram's notes.
    pub id: ResourceId,
    /// The text.
    pub text: String,
    /// Position and size; an empty rectangle asks for automatic layout.
    #[serde(default)]
    pub rect: Rect,
    /// Colour.
    #[serde(default)]
    pub color: NoteColor,
}
