//! Editing operations above single model edits: copy and paste with fresh ids, align and
//! distribute. Pure functions of the diagram, used by the editor's commands.

use std::collections::{HashMap, HashSet};

use crate::model::geom::Rect;
use crate::model::refs::References;
use crate::model::{Diagram, Link, Resource, ResourceId};

/// Copied resources (with everything inside them) and the links among them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clip {
    /// Resources, parents before children.
    pub resources: Vec<Resource>,
    /// Links whose both ends were copied.
    pub links: Vec<Link>,
}

impl Clip {
    /// True when nothing was copied.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }
}

/// Copies `ids` and their contents.
pub fn copy(diagram: &Diagram, ids: &[ResourceId]) -> Clip {
    let mut taken = HashSet::new();
    let mut order = Vec::new();
    for id in ids {
        for member in diagram.subtree(id) {
            if taken.insert(member.clone()) {
                order.push(member);
            }
        }
    }
    // Keep drawing order, which puts parents before children as the model requires.
    let mut resources: Vec<Resource> = diagram
        .resources()
        .filter(|r| taken.contains(&r.id))
        .cloned()
        .collect();
    resources.sort_by_key(|r| diagram.ancestors(r.id.as_str()).len());
    let links = diagram
        .links()
        .iter()
        .filter(|l| taken.contains(&l.from) && taken.contains(&l.to))
        .cloned()
        .collect();
    Clip { resources, links }
}

/// Pastes `clip` moved by `(dx, dy)`, giving every resource a fresh id. Parents copied
/// along are kept; other parents are kept if they still exist; references to copied
/// resources point at the copies, even when the originals are gone (cut and paste).
/// Resources that cannot be placed are skipped. Returns the ids of the pasted top-most
/// resources (what the editor selects).
pub fn paste(diagram: &mut Diagram, clip: &Clip, dx: f32, dy: f32) -> Vec<ResourceId> {
    // Every copy gets its id before any is added, so references can be remapped at once.
    let mut mapping: HashMap<ResourceId, ResourceId> = HashMap::new();
    let mut reserved: HashSet<ResourceId> = HashSet::new();
    for original in &clip.resources {
        let fresh = fresh_id(diagram, original.id.as_str(), &reserved);
        reserved.insert(fresh.clone());
        mapping.insert(original.id.clone(), fresh);
    }
    let remapped = |config: &crate::model::Config| {
        let mut config = config.clone();
        for (from, to) in &mapping {
            config.rename_refs(from, to);
        }
        config
    };
    let mut roots = Vec::new();
    let mut added = Vec::new();
    for original in &clip.resources {
        let new_id = mapping[&original.id].clone();
        let mut resource = original.clone();
        resource.id = new_id.clone();
        resource.rect = resource.rect.translated(dx, dy);
        let copied_parent = original
            .parent
            .as_ref()
            .filter(|p| added.contains(*p))
            .map(|p| mapping[p].clone());
        let is_root = copied_parent.is_none();
        if copied_parent.is_some() {
            resource.parent = copied_parent;
        }
        // Added first without references to copies not yet present; completed below.
        resource.config = without_missing(diagram, remapped(&original.config), &new_id);
        if diagram.add(resource).is_ok() {
            added.push(original.id.clone());
            if is_root {
                roots.push(new_id);
            }
        }
    }
    for original in clip.resources.iter().filter(|r| added.contains(&r.id)) {
        let new_id = &mapping[&original.id];
        let config = without_missing(diagram, remapped(&original.config), new_id);
        let _ = diagram.set_config(new_id, config);
    }
    for link in &clip.links {
        if added.contains(&link.from) && added.contains(&link.to) {
            let (from, to) = (mapping[&link.from].clone(), mapping[&link.to].clone());
            let _ = diagram.add_link(Link {
                from,
                to,
                kind: link.kind,
                label: link.label.clone(),
            });
        }
    }
    roots
}

/// `config` without references to resources that do not exist (other than `own`).
fn without_missing(
    diagram: &Diagram,
    mut config: crate::model::Config,
    own: &ResourceId,
) -> crate::model::Config {
    let mut missing = Vec::new();
    config.for_each_ref(&mut |r| {
        if r != own && !diagram.contains(r.as_str()) {
            missing.push(r.clone());
        }
    });
    for gone in missing {
        config.drop_refs(&gone);
    }
    config
}

/// An id based on `base` used neither in the diagram nor in `reserved`.
fn fresh_id(diagram: &Diagram, base: &str, reserved: &HashSet<ResourceId>) -> ResourceId {
    let first = diagram.unique_id(base);
    if !reserved.contains(&first) {
        return first;
    }
    let stem: String = base.chars().take(crate::model::MAX_ID_LEN - 8).collect();
    (2..)
        .map(|n| ResourceId::slug(&format!("{stem}-{n}")))
        .find(|id| !reserved.contains(id) && !diagram.contains(id.as_str()))
        .unwrap_or(first)
}

/// How to line up resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alignment {
    /// Left edges.
    Left,
    /// Horizontal centres.
    CenterHorizontally,
    /// Right edges.
    Right,
    /// Top edges.
    Top,
    /// Vertical centres.
    CenterVertically,
    /// Bottom edges.
    Bottom,
}

/// Along which axis to spread resources evenly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Left to right.
    Horizontal,
    /// Top to bottom.
    Vertical,
}

fn rects(diagram: &Diagram, ids: &[ResourceId]) -> Vec<(ResourceId, Rect)> {
    ids.iter()
        .filter_map(|id| diagram.resource(id.as_str()).map(|r| (id.clone(), r.rect)))
        .collect()
}

/// The moves (`id`, dx, dy) that align `ids` to the first one's edge or centre.
pub fn align(
    diagram: &Diagram,
    ids: &[ResourceId],
    alignment: Alignment,
) -> Vec<(ResourceId, f32, f32)> {
    let items = rects(diagram, ids);
    let Some((_, anchor)) = items.first().cloned() else {
        return Vec::new();
    };
    items
        .into_iter()
        .skip(1)
        .map(|(id, r)| {
            let (dx, dy) = match alignment {
                Alignment::Left => (anchor.x - r.x, 0.0),
                Alignment::CenterHorizontally => (anchor.center().x - r.center().x, 0.0),
                Alignment::Right => (anchor.right() - r.right(), 0.0),
                Alignment::Top => (0.0, anchor.y - r.y),
                Alignment::CenterVertically => (0.0, anchor.center().y - r.center().y),
                Alignment::Bottom => (0.0, anchor.bottom() - r.bottom()),
            };
            (id, dx, dy)
        })
        .filter(|(_, dx, dy)| *dx != 0.0 || *dy != 0.0)
        .collect()
}

/// The moves that spread `ids` so the gaps between them are equal, keeping the first and
/// last in place.
pub fn distribute(
    diagram: &Diagram,
    ids: &[ResourceId],
    axis: Axis,
) -> Vec<(ResourceId, f32, f32)> {
    let mut items = rects(diagram, ids);
    if items.len() < 3 {
        return Vec::new();
    }
    let start = |r: &Rect| if axis == Axis::Horizontal { r.x } else { r.y };
    let size = |r: &Rect| if axis == Axis::Horizontal { r.w } else { r.h };
    items.sort_by(|a, b| start(&a.1).total_cmp(&start(&b.1)));
    let first = &items[0].1;
    let last = &items[items.len() - 1].1;
    let total: f32 = items.iter().map(|(_, r)| size(r)).sum();
    let gap = (start(last) + size(last) - start(first) - total) / (items.len() - 1) as f32;
    let mut cursor = start(first);
    let mut moves = Vec::new();
    for (id, r) in &items {
        let delta = cursor - start(r);
        if delta != 0.0 {
            moves.push(if axis == Axis::Horizontal {
                (id.clone(), delta, 0.0)
            } else {
                (id.clone(), 0.0, delta)
            });
        }
        cursor += size(r) + gap;
    }
    moves
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
