//! The checks behind the diagram's invariants: where a resource may sit, what its
//! configuration may name, which links are allowed, and that containment has no loop.

use std::collections::HashMap;

use super::Diagram;
use crate::model::catalog::catalog;
use crate::model::refs::References;
use crate::model::{Config, Kind, Link, ModelError, Resource, ResourceId};

impl Diagram {
    pub(super) fn check_placement(
        &self,
        id: &ResourceId,
        kind: Kind,
        parent: Option<&ResourceId>,
    ) -> Result<(), ModelError> {
        let catalog = catalog();
        match parent {
            None if catalog.may_contain(None, kind) => Ok(()),
            None => Err(ModelError::TopLevelNotAllowed {
                id: id.clone(),
                kind,
                hint: catalog.placement_hint(kind),
            }),
            Some(parent_id) => {
                let parent = self.resource(parent_id.as_str()).ok_or_else(|| {
                    ModelError::DanglingParent {
                        id: id.clone(),
                        parent: parent_id.clone(),
                    }
                })?;
                if catalog.may_contain(Some(parent.kind()), kind) {
                    Ok(())
                } else {
                    Err(ModelError::ParentNotAllowed {
                        id: id.clone(),
                        kind,
                        parent: parent_id.clone(),
                        parent_kind: parent.kind(),
                        hint: catalog.placement_hint(kind),
                    })
                }
            }
        }
    }

    pub(super) fn check_references(
        &self,
        id: &ResourceId,
        config: &Config,
    ) -> Result<(), ModelError> {
        let mut missing = None;
        config.for_each_ref(&mut |r| {
            // A resource may name itself (a bucket logging to itself is a finding, not corruption).
            if missing.is_none() && r != id && !self.resources.contains_key(r) {
                missing = Some(r.clone());
            }
        });
        match missing {
            Some(missing) => Err(ModelError::DanglingReference {
                id: id.clone(),
                missing,
            }),
            None => Ok(()),
        }
    }

    pub(super) fn check_link(
        &self,
        link: &Link,
        catalog: &crate::model::catalog::Catalog,
    ) -> Result<(), ModelError> {
        let dangling = |missing: &ResourceId| ModelError::DanglingLink {
            from: link.from.clone(),
            to: link.to.clone(),
            kind: link.kind,
            missing: missing.clone(),
        };
        let from = self
            .resource(link.from.as_str())
            .ok_or_else(|| dangling(&link.from))?;
        let to = self
            .resource(link.to.as_str())
            .ok_or_else(|| dangling(&link.to))?;
        if link.from == link.to {
            return Err(ModelError::SelfLink(link.from.clone()));
        }
        if !catalog.link_allowed(from.kind(), to.kind(), link.kind) {
            return Err(link_not_allowed(link, from.kind(), to.kind()));
        }
        Ok(())
    }

    pub(super) fn link_kinds_with(
        &self,
        link: &Link,
        changed: &ResourceId,
        new_kind: Kind,
    ) -> (Kind, Kind) {
        let kind_of = |id: &ResourceId| {
            if id == changed {
                new_kind
            } else {
                self.resource(id.as_str()).map_or(new_kind, Resource::kind)
            }
        };
        (kind_of(&link.from), kind_of(&link.to))
    }

    /// Finds a containment loop in one pass over the parent pointers.
    pub(super) fn find_containment_cycle(&self) -> Option<ModelError> {
        // 0 = not seen, 1 = on the current walk, 2 = known to reach the top level.
        let mut state: HashMap<&ResourceId, u8> = HashMap::with_capacity(self.resources.len());
        for start in self.resources.keys() {
            let mut walk = Vec::new();
            let mut current = Some(start);
            while let Some(id) = current {
                match state.get(id).copied().unwrap_or(0) {
                    2 => break,
                    1 => {
                        let from = walk.iter().position(|w| *w == id).unwrap_or(0);
                        let path = walk[from..]
                            .iter()
                            .map(|w: &&ResourceId| (*w).clone())
                            .collect();
                        return Some(ModelError::ContainmentCycle { path });
                    }
                    _ => {}
                }
                state.insert(id, 1);
                walk.push(id);
                current = self
                    .resources
                    .get(id)
                    .and_then(|r| r.parent.as_ref())
                    .filter(|p| self.resources.contains_key(*p));
            }
            for id in walk {
                state.insert(id, 2);
            }
        }
        None
    }
}

pub(super) fn link_not_allowed(link: &Link, from_kind: Kind, to_kind: Kind) -> ModelError {
    ModelError::LinkNotAllowed {
        from: link.from.clone(),
        to: link.to.clone(),
        kind: link.kind,
        from_kind,
        to_kind,
        allowed: catalog().allowed_link_kinds(from_kind, to_kind),
    }
}
