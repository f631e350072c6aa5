//! Python checkers (cfn-lint, python-hcl2) for exported files, installed once per test
//! run into a virtual environment under `target/`, from the pinned list in
//! `tests/python-tools.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The environment's `bin` directory, or `None` when no Python is installed (tests that
/// need it then skip, saying so). A Python that cannot install the tools fails the test.
pub fn tools() -> Option<&'static Path> {
    static TOOLS: OnceLock<Option<PathBuf>> = OnceLock::new();
    TOOLS.get_or_init(install).as_deref()
}

fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn install() -> Option<PathBuf> {
    let Some(python) = python() else {
        eprintln!(
            "SKIPPED: no Python on this machine, so cfn-lint and python-hcl2 cannot check the exports"
        );
        return None;
    };
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python-tools.txt");
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-tools");
    let bin = venv.join("bin");
    let stamp = venv.join("installed.txt");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Some(bin);
    }
    let made = Command::new(python)
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .status()
        .unwrap();
    assert!(made.success(), "{python} -m venv {} failed", venv.display());
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
        "pip could not install {}",
        requirements.display()
    );
    std::fs::write(&stamp, wanted).unwrap();
    Some(bin)
}
