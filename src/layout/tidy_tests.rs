use super::*;
use crate::layout::route::Obstacle;

fn card(x: f32, y: f32) -> Rect {
    Rect::new(x, y, 100.0, 80.0)
}

#[test]
fn three_links_leaving_one_side_leave_at_a_quarter_a_half_and_three_quarters() {
    // A hub at the left, three cards to the right at different heights.
    let hub = card(0.0, 100.0);
    let targets = [card(300.0, 0.0), card(300.0, 100.0), card(300.0, 200.0)];
    let mut list = vec![Obstacle {
        rect: hub,
        owner: 0,
    }];
    list.extend(targets.iter().enumerate().map(|(i, r)| Obstacle {
        rect: *r,
        owner: i + 1,
    }));
    let obstacles = Obstacles::new(list);
    let found: Vec<Vec<Point>> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| super::super::route::route(&obstacles, &hub, t, [0, i + 1]))
        .collect();
    let raw: Vec<Raw<'_>> = found
        .iter()
        .zip(&targets)
        .enumerate()
        .map(|(i, (points, t))| Raw {
            points,
            ends: (hub, *t),
            owners: [0, i + 1],
        })
        .collect();
    let tidied = tidy(&raw, &obstacles);
    let starts: Vec<Point> = tidied.iter().map(|p| p[0]).collect();
    // Ordered as the targets lie (top first), at 1/4, 2/4 and 3/4 of the hub's right side.
    assert_eq!(
        starts,
        vec![
            Point::new(100.0, 120.0),
            Point::new(100.0, 140.0),
            Point::new(100.0, 160.0)
        ]
    );
    for points in &tidied {
        assert!(
            points
                .windows(2)
                .all(|w| w[0].x == w[1].x || w[0].y == w[1].y),
            "{points:?}"
        );
    }
}

#[test]
fn two_links_along_the_same_line_are_set_a_lane_apart() {
    // Two routes sharing the vertical run at x = 200 between their bends.
    let a: Vec<Point> = vec![
        Point::new(0.0, 0.0),
        Point::new(200.0, 0.0),
        Point::new(200.0, 300.0),
        Point::new(400.0, 300.0),
    ];
    let b: Vec<Point> = vec![
        Point::new(0.0, 100.0),
        Point::new(200.0, 100.0),
        Point::new(200.0, 400.0),
        Point::new(400.0, 400.0),
    ];
    let far = Rect::new(-500.0, -500.0, 1.0, 1.0);
    let raw = [
        Raw {
            points: &a,
            ends: (far, far),
            owners: [0, 1],
        },
        Raw {
            points: &b,
            ends: (far, far),
            owners: [2, 3],
        },
    ];
    let tidied = tidy(&raw, &Obstacles::new(Vec::new()));
    let xs: Vec<f32> = tidied.iter().map(|p| p[1].x).collect();
    assert_eq!((xs[0] - xs[1]).abs(), LANE, "{tidied:?}");
}

#[test]
fn a_horizontal_run_jumps_a_vertical_run_it_crosses_and_the_drawing_hops_there() {
    let across = vec![Point::new(0.0, 50.0), Point::new(100.0, 50.0)];
    let down = vec![Point::new(40.0, 0.0), Point::new(40.0, 100.0)];
    let found = jumps(&[&across, &down]);
    assert_eq!(found[0], vec![Point::new(40.0, 50.0)]);
    assert!(found[1].is_empty(), "the vertical one runs straight on");
    let drawn = with_jumps(&across, &found[0], JUMP);
    let top = drawn.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
    assert!(
        (top - (50.0 - JUMP)).abs() < 0.01,
        "hops {JUMP} up: {drawn:?}"
    );
    assert_eq!(drawn.first(), across.first());
    assert_eq!(drawn.last(), across.last());
}
