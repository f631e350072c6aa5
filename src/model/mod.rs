//! The diagram model: resources, links and notes, and the invariants that edits keep.

pub mod config;
mod diagram;
mod error;
mod ids;
mod link;
mod neighbours;
mod place;
pub mod refs;
mod resource;
pub mod shape;
pub mod values;

pub use config::{Config, Kind};
pub use diagram::{DEFAULT_REGION, Diagram};
pub use error::ModelError;
pub use ids::{IdError, MAX_ID_LEN, ResourceId};
pub use link::{Link, LinkKind};
pub use resource::{Note, NoteColor, Resource};
