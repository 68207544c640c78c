//! Tokens of the filter language, each with its 1-based character position.

use super::expr::Op;
use super::parse::FilterError;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `(`
    Open,
    /// `)`
    Close,
    /// A comparison operator.
    Op(Op),
    /// An unquoted word (field, keyword or value).
    Word(String),
    /// A quoted string, escapes resolved.
    Str(String),
}

/// Characters that end an unquoted word.
pub fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | '=' | '!' | '<' | '>' | '~')
}

/// Splits `text` into tokens with their 1-based character positions.
pub fn tokens(text: &str) -> Result<Vec<(usize, Tok)>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        let next = chars.get(i + 1).copied();
        let (tok, len) = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => (Tok::Open, 1),
            ')' => (Tok::Close, 1),
            '=' if next == Some('=') => (Tok::Op(Op::Eq), 2),
            '=' => (Tok::Op(Op::Eq), 1),
            '~' => (Tok::Op(Op::Contains), 1),
            '!' if next == Some('=') => (Tok::Op(Op::Ne), 2),
            '!' if next == Some('~') => (Tok::Op(Op::NotContains), 2),
            '!' => {
                return Err(FilterError::new(
                    "unexpected '!' (use 'not', '!=' or '!~')",
                    at,
                ));
            }
            '<' if next == Some('=') => (Tok::Op(Op::Le), 2),
            '<' => (Tok::Op(Op::Lt), 1),
            '>' if next == Some('=') => (Tok::Op(Op::Ge), 2),
            '>' => (Tok::Op(Op::Gt), 1),
            '"' | '\'' => {
                let (s, len) = quoted(&chars[i..], at)?;
                (Tok::Str(s), len)
            }
            _ => {
                let len = chars[i..].iter().take_while(|c| !is_special(**c)).count();
                (Tok::Word(chars[i..i + len].iter().collect()), len)
            }
        };
        out.push((at, tok));
        i += len;
    }
    Ok(out)
}

/// A quoted string starting at `chars[0]` (the quote); returns the text and chars consumed.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), FilterError> {
    let quote = chars[0];
    let mut s = String::new();
    let mut i = 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => {
                let e = chars.get(i + 1).copied();
                s.push(match e {
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some(e @ ('\\' | '"' | '\'')) => e,
                    Some(other) => {
                        return Err(FilterError::new(
                            format!("unknown escape '\\{other}' (use \\\" \\' \\\\ \\n \\t)"),
                            at + i,
                        ));
                    }
                    None => break,
                });
                i += 2;
            }
            c if c == quote => return Ok((s, i + 1)),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(FilterError::new(
        format!("unterminated string (missing {quote})"),
        at,
    ))
}
