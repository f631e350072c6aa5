//! User text made safe to show in messages and on a terminal, wherever it comes from.

/// `text` safe to print on a terminal: control characters (which could move the cursor,
/// retitle the window or hide text) and bidirectional overrides (which could show text in
/// another order than it is) are left out; line breaks and tabs stay.
pub fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(unsafe_on_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().filter(|&c| !unsafe_on_terminal(c)).collect())
}

fn unsafe_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` cut to at most `max` characters, with an ellipsis and the length when it was
/// longer: for echoing values in messages without flooding the screen.
pub fn shortened(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return terminal(text).into_owned();
    }
    let head: String = text.chars().take(max).collect();
    format!("{}… ({count} characters)", terminal(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_get_no_control_sequences() {
        assert_eq!(terminal("\u{1b}]0;owned\u{7}name"), "]0;ownedname");
        assert_eq!(terminal("a\u{202E}b\rc"), "abc");
        assert_eq!(terminal("two\nlines\tok"), "two\nlines\tok");
        assert_eq!(
            shortened(&"x".repeat(10_000), 5),
            "xxxxx… (10000 characters)"
        );
    }
}
