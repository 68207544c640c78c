//! A filter compiled for speed over many rows: field names resolved to positions once, text
//! needles lowercased once, and text compared without allocating (ASCII case folding in
//! place; only non-ASCII tenant text takes the allocating Unicode path). Same meaning as
//! `Expr::matches` (checked against it by the tests).

use std::io::Write as _;

use super::expr::{Expr, Op, Value, compare};
use super::field::{FieldSpec, FieldValue, Filterable, risk_name};

/// A compiled filter expression.
#[derive(Debug, Clone)]
pub struct Compiled {
    root: Node,
    /// Number of `field op value` comparisons.
    slots: usize,
}

#[derive(Debug, Clone)]
enum Node {
    /// `field op value`; `needle` is the lowercased text for text values, `slot` numbers
    /// the text comparisons (see `text_tests`).
    Cmp {
        slot: usize,
        field: Option<usize>,
        op: Op,
        value: Value,
        needle: Option<String>,
    },
    /// Bare text: some field contains it.
    Any {
        fields: usize,
        needle: String,
    },
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
}

impl Compiled {
    /// Compiles `expr` for rows whose fields are `fields`.
    pub fn new(expr: &Expr, fields: &'static [FieldSpec]) -> Self {
        let mut slots = 0;
        let root = node(expr, fields, &mut slots);
        Self { root, slots }
    }

    /// Every comparison is a text comparison and no bare text is searched: the answers of
    /// `text_tests` decide every row.
    pub fn only_text_tests(&self) -> bool {
        !self.reads_every_field() && self.text_tests().len() == self.slots
    }

    /// The row matches (same answer as `Expr::matches`).
    pub fn matches<R: Filterable + ?Sized>(&self, row: &R) -> bool {
        self.root.eval(row, &|_| None)
    }

    /// The row matches, with the answers of some text comparisons known beforehand
    /// (`known(slot)`, e.g. from a column of distinct values); the row's fields are read only
    /// for the others.
    pub fn matches_with<R: Filterable + ?Sized>(
        &self,
        row: &R,
        known: &dyn Fn(usize) -> Option<bool>,
    ) -> bool {
        self.root.eval(row, known)
    }

    /// The text comparisons: (slot, field position, operator, lowercased needle). A row's
    /// answer for a slot is `text_holds(value of the field, op, needle)`.
    pub fn text_tests(&self) -> Vec<(usize, usize, Op, &str)> {
        let mut out = Vec::new();
        self.root.text_tests(&mut out);
        out
    }

    /// Whether bare text (all fields) is searched.
    pub fn reads_every_field(&self) -> bool {
        self.root.has_any()
    }
}

fn node(e: &Expr, fields: &'static [FieldSpec], slots: &mut usize) -> Node {
    match e {
        Expr::Cmp { field, op, value } => Node::Cmp {
            slot: {
                *slots += 1;
                *slots - 1
            },
            field: fields.iter().position(|f| f.name == *field),
            op: *op,
            needle: match value {
                Value::Text(t) => Some(t.to_lowercase()),
                _ => None,
            },
            value: value.clone(),
        },
        Expr::Any(t) => Node::Any {
            fields: fields.len(),
            needle: t.to_lowercase(),
        },
        Expr::Not(a) => Node::Not(Box::new(node(a, fields, slots))),
        Expr::And(a, b) => Node::And(
            Box::new(node(a, fields, slots)),
            Box::new(node(b, fields, slots)),
        ),
        Expr::Or(a, b) => Node::Or(
            Box::new(node(a, fields, slots)),
            Box::new(node(b, fields, slots)),
        ),
    }
}

impl Node {
    fn text_tests<'a>(&'a self, out: &mut Vec<(usize, usize, Op, &'a str)>) {
        match self {
            Self::Cmp {
                slot,
                field: Some(f),
                op,
                needle: Some(n),
                ..
            } => out.push((*slot, *f, *op, n)),
            Self::Cmp { .. } | Self::Any { .. } => {}
            Self::Not(a) => a.text_tests(out),
            Self::And(a, b) | Self::Or(a, b) => {
                a.text_tests(out);
                b.text_tests(out);
            }
        }
    }

    fn has_any(&self) -> bool {
        match self {
            Self::Any { .. } => true,
            Self::Cmp { .. } => false,
            Self::Not(a) => a.has_any(),
            Self::And(a, b) | Self::Or(a, b) => a.has_any() || b.has_any(),
        }
    }

    fn eval<R: Filterable + ?Sized>(&self, row: &R, known: &dyn Fn(usize) -> Option<bool>) -> bool {
        match self {
            Self::Cmp {
                slot,
                field,
                op,
                value,
                needle,
            } => {
                if let Some(b) = known(*slot) {
                    return b;
                }
                let Some(v) = field.and_then(|i| row.field_at(i)) else {
                    return false;
                };
                match (&v, needle) {
                    (FieldValue::Text(t), Some(w)) => text_holds(t, *op, w),
                    _ => compare(&v, *op, value),
                }
            }
            Self::Any { fields, needle } => (0..*fields).any(|i| {
                row.field_at(i)
                    .is_some_and(|v| with_text(&v, |s| contains_ci(s, needle)))
            }),
            Self::Not(a) => !a.eval(row, known),
            Self::And(a, b) => a.eval(row, known) && b.eval(row, known),
            Self::Or(a, b) => a.eval(row, known) || b.eval(row, known),
        }
    }
}

/// `t op w` for text, `w` already lowercased: case-insensitive as `to_lowercase` is.
pub fn text_holds(t: &str, op: Op, w: &str) -> bool {
    if !t.is_ascii() {
        let t = t.to_lowercase();
        return match op {
            Op::Contains => t.contains(w),
            Op::NotContains => !t.contains(w),
            _ => op.holds(t.as_str().cmp(w)),
        };
    }
    let (t, w) = (t.as_bytes(), w.as_bytes());
    match op {
        Op::Contains => contains_ascii(t, w),
        Op::NotContains => !contains_ascii(t, w),
        Op::Eq => t.eq_ignore_ascii_case(w),
        Op::Ne => !t.eq_ignore_ascii_case(w),
        _ => op.holds(t.iter().map(u8::to_ascii_lowercase).cmp(w.iter().copied())),
    }
}

/// `hay` contains `needle` (already lowercased), ignoring case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() {
        contains_ascii(hay.as_bytes(), needle.as_bytes())
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// ASCII `hay` contains the lowercased `needle` (a non-ASCII needle never matches ASCII).
fn contains_ascii(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if needle.len() > hay.len() {
        return false;
    }
    (0..=hay.len() - needle.len()).any(|i| {
        hay[i].to_ascii_lowercase() == first
            && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
    })
}

/// Calls `f` with the value as text (as `FieldValue::as_text` writes it), formatting times
/// and numbers into a buffer on the stack.
pub fn with_text<T>(v: &FieldValue<'_>, f: impl FnOnce(&str) -> T) -> T {
    let mut buf = [0u8; 24];
    let mut small = |args: std::fmt::Arguments<'_>| -> Option<usize> {
        let mut cur = std::io::Cursor::new(&mut buf[..]);
        cur.write_fmt(args).ok()?;
        usize::try_from(cur.position()).ok()
    };
    let len = match v {
        FieldValue::Text(t) => return f(t),
        FieldValue::Risk(r) => return f(risk_name(*r)),
        FieldValue::Bool(Some(b)) => return f(if *b { "true" } else { "false" }),
        FieldValue::Status(0) => return f("ok"),
        FieldValue::Time(None) | FieldValue::Bool(None) | FieldValue::Number(None) => {
            return f("");
        }
        FieldValue::Status(c) | FieldValue::Number(Some(c)) => small(format_args!("{c}")),
        FieldValue::Time(Some(t)) => {
            use chrono::{Datelike, Timelike};
            if (0..=9999).contains(&t.year()) && t.nanosecond() < 1_000_000_000 {
                small(format_args!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                ))
            } else {
                None
            }
        }
    };
    match len.and_then(|n| std::str::from_utf8(&buf[..n]).ok()) {
        Some(s) => f(s),
        None => f(&v.as_text()),
    }
}
