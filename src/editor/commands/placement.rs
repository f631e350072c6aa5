//! Where moved resources end up: moved by their offsets, re-parented to the container
//! under them, with their containers grown to hold them.

use crate::layout::view;
use crate::model::{Diagram, ResourceId};

/// The undo label of a move.
pub(super) fn moved_label(n: usize) -> String {
    if n == 1 {
        "Move 1 resource".into()
    } else {
        format!("Move {n} resources")
    }
}

/// Moves each resource by its offset, growing its containers to hold it.
pub(super) fn apply_moves(d: &mut Diagram, moves: &[(ResourceId, f32, f32)]) -> Result<(), String> {
    for (id, dx, dy) in moves {
        d.translate(std::slice::from_ref(id), *dx, *dy)
            .map_err(|e| e.to_string())?;
        grow(d, id);
    }
    Ok(())
}

/// Grows the containers of `id` so that it fits inside them.
pub(super) fn grow(d: &mut Diagram, id: &ResourceId) {
    for (container, rect) in view::grow_ancestors(d, id.as_str()) {
        let _ = d.set_rect(&container, rect);
    }
}

/// Re-parents moved resources to the container under their centre, when that changed and
/// is allowed; grows containers to hold them. A move to a place the kind may not sit is
/// refused with the reason.
pub(super) fn settle(d: &mut Diagram, ids: &[ResourceId]) -> Result<(), String> {
    // Only the top-most moved resources: their contents move with them.
    let roots: Vec<ResourceId> = ids
        .iter()
        .filter(|id| !d.ancestors(id.as_str()).iter().any(|a| ids.contains(&a.id)))
        .cloned()
        .collect();
    for id in &roots {
        let Some(resource) = d.resource(id.as_str()) else {
            continue;
        };
        let (kind, center, parent) = (
            resource.kind(),
            resource.rect.center(),
            resource.parent.clone(),
        );
        let target = view::drop_parent(d, center, kind, std::slice::from_ref(id))?;
        if target != parent {
            d.set_parent(id, target.as_ref())
                .map_err(|e| e.to_string())?;
        }
        grow(d, id);
    }
    Ok(())
}
