//! What the program ships besides code: the reference architectures (`templates`) and the
//! lessons played on them (`scenarios`), embedded and checked when loaded.

pub mod scenarios;
pub mod templates;
