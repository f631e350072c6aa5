//! The routes of a diagram's links, kept up to date as the diagram changes: a link is
//! routed again only when one of its ends moved or something moved across its way.

use std::collections::HashMap;

use super::route::{Obstacle, Obstacles, route};
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Config, Diagram, Link, LinkKind, Resource, ResourceId};

/// A link's identity: its two ends and its meaning.
pub type LinkId = (ResourceId, ResourceId, LinkKind);

/// Above this many moved resources, every link is routed again.
const MANY_MOVES: usize = 64;

/// The routes of a diagram's links.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    /// The rectangles the routes were made around.
    rects: HashMap<ResourceId, Rect>,
    routes: HashMap<LinkId, Routed>,
}

#[derive(Clone, Debug)]
struct Routed {
    points: Vec<Point>,
    /// The rectangle around the route, to find the routes a move may cross.
    bounds: Rect,
}

impl Routes {
    /// The routes of every link of `diagram`.
    pub fn of(diagram: &Diagram) -> Self {
        let mut routes = Routes::default();
        routes.update(diagram);
        routes
    }

    /// The route of the link `from` → `to` of `kind`, if it is routed.
    pub fn get(&self, from: &ResourceId, to: &ResourceId, kind: LinkKind) -> Option<&[Point]> {
        self.routes
            .get(&(from.clone(), to.clone(), kind))
            .map(|r| r.points.as_slice())
    }

    /// The route of `link` of `diagram`: its routed one, or while it is not routed yet, the
    /// simple one between its ends (none when an end is missing).
    pub fn route_of(&self, diagram: &Diagram, link: &Link) -> Vec<Point> {
        if let Some(points) = self.get(&link.from, &link.to, link.kind) {
            return points.to_vec();
        }
        match (
            diagram.resource(link.from.as_str()),
            diagram.resource(link.to.as_str()),
        ) {
            (Some(a), Some(b)) => super::view::link_route(&a.rect, &b.rect),
            _ => Vec::new(),
        }
    }

    /// Brings the routes up to date with `diagram`; returns how many links were routed.
    pub fn update(&mut self, diagram: &Diagram) -> usize {
        let mut moved: Vec<Rect> = Vec::new();
        let mut moved_ids: Vec<&ResourceId> = Vec::new();
        for r in diagram.resources() {
            match self.rects.get(&r.id) {
                Some(old) if *old == r.rect => {}
                Some(old) => {
                    moved.extend([*old, r.rect]);
                    moved_ids.push(&r.id);
                }
                None => {
                    moved.push(r.rect);
                    moved_ids.push(&r.id);
                }
            }
        }
        let removed: Vec<ResourceId> = self
            .rects
            .keys()
            .filter(|id| !diagram.contains(id.as_str()))
            .cloned()
            .collect();
        for id in &removed {
            moved.extend(self.rects.remove(id));
        }
        let stale = self.routes.len() != diagram.links().len()
            || diagram.links().iter().any(|l| {
                !self
                    .routes
                    .contains_key(&(l.from.clone(), l.to.clone(), l.kind))
            });
        if moved.is_empty() && !stale {
            return 0;
        }
        let everything = moved.len() > MANY_MOVES * 2;
        let obstacles = obstacles_of(diagram);
        let index: HashMap<&ResourceId, usize> = diagram
            .resources()
            .enumerate()
            .map(|(i, r)| (&r.id, i))
            .collect();
        let mut fresh: HashMap<LinkId, Routed> = HashMap::with_capacity(diagram.links().len());
        let mut routed = 0;
        for link in diagram.links() {
            let key = (link.from.clone(), link.to.clone(), link.kind);
            let kept = self.routes.remove(&key).filter(|old| {
                !everything
                    && !moved_ids.contains(&&link.from)
                    && !moved_ids.contains(&&link.to)
                    && !moved.iter().any(|m| m.intersects(&old.bounds))
            });
            let routed_link = match kept {
                Some(old) => old,
                None => {
                    let (Some(a), Some(b)) = (
                        diagram.resource(link.from.as_str()),
                        diagram.resource(link.to.as_str()),
                    ) else {
                        continue;
                    };
                    routed += 1;
                    let points = route(&obstacles, &a.rect, &b.rect, [index[&a.id], index[&b.id]]);
                    let bounds = bounds_of(&points).expanded(super::route::CLEARANCE);
                    Routed { points, bounds }
                }
            };
            fresh.insert(key, routed_link);
        }
        self.routes = fresh;
        for r in diagram.resources() {
            self.rects.insert(r.id.clone(), r.rect);
        }
        routed
    }
}

fn bounds_of(points: &[Point]) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in points {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    if x0 > x1 {
        return Rect::ZERO;
    }
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}

/// What routes go around in `diagram`: every card, and the title and detail text of every
/// container.
pub fn obstacles_of(diagram: &Diagram) -> Obstacles {
    let mut list = Vec::with_capacity(diagram.len());
    for (owner, r) in diagram.resources().enumerate() {
        if catalog().is_container(r.kind()) {
            list.extend(
                title_rects(r)
                    .into_iter()
                    .map(|rect| Obstacle { rect, owner }),
            );
        } else {
            list.push(Obstacle {
                rect: r.rect,
                owner,
            });
        }
    }
    Obstacles::new(list)
}

/// The detail a container shows at the right of its title bar: a Region's code, a VPC's or
/// a subnet's range.
pub fn container_detail(config: &Config) -> String {
    match config {
        Config::Region(r) => r.code.clone(),
        Config::Vpc(v) => v.cidr.clone(),
        Config::Subnet(s) => s.cidr.clone(),
        _ => String::new(),
    }
}

/// Where a container's title and detail are written, from the canvas's type sizes: the
/// icon, then the title in 13-unit type (about 7.2 units a character), and the detail at
/// the right in 11-unit monospace (6.6 a character).
pub fn title_rects(r: &Resource) -> Vec<Rect> {
    let header = super::HEADER;
    let name = if r.name.is_empty() {
        catalog().name(r.kind())
    } else {
        r.name.as_str()
    };
    let title_width =
        (6.0 + header - 10.0 + 6.0 + 7.2 * name.chars().count() as f32 + 6.0).min(r.rect.w);
    let mut out = vec![Rect::new(
        r.rect.x,
        r.rect.y + 2.0,
        title_width,
        header - 6.0,
    )];
    let detail = container_detail(&r.config);
    if !detail.is_empty() {
        let width = (6.6 * detail.chars().count() as f32 + 14.0).min(r.rect.w - title_width);
        if width > 0.0 {
            out.push(Rect::new(
                r.rect.right() - width,
                r.rect.y + 2.0,
                width,
                header - 6.0,
            ));
        }
    }
    out
}
