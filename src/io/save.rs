//! Atomic saves that keep the previous version.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::SaveError;
use super::output::{WritePolicy, write_all};
use crate::model::Diagram;

/// Where the previous version of `path` is kept: `NAME.ron` → `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Saves `diagram` to `path` atomically, keeping the previous file as `NAME.ron.bak`.
///
/// The text goes to a temporary file in the same folder, which is flushed to disk and
/// then renamed over the target, so a crash or kill at any moment leaves either the old
/// file or the new one, never a mix. A link is saved through to its target; a pipe or a
/// device is refused.
pub fn save(path: &Path, diagram: &Diagram) -> Result<(), SaveError> {
    save_with(path, diagram, &WritePolicy::save())
}

/// Saves `diagram` to `path` as [`save`] does, under `policy` (such as: not over an
/// existing file).
pub fn save_with(path: &Path, diagram: &Diagram, policy: &WritePolicy) -> Result<(), SaveError> {
    let bytes = super::to_ron_string(diagram).into_bytes();
    write_all(&[(path.to_path_buf(), bytes)], policy).map_err(|e| SaveError {
        file: path.to_path_buf(),
        source: e,
    })
}
