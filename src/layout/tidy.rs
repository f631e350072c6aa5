//! The finishing touches a diagramming tool gives routes once each is found: links sharing a
//! side of a card leave it at points spread along the side, links running along the same
//! line are set apart, and where a horizontal run crosses another link's vertical run it
//! jumps over it.

use std::collections::HashMap;

use super::route::{Obstacles, is_free, simplify};
use crate::model::geom::{Point, Rect};

/// Whether a route moved from `old` to `new` (as many points, some moved along their
/// runs) keeps clear of obstacles where it changed: a run whose two ends moved is checked
/// whole, a run with one end moved only over the stretch it grew or shrank by.
fn change_free(obstacles: &Obstacles, old: &[Point], new: &[Point], owners: [usize; 2]) -> bool {
    (0..new.len().saturating_sub(1)).all(|k| {
        let moved = |i: usize| old[i] != new[i];
        match (moved(k), moved(k + 1)) {
            (true, true) => is_free(obstacles, &new[k..=k + 1], owners),
            (true, false) => is_free(obstacles, &[old[k], new[k]], owners),
            (false, true) => is_free(obstacles, &[old[k + 1], new[k + 1]], owners),
            (false, false) => true,
        }
    })
}

/// How far apart links running along the same line are set.
pub const LANE: f32 = 7.0;
/// The radius of a line jump.
pub const JUMP: f32 = 5.0;

/// One link to tidy: its route, the rectangles of its two ends and their obstacle owners.
pub struct Raw<'a> {
    /// The route found for it.
    pub points: &'a [Point],
    /// Where it starts and ends.
    pub ends: (Rect, Rect),
    /// The ends' owners among the obstacles.
    pub owners: [usize; 2],
}

/// A side of a rectangle, named by where a point on its border lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

fn side_of(r: &Rect, p: Point) -> Option<Side> {
    let near = |a: f32, b: f32| (a - b).abs() < 0.5;
    if near(p.x, r.x) {
        Some(Side::Left)
    } else if near(p.x, r.right()) {
        Some(Side::Right)
    } else if near(p.y, r.y) {
        Some(Side::Top)
    } else if near(p.y, r.bottom()) {
        Some(Side::Bottom)
    } else {
        None
    }
}

/// Tidied routes, one per raw route, in order.
pub fn tidy(raw: &[Raw<'_>], obstacles: &Obstacles) -> Vec<Vec<Point>> {
    let mut routes: Vec<Vec<Point>> = raw.iter().map(|r| jogged(r.points)).collect();
    spread_ports(raw, &mut routes, obstacles);
    set_apart(raw, &mut routes, obstacles);
    routes.into_iter().map(simplify).collect()
}

/// A straight two-point route as four points (a jog of zero width halfway), so that each
/// of its ends can move along its side on its own.
fn jogged(points: &[Point]) -> Vec<Point> {
    match points {
        [a, b] if (a.y - b.y).abs() < 0.01 && (a.x - b.x).abs() > 0.01 => {
            let mid = (a.x + b.x) / 2.0;
            vec![*a, Point::new(mid, a.y), Point::new(mid, b.y), *b]
        }
        [a, b] if (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() > 0.01 => {
            let mid = (a.y + b.y) / 2.0;
            vec![*a, Point::new(a.x, mid), Point::new(b.x, mid), *b]
        }
        _ => points.to_vec(),
    }
}

/// A link attached to a side of a card: the route, whether at its start, and where it
/// heads along the side.
type Attached = (usize, bool, f32);

/// Spreads the links that leave or enter the same side of a card along it, in the order
/// of where they head, so that they neither overlap nor cross at the card.
fn spread_ports(raw: &[Raw<'_>], routes: &mut [Vec<Point>], obstacles: &Obstacles) {
    // (owner, side) → the links attached there.
    let mut groups: HashMap<(usize, Side), Vec<Attached>> = HashMap::new();
    for (i, (r, points)) in raw.iter().zip(routes.iter()).enumerate() {
        if points.len() < 3 {
            continue;
        }
        let n = points.len();
        for (start, rect, owner, at, toward) in [
            (true, r.ends.0, r.owners[0], points[0], points[2.min(n - 1)]),
            (
                false,
                r.ends.1,
                r.owners[1],
                points[n - 1],
                points[n.saturating_sub(3)],
            ),
        ] {
            if let Some(side) = side_of(&rect, at) {
                let key = match side {
                    Side::Left | Side::Right => toward.y,
                    Side::Top | Side::Bottom => toward.x,
                };
                groups
                    .entry((owner, side))
                    .or_default()
                    .push((i, start, key));
            }
        }
    }
    for ((_, side), mut members) in groups {
        if members.len() < 2 {
            continue;
        }
        members.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
        let n = members.len() as f32;
        for (k, (i, start, _)) in members.iter().enumerate() {
            let rect = if *start {
                raw[*i].ends.0
            } else {
                raw[*i].ends.1
            };
            let share = (k as f32 + 1.0) / (n + 1.0);
            let points = &mut routes[*i];
            let len = points.len();
            let (a, b) = if *start { (0, 1) } else { (len - 1, len - 2) };
            let mut moved = points.clone();
            match side {
                Side::Left | Side::Right => {
                    let y = rect.y + rect.h * share;
                    moved[a].y = y;
                    moved[b].y = y;
                }
                Side::Top | Side::Bottom => {
                    let x = rect.x + rect.w * share;
                    moved[a].x = x;
                    moved[b].x = x;
                }
            }
            if change_free(obstacles, points, &moved, raw[*i].owners) {
                *points = moved;
            }
        }
    }
}

/// A run of a route between two of its bends, horizontal or vertical.
struct Run {
    route: usize,
    /// Index of its first point in the route.
    at: usize,
    /// Its fixed coordinate (y of a horizontal run, x of a vertical one).
    line: f32,
    from: f32,
    to: f32,
    /// Where the route heads before and after it, to order lanes without crossings.
    heading: f32,
}

/// Sets apart the runs of different links that lie along the same line and overlap.
fn set_apart(raw: &[Raw<'_>], routes: &mut [Vec<Point>], obstacles: &Obstacles) {
    for horizontal in [true, false] {
        let mut lines: HashMap<i64, Vec<Run>> = HashMap::new();
        for (route, points) in routes.iter().enumerate() {
            // Runs between two bends only: the first and last touch their cards.
            for at in 1..points.len().saturating_sub(2) {
                let (p, q) = (points[at], points[at + 1]);
                let is_horizontal = (p.y - q.y).abs() < 0.01;
                if is_horizontal != horizontal {
                    continue;
                }
                let (line, a, b, before, after) = if horizontal {
                    (p.y, p.x, q.x, points[at - 1].y, points[at + 2].y)
                } else {
                    (p.x, p.y, q.y, points[at - 1].x, points[at + 2].x)
                };
                lines.entry(line.round() as i64).or_default().push(Run {
                    route,
                    at,
                    line,
                    from: a.min(b),
                    to: a.max(b),
                    heading: (before + after) / 2.0,
                });
            }
        }
        for (_, mut runs) in lines {
            if runs.len() < 2 {
                continue;
            }
            runs.sort_by(|a, b| a.from.total_cmp(&b.from));
            // Clusters of runs that overlap one another along the line.
            let mut cluster: Vec<Run> = Vec::new();
            let mut reach = f32::MIN;
            let mut clusters: Vec<Vec<Run>> = Vec::new();
            for run in runs {
                if run.from >= reach - 0.01 && !cluster.is_empty() {
                    clusters.push(std::mem::take(&mut cluster));
                }
                reach = reach.max(run.to);
                cluster.push(run);
            }
            clusters.push(cluster);
            for mut cluster in clusters.into_iter().filter(|c| c.len() > 1) {
                cluster.sort_by(|a, b| a.heading.total_cmp(&b.heading).then(a.route.cmp(&b.route)));
                let middle = (cluster.len() as f32 - 1.0) / 2.0;
                for (k, run) in cluster.iter().enumerate() {
                    let offset = (k as f32 - middle) * LANE;
                    let mut moved = routes[run.route].clone();
                    for p in &mut moved[run.at..=run.at + 1] {
                        if horizontal {
                            p.y = run.line + offset;
                        } else {
                            p.x = run.line + offset;
                        }
                    }
                    if change_free(obstacles, &routes[run.route], &moved, raw[run.route].owners) {
                        routes[run.route] = moved;
                    }
                }
            }
        }
    }
}

/// A vertical run: its route, its x, and the top and bottom it spans.
type Vertical = (usize, f32, f32, f32);

/// Above this many crossings in a drawing, no link jumps: hops would not make such a tangle
/// readable, and finding them all would cost more than the rest of the drawing.
pub const MAX_JUMPS: usize = 20_000;

/// Where each route's horizontal runs cross another route's vertical runs (strictly inside
/// both), where the horizontal one jumps; none at all past [`MAX_JUMPS`].
pub fn jumps(routes: &[&[Point]]) -> Vec<Vec<Point>> {
    const CELL: f32 = 128.0;
    let cell = |v: f32| (v / CELL).floor() as i64;
    // Vertical runs by the cell of their x and each cell row they pass.
    let mut verticals: HashMap<(i64, i64), Vec<Vertical>> = HashMap::new();
    for (route, points) in routes.iter().enumerate() {
        for w in points.windows(2) {
            let (p, q) = (w[0], w[1]);
            if (p.x - q.x).abs() < 0.01 && (p.y - q.y).abs() > 0.01 {
                let (y0, y1) = (p.y.min(q.y), p.y.max(q.y));
                for row in cell(y0)..=cell(y1) {
                    verticals
                        .entry((cell(p.x), row))
                        .or_default()
                        .push((route, p.x, y0, y1));
                }
            }
        }
    }
    let mut total = 0;
    let mut out = Vec::with_capacity(routes.len());
    for (route, points) in routes.iter().enumerate() {
        out.push({
            let mut found = Vec::new();
            for w in points.windows(2) {
                let (p, q) = (w[0], w[1]);
                if (p.y - q.y).abs() > 0.01 || (p.x - q.x).abs() < 0.01 {
                    continue;
                }
                let (x0, x1) = (p.x.min(q.x), p.x.max(q.x));
                let mut here: Vec<Point> = Vec::new();
                for column in cell(x0)..=cell(x1) {
                    for &(other, x, y0, y1) in
                        verticals.get(&(column, cell(p.y))).into_iter().flatten()
                    {
                        let inside =
                            x > x0 + JUMP && x < x1 - JUMP && p.y > y0 + 0.5 && p.y < y1 - 0.5;
                        if other != route && inside {
                            here.push(Point::new(x, p.y));
                        }
                    }
                }
                // Along the run's direction, so that the drawing meets them in order.
                here.sort_by(|a, b| a.x.total_cmp(&b.x));
                if q.x < p.x {
                    here.reverse();
                }
                here.dedup_by(|a, b| (a.x - b.x).abs() < 2.0 * JUMP);
                total += here.len();
                if total > MAX_JUMPS {
                    return vec![Vec::new(); routes.len()];
                }
                found.extend(here);
            }
            found
        });
    }
    out
}

/// Where a link's label goes: the middle of the longest run of its route (without hops),
/// where there is most room.
pub fn label_point(points: &[Point]) -> Option<Point> {
    let length = |w: &[Point]| (w[0].x - w[1].x).abs() + (w[0].y - w[1].y).abs();
    points
        .windows(2)
        .max_by(|a, b| length(a).total_cmp(&length(b)))
        .map(|w| Point::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0))
}

/// `points` drawn with a half-circle hop of radius `radius` at each jump (which must lie on
/// its horizontal runs, in order): the polyline the canvas and the SVG draw.
pub fn with_jumps(points: &[Point], jumps: &[Point], radius: f32) -> Vec<Point> {
    if jumps.is_empty() {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len() + jumps.len() * 9);
    let mut pending = jumps.iter().peekable();
    for w in points.windows(2) {
        let (p, q) = (w[0], w[1]);
        out.push(p);
        if (p.y - q.y).abs() > 0.01 {
            continue;
        }
        let dir = if q.x >= p.x { 1.0 } else { -1.0 };
        while let Some(j) = pending.peek() {
            let on_run =
                (j.y - p.y).abs() < 0.01 && (j.x - p.x) * dir > 0.0 && (q.x - j.x) * dir > 0.0;
            if !on_run {
                break;
            }
            for step in 0..=8 {
                let angle = std::f32::consts::PI * step as f32 / 8.0;
                out.push(Point::new(
                    j.x - dir * radius * angle.cos(),
                    j.y - radius * angle.sin(),
                ));
            }
            pending.next();
        }
    }
    out.extend(points.last());
    out
}

#[cfg(test)]
#[path = "tidy_tests.rs"]
mod tests;
