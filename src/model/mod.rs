//! The diagram model: resources, links and notes, and the invariants that edits keep; with
//! its geometry (`geom`), the catalog of resource kinds (`catalog`) and `--set` overrides
//! (`overrides`).

pub mod catalog;
pub mod config;
mod diagram;
mod error;
pub mod geom;
mod ids;
mod link;
mod neighbours;
pub mod overrides;
mod place;
pub mod refs;
mod resource;
pub mod shape;
pub mod text;
pub mod values;

pub use config::{Config, Kind};
pub use diagram::{DEFAULT_REGION, Diagram};
pub use error::ModelError;
pub use ids::{IdError, MAX_ID_LEN, ResourceId};
pub use link::{Link, LinkKind};
pub use resource::{Note, NoteColor, Resource};
