use super::*;
use crate::model::{Kind, LinkKind, ModelError, ResourceId};

fn id(s: &str) -> ResourceId {
    ResourceId::new(s).unwrap()
}

fn sample() -> Diagram {
    let mut d = Diagram::new("sample");
    d.description = "A region with a bucket".into();
    d.add(Resource::new(id("users"), Kind::Users)).unwrap();
    d.add(Resource::new(id("region"), Kind::Region)).unwrap();
    d.add(
        Resource::new(id("bucket"), Kind::S3Bucket)
            .named("Photos")
            .in_parent(&id("region")),
    )
    .unwrap();
    d.add_link(Link::new(id("users"), id("bucket"), LinkKind::Traffic))
        .unwrap();
    crate::layout::auto_layout(&mut d);
    d
}

#[test]
fn saved_text_round_trips_and_reads_well() {
    let d = sample();
    let text = to_ron_string(&d);
    assert!(text.starts_with("#![enable("), "{text}");
    assert!(text.contains("schema_version: 1,"), "{text}");
    assert!(
        text.contains("config: S3Bucket("),
        "variant newtypes are unwrapped: {text}"
    );
    assert!(
        text.contains("parent: \"region\""),
        "options are implicit: {text}"
    );
    assert_eq!(load_str(&text).unwrap(), d);
}

#[test]
fn hand_written_files_may_omit_defaults_header_and_positions() {
    let text = r#"(
        schema_version: 1,
        name: "hand",
        resources: [
            (id: "r", config: Region()),
            (id: "vpc", parent: "r", config: Vpc(cidr: "10.1.0.0/16")),
            (id: "vpc2", parent: Some("r"), config: Vpc(cidr: "10.2.0.0/16")),
        ],
    )"#;
    let d = load_str(text).unwrap();
    assert_eq!(d.len(), 3);
    assert_eq!(d.region, "us-east-1");
    assert!(d.resources().all(|r| !r.rect.is_unplaced()), "laid out");
    match &d.resource("vpc2").unwrap().config {
        crate::model::Config::Vpc(v) => assert_eq!(v.cidr, "10.2.0.0/16"),
        other => panic!("{other:?}"),
    }
}

fn error_of(text: &str) -> LoadError {
    load_str(text).unwrap_err()
}

#[test]
fn unknown_kind_names_the_line_and_suggests_a_kind() {
    let text = "(\n    schema_version: 1,\n    resources: [\n        (id: \"a\", config: Ec2Instanse()),\n    ],\n)";
    let err = error_of(text);
    assert_eq!((err.line, err.column), (Some(4), Some(27)), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("unknown resource kind `Ec2Instanse`; did you mean `Ec2Instance`?"),
        "{message}"
    );
}

#[test]
fn unknown_fields_and_wrong_types_are_located() {
    let text =
        "(\n  schema_version: 1,\n  resources: [(id: \"r\", config: Region(kode: \"x\"))],\n)";
    let err = error_of(text);
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("kode"), "{err}");
    let text = "(\n  schema_version: 1,\n  resources: [(id: \"r\", config: Region(code: 5))],\n)";
    let err = error_of(text);
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("expected text in quotes"), "{err}");
}

#[test]
fn model_errors_point_at_the_resource() {
    let dup = "(\n schema_version: 1,\n resources: [\n  (id: \"r\", config: Region()),\n  (id: \"r\", config: Region()),\n ],\n)";
    let err = error_of(dup);
    assert!(
        matches!(err.kind, LoadErrorKind::Invalid(ref e) if matches!(**e, ModelError::DuplicateId(_))),
        "{err}"
    );
    assert_eq!(err.line, Some(5), "the second definition");
    let dangling = "(\n schema_version: 1,\n resources: [\n  (id: \"v\", parent: \"gone\", config: Vpc()),\n ],\n)";
    let err = error_of(dangling);
    assert!(
        matches!(
            err.kind,
            LoadErrorKind::Invalid(ref e) if matches!(**e, ModelError::DanglingParent { .. })
        ),
        "{err}"
    );
    assert_eq!(err.line, Some(4));
    assert!(
        err.to_string().contains("restore its .ron.bak copy"),
        "says what to do: {err}"
    );
}

#[test]
fn a_save_without_a_version_or_of_an_unknown_version_is_refused_with_its_line() {
    let err = error_of("(name: \"x\")");
    assert!(matches!(err.kind, LoadErrorKind::MissingVersion));
    let err = error_of("(\n schema_version: 99,\n)");
    assert!(matches!(
        err.kind,
        LoadErrorKind::NewerVersion { found: 99 }
    ));
    assert_eq!(err.line, Some(2));
    assert!(err.to_string().contains("newer cloudcanvas"), "{err}");
    let err = error_of("(schema_version: 0)");
    assert!(matches!(
        err.kind,
        LoadErrorKind::UnsupportedVersion { found: 0 }
    ));
}

#[test]
fn garbage_and_truncation_are_errors_not_panics() {
    for text in [
        "",
        "(",
        "\u{0}\u{1}",
        "(schema_version: 1, resources: [(id: \"a\"",
        "[1, 2, 3]",
        "(((((((((((((",
    ] {
        let err = error_of(text);
        assert!(!err.to_string().is_empty());
    }
    let deep = "[".repeat(10_000);
    assert!(
        load_str(&deep).is_err(),
        "deep nesting is refused without overflowing the stack"
    );
}

#[test]
fn save_is_atomic_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let mut d = sample();
    save(&path, &d).unwrap();
    assert!(
        !backup_path(&path).exists(),
        "no backup of a file that did not exist"
    );
    d.name = "second".into();
    save(&path, &d).unwrap();
    assert_eq!(load(&path).unwrap().name, "second");
    assert_eq!(load(&backup_path(&path)).unwrap().name, "sample");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}

#[test]
fn save_errors_name_the_file_and_leave_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dir = dir.path().join("no-such-folder").join("x.ron");
    let err = save(&missing_dir, &sample()).unwrap_err();
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}

#[test]
fn files_too_large_or_not_text_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.ron");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = load(&big).unwrap_err();
    assert!(matches!(err.kind, LoadErrorKind::TooLarge { .. }));
    assert!(
        err.to_string().starts_with(&big.display().to_string()),
        "{err}"
    );
    let binary = dir.path().join("bin.ron");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    assert!(matches!(
        load(&binary).unwrap_err().kind,
        LoadErrorKind::NotText
    ));
    let err = load(&dir.path().join("absent.ron")).unwrap_err();
    assert!(matches!(err.kind, LoadErrorKind::Read(_)));
}
