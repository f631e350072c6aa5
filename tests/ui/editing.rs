//! Building and editing a diagram with the pointer and the keyboard.

use cloudcanvas::model::geom::Point;
use cloudcanvas::model::{Config, Kind, LinkKind};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::harness::*;

fn count(h: &egui_kittest::Harness<'_, cloudcanvas::ui::EditorApp>, kind: Kind) -> usize {
    h.state()
        .document()
        .diagram
        .resources()
        .filter(|r| r.kind() == kind)
        .count()
}

#[test]
fn a_vpc_dragged_from_the_palette_lands_in_the_region() {
    let mut h = harness();
    let item = h.get_by_label("VPC").rect().center();
    let target = screen_of(&h, Point::new(1000.0, 600.0));
    drag(&mut h, item, target);
    let doc = h.state().document();
    let vpcs: Vec<_> = doc
        .diagram
        .resources()
        .filter(|r| r.kind() == Kind::Vpc)
        .collect();
    assert_eq!(vpcs.len(), 2, "a second VPC was created");
    assert_eq!(vpcs[1].parent.as_ref().unwrap().as_str(), "region");
    assert!(doc.is_dirty());
    assert!(doc.diagram.problems().is_empty());
}

#[test]
fn a_vpc_dropped_outside_a_region_is_refused_with_the_reason() {
    let mut h = harness();
    let item = h.get_by_label("VPC").rect().center();
    let outside = screen_of(&h, Point::new(60.0, 600.0));
    drag(&mut h, item, outside);
    assert_eq!(count(&h, Kind::Vpc), 1, "nothing was added");
    let status = h.state().state().status.clone().unwrap();
    assert_eq!(status.text, "A VPC may sit in a Region");
    assert!(
        h.query_by_label_contains("A VPC may sit in a Region")
            .is_some(),
        "the reason is shown"
    );
}

#[test]
fn an_instance_dropped_on_a_subnet_goes_into_the_subnet() {
    let mut h = harness();
    h.get_by_label("Search resources").focus();
    h.get_by_label("Search resources").type_text("EC2");
    h.run();
    let item = h.get_by_label("EC2 instance").rect().center();
    let target = screen_of(&h, Point::new(500.0, 300.0));
    drag(&mut h, item, target);
    let doc = h.state().document();
    let ec2 = doc
        .diagram
        .resources()
        .find(|r| r.kind() == Kind::Ec2Instance)
        .expect("an instance was added");
    assert_eq!(ec2.parent.as_ref().unwrap().as_str(), "subnet");
    assert_eq!(
        h.state().state().selection.resources,
        vec![ec2.id.clone()],
        "the new resource is selected"
    );
    assert!(
        h.query_by_label("Instance type").is_some(),
        "the inspector shows its settings"
    );
}

#[test]
fn dragging_from_a_link_handle_connects_two_resources() {
    let mut h = harness();
    click(&mut h, "Users (users)");
    let handle = h.get_by_label("Link from users").rect().center();
    let alb = h.get_by_label("Front door (alb)").rect().center();
    drag(&mut h, handle, alb);
    let links = h.state().document().diagram.links().to_vec();
    assert_eq!(links.len(), 1);
    assert_eq!(
        (links[0].from.as_str(), links[0].to.as_str(), links[0].kind),
        ("users", "alb", LinkKind::Traffic)
    );
    assert!(
        h.query_by_label("Delete link").is_some(),
        "the new link is selected and inspected"
    );
}

#[test]
fn editing_fields_in_the_inspector_changes_the_resource() {
    let mut h = harness();
    click(&mut h, "Front door (alb)");
    h.get_by_role_and_label(egui::Role::CheckBox, "Stickiness")
        .click();
    h.run();
    let Config::ApplicationLoadBalancer(alb) =
        &h.state().document().diagram.resource("alb").unwrap().config
    else {
        panic!()
    };
    assert!(alb.stickiness);
    let name = h.get_by_role_and_label(egui::Role::TextInput, "Name");
    name.focus();
    name.type_text(" v2");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        h.state().document().diagram.resource("alb").unwrap().name,
        "Front door v2"
    );
    assert_eq!(
        h.state().document().history.undo_labels().count(),
        2,
        "typing a name is one undo step"
    );
}

#[test]
fn undo_and_redo_walk_back_and_forth_through_gestures() {
    let mut h = harness();
    let alb = h.get_by_label("Front door (alb)").rect().center();
    let before = h.state().document().diagram.resource("alb").unwrap().rect;
    drag(&mut h, alb, alb - egui::vec2(120.0, 0.0));
    let after = h.state().document().diagram.resource("alb").unwrap().rect;
    assert!(after.x < before.x - 50.0, "moved: {before:?} to {after:?}");
    assert_eq!(
        h.state().document().history.undo_label(),
        Some("Move 1 resource"),
        "a drag is one step"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().document().diagram.resource("alb").unwrap().rect,
        before
    );
    assert!(!h.state().document().is_dirty(), "back to the saved state");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(
        h.state().document().diagram.resource("alb").unwrap().rect,
        after
    );
    click(&mut h, "Edit");
    click(&mut h, "Undo Move 1 resource");
    assert_eq!(
        h.state().document().diagram.resource("alb").unwrap().rect,
        before,
        "undo from the menu"
    );
}

#[test]
fn delete_duplicate_and_select_all_from_the_keyboard() {
    let mut h = harness();
    click(&mut h, "Front door (alb)");
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert_eq!(count(&h, Kind::ApplicationLoadBalancer), 2);
    assert!(
        h.state().document().diagram.contains("alb-2"),
        "the copy has a unique id"
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(count(&h, Kind::ApplicationLoadBalancer), 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    assert_eq!(
        h.state().state().selection.resources.len(),
        h.state().document().diagram.len()
    );
}

#[test]
fn moving_a_container_moves_what_it_holds() {
    let mut h = harness();
    let subnet_before = h
        .state()
        .document()
        .diagram
        .resource("subnet")
        .unwrap()
        .rect;
    let header = screen_of(&h, Point::new(300.0, 52.0));
    drag(&mut h, header, header + egui::vec2(0.0, 60.0));
    let subnet_after = h
        .state()
        .document()
        .diagram
        .resource("subnet")
        .unwrap()
        .rect;
    assert!(
        subnet_after.y > subnet_before.y + 20.0,
        "{subnet_before:?} → {subnet_after:?}"
    );
    assert_eq!(subnet_after.x, subnet_before.x);
}

#[test]
fn every_template_opens_and_draws_with_the_bundled_fonts() {
    // The harness panics on a glyph the bundled fonts lack, which users would see as boxes.
    for template in cloudcanvas::library::templates::all() {
        let mut h = harness_with(
            template.load().unwrap(),
            cloudcanvas::ui::files::ScriptedDialogs::default(),
        );
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.run();
        let first = h
            .state()
            .document()
            .diagram
            .resources()
            .next()
            .unwrap()
            .id
            .clone();
        h.key_press(Key::Escape);
        h.run();
        h.state_mut()
            .push(cloudcanvas::editor::commands::Command::Select(vec![first]));
        h.run();
        assert!(
            h.state().document().diagram.problems().is_empty(),
            "{}",
            template.name
        );
    }
}

#[test]
fn moving_a_resource_where_it_may_not_sit_is_refused_and_undone() {
    let mut h = harness();
    let alb = h.get_by_label("Front door (alb)").rect().center();
    let before = h
        .state()
        .document()
        .diagram
        .resource("alb")
        .unwrap()
        .clone();
    let outside_vpc = screen_of(&h, Point::new(1000.0, 650.0));
    drag(&mut h, alb, outside_vpc);
    let after = h.state().document().diagram.resource("alb").unwrap();
    assert_eq!(after, &before, "put back where it was");
    assert!(
        h.state()
            .state()
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Application Load Balancer may sit in a VPC")
    );
    assert!(
        h.state().document().history.undo_label().is_none(),
        "a refused move leaves no undo step"
    );
}

#[test]
fn containers_resize_from_their_edges_and_keep_their_contents() {
    let mut h = harness();
    let before = h.state().document().diagram.resource("vpc").unwrap().rect;
    assert!(
        h.query_by_label("Resize vpc (Right)").is_none(),
        "no handles until the pointer is over it"
    );
    h.hover_at(screen_of(&h, Point::new(700.0, 300.0)));
    h.run();
    let right_edge = h.get_by_label("Resize vpc (Right)").rect().center();
    drag(&mut h, right_edge, right_edge + egui::vec2(80.0, 0.0));
    let wider = h.state().document().diagram.resource("vpc").unwrap().rect;
    assert!(
        wider.w > before.w + 40.0 && wider.x == before.x,
        "{before:?} to {wider:?}"
    );
    h.hover_at(screen_of(&h, Point::new(700.0, 300.0)));
    h.run();
    let left_edge = h.get_by_label("Resize vpc (Left)").rect().center();
    drag(&mut h, left_edge, left_edge + egui::vec2(400.0, 0.0));
    let d = &h.state().document().diagram;
    let narrowed = d.resource("vpc").unwrap().rect;
    assert!(
        narrowed.contains_rect(&d.resource("az").unwrap().rect),
        "the AZ still fits: {narrowed:?}"
    );
    assert!(d.problems().is_empty());
}

#[test]
fn instance_types_are_searched_in_the_price_data_and_picked() {
    let mut diagram = small_diagram();
    let mut vm = cloudcanvas::model::Resource::new(id("vm"), Kind::Ec2Instance)
        .named("Web")
        .in_parent(&id("subnet"));
    vm.rect = cloudcanvas::model::geom::Rect::new(300.0, 200.0, 112.0, 88.0);
    diagram.add(vm).unwrap();
    let mut h = harness_with(diagram, cloudcanvas::ui::files::ScriptedDialogs::default());
    click(&mut h, "Web (vm)");
    assert!(
        h.query_by_label_contains("2 vCPU · 1 GiB · $0.0104/h")
            .is_some(),
        "t3.micro's size and price are shown"
    );
    let field = h.get_by_role_and_label(egui::Role::TextInput, "Instance type");
    field.focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(egui::Role::TextInput, "Instance type")
        .type_text("m7g.");
    h.run();
    h.get_by_label_contains("m7g.large  2 vCPU · 8 GiB").click();
    h.run();
    let Config::Ec2Instance(vm) = &h.state().document().diagram.resource("vm").unwrap().config
    else {
        panic!()
    };
    assert_eq!(vm.instance_type, "m7g.large");
}

#[test]
fn the_command_palette_finds_resources_and_actions() {
    let mut h = harness();
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label("Find a resource or an action")
        .type_text("front");
    h.run();
    assert!(
        h.query_by_label("Users (users)").is_some(),
        "the canvas node is still there"
    );
    click(&mut h, "Front door (alb) · Application Load Balancer");
    assert_eq!(h.state().state().selection.resources, vec![id("alb")]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label("Find a resource or an action")
        .type_text("select all");
    h.run();
    click(&mut h, "Select all");
    assert_eq!(
        h.state().state().selection.resources.len(),
        h.state().document().diagram.len()
    );
}

#[test]
fn sticky_notes_are_added_edited_and_deleted() {
    let mut h = harness();
    let at = screen_of(&h, Point::new(1000.0, 650.0));
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Secondary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Secondary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert_eq!(
        h.state().document().diagram.notes().len(),
        1,
        "a right-click adds a note"
    );
    let text = h.get_by_label("Note text");
    text.focus();
    text.type_text(": the web tier scales on CPU");
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(
        h.state().document().diagram.notes()[0].text,
        "Note: the web tier scales on CPU"
    );
    click(&mut h, "Delete note");
    assert!(h.state().document().diagram.notes().is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().document().diagram.notes().len(),
        1,
        "undo brings it back"
    );
}

#[test]
fn scrolling_pans_and_ctrl_scrolling_zooms_about_the_pointer() {
    let mut h = harness();
    let canvas = h.get_by_label("Canvas").rect().center();
    h.hover_at(canvas);
    h.run();
    let before = h.state().state().camera;
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -120.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    h.run();
    let panned = h.state().state().camera;
    assert!(
        panned.center.y > before.center.y,
        "scrolling down moves the view down: {before:?} to {panned:?}"
    );
    assert_eq!(panned.zoom, before.zoom);
    h.event(egui::Event::Zoom(1.5));
    h.run();
    let zoomed = h.state().state().camera;
    assert!(
        (zoomed.zoom / panned.zoom - 1.5).abs() < 0.01,
        "pinch zooms: {zoomed:?}"
    );
}

#[test]
fn the_minimap_shows_only_while_part_of_the_diagram_is_out_of_view() {
    let mut h = harness();
    // Opened and fitted: everything is in view, the corner belongs to the diagram.
    assert!(
        h.query_by_label("Minimap").is_none(),
        "hidden when all fits"
    );
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        h.run();
    }
    assert!(
        h.query_by_label("Minimap").is_some(),
        "shown once zoomed in"
    );
    h.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    h.run();
    assert!(
        h.query_by_label("Minimap").is_none(),
        "hidden again after zoom to fit"
    );
}
