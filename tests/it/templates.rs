//! Every shipped template loads, keeps the model invariants, is laid out readably and
//! round-trips through a save.

use cloudcanvas::io;
use cloudcanvas::library::templates;
use cloudcanvas::model::Kind;

#[test]
fn every_template_loads_round_trips_and_is_described() {
    for template in templates::all() {
        let diagram = template.load().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            diagram.problems().is_empty(),
            "{}: {:?}",
            template.name,
            diagram.problems()
        );
        assert!(
            !diagram.name.is_empty() && diagram.description.len() > 80,
            "{} is described",
            template.name
        );
        let text = io::to_ron_string(&diagram);
        let again = io::load_str(&text).unwrap_or_else(|e| panic!("{}: {e}", template.name));
        assert_eq!(again, diagram, "{} round-trips", template.name);
        assert_eq!(
            io::to_ron_string(&again),
            text,
            "{} saves identically twice",
            template.name
        );
    }
}

#[test]
fn templates_are_laid_out_with_children_inside_and_siblings_apart() {
    for template in templates::all() {
        let d = template.load().unwrap();
        for r in d.resources() {
            if let Some(parent) = &r.parent {
                let outer = d.resource(parent.as_str()).unwrap().rect;
                assert!(
                    outer.contains_rect(&r.rect),
                    "{}: {} inside {parent}",
                    template.name,
                    r.id
                );
            }
            for other in d
                .resources()
                .filter(|o| o.parent == r.parent && o.id != r.id)
            {
                assert!(
                    !r.rect.intersects(&other.rect),
                    "{}: {} overlaps {}",
                    template.name,
                    r.id,
                    other.id
                );
            }
        }
        for note in d.notes() {
            for r in d.resources().filter(|r| r.parent.is_none()) {
                assert!(
                    !note.rect.intersects(&r.rect),
                    "{}: note {} covers {}",
                    template.name,
                    note.id,
                    r.id
                );
            }
        }
    }
}

#[test]
fn the_default_template_is_the_seeds_demo() {
    let d = templates::find(templates::DEFAULT_TEMPLATE)
        .unwrap()
        .load()
        .unwrap();
    let counts = d.count_by_kind();
    for kind in [
        Kind::ApplicationLoadBalancer,
        Kind::AutoScalingGroup,
        Kind::S3Bucket,
        Kind::DynamoDbTable,
        Kind::IamRole,
    ] {
        assert!(counts.contains_key(&kind), "has {kind}");
    }
    assert_eq!(counts[&Kind::AvailabilityZone], 2, "two AZs");
}
