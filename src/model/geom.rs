//! World-space geometry owned by the file format.
//!
//! These types are serialized into saves, so they must not depend on any GUI crate's
//! representation: the UI converts them to its own types at the boundary.

use serde::{Deserialize, Serialize};

/// A point in world units (one unit is one logical pixel at zoom 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal coordinate, growing to the right.
    pub x: f32,
    /// Vertical coordinate, growing downwards.
    pub y: f32,
}

impl Point {
    /// A point from its coordinates.
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }
}

/// An axis-aligned rectangle in world units: top-left corner plus size.
///
/// Saved compactly as the tuple `(x, y, w, h)`; the named form `(x: …, y: …, w: …, h: …)`
/// is read as well.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "RectForm")]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width, never negative in a valid diagram.
    pub w: f32,
    /// Height, never negative in a valid diagram.
    pub h: f32,
}

impl Serialize for Rect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.x, self.y, self.w, self.h).serialize(serializer)
    }
}

/// The two ways a rectangle may be written.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a rect is four numbers, (x, y, width, height), such as (40.0, 60.0, 120.0, 80.0)"
)]
enum RectForm {
    Tuple(f32, f32, f32, f32),
    Named { x: f32, y: f32, w: f32, h: f32 },
}

impl From<RectForm> for Rect {
    fn from(form: RectForm) -> Self {
        match form {
            RectForm::Tuple(x, y, w, h) | RectForm::Named { x, y, w, h } => Rect::new(x, y, w, h),
        }
    }
}

impl Rect {
    /// The empty rectangle at the origin; a resource with it has not been placed yet.
    pub const ZERO: Rect = Rect::new(0.0, 0.0, 0.0, 0.0);

    /// A rectangle from its top-left corner and size.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Centre point.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Area; zero for an unplaced rectangle.
    pub fn area(&self) -> f32 {
        self.w * self.h
    }

    /// True when the rectangle has no size, which marks a resource without a position.
    pub fn is_unplaced(&self) -> bool {
        self.w <= 0.0 || self.h <= 0.0
    }

    /// True when every coordinate is finite and the size is not negative.
    pub fn is_well_formed(&self) -> bool {
        [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite())
            && self.w >= 0.0
            && self.h >= 0.0
    }

    /// True when `p` lies inside or on the border.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// True when `other` lies wholly inside this rectangle (borders may touch).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    /// True when the two rectangles share some area (touching borders do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// The rectangle moved by `(dx, dy)`.
    pub fn translated(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(
            x,
            y,
            self.right().max(other.right()) - x,
            self.bottom().max(other.bottom()) - y,
        )
    }

    /// The rectangle grown by `margin` on every side.
    pub fn expanded(&self, margin: f32) -> Rect {
        Rect::new(
            self.x - margin,
            self.y - margin,
            self.w + 2.0 * margin,
            self.h + 2.0 * margin,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rect_contains_what_lies_inside_and_touching_borders_do_not_overlap() {
        let outer = Rect::new(0.0, 0.0, 100.0, 100.0);
        let inner = Rect::new(10.0, 10.0, 20.0, 20.0);
        assert!(outer.contains_rect(&inner));
        assert!(!inner.contains_rect(&outer));
        assert!(outer.intersects(&inner));
        let beside = Rect::new(100.0, 0.0, 10.0, 10.0);
        assert!(
            !outer.intersects(&beside),
            "touching borders do not overlap"
        );
        assert_eq!(outer.union(&beside), Rect::new(0.0, 0.0, 110.0, 100.0));
    }

    #[test]
    fn a_zero_rect_is_unplaced_and_nan_or_negative_sizes_are_malformed() {
        assert!(Rect::ZERO.is_unplaced());
        assert!(!Rect::new(0.0, 0.0, 1.0, 1.0).is_unplaced());
        assert!(!Rect::new(f32::NAN, 0.0, 1.0, 1.0).is_well_formed());
        assert!(!Rect::new(0.0, 0.0, -1.0, 1.0).is_well_formed());
    }
}
