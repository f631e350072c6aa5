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
use std::collections::BinaryHeap;

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
/// The most obstacles a search takes on: a link past more cards than this (across a large
/// diagram) keeps the simple shape that meets fewest of them.
const SEARCH_OBSTACLES: usize = 400;

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
    routed(obstacles, from, to, ends).0
}

/// The route, and whether it keeps clear of every card (a link boxed in, or too far to
/// search, takes the simple shape through fewest cards).
pub fn routed(
    obstacles: &Obstacles,
    from: &Rect,
    to: &Rect,
    ends: [usize; 2],
) -> (Vec<Point>, bool) {
    if from.intersects(to) || from.contains_rect(to) || to.contains_rect(from) {
        // A resource and what holds it: a straight line between centres says it.
        return (vec![from.center(), to.center()], false);
    }
    let simple = simplify(super::view::link_route(from, to));
    if is_free(obstacles, &simple, ends) {
        return (simple, true);
    }
    if let Some(best) = shapes(from, to)
        .into_iter()
        .filter(|s| is_free(obstacles, s, ends))
        .min_by(|a, b| cost(a).total_cmp(&cost(b)))
    {
        return (best, true);
    }
    let mut margin = WINDOW;
    for _ in 0..3 {
        let window = from.union(to).expanded(margin);
        if let Some(found) = search(obstacles, from, to, ends, &window) {
            return (found, true);
        }
        margin *= 3.0;
    }
    let fewest = std::iter::once(simple)
        .chain(shapes(from, to))
        .min_by_key(|s| {
            s.windows(2)
                .filter(|w| obstacles.blocks(w[0], w[1], ends))
                .count()
        })
        .unwrap_or_default();
    (fewest, false)
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
/// ports, within a window, and which steps between neighbouring grid points run inside an
/// obstacle.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Inflated obstacles in the window, other than the ends'.
    walls: Vec<Rect>,
    /// The step from column `i` to `i + 1` along row `j` is blocked: `[j * nx + i]`.
    across: Vec<bool>,
    /// The step from row `j` to `j + 1` along column `i` is blocked: `[i * ny + j]`.
    down: Vec<bool>,
}

impl Grid {
    fn new(walls: Vec<Rect>, window: &Rect, ports: &[Point]) -> Self {
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
        let (nx, ny) = (xs.len(), ys.len());
        let mut across = vec![false; nx * ny];
        let mut down = vec![false; nx * ny];
        // Grid lines strictly inside a wall, and the steps within its extent.
        let inside = |v: &[f32], lo: f32, hi: f32| {
            (
                v.partition_point(|c| *c <= lo + 0.25),
                v.partition_point(|c| *c < hi - 0.25),
            )
        };
        let within = |v: &[f32], lo: f32, hi: f32| {
            (
                v.partition_point(|c| *c < lo - 0.25),
                v.partition_point(|c| *c < hi - 0.25),
            )
        };
        for w in &walls {
            let (row0, row1) = inside(&ys, w.y, w.bottom());
            let (col0, col1) = within(&xs, w.x, w.right());
            for j in row0..row1 {
                across[j * nx + col0..j * nx + col1].fill(true);
            }
            let (col0, col1) = inside(&xs, w.x, w.right());
            let (row0, row1) = within(&ys, w.y, w.bottom());
            for i in col0..col1 {
                down[i * ny + row0..i * ny + row1].fill(true);
            }
        }
        Grid {
            xs,
            ys,
            walls,
            across,
            down,
        }
    }

    fn index(values: &[f32], v: f32) -> Option<usize> {
        let i = values.partition_point(|c| *c < v - 0.25);
        (i < values.len() && (values[i] - v).abs() < 0.5).then_some(i)
    }

    /// Whether the step from `(i, j)` to its neighbour `(i2, j2)` stays outside every wall.
    fn open(&self, i: usize, j: usize, i2: usize, j2: usize) -> bool {
        let (nx, ny) = (self.xs.len(), self.ys.len());
        if j == j2 {
            !self.across[j * nx + i.min(i2)]
        } else {
            !self.down[i * ny + j.min(j2)]
        }
    }
}

/// A* from the ports of `from` to those of `to` over the grid of `window`; none when no
/// way exists within it, or the window holds too many obstacles to search.
fn search(
    obstacles: &Obstacles,
    from: &Rect,
    to: &Rect,
    ends: [usize; 2],
    window: &Rect,
) -> Option<Vec<Point>> {
    let walls: Vec<Rect> = obstacles
        .within(window)
        .filter(|o| !ends.contains(&o.owner))
        .map(|o| o.rect.expanded(CLEARANCE))
        .take(SEARCH_OBSTACLES + 1)
        .collect();
    if walls.len() > SEARCH_OBSTACLES {
        return None;
    }
    let ports_of = |r: &Rect| -> Vec<(Side, Point, Point)> {
        Side::ALL
            .iter()
            .map(|s| {
                let (on, out) = s.port(r);
                (*s, on, out)
            })
            .collect()
    };
    let (starts, goals) = (ports_of(from), ports_of(to));
    let ports: Vec<Point> = starts
        .iter()
        .chain(&goals)
        .map(|(_, _, out)| *out)
        .collect();
    let grid = Grid::new(walls, window, &ports);
    let (nx, ny) = (grid.xs.len(), grid.ys.len());
    let at = |i: usize, j: usize| Point::new(grid.xs[i], grid.ys[j]);
    // A state is a grid point and the axis it was reached along: `(j * nx + i) * 2 + axis`.
    let state = |i: usize, j: usize, horizontal: bool| (j * nx + i) * 2 + usize::from(horizontal);
    let mut goal_side: Vec<Option<(Side, Point)>> = vec![None; nx * ny];
    for (side, on, out) in &goals {
        if let (Some(i), Some(j)) = (Grid::index(&grid.xs, out.x), Grid::index(&grid.ys, out.y)) {
            goal_side[j * nx + i] = Some((*side, *on));
        }
    }
    // Costs in tenths of a unit, so that the queue orders integers; the estimate is
    // weighted a little, which finds a near-shortest route visiting far fewer states.
    let units = |v: f32| (v * 10.0).round() as u64;
    let estimate = |p: Point| {
        let nearest = goals
            .iter()
            .map(|(_, _, g)| (p.x - g.x).abs() + (p.y - g.y).abs())
            .fold(f32::INFINITY, f32::min);
        units(nearest * 1.2)
    };
    let mut best = vec![u64::MAX; nx * ny * 2];
    let mut came = vec![usize::MAX; nx * ny * 2];
    let mut queue = BinaryHeap::new();
    for (side, _, out) in &starts {
        let (Some(i), Some(j)) = (Grid::index(&grid.xs, out.x), Grid::index(&grid.ys, out.y))
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
        let facing = if side.faces(from, to) { 0.0 } else { BEND };
        let g = units(CLEARANCE + facing);
        let s = state(i, j, side.horizontal());
        if g < best[s] {
            best[s] = g;
            queue.push(Reverse((
                g + estimate(*out),
                g,
                s,
                Side::ALL.iter().position(|x| x == side).unwrap_or(0),
            )));
        }
    }
    let mut visited = 0;
    while let Some(Reverse((_, g, s, first))) = queue.pop() {
        if g > best[s] {
            continue;
        }
        visited += 1;
        if visited > SEARCH_LIMIT {
            return None;
        }
        let horizontal = s % 2 == 1;
        let (i, j) = ((s / 2) % nx, (s / 2) / nx);
        if let Some((side, on)) = goal_side[j * nx + i]
            && horizontal == side.horizontal()
        {
            let mut points = vec![on, at(i, j)];
            let mut back = s;
            while came[back] != usize::MAX {
                back = came[back];
                points.push(at((back / 2) % nx, (back / 2) / nx));
            }
            points.push(starts[first].1);
            points.reverse();
            return Some(simplify(points));
        }
        let here = at(i, j);
        let steps = [
            (i.wrapping_sub(1), j, true),
            (i + 1, j, true),
            (i, j.wrapping_sub(1), false),
            (i, j + 1, false),
        ];
        for (i2, j2, along_x) in steps {
            if i2 >= nx || j2 >= ny || !grid.open(i, j, i2, j2) {
                continue;
            }
            let there = at(i2, j2);
            let bend = if along_x == horizontal { 0.0 } else { BEND };
            let step = (here.x - there.x).abs() + (here.y - there.y).abs();
            let g2 = g + units(step + bend);
            let next = state(i2, j2, along_x);
            if g2 < best[next] {
                best[next] = g2;
                came[next] = s;
                queue.push(Reverse((g2 + estimate(there), g2, next, first)));
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
