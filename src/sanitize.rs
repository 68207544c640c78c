//! The one sanitiser for tenant text on its way to a terminal cell, a report or an export.
//!
//! Tenant strings are attacker-chosen. Control characters (C0, DEL, C1), bidi overrides and
//! isolates, zero-width and other invisible format characters are never passed through and
//! never silently dropped: each is shown as a visible escape (`\x1b`, `\u{202e}`, `⏎`), because
//! their presence is itself a finding. Floods of combining marks are escaped past a small
//! number per base character, and the result is capped in length. Output is a single line.

/// Longest sanitised line, in characters, before it is cut with `…`.
pub const MAX_CHARS: usize = 512;

/// Combining marks allowed on one base character before the rest are shown escaped.
const MAX_COMBINING: usize = 2;

/// Sanitises `s` into one safe line, capped at [`MAX_CHARS`].
pub fn line(s: &str) -> String {
    line_capped(s, MAX_CHARS)
}

/// Sanitises `s` into one safe line of at most `max` characters (plus an ellipsis).
pub fn line_capped(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max + 16));
    let mut count = 0usize;
    let mut combining = 0usize;
    for c in s.chars() {
        if count >= max {
            out.push('…');
            return out;
        }
        if is_combining(c) {
            combining += 1;
            if combining > MAX_COMBINING {
                push_escape(&mut out, c);
                count += 1;
                continue;
            }
            out.push(c);
            continue;
        }
        combining = 0;
        match escape_for(c) {
            Some(Escape::Symbol(sym)) => out.push_str(sym),
            Some(Escape::Code) => push_escape(&mut out, c),
            None => out.push(c),
        }
        count += 1;
    }
    out
}

/// True when `s` contains any character the sanitiser would escape (a finding in itself).
pub fn is_suspicious(s: &str) -> bool {
    let mut combining = 0usize;
    for c in s.chars() {
        if is_combining(c) {
            combining += 1;
            if combining > MAX_COMBINING {
                return true;
            }
            continue;
        }
        combining = 0;
        if escape_for(c).is_some() {
            return true;
        }
    }
    false
}

/// True for a character that may never reach a terminal or document unescaped.
pub fn is_unsafe_char(c: char) -> bool {
    escape_for(c).is_some()
}

enum Escape {
    Symbol(&'static str),
    Code,
}

fn escape_for(c: char) -> Option<Escape> {
    match c {
        '\n' => Some(Escape::Symbol("⏎")),
        '\r' => Some(Escape::Symbol("␍")),
        '\t' => Some(Escape::Symbol("⇥")),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(Escape::Code),
        // Bidi marks, embeddings, overrides and isolates.
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some(Escape::Code),
        // Zero-width and invisible format characters.
        '\u{00ad}'
        | '\u{034f}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200d}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{2060}'..='\u{2064}'
        | '\u{206a}'..='\u{206f}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e007f}'
        | '\u{e0100}'..='\u{e01ef}' => Some(Escape::Code),
        // Private-use and unassigned-looking planes a terminal might map to anything.
        '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}' => Some(Escape::Code),
        _ => None,
    }
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let n = c as u32;
    if n < 0x100 {
        let _ = write!(out, "\\x{n:02x}");
    } else {
        let _ = write!(out, "\\u{{{n:x}}}");
    }
}

/// Combining marks (the common blocks); enough to stop "zalgo" floods from stacking.
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05bd}'
        | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_controls_visibly() {
        assert_eq!(line("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(line("x\ny\rz\tw"), "x⏎y␍z⇥w");
        assert_eq!(line("\u{9b}2J"), "\\x9b2J");
        assert_eq!(line("evil\u{202e}fdp.exe"), "evil\\u{202e}fdp.exe");
        assert_eq!(line("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(line("plain Ünïcødé 日本"), "plain Ünïcødé 日本");
    }

    #[test]
    fn caps_length_and_combining_floods() {
        let long = "a".repeat(2000);
        assert_eq!(line(&long).chars().count(), MAX_CHARS + 1);
        let zalgo = format!("e{}", "\u{301}".repeat(50));
        let out = line(&zalgo);
        assert!(out.starts_with("e\u{301}\u{301}\\u{301}"));
        assert!(is_suspicious(&zalgo));
        assert!(!is_suspicious("café"));
    }

    proptest! {
        #[test]
        fn no_control_bidi_or_zero_width_survives(s in any::<String>()) {
            let out = line(&s);
            for c in out.chars() {
                prop_assert!(!c.is_control(), "control {:?} survived", c);
                prop_assert!(!is_unsafe_char(c), "unsafe {:?} survived", c);
            }
        }
    }
}
