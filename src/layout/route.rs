//! Link routes as a diagramming tool draws them: orthogonal, leaving and entering cards on
//! the sides that face each other, and going around every other card and every container's
//! title.
//!
//! A route is first tried as one of the few simple shapes a person would draw (an elbow or
//! a step); only when each of them hits something does the router search. The search is
//! A* over the orthogonal visibility graph of the obstacles near the two ends — the grid of
//! lines through their edges, as libavoid builds it (Wybrow, Marriott and Stuckey, 2009) —
//! with a cost per bend, so that among routes of equal length the one with fewest bends
//! wins.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::model::geom::{Point, Rect};

/// The clearance a route keeps from the cards it passes.
pub const CLEARANCE: f32 = 12.0;
/// What a bend costs, in units of length: a route takes a detour this long to save one.
const BEND: f32 = 48.0;
/// The most grid states a search may visit before it gives up for the simple route.
const SEARCH_LIMIT: usize = 40_000;
/// How far around the two ends a search looks first; it widens twice when boxed in.
const WINDOW: f32 = 240.0;

/// Something a route goes around: a card, or a container's title.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Obstacle {
    /// Where it is.
    pub rect: Rect,
    /// The resource it belongs to, by its index in the diagram's resources: a route ignores
    /// the obstacles of its own two ends.
    pub owner: usize,
}

type Entry = GeomWithData<Rectangle<[f32; 2]>, usize>;

/// The obstacles of a drawing, indexed for queries by area.
#[derive(Default)]
pub struct Obstacles {
    list: Vec<Obstacle>,
    tree: RTree<Entry>,
}

impl Obstacles {
    /// Indexes `list`.
    pub fn new(list: Vec<Obstacle>) -> Self {
        let entries = list
            .iter()
            .enumerate()
            .map(|(i, o)| GeomWithData::new(Rectangle::from_aabb(aabb(&o.rect)), i))
            .collect();
        Obstacles {
            list,
            tree: RTree::bulk_load(entries),
        }
    }

    /// The obstacles meeting `area`.
    fn within(&self, area: &Rect) -> impl Iterator<Item = &Obstacle> {
        self.tree
            .locate_in_envelope_intersecting(aabb(area))
            .map(|e| &self.list[e.data])
    }

    /// Whether the axis-aligned segment `a`–`b` passes through an obstacle not owned by
    /// `ends`, counting the clearance around it (half of it, so that routes may run between
    /// cards set close together).
    fn blocks(&self, a: Point, b: Point, ends: [usize; 2]) -> bool {
        let line = Rect::new(
            a.x.min(b.x),
            a.y.min(b.y),
            (a.x - b.x).abs(),
            (a.y - b.y).abs(),
        );
        self.within(&line.expanded(CLEARANCE / 2.0))
            .filter(|o| !ends.contains(&o.owner))
            .any(|o| strictly_crosses(&o.rect.expanded(CLEARANCE / 2.0 - 0.5), &line))
    }
}

fn aabb(r: &Rect) -> AABB<[f32; 2]> {
    AABB::from_corners([r.x, r.y], [r.right(), r.bottom()])
}

/// Whether a segment (a rectangle of zero width or height) enters the inside of `r`.
fn strictly_crosses(r: &Rect, line: &Rect) -> bool {
    line.x < r.right() && line.right() > r.x && line.y < r.bottom() && line.bottom() > r.y
}

/// The four sides of a card a route may leave or enter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    const ALL: [Side; 4] = [Side::Left, Side::Right, Side::Top, Side::Bottom];

    /// The middle of this side of `r`, and the point one clearance out from it.
    fn port(self, r: &Rect) -> (Point, Point) {
        let c = r.center();
        match self {
            Side::Left => (Point::new(r.x, c.y), Point::new(r.x - CLEARANCE, c.y)),
            Side::Right => (
                Point::new(r.right(), c.y),
                Point::new(r.right() + CLEARANCE, c.y),
            ),
            Side::Top => (Point::new(c.x, r.y), Point::new(c.x, r.y - CLEARANCE)),
            Side::Bottom => (
                Point::new(c.x, r.bottom()),
                Point::new(c.x, r.bottom() + CLEARANCE),
            ),
        }
    }

    fn horizontal(self) -> bool {
        matches!(self, Side::Left | Side::Right)
    }

    /// Whether this side of `from` looks towards `to`.
    fn faces(self, from: &Rect, to: &Rect) -> bool {
        match self {
            Side::Left => to.right() <= from.x,
            Side::Right => to.x >= from.right(),
            Side::Top => to.bottom() <= from.y,
            Side::Bottom => to.y >= from.bottom(),
        }
    }
}

/// The route of a link from card `from` to card `to` (indexes `ends` in the obstacles'
/// owners), as the points where it starts, bends and ends.
pub fn route(obstacles: &Obstacles, from: &Rect, to: &Rect, ends: [usize; 2]) -> Vec<Point> {
    if from.intersects(to) || from.contains_rect(to) || to.contains_rect(from) {
        // A resource and what holds it: a straight line between centres says it.
        return vec![from.center(), to.center()];
    }
    let simple = simplify(super::view::link_route(from, to));
    if is_free(obstacles, &simple, ends) {
        return simple;
    }
    if let Some(best) = shapes(from, to)
        .into_iter()
        .filter(|s| is_free(obstacles, s, ends))
        .min_by(|a, b| cost(a).total_cmp(&cost(b)))
    {
        return best;
    }
    let mut margin = WINDOW;
    for _ in 0..3 {
        let window = from.union(to).expanded(margin);
        if let Some(found) = search(obstacles, from, to, ends, &window) {
            return found;
        }
        margin *= 3.0;
    }
    simple
}

/// Whether no segment of `points` passes through an obstacle other than the ends'.
pub fn is_free(obstacles: &Obstacles, points: &[Point], ends: [usize; 2]) -> bool {
    points
        .windows(2)
        .all(|w| !obstacles.blocks(w[0], w[1], ends))
}

/// A route's length plus its bends' cost.
fn cost(points: &[Point]) -> f32 {
    let length: f32 = points
        .windows(2)
        .map(|w| (w[0].x - w[1].x).abs() + (w[0].y - w[1].y).abs())
        .sum();
    length + BEND * points.len().saturating_sub(2) as f32
}

/// The simple shapes between two cards: for each pair of sides, an L where the sides are
/// perpendicular and a step (two bends, halfway) where they are parallel.
fn shapes(from: &Rect, to: &Rect) -> Vec<Vec<Point>> {
    let mut out = Vec::new();
    for a in Side::ALL.into_iter().filter(|s| s.faces(from, to)) {
        for b in Side::ALL.into_iter().filter(|s| s.faces(to, from)) {
            let (start, _) = a.port(from);
            let (end, _) = b.port(to);
            match (a.horizontal(), b.horizontal()) {
                (true, true) => {
                    let mid = (start.x + end.x) / 2.0;
                    out.push(vec![
                        start,
                        Point::new(mid, start.y),
                        Point::new(mid, end.y),
                        end,
                    ]);
                }
                (false, false) => {
                    let mid = (start.y + end.y) / 2.0;
                    out.push(vec![
                        start,
                        Point::new(start.x, mid),
                        Point::new(end.x, mid),
                        end,
                    ]);
                }
                (true, false) => out.push(vec![start, Point::new(end.x, start.y), end]),
                (false, true) => out.push(vec![start, Point::new(start.x, end.y), end]),
            }
        }
    }
    out.into_iter().map(simplify).collect()
}

/// Drops repeated points and points in the middle of a straight run.
pub fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 0.01 && (q.y - p.y).abs() < 0.01)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = ((a.x - b.x).abs() < 0.01 && (b.x - p.x).abs() < 0.01)
                || ((a.y - b.y).abs() < 0.01 && (b.y - p.y).abs() < 0.01);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The grid of a search: the lines through the obstacles' edges (with clearance) and the
/// ports, within a window.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Inflated obstacles in the window, other than the ends'.
    walls: Vec<Rect>,
}

impl Grid {
    fn new(obstacles: &Obstacles, window: &Rect, ends: [usize; 2], ports: &[Point]) -> Self {
        let walls: Vec<Rect> = obstacles
            .within(window)
            .filter(|o| !ends.contains(&o.owner))
            .map(|o| o.rect.expanded(CLEARANCE))
            .collect();
        let mut xs = vec![window.x, window.right()];
        let mut ys = vec![window.y, window.bottom()];
        for w in &walls {
            xs.extend([w.x, w.right()]);
            ys.extend([w.y, w.bottom()]);
        }
        xs.extend(ports.iter().map(|p| p.x));
        ys.extend(ports.iter().map(|p| p.y));
        for v in [&mut xs, &mut ys] {
            v.retain(|c| c.is_finite());
            v.sort_by(f32::total_cmp);
            v.dedup_by(|a, b| (*a - *b).abs() < 0.5);
        }
        Grid { xs, ys, walls }
    }

    fn index(values: &[f32], v: f32) -> Option<usize> {
        let i = values.partition_point(|c| *c < v - 0.25);
        (i < values.len() && (values[i] - v).abs() < 0.5).then_some(i)
    }

    /// Whether the step between two neighbouring grid points stays outside every wall.
    fn open(&self, a: Point, b: Point) -> bool {
        let mid = Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        !self
            .walls
            .iter()
            .any(|w| mid.x > w.x && mid.x < w.right() && mid.y > w.y && mid.y < w.bottom())
    }
}

/// A state of the search: a grid point and whether it was reached moving sideways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct State {
    x: u32,
    y: u32,
    horizontal: bool,
}

/// A* from the ports of `from` to those of `to` over the grid of `window`.
fn search(
    obstacles: &Obstacles,
    from: &Rect,
    to: &Rect,
    ends: [usize; 2],
    window: &Rect,
) -> Option<Vec<Point>> {
    let starts: Vec<(Side, Point, Point)> = Side::ALL
        .iter()
        .map(|s| {
            let (on, out) = s.port(from);
            (*s, on, out)
        })
        .collect();
    let goals: Vec<(Side, Point, Point)> = Side::ALL
        .iter()
        .map(|s| {
            let (on, out) = s.port(to);
            (*s, on, out)
        })
        .collect();
    let ports: Vec<Point> = starts
        .iter()
        .chain(&goals)
        .map(|(_, _, out)| *out)
        .collect();
    let grid = Grid::new(obstacles, window, ends, &ports);
    let at = |s: State| Point::new(grid.xs[s.x as usize], grid.ys[s.y as usize]);
    let goal_at: HashMap<(u32, u32), (Side, Point)> = goals
        .iter()
        .filter_map(|(side, on, out)| {
            let x = Grid::index(&grid.xs, out.x)? as u32;
            let y = Grid::index(&grid.ys, out.y)? as u32;
            Some(((x, y), (*side, *on)))
        })
        .collect();
    let heuristic = |p: Point| {
        goals
            .iter()
            .map(|(_, _, g)| (p.x - g.x).abs() + (p.y - g.y).abs())
            .fold(f32::INFINITY, f32::min)
    };
    // Costs in tenths of a unit, so that the queue orders integers.
    let units = |v: f32| (v * 10.0).round() as u64;
    let mut best: HashMap<State, u64> = HashMap::new();
    let mut came: HashMap<State, State> = HashMap::new();
    let mut queue = BinaryHeap::new();
    for (side, _, out) in &starts {
        let (Some(x), Some(y)) = (Grid::index(&grid.xs, out.x), Grid::index(&grid.ys, out.y))
        else {
            continue;
        };
        if grid
            .walls
            .iter()
            .any(|w| w.contains(*out) && !on_border(w, *out))
        {
            continue;
        }
        let state = State {
            x: x as u32,
            y: y as u32,
            horizontal: side.horizontal(),
        };
        let facing = if side.faces(from, to) { 0.0 } else { BEND };
        let g = units(CLEARANCE + facing);
        best.insert(state, g);
        queue.push(Reverse((g + units(heuristic(*out)), g, state)));
    }
    let mut visited = 0;
    while let Some(Reverse((_, g, state))) = queue.pop() {
        if best.get(&state).is_some_and(|b| *b < g) {
            continue;
        }
        visited += 1;
        if visited > SEARCH_LIMIT {
            return None;
        }
        if let Some((side, on)) = goal_at.get(&(state.x, state.y))
            && state.horizontal == side.horizontal()
        {
            let mut points = vec![*on, at(state)];
            let mut s = state;
            while let Some(prev) = came.get(&s) {
                points.push(at(*prev));
                s = *prev;
            }
            let first = starts
                .iter()
                .find(|(_, _, out)| (out.x - at(s).x).abs() < 0.5 && (out.y - at(s).y).abs() < 0.5)
                .map(|(_, on, _)| *on)?;
            points.push(first);
            points.reverse();
            return Some(simplify(points));
        }
        let here = at(state);
        let steps = [
            (state.x.checked_sub(1), Some(state.y), true),
            (Some(state.x + 1), Some(state.y), true),
            (Some(state.x), state.y.checked_sub(1), false),
            (Some(state.x), Some(state.y + 1), false),
        ];
        for (x, y, horizontal) in steps {
            let (Some(x), Some(y)) = (x, y) else { continue };
            if x as usize >= grid.xs.len() || y as usize >= grid.ys.len() {
                continue;
            }
            let next = State { x, y, horizontal };
            let there = at(next);
            if !grid.open(here, there) {
                continue;
            }
            let bend = if horizontal == state.horizontal {
                0.0
            } else {
                BEND
            };
            let step = (here.x - there.x).abs() + (here.y - there.y).abs();
            let g2 = g + units(step + bend);
            if best.get(&next).is_none_or(|b| g2 < *b) {
                best.insert(next, g2);
                came.insert(next, state);
                queue.push(Reverse((g2 + units(heuristic(there)), g2, next)));
            }
        }
    }
    None
}

fn on_border(r: &Rect, p: Point) -> bool {
    (p.x - r.x).abs() < 0.01
        || (p.x - r.right()).abs() < 0.01
        || (p.y - r.y).abs() < 0.01
        || (p.y - r.bottom()).abs() < 0.01
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
