//! Reference architectures shipped with the program (`templates/*.ron`, embedded).
//!
//! A template file is an ordinary diagram, usually written without positions so the
//! automatic layout places it. Its file name is `NN-name.ron`: the number orders the
//! gallery, the name is what `--template` takes.

use include_dir::{Dir, include_dir};

use crate::io::{self, LoadError};
use crate::model::Diagram;

static TEMPLATE_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The template the GUI opens with: the employee directory app of the seeds' demo.
pub const DEFAULT_TEMPLATE: &str = "employee-directory";

/// One shipped template.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// Name used on the command line, such as `three-tier`.
    pub name: &'static str,
    /// File name inside `templates/`.
    pub file_name: &'static str,
    /// The RON text.
    pub text: &'static str,
}

impl Template {
    /// Loads the template as a diagram.
    pub fn load(&self) -> Result<Diagram, LoadError> {
        io::load_str(self.text).map_err(|e| e.in_file(format!("templates/{}", self.file_name)))
    }
}

/// Every template, in gallery order.
pub fn all() -> Vec<Template> {
    let mut templates: Vec<Template> = TEMPLATE_DIR
        .files()
        .filter_map(|file| {
            let file_name = file.path().file_name()?.to_str()?;
            let stem = file_name.strip_suffix(".ron")?;
            let name = stem.split_once('-').map_or(stem, |(number, rest)| {
                if number.chars().all(|c| c.is_ascii_digit()) {
                    rest
                } else {
                    stem
                }
            });
            Some(Template {
                name,
                file_name,
                text: file.contents_utf8()?,
            })
        })
        .collect();
    templates.sort_by_key(|t| t.file_name);
    templates
}

/// Every template that loads, with its diagram, parsed once (for galleries).
pub fn loaded() -> &'static [(Template, Diagram)] {
    static LOADED: std::sync::OnceLock<Vec<(Template, Diagram)>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        all()
            .into_iter()
            .filter_map(|t| t.load().ok().map(|d| (t, d)))
            .collect()
    })
}

/// The template called `name`.
pub fn find(name: &str) -> Option<Template> {
    all().into_iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_ordering_number_and_the_default_exists() {
        let names: Vec<&str> = all().iter().map(|t| t.name).collect();
        assert!(names.len() >= 10, "{names:?}");
        assert_eq!(names[0], DEFAULT_TEMPLATE);
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with(|c: char| c.is_ascii_digit()))
        );
        assert!(find(DEFAULT_TEMPLATE).is_some());
        assert!(find("no-such-template").is_none());
    }
}
