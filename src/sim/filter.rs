//! A small OData `$filter` parser (evaluation: `filter_eval`): and/or/not,
//! parentheses, eq ne gt ge lt le, `in`, startswith/endswith/contains, `any`/`all` lambdas,
//! `/` property paths, literals ('x' with '' escape, numbers, true/false/null, unquoted
//! date-times and GUIDs). Strings compare case-insensitively, date-times as instants.

use chrono::{DateTime, FixedOffset};

/// A filter the simulator cannot parse or does not support.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterError {
    /// Syntax error (`BadRequest`).
    Syntax(String),
    /// Valid OData the simulator (like Graph) does not support (`Request_UnsupportedQuery`).
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    DateTime(DateTime<FixedOffset>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrFn {
    StartsWith,
    EndsWith,
    Contains,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(Vec<String>, CmpOp, Literal),
    In(Vec<String>, Vec<Literal>),
    Str(StrFn, Vec<String>, String),
    /// `path/any(v: body)` (`all` = false) or `path/all(v: body)`; body None = `any()`.
    Lambda {
        all: bool,
        path: Vec<String>,
        var: String,
        body: Option<Box<Expr>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
    Colon,
}

fn lex(s: &str) -> Result<Vec<Tok>, FilterError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '\'' => {
                let mut lit = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(FilterError::Syntax("unterminated string literal".into()));
                        }
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            lit.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            lit.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(lit));
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], '(' | ')' | ',' | '\'') {
                    if chars[i].is_whitespace() {
                        break;
                    }
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // Typed enum literal `microsoft.graph.riskLevel'high'`: keep only the value.
                if chars.get(i) == Some(&'\'') && word.contains('.') {
                    continue;
                }
                let first = word.chars().next().unwrap_or('0');
                if (first.is_ascii_alphabetic() || first == '_')
                    && let Some((var, rest)) = word.split_once(':')
                {
                    out.push(Tok::Word(var.to_string()));
                    out.push(Tok::Colon);
                    if !rest.is_empty() {
                        out.push(Tok::Word(rest.to_string()));
                    }
                } else {
                    out.push(Tok::Word(word));
                }
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), FilterError> {
        match self.next() {
            Some(x) if x == t => Ok(()),
            other => Err(FilterError::Syntax(format!(
                "expected {what}, found {}",
                describe(other.as_ref())
            ))),
        }
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.and()?;
        while is_kw(self.peek(), "or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut left = self.unary()?;
        while is_kw(self.peek(), "and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        if is_kw(self.peek(), "not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Tok::Open) {
            self.pos += 1;
            let e = self.or()?;
            self.expect(Tok::Close, "')'")?;
            return Ok(e);
        }
        self.term()
    }

    fn term(&mut self) -> Result<Expr, FilterError> {
        let word = match self.next() {
            Some(Tok::Word(w)) => w,
            other => {
                return Err(FilterError::Syntax(format!(
                    "expected a property or function, found {}",
                    describe(other.as_ref())
                )));
            }
        };
        if self.peek() == Some(&Tok::Open) {
            return self.call(&word);
        }
        let path = self.path(&word)?;
        let op = match self.next() {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            other => {
                return Err(FilterError::Syntax(format!(
                    "expected an operator after '{word}', found {}",
                    describe(other.as_ref())
                )));
            }
        };
        if op == "in" {
            self.expect(Tok::Open, "'(' after in")?;
            let mut list = vec![self.literal()?];
            while self.peek() == Some(&Tok::Comma) {
                self.pos += 1;
                list.push(self.literal()?);
            }
            self.expect(Tok::Close, "')'")?;
            return Ok(Expr::In(path, list));
        }
        let op = match op.as_str() {
            "eq" => CmpOp::Eq,
            "ne" => CmpOp::Ne,
            "gt" => CmpOp::Gt,
            "ge" => CmpOp::Ge,
            "lt" => CmpOp::Lt,
            "le" => CmpOp::Le,
            "has" | "add" | "sub" | "mul" | "div" | "mod" => {
                return Err(FilterError::Unsupported(format!(
                    "operator '{op}' is not supported"
                )));
            }
            _ => return Err(FilterError::Syntax(format!("unknown operator '{op}'"))),
        };
        let lit = self.literal()?;
        Ok(Expr::Cmp(path, op, lit))
    }

    fn path(&self, word: &str) -> Result<Vec<String>, FilterError> {
        let segs: Vec<String> = word.split('/').map(str::to_string).collect();
        for s in &segs {
            let ok = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@'))
                && !s.starts_with(|c: char| c.is_ascii_digit());
            if !ok {
                return Err(FilterError::Syntax(format!(
                    "'{word}' is not a property path"
                )));
            }
        }
        Ok(segs)
    }

    fn call(&mut self, word: &str) -> Result<Expr, FilterError> {
        self.expect(Tok::Open, "'('")?;
        let lower = word.to_ascii_lowercase();
        if let Some(base) = lower
            .strip_suffix("/any")
            .or_else(|| lower.strip_suffix("/all"))
        {
            let all = lower.ends_with("/all");
            let path = self.path(&word[..base.len()])?;
            if self.peek() == Some(&Tok::Close) {
                self.pos += 1;
                if all {
                    return Err(FilterError::Syntax("all() needs a lambda".into()));
                }
                return Ok(Expr::Lambda {
                    all,
                    path,
                    var: String::new(),
                    body: None,
                });
            }
            let var = match self.next() {
                Some(Tok::Word(v)) => v,
                other => {
                    return Err(FilterError::Syntax(format!(
                        "expected a lambda variable, found {}",
                        describe(other.as_ref())
                    )));
                }
            };
            self.expect(Tok::Colon, "':' after the lambda variable")?;
            let body = self.or()?;
            self.expect(Tok::Close, "')'")?;
            return Ok(Expr::Lambda {
                all,
                path,
                var,
                body: Some(Box::new(body)),
            });
        }
        let f = match lower.as_str() {
            "startswith" => StrFn::StartsWith,
            "endswith" => StrFn::EndsWith,
            "contains" => StrFn::Contains,
            _ => {
                return Err(FilterError::Unsupported(format!(
                    "function '{word}' is not supported"
                )));
            }
        };
        let path = match self.next() {
            Some(Tok::Word(w)) => self.path(&w)?,
            other => {
                return Err(FilterError::Syntax(format!(
                    "{word} expects a property first, found {}",
                    describe(other.as_ref())
                )));
            }
        };
        self.expect(Tok::Comma, "','")?;
        let arg = match self.next() {
            Some(Tok::Str(s)) => s,
            other => {
                return Err(FilterError::Syntax(format!(
                    "{word} expects a string literal, found {}",
                    describe(other.as_ref())
                )));
            }
        };
        self.expect(Tok::Close, "')'")?;
        // A bare `startswith(...)` is a boolean; `startswith(...) eq true` is accepted too.
        if is_kw(self.peek(), "eq") && is_kw(self.toks.get(self.pos + 1), "true") {
            self.pos += 2;
        }
        Ok(Expr::Str(f, path, arg))
    }

    fn literal(&mut self) -> Result<Literal, FilterError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Literal::Str(s)),
            Some(Tok::Word(w)) => word_literal(&w),
            other => Err(FilterError::Syntax(format!(
                "expected a value, found {}",
                describe(other.as_ref())
            ))),
        }
    }
}

fn word_literal(w: &str) -> Result<Literal, FilterError> {
    match w.to_ascii_lowercase().as_str() {
        "true" => return Ok(Literal::Bool(true)),
        "false" => return Ok(Literal::Bool(false)),
        "null" => return Ok(Literal::Null),
        _ => {}
    }
    if let Ok(n) = w.parse::<i64>() {
        return Ok(Literal::Num(n as f64));
    }
    if let Ok(f) = w.parse::<f64>()
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E'))
    {
        return Ok(Literal::Num(f));
    }
    if let Some(dt) = parse_datetime(w) {
        return Ok(Literal::DateTime(dt));
    }
    if is_guid(w) {
        return Ok(Literal::Str(w.to_string()));
    }
    Err(FilterError::Syntax(format!(
        "'{w}' is not a valid value (strings need single quotes)"
    )))
}

pub fn is_guid(w: &str) -> bool {
    let parts: Vec<&str> = w.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Parses an RFC 3339 date-time; a bare date counts as midnight UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(n.and_utc().fixed_offset());
    }
    if s.len() == 10
        && let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
    {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc().fixed_offset());
    }
    None
}

fn describe(t: Option<&Tok>) -> String {
    match t {
        None => "the end of the filter".into(),
        Some(Tok::Word(w)) => format!("'{w}'"),
        Some(Tok::Str(s)) => format!("'{s}' (string)"),
        Some(Tok::Open) => "'('".into(),
        Some(Tok::Close) => "')'".into(),
        Some(Tok::Comma) => "','".into(),
        Some(Tok::Colon) => "':'".into(),
    }
}

/// Parses a `$filter` value (already percent-decoded).
pub fn parse(s: &str) -> Result<Expr, FilterError> {
    let toks = lex(s)?;
    if toks.is_empty() {
        return Err(FilterError::Syntax("the filter is empty".into()));
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(FilterError::Syntax(format!(
            "unexpected {} after the end of the expression",
            describe(p.peek())
        )));
    }
    Ok(e)
}

pub use super::filter_eval::{conjuncts, matches};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_is_rejected() {
        for bad in [
            "",
            "userId eq",
            "userId eq 'x",
            "userId equals 'x'",
            "userId eq bob",
            "(userId eq 'x'",
            "userId eq 'x' and",
            "userId eq 'x')",
            "startswith(ipAddress 'x')",
            "tags/any(t t eq 'x')",
        ] {
            assert!(
                matches!(parse(bad), Err(FilterError::Syntax(_))),
                "{bad:?} should be a syntax error"
            );
        }
        assert!(matches!(
            parse("length(x) eq 1"),
            Err(FilterError::Unsupported(_))
        ));
        assert!(matches!(
            parse("x has 'y'"),
            Err(FilterError::Unsupported(_))
        ));
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in "[ a-zA-Z0-9'():,/._-]{0,60}") {
            if let Ok(e) = parse(&s) {
                let _ = matches(&e, &serde_json::json!({"a": [1, "x"], "b": {"c": "2026-01-01T00:00:00Z"}}));
            }
        }
    }

    #[test]
    fn date_only_literal_is_midnight() {
        let e = parse("createdDateTime ge 2021-02-25").unwrap();
        let Expr::Cmp(_, _, Literal::DateTime(d)) = e else {
            panic!("{e:?}")
        };
        assert_eq!(d.to_rfc3339(), "2021-02-25T00:00:00+00:00");
    }

    #[test]
    fn conjuncts_flatten() {
        let e = parse("a eq 1 and (b eq 2 and c eq 3) or d eq 4").unwrap();
        assert_eq!(conjuncts(&e).len(), 1);
        let e = parse("a eq 1 and (b eq 2 and c eq 3)").unwrap();
        assert_eq!(conjuncts(&e).len(), 3);
    }
}
