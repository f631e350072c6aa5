//! Schema versions and the migration path from older files.
//!
//! Every save carries `schema_version`. Reading dispatches on it: the current version
//! parses straight into the model types. When the format changes, the version goes up,
//! the reader of the old version moves here (as a frozen copy of the old file types
//! with a conversion to the new ones), and a fixture saved in the old version under
//! `tests/fixtures/schema/` keeps proving that old files still open.

use super::{DiagramFile, LoadError, LoadErrorKind, locate, ron_options, schema_version_of};

/// The schema version this build writes.
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

/// Parses a diagram file of any version this build reads, migrated to the current one.
pub(super) fn parse_any_version(text: &str) -> Result<DiagramFile, LoadError> {
    // Most files are current: parse once, and read the version alone only to explain a
    // failure or to route an older file.
    let current = ron_options().from_str::<DiagramFile>(text);
    if let Ok(file) = &current
        && file.schema_version == CURRENT_SCHEMA_VERSION
    {
        return current.map_err(|e| locate::ron_error(text, e));
    }
    match schema_version_of(text)? {
        None => Err(LoadError::new(LoadErrorKind::MissingVersion).at(1, 1)),
        Some(0) => Err(locate::field_error(
            text,
            "schema_version",
            LoadErrorKind::UnsupportedVersion { found: 0 },
        )),
        Some(version) if version > CURRENT_SCHEMA_VERSION => Err(locate::field_error(
            text,
            "schema_version",
            LoadErrorKind::NewerVersion { found: version },
        )),
        // Version 1 is current. Older readers join this match as the format evolves.
        Some(_) => ron_options()
            .from_str::<DiagramFile>(text)
            .map_err(|e| locate::ron_error(text, e)),
    }
}
