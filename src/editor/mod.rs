//! The editor without a window: edits of a diagram as operations (`edit`) and their undo
//! history (`history`).

pub mod edit;
pub mod history;
