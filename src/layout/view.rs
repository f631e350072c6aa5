//! Pure view geometry of the canvas: the camera, hit testing, link routes, drop targets
//! and container growth. The UI draws and reacts with these; exports reuse the routes, so
//! pictures match the canvas.

use std::collections::HashMap;

use crate::layout::{HEADER, PADDING};
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Diagram, Kind, Resource, ResourceId};

/// Closest zoom out.
pub const MIN_ZOOM: f32 = 0.05;
/// Closest zoom in; text is drawn at its scaled size, so it stays crisp.
pub const MAX_ZOOM: f32 = 4.0;

/// What the canvas shows: the world point at the centre of the viewport and the scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// World point shown at the viewport's centre.
    pub center: Point,
    /// Screen pixels per world unit.
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            center: Point::new(600.0, 400.0),
            zoom: 1.0,
        }
    }
}

impl Camera {
    /// The screen position of a world point, for a viewport at `viewport` on screen.
    pub fn to_screen(&self, world: Point, viewport: &Rect) -> Point {
        let c = viewport.center();
        Point::new(
            c.x + (world.x - self.center.x) * self.zoom,
            c.y + (world.y - self.center.y) * self.zoom,
        )
    }

    /// The world position of a screen point.
    pub fn to_world(&self, screen: Point, viewport: &Rect) -> Point {
        let c = viewport.center();
        Point::new(
            self.center.x + (screen.x - c.x) / self.zoom,
            self.center.y + (screen.y - c.y) / self.zoom,
        )
    }

    /// A world rectangle on screen.
    pub fn rect_to_screen(&self, world: &Rect, viewport: &Rect) -> Rect {
        let p = self.to_screen(Point::new(world.x, world.y), viewport);
        Rect::new(p.x, p.y, world.w * self.zoom, world.h * self.zoom)
    }

    /// The part of the world the viewport shows.
    pub fn visible_world(&self, viewport: &Rect) -> Rect {
        let top_left = self.to_world(Point::new(viewport.x, viewport.y), viewport);
        Rect::new(
            top_left.x,
            top_left.y,
            viewport.w / self.zoom,
            viewport.h / self.zoom,
        )
    }

    /// Moves the view by a screen distance (the world follows the pointer).
    pub fn pan_by_screen(&mut self, dx: f32, dy: f32) {
        self.center.x -= dx / self.zoom;
        self.center.y -= dy / self.zoom;
    }

    /// Zooms by `factor`, keeping the world point under `screen` in place.
    pub fn zoom_about(&mut self, screen: Point, viewport: &Rect, factor: f32) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let anchor = self.to_world(screen, viewport);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let moved = self.to_world(screen, viewport);
        self.center.x += anchor.x - moved.x;
        self.center.y += anchor.y - moved.y;
    }

    /// The camera that shows all of `world` in a viewport of `size`, with a margin.
    pub fn fit(world: &Rect, viewport_w: f32, viewport_h: f32) -> Camera {
        if world.is_unplaced() || viewport_w <= 0.0 || viewport_h <= 0.0 {
            return Camera::default();
        }
        let margin = 40.0;
        let zoom = ((viewport_w - 2.0 * margin).max(1.0) / world.w)
            .min((viewport_h - 2.0 * margin).max(1.0) / world.h);
        Camera {
            center: world.center(),
            zoom: zoom.clamp(MIN_ZOOM, 1.5),
        }
    }
}

/// Which part of a resource a point is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A resource node.
    Node,
    /// A container's title band: drag here to move it.
    Header,
    /// A container's inside.
    Body,
    /// A container's bottom-right corner: drag here to resize it.
    ResizeCorner,
}

/// The resource under a point and which part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The resource.
    pub id: ResourceId,
    /// The part.
    pub part: Part,
}

/// Nesting depth of each resource (0 at the top level).
pub fn depths(diagram: &Diagram) -> HashMap<&ResourceId, usize> {
    let mut depth = HashMap::with_capacity(diagram.len());
    for resource in diagram.resources() {
        depth.insert(&resource.id, diagram.ancestors(resource.id.as_str()).len());
    }
    depth
}

/// The resource drawn on top at `world`: nodes before containers, then the innermost
/// container. `corner` is the size of the resize handle in world units.
pub fn hit_test(diagram: &Diagram, world: Point, corner: f32) -> Option<Hit> {
    let catalog = catalog();
    let node = diagram
        .resources()
        .rev()
        .find(|r| !catalog.is_container(r.kind()) && r.rect.contains(world))
        .map(|r| Hit {
            id: r.id.clone(),
            part: Part::Node,
        });
    if node.is_some() {
        return node;
    }
    let depth = depths(diagram);
    let container = diagram
        .resources()
        .filter(|r| catalog.is_container(r.kind()) && r.rect.contains(world))
        .enumerate()
        .max_by_key(|(order, r)| (depth[&r.id], *order))
        .map(|(_, r)| r)?;
    let rect = container.rect;
    let part = if world.x >= rect.right() - corner && world.y >= rect.bottom() - corner {
        Part::ResizeCorner
    } else if world.y <= rect.y + HEADER {
        Part::Header
    } else {
        Part::Body
    };
    Some(Hit {
        id: container.id.clone(),
        part,
    })
}

/// Resources whose rectangle lies wholly inside `area`.
pub fn resources_in(diagram: &Diagram, area: &Rect) -> Vec<ResourceId> {
    diagram
        .resources()
        .filter(|r| area.contains_rect(&r.rect))
        .map(|r| r.id.clone())
        .collect()
}

/// Where a resource of `kind` dropped at `world` goes: the innermost container under the
/// point that may hold it, else the top level if allowed. Containers in `excluded` (the
/// resources being moved) are skipped. The error says where the kind may sit.
pub fn drop_parent(
    diagram: &Diagram,
    world: Point,
    kind: Kind,
    excluded: &[ResourceId],
) -> Result<Option<ResourceId>, String> {
    let catalog = catalog();
    let depth = depths(diagram);
    let mut under: Vec<&Resource> = diagram
        .resources()
        .filter(|r| catalog.is_container(r.kind()) && r.rect.contains(world))
        .filter(|r| {
            !excluded
                .iter()
                .any(|x| x == &r.id || diagram.ancestors(r.id.as_str()).iter().any(|a| &a.id == x))
        })
        .collect();
    under.sort_by_key(|r| std::cmp::Reverse(depth[&r.id]));
    if let Some(parent) = under
        .iter()
        .find(|r| catalog.may_contain(Some(r.kind()), kind))
    {
        return Ok(Some(parent.id.clone()));
    }
    if catalog.may_contain(None, kind) {
        return Ok(None);
    }
    Err(capitalise(&catalog.placement_hint(kind)))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// New rectangles for the containers holding `id`, grown (never shrunk) so that each holds
/// its children with a margin.
pub fn grow_ancestors(diagram: &Diagram, id: &str) -> Vec<(ResourceId, Rect)> {
    let mut changes: Vec<(ResourceId, Rect)> = Vec::new();
    let mut child_rect = match diagram.resource(id) {
        Some(r) => r.rect,
        None => return changes,
    };
    for ancestor in diagram.ancestors(id) {
        let needed = Rect::new(
            child_rect.x - PADDING,
            child_rect.y - HEADER - PADDING / 2.0,
            child_rect.w + 2.0 * PADDING,
            child_rect.h + HEADER + 1.5 * PADDING,
        );
        let grown = ancestor.rect.union(&needed);
        if grown == ancestor.rect {
            break;
        }
        changes.push((ancestor.id.clone(), grown));
        child_rect = grown;
    }
    changes
}

/// The smallest rectangle a container may be resized to: its children with a margin.
pub fn min_container_rect(diagram: &Diagram, id: &str) -> Option<Rect> {
    let children: Vec<Rect> = diagram.children(Some(id)).map(|c| c.rect).collect();
    let union = children.into_iter().reduce(|a, b| a.union(&b))?;
    Some(Rect::new(
        union.x - PADDING,
        union.y - HEADER - PADDING / 2.0,
        union.w + 2.0 * PADDING,
        union.h + HEADER + 1.5 * PADDING,
    ))
}

/// The orthogonal route of a link between two rectangles: from the middle of the side of
/// `from` that faces `to`, with one bend pair halfway, to the facing side of `to`.
pub fn link_route(from: &Rect, to: &Rect) -> Vec<Point> {
    let (a, b) = (from.center(), to.center());
    let dx = b.x - a.x;
    let dy = b.y - a.y;
    let horizontal_gap = (to.x - from.right()).max(from.x - to.right());
    let vertical_gap = (to.y - from.bottom()).max(from.y - to.bottom());
    // Sideways reads best in left-to-right diagrams: leave sideways unless the ends are
    // much further apart vertically.
    if horizontal_gap > 0.0 && horizontal_gap * 2.0 >= vertical_gap {
        let start = Point::new(if dx >= 0.0 { from.right() } else { from.x }, a.y);
        let end = Point::new(if dx >= 0.0 { to.x } else { to.right() }, b.y);
        let mid = (start.x + end.x) / 2.0;
        simplify(vec![
            start,
            Point::new(mid, start.y),
            Point::new(mid, end.y),
            end,
        ])
    } else if vertical_gap > 0.0 {
        let start = Point::new(a.x, if dy >= 0.0 { from.bottom() } else { from.y });
        let end = Point::new(b.x, if dy >= 0.0 { to.y } else { to.bottom() });
        let mid = (start.y + end.y) / 2.0;
        simplify(vec![
            start,
            Point::new(start.x, mid),
            Point::new(end.x, mid),
            end,
        ])
    } else {
        // Overlapping rectangles (a resource and its container): a straight line between centres.
        vec![a, b]
    }
}

fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q: &Point| (q.x - p.x).abs() < 0.01 && (q.y - p.y).abs() < 0.01)
        {
            continue;
        }
        out.push(p);
    }
    out
}

/// Distance from `p` to a polyline.
pub fn distance_to_route(p: Point, route: &[Point]) -> f32 {
    route
        .windows(2)
        .map(|w| distance_to_segment(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

fn distance_to_segment(p: Point, a: Point, b: Point) -> f32 {
    let (vx, vy) = (b.x - a.x, b.y - a.y);
    let len2 = vx * vx + vy * vy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * vx + (p.y - a.y) * vy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (a.x + t * vx, a.y + t * vy);
    ((p.x - cx).powi(2) + (p.y - cy).powi(2)).sqrt()
}

/// Snaps a coordinate to a grid of `step`.
pub fn snap(value: f32, step: f32) -> f32 {
    if step <= 0.0 {
        value
    } else {
        (value / step).round() * step
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
