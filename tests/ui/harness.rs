//! One way to start the editor for a test.

use std::path::PathBuf;

use cloudcanvas::model::config::network::{Subnet, SubnetTier};
use cloudcanvas::model::geom::{Point, Rect};
use cloudcanvas::model::{Config, Diagram, Kind, Resource, ResourceId};
use cloudcanvas::ui::files::ScriptedDialogs;
use cloudcanvas::ui::{EditorApp, EditorOptions, Preferences};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

pub fn id(s: &str) -> ResourceId {
    ResourceId::new(s).unwrap()
}

/// Users and a Region holding a VPC, one AZ and a private subnet, with room to spare.
pub fn small_diagram() -> Diagram {
    let mut d = Diagram::new("Test");
    let mut add = |resource: Resource, rect: Rect| {
        let mut resource = resource;
        resource.rect = rect;
        d.add(resource).unwrap();
    };
    add(
        Resource::new(id("users"), Kind::Users).named("Users"),
        Rect::new(0.0, 100.0, 112.0, 88.0),
    );
    add(
        Resource::new(id("region"), Kind::Region),
        Rect::new(200.0, 0.0, 1000.0, 700.0),
    );
    add(
        Resource::new(id("vpc"), Kind::Vpc).in_parent(&id("region")),
        Rect::new(230.0, 40.0, 560.0, 560.0),
    );
    add(
        Resource::new(id("az"), Kind::AvailabilityZone).in_parent(&id("vpc")),
        Rect::new(250.0, 80.0, 500.0, 340.0),
    );
    let subnet = Config::Subnet(Subnet {
        tier: SubnetTier::Private,
        ..Default::default()
    });
    add(
        Resource::new(id("subnet"), Kind::Subnet)
            .in_parent(&id("az"))
            .with_config(subnet),
        Rect::new(270.0, 120.0, 460.0, 280.0),
    );
    add(
        Resource::new(id("alb"), Kind::ApplicationLoadBalancer)
            .named("Front door")
            .in_parent(&id("vpc")),
        Rect::new(600.0, 480.0, 112.0, 88.0),
    );
    d
}

pub fn harness_with(diagram: Diagram, dialogs: ScriptedDialogs) -> Harness<'static, EditorApp> {
    let app = EditorApp::new(EditorOptions {
        diagram,
        path: None,
        dialogs: Box::new(dialogs),
        recovery_path: None,
        preferences: Preferences::default(),
    });
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut EditorApp| app.show(ui), app);
    harness.run();
    harness
}

pub fn harness() -> Harness<'static, EditorApp> {
    harness_with(small_diagram(), ScriptedDialogs::default())
}

/// The canvas widget's rectangle on screen.
pub fn canvas_rect(h: &Harness<'_, EditorApp>) -> Rect {
    let r = h.get_by_label("Canvas").rect();
    Rect::new(r.min.x, r.min.y, r.width(), r.height())
}

/// Where a world point is on screen.
pub fn screen_of(h: &Harness<'_, EditorApp>, world: Point) -> egui::Pos2 {
    let p = h.state().state().camera.to_screen(world, &canvas_rect(h));
    egui::pos2(p.x, p.y)
}

/// Drags from `from` to `to` in small steps, running frames between them.
pub fn drag(h: &mut Harness<'_, EditorApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    for i in 1..=8 {
        h.hover_at(from.lerp(to, i as f32 / 8.0));
        h.step();
    }
    h.drop_at(to);
    h.run();
}

/// Paths for files written by a test.
pub fn temp_file(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Clicks the widget labelled `label` and lets the frame settle.
pub fn click(h: &mut Harness<'_, EditorApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}
