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
