//! The desktop editor (feature `gui`): it draws the diagram and turns input into commands;
//! every change goes through `commands::apply`.

mod app;
pub mod canvas;
mod cost_panel;
pub mod files;
pub(crate) mod findings_panel;
pub mod icons;
mod inspector;
mod menu;
mod palette;
pub mod run;
mod status;
pub mod theme;

use std::path::PathBuf;

pub use app::{EditorApp, EditorOptions, Preferences, load_preferences};
pub use palette::PaletteItem;

use crate::model::Diagram;

/// Opens the editor window on `diagram` (from `path`, if it came from a file) and runs it
/// until the window closes.
pub fn run(diagram: Diagram, path: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("cloudcanvas")
            .with_app_id("cloudcanvas")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "cloudcanvas",
        options,
        Box::new(move |cc| {
            Ok(Box::new(EditorApp::from_creation_context(
                cc, diagram, path,
            )))
        }),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}
