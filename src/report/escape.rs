//! Markdown/HTML escaping for tenant text in the Markdown report. Input is sanitised first
//! (`crate::sanitize::line`: one line, no controls or invisible characters), then every
//! character that could start a link, an image, emphasis, a code span, an HTML tag or
//! entity, a heading, an autolink (`scheme://`, `www.`) or break a table row is escaped. Our own
//! summaries embed tenant text, so they go through the same function.

use crate::sanitize::line;

/// Tenant text made safe for a Markdown paragraph, list item or table cell.
pub fn md(s: &str) -> String {
    let clean = line(s);
    let chars: Vec<char> = clean.chars().collect();
    let mut out = String::with_capacity(clean.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '{' | '}' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `scheme://` and `www.` would become bare autolinks (GFM).
            ':' if chars.get(i + 1..i + 3) == Some(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3 && chars[i - 3..i].iter().all(|x| x.eq_ignore_ascii_case(&'w')) => {
                out.push_str("\\.")
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markdown_is_inert() {
        assert_eq!(md("[click](http://evil)"), "\\[click\\]\\(http\\://evil\\)");
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("```rust"), "\\`\\`\\`rust");
        assert_eq!(md("# title"), "\\# title");
        assert_eq!(md("**bold** _em_"), "\\*\\*bold\\*\\* \\_em\\_");
        assert_eq!(md("x\ny"), "x⏎y");
        assert_eq!(md("&lt;"), "&amp;lt;");
        assert_eq!(md("back\\slash"), "back\\\\slash");
        assert_eq!(md("\u{1b}[31m"), "\\\\x1b\\[31m");
        assert_eq!(md("Amsterdam, NL: 5 km"), "Amsterdam, NL: 5 km");
        assert_eq!(md("see WWW.evil.io"), "see WWW\\.evil.io");
        assert_eq!(md("javascript:x https://e"), "javascript:x https\\://e");
    }

    /// Every Markdown-active character in the output is escaped by a backslash that is not
    /// itself escaped; no `<`, `>` or line break survives.
    fn inert(out: &str) -> bool {
        let mut escaped = false;
        for c in out.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '<' | '>' | '\n' | '\r' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '('
                | ')' => {
                    return false;
                }
                _ => {}
            }
        }
        !escaped
    }

    proptest::proptest! {
        #[test]
        fn any_input_is_inert(s in proptest::prelude::any::<String>()) {
            proptest::prop_assert!(inert(&md(&s)), "{:?} -> {:?}", s, md(&s));
        }

        #[test]
        fn markdown_heavy_input_is_inert(s in "[\\[\\]()<>|`*_#!&:/w. a\\\\\n-]{0,40}") {
            proptest::prop_assert!(inert(&md(&s)), "{:?} -> {:?}", s, md(&s));
        }
    }
}
