//! Infrastructure as code: a diagram written as CloudFormation templates or Terraform, and a
//! CloudFormation template read back as a diagram.
//!
//! What a diagram says beyond AWS's own resources (actors such as users, where each card
//! sits, links no property expresses) travels in the template's `Metadata`, as AWS's own
//! designer kept its layout there; the import reads it when present and infers the rest
//! from the template's references.

pub mod cfn;
pub mod cfn_import;
mod derived;
mod names;
pub mod terraform;

pub use names::logical_id;

use crate::model::ResourceId;

/// The reason given for a resource of a kind an exporter does not write yet: it is never
/// dropped without a word, and `tests/it/kinds.rs` fails on this reason.
pub const NOT_WRITTEN_YET: &str = "this program does not write this kind yet";

/// A resource the export leaves out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    /// The diagram resource.
    pub id: ResourceId,
    /// Why it has no counterpart, in a sentence.
    pub reason: String,
}
