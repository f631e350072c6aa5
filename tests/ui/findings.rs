//! The findings panel: live findings, badges' source, selecting a finding's resources, and
//! one-click fixes that undo.

use cloudcanvas::model::Config;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::harness::*;

fn flawed() -> egui_kittest::Harness<'static, cloudcanvas::ui::EditorApp> {
    let diagram = cloudcanvas::library::templates::find("flawed-teaching")
        .unwrap()
        .load()
        .unwrap();
    harness_with(diagram, cloudcanvas::ui::files::ScriptedDialogs::default())
}

fn bucket_blocks_public_access(h: &egui_kittest::Harness<'_, cloudcanvas::ui::EditorApp>) -> bool {
    match &h
        .state()
        .document()
        .diagram
        .resource("assets")
        .unwrap()
        .config
    {
        Config::S3Bucket(b) => b.block_public_access,
        _ => unreachable!(),
    }
}

#[test]
fn a_fix_removes_its_finding_and_undo_brings_it_back() {
    let mut h = flawed();
    assert!(
        h.query_by_label("12 errors · 15 warnings · 7 info")
            .is_some(),
        "the status bar counts the findings"
    );
    click(&mut h, "Findings: 12 errors · 15 warnings · 7 info");
    assert!(
        h.query_by_label_contains("bucket assets is readable by anyone")
            .is_some()
    );
    click(&mut h, "Block public access");
    assert!(bucket_blocks_public_access(&h), "the fix edited the bucket");
    assert!(
        h.query_by_label_contains("bucket assets is readable by anyone")
            .is_none(),
        "the finding is gone"
    );
    assert!(
        h.query_by_label("11 errors · 15 warnings · 7 info")
            .is_some()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!bucket_blocks_public_access(&h), "undo restores the bucket");
    assert!(
        h.query_by_label("12 errors · 15 warnings · 7 info")
            .is_some()
    );
}

#[test]
fn clicking_a_finding_selects_its_resources_and_filters_narrow_the_list() {
    let mut h = flawed();
    click(&mut h, "12 errors · 15 warnings · 7 info");
    click(
        &mut h,
        "db-subnet (10.0.1.128/25) overlaps web-subnet (10.0.1.0/24) in the same VPC",
    );
    assert_eq!(
        h.state().state().selection.resources,
        vec![id("db-subnet"), id("web-subnet")]
    );
    // Warnings only: the errors leave the list and a warning takes the top.
    click(&mut h, "Error (12)");
    click(&mut h, "Info (7)");
    assert!(h.query_by_label_contains("overlaps web-subnet").is_none());
    click(&mut h, "db runs in one AZ with no standby");
    assert_eq!(h.state().state().selection.resources, vec![id("db")]);
}

#[test]
fn the_findings_follow_edits_made_elsewhere() {
    let mut h = flawed();
    click(&mut h, "12 errors · 15 warnings · 7 info");
    let mut root = h
        .state()
        .document()
        .diagram
        .resource("root")
        .unwrap()
        .config
        .clone();
    if let Config::RootUser(r) = &mut root {
        r.access_keys = 0;
        r.mfa_enabled = true;
    }
    h.state_mut()
        .push(cloudcanvas::editor::commands::Command::SetConfig {
            id: id("root"),
            config: root,
        });
    h.run();
    assert!(
        h.query_by_label("10 errors · 15 warnings · 7 info")
            .is_some(),
        "two root-user errors gone"
    );
}

#[test]
fn the_inspector_lists_the_selected_resources_findings_with_their_fixes() {
    let mut h = flawed();
    click(&mut h, "Shop database (db)");
    assert!(h.query_by_label_contains("Findings (").is_some());
    click(&mut h, "Enable Multi-AZ");
    let Config::RdsInstance(db) = &h.state().document().diagram.resource("db").unwrap().config
    else {
        unreachable!()
    };
    assert!(db.multi_az, "the inspector's fix button applied the fix");
    assert!(
        h.query_by_label("Enable Multi-AZ").is_none(),
        "and its finding left"
    );
}
