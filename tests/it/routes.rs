//! Link routes on the shipped templates: no route passes through a card it does not
//! connect, and a moved card re-routes only the links it touches or crosses.

use cloudcanvas::layout::routes::Routes;
use cloudcanvas::model::catalog::catalog;
use cloudcanvas::model::geom::{Point, Rect};

/// Whether the axis-aligned segment `a`–`b` enters the inside of `r`; running along its
/// border does not count.
fn enters(a: Point, b: Point, r: &Rect) -> bool {
    let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
    let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
    x0 < r.right() - 0.5 && x1 > r.x + 0.5 && y0 < r.bottom() - 0.5 && y1 > r.y + 0.5
}

#[test]
fn no_route_of_any_template_passes_through_a_card_it_does_not_connect() {
    let mut crossings = Vec::new();
    for (template, diagram) in cloudcanvas::library::templates::loaded() {
        let routes = Routes::of(diagram);
        for link in diagram.links() {
            let points = routes
                .get(&link.from, &link.to, link.kind)
                .unwrap_or_else(|| {
                    panic!("{}: {} → {} is routed", template.name, link.from, link.to)
                });
            assert!(
                points
                    .windows(2)
                    .all(|w| w[0].x == w[1].x || w[0].y == w[1].y),
                "{}: {} → {} runs in straight horizontal and vertical lines: {points:?}",
                template.name,
                link.from,
                link.to
            );
            for card in diagram.resources().filter(|r| {
                !catalog().is_container(r.kind()) && r.id != link.from && r.id != link.to
            }) {
                if points.windows(2).any(|w| enters(w[0], w[1], &card.rect)) {
                    crossings.push(format!(
                        "{}: {} → {} crosses {}",
                        template.name, link.from, link.to, card.id
                    ));
                }
            }
        }
    }
    assert!(crossings.is_empty(), "{crossings:#?}");
}

fn three_tier() -> cloudcanvas::model::Diagram {
    cloudcanvas::library::templates::loaded()
        .iter()
        .find(|(t, _)| t.name == "three-tier")
        .map(|(_, d)| d.clone())
        .unwrap()
}

#[test]
fn a_nudged_card_re_routes_only_its_own_links() {
    let mut diagram = three_tier();
    let mut routes = Routes::of(&diagram);
    let before: Vec<Vec<Point>> = diagram
        .links()
        .iter()
        .map(|l| routes.get(&l.from, &l.to, l.kind).unwrap().to_vec())
        .collect();
    let users = cloudcanvas::model::ResourceId::new("users").unwrap();
    diagram
        .translate(std::slice::from_ref(&users), -6.0, 0.0)
        .unwrap();
    let own = diagram
        .links()
        .iter()
        .filter(|l| l.from == users || l.to == users)
        .count();
    assert_eq!(
        routes.update(&diagram),
        own,
        "users → dns alone is routed again"
    );
    for (link, old) in diagram.links().iter().zip(&before) {
        let now = routes.get(&link.from, &link.to, link.kind).unwrap();
        if link.from != users && link.to != users {
            assert_eq!(now, old.as_slice(), "{} → {} kept", link.from, link.to);
        }
    }
    assert_eq!(routes.update(&diagram), 0, "nothing moved since");
}

#[test]
fn a_card_dropped_across_a_route_sends_that_link_round_it() {
    let mut diagram = three_tier();
    let mut routes = Routes::of(&diagram);
    let (from, to) = (
        cloudcanvas::model::ResourceId::new("users").unwrap(),
        cloudcanvas::model::ResourceId::new("dns").unwrap(),
    );
    let kind = cloudcanvas::model::LinkKind::Traffic;
    let route = routes.get(&from, &to, kind).unwrap().to_vec();
    // Move the IAM role's card onto the middle of the users → DNS route.
    let (a, b) = (route[0], route[route.len() - 1]);
    let middle = Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let role = cloudcanvas::model::ResourceId::new("app-role").unwrap();
    let card = diagram.resource("app-role").unwrap().rect;
    diagram
        .translate(
            std::slice::from_ref(&role),
            middle.x - card.w / 2.0 - card.x,
            middle.y - card.h / 2.0 - card.y,
        )
        .unwrap();
    assert!(routes.update(&diagram) >= 1);
    let moved = diagram.resource("app-role").unwrap().rect;
    let now = routes.get(&from, &to, kind).unwrap();
    assert!(
        now.windows(2).all(|w| !enters(w[0], w[1], &moved)),
        "the route goes round the role's card now at {moved:?}: {now:?}"
    );
}
