//! Parser: tokens → [`Expr`], checking field names and value kinds against the row type's
//! fields. Errors carry a message and the 1-based character position.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use super::expr::{Expr, Op, StatusValue, Value};
use super::field::{FieldSpec, Kind, resolve, suggest};
use super::lex::{Tok, tokens};

/// Nesting beyond this is refused (keeps recursion bounded on hostile input).
const MAX_DEPTH: usize = 64;

/// Why a filter text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// What is wrong.
    pub message: String,
    /// 1-based character position.
    pub at: usize,
    /// A suggestion (`did you mean country?`).
    pub hint: Option<String>,
}

impl FilterError {
    pub(crate) fn new(message: impl Into<String>, at: usize) -> Self {
        Self {
            message: message.into(),
            at,
            hint: None,
        }
    }

    fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.message, self.at)?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {}

/// Parses `text` for a row type with `fields`.
pub fn parse(text: &str, fields: &'static [FieldSpec]) -> Result<Expr, FilterError> {
    let toks = tokens(text)?;
    let end = text.chars().count() + 1;
    let mut p = Parser {
        toks,
        i: 0,
        fields,
        end,
    };
    if p.toks.is_empty() {
        return Err(FilterError::new("empty filter", 1));
    }
    let e = p.or(0)?;
    match p.toks.get(p.i) {
        None => Ok(e),
        Some((at, Tok::Close)) => Err(FilterError::new("unmatched ')'", *at)),
        Some((at, _)) => Err(FilterError::new("expected 'and' or 'or'", *at)),
    }
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    i: usize,
    fields: &'static [FieldSpec],
    end: usize,
}

fn keyword(t: Option<&(usize, Tok)>, k: &str) -> bool {
    matches!(t, Some((_, Tok::Word(w))) if w.eq_ignore_ascii_case(k))
}

impl Parser {
    fn peek(&self) -> Option<&(usize, Tok)> {
        self.toks.get(self.i)
    }

    fn pos(&self) -> usize {
        self.peek().map_or(self.end, |(at, _)| *at)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, FilterError> {
        let mut e = self.and(depth)?;
        while keyword(self.peek(), "or") {
            self.i += 1;
            let r = self.and(depth)?;
            e = Expr::Or(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, FilterError> {
        let mut e = self.not(depth)?;
        while keyword(self.peek(), "and") {
            self.i += 1;
            let r = self.not(depth)?;
            e = Expr::And(Box::new(e), Box::new(r));
        }
        Ok(e)
    }

    fn not(&mut self, depth: usize) -> Result<Expr, FilterError> {
        if depth > MAX_DEPTH {
            return Err(FilterError::new("too deeply nested", self.pos()));
        }
        if keyword(self.peek(), "not") {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.not(depth + 1)?)));
        }
        self.atom(depth)
    }

    fn atom(&mut self, depth: usize) -> Result<Expr, FilterError> {
        let at = self.pos();
        let Some((_, tok)) = self.toks.get(self.i).cloned() else {
            let after = self.i.checked_sub(1).and_then(|j| self.toks.get(j));
            return Err(match after {
                Some((_, Tok::Word(w))) => FilterError::new(
                    format!("expected a filter after '{}'", w.to_lowercase()),
                    at,
                ),
                _ => FilterError::new("expected a filter", at),
            });
        };
        self.i += 1;
        match tok {
            Tok::Open => {
                let e = self.or(depth + 1)?;
                match self.peek() {
                    Some((_, Tok::Close)) => {
                        self.i += 1;
                        Ok(e)
                    }
                    _ => Err(FilterError::new(
                        format!("expected ')' to close '(' at {at}"),
                        self.pos(),
                    )),
                }
            }
            Tok::Close => Err(FilterError::new("unexpected ')'", at)),
            Tok::Op(op) => Err(FilterError::new(
                format!("expected a field before '{}'", op.as_str()),
                at,
            )),
            Tok::Str(s) => Ok(Expr::Any(s)),
            Tok::Word(w) if ["and", "or"].iter().any(|k| k.eq_ignore_ascii_case(&w)) => {
                Err(FilterError::new(
                    format!("expected a filter before '{}'", w.to_lowercase()),
                    at,
                ))
            }
            Tok::Word(w) => match self.peek() {
                Some(&(op_at, Tok::Op(op))) => {
                    self.i += 1;
                    self.comparison(&w, at, op, op_at)
                }
                _ => Ok(Expr::Any(w)),
            },
        }
    }

    fn comparison(
        &mut self,
        name: &str,
        at: usize,
        op: Op,
        op_at: usize,
    ) -> Result<Expr, FilterError> {
        let Some(spec) = resolve(self.fields, name) else {
            let names = self.fields.iter().map(|f| f.name);
            let hint = suggest(name, names)
                .map(|s| format!("did you mean {s}?"))
                .or_else(|| {
                    let all: Vec<&str> = self.fields.iter().map(|f| f.name).collect();
                    Some(format!("fields: {}", all.join(", ")))
                });
            return Err(FilterError::new(format!("unknown field '{name}'"), at).hint(hint));
        };
        let allowed = match spec.kind {
            Kind::Text => matches!(op, Op::Eq | Op::Ne | Op::Contains | Op::NotContains),
            Kind::Risk | Kind::Time | Kind::Number => !matches!(op, Op::Contains | Op::NotContains),
            Kind::Bool | Kind::Status => matches!(op, Op::Eq | Op::Ne),
        };
        if !allowed {
            return Err(FilterError::new(
                format!("'{}' does not apply to {}", op.as_str(), spec.name),
                op_at,
            )
            .hint(Some(format!("use {}", spec.kind.ops()))));
        }
        let (v_at, raw) = match self.toks.get(self.i) {
            Some((v_at, Tok::Word(w)))
                if !["and", "or", "not"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(w)) =>
            {
                (*v_at, w.clone())
            }
            Some((v_at, Tok::Str(s))) => (*v_at, s.clone()),
            _ => {
                return Err(FilterError::new(
                    format!("expected a value after '{}'", op.as_str()),
                    op_at,
                ));
            }
        };
        self.i += 1;
        let value = value(spec, &raw, v_at)?;
        Ok(Expr::Cmp {
            field: spec.name,
            op,
            value,
        })
    }
}

/// Converts the text of a value to the field's kind.
fn value(spec: &FieldSpec, raw: &str, at: usize) -> Result<Value, FilterError> {
    let lower = raw.trim().to_lowercase();
    let bad = |what: &str| {
        FilterError::new(
            format!("'{}' is not {what}", crate::sanitize::line_capped(raw, 30)),
            at,
        )
    };
    Ok(match spec.kind {
        Kind::Text => Value::Text(raw.to_owned()),
        Kind::Risk => Value::Risk(match lower.as_str() {
            "none" | "hidden" => 0,
            "low" => 1,
            "medium" | "med" => 2,
            "high" => 3,
            _ => return Err(bad("a risk level").hint(Some("none, low, medium, high".into()))),
        }),
        Kind::Time => {
            if let Ok(d) = NaiveDate::parse_from_str(&lower, "%Y-%m-%d") {
                Value::Date(d)
            } else if let Some(t) = instant(raw.trim()) {
                Value::Time(t)
            } else {
                return Err(
                    bad("a date").hint(Some("YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z, UTC".into()))
                );
            }
        }
        Kind::Bool => Value::Bool(match lower.as_str() {
            "true" | "yes" | "y" => true,
            "false" | "no" | "n" => false,
            _ => return Err(bad("yes or no").hint(Some("true, false, yes, no".into()))),
        }),
        Kind::Status => Value::Status(match lower.as_str() {
            "ok" | "success" | "succeeded" => StatusValue::Ok,
            "failure" | "failed" | "fail" => StatusValue::Failure,
            n => match n.parse::<i64>() {
                Ok(c) => StatusValue::Code(c),
                Err(_) => {
                    return Err(bad("a status").hint(Some("ok, failure or an error code".into())));
                }
            },
        }),
        Kind::Number => match lower.parse::<i64>() {
            Ok(n) => Value::Number(n),
            Err(_) => return Err(bad("a whole number")),
        },
    })
}

/// `2026-11-18T09:14`, `2026-11-18T09:14:02`, with an optional `Z` or offset, as UTC.
fn instant(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return t.with_timezone(&Utc).with_nanosecond(0);
    }
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|n| n.and_utc())
}
