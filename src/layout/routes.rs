//! The routes of a diagram's links, kept up to date as the diagram changes: a link is
//! routed again only when one of its ends moved or something moved across its way.

use std::borrow::Cow;
use std::collections::HashMap;

use super::route::{Obstacle, Obstacles, routed};
use super::tidy::{Raw, jumps, tidy};
use crate::model::catalog::catalog;
use crate::model::geom::{Point, Rect};
use crate::model::{Config, Diagram, Link, LinkKind, Resource, ResourceId};

/// A link's identity: its two ends and its meaning.
pub type LinkId = (ResourceId, ResourceId, LinkKind);

/// Above this many moved resources, every link is routed again.
const MANY_MOVES: usize = 64;

/// The routes of a diagram's links, in the order of its links.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    /// The resources and rectangles the routes were made around, in diagram order.
    ids: Vec<ResourceId>,
    rects: Vec<Rect>,
    /// The links routed, and their routes as found, in diagram order.
    links: Vec<LinkId>,
    routes: Vec<Routed>,
    /// The routes as drawn: ports spread along shared sides, shared lines set apart.
    drawn: Vec<Vec<Point>>,
    /// Where each drawn route jumps over another.
    jumps: Vec<Vec<Point>>,
}

#[derive(Clone, Debug)]
struct Routed {
    points: Vec<Point>,
    /// The rectangle around the route, to skip it quickly when something moves elsewhere.
    bounds: Rect,
    /// It keeps clear of every card; one that does not (boxed in, or too long to search)
    /// is routed again only when its ends move.
    clear: bool,
}

impl Routes {
    /// The routes of every link of `diagram`.
    pub fn of(diagram: &Diagram) -> Self {
        let mut routes = Routes::default();
        routes.update(diagram);
        routes
    }

    /// The route of the link `from` → `to` of `kind`, if it is routed: a search by identity;
    /// drawing goes by the link's index ([`Routes::route_of`]).
    pub fn get(&self, from: &ResourceId, to: &ResourceId, kind: LinkKind) -> Option<&[Point]> {
        self.links
            .iter()
            .position(|(f, t, k)| f == from && t == to && *k == kind)
            .map(|i| self.drawn[i].as_slice())
    }

    /// The route of the `index`-th link of `diagram`: its routed one, or while it is not
    /// routed yet, the simple one between its ends (none when an end is missing).
    pub fn route_of(&self, diagram: &Diagram, index: usize) -> Cow<'_, [Point]> {
        let Some(link) = diagram.links().get(index) else {
            return Cow::Borrowed(&[]);
        };
        if self.is_route_of(index, link) {
            return Cow::Borrowed(&self.drawn[index]);
        }
        match (
            diagram.resource(link.from.as_str()),
            diagram.resource(link.to.as_str()),
        ) {
            (Some(a), Some(b)) => Cow::Owned(super::view::link_route(&a.rect, &b.rect)),
            _ => Cow::Borrowed(&[]),
        }
    }

    /// The polyline that draws the `index`-th link of `diagram`: its route with a hop where
    /// it jumps another link.
    pub fn drawing_of(&self, diagram: &Diagram, index: usize) -> Cow<'_, [Point]> {
        match diagram.links().get(index) {
            Some(link) if self.is_route_of(index, link) && !self.jumps[index].is_empty() => {
                Cow::Owned(super::tidy::with_jumps(
                    &self.drawn[index],
                    &self.jumps[index],
                    super::tidy::JUMP,
                ))
            }
            _ => self.route_of(diagram, index),
        }
    }

    fn is_route_of(&self, index: usize, link: &Link) -> bool {
        self.links
            .get(index)
            .is_some_and(|(f, t, k)| *f == link.from && *t == link.to && *k == link.kind)
    }

    /// Brings the routes up to date with `diagram`; returns how many links were routed.
    ///
    /// A link is routed again when one of its ends moved, when a moved resource now lies
    /// across its route, or when its route ran close past where a moved resource was (it
    /// may have gone round it).
    pub fn update(&mut self, diagram: &Diagram) -> usize {
        let same_resources = self.ids.len() == diagram.len()
            && diagram
                .resources()
                .zip(&self.ids)
                .all(|(r, id)| r.id == *id);
        let mut moved_ids: Vec<&ResourceId> = Vec::new();
        let mut near: Vec<Rect> = Vec::new();
        let mut changed = |id, new: Option<Rect>, old: Option<Rect>| {
            moved_ids.extend(id);
            near.extend(new.map(|r| r.expanded(super::route::CLEARANCE / 2.0)));
            near.extend(old.map(|r| r.expanded(super::route::CLEARANCE * 2.0)));
        };
        if same_resources {
            for (r, old) in diagram.resources().zip(&self.rects) {
                if r.rect != *old {
                    changed(Some(&r.id), Some(r.rect), Some(*old));
                }
            }
        } else {
            // Resources came or went: compare by id.
            let before: HashMap<&ResourceId, Rect> =
                self.ids.iter().zip(self.rects.iter().copied()).collect();
            for r in diagram.resources() {
                match before.get(&r.id) {
                    Some(old) if *old == r.rect => {}
                    old => changed(Some(&r.id), Some(r.rect), old.copied()),
                }
            }
            for (id, rect) in &before {
                if !diagram.contains(id.as_str()) {
                    changed(None, None, Some(*rect));
                }
            }
        }
        let same_links = self.links.len() == diagram.links().len()
            && diagram
                .links()
                .iter()
                .zip(&self.links)
                .all(|(l, (f, t, k))| l.from == *f && l.to == *t && l.kind == *k);
        if same_links && near.is_empty() {
            return 0;
        }
        let everything = moved_ids.len() > MANY_MOVES;
        let stays = |link: &Link, old: &Routed| {
            let in_the_way = old.clear
                && near
                    .iter()
                    .any(|m| m.intersects(&old.bounds) && crosses(&old.points, m));
            !everything
                && !moved_ids.contains(&&link.from)
                && !moved_ids.contains(&&link.to)
                && !in_the_way
        };
        // The links to route, by their index in the diagram, with what is kept of the rest.
        let mut todo: Vec<usize> = Vec::new();
        if same_links {
            for (i, link) in diagram.links().iter().enumerate() {
                if !stays(link, &self.routes[i]) {
                    todo.push(i);
                }
            }
        } else {
            let mut previous: HashMap<LinkId, Routed> = std::mem::take(&mut self.links)
                .into_iter()
                .zip(std::mem::take(&mut self.routes))
                .collect();
            for (i, link) in diagram.links().iter().enumerate() {
                let key = (link.from.clone(), link.to.clone(), link.kind);
                let kept = previous.remove(&key).filter(|old| stays(link, old));
                if kept.is_none() {
                    todo.push(i);
                }
                self.links.push(key);
                self.routes.push(kept.unwrap_or(Routed {
                    points: Vec::new(),
                    bounds: Rect::ZERO,
                    clear: false,
                }));
            }
        }
        if !todo.is_empty() || !same_links {
            let obstacles = obstacles_of(diagram);
            let index: HashMap<&ResourceId, usize> = diagram
                .resources()
                .enumerate()
                .map(|(i, r)| (&r.id, i))
                .collect();
            for &i in &todo {
                let link = &diagram.links()[i];
                let (points, clear) = match (
                    diagram.resource(link.from.as_str()),
                    diagram.resource(link.to.as_str()),
                ) {
                    (Some(a), Some(b)) => {
                        routed(&obstacles, &a.rect, &b.rect, [index[&a.id], index[&b.id]])
                    }
                    _ => (Vec::new(), false),
                };
                let bounds = bounds_of(&points);
                self.routes[i] = Routed {
                    points,
                    bounds,
                    clear,
                };
            }
            let raw: Vec<Raw<'_>> = diagram
                .links()
                .iter()
                .zip(&self.routes)
                .map(|(link, r)| {
                    let rect = |id: &ResourceId| diagram.resource(id.as_str()).map(|x| x.rect);
                    let owner = |id: &ResourceId| index.get(id).copied().unwrap_or(usize::MAX);
                    Raw {
                        points: &r.points,
                        ends: (
                            rect(&link.from).unwrap_or(Rect::ZERO),
                            rect(&link.to).unwrap_or(Rect::ZERO),
                        ),
                        owners: [owner(&link.from), owner(&link.to)],
                    }
                })
                .collect();
            self.drawn = tidy(&raw, &obstacles);
            let drawn: Vec<&[Point]> = self.drawn.iter().map(Vec::as_slice).collect();
            self.jumps = jumps(&drawn);
        }
        if !same_resources {
            self.ids = diagram.resources().map(|r| r.id.clone()).collect();
        }
        self.rects.clear();
        self.rects.extend(diagram.resources().map(|r| r.rect));
        todo.len()
    }
}

/// Whether a segment of `points` meets `area`.
fn crosses(points: &[Point], area: &Rect) -> bool {
    points.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let line = Rect::new(
            a.x.min(b.x),
            a.y.min(b.y),
            (a.x - b.x).abs(),
            (a.y - b.y).abs(),
        );
        line.x <= area.right()
            && line.right() >= area.x
            && line.y <= area.bottom()
            && line.bottom() >= area.y
    })
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

/// A container's title as the canvas and the exports write it: its name (or its kind's),
/// and for a VPC made outside this design, a word saying so.
pub fn container_title(r: &Resource) -> String {
    let name = if r.name.is_empty() {
        catalog().name(r.kind())
    } else {
        r.name.as_str()
    };
    match &r.config {
        Config::Vpc(v) if v.made_elsewhere => format!("{name} · made elsewhere"),
        _ => name.to_owned(),
    }
}

/// Where a container's title and detail are written, from the canvas's type sizes: the
/// icon, then the title in 13-unit type (about 7.2 units a character), and the detail at
/// the right in 11-unit monospace (6.6 a character).
pub fn title_rects(r: &Resource) -> Vec<Rect> {
    let header = super::HEADER;
    let name = container_title(r);
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
