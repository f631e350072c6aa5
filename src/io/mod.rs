//! Reading and writing diagrams as RON.
//!
//! Loading never panics and never half-loads: it returns a whole, checked [`Diagram`] or
//! a [`LoadError`] that names the file, the line and column, what is wrong and what to
//! do. Saving is atomic and keeps the previous file as `NAME.ron.bak`.

mod error;
mod locate;
mod migrate;
mod output;
mod read;
mod save;

use serde::{Deserialize, Serialize};

pub use error::{LoadError, LoadErrorKind, SaveError};
pub use migrate::CURRENT_SCHEMA_VERSION;
pub use output::{WriteError, WritePolicy, check_all, sibling, write_all};
pub use read::{ReadError, TextReadError, read_capped, read_text_capped};
pub use save::{backup_path, save, save_with};

use crate::model::{Diagram, Link, Note, Resource};

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Diagrams with more resources than this are refused.
pub const MAX_RESOURCES: usize = 100_000;

/// The RON extensions saves use, written at the top of each file; the loader also
/// accepts files without the header that rely on them.
const EXTENSIONS: ron::extensions::Extensions = ron::extensions::Extensions::IMPLICIT_SOME
    .union(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);

/// The diagram as written in a file of the current schema version.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiagramFile {
    schema_version: u32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_region")]
    region: String,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    notes: Vec<Note>,
}

fn default_region() -> String {
    crate::model::DEFAULT_REGION.into()
}

/// The diagram as it is written, borrowing from the model.
#[derive(Serialize)]
struct DiagramFileRef<'a> {
    schema_version: u32,
    name: &'a str,
    description: &'a str,
    region: &'a str,
    resources: Vec<&'a Resource>,
    links: &'a [Link],
    #[serde(skip_serializing_if = "<[Note]>::is_empty")]
    notes: &'a [Note],
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(EXTENSIONS)
}

/// Reads a diagram from a file.
pub fn load(path: &std::path::Path) -> Result<Diagram, LoadError> {
    let in_file = |e: LoadError| e.in_file(path);
    let text = read_text_capped(path, MAX_FILE_BYTES).map_err(|e| {
        in_file(LoadError::new(match e {
            TextReadError::NotText => LoadErrorKind::NotText,
            TextReadError::Read(ReadError::TooLarge { size, .. }) => {
                LoadErrorKind::TooLarge { bytes: size }
            }
            TextReadError::Read(ReadError::Io(e)) => LoadErrorKind::Read(e),
            TextReadError::Read(ReadError::Folder) => {
                LoadErrorKind::Read(std::io::Error::other("it is a folder, not a diagram file"))
            }
        }))
    })?;
    load_str(&text).map_err(in_file)
}

/// Reads a diagram from RON text. Resources without a position are laid out.
pub fn load_str(text: &str) -> Result<Diagram, LoadError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::new(LoadErrorKind::TooLarge {
            bytes: Some(text.len() as u64),
        }));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::new(LoadErrorKind::Empty).at(1, 1));
    }
    let file = migrate::parse_any_version(text)?;
    if file.resources.len() > MAX_RESOURCES {
        return Err(LoadError::new(LoadErrorKind::TooManyResources {
            count: file.resources.len(),
        }));
    }
    let mut diagram = Diagram::from_parts(
        file.name,
        file.description,
        file.region,
        file.resources,
        file.links,
        file.notes,
    )
    .map_err(|e| locate::model_error(text, e))?;
    if diagram.resources().any(|r| r.rect.is_unplaced())
        || diagram.notes().iter().any(|n| n.rect.is_unplaced())
    {
        crate::layout::auto_layout(&mut diagram);
    }
    Ok(diagram)
}

/// The diagram as RON text in the current schema version.
pub fn to_ron_string(diagram: &Diagram) -> String {
    let file = DiagramFileRef {
        schema_version: CURRENT_SCHEMA_VERSION,
        name: &diagram.name,
        description: &diagram.description,
        region: &diagram.region,
        resources: diagram.resources().collect(),
        links: diagram.links(),
        notes: diagram.notes(),
    };
    let pretty = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(false)
        .extensions(EXTENSIONS);
    // The file types hold only strings, numbers, bools, lists and enums, which RON
    // always writes.
    // Plain options, so that the extensions are written in the file's header and any RON
    // reader understands the file.
    ron::ser::to_string_pretty(&file, pretty).unwrap_or_default()
}

/// The version number a RON text says it has, if it says so.
fn schema_version_of(text: &str) -> Result<Option<u32>, LoadError> {
    #[derive(Deserialize)]
    struct Header {
        #[serde(default)]
        schema_version: Option<u32>,
    }
    let header: Header = ron_options()
        .from_str(text)
        .map_err(|e| locate::ron_error(text, e))?;
    Ok(header.schema_version)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
