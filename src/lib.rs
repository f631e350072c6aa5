//! cloudcanvas: design AWS architectures on a canvas, see what they cost and what is
//! wrong with them, and simulate them.
//!
//! The modules stand in layers (ARCHITECTURE.md, "Layers"), each using only those below:
//! `model` (with `geom`, `catalog`, `overrides`); `aws` facts and `style` tokens; `layout`
//! and `reach`; `io`, `pricing` and `testdata`; `validate` and `sim`; the shipped `library`;
//! `export` and `iac`; `report` and `play` (a run driven as the editor shows it); the
//! headless `editor` core; and the front ends `ui` (feature `gui`) and `cli`. Everything
//! below the front ends is deterministic and never depends on a GUI crate; only `io`, `ui`
//! and `cli` touch files.

pub mod aws;
pub mod cli;
pub mod editor;
pub mod export;
pub mod iac;
pub mod io;
pub mod layout;
pub mod library;
pub mod model;
pub mod play;
pub mod pricing;
pub mod reach;
pub mod report;
pub mod sim;
pub mod style;
pub mod testdata;
pub mod validate;

#[cfg(feature = "gui")]
pub mod ui;
