//! UI tests: the real editor driven headless through egui_kittest, by accessible labels
//! and pointer events, as a person would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cost;
mod editing;
mod exchange;
mod files;
mod findings;
mod harness;
mod monkey;
mod run;
