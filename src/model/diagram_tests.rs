use super::*;
use crate::model::config::compute::AutoScalingGroup;
use crate::model::config::network::{Route, RouteTable, Subnet};

fn id(s: &str) -> ResourceId {
    ResourceId::new(s).unwrap()
}

/// Region > VPC > AZ > subnet > instance, plus an ALB.
fn small() -> Diagram {
    let mut d = Diagram::new("test");
    d.add(Resource::new(id("region"), Kind::Region)).unwrap();
    d.add(Resource::new(id("vpc"), Kind::Vpc).in_parent(&id("region")))
        .unwrap();
    d.add(Resource::new(id("az-a"), Kind::AvailabilityZone).in_parent(&id("vpc")))
        .unwrap();
    d.add(Resource::new(id("subnet-a"), Kind::Subnet).in_parent(&id("az-a")))
        .unwrap();
    d.add(Resource::new(id("web"), Kind::Ec2Instance).in_parent(&id("subnet-a")))
        .unwrap();
    d.add(Resource::new(id("alb"), Kind::ApplicationLoadBalancer).in_parent(&id("vpc")))
        .unwrap();
    d.add_link(Link::new(id("alb"), id("web"), LinkKind::Traffic))
        .unwrap();
    assert!(d.problems().is_empty());
    d
}

#[test]
fn placement_follows_the_catalog() {
    let mut d = small();
    let err = d.add(Resource::new(id("vpc2"), Kind::Vpc)).unwrap_err();
    assert!(
        matches!(err, ModelError::TopLevelNotAllowed { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("a VPC may sit in a Region"),
        "{err}"
    );
    let err = d
        .add(Resource::new(id("i2"), Kind::Ec2Instance).in_parent(&id("vpc")))
        .unwrap_err();
    assert!(matches!(err, ModelError::ParentNotAllowed { .. }), "{err}");
    let err = d
        .add(Resource::new(id("i3"), Kind::Ec2Instance).in_parent(&id("nowhere")))
        .unwrap_err();
    assert!(matches!(err, ModelError::DanglingParent { .. }));
    assert_eq!(d.len(), 6, "failed adds change nothing");
}

#[test]
fn duplicate_ids_and_links_are_refused() {
    let mut d = small();
    assert!(matches!(
        d.add(Resource::new(id("web"), Kind::S3Bucket)),
        Err(ModelError::DuplicateId(_))
    ));
    let again = Link::new(id("alb"), id("web"), LinkKind::Traffic);
    assert!(matches!(
        d.add_link(again),
        Err(ModelError::DuplicateLink { .. })
    ));
    let wrong = Link::new(id("web"), id("alb"), LinkKind::Replication);
    let err = d.add_link(wrong).unwrap_err();
    assert!(err.to_string().contains("allowed here: traffic"), "{err}");
    assert!(matches!(
        d.add_link(Link::new(id("web"), id("web"), LinkKind::Traffic)),
        Err(ModelError::SelfLink(_))
    ));
}

#[test]
fn removing_a_container_removes_its_contents_links_and_references() {
    let mut d = small();
    let asg = Resource::new(id("asg"), Kind::AutoScalingGroup)
        .in_parent(&id("vpc"))
        .with_config(Config::AutoScalingGroup(AutoScalingGroup {
            subnets: vec![id("subnet-a")],
            ..Default::default()
        }));
    d.add(asg).unwrap();
    let removed = d.remove(&id("az-a")).unwrap();
    let removed_ids: Vec<&str> = removed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(removed_ids, ["az-a", "subnet-a", "web"]);
    assert!(d.links().is_empty(), "the ALB's link to web went with it");
    match &d.resource("asg").unwrap().config {
        Config::AutoScalingGroup(asg) => assert!(asg.subnets.is_empty()),
        other => panic!("{other:?}"),
    }
    assert!(d.problems().is_empty());
}

#[test]
fn containment_loops_are_refused() {
    let mut d = small();
    d.add(Resource::new(id("region2"), Kind::Region)).unwrap();
    let err = d
        .set_parent(&id("region"), Some(&id("subnet-a")))
        .unwrap_err();
    assert!(
        matches!(err, ModelError::ParentNotAllowed { .. }),
        "kind rules catch most loops: {err}"
    );
    d.set_parent(&id("vpc"), Some(&id("region2"))).unwrap();
    assert_eq!(
        d.enclosing("web", Kind::Region).unwrap().id.as_str(),
        "region2"
    );
}

#[test]
fn a_loop_in_loaded_parts_is_reported_as_a_loop() {
    let mut a = Resource::new(id("a"), Kind::AvailabilityZone);
    a.parent = Some(id("b"));
    let mut b = Resource::new(id("b"), Kind::AvailabilityZone);
    b.parent = Some(id("a"));
    let d = Diagram {
        resources: [(id("a"), a), (id("b"), b)].into_iter().collect(),
        ..Diagram::new("loop")
    };
    let problems = d.problems();
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, ModelError::ContainmentCycle { .. })),
        "{problems:?}"
    );
}

#[test]
fn rename_updates_parents_links_and_references() {
    let mut d = small();
    let rt = Resource::new(id("rt"), Kind::RouteTable).in_parent(&id("vpc"));
    d.add(rt).unwrap();
    d.add(Resource::new(id("igw"), Kind::InternetGateway).in_parent(&id("vpc")))
        .unwrap();
    let table = RouteTable {
        routes: vec![Route {
            destination: "0.0.0.0/0".into(),
            target: id("igw"),
        }],
    };
    d.set_config(&id("rt"), Config::RouteTable(table)).unwrap();
    let subnet = Subnet {
        route_table: Some(id("rt")),
        ..Default::default()
    };
    d.set_config(&id("subnet-a"), Config::Subnet(subnet))
        .unwrap();
    d.rename(&id("subnet-a"), id("public-a")).unwrap();
    d.rename(&id("rt"), id("public-rt")).unwrap();
    d.rename(&id("web"), id("web-1")).unwrap();
    assert_eq!(
        d.resource("web-1")
            .unwrap()
            .parent
            .as_ref()
            .unwrap()
            .as_str(),
        "public-a"
    );
    assert_eq!(d.links()[0].to.as_str(), "web-1");
    match &d.resource("public-a").unwrap().config {
        Config::Subnet(s) => assert_eq!(s.route_table.as_ref().unwrap().as_str(), "public-rt"),
        other => panic!("{other:?}"),
    }
    assert_eq!(d.draw_index("public-a"), Some(3), "order is kept");
    assert!(matches!(
        d.rename(&id("web-1"), id("alb")),
        Err(ModelError::DuplicateId(_))
    ));
    assert!(d.problems().is_empty());
}

#[test]
fn dangling_references_are_refused_and_removal_drops_routes() {
    let mut d = small();
    let table = RouteTable {
        routes: vec![Route {
            destination: "0.0.0.0/0".into(),
            target: id("igw"),
        }],
    };
    let rt = Resource::new(id("rt"), Kind::RouteTable)
        .in_parent(&id("vpc"))
        .with_config(Config::RouteTable(table.clone()));
    assert!(matches!(
        d.add(rt.clone()),
        Err(ModelError::DanglingReference { .. })
    ));
    d.add(Resource::new(id("igw"), Kind::InternetGateway).in_parent(&id("vpc")))
        .unwrap();
    d.add(rt).unwrap();
    d.remove(&id("igw")).unwrap();
    assert_eq!(
        d.resource("rt").unwrap().config,
        Config::RouteTable(RouteTable::default())
    );
}

#[test]
fn changing_kind_must_fit_children_and_links() {
    let mut d = small();
    let err = d
        .set_config(&id("subnet-a"), Config::default_for(Kind::Vpc))
        .unwrap_err();
    assert!(matches!(err, ModelError::ParentNotAllowed { .. }), "{err}");
    let err = d
        .set_config(&id("web"), Config::default_for(Kind::NatGateway))
        .unwrap_err();
    assert!(matches!(err, ModelError::LinkNotAllowed { .. }), "{err}");
    d.set_config(&id("web"), Config::default_for(Kind::LambdaFunction))
        .unwrap();
    assert_eq!(d.resource("web").unwrap().kind(), Kind::LambdaFunction);
}

#[test]
fn translate_moves_descendants_once() {
    let mut d = small();
    d.set_rect(&id("vpc"), Rect::new(0.0, 0.0, 500.0, 400.0))
        .unwrap();
    d.set_rect(&id("web"), Rect::new(10.0, 10.0, 80.0, 80.0))
        .unwrap();
    d.translate(&[id("vpc"), id("web")], 5.0, 7.0).unwrap();
    assert_eq!(
        d.resource("web").unwrap().rect,
        Rect::new(15.0, 17.0, 80.0, 80.0)
    );
    assert_eq!(
        d.resource("vpc").unwrap().rect,
        Rect::new(5.0, 7.0, 500.0, 400.0)
    );
    assert!(d.translate(&[id("web")], f32::NAN, 0.0).is_err());
    assert!(
        d.set_rect(&id("web"), Rect::new(0.0, 0.0, -1.0, 1.0))
            .is_err()
    );
}

#[test]
fn unique_ids_count_up_and_bring_to_front_reorders() {
    let mut d = small();
    assert_eq!(d.unique_id("web").as_str(), "web-2");
    assert_eq!(d.unique_id("new thing").as_str(), "new-thing");
    d.bring_to_front(&[id("vpc"), id("region")]);
    let order: Vec<&str> = d.resources().map(|r| r.id.as_str()).collect();
    assert_eq!(order, ["az-a", "subnet-a", "web", "alb", "region", "vpc"]);
}

#[test]
fn link_graph_has_every_resource_and_link() {
    let d = small();
    let graph = d.link_graph(LinkKind::ALL);
    assert_eq!(graph.node_count(), 6);
    assert_eq!(graph.edge_weight("alb", "web"), Some(&LinkKind::Traffic));
    assert_eq!(d.link_graph(&[LinkKind::Replication]).edge_count(), 0);
}
