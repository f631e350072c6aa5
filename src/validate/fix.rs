//! Mechanical fixes: ordinary, checked diagram edits applied all or nothing.

use serde::Serialize;

use crate::model::geom::Rect;
use crate::model::{Config, Diagram, ModelError, Resource, ResourceId};

/// One edit of a fix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Edit {
    /// Replace the configuration of a resource (same kind).
    SetConfig {
        /// The resource.
        id: ResourceId,
        /// Its new configuration.
        config: Config,
    },
    /// Move a resource into another container, placed inside it.
    Move {
        /// The resource.
        id: ResourceId,
        /// The new container.
        parent: ResourceId,
    },
    /// Add a new resource.
    Add {
        /// The resource, with its parent set.
        resource: Resource,
    },
}

/// A remedy for one finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// What it does, as a button would say it: "Enable Multi-AZ".
    pub label: String,
    /// The edits, applied in order.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix of one configuration change.
    pub fn config(label: impl Into<String>, id: &ResourceId, config: Config) -> Self {
        Self {
            label: label.into(),
            edits: vec![Edit::SetConfig {
                id: id.clone(),
                config,
            }],
        }
    }
}

/// Applies `fix` to `diagram`: every edit or none.
pub fn apply_fix(diagram: &mut Diagram, fix: &Fix) -> Result<(), ModelError> {
    let mut edited = diagram.clone();
    for edit in &fix.edits {
        match edit {
            Edit::SetConfig { id, config } => edited.set_config(id, config.clone())?,
            Edit::Move { id, parent } => {
                edited.set_parent(id, Some(parent))?;
                place_inside(&mut edited, id, parent)?;
            }
            Edit::Add { resource } => {
                let mut resource = resource.clone();
                if let Some(parent) = resource.parent.clone() {
                    resource.rect = free_spot(&edited, &parent, &resource.rect);
                }
                let id = resource.id.clone();
                edited.add(resource)?;
                for (container, grown) in crate::layout::view::grow_ancestors(&edited, id.as_str())
                {
                    edited.set_rect(&container, grown)?;
                }
            }
        }
    }
    *diagram = edited;
    Ok(())
}

/// Puts a moved resource at a free spot inside its new container.
fn place_inside(
    diagram: &mut Diagram,
    id: &ResourceId,
    parent: &ResourceId,
) -> Result<(), ModelError> {
    let Some(rect) = diagram.resource(id.as_str()).map(|r| r.rect) else {
        return Ok(());
    };
    let spot = free_spot(diagram, parent, &rect);
    diagram.set_rect(id, spot)?;
    for (container, grown) in crate::layout::view::grow_ancestors(diagram, id.as_str()) {
        diagram.set_rect(&container, grown)?;
    }
    Ok(())
}

/// A rectangle of `size`'s size inside `parent`, right of its existing children.
fn free_spot(diagram: &Diagram, parent: &ResourceId, size: &Rect) -> Rect {
    let Some(container) = diagram.resource(parent.as_str()).map(|r| r.rect) else {
        return *size;
    };
    let right = diagram
        .children(Some(parent.as_str()))
        .map(|c| c.rect.x + c.rect.w)
        .fold(container.x + 8.0, f32::max);
    // A new resource has no size yet: the size of a resource card.
    let (w, h) = if size.w > 0.0 {
        (size.w, size.h)
    } else {
        (112.0, 88.0)
    };
    Rect::new(right + 16.0, container.y + 32.0, w, h)
}
