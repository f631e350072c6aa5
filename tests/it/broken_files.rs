//! Broken files give the expected error at the expected line, and never a panic.
//!
//! Each fixture in `tests/fixtures/broken/` starts with `// expect: line N: TEXT`.

use std::path::{Path, PathBuf};

use cloudcanvas::io::{self, LoadErrorKind};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_broken_fixture_gives_its_expected_error() {
    let files = fixtures();
    assert!(files.len() >= 15, "fixtures found: {}", files.len());
    let mut mismatches = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: line "))
            .unwrap();
        let (line, message) = expect.split_once(": ").unwrap();
        let Err(err) = io::load(&file) else {
            mismatches.push(format!("{} loaded", file.display()));
            continue;
        };
        let shown = err.to_string();
        let located = err.line == Some(line.parse().unwrap());
        if !located || !shown.contains(message) || !shown.starts_with(&file.display().to_string()) {
            mismatches.push(format!(
                "expected line {line} and `{message}`, got: {shown}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn a_huge_file_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(io::MAX_FILE_BYTES + 1024)
        .unwrap();
    let err = io::load(&path).unwrap_err();
    assert!(matches!(err.kind, LoadErrorKind::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("64 MiB"), "{err}");
}

#[test]
fn a_diagram_with_too_many_resources_is_refused() {
    let mut text = String::from("(schema_version: 1, resources: [");
    for i in 0..=io::MAX_RESOURCES {
        text.push_str(&format!("(id: \"r{i}\", config: Users()),"));
    }
    text.push_str("])");
    let err = io::load_str(&text).unwrap_err();
    assert!(
        matches!(err.kind, LoadErrorKind::TooManyResources { count } if count == io::MAX_RESOURCES + 1),
        "{err}"
    );
}
