//! cloudcanvas: design AWS architectures on a canvas, see what they cost and what is
//! wrong with them, and simulate them.
//!
//! The core (`geom`, `model`, `catalog`, `io`, `layout`, `templates`, `overrides`) is pure
//! and deterministic and never depends on a GUI crate; `cli` and `ui` are front ends over
//! it. See `ARCHITECTURE.md`.

pub mod catalog;
pub mod cli;
pub mod edit;
pub mod export;
pub mod generate;
pub mod geom;
pub mod history;
pub mod iac;
pub mod io;
pub mod layout;
pub mod model;
pub mod overrides;
pub mod pricing;
pub mod reach;
pub mod report;
pub mod scenarios;
pub mod sim;
pub mod style;
pub mod templates;
pub mod validate;
pub mod view;

#[cfg(feature = "gui")]
pub mod ui;
