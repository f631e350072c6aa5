//! Python checkers (cfn-lint, python-hcl2) for exported files, installed once per test
//! run into a virtual environment under `target/`, from the pinned list in
//! `tests/python-tools.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Set to 1 to run without the Python checkers; each check is then counted as skipped.
pub const SKIP_VARIABLE: &str = "CLOUDCANVAS_SKIP_PY_TOOLS";

/// The environment's `bin` directory for `check` (the test's name). Without Python, or
/// when the tools cannot be installed, the test fails, unless `CLOUDCANVAS_SKIP_PY_TOOLS=1`
/// asks to skip: then `None`, and the skip is written where the test command counts it.
pub fn tools(check: &str) -> Option<&'static Path> {
    if std::env::var(SKIP_VARIABLE).is_ok_and(|v| v == "1") {
        record_skip(check, &format!("{SKIP_VARIABLE}=1"));
        return None;
    }
    static TOOLS: OnceLock<PathBuf> = OnceLock::new();
    Some(TOOLS.get_or_init(install).as_path())
}

/// Appends `check` to `target/tmp/skipped-checks.txt`, which `scripts/check.sh` counts in
/// its closing line (captured test output would hide a message).
fn record_skip(check: &str, why: &str) {
    use std::io::Write;
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-checks.txt");
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    writeln!(out, "{check}: {why}").unwrap();
}

fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn install() -> PathBuf {
    let Some(python) = python() else {
        panic!(
            "cfn-lint and python-hcl2 check the exports and need Python 3 (with venv and pip): install it, or set {SKIP_VARIABLE}=1 to skip these checks (counted as skipped)"
        );
    };
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python-tools.txt");
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-tools");
    let bin = venv.join("bin");
    let stamp = venv.join("installed.txt");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return bin;
    }
    let made = Command::new(python)
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .status()
        .unwrap();
    assert!(
        made.success(),
        "{python} -m venv {} failed (set {SKIP_VARIABLE}=1 to skip these checks)",
        venv.display()
    );
    let pip = Command::new(bin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements)
        .status()
        .unwrap();
    assert!(
        pip.success(),
        "pip could not install {} (set {SKIP_VARIABLE}=1 to skip these checks)",
        requirements.display()
    );
    std::fs::write(&stamp, wanted).unwrap();
    bin
}
