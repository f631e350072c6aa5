//! User text made safe for where it goes: XML (SVG, draw.io) and Markdown (the report, and
//! the HTML page made from it); for a terminal, see `model::text`.
//!
//! A diagram's names, descriptions and notes come from files anyone may have written —
//! including imported CloudFormation templates — so every exporter passes them through
//! here: markup in a name shows as text, never as markup.

use crate::model::text::terminal;

/// `text` for XML character data or an attribute value: markup characters escaped, and
/// the characters XML 1.0 forbids (most control characters) left out, so the document
/// stays well-formed whatever a name holds.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
pub fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` as literal Markdown inline text on one line: every character Markdown could read
/// as markup (emphasis, links, images, raw HTML, entities, table cells, headings, lists) is
/// escaped with a backslash, and line breaks become spaces.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = true;
    for c in terminal(text).chars() {
        let c = if c == '\n' || c == '\t' { ' ' } else { c };
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '!' | '#' | '~' | '{'
            | '}' => {
                out.push('\\');
                out.push(c);
            }
            // At the start of a line these begin a list, a quote or a heading's underline.
            '-' | '+' | '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            ' ' if at_start => continue,
            c => out.push(c),
        }
        at_start = false;
    }
    // "1. text" at the start would begin a numbered list.
    if let Some(digits) = out.find(|c: char| !c.is_ascii_digit())
        && digits > 0
        && matches!(out[digits..].chars().next(), Some('.' | ')'))
    {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_leaves_out_forbidden_characters() {
        assert_eq!(
            xml("a & <b> \"c\" 'd'\u{1b}[31m\u{0}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;[31m"
        );
        assert_eq!(xml("line\nnext\ttab"), "line\nnext\ttab");
        assert_eq!(xml("\u{FFFE}\u{FFFF}ok"), "ok");
    }

    #[test]
    fn markdown_text_cannot_become_markup() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(markdown("# title"), "\\# title");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("12. item"), "12\\. item");
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(markdown("&lt;"), "\\&lt;");
        assert_eq!(markdown("app-asg 1.5"), "app-asg 1.5");
    }
}
