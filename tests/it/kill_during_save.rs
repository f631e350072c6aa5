//! A process killed in the middle of a save never leaves a broken file.
//!
//! The test re-runs this test binary as a child that saves two different diagrams to the
//! same file in a loop, kills it at varied moments, and checks each time that the file
//! loads and holds one of the two diagrams whole.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use cloudcanvas::io;
use cloudcanvas::model::geom::Rect;
use cloudcanvas::model::{Diagram, Kind, Resource, ResourceId};

const LOOP_FILE_VAR: &str = "CLOUDCANVAS_SAVE_LOOP_FILE";

/// A diagram large enough that one save takes a while, so kills land mid-write.
fn big_diagram(name: &str, regions: usize) -> Diagram {
    let mut d = Diagram::new(name);
    for r in 0..regions {
        let region = ResourceId::new(format!("region-{r}")).unwrap();
        let mut res = Resource::new(region.clone(), Kind::Region);
        res.rect = Rect::new(r as f32 * 900.0, 0.0, 800.0, 800.0);
        d.add(res).unwrap();
        for b in 0..40 {
            let mut bucket = Resource::new(
                ResourceId::new(format!("bucket-{r}-{b}")).unwrap(),
                Kind::S3Bucket,
            )
            .named(format!("Bucket {b} of region {r}"))
            .in_parent(&region);
            bucket.rect = Rect::new(r as f32 * 900.0 + 10.0, b as f32 * 10.0, 100.0, 80.0);
            d.add(bucket).unwrap();
        }
    }
    d
}

/// The child side: saves forever when the variable names a file; does nothing otherwise.
#[test]
#[ignore = "helper: run as a child process by `saves_survive_being_killed`"]
fn child_save_loop() {
    let Some(path) = std::env::var_os(LOOP_FILE_VAR) else {
        return;
    };
    let diagrams = [big_diagram("first", 20), big_diagram("second", 30)];
    for i in 0.. {
        io::save(Path::new(&path), &diagrams[i % 2]).unwrap();
    }
}

#[test]
fn saves_survive_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stress.ron");
    let first = big_diagram("first", 20);
    let second = big_diagram("second", 30);
    io::save(&path, &first).unwrap();
    let kills = 40;
    let mut seen_second = 0;
    for round in 0..kills {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_during_save::child_save_loop",
                "--ignored",
                "--test-threads=1",
            ])
            .env(LOOP_FILE_VAR, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill at a different moment each round: 20 ms to about 170 ms after start.
        std::thread::sleep(Duration::from_millis(20 + (round * 37 % 150) as u64));
        child.kill().unwrap();
        child.wait().unwrap();
        let loaded = io::load(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            loaded == first || loaded == second,
            "round {round}: the file holds one whole diagram"
        );
        seen_second += usize::from(loaded == second);
        if io::backup_path(&path).exists() {
            let backup = io::load(&io::backup_path(&path))
                .unwrap_or_else(|e| panic!("round {round} backup: {e}"));
            assert!(backup == first || backup == second);
        }
    }
    // Both diagrams showing up proves the child was saving when it was killed.
    assert!(
        seen_second > 0 && seen_second < kills,
        "second diagram seen in {seen_second} of {kills} rounds"
    );
}
