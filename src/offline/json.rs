//! JSON sign-in logs: Graph pages (`{"value": […]}`, alone, in an array, or concatenated),
//! bare arrays of signIn objects, and JSON Lines. A syntax error or truncation is reported at
//! its line and column; every sign-in that was whole before it is kept, including those at the
//! start of a page that was cut off.

use serde_json::{Deserializer, Value};

use super::record::to_sign_in;
use super::{Format, Location, Parsed};
use crate::graph::models::SignIn;

#[derive(Default)]
struct Sink {
    sign_ins: Vec<SignIn>,
    problems: Vec<(Location, String)>,
    records: usize,
    pages: usize,
}

impl Sink {
    /// A top-level value: a page (object with `value`) or one sign-in.
    fn value(&mut self, v: Value, line: Option<usize>) {
        match v {
            Value::Object(mut m) if m.contains_key("value") => {
                self.pages += 1;
                match m.remove("value") {
                    Some(Value::Array(items)) => {
                        items.into_iter().for_each(|item| self.record(item, line))
                    }
                    Some(Value::Null) | None => {}
                    Some(_) => self.problems.push((
                        self.loc(line),
                        format!("page {}: `value` is not an array", self.pages),
                    )),
                }
            }
            other => self.record(other, line),
        }
    }

    fn record(&mut self, v: Value, line: Option<usize>) {
        self.records += 1;
        match to_sign_in(v) {
            Ok(s) => self.sign_ins.push(s),
            Err(m) => {
                let loc = self.loc(line);
                self.problems.push((loc, format!("skipped: {m}")))
            }
        }
    }

    fn loc(&self, line: Option<usize>) -> Location {
        match line {
            Some(line) => Location::Line { line, column: None },
            None => Location::Record(self.records.max(1)),
        }
    }
}

/// Parses a text whose first non-blank character is `[` or `{`.
pub fn parse(text: &str) -> Parsed {
    let start = text.len() - text.trim_start().len();
    let mut sink = Sink::default();
    let format = if text[start..].starts_with('[') {
        parse_array(text, start, &mut sink);
        Format::JsonArray
    } else if looks_like_json_lines(text) {
        parse_lines(text, &mut sink);
        Format::JsonLines
    } else {
        parse_stream(text, &mut sink);
        Format::JsonLines
    };
    Parsed {
        format: if sink.pages > 0 {
            Format::GraphPages
        } else {
            format
        },
        sign_ins: sink.sign_ins,
        problems: sink.problems,
    }
}

/// The first non-blank line is a whole object that is not a page.
fn looks_like_json_lines(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    matches!(serde_json::from_str::<Value>(first), Ok(Value::Object(m)) if !m.contains_key("value"))
}

fn parse_lines(text: &str, sink: &mut Sink) {
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(l) {
            Ok(v) => sink.value(v, Some(i + 1)),
            Err(e) => sink.problems.push((
                Location::Line {
                    line: i + 1,
                    column: Some(e.column()),
                },
                format!("not a JSON object: {e}"),
            )),
        }
    }
}

/// One or more concatenated top-level values (typically pages).
fn parse_stream(text: &str, sink: &mut Sink) {
    let mut it = Deserializer::from_str(text).into_iter::<Value>();
    let mut end = 0usize;
    loop {
        match it.next() {
            None => return,
            Some(Ok(v)) => {
                sink.value(v, None);
                end = it.byte_offset();
            }
            Some(Err(e)) => {
                let at = Location::Line {
                    line: e.line(),
                    column: Some(e.column()),
                };
                let start = skip_ws(text, end);
                let recovered = salvage_page(text, start, sink);
                sink.problems.push((at, stopped_message(&e, recovered)));
                return;
            }
        }
    }
}

/// A JSON array of pages or of sign-ins, element by element so a bad tail keeps the head.
fn parse_array(text: &str, open: usize, sink: &mut Sink) {
    let mut pos = open + 1;
    loop {
        pos = skip_ws(text, pos);
        match text.as_bytes().get(pos) {
            None => {
                let (line, column) = line_col(text, pos);
                sink.problems.push((
                    Location::Line {
                        line,
                        column: Some(column),
                    },
                    "the file ends inside the array (truncated?)".to_owned(),
                ));
                return;
            }
            Some(b']') => return,
            Some(_) => {}
        }
        let sub = &text[pos..];
        let mut it = Deserializer::from_str(sub).into_iter::<Value>();
        match it.next() {
            Some(Ok(v)) => {
                sink.value(v, None);
                pos += it.byte_offset();
            }
            Some(Err(e)) => {
                let abs = pos + offset_in(sub, e.line(), e.column());
                let (line, column) = line_col(text, abs);
                let recovered = salvage_page(text, pos, sink);
                sink.problems.push((
                    Location::Line {
                        line,
                        column: Some(column),
                    },
                    stopped_message(&e, recovered),
                ));
                return;
            }
            None => return,
        }
        pos = skip_ws(text, pos);
        match text.as_bytes().get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => return,
            other => {
                let (line, column) = line_col(text, pos);
                let what = if other.is_none() {
                    "the file ends inside the array (truncated?)"
                } else {
                    "expected `,` or `]` between array elements; the rest was not read"
                };
                sink.problems.push((
                    Location::Line {
                        line,
                        column: Some(column),
                    },
                    what.to_owned(),
                ));
                return;
            }
        }
    }
}

fn stopped_message(e: &serde_json::Error, recovered: usize) -> String {
    let what = if e.is_eof() {
        "the file ends in the middle of a JSON value (truncated?)".to_owned()
    } else {
        format!("invalid JSON ({e})")
    };
    if recovered > 0 {
        format!(
            "{what}; {recovered} whole sign-ins of the broken page were kept, the rest of the \
             file was not read"
        )
    } else {
        format!("{what}; the rest of the file was not read")
    }
}

/// When the broken value at `start` is a page, keeps the whole sign-ins at the head of its
/// `value` array; returns how many.
fn salvage_page(text: &str, start: usize, sink: &mut Sink) -> usize {
    let Some(open) = find_value_array(text, start) else {
        return 0;
    };
    let mut inner = Sink::default();
    parse_array(text, open, &mut inner);
    let n = inner.sign_ins.len();
    sink.pages += 1;
    sink.records += inner.records;
    sink.sign_ins.append(&mut inner.sign_ins);
    // Record-level problems of the salvaged part still count; the array's own syntax error is
    // the same break the caller reports.
    sink.problems.extend(
        inner
            .problems
            .into_iter()
            .filter(|(l, _)| matches!(l, Location::Record(_))),
    );
    n
}

/// Index of the `[` of the top-level `"value"` member of the object starting at `start`.
fn find_value_array(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(start) != Some(&b'{') {
        return None;
    }
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut str_start = 0usize;
    let mut last_key: Option<(usize, usize)> = None;
    let mut after_value_key = false;
    for (i, &c) in b.iter().enumerate().skip(start) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                last_key = Some((str_start, i));
            }
            continue;
        }
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'"' => {
                in_str = true;
                str_start = i + 1;
                after_value_key = false;
            }
            b':' => {
                after_value_key = depth == 1
                    && last_key.and_then(|(s, e)| b.get(s..e)) == Some(b"value".as_slice());
            }
            b'[' | b'{' => {
                if c == b'[' && after_value_key {
                    return Some(i);
                }
                after_value_key = false;
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return None;
                }
            }
            _ => after_value_key = false,
        }
    }
    None
}

fn skip_ws(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    while matches!(b.get(pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        pos += 1;
    }
    pos
}

/// Byte offset in `s` of serde_json's 1-based (line, column).
fn offset_in(s: &str, line: usize, column: usize) -> usize {
    let mut off = 0usize;
    if line > 1 {
        let mut seen = 1usize;
        for (i, c) in s.bytes().enumerate() {
            if c == b'\n' {
                seen += 1;
                if seen == line {
                    off = i + 1;
                    break;
                }
            }
        }
    }
    (off + column.saturating_sub(1)).min(s.len())
}

/// 1-based (line, column) of byte offset `pos` in `text`.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let head = &text.as_bytes()[..pos.min(text.len())];
    let line = 1 + head.iter().filter(|c| **c == b'\n').count();
    let col = head.iter().rev().take_while(|c| **c != b'\n').count() + 1;
    (line, col)
}
