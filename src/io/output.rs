//! Writing files so that nothing is ever destroyed by accident.
//!
//! Every file the program writes goes through [`write_all`]: a set of files (a report and
//! its pictures, a stack per Region) is written whole or not at all; an output may not be
//! one of the files being read; an existing file is replaced only when asked; a symbolic
//! link is written through to its target instead of being replaced by a file; a named pipe
//! or a device (`/dev/stdout`) is streamed to, never renamed over; a path built from data
//! stays in the folder that was chosen ([`sibling`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::NamedTempFile;

/// Temporary files of this program begin with this, so that stale ones can be found.
const TEMP_PREFIX: &str = ".cloudcanvas-";

/// A temporary file older than this was left by a run that was killed: no write lasts
/// that long between creating its temporary file and renaming it.
const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// How a set of files may be written.
#[derive(Clone, Debug, Default)]
pub struct WritePolicy {
    /// Replace files that exist; without it an existing file is an error.
    pub replace: bool,
    /// Keep the previous version of a replaced file as `NAME.bak`.
    pub backup: bool,
    /// Allow writing to a named pipe or a device (streamed, as `-o /dev/stdout`).
    pub stream_to_special: bool,
    /// Files being read, which no output may be.
    pub inputs: Vec<PathBuf>,
}

impl WritePolicy {
    /// A command-line export: replaces only with `--force`, never an input, streams to
    /// pipes and devices.
    pub fn export(force: bool, inputs: &[&Path]) -> Self {
        WritePolicy {
            replace: force,
            backup: false,
            stream_to_special: true,
            inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
        }
    }

    /// A diagram saved by the editor: replaces its file, keeping the previous version.
    pub fn save() -> Self {
        WritePolicy {
            replace: true,
            backup: true,
            stream_to_special: false,
            inputs: Vec::new(),
        }
    }
}

/// Why files could not be written. When this is returned no file has changed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output exists and replacing was not asked for.
    #[error("{} exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    /// The output is a file being read.
    #[error("{} is the file being read; write to another name", .0.display())]
    IsInput(PathBuf),
    /// Two outputs of one set are the same file.
    #[error("{} would be written twice; choose another name", .0.display())]
    Twice(PathBuf),
    /// The output is a folder, socket or other thing that is not a file.
    #[error("{} is {what}, not a file; give a file name", .path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is, such as "a folder".
        what: &'static str,
    },
    /// The output is a named pipe that no program reads from.
    #[error("no program reads from the pipe {}; start its reader first", .0.display())]
    NoReader(PathBuf),
    /// The output's folder does not exist.
    #[error("the folder {} does not exist; create it first", .0.display())]
    NoFolder(PathBuf),
    /// The output is a link whose target does not exist.
    #[error("{} is a link to {}, which does not exist", .path.display(), .target.display())]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
    /// A file name made from data would leave the chosen folder.
    #[error("`{name}` cannot be a file name beside {}: it names another folder", .beside.display())]
    OutsideFolder {
        /// The name that was refused.
        name: String,
        /// The file it was to sit beside.
        beside: PathBuf,
    },
    /// The operating system failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
}

impl WriteError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The file `name` in the folder of `beside`; refused when `name` would leave that folder
/// (a separator, `..`, or nothing).
pub fn sibling(beside: &Path, name: &str) -> Result<PathBuf, WriteError> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).components().count() == 1;
    if !plain {
        return Err(WriteError::OutsideFolder {
            name: name.to_owned(),
            beside: beside.to_path_buf(),
        });
    }
    Ok(beside.with_file_name(name))
}

/// Checks that `paths` could be written under `policy`, without writing anything: to
/// refuse an output before a long computation rather than after it.
pub fn check_all(paths: &[&Path], policy: &WritePolicy) -> Result<(), WriteError> {
    plan(paths, policy).map(|_| ())
}

/// Where each path's write lands, once every rule of `policy` is checked.
fn plan(paths: &[&Path], policy: &WritePolicy) -> Result<Vec<Target>, WriteError> {
    let inputs: Vec<FileIdentity> = policy
        .inputs
        .iter()
        .filter_map(|p| FileIdentity::of(p))
        .collect();
    let mut targets = Vec::with_capacity(paths.len());
    let mut seen: Vec<PathBuf> = Vec::new();
    for &path in paths {
        // First, as it matters most: even --force never replaces an input.
        if let Some(identity) = FileIdentity::of(path)
            && inputs.contains(&identity)
        {
            return Err(WriteError::IsInput(path.to_path_buf()));
        }
        let target = resolve(path, policy)?;
        let real = match &target {
            Target::File { path, .. } | Target::Stream(path) => path,
        };
        let key = same_file_key(real);
        if seen.contains(&key) {
            return Err(WriteError::Twice(path.to_path_buf()));
        }
        seen.push(key);
        targets.push(target);
    }
    Ok(targets)
}

/// A file written to its temporary file, waiting to be renamed into place.
struct Staged<'a> {
    temp: NamedTempFile,
    path: &'a Path,
    kept: Option<NamedTempFile>,
}

/// Where a write really lands.
enum Target {
    /// A regular file that exists (to be replaced) or not (to be created).
    File { path: PathBuf, exists: bool },
    /// A pipe or device, written as a stream.
    Stream(PathBuf),
}

/// Writes every `(path, bytes)` whole, or none of them.
///
/// All checks are made first (inputs, existing files, folders, links); then every file is
/// written to a temporary file beside its target and flushed; only then are they renamed
/// into place, and should a rename fail, the ones already renamed are put back.
pub fn write_all(files: &[(PathBuf, Vec<u8>)], policy: &WritePolicy) -> Result<(), WriteError> {
    let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let targets = plan(&paths, policy)?;

    // Stale temporaries go first, once for each folder written to.
    let mut folders: Vec<&Path> = Vec::new();
    for target in &targets {
        if let Target::File { path, .. } = target
            && !folders.contains(&folder_of(path))
        {
            folders.push(folder_of(path));
            remove_stale_temporaries(folder_of(path));
        }
    }

    // Phase 1: every regular file to a flushed temporary file; nothing is visible yet.
    let mut staged: Vec<Staged> = Vec::new();
    for (target, (_, bytes)) in targets.iter().zip(files) {
        if let Target::File { path, exists } = target {
            let dir = folder_of(path);
            let temp = stage(dir, path, bytes).map_err(|e| WriteError::io(path, e))?;
            // What is replaced is kept aside, to be put back or to become the backup.
            let kept = if *exists {
                Some(copy_aside(path).map_err(|e| WriteError::io(path, e))?)
            } else {
                None
            };
            staged.push(Staged { temp, path, kept });
        }
    }

    // Phase 2: rename everything into place; a failure puts back what was renamed.
    let placed = place(staged)?;
    for (path, kept) in placed {
        if policy.backup
            && let Some(kept) = kept
        {
            // The new file is in place; a backup that cannot be kept is not worth failing.
            let _ = kept.persist(crate::io::backup_path(path));
        }
        sync_dir(folder_of(path));
    }

    // Last, the streams: they cannot be taken back, so they go once all else is done.
    for (target, (_, bytes)) in targets.iter().zip(files) {
        if let Target::Stream(path) = target {
            let mut stream = open_stream(path)?;
            stream
                .write_all(bytes)
                .and_then(|()| stream.flush())
                .map_err(|e| WriteError::io(path, e))?;
        }
    }
    Ok(())
}

/// Opens a pipe or device for writing. A pipe that no program reads would make the open
/// wait forever, so it is opened without waiting, and refused when nobody reads.
#[cfg(unix)]
fn open_stream(path: &Path) -> Result<std::fs::File, WriteError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(code) if code == rustix::io::Errno::NXIO.raw_os_error() => {
                WriteError::NoReader(path.to_path_buf())
            }
            _ => WriteError::io(path, e),
        })?;
    // Once open, writes wait for the reader as usual.
    rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty())
        .map_err(|e| WriteError::io(path, e.into()))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_stream(path: &Path) -> Result<std::fs::File, WriteError> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| WriteError::io(path, e))
}

/// Renames every staged file into place; should one fail, those already renamed are put
/// back as they were (their kept copy, or nothing) and the error is returned.
fn place(staged: Vec<Staged<'_>>) -> Result<Vec<(&Path, Option<NamedTempFile>)>, WriteError> {
    let mut placed: Vec<(&Path, Option<NamedTempFile>)> = Vec::with_capacity(staged.len());
    for Staged { temp, path, kept } in staged {
        if let Err(e) = temp.persist(path) {
            for (done, kept) in placed {
                undo(done, kept);
            }
            return Err(WriteError::io(path, e.error));
        }
        placed.push((path, kept));
    }
    Ok(placed)
}

/// Puts back what was at `path` before: its kept copy, or nothing.
fn undo(path: &Path, kept: Option<NamedTempFile>) {
    match kept {
        Some(copy) => {
            let _ = copy.persist(path);
        }
        None => {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Follows links, and tells a file from a stream or something that cannot be written.
fn resolve(path: &Path, policy: &WritePolicy) -> Result<Target, WriteError> {
    let link = std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    let real = if link {
        std::fs::canonicalize(path).map_err(|_| WriteError::DanglingLink {
            path: path.to_path_buf(),
            target: std::fs::read_link(path).unwrap_or_default(),
        })?
    } else {
        path.to_path_buf()
    };
    match std::fs::metadata(&real) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = folder_of(&real);
            if !dir.is_dir() {
                return Err(WriteError::NoFolder(dir.to_path_buf()));
            }
            Ok(Target::File {
                path: real,
                exists: false,
            })
        }
        Err(e) => Err(WriteError::io(path, e)),
        Ok(meta) if meta.is_file() => {
            if !policy.replace {
                return Err(WriteError::Exists(path.to_path_buf()));
            }
            Ok(Target::File {
                path: real,
                exists: true,
            })
        }
        Ok(meta) if meta.is_dir() => Err(WriteError::NotAFile {
            path: path.to_path_buf(),
            what: "a folder",
        }),
        Ok(meta) => {
            let (what, streamable) = special_kind(&meta);
            if policy.stream_to_special && streamable {
                Ok(Target::Stream(real))
            } else {
                Err(WriteError::NotAFile {
                    path: path.to_path_buf(),
                    what,
                })
            }
        }
    }
}

/// What a path that is neither a file nor a folder is, and whether it can be written to
/// as a stream (a socket cannot be opened as a file).
#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> (&'static str, bool) {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        ("a named pipe", true)
    } else if t.is_char_device() {
        ("a device", true)
    } else if t.is_block_device() {
        ("a disk device", true)
    } else if t.is_socket() {
        ("a socket", false)
    } else {
        ("not a regular file", false)
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::Metadata) -> (&'static str, bool) {
    ("not a regular file", false)
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// One name for a file whichever way it is written: its folder's real path and its name.
fn same_file_key(path: &Path) -> PathBuf {
    let folder = std::fs::canonicalize(folder_of(path)).unwrap_or_else(|_| folder_of(path).into());
    match path.file_name() {
        Some(name) => folder.join(name),
        None => folder,
    }
}

/// `bytes` in a flushed temporary file in `dir`, with the permissions of the file it is
/// to replace (or the usual 0644; temporary files are created private).
fn stage(dir: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<NamedTempFile> {
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    set_readable_permissions(temp.path(), target);
    Ok(temp)
}

/// A flushed copy of `path` beside it, to restore it or keep it as the backup.
fn copy_aside(path: &Path) -> std::io::Result<NamedTempFile> {
    let mut copy = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".bak.tmp")
        .tempfile_in(folder_of(path))?;
    std::io::copy(&mut std::fs::File::open(path)?, copy.as_file_mut())?;
    copy.as_file().sync_all()?;
    set_readable_permissions(copy.path(), path);
    Ok(copy)
}

/// Removes this program's temporary files in `dir` that a killed run left behind: only
/// those of the same owner, and only when older than [`STALE_AFTER`].
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp")) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if meta.is_file() && old && owned_by_us(&meta) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn owned_by_us(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn owned_by_us(_: &std::fs::Metadata) -> bool {
    true
}

/// Which file a path is, whatever the name it is reached by.
#[derive(PartialEq, Eq)]
struct FileIdentity(u64, u64);

impl FileIdentity {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileIdentity(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path) -> Option<Self> {
        use std::hash::{Hash, Hasher};
        let real = std::fs::canonicalize(path).ok()?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        real.hash(&mut hasher);
        Some(FileIdentity(0, hasher.finish()))
    }
}

/// Gives the new file the permissions of the one it replaces, or the usual 0644.
#[cfg(unix)]
fn set_readable_permissions(new_file: &Path, replaced: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let permissions = match std::fs::metadata(replaced) {
        Ok(meta) => meta.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o644),
    };
    // Permissions are a courtesy; the write itself has succeeded if this fails.
    let _ = std::fs::set_permissions(new_file, permissions);
}

#[cfg(not(unix))]
fn set_readable_permissions(_: &Path, _: &Path) {}

/// Flushes the folder entry of a rename, so the new name survives a power cut.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
