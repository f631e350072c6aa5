//! Reading an input file with a bound on what it may cost.
//!
//! The size a file's metadata gives is not enough: `/dev/zero` reports 0 bytes and never
//! ends, a pipe reports nothing. So every read counts the bytes it takes and stops one
//! past the limit, and a named pipe without a writer reads as empty instead of waiting
//! forever.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused or failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The path names a folder.
    #[error("it is a folder, not a file")]
    Folder,
    /// The file holds more than the limit.
    #[error("it holds more than {} MiB, the most this program reads", .limit / (1024 * 1024))]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The file's size, when it is a file whose size is known.
        size: Option<u64>,
    },
}

/// The bytes of `path`, at most `limit` of them; more is an error, found after reading
/// `limit + 1` bytes at most, whatever the file claims to be.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Folder);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: Some(meta.len()),
        });
    }
    let file = open_for_reading(path, &meta)?;
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    Ok(bytes)
}

/// Opens `path`; a named pipe is opened without waiting for a writer (one without a writer
/// then reads as empty), and read normally after that.
#[cfg(unix)]
fn open_for_reading(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    if !meta.file_type().is_fifo() {
        return std::fs::File::open(path);
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    rustix::fs::fcntl_setfl(&file, rustix::fs::OFlags::empty())?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path, _: &std::fs::Metadata) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Text of `path`, at most `limit` bytes, with a byte order mark left out: editors on
/// some systems put one at the start of UTF-8 files.
pub fn read_text_capped(path: &Path, limit: u64) -> Result<String, TextReadError> {
    let bytes = read_capped(path, limit)?;
    let mut text = String::from_utf8(bytes).map_err(|_| TextReadError::NotText)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Why a text file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TextReadError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The bytes are not UTF-8.
    #[error("it is not text (not valid UTF-8)")]
    NotText,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        assert_eq!(read_capped(&path, 100).unwrap().len(), 100);
        assert!(matches!(
            read_capped(&path, 99),
            Err(ReadError::TooLarge { limit: 99, .. })
        ));
        assert!(matches!(
            read_capped(dir.path(), 99),
            Err(ReadError::Folder)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_stops_at_the_limit() {
        // /dev/zero reports a length of 0 and never ends.
        let result = read_capped(Path::new("/dev/zero"), 4096);
        assert!(matches!(
            result,
            Err(ReadError::TooLarge { limit: 4096, .. })
        ));
    }

    #[test]
    fn a_byte_order_mark_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.ron");
        std::fs::write(&path, "\u{feff}(a: 1)").unwrap();
        assert_eq!(read_text_capped(&path, 100).unwrap(), "(a: 1)");
    }
}
