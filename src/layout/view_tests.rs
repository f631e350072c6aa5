use super::*;
use crate::library::templates;

fn demo() -> Diagram {
    templates::find("employee-directory")
        .unwrap()
        .load()
        .unwrap()
}

#[test]
fn camera_round_trips_and_zooms_about_the_pointer() {
    let viewport = Rect::new(100.0, 50.0, 800.0, 600.0);
    let mut camera = Camera {
        center: Point::new(10.0, 20.0),
        zoom: 2.0,
    };
    let world = Point::new(33.0, -7.0);
    let back = camera.to_world(camera.to_screen(world, &viewport), &viewport);
    assert!((back.x - world.x).abs() < 1e-4 && (back.y - world.y).abs() < 1e-4);
    let pointer = Point::new(300.0, 200.0);
    let under = camera.to_world(pointer, &viewport);
    camera.zoom_about(pointer, &viewport, 1.7);
    let after = camera.to_world(pointer, &viewport);
    assert!((under.x - after.x).abs() < 1e-3 && (under.y - after.y).abs() < 1e-3);
    camera.zoom_about(pointer, &viewport, 1e9);
    assert_eq!(camera.zoom, MAX_ZOOM);
    camera.zoom_about(pointer, &viewport, f32::NAN);
    assert_eq!(camera.zoom, MAX_ZOOM, "nonsense factors are ignored");
}

#[test]
fn fit_shows_the_whole_world_rect() {
    let world = Rect::new(0.0, 0.0, 2000.0, 1000.0);
    let camera = Camera::fit(&world, 1000.0, 800.0);
    let viewport = Rect::new(0.0, 0.0, 1000.0, 800.0);
    assert!(camera.visible_world(&viewport).contains_rect(&world));
}

#[test]
fn nodes_win_over_containers_and_inner_containers_over_outer() {
    let d = demo();
    let alb = d.resource("alb").unwrap().rect;
    assert_eq!(
        hit_test(&d, alb.center(), 10.0).unwrap(),
        Hit {
            id: ResourceId::new("alb").unwrap(),
            part: Part::Node
        }
    );
    let subnet = d.resource("private-a").unwrap().rect;
    let inside = Point::new(subnet.right() - 30.0, subnet.bottom() - 30.0);
    let hit = hit_test(&d, inside, 10.0).unwrap();
    assert_eq!((hit.id.as_str(), hit.part), ("private-a", Part::Body));
    let header = Point::new(subnet.x + 5.0, subnet.y + 5.0);
    assert_eq!(hit_test(&d, header, 10.0).unwrap().part, Part::Header);
    let corner = Point::new(subnet.right() - 2.0, subnet.bottom() - 2.0);
    assert_eq!(hit_test(&d, corner, 10.0).unwrap().part, Part::ResizeCorner);
    assert_eq!(hit_test(&d, Point::new(-5000.0, -5000.0), 10.0), None);
}

#[test]
fn drops_go_to_the_innermost_container_that_may_hold_the_kind() {
    let d = demo();
    let subnet = d.resource("private-a").unwrap().rect;
    let inside = Point::new(subnet.right() - 30.0, subnet.bottom() - 30.0);
    assert_eq!(
        drop_parent(&d, inside, Kind::Ec2Instance, &[])
            .unwrap()
            .unwrap()
            .as_str(),
        "private-a"
    );
    assert_eq!(
        drop_parent(&d, inside, Kind::S3Bucket, &[])
            .unwrap()
            .unwrap()
            .as_str(),
        "region"
    );
    assert_eq!(
        drop_parent(&d, inside, Kind::SecurityGroup, &[])
            .unwrap()
            .unwrap()
            .as_str(),
        "vpc"
    );
    let outside = Point::new(-5000.0, -5000.0);
    assert_eq!(
        drop_parent(&d, outside, Kind::Route53HostedZone, &[]),
        Ok(None)
    );
    let refused = drop_parent(&d, outside, Kind::Vpc, &[]).unwrap_err();
    assert_eq!(refused, "A VPC may sit in a Region");
    let vpc = ResourceId::new("vpc").unwrap();
    assert_eq!(
        drop_parent(&d, inside, Kind::Ec2Instance, &[vpc]).unwrap_err(),
        "An EC2 instance may sit in a Subnet",
        "a container being moved cannot receive its own contents"
    );
}

#[test]
fn containers_grow_to_hold_a_moved_child() {
    let mut d = demo();
    let id = ResourceId::new("nat-a").unwrap();
    let far = d.resource("nat-a").unwrap().rect.translated(0.0, 2000.0);
    d.set_rect(&id, far).unwrap();
    let changes = grow_ancestors(&d, "nat-a");
    let ids: Vec<&str> = changes.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["public-a", "az-a", "vpc", "region"]);
    for (id, rect) in &changes {
        d.set_rect(id, *rect).unwrap();
    }
    let parent = d.resource("public-a").unwrap().rect;
    assert!(parent.contains_rect(&far));
    assert!(
        grow_ancestors(&d, "nat-a").is_empty(),
        "nothing more to grow"
    );
    assert!(
        min_container_rect(&d, "public-a")
            .unwrap()
            .contains_rect(&far)
    );
}

#[test]
fn link_routes_leave_facing_sides_and_are_hit_near_the_line() {
    let a = Rect::new(0.0, 0.0, 100.0, 80.0);
    let b = Rect::new(300.0, 200.0, 100.0, 80.0);
    let route = link_route(&a, &b);
    assert_eq!(route.first().copied(), Some(Point::new(100.0, 40.0)));
    assert_eq!(route.last().copied(), Some(Point::new(300.0, 240.0)));
    assert!(
        route
            .windows(2)
            .all(|w| w[0].x == w[1].x || w[0].y == w[1].y),
        "orthogonal"
    );
    assert!(distance_to_route(Point::new(200.0, 140.0), &route) < 1.0);
    assert!(distance_to_route(Point::new(0.0, 300.0), &route) > 50.0);
    let below = Rect::new(0.0, 300.0, 100.0, 80.0);
    let down = link_route(&a, &below);
    assert_eq!(
        (down[0], *down.last().unwrap()),
        (Point::new(50.0, 80.0), Point::new(50.0, 300.0))
    );
    assert_eq!(snap(47.0, 20.0), 40.0);
}
