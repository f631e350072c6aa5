//! Saving and reopening through the app's own paths (scripted dialogs, no real dialog).

use cloudcanvas::io;
use cloudcanvas::ui::files::ScriptedDialogs;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::harness::*;

#[test]
fn save_as_then_reopen_gives_the_same_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "saved.ron");
    let dialogs = ScriptedDialogs {
        open_answers: vec![path.clone()],
        save_answers: vec![path.clone()],
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "Front door (alb)");
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().document().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(path.is_file(), "saved through the save-as dialog");
    assert!(!h.state().document().is_dirty());
    let saved = h.state().document().diagram.clone();
    assert_eq!(io::load(&path).unwrap(), saved);

    click(&mut h, "File");
    click(&mut h, "Open…");
    assert_eq!(h.state().document().path.as_deref(), Some(path.as_path()));
    assert_eq!(h.state().document().diagram, saved);
    assert_eq!(
        h.state().preferences().recent[0],
        path,
        "remembered as recent"
    );
}

#[test]
fn opening_another_file_with_unsaved_work_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let other = temp_file(&dir, "other.ron");
    io::save(
        &other,
        &cloudcanvas::library::templates::find("static-website")
            .unwrap()
            .load()
            .unwrap(),
    )
    .unwrap();
    let dialogs = ScriptedDialogs {
        open_answers: vec![other.clone()],
        save_answers: Vec::new(),
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "Front door (alb)");
    h.key_press(Key::Delete);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert!(
        h.query_by_label("Don't save").is_some(),
        "asks before losing work"
    );
    assert_eq!(
        h.state().document().diagram.name,
        "Test",
        "nothing replaced yet"
    );
    click(&mut h, "Don't save");
    assert_eq!(h.state().document().diagram.name, "Static website");
}

#[test]
fn a_broken_file_is_reported_and_the_open_diagram_kept() {
    let dir = tempfile::tempdir().unwrap();
    let broken = temp_file(&dir, "broken.ron");
    std::fs::write(
        &broken,
        "(schema_version: 1, resources: [(id: \"x\", config: Nope())])",
    )
    .unwrap();
    let dialogs = ScriptedDialogs {
        open_answers: vec![broken],
        save_answers: Vec::new(),
    };
    let mut h = harness_with(small_diagram(), dialogs);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    let status = h.state().state().status.clone().unwrap();
    assert!(
        status.text.contains("unknown resource kind `Nope`"),
        "{}",
        status.text
    );
    assert_eq!(h.state().document().diagram.name, "Test");
}

#[test]
fn a_save_error_is_shown_and_the_work_stays_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let impossible = dir.path().join("missing-folder").join("x.ron");
    let dialogs = ScriptedDialogs {
        open_answers: Vec::new(),
        save_answers: vec![impossible],
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "Front door (alb)");
    h.key_press(Key::Delete);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let status = h.state().state().status.clone().unwrap();
    assert!(status.text.contains("cannot save"), "{}", status.text);
    assert!(h.state().document().is_dirty());
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = temp_file(&dir, "recovery.ron");
    let start = |diagram| {
        let app = cloudcanvas::ui::EditorApp::new(cloudcanvas::ui::EditorOptions {
            diagram,
            path: None,
            dialogs: Box::new(ScriptedDialogs::default()),
            recovery_path: Some(recovery.clone()),
            preferences: cloudcanvas::ui::Preferences::default(),
        });
        let mut h = egui_kittest::Harness::builder()
            .with_size(egui::Vec2::new(1400.0, 900.0))
            .build_ui_state(|ui, app: &mut cloudcanvas::ui::EditorApp| app.show(ui), app);
        h.run();
        h
    };
    let mut h = start(small_diagram());
    click(&mut h, "Front door (alb)");
    h.key_press(Key::Delete);
    h.run();
    assert!(!recovery.exists(), "not before 30 seconds");
    h.input_mut().time = Some(31.0);
    h.run();
    assert!(recovery.is_file(), "autosaved after 30 seconds");
    let edited = h.state().document().diagram.clone();
    drop(h); // The "crash": the editor goes away without saving.

    let mut h = start(small_diagram());
    assert!(
        h.query_by_label_contains("unsaved changes to \"Test\"")
            .is_some(),
        "the offer names the diagram"
    );
    click(&mut h, "Restore");
    assert_eq!(h.state().document().diagram, edited);
    assert!(
        h.state().document().is_dirty(),
        "restored work still needs saving"
    );
}

#[derive(Debug)]
struct DroppedRon(std::path::PathBuf);

impl egui::DroppedFile for DroppedRon {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_diagram_dropped_on_the_window_opens() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "dropped.ron");
    io::save(
        &file,
        &cloudcanvas::library::templates::find("serverless")
            .unwrap()
            .load()
            .unwrap(),
    )
    .unwrap();
    let mut h = harness();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedRon(file.clone())));
    h.run();
    assert_eq!(
        h.state().document().diagram.name,
        "Serverless upload pipeline"
    );
    assert_eq!(h.state().document().path.as_deref(), Some(file.as_path()));
}

#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn preferences_are_kept_between_runs() {
    use eframe::App as _;
    let mut h = harness();
    click(&mut h, "View");
    click(&mut h, "Dark theme");
    let mut storage = MemoryStorage::default();
    h.state_mut().save(&mut storage);
    let prefs = cloudcanvas::ui::load_preferences(Some(&storage));
    assert_eq!(prefs.theme, cloudcanvas::ui::theme::ThemeChoice::Dark);
    assert_eq!(
        cloudcanvas::ui::load_preferences(None).theme,
        cloudcanvas::ui::theme::ThemeChoice::Light
    );
}

#[test]
fn a_damaged_picture_scale_in_storage_is_brought_back_into_range() {
    use eframe::App as _;
    let mut h = harness();
    let mut storage = MemoryStorage::default();
    h.state_mut().save(&mut storage);
    let key = storage.0.keys().next().cloned().expect("preferences saved");
    let saved = storage.0[&key].clone();
    assert!(saved.contains("picture_scale:2.0"), "{saved}");
    for (stored, loaded) in [("1000.0", 4.0), ("0.01", 1.0), ("3.0", 3.0)] {
        let damaged = saved.replace("picture_scale:2.0", &format!("picture_scale:{stored}"));
        storage.0.insert(key.clone(), damaged);
        let prefs = cloudcanvas::ui::load_preferences(Some(&storage));
        assert_eq!(prefs.picture_scale, loaded, "{stored}");
    }
}

#[test]
fn the_diagram_and_the_selection_export_as_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let whole = temp_file(&dir, "whole.svg");
    let part = temp_file(&dir, "part.png");
    let dialogs = ScriptedDialogs {
        save_answers: vec![whole.clone(), part.clone()],
        ..Default::default()
    };
    let mut h = harness_with(small_diagram(), dialogs);
    click(&mut h, "File");
    click(&mut h, "Export picture…");
    let text = std::fs::read_to_string(&whole).expect("the SVG is written");
    let tree = resvg::usvg::Tree::from_str(&text, &resvg::usvg::Options::default())
        .expect("an SVG any parser reads");
    assert!(tree.size().width() > 1000.0, "the whole diagram");
    assert!(text.contains(">Front door</text>"));
    assert!(h.query_by_label_contains("Exported").is_some());
    click(&mut h, "Front door (alb)");
    click(&mut h, "File");
    click(&mut h, "Export selection as picture…");
    let bytes = std::fs::read(&part).expect("the PNG is written");
    let image = resvg::tiny_skia::Pixmap::decode_png(&bytes).expect("a PNG");
    // One card (112 × 88) and its margin, at twice the canvas's size.
    assert_eq!((image.width(), image.height()), (320, 272));
}
