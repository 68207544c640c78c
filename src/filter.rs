//! The console's filter language: a small, field-aware expression over the rows of a pane
//! (`country != NL and status = failure`, `app ~ exchange`, `risk >= medium`,
//! `time >= 2026-11-18`, `city = "New York"`, `not`, `or`, parentheses).
//!
//! Filtering is entirely local: the analyst's filter text is NEVER sent to Microsoft Graph
//! (no `$filter` is built from it), so nothing typed here can change what is requested, and
//! a typo cannot widen or narrow the evidence that is collected.
//!
//! Each row type describes its fields through [`Filterable`] (a table of names, aliases and
//! kinds, and the value of a field for one row), so any pane can opt in. Parsing checks the
//! field names and value kinds against that table and reports errors with the 1-based
//! character position (`unknown field 'contry' at 1 (did you mean country?)`).
//!
//! ```text
//!  expr  := and ('or' and)*          and := not ('and' not)*
//!  not   := 'not' not | atom         atom := '(' expr ')' | FIELD OP VALUE | TEXT
//!  OP    := = != ~ !~ < <= > >=      TEXT alone matches any field containing it
//! ```

mod compiled;
mod expr;
mod field;
mod lex;
mod parse;
mod rows;
mod sort_key;

#[cfg(test)]
mod tests;

pub use compiled::{Compiled, contains_ci, text_holds, with_text};
pub use expr::{Expr, Op, StatusValue, Value};
pub use field::{FieldSpec, FieldValue, Filterable, Kind, compare_values, resolve, suggest};
pub use parse::{FilterError, parse};
pub use rows::{GRANT_FIELDS, GrantRow, METHOD_FIELDS, SIGN_IN_FIELDS};
pub use sort_key::KeyMaker;

/// A parsed filter: its text as typed and the expression (`None`: empty, matches every row).
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// What the analyst typed, trimmed.
    pub text: String,
    /// The expression, or `None` for an empty filter.
    pub expr: Option<Expr>,
}

impl Filter {
    /// Parses `text` against `fields`; an empty (or blank) text is the empty filter.
    pub fn new(text: &str, fields: &'static [FieldSpec]) -> Result<Self, FilterError> {
        let text = text.trim();
        let expr = if text.is_empty() {
            None
        } else {
            Some(parse(text, fields)?)
        };
        Ok(Self {
            text: text.to_owned(),
            expr,
        })
    }

    /// The expression compiled for filtering many rows (`None`: the empty filter).
    pub fn compile(&self, fields: &'static [FieldSpec]) -> Option<Compiled> {
        self.expr.as_ref().map(|e| Compiled::new(e, fields))
    }

    /// The row matches (every row matches the empty filter).
    pub fn matches<R: Filterable + ?Sized>(&self, row: &R) -> bool {
        self.expr.as_ref().is_none_or(|e| e.matches(row))
    }
}
