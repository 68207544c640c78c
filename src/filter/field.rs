//! Fields as data: each row type lists its fields (canonical name, aliases, kind) and yields
//! a field's value for one row. Also the ordering used by sorting, and "did you mean".

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{DateTime, Utc};

/// What kind of value a field holds; decides which operators and values are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text: `=`/`!=` (case-insensitive), `~`/`!~` (substring).
    Text,
    /// A risk level, ordered none < low < medium < high.
    Risk,
    /// A point in time (UTC), compared to a date or a date and time.
    Time,
    /// Yes or no.
    Bool,
    /// A sign-in outcome: `ok`, `failure` or an error code.
    Status,
    /// A whole number, ordered.
    Number,
}

impl Kind {
    /// The operators this kind accepts, as written.
    pub fn ops(self) -> &'static str {
        match self {
            Self::Text => "=, !=, ~, !~",
            Self::Risk | Self::Time | Self::Number => "=, !=, <, <=, >, >=",
            Self::Bool | Self::Status => "=, !=",
        }
    }
}

/// One field a row type exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Canonical name (what printing uses).
    pub name: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// Value kind.
    pub kind: Kind,
}

/// The value of one field of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue<'a> {
    /// Text (raw tenant text: compared, never drawn from here).
    Text(Cow<'a, str>),
    /// Risk rank: 0 none/hidden/unknown, 1 low, 2 medium, 3 high.
    Risk(u8),
    /// A time, if the row has one.
    Time(Option<DateTime<Utc>>),
    /// A flag, if the row says.
    Bool(Option<bool>),
    /// A sign-in error code (0 = success).
    Status(i64),
    /// A number, if the row has one.
    Number(Option<i64>),
}

impl FieldValue<'_> {
    /// The value as text, for bare-text search across fields.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Self::Text(t) => Cow::Borrowed(t.as_ref()),
            Self::Risk(r) => Cow::Borrowed(risk_name(*r)),
            Self::Time(Some(t)) => Cow::Owned(t.format("%Y-%m-%d %H:%M:%S").to_string()),
            Self::Bool(Some(b)) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Self::Status(0) => Cow::Borrowed("ok"),
            Self::Status(c) => Cow::Owned(c.to_string()),
            Self::Number(Some(n)) => Cow::Owned(n.to_string()),
            Self::Time(None) | Self::Bool(None) | Self::Number(None) => Cow::Borrowed(""),
        }
    }
}

/// The name of a risk rank.
pub fn risk_name(rank: u8) -> &'static str {
    match rank {
        0 => "none",
        1 => "low",
        2 => "medium",
        _ => "high",
    }
}

/// A row type the filter language can look into.
pub trait Filterable {
    /// The fields of this row type.
    fn fields(&self) -> &'static [FieldSpec];
    /// The value of the field with canonical name `name` (`None`: not a field of this row).
    fn field(&self, name: &str) -> Option<FieldValue<'_>>;
    /// The value of field number `i` of `fields()` (what compiled filters and sort keys
    /// read; row types with many rows answer it without matching names).
    fn field_at(&self, i: usize) -> Option<FieldValue<'_>> {
        self.field(self.fields().get(i)?.name)
    }
}

/// Orders two values of the same field for sorting (missing values sort first; text is
/// compared case-insensitively).
pub fn compare_values(a: &FieldValue, b: &FieldValue) -> Ordering {
    use FieldValue as V;
    match (a, b) {
        (V::Text(x), V::Text(y)) => {
            let (x, y) = (x.to_lowercase(), y.to_lowercase());
            x.cmp(&y)
        }
        (V::Risk(x), V::Risk(y)) => x.cmp(y),
        (V::Time(x), V::Time(y)) => x.cmp(y),
        (V::Bool(x), V::Bool(y)) => x.cmp(y),
        (V::Status(x), V::Status(y)) => x.cmp(y),
        (V::Number(x), V::Number(y)) => x.cmp(y),
        _ => a.as_text().cmp(&b.as_text()),
    }
}

/// The field called `name` (canonical or alias, case-insensitive).
pub fn resolve(fields: &'static [FieldSpec], name: &str) -> Option<&'static FieldSpec> {
    fields.iter().find(|f| {
        f.name.eq_ignore_ascii_case(name) || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The known name closest to `word` (edit distance ≤ 2, or a prefix), for "did you mean".
pub fn suggest<'a>(word: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    names
        .into_iter()
        .map(|n| {
            let d = if n.starts_with(&w) && !w.is_empty() {
                1
            } else {
                distance(&w, n)
            };
            (d, n)
        })
        .filter(|(d, n)| *d <= 2.max(n.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance (small inputs: names and commands).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
