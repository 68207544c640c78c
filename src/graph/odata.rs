//! OData quoting and URL encoding for Graph requests: string literals, path segments, query
//! values, timestamps and a small `$filter/$top/$select` builder. Every value that reaches a
//! URL goes through here; nothing else builds query strings by hand.

use chrono::{DateTime, SecondsFormat, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything except RFC 3986 unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Query values additionally keep `,` `:` `(` `)` readable (harmless inside a query value).
const QUERY_VALUE: &AsciiSet = &SEGMENT.remove(b',').remove(b':').remove(b'(').remove(b')');

/// An OData string literal: `'…'` with every `'` doubled.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Reads an OData string literal back (`'it''s'` → `it's`); `None` if `s` is not one literal.
pub fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A quote inside the literal must be doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// Percent-encodes one path segment: everything outside `A-Z a-z 0-9 - . _ ~`.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Percent-encodes one query value (`'`, `&`, `#`, `+`, `=`, `/`, `?`, space… are encoded).
pub fn query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// Decodes a percent-encoded segment or query value (lossy on invalid UTF-8).
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// An OData DateTimeOffset literal in whole seconds: `2026-11-20T12:00:00Z`.
pub fn datetime(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Like [`datetime`] but rounded up to the next whole second, for an inclusive upper bound
/// (`le`) that must not drop events in the last fraction of a second.
pub fn datetime_ceil(t: DateTime<Utc>) -> String {
    use chrono::Timelike;
    if t.nanosecond() == 0 {
        datetime(t)
    } else {
        datetime(t + chrono::Duration::seconds(1))
    }
}

/// Field lists accepted by [`Query::select`].
pub trait Fields {
    /// Comma-separated field names.
    fn joined(&self) -> String;
}

impl Fields for &str {
    fn joined(&self) -> String {
        (*self).to_owned()
    }
}

impl Fields for String {
    fn joined(&self) -> String {
        self.clone()
    }
}

impl Fields for &[&str] {
    fn joined(&self) -> String {
        self.join(",")
    }
}

impl<const N: usize> Fields for [&str; N] {
    fn joined(&self) -> String {
        self.join(",")
    }
}

impl<const N: usize> Fields for &[&str; N] {
    fn joined(&self) -> String {
        self.join(",")
    }
}

impl Fields for Vec<&str> {
    fn joined(&self) -> String {
        self.join(",")
    }
}

impl Fields for Vec<String> {
    fn joined(&self) -> String {
        self.join(",")
    }
}

/// Builds `?$filter=…&$top=…&$select=…` (in call order), every value encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    params: Vec<(String, String)>,
}

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    /// `$filter=<expr>`; quote literals inside `expr` with [`quote`].
    pub fn filter(self, expr: impl AsRef<str>) -> Self {
        self.param("$filter", expr.as_ref())
    }

    /// `$top=<n>`.
    pub fn top(self, n: u32) -> Self {
        self.param("$top", &n.to_string())
    }

    /// `$select=a,b,c`.
    pub fn select(self, fields: impl Fields) -> Self {
        self.param("$select", &fields.joined())
    }

    /// `$orderby=<expr>`.
    pub fn orderby(self, expr: impl AsRef<str>) -> Self {
        self.param("$orderby", expr.as_ref())
    }

    /// Any other parameter; `name` is used as written (it is ours), `value` is encoded.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params.push((name.to_owned(), query_value(value)));
        self
    }

    /// `""` when empty, else `?k=v&k=v`.
    pub fn build(&self) -> String {
        if self.params.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn quote_doubles_single_quotes() {
        assert_eq!(quote("o'brien"), "'o''brien'");
        assert_eq!(quote(""), "''");
        assert_eq!(unquote("'o''brien'").as_deref(), Some("o'brien"));
        assert_eq!(unquote("'a'b'"), None);
        assert_eq!(unquote("abc"), None);
    }

    #[test]
    fn segment_encodes_everything_outside_unreserved() {
        assert_eq!(
            segment("alice_ext#EXT#@contoso.onmicrosoft.com"),
            "alice_ext%23EXT%23%40contoso.onmicrosoft.com"
        );
        assert_eq!(segment("a/b c'$"), "a%2Fb%20c%27%24");
        assert_eq!(segment("AQMkADAw=="), "AQMkADAw%3D%3D");
        assert_eq!(segment("ü"), "%C3%BC");
    }

    #[test]
    fn query_value_is_safe() {
        assert_eq!(
            query_value("userId eq 'a&b#c+d=e/f?'"),
            "userId%20eq%20%27a%26b%23c%2Bd%3De%2Ff%3F%27"
        );
        assert_eq!(query_value("id,displayName"), "id,displayName");
    }

    #[test]
    fn datetime_whole_seconds() {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        assert_eq!(datetime(t), "2026-11-20T12:00:00Z");
        assert_eq!(datetime_ceil(t), "2026-11-20T12:00:00Z");
        let t2 = t + chrono::Duration::milliseconds(250);
        assert_eq!(datetime(t2), "2026-11-20T12:00:00Z");
        assert_eq!(datetime_ceil(t2), "2026-11-20T12:00:01Z");
    }

    #[test]
    fn query_builder() {
        let q = Query::new()
            .filter(format!("userId eq {}", quote("x'y")))
            .top(1000)
            .select("id,createdDateTime")
            .build();
        assert_eq!(
            q,
            "?$filter=userId%20eq%20%27x%27%27y%27&$top=1000&$select=id,createdDateTime"
        );
        assert_eq!(Query::new().build(), "");
        assert_eq!(Query::new().select(["a", "b"]).build(), "?$select=a,b");
    }

    fn has_forbidden(s: &str) -> bool {
        s.chars().any(|c| {
            matches!(c, '/' | '?' | '#' | '&' | '\'' | ' ' | '+' | '=')
                || c.is_control()
                || !c.is_ascii()
        })
    }

    proptest! {
        #[test]
        fn quote_round_trips(s in any::<String>()) {
            prop_assert_eq!(unquote(&quote(&s)), Some(s));
        }

        #[test]
        fn segment_and_query_value_are_safe_and_reversible(s in any::<String>()) {
            let seg = segment(&s);
            prop_assert!(!has_forbidden(&seg), "segment {:?}", seg);
            prop_assert_eq!(decode(&seg), s.clone());
            let q = query_value(&s);
            prop_assert!(!has_forbidden(&q), "query {:?}", q);
            prop_assert_eq!(decode(&q), s);
        }

        #[test]
        fn quoted_value_survives_query_encoding(s in "[ -~]{0,40}") {
            let q = query_value(&quote(&s));
            prop_assert_eq!(unquote(&decode(&q)), Some(s));
        }
    }
}
