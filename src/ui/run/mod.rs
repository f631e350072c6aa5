//! Run mode's panels and pictures (feature `gui`): the toolbar with its timeline, the
//! canvas overlay, the live panels, comparing two designs and recording; the run itself is
//! `play::RunMode`.

pub mod compare;
pub mod overlay;
pub mod panels;
pub mod record;
pub mod toolbar;
