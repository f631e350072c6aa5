//! Errors of loading and saving, located in the file and worded for people.

use std::fmt;
use std::path::PathBuf;

use crate::model::ModelError;

/// Why a diagram could not be loaded. Nothing is loaded when this is returned.
#[derive(Debug)]
pub struct LoadError {
    /// The file, when the text came from one.
    pub file: Option<PathBuf>,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong with a file.
#[derive(Debug)]
pub enum LoadErrorKind {
    /// The file could not be read.
    Read(std::io::Error),
    /// The file is larger than the limit.
    TooLarge {
        /// Size of the file in bytes, when known (a device or a pipe has none).
        bytes: Option<u64>,
    },
    /// The file is not UTF-8 text.
    NotText,
    /// The file holds nothing but white space.
    Empty,
    /// The text is not valid RON, or does not match the diagram format.
    Syntax(String),
    /// The file has no `schema_version`.
    MissingVersion,
    /// The file was written by a newer cloudcanvas.
    NewerVersion {
        /// The file's version.
        found: u32,
    },
    /// The file's version is older than any this build can read.
    UnsupportedVersion {
        /// The file's version.
        found: u32,
    },
    /// The diagram has more resources than the limit.
    TooManyResources {
        /// Resources in the file.
        count: usize,
    },
    /// The diagram breaks a model invariant (boxed: it is large and errors are rare).
    Invalid(Box<ModelError>),
}

impl LoadError {
    /// An error with no location yet.
    pub(crate) fn new(kind: LoadErrorKind) -> Self {
        Self {
            file: None,
            line: None,
            column: None,
            kind,
        }
    }

    /// The same error located at a 1-based line and column.
    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The same error naming `file`.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// What the person can do about it.
    pub fn hint(&self) -> &'static str {
        match &self.kind {
            LoadErrorKind::Read(_) => "check that the file exists and can be read",
            LoadErrorKind::TooLarge { .. } | LoadErrorKind::TooManyResources { .. } => {
                "split the architecture into several diagrams"
            }
            LoadErrorKind::NotText => "choose a cloudcanvas diagram (.ron text file)",
            LoadErrorKind::Empty => {
                "restore its .ron.bak copy, or start one with `cloudcanvas new NAME -o FILE`"
            }
            LoadErrorKind::Syntax(_) => "fix the file at that place, or restore its .ron.bak copy",
            LoadErrorKind::MissingVersion => "add `schema_version: 1,` at the top of the diagram",
            LoadErrorKind::NewerVersion { .. } => "open it with a newer cloudcanvas",
            LoadErrorKind::UnsupportedVersion { .. } => {
                "the version number is wrong; cloudcanvas files start at 1"
            }
            LoadErrorKind::Invalid(_) => {
                "fix the diagram at that place, or restore its .ron.bak copy"
            }
        }
    }
}

impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadErrorKind::Read(e) => write!(f, "cannot read the file: {e}"),
            LoadErrorKind::TooLarge { bytes: Some(bytes) } => write!(
                f,
                "the file is {:.1} MiB, more than the {} MiB a diagram may have",
                *bytes as f64 / (1024.0 * 1024.0),
                super::MAX_FILE_BYTES / (1024 * 1024)
            ),
            LoadErrorKind::TooLarge { bytes: None } => write!(
                f,
                "the file holds more than the {} MiB a diagram may have",
                super::MAX_FILE_BYTES / (1024 * 1024)
            ),
            LoadErrorKind::Empty => write!(f, "the file is empty"),
            LoadErrorKind::NotText => write!(f, "the file is not text (it is not valid UTF-8)"),
            LoadErrorKind::Syntax(message) => write!(f, "{message}"),
            LoadErrorKind::MissingVersion => write!(
                f,
                "the file has no `schema_version`, so it is not a cloudcanvas diagram"
            ),
            LoadErrorKind::NewerVersion { found } => write!(
                f,
                "the file has schema version {found}, newer than version {} that this cloudcanvas reads",
                super::CURRENT_SCHEMA_VERSION
            ),
            LoadErrorKind::UnsupportedVersion { found } => {
                write!(f, "schema version {found} does not exist")
            }
            LoadErrorKind::TooManyResources { count } => write!(
                f,
                "the diagram has {count} resources, more than the {} a diagram may have",
                super::MAX_RESOURCES
            ),
            LoadErrorKind::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}", file.display())?,
            None => write!(f, "<input>")?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}; {}", self.kind, self.hint())
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            LoadErrorKind::Read(e) => Some(e),
            LoadErrorKind::Invalid(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why a diagram could not be saved. The previous file, if any, is untouched.
#[derive(Debug, thiserror::Error)]
#[error("cannot save {}: {source}; the previous version of the file is unchanged", file.display())]
pub struct SaveError {
    /// The file being written.
    pub file: PathBuf,
    /// The underlying failure.
    #[source]
    pub source: super::WriteError,
}
