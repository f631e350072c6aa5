//! Files saved in older schema versions keep loading.
//!
//! `tests/fixtures/schema/vN/` holds files written in version N; they are never edited.
//! When the schema changes, these tests prove the migration path works.

use std::path::Path;

use cloudcanvas::io;
use cloudcanvas::library::templates;
use cloudcanvas::model::Kind;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schema")
        .join(name)
}

#[test]
fn a_version_1_save_loads_as_the_template_it_came_from() {
    let loaded = io::load(&fixture("v1/employee-directory.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.len(), 26, "the template as it was saved");
    assert!(loaded.problems().is_empty());
    // The template has since gained resources (a certificate); what the old save holds is
    // still there, of the same kind, in the same place.
    let template = templates::find("employee-directory")
        .unwrap()
        .load()
        .unwrap();
    for r in loaded.resources() {
        let now = template
            .resource(r.id.as_str())
            .unwrap_or_else(|| panic!("{} left the template", r.id));
        assert_eq!((r.kind(), &r.parent), (now.kind(), &now.parent), "{}", r.id);
    }
    for link in loaded.links() {
        assert!(template.links().iter().any(|l| l.same_as(link)), "{link:?}");
    }
}

#[test]
fn a_hand_written_version_1_file_loads_and_is_laid_out() {
    let d = io::load(&fixture("v1/minimal-hand-written.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.count_by_kind().get(&Kind::S3Bucket), Some(&1));
    assert!(d.resources().all(|r| !r.rect.is_unplaced()));
}

#[test]
fn the_current_version_is_written() {
    let d = templates::find("queueing-lab").unwrap().load().unwrap();
    let text = io::to_ron_string(&d);
    assert!(text.contains(&format!("schema_version: {},", io::CURRENT_SCHEMA_VERSION)));
}
