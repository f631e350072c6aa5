//! Stable, human-readable identifiers.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The longest id accepted; long enough for descriptive names, short enough for labels.
pub const MAX_ID_LEN: usize = 64;

/// The id of a resource, unique within its diagram, such as `web-asg`.
///
/// Invariant: 1 to [`MAX_ID_LEN`] characters of ASCII letters, digits, `-`, `_` or `.`,
/// starting with a letter or digit. Ids are chosen by people and kept across saves, so
/// they double as the handle in `--set web-asg.max_size=8`; a `.` is allowed inside an id
/// because `--set` splits on the first `.` that ends a known id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ResourceId(String);

impl ResourceId {
    /// Checks `text` against the id rules and wraps it.
    pub fn new(text: impl Into<String>) -> Result<Self, IdError> {
        let text = text.into();
        check_id(&text)?;
        Ok(Self(text))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Turns any label into a valid id: lowercase, other characters become `-`.
    pub fn slug(label: &str) -> ResourceId {
        let mut slug = String::new();
        for c in label.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let mut slug: String = slug.chars().take(MAX_ID_LEN).collect();
        if slug.is_empty() {
            slug.push_str("resource");
        }
        ResourceId(slug.trim_end_matches('-').to_owned())
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ResourceId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for ResourceId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ResourceId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ResourceId::new(text).map_err(serde::de::Error::custom)
    }
}

/// Why a text is not a valid id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text is empty.
    #[error("an id cannot be empty")]
    Empty,
    /// The text is longer than [`MAX_ID_LEN`].
    #[error("the id `{0}` is longer than {MAX_ID_LEN} characters")]
    TooLong(String),

    /// The text holds a character outside the allowed set.
    #[error(
        "the id `{id}` contains `{bad}`; use letters, digits, `-`, `_` or `.`, starting with a letter or digit"
    )]
    BadCharacter {
        /// The rejected id.
        id: String,
        /// The first character that is not allowed.
        bad: char,
    },
}

/// A rejected value as an error shows it: cut after [`MAX_ID_LEN`] characters, with its
/// length, so that a 10,000-character value does not fill the screen.
pub(crate) fn shown(text: &str) -> String {
    let count = text.chars().count();
    if count <= MAX_ID_LEN {
        return text.escape_debug().to_string();
    }
    let head: String = text.chars().take(MAX_ID_LEN).collect();
    format!("{}… ({count} characters)", head.escape_debug())
}

fn check_id(text: &str) -> Result<(), IdError> {
    let Some(first) = text.chars().next() else {
        return Err(IdError::Empty);
    };
    if text.chars().count() > MAX_ID_LEN {
        return Err(IdError::TooLong(shown(text)));
    }
    if !first.is_ascii_alphanumeric() {
        return Err(IdError::BadCharacter {
            id: shown(text),
            bad: first,
        });
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(IdError::BadCharacter {
            id: shown(text),
            bad,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_readable_ids_and_rejects_others() {
        assert!(ResourceId::new("web-asg").is_ok());
        assert!(ResourceId::new("db.primary_1").is_ok());
        assert_eq!(ResourceId::new(""), Err(IdError::Empty));
        assert!(matches!(
            ResourceId::new("-x"),
            Err(IdError::BadCharacter { bad: '-', .. })
        ));
        assert!(matches!(
            ResourceId::new("a b"),
            Err(IdError::BadCharacter { bad: ' ', .. })
        ));
        assert!(matches!(
            ResourceId::new("x".repeat(65)),
            Err(IdError::TooLong(_))
        ));
    }

    #[test]
    fn slug_always_gives_a_valid_id() {
        for label in [
            "Web tier (ASG)",
            "",
            "  --  ",
            "Ünïcode DB",
            &"x".repeat(200),
        ] {
            let id = ResourceId::slug(label);
            assert!(ResourceId::new(id.as_str()).is_ok(), "{label:?} gave {id}");
        }
        assert_eq!(ResourceId::slug("Web tier (ASG)").as_str(), "web-tier-asg");
    }
}
