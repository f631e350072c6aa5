//! Atomic saves that keep the previous version.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::SaveError;
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
/// file or the new one, never a mix.
pub fn save(path: &Path, diagram: &Diagram) -> Result<(), SaveError> {
    write_atomic(path, super::to_ron_string(diagram).as_bytes()).map_err(|source| SaveError {
        file: path.to_path_buf(),
        source,
    })
}

/// Writes `bytes` to `path` atomically, keeping the previous file as a backup.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, true)
}

/// Writes `bytes` to `path` whole or not at all (a temporary file beside it, renamed over
/// it), readable as an ordinary file; with `backup`, the previous file is kept as `.bak`.
pub fn write_replacing(path: &Path, bytes: &[u8], backup: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "the folder {} does not exist; create it first",
                dir.display()
            ),
        ));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".cloudcanvas-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    set_readable_permissions(temp.path(), path);

    if backup && path.is_file() {
        // Copy, not rename: the target must exist at every moment.
        let mut backup = tempfile::Builder::new()
            .prefix(".cloudcanvas-")
            .suffix(".bak.tmp")
            .tempfile_in(dir)?;
        std::io::copy(&mut std::fs::File::open(path)?, backup.as_file_mut())?;
        backup.as_file().sync_all()?;
        set_readable_permissions(backup.path(), path);
        backup.persist(backup_path(path)).map_err(|e| e.error)?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Gives the new file the permissions of the one it replaces, or the usual 0644
/// (temporary files are created private to their owner).
#[cfg(unix)]
fn set_readable_permissions(new_file: &Path, replaced: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(replaced) {
        Ok(meta) => meta.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    // Permissions are a courtesy; the save itself has succeeded if this fails.
    let _ = std::fs::set_permissions(new_file, permissions);
}

#[cfg(not(unix))]
fn set_readable_permissions(_: &Path, _: &Path) {}

/// Flushes the folder entry of the rename, so the new name survives a power cut.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
