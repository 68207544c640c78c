//! The parsed expression: what it means for one row (`matches`) and how it is written back
//! (`Display`, which parses to the same expression).

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use super::field::{FieldValue, Filterable, risk_name};
use super::lex::is_special;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=` (text: case-insensitive equality).
    Eq,
    /// `!=`
    Ne,
    /// `~` case-insensitive substring.
    Contains,
    /// `!~` does not contain.
    NotContains,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Contains => "~",
            Self::NotContains => "!~",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    pub(super) fn holds(self, o: Ordering) -> bool {
        match self {
            Self::Eq | Self::Contains => o == Ordering::Equal,
            Self::Ne | Self::NotContains => o != Ordering::Equal,
            Self::Lt => o == Ordering::Less,
            Self::Le => o != Ordering::Greater,
            Self::Gt => o == Ordering::Greater,
            Self::Ge => o != Ordering::Less,
        }
    }
}

/// A sign-in outcome to compare with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusValue {
    /// `ok` / `success`: error code 0.
    Ok,
    /// `failure` / `failed`: any non-zero error code.
    Failure,
    /// One error code.
    Code(i64),
}

/// A value on the right of an operator, already checked against the field's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// Risk rank (0 none … 3 high).
    Risk(u8),
    /// A whole day (UTC).
    Date(NaiveDate),
    /// An instant (UTC, whole seconds).
    Time(DateTime<Utc>),
    /// Yes / no.
    Bool(bool),
    /// A sign-in outcome.
    Status(StatusValue),
    /// A number.
    Number(i64),
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `field op value` (field is the canonical name).
    Cmp {
        /// Canonical field name.
        field: &'static str,
        /// Operator.
        op: Op,
        /// Value.
        value: Value,
    },
    /// Bare text: some field contains it (case-insensitive).
    Any(String),
    /// `not e`
    Not(Box<Expr>),
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The row matches.
    pub fn matches<R: Filterable + ?Sized>(&self, row: &R) -> bool {
        match self {
            Self::Cmp { field, op, value } => {
                row.field(field).is_some_and(|v| compare(&v, *op, value))
            }
            Self::Any(text) => {
                let needle = text.to_lowercase();
                row.fields().iter().any(|f| {
                    row.field(f.name)
                        .is_some_and(|v| v.as_text().to_lowercase().contains(&needle))
                })
            }
            Self::Not(e) => !e.matches(row),
            Self::And(a, b) => a.matches(row) && b.matches(row),
            Self::Or(a, b) => a.matches(row) || b.matches(row),
        }
    }

    fn prec(&self) -> u8 {
        match self {
            Self::Or(..) => 1,
            Self::And(..) => 2,
            Self::Not(_) => 3,
            Self::Cmp { .. } | Self::Any(_) => 4,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, min: u8) -> fmt::Result {
        let paren = self.prec() < min;
        if paren {
            f.write_str("(")?;
        }
        match self {
            Self::Cmp { field, op, value } => write!(f, "{field} {} {value}", op.as_str())?,
            Self::Any(t) => f.write_str(&quote(t))?,
            Self::Not(e) => {
                f.write_str("not ")?;
                e.write(f, 3)?;
            }
            Self::And(a, b) => {
                a.write(f, 2)?;
                f.write_str(" and ")?;
                b.write(f, 3)?;
            }
            Self::Or(a, b) => {
                a.write(f, 1)?;
                f.write_str(" or ")?;
                b.write(f, 2)?;
            }
        }
        if paren {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, 0)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(t) => f.write_str(&quote(t)),
            Self::Risk(r) => f.write_str(risk_name(*r)),
            Self::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Self::Time(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%SZ")),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Status(StatusValue::Ok) => f.write_str("ok"),
            Self::Status(StatusValue::Failure) => f.write_str("failure"),
            Self::Status(StatusValue::Code(c)) | Self::Number(c) => write!(f, "{c}"),
        }
    }
}

/// `t` as an unquoted word when it reads back as the same text, else double-quoted.
pub fn quote(t: &str) -> String {
    let keyword = ["and", "or", "not"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(t));
    if !t.is_empty() && !keyword && !t.chars().any(is_special) {
        return t.to_owned();
    }
    let mut s = String::with_capacity(t.len() + 2);
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

pub(super) fn compare(v: &FieldValue, op: Op, want: &Value) -> bool {
    use FieldValue as F;
    match (v, want) {
        (F::Text(t), Value::Text(w)) => {
            let (t, w) = (t.to_lowercase(), w.to_lowercase());
            match op {
                Op::Contains => t.contains(&w),
                Op::NotContains => !t.contains(&w),
                _ => op.holds(t.cmp(&w)),
            }
        }
        (F::Risk(r), Value::Risk(w)) => op.holds(r.cmp(w)),
        (F::Time(Some(t)), Value::Date(d)) => op.holds(t.date_naive().cmp(d)),
        (F::Time(Some(t)), Value::Time(w)) => op.holds(t.cmp(w)),
        (F::Bool(Some(b)), Value::Bool(w)) => op.holds(b.cmp(w)),
        (F::Status(code), Value::Status(s)) => {
            let is = match s {
                StatusValue::Ok => *code == 0,
                StatusValue::Failure => *code != 0,
                StatusValue::Code(c) => code == c,
            };
            if op == Op::Ne { !is } else { is }
        }
        (F::Number(Some(n)), Value::Number(w)) | (F::Status(n), Value::Number(w)) => {
            op.holds(n.cmp(w))
        }
        // A row without the value: only "is not" holds.
        _ => matches!(op, Op::Ne | Op::NotContains),
    }
}
