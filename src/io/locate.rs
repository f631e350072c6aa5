//! Turning parser and model errors into located, plain-language load errors.

use super::{LoadError, LoadErrorKind};
use crate::model::{Kind, ModelError};

/// A RON parse error at its line and column, reworded where RON's words are cryptic.
pub(super) fn ron_error(text: &str, error: ron::error::SpannedError) -> LoadError {
    let message = match &error.code {
        ron::Error::NoSuchEnumVariant {
            found,
            outer: Some(outer),
            ..
        } if outer == "Config" => {
            let suggestion = closest_kind(found)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            format!("unknown resource kind `{found}`{suggestion}")
        }
        ron::Error::Eof => "the file ends too early (it may have been cut off)".into(),
        ron::Error::ExpectedStringEnd => {
            "a text in quotes is not closed (the file may have been cut off)".into()
        }
        ron::Error::ExpectedArrayEnd => {
            "a `[` list is not closed with `]`, or an entry lacks its comma".into()
        }
        ron::Error::ExpectedStructLikeEnd => {
            "a `(` is not closed with `)`, or an entry lacks its comma".into()
        }
        ron::Error::ExpectedString => "expected text in quotes here".into(),
        ron::Error::ExpectedInteger => "expected a whole number here".into(),
        ron::Error::ExpectedFloat => "expected a number here".into(),
        ron::Error::ExpectedBoolean => "expected true or false here".into(),
        ron::Error::ExceededRecursionLimit => "the file nests brackets too deeply".into(),
        other => other.to_string(),
    };
    let position = error.span.start;
    let mut result = LoadError::new(LoadErrorKind::Syntax(message));
    if position.line > 0 {
        result = result.at(position.line, position.col.max(1));
    } else if !text.is_empty() {
        result = result.at(1, 1);
    }
    result
}

/// A model error located at the line where its main resource is written.
pub(super) fn model_error(text: &str, error: ModelError) -> LoadError {
    let occurrence = if matches!(
        error,
        ModelError::DuplicateId(_) | ModelError::DuplicateNoteId(_)
    ) {
        2
    } else {
        1
    };
    let located = match &error {
        // The diagram's own Region: its `region:` field.
        ModelError::BadRegionCode { id: None, .. } => find(text, "region:", 1),
        _ => error
            .subject()
            .and_then(|id| find_quoted(text, id.as_str(), occurrence)),
    };
    let result = LoadError::new(LoadErrorKind::Invalid(Box::new(error)));
    match located {
        Some((line, column)) => result.at(line, column),
        None => result,
    }
}

/// An error located at the first `field:` of the text.
pub(super) fn field_error(text: &str, field: &str, kind: LoadErrorKind) -> LoadError {
    let result = LoadError::new(kind);
    match find(text, &format!("{field}:"), 1) {
        Some((line, column)) => result.at(line, column),
        None => result,
    }
}

fn find_quoted(text: &str, id: &str, occurrence: usize) -> Option<(usize, usize)> {
    // Look for `id: "x"` first, where the resource is defined, then for any mention.
    let defined = find_all(text, &format!("id: \"{id}\"")).nth(occurrence - 1);
    defined.or_else(|| find(text, &format!("\"{id}\""), occurrence))
}

fn find(text: &str, needle: &str, occurrence: usize) -> Option<(usize, usize)> {
    find_all(text, needle).nth(occurrence - 1)
}

fn find_all<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    text.match_indices(needle)
        .map(move |(offset, _)| line_column(text, offset))
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn closest_kind(found: &str) -> Option<&'static str> {
    Kind::ALL
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&found.to_lowercase(), &k.name().to_lowercase()),
                k.name(),
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}
