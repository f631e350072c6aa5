use super::*;
use crate::library::templates;
use crate::model::{Config, Kind};

fn id(s: &str) -> ResourceId {
    ResourceId::new(s).unwrap()
}

fn demo() -> Diagram {
    templates::find("employee-directory")
        .unwrap()
        .load()
        .unwrap()
}

#[test]
fn copying_a_container_takes_its_contents_and_inner_links() {
    let d = demo();
    let clip = copy(&d, &[id("az-a")]);
    let ids: Vec<&str> = clip.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["az-a", "public-a", "private-a", "nat-a"]);
    assert!(clip.links.is_empty());
    let clip = copy(&d, &[id("users"), id("alb")]);
    assert_eq!(clip.links.len(), 1);
}

#[test]
fn paste_makes_fresh_ids_and_remaps_parents_links_and_references() {
    let mut d = demo();
    let clip = copy(&d, &[id("az-a")]);
    let roots = paste(&mut d, &clip, 40.0, 40.0);
    assert_eq!(roots, [id("az-a-2")]);
    let subnet = d.resource("public-a-2").unwrap();
    assert_eq!(subnet.parent.as_ref().unwrap().as_str(), "az-a-2");
    assert_eq!(
        d.resource("nat-a-2")
            .unwrap()
            .parent
            .as_ref()
            .unwrap()
            .as_str(),
        "public-a-2"
    );
    assert!(d.problems().is_empty());
    let before = d.links().len();
    let clip = copy(&d, &[id("users"), id("alb")]);
    paste(&mut d, &clip, 10.0, 0.0);
    assert_eq!(d.links().len(), before + 1);
    assert!(
        d.links()
            .iter()
            .any(|l| l.from.as_str() == "users-2" && l.to.as_str() == "alb-2")
    );
    let Config::ApplicationLoadBalancer(alb) = &d.resource("alb-2").unwrap().config else {
        panic!()
    };
    assert_eq!(
        alb.subnets,
        [id("public-a"), id("public-b")],
        "references to resources not copied stay"
    );
}

#[test]
fn references_inside_the_copy_point_at_the_copies() {
    let mut d = demo();
    let clip = copy(&d, &[id("vpc")]);
    paste(&mut d, &clip, 0.0, 2000.0);
    let Config::AutoScalingGroup(asg) = &d.resource("app-asg-2").unwrap().config else {
        panic!()
    };
    assert_eq!(asg.subnets, [id("private-a-2"), id("private-b-2")]);
    let Config::SecurityGroup(sg) = &d.resource("app-sg-2").unwrap().config else {
        panic!()
    };
    assert!(
        matches!(&sg.inbound[0].source, crate::model::config::network::RuleSource::SecurityGroup(g) if g.as_str() == "alb-sg-2")
    );
    assert!(d.problems().is_empty());
}

#[test]
fn cut_and_paste_keeps_references_between_the_pasted_resources() {
    let mut d = demo();
    let clip = copy(&d, &[id("vpc")]);
    d.remove(&id("vpc")).unwrap();
    let roots = paste(&mut d, &clip, 0.0, 0.0);
    assert_eq!(roots, [id("vpc")], "the freed ids are reused");
    let Config::AutoScalingGroup(asg) = &d.resource("app-asg").unwrap().config else {
        panic!()
    };
    assert_eq!(asg.subnets, [id("private-a"), id("private-b")]);
    let Config::Subnet(subnet) = &d.resource("public-a").unwrap().config else {
        panic!()
    };
    assert_eq!(subnet.route_table.as_ref().unwrap().as_str(), "public-rt");
    assert!(d.problems().is_empty());
}

#[test]
fn pasting_twice_never_collides() {
    let mut d = demo();
    let clip = copy(&d, &[id("az-a"), id("az-b")]);
    paste(&mut d, &clip, 10.0, 10.0);
    paste(&mut d, &clip, 20.0, 20.0);
    assert!(d.contains("public-a-3") && d.contains("public-b-3"));
    assert!(d.problems().is_empty());
}

#[test]
fn align_and_distribute_compute_moves() {
    let mut d = Diagram::new("x");
    for (i, x) in [0.0, 100.0, 400.0].into_iter().enumerate() {
        let mut r = crate::model::Resource::new(id(&format!("u{i}")), Kind::Users);
        r.rect = Rect::new(x, i as f32 * 10.0, 50.0, 50.0);
        d.add(r).unwrap();
    }
    let ids = [id("u0"), id("u1"), id("u2")];
    let moves = align(&d, &ids, Alignment::Top);
    assert_eq!(moves, [(id("u1"), 0.0, -10.0), (id("u2"), 0.0, -20.0)]);
    let moves = distribute(&d, &ids, Axis::Horizontal);
    assert_eq!(moves, [(id("u1"), 100.0, 0.0)]);
    assert!(distribute(&d, &ids[..2], Axis::Vertical).is_empty());
}
