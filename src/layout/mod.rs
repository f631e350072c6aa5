//! Where things are drawn: the automatic layout (`auto`), the canvas geometry of cards and
//! containers (`view`), link routes around the cards (`route`, kept up to date for a whole
//! diagram by `routes`, finished by `tidy`), and a diagram's bounds.

mod auto;
pub mod route;
pub mod routes;
pub mod tidy;
pub mod view;

pub use auto::{GAP, HEADER, NODE_HEIGHT, NODE_WIDTH, PADDING, auto_layout, compute};

use crate::model::Diagram;
use crate::model::geom::Rect;

/// The rectangle holding every resource of `diagram`.
pub fn bounds(diagram: &Diagram) -> Rect {
    diagram
        .resources()
        .map(|r| r.rect)
        .reduce(|a, b| a.union(&b))
        .unwrap_or(Rect::ZERO)
}
