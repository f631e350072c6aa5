use super::*;

fn card(x: f32, y: f32) -> Rect {
    Rect::new(x, y, 100.0, 80.0)
}

fn obstacles(cards: &[Rect]) -> Obstacles {
    Obstacles::new(
        cards
            .iter()
            .enumerate()
            .map(|(owner, rect)| Obstacle { rect: *rect, owner })
            .collect(),
    )
}

/// Whether an axis-aligned segment enters the inside of `r` (touching its border is not).
fn enters(a: Point, b: Point, r: &Rect) -> bool {
    let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
    let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
    x0 < r.right() && x1 > r.x && y0 < r.bottom() && y1 > r.y
}

fn orthogonal(points: &[Point]) -> bool {
    points
        .windows(2)
        .all(|w| (w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01)
}

#[test]
fn with_nothing_between_two_cards_a_link_runs_straight_between_their_facing_sides() {
    let cards = [card(0.0, 0.0), card(300.0, 0.0)];
    let points = route(&obstacles(&cards), &cards[0], &cards[1], [0, 1]);
    assert_eq!(
        points,
        vec![Point::new(100.0, 40.0), Point::new(300.0, 40.0)]
    );
}

#[test]
fn a_card_in_the_way_is_gone_round_with_clearance_and_no_diagonal() {
    // Three cards in a row: the link from the first to the third passes the middle one.
    let cards = [card(0.0, 0.0), card(200.0, 0.0), card(400.0, 0.0)];
    let points = route(&obstacles(&cards), &cards[0], &cards[2], [0, 2]);
    assert!(orthogonal(&points), "{points:?}");
    let middle = cards[1].expanded(CLEARANCE - 1.0);
    assert!(
        points.windows(2).all(|w| !enters(w[0], w[1], &middle)),
        "keeps clear of the middle card: {points:?}"
    );
    // It leaves the first card and reaches the third on their borders.
    let (first, last) = (points[0], points[points.len() - 1]);
    assert!(cards[0].contains(first) && !cards[0].expanded(-1.0).contains(first));
    assert!(cards[2].contains(last) && !cards[2].expanded(-1.0).contains(last));
    // Over or under the middle card: the shortest way round has four bends at most.
    assert!(points.len() <= 6, "{points:?}");
}

#[test]
fn a_link_threads_a_gap_between_two_cards_rather_than_going_round_both() {
    // A wall of two cards with a gap wide enough for the route and its clearance.
    let cards = [
        card(0.0, 100.0),
        card(200.0, 0.0),
        card(200.0, 200.0),
        card(400.0, 100.0),
    ];
    let points = route(&obstacles(&cards), &cards[0], &cards[3], [0, 3]);
    assert_eq!(
        points,
        vec![Point::new(100.0, 140.0), Point::new(400.0, 140.0)],
        "straight through the gap at y 140, between 80 and 200"
    );
}

#[test]
fn a_boxed_in_card_still_gets_a_route_and_the_search_ends() {
    // The target is walled in on all sides: no way in avoids every wall.
    let target = card(400.0, 400.0);
    let mut cards = vec![card(0.0, 0.0), target];
    for (dx, dy) in [(-110.0, 0.0), (110.0, 0.0), (0.0, -90.0), (0.0, 90.0)] {
        cards.push(Rect::new(
            target.x + dx - 20.0,
            target.y + dy - 20.0,
            140.0,
            120.0,
        ));
    }
    let points = route(&obstacles(&cards), &cards[0], &cards[1], [0, 1]);
    assert!(points.len() >= 2 && orthogonal(&points), "{points:?}");
}

#[test]
fn simplify_drops_points_in_the_middle_of_straight_runs() {
    let points = simplify(vec![
        Point::new(0.0, 0.0),
        Point::new(5.0, 0.0),
        Point::new(10.0, 0.0),
        Point::new(10.0, 0.0),
        Point::new(10.0, 7.0),
    ]);
    assert_eq!(
        points,
        vec![
            Point::new(0.0, 0.0),
            Point::new(10.0, 0.0),
            Point::new(10.0, 7.0)
        ]
    );
}
