//! Integration tests: one crate, one module per area.

mod broken_files;
mod property;
mod templates;
