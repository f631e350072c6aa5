use super::*;

fn files(list: &[(&Path, &str)]) -> Vec<(PathBuf, Vec<u8>)> {
    list.iter()
        .map(|(p, t)| (p.to_path_buf(), t.as_bytes().to_vec()))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn an_existing_file_is_kept_unless_replacing_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.svg");
    std::fs::write(&out, "old").unwrap();
    let error = write_all(&files(&[(&out, "new")]), &WritePolicy::export(false, &[])).unwrap_err();
    assert!(matches!(error, WriteError::Exists(_)), "{error}");
    assert!(error.to_string().contains("--force"));
    assert_eq!(read(&out), "old");
    write_all(&files(&[(&out, "new")]), &WritePolicy::export(true, &[])).unwrap();
    assert_eq!(read(&out), "new");
}

#[test]
fn an_input_is_never_an_output_even_by_another_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("d.ron");
    std::fs::write(&input, "diagram").unwrap();
    // The same file reached through `./` and through a link.
    let other_name = dir.path().join(".").join("d.ron");
    let error = write_all(
        &files(&[(&other_name, "svg")]),
        &WritePolicy::export(true, &[&input]),
    )
    .unwrap_err();
    assert!(matches!(error, WriteError::IsInput(_)), "{error}");
    #[cfg(unix)]
    {
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        let error = write_all(
            &files(&[(&link, "svg")]),
            &WritePolicy::export(true, &[&input]),
        )
        .unwrap_err();
        assert!(matches!(error, WriteError::IsInput(_)), "{error}");
    }
    assert_eq!(read(&input), "diagram");
}

#[test]
fn a_set_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("report.md");
    let second = dir.path().join("missing-folder").join("report.diagram.svg");
    let error = write_all(
        &files(&[(&first, "md"), (&second, "svg")]),
        &WritePolicy::export(false, &[]),
    )
    .unwrap_err();
    assert!(matches!(error, WriteError::NoFolder(_)), "{error}");
    assert!(!first.exists(), "the first file must not be left alone");

    // The second file exists and may not be replaced: the first is not written either.
    let second = dir.path().join("report.diagram.svg");
    std::fs::write(&second, "kept").unwrap();
    let error = write_all(
        &files(&[(&first, "md"), (&second, "svg")]),
        &WritePolicy::export(false, &[]),
    )
    .unwrap_err();
    assert!(matches!(error, WriteError::Exists(_)), "{error}");
    assert!(!first.exists());
    assert_eq!(read(&second), "kept");
}

#[test]
fn a_failed_rename_puts_back_what_was_already_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let replaced = dir.path().join("a.yaml");
    std::fs::write(&replaced, "old a").unwrap();
    let created = dir.path().join("b.yaml");
    // The third target is a folder with something in it: renaming a file over it fails.
    let blocked = dir.path().join("c.yaml");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("inside"), "x").unwrap();
    let staged = vec![
        Staged {
            temp: stage(dir.path(), &replaced, b"new a").unwrap(),
            path: &replaced,
            kept: Some(copy_aside(&replaced).unwrap()),
        },
        Staged {
            temp: stage(dir.path(), &created, b"new b").unwrap(),
            path: &created,
            kept: None,
        },
        Staged {
            temp: stage(dir.path(), &blocked, b"new c").unwrap(),
            path: &blocked,
            kept: None,
        },
    ];
    let error = place(staged).err().unwrap();
    assert!(matches!(error, WriteError::Io { .. }), "{error}");
    assert_eq!(read(&replaced), "old a", "the replaced file is put back");
    assert!(!created.exists(), "the created file is taken away");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "no temporary file is left");
}

#[cfg(unix)]
#[test]
fn a_link_is_written_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    write_all(&files(&[(&link, "new")]), &WritePolicy::save()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(read(&real), "new");
    assert_eq!(read(&super::super::backup_path(&real)), "old");

    let dangling = dir.path().join("dangling.ron");
    std::os::unix::fs::symlink(dir.path().join("nowhere.ron"), &dangling).unwrap();
    let error = write_all(&files(&[(&dangling, "x")]), &WritePolicy::save()).unwrap_err();
    assert!(matches!(error, WriteError::DanglingLink { .. }), "{error}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_streamed_to_by_exports_and_refused_by_saves() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo is part of coreutils"
    );
    let error = write_all(&files(&[(&pipe, "x")]), &WritePolicy::save()).unwrap_err();
    assert!(
        matches!(
            error,
            WriteError::NotAFile {
                what: "a named pipe",
                ..
            }
        ),
        "{error}"
    );
    // Nobody reads yet: refused at once rather than waiting forever.
    let error = write_all(&files(&[(&pipe, "x")]), &WritePolicy::export(false, &[])).unwrap_err();
    assert!(matches!(error, WriteError::NoReader(_)), "{error}");
    // A reader waiting to open the pipe counts as one: the write goes through once it is
    // there.
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    let policy = WritePolicy::export(false, &[]);
    let mut tries = 0;
    while let Err(WriteError::NoReader(_)) = write_all(&files(&[(&pipe, "streamed")]), &policy) {
        tries += 1;
        assert!(tries < 500, "the reader never came");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(reader.join().unwrap(), "streamed");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&pipe).unwrap().file_type().is_fifo(),
        "the pipe is still a pipe"
    );
}

#[test]
fn a_name_made_from_data_stays_in_the_folder() {
    let out = Path::new("out/stack.yaml");
    assert_eq!(
        sibling(out, "stack.us-west-2.yaml").unwrap(),
        Path::new("out/stack.us-west-2.yaml")
    );
    for bad in ["x/../../escaped.yaml", "..", ".", "", "a\\b", "/etc/passwd"] {
        assert!(
            matches!(sibling(out, bad), Err(WriteError::OutsideFolder { .. })),
            "{bad}"
        );
    }
}

#[test]
fn stale_temporaries_of_killed_runs_are_removed_and_fresh_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".cloudcanvas-abc.tmp");
    let fresh = dir.path().join(".cloudcanvas-def.tmp");
    let other = dir.path().join(".other-abc.tmp");
    for p in [&stale, &fresh, &other] {
        std::fs::write(p, "x").unwrap();
    }
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for p in [&stale, &other] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
    let out = dir.path().join("d.ron");
    write_all(&files(&[(&out, "d")]), &WritePolicy::save()).unwrap();
    assert!(!stale.exists(), "a stale temporary is removed");
    assert!(
        fresh.exists(),
        "one that may belong to a running save is kept"
    );
    assert!(other.exists(), "another program's file is kept");
}

#[test]
fn two_outputs_of_one_set_may_not_be_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.svg");
    let again = dir.path().join(".").join("a.svg");
    let error = write_all(
        &files(&[(&a, "1"), (&again, "2")]),
        &WritePolicy::export(false, &[]),
    )
    .unwrap_err();
    assert!(matches!(error, WriteError::Twice(_)), "{error}");
    assert!(!a.exists());
}
