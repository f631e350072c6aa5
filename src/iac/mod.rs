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

/// A resource the export leaves out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    /// The diagram resource.
    pub id: ResourceId,
    /// Why it has no counterpart, in a sentence.
    pub reason: String,
}
