//! Why an edit or a loaded diagram breaks a model invariant.

use super::{Kind, LinkKind, ResourceId};

/// A broken model invariant, in words a person can act on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// Two resources share an id.
    #[error("the id `{0}` is used by more than one resource; give each resource its own id")]
    DuplicateId(ResourceId),
    /// Two notes share an id.
    #[error("the id `{0}` is used by more than one note; give each note its own id")]
    DuplicateNoteId(ResourceId),
    /// An edit names a resource that does not exist.
    #[error("there is no resource `{0}`")]
    UnknownResource(ResourceId),
    /// An edit names a note that does not exist.
    #[error("there is no note `{0}`")]
    UnknownNote(ResourceId),
    /// A resource's parent does not exist.
    #[error("`{id}` sits in `{parent}`, but there is no resource `{parent}`")]
    DanglingParent {
        /// The child.
        id: ResourceId,
        /// The missing parent.
        parent: ResourceId,
    },
    /// A resource sits in a container of a kind that may not hold it.
    #[error("`{id}` ({kind}) cannot sit in `{parent}` ({parent_kind}): {hint}")]
    ParentNotAllowed {
        /// The child.
        id: ResourceId,
        /// Its kind.
        kind: Kind,
        /// The refused parent.
        parent: ResourceId,
        /// The parent's kind.
        parent_kind: Kind,
        /// Where it may sit instead.
        hint: String,
    },
    /// A resource sits at the top level but needs a container.
    #[error("`{id}` ({kind}) cannot sit outside a container: {hint}")]
    TopLevelNotAllowed {
        /// The resource.
        id: ResourceId,
        /// Its kind.
        kind: Kind,
        /// Where it may sit instead.
        hint: String,
    },
    /// Containers hold each other in a loop.
    #[error("containment loop: {}; a container cannot sit inside itself", path.iter().map(ResourceId::as_str).collect::<Vec<_>>().join(" in "))]
    ContainmentCycle {
        /// The resources of the loop, each inside the next.
        path: Vec<ResourceId>,
    },
    /// A link names a resource that does not exist.
    #[error("the {kind:?} link from `{from}` to `{to}` names `{missing}`, which does not exist")]
    DanglingLink {
        /// Start of the link.
        from: ResourceId,
        /// End of the link.
        to: ResourceId,
        /// Meaning of the link.
        kind: LinkKind,
        /// The end that does not exist.
        missing: ResourceId,
    },
    /// A link joins a resource to itself.
    #[error("`{0}` is linked to itself; links join two different resources")]
    SelfLink(ResourceId),
    /// The same link is drawn twice.
    #[error("the {} link from `{from}` to `{to}` is drawn twice", kind.label())]
    DuplicateLink {
        /// Start of the link.
        from: ResourceId,
        /// End of the link.
        to: ResourceId,
        /// Meaning of the link.
        kind: LinkKind,
    },
    /// The catalog does not allow this link.
    #[error("a {} link cannot go from `{from}` ({from_kind}) to `{to}` ({to_kind}); {}", kind.label(), allowed_text(allowed))]
    LinkNotAllowed {
        /// Start of the link.
        from: ResourceId,
        /// End of the link.
        to: ResourceId,
        /// Meaning of the link.
        kind: LinkKind,
        /// Kind of the start.
        from_kind: Kind,
        /// Kind of the end.
        to_kind: Kind,
        /// Link kinds that are allowed between these kinds.
        allowed: Vec<LinkKind>,
    },
    /// A configuration names a resource that does not exist.
    #[error("`{id}` refers to `{missing}` in its settings, but there is no resource `{missing}`")]
    DanglingReference {
        /// The resource whose configuration holds the reference.
        id: ResourceId,
        /// The missing resource.
        missing: ResourceId,
    },
    /// A rectangle has a non-finite coordinate or a negative size.
    #[error(
        "`{0}` has an invalid position or size (coordinates must be finite numbers, sizes not negative)"
    )]
    BadRect(ResourceId),
    /// A number of a configuration makes no sense.
    #[error("`{id}`: {field} = {value} {why}")]
    BadNumber {
        /// The resource.
        id: ResourceId,
        /// The field's path, as `--set` writes it.
        field: String,
        /// The value.
        value: f64,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A Region code is not of AWS's form.
    #[error("{}the Region code `{code}` is not of AWS's form (such as us-east-1 or eu-west-2)", id.as_ref().map(|id| format!("`{id}`: ")).unwrap_or_default())]
    BadRegionCode {
        /// The Region resource, or none for the diagram's own Region.
        id: Option<ResourceId>,
        /// The code (shortened when long).
        code: String,
    },
}

fn allowed_text(allowed: &[LinkKind]) -> String {
    if allowed.is_empty() {
        "no link is allowed between these kinds".into()
    } else {
        let names: Vec<&str> = allowed.iter().map(|k| k.label()).collect();
        format!("allowed here: {}", names.join(", "))
    }
}

impl ModelError {
    /// The resource the error is mainly about, to locate it in a file or on the canvas.
    pub fn subject(&self) -> Option<&ResourceId> {
        match self {
            ModelError::DuplicateId(id)
            | ModelError::DuplicateNoteId(id)
            | ModelError::UnknownResource(id)
            | ModelError::UnknownNote(id)
            | ModelError::SelfLink(id)
            | ModelError::BadRect(id) => Some(id),
            ModelError::DanglingParent { id, .. }
            | ModelError::ParentNotAllowed { id, .. }
            | ModelError::TopLevelNotAllowed { id, .. }
            | ModelError::DanglingReference { id, .. }
            | ModelError::BadNumber { id, .. } => Some(id),
            ModelError::BadRegionCode { id, .. } => id.as_ref(),
            ModelError::ContainmentCycle { path } => path.first(),
            ModelError::DanglingLink { missing, .. } => Some(missing),
            ModelError::DuplicateLink { from, .. } | ModelError::LinkNotAllowed { from, .. } => {
                Some(from)
            }
        }
    }
}
