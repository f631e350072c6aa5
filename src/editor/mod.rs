//! The editor without a window: the document and its undo history, the editor's state
//! (selection, camera, gestures, messages), and commands — every change the user asks for,
//! applied in one place with one undo step each (`commands::apply`). The GUI only draws
//! this state and turns input into commands; tests drive it with no window.

pub mod commands;
pub mod document;
pub mod edit;
pub mod history;
pub mod state;

pub use document::Document;
