//! Run mode: start a run from the menu bar, step it, read the live badges and the event
//! log, fail an Availability Zone, try to edit (locked), stop and take or leave the
//! measured usage.

use cloudcanvas::model::ResourceId;
use cloudcanvas::ui::EditorApp;
use cloudcanvas::ui::run::overlay::badges;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::harness::*;

fn three_tier() -> Harness<'static, EditorApp> {
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    harness_with(diagram, cloudcanvas::ui::files::ScriptedDialogs::default())
}

/// Starts a run and sets it to 100×, paused, so each Step moves 100 s.
fn started() -> Harness<'static, EditorApp> {
    let mut h = three_tier();
    // A playing run repaints every frame: frames are stepped, not run to rest.
    h.get_by_label("Run").click();
    h.step();
    h.step();
    let run = h.state().run().expect("the Run button starts a run");
    assert!(!run.paused, "a run starts playing");
    h.get_by_label("Pause").click();
    h.step();
    h.step();
    assert!(h.state().run().unwrap().paused);
    let played = h.state().run().unwrap().secs();
    assert!(played > 0.0, "frames moved the clock while it played");
    assert_eq!(
        h.state().document().diagram.resources().count(),
        32,
        "starting a run changes nothing"
    );
    click(&mut h, "100×");
    // Back to 0 s, so that steps land on round times.
    click(&mut h, "Restart");
    assert_eq!(h.state().run().unwrap().secs(), 0.0);
    h
}

fn badge_texts(h: &Harness<'_, EditorApp>, id: &str) -> Vec<String> {
    let app = h.state();
    let run = app.run().unwrap();
    let resource = app.document().diagram.resource(id).unwrap();
    let live = run.live().resources.get(&resource.id).unwrap();
    let name = |id: &ResourceId| id.to_string();
    badges(resource.kind(), live, &name)
        .into_iter()
        .map(|b| b.0)
        .collect()
}

#[test]
fn a_run_steps_and_shows_its_instances_and_events() {
    let mut h = started();
    click(&mut h, "Step");
    let secs = h.state().run().unwrap().secs();
    assert!(
        (secs - 100.0).abs() < 1e-6,
        "one step at 100× is 100 s, got {secs}"
    );
    assert!(
        h.query_by_label("00:01:40").is_some(),
        "the toolbar's clock reads the simulated time"
    );
    let totals = h.state().run().unwrap().snapshot().totals.clone();
    assert!(totals.completed > 1_000, "traffic was served: {totals:?}");
    assert_eq!(
        badge_texts(&h, "app-asg"),
        ["2/2 in service"],
        "the group's badge counts its instances"
    );
    assert_eq!(badge_texts(&h, "alb"), ["2/2 healthy"]);
    h.state_mut()
        .push(cloudcanvas::editor::commands::Command::Select(vec![
            ResourceId::new("app-asg").unwrap(),
        ]));
    h.run();
    let app_asg = ResourceId::new("app-asg").unwrap();
    let latest = h.state().run().unwrap().history().resources[&app_asg]
        .last()
        .copied()
        .unwrap();
    assert!(latest.latency_ms.is_some(), "{latest:?}");
    assert!(
        h.query_by_label("Response time here, its calls included (ms)")
            .is_some(),
        "the selected tier charts its own latency"
    );
    assert!(
        h.query_by_label("High CPU alarm: CPUUtilization above 85")
            .is_some(),
        "the alarm watching the group is shown with its threshold"
    );
    let entries = h.state().run().unwrap().log().len();
    click(&mut h, &format!("Events ({entries})"));
    assert!(
        h.query_by_label_contains("INSUFFICIENT_DATA to OK")
            .is_some(),
        "the alarm's first evaluation is in the log"
    );
}

#[test]
fn failing_an_availability_zone_shows_in_the_badges_and_the_log() {
    let mut h = started();
    click(&mut h, "Step");
    click(&mut h, "Fail az-a");
    assert!(
        h.state()
            .run()
            .unwrap()
            .live()
            .zones_down
            .iter()
            .any(|z| z.as_str() == "az-a"),
        "the zone is out"
    );
    assert!(h.query_by_label("Restore az-a").is_some());
    // Health checks, the group's replacement and the database's failover take minutes.
    for _ in 0..6 {
        click(&mut h, "Step");
    }
    let log = h.state().run().unwrap().log().to_vec();
    let said = |words: &str| log.iter().any(|e| e.text.contains(words));
    assert!(
        said("app-asg launches app-asg.i3 in az-b"),
        "the group launched a replacement in the zone still up: {log:#?}"
    );
    let db = badge_texts(&h, "db");
    assert!(
        db.iter().any(|b| b == "primary az-b"),
        "the database failed over to its standby's zone: {db:?}"
    );
    let events = format!("Events ({})", log.len());
    click(&mut h, &events);
    assert!(
        h.query_by_label_contains("Availability Zone az-a failed by hand")
            .is_some(),
        "the injected failure is in the log"
    );
    assert!(h.query_by_label_contains("launches app-asg.i3").is_some());
}

#[test]
fn editing_is_locked_while_running_and_the_design_comes_back_unchanged() {
    let mut h = started();
    let before = h.state().document().diagram.clone();
    click(&mut h, "Step");
    h.state_mut()
        .push(cloudcanvas::editor::commands::Command::Select(vec![
            ResourceId::new("db").unwrap(),
        ]));
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert!(
        h.state().document().diagram.contains("db"),
        "Delete is refused during a run"
    );
    assert!(
        h.query_by_label_contains("Stop the run to edit").is_some(),
        "the status bar says why"
    );
    click(&mut h, "Stop");
    assert!(h.state().run().is_none(), "Stop ends the run");
    click(&mut h, "Keep the design as drawn");
    assert_eq!(
        h.state().document().diagram,
        before,
        "the run changed nothing"
    );
    assert!(!h.state().document().is_dirty());
}

#[test]
fn the_measured_usage_can_be_taken_into_the_estimate_and_undone() {
    let mut h = started();
    let before = h.state().document().diagram.clone();
    click(&mut h, "Step");
    click(&mut h, "Stop");
    click(&mut h, "Use measured usage");
    let after = h.state().document().diagram.clone();
    assert_ne!(after, before, "the usage figures changed");
    assert_eq!(after.resources().count(), before.resources().count());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().document().diagram,
        before,
        "one undo restores the design"
    );
}

#[test]
fn a_lesson_plays_with_its_narration_cards() {
    let mut h = started();
    click(&mut h, "Lessons");
    assert!(
        h.query_by_label("Hybrid: an application server fails")
            .is_none(),
        "a lesson for another design is not offered"
    );
    assert!(
        h.query_by_label("Written for other designs").is_some(),
        "lessons of other templates whose resources this design has are set apart"
    );
    click(&mut h, "Three-tier: an Availability Zone goes down");
    assert!(
        h.query_by_label_contains("Watch what the second zone buys")
            .is_some(),
        "the introduction card shows"
    );
    click(&mut h, "Fastest");
    h.get_by_label("Continue").click();
    for _ in 0..600 {
        h.step();
        if h.state().run().unwrap().paused {
            break;
        }
    }
    h.run();
    assert_eq!(h.state().run().unwrap().secs(), 600.0, "paused at the step");
    assert!(h.query_by_label("Step 1 of 2 · 00:10:00").is_some());
    assert!(
        h.query_by_label_contains("us-east-1a goes down.").is_some(),
        "the step's narration shows"
    );
}

#[test]
fn a_variant_runs_beside_the_design_under_the_same_traffic() {
    let mut h = started();
    click(&mut h, "Compare…");
    let changes = h.get_by_label("Changes");
    changes.focus();
    changes.type_text("app-asg.min_size=4\napp-asg.desired_capacity=4");
    h.run();
    // The runs go on beside the UI, which repaints meanwhile: frames are stepped.
    h.get_by_label("Run both").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label("running both…").is_some()
            || h.query_all_by_label("this design").next().is_some(),
        "the comparison started"
    );
    let started = std::time::Instant::now();
    while h.query_by_label("running both…").is_some() {
        assert!(
            started.elapsed().as_secs() < 300,
            "the comparison never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run();
    assert!(
        h.query_all_by_label("variant: app-asg.min_size=4, app-asg.desired_capacity=4")
            .next()
            .is_some(),
        "the variant has its row"
    );
    assert!(h.query_all_by_label("this design").next().is_some());
    assert!(
        h.query_by_label_contains("01:00:00 of simulated time")
            .is_some(),
        "an hour each, by default"
    );
}

#[test]
fn a_recording_moves_the_run_only_as_pictures_are_taken() {
    let dir = tempfile::tempdir().unwrap();
    let gif = dir.path().join("lesson.gif");
    let dialogs = cloudcanvas::ui::files::ScriptedDialogs {
        save_answers: vec![gif.clone()],
        ..Default::default()
    };
    let diagram = cloudcanvas::library::templates::find("three-tier")
        .unwrap()
        .load()
        .unwrap();
    let mut h = harness_with(diagram, dialogs);
    h.get_by_label("Run").click();
    h.step();
    h.step();
    h.get_by_label("Pause").click();
    h.step();
    h.step();
    let before = h.state().run().unwrap().secs();
    h.get_by_label("Record…").click();
    for _ in 0..20 {
        h.step();
    }
    // The first frame moved one fixed step (10× for a tenth of a second) and asked for a
    // picture; headless, none arrives, so the run waits rather than run ahead of it.
    let after = h.state().run().unwrap().secs();
    assert!((after - before - 1.0).abs() < 1e-6, "{before} → {after}");
    assert!(
        h.query_by_label("Stop recording (0 frames)").is_some(),
        "the toolbar counts the frames"
    );
    h.get_by_label("Stop recording (0 frames)").click();
    h.step();
    h.step();
    assert!(gif.is_file(), "the file is written");
    assert!(
        h.query_by_label_contains("Wrote 0 frames to").is_some(),
        "the status bar says what was written"
    );
}

#[test]
fn a_right_click_inside_a_zone_offers_to_fail_it() {
    let mut h = started();
    let before = h.state().document().diagram.notes().len();
    // The middle of the App B subnet's body, inside us-east-1b.
    let subnet = h
        .state()
        .document()
        .diagram
        .resource("data-b")
        .unwrap()
        .rect;
    let at = screen_of(&h, subnet.center());
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    assert_eq!(
        h.state().document().diagram.notes().len(),
        before,
        "during a run a right-click adds no note"
    );
    click(&mut h, "Fail this Availability Zone");
    assert!(
        h.state()
            .run()
            .unwrap()
            .live()
            .zones_down
            .iter()
            .any(|z| z.as_str() == "az-b"),
        "the zone around the pointer failed"
    );
}
