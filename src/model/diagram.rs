//! The diagram and the edits that keep its invariants.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;

use super::refs::References;
use super::values;
use super::{Config, Kind, Link, LinkKind, ModelError, Note, Resource, ResourceId};
use crate::model::catalog::catalog;
use crate::model::geom::Rect;
use checks::link_not_allowed;

mod checks;

/// The Region a new diagram uses.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A whole architecture: resources in nested containers, the links between them, and
/// sticky notes.
///
/// Invariants, kept by every method and checked on load:
/// - resource ids are unique, and so are note ids;
/// - every parent exists, may hold its child (catalog), and containment has no loop;
/// - a resource without a parent is allowed at the top level (catalog);
/// - every link joins two different existing resources, is allowed by the catalog, and
///   is not drawn twice;
/// - every resource named in a configuration exists;
/// - every rectangle is finite with a size that is not negative.
///
/// The order of resources is their drawing order (later ones on top).
#[derive(Clone, Debug)]
pub struct Diagram {
    /// Name of the architecture.
    pub name: String,
    /// What it is for, in a few sentences.
    pub description: String,
    /// Region used for prices and new resources, such as `us-east-1`.
    pub region: String,
    resources: IndexMap<ResourceId, Resource>,
    links: Vec<Link>,
    notes: Vec<Note>,
}

impl PartialEq for Diagram {
    fn eq(&self, other: &Self) -> bool {
        // Order matters (drawing order), which IndexMap's own equality ignores.
        self.name == other.name
            && self.description == other.description
            && self.region == other.region
            && self.resources.len() == other.resources.len()
            && self
                .resources
                .values()
                .zip(other.resources.values())
                .all(|(a, b)| a == b)
            && self.links == other.links
            && self.notes == other.notes
    }
}

impl Default for Diagram {
    fn default() -> Self {
        Diagram::new("Untitled")
    }
}

impl Diagram {
    /// An empty diagram.
    pub fn new(name: impl Into<String>) -> Self {
        Diagram {
            name: name.into(),
            description: String::new(),
            region: DEFAULT_REGION.into(),
            resources: IndexMap::new(),
            links: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Builds a diagram from loaded parts, checking every invariant; the first broken
    /// one is returned.
    pub fn from_parts(
        name: String,
        description: String,
        region: String,
        resources: Vec<Resource>,
        links: Vec<Link>,
        notes: Vec<Note>,
    ) -> Result<Diagram, ModelError> {
        let mut map = IndexMap::with_capacity(resources.len());
        for resource in resources {
            if map.contains_key(&resource.id) {
                return Err(ModelError::DuplicateId(resource.id));
            }
            map.insert(resource.id.clone(), resource);
        }
        let diagram = Diagram {
            name,
            description,
            region,
            resources: map,
            links,
            notes,
        };
        match diagram.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(diagram),
        }
    }

    /// Every broken invariant, in a stable order; empty for a valid diagram.
    ///
    /// Edits keep the invariants, so this is for loading and for tests.
    pub fn problems(&self) -> Vec<ModelError> {
        let catalog = catalog();
        let mut problems = Vec::new();
        if let Err(e) = values::check_region_code(&self.region, None) {
            problems.push(e);
        }
        // A loop explains the placement errors it causes, so it comes first.
        if let Some(cycle) = self.find_containment_cycle() {
            problems.push(cycle);
        }
        for (key, resource) in &self.resources {
            if key != &resource.id {
                problems.push(ModelError::DuplicateId(resource.id.clone()));
            }
            if !resource.rect.is_well_formed() {
                problems.push(ModelError::BadRect(resource.id.clone()));
            }
            if let Err(e) = check_values(&resource.id, &resource.config) {
                problems.push(e);
            }
            if let Err(e) =
                self.check_placement(&resource.id, resource.kind(), resource.parent.as_ref())
            {
                problems.push(e);
            }
            resource.config.for_each_ref(&mut |missing| {
                if !self.resources.contains_key(missing) {
                    problems.push(ModelError::DanglingReference {
                        id: resource.id.clone(),
                        missing: missing.clone(),
                    });
                }
            });
        }
        let mut seen_links = HashSet::new();
        for link in &self.links {
            if let Err(e) = self.check_link(link, catalog) {
                problems.push(e);
            } else if !seen_links.insert((&link.from, &link.to, link.kind)) {
                problems.push(ModelError::DuplicateLink {
                    from: link.from.clone(),
                    to: link.to.clone(),
                    kind: link.kind,
                });
            }
        }
        let mut note_ids = HashSet::new();
        for note in &self.notes {
            if !note_ids.insert(&note.id) {
                problems.push(ModelError::DuplicateNoteId(note.id.clone()));
            }
            if !note.rect.is_well_formed() {
                problems.push(ModelError::BadRect(note.id.clone()));
            }
        }
        problems
    }

    // ----- Queries -----

    /// Number of resources.
    pub fn len(&self) -> usize {
        self.resources.len()
    }

    /// True when the diagram has no resource.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// The resource with `id`.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.get(id)
    }

    /// True when a resource has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.resources.contains_key(id)
    }

    /// All resources in drawing order.
    pub fn resources(&self) -> impl DoubleEndedIterator<Item = &Resource> + ExactSizeIterator + '_ {
        self.resources.values()
    }

    /// Position of the resource in drawing order.
    pub fn draw_index(&self, id: &str) -> Option<usize> {
        self.resources.get_index_of(id)
    }

    /// All links.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Links that start or end at `id`.
    pub fn links_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |l| l.from.as_str() == id || l.to.as_str() == id)
    }

    /// All sticky notes.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Resources directly inside `parent` (`None`: the top level), in drawing order.
    pub fn children<'a>(
        &'a self,
        parent: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources
            .values()
            .filter(move |r| r.parent.as_ref().map(ResourceId::as_str) == parent)
    }

    /// Map from each container id to its direct children's ids, built in one pass.
    pub fn children_index(&self) -> HashMap<&ResourceId, Vec<&ResourceId>> {
        let mut index: HashMap<&ResourceId, Vec<&ResourceId>> = HashMap::new();
        for resource in self.resources.values() {
            if let Some(parent) = &resource.parent {
                index.entry(parent).or_default().push(&resource.id);
            }
        }
        index
    }

    /// `id` and everything inside it, at any depth, parents before children.
    pub fn subtree(&self, id: &ResourceId) -> Vec<ResourceId> {
        let index = self.children_index();
        let mut out = vec![id.clone()];
        let mut next = 0;
        while next < out.len() {
            if let Some(children) = index.get(&out[next]) {
                out.extend(children.iter().map(|c| (*c).clone()));
            }
            next += 1;
        }
        out
    }

    /// The containers holding `id`, innermost first.
    pub fn ancestors(&self, id: &str) -> Vec<&Resource> {
        let mut out = Vec::new();
        let mut current = self.resource(id).and_then(|r| r.parent.as_ref());
        while let Some(parent_id) = current {
            let Some(parent) = self.resource(parent_id.as_str()) else {
                break;
            };
            if out.len() > self.resources.len() {
                break; // Only reachable in a broken diagram; never loop forever.
            }
            out.push(parent);
            current = parent.parent.as_ref();
        }
        out
    }

    /// The nearest container of `kind` holding `id`.
    pub fn enclosing(&self, id: &str, kind: Kind) -> Option<&Resource> {
        self.ancestors(id).into_iter().find(|r| r.kind() == kind)
    }

    /// Number of resources of each kind, in kind order.
    pub fn count_by_kind(&self) -> BTreeMap<Kind, usize> {
        let mut counts = BTreeMap::new();
        for resource in self.resources.values() {
            *counts.entry(resource.kind()).or_insert(0) += 1;
        }
        counts
    }

    /// An id based on `base` that no resource or note uses yet: `base`, `base-2`, `base-3`…
    pub fn unique_id(&self, base: &str) -> ResourceId {
        let base = ResourceId::new(base).unwrap_or_else(|_| ResourceId::slug(base));
        let taken = |id: &ResourceId| {
            self.resources.contains_key(id) || self.notes.iter().any(|n| &n.id == id)
        };
        if !taken(&base) {
            return base;
        }
        let stem: String = base.as_str().chars().take(super::MAX_ID_LEN - 8).collect();
        (2..)
            .map(|n| ResourceId::slug(&format!("{stem}-{n}")))
            .find(|id| !taken(id))
            .unwrap_or(base)
    }

    /// The links of the given kinds as a directed graph over every resource, for path
    /// and reachability queries (`LinkKind::ALL` for every link).
    pub fn link_graph(&self, kinds: &[LinkKind]) -> petgraph::graphmap::DiGraphMap<&str, LinkKind> {
        let mut graph =
            petgraph::graphmap::DiGraphMap::with_capacity(self.resources.len(), self.links.len());
        for id in self.resources.keys() {
            graph.add_node(id.as_str());
        }
        for link in self.links.iter().filter(|l| kinds.contains(&l.kind)) {
            graph.add_edge(link.from.as_str(), link.to.as_str(), link.kind);
        }
        graph
    }

    // ----- Edits. Each checks first and changes nothing when it fails. -----

    /// Adds a resource at the top of the drawing order.
    pub fn add(&mut self, resource: Resource) -> Result<(), ModelError> {
        if self.resources.contains_key(&resource.id) {
            return Err(ModelError::DuplicateId(resource.id));
        }
        if !resource.rect.is_well_formed() {
            return Err(ModelError::BadRect(resource.id));
        }
        self.check_placement(&resource.id, resource.kind(), resource.parent.as_ref())?;
        self.check_references(&resource.id, &resource.config)?;
        check_values(&resource.id, &resource.config)?;
        self.resources.insert(resource.id.clone(), resource);
        Ok(())
    }

    /// Removes a resource with everything inside it and every link touching them, and
    /// drops references to them from other configurations. Returns the removed resources.
    pub fn remove(&mut self, id: &ResourceId) -> Result<Vec<Resource>, ModelError> {
        if !self.resources.contains_key(id) {
            return Err(ModelError::UnknownResource(id.clone()));
        }
        let doomed: HashSet<ResourceId> = self.subtree(id).into_iter().collect();
        let removed: Vec<Resource> = doomed
            .iter()
            .filter_map(|d| self.resources.get(d).cloned())
            .collect();
        self.resources.retain(|key, _| !doomed.contains(key));
        self.links
            .retain(|l| !doomed.contains(&l.from) && !doomed.contains(&l.to));
        for resource in self.resources.values_mut() {
            for gone in &doomed {
                resource.config.drop_refs(gone);
            }
        }
        let mut removed = removed;
        removed.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(removed)
    }

    /// Moves `id` into `parent` (`None`: the top level).
    pub fn set_parent(
        &mut self,
        id: &ResourceId,
        parent: Option<&ResourceId>,
    ) -> Result<(), ModelError> {
        let kind = self
            .resource(id.as_str())
            .ok_or_else(|| ModelError::UnknownResource(id.clone()))?
            .kind();
        self.check_placement(id, kind, parent)?;
        if let Some(parent) = parent
            && (parent == id || self.ancestors(parent.as_str()).iter().any(|a| &a.id == id))
        {
            let mut path = vec![parent.clone()];
            path.extend(
                self.ancestors(parent.as_str())
                    .iter()
                    .take_while(|a| &a.id != id)
                    .map(|a| a.id.clone()),
            );
            path.push(id.clone());
            return Err(ModelError::ContainmentCycle { path });
        }
        if let Some(resource) = self.resources.get_mut(id) {
            resource.parent = parent.cloned();
        }
        Ok(())
    }

    /// Sets the canvas rectangle of `id` (children do not move).
    pub fn set_rect(&mut self, id: &ResourceId, rect: Rect) -> Result<(), ModelError> {
        if !rect.is_well_formed() {
            return Err(ModelError::BadRect(id.clone()));
        }
        let resource = self
            .resources
            .get_mut(id)
            .ok_or_else(|| ModelError::UnknownResource(id.clone()))?;
        resource.rect = rect;
        Ok(())
    }

    /// Moves the resources `ids` and everything inside them by `(dx, dy)`; each moves
    /// once even when both a container and its child are listed.
    pub fn translate(&mut self, ids: &[ResourceId], dx: f32, dy: f32) -> Result<(), ModelError> {
        if !(dx.is_finite() && dy.is_finite()) {
            return Err(ModelError::BadRect(
                ids.first()
                    .cloned()
                    .unwrap_or_else(|| ResourceId::slug("move")),
            ));
        }
        let mut moving = HashSet::new();
        for id in ids {
            if !self.resources.contains_key(id) {
                return Err(ModelError::UnknownResource(id.clone()));
            }
            moving.extend(self.subtree(id));
        }
        for id in &moving {
            if let Some(resource) = self.resources.get_mut(id) {
                resource.rect = resource.rect.translated(dx, dy);
            }
        }
        Ok(())
    }

    /// Sets the display name of `id`.
    pub fn set_name(&mut self, id: &ResourceId, name: impl Into<String>) -> Result<(), ModelError> {
        let resource = self
            .resources
            .get_mut(id)
            .ok_or_else(|| ModelError::UnknownResource(id.clone()))?;
        resource.name = name.into();
        Ok(())
    }

    /// Replaces the configuration of `id`. A configuration of another kind changes the
    /// resource's kind, which must still fit its container, its children and its links.
    pub fn set_config(&mut self, id: &ResourceId, config: Config) -> Result<(), ModelError> {
        let resource = self
            .resource(id.as_str())
            .ok_or_else(|| ModelError::UnknownResource(id.clone()))?;
        self.check_references(id, &config)?;
        check_values(id, &config)?;
        let new_kind = config.kind();
        if new_kind != resource.kind() {
            self.check_placement(id, new_kind, resource.parent.as_ref())?;
            let catalog = catalog();
            for child in self.children(Some(id.as_str())) {
                if !catalog.may_contain(Some(new_kind), child.kind()) {
                    return Err(ModelError::ParentNotAllowed {
                        id: child.id.clone(),
                        kind: child.kind(),
                        parent: id.clone(),
                        parent_kind: new_kind,
                        hint: catalog.placement_hint(child.kind()),
                    });
                }
            }
            for link in self.links_of(id.as_str()) {
                let (from_kind, to_kind) = self.link_kinds_with(link, id, new_kind);
                if !catalog.link_allowed(from_kind, to_kind, link.kind) {
                    return Err(link_not_allowed(link, from_kind, to_kind));
                }
            }
        }
        if let Some(resource) = self.resources.get_mut(id) {
            resource.config = config;
        }
        Ok(())
    }

    /// Changes the id of a resource, updating parents, links and references to it.
    pub fn rename(&mut self, id: &ResourceId, new_id: ResourceId) -> Result<(), ModelError> {
        if !self.resources.contains_key(id) {
            return Err(ModelError::UnknownResource(id.clone()));
        }
        if id == &new_id {
            return Ok(());
        }
        if self.resources.contains_key(&new_id) {
            return Err(ModelError::DuplicateId(new_id));
        }
        let resources = std::mem::take(&mut self.resources);
        self.resources = resources
            .into_iter()
            .map(|(key, mut resource)| {
                if &resource.id == id {
                    resource.id = new_id.clone();
                }
                if resource.parent.as_ref() == Some(id) {
                    resource.parent = Some(new_id.clone());
                }
                resource.config.rename_refs(id, &new_id);
                let key = if &key == id { new_id.clone() } else { key };
                (key, resource)
            })
            .collect();
        for link in &mut self.links {
            link.from.rename_refs(id, &new_id);
            link.to.rename_refs(id, &new_id);
        }
        Ok(())
    }

    /// Puts `ids` on top of the drawing order, keeping their relative order.
    pub fn bring_to_front(&mut self, ids: &[ResourceId]) {
        let mut indices: Vec<usize> = ids
            .iter()
            .filter_map(|id| self.resources.get_index_of(id))
            .collect();
        indices.sort_unstable();
        for (moved, index) in indices.into_iter().enumerate() {
            let last = self.resources.len() - 1;
            // Each earlier move shifted the remaining selected items one place down.
            self.resources.move_index(index - moved, last);
        }
    }

    /// Adds a link.
    pub fn add_link(&mut self, link: Link) -> Result<(), ModelError> {
        self.check_link(&link, catalog())?;
        if self.links.iter().any(|l| l.same_as(&link)) {
            return Err(ModelError::DuplicateLink {
                from: link.from,
                to: link.to,
                kind: link.kind,
            });
        }
        self.links.push(link);
        Ok(())
    }

    /// Removes the link from `from` to `to` of `kind`; returns it.
    pub fn remove_link(
        &mut self,
        from: &ResourceId,
        to: &ResourceId,
        kind: LinkKind,
    ) -> Option<Link> {
        let index = self
            .links
            .iter()
            .position(|l| &l.from == from && &l.to == to && l.kind == kind)?;
        Some(self.links.remove(index))
    }

    /// Adds a sticky note.
    pub fn add_note(&mut self, note: Note) -> Result<(), ModelError> {
        if self.notes.iter().any(|n| n.id == note.id) {
            return Err(ModelError::DuplicateNoteId(note.id));
        }
        if !note.rect.is_well_formed() {
            return Err(ModelError::BadRect(note.id));
        }
        self.notes.push(note);
        Ok(())
    }

    /// Replaces the text and rectangle of a note.
    pub fn update_note(
        &mut self,
        id: &ResourceId,
        text: String,
        rect: Rect,
    ) -> Result<(), ModelError> {
        if !rect.is_well_formed() {
            return Err(ModelError::BadRect(id.clone()));
        }
        let note = self
            .notes
            .iter_mut()
            .find(|n| &n.id == id)
            .ok_or_else(|| ModelError::UnknownNote(id.clone()))?;
        note.text = text;
        note.rect = rect;
        Ok(())
    }

    /// Removes a note; returns it.
    pub fn remove_note(&mut self, id: &ResourceId) -> Option<Note> {
        let index = self.notes.iter().position(|n| &n.id == id)?;
        Some(self.notes.remove(index))
    }

    /// Sets the rectangles of many resources at once (used by automatic layout).
    pub(crate) fn set_rects(&mut self, rects: &HashMap<ResourceId, Rect>) {
        for (id, rect) in rects {
            if let Some(resource) = self.resources.get_mut(id)
                && rect.is_well_formed()
            {
                resource.rect = *rect;
            }
        }
    }
}

#[cfg(test)]
#[path = "diagram_tests.rs"]
mod tests;

/// The numbers of `config` and, for a Region, its code.
fn check_values(id: &ResourceId, config: &Config) -> Result<(), ModelError> {
    values::check_numbers(id, config)?;
    if let Config::Region(region) = config {
        values::check_region_code(&region.code, Some(id))?;
    }
    Ok(())
}
