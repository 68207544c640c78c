//! OData system query options: percent-decoding of the raw query string, `$filter`, `$select`,
//! `$top`, `$skiptoken` (an opaque base64url cursor holding the original query and the scan
//! position), `$select` projection and the collection body with `@odata.nextLink`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use super::errors::GraphError;
use super::filter::{self, Expr, FilterError};

/// Where the next page starts: the original query and one or two scan positions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    pub q: String,
    pub a: usize,
    #[serde(default)]
    pub b: usize,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// The parsed query options of one request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The effective raw query (the cursor's original query when `$skiptoken` was given).
    pub raw: String,
    pub filter: Option<Expr>,
    pub filter_text: Option<String>,
    pub select: Option<Vec<String>>,
    pub top: Option<usize>,
    pub expand: Option<String>,
    pub count: bool,
    pub orderby: Option<String>,
    /// Scan positions from `$skiptoken` (0,0 on a first page).
    pub pos: (usize, usize),
    /// Non-`$` parameters (e.g. `aadgdc` on operation URLs), decoded.
    pub other: Vec<(String, String)>,
}

/// Percent-decodes `s`; `+` stays a literal plus (as in Graph URLs).
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

impl Query {
    /// Parses a raw (still percent-encoded) query string.
    pub fn parse(raw: &str) -> Result<Query, GraphError> {
        let mut ps = pairs(raw);
        if let Some((_, tok)) = ps
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("$skiptoken"))
        {
            let cursor = Cursor::decode(tok).ok_or_else(|| {
                GraphError::bad_request("Request_BadRequest", "The $skiptoken is not valid.")
            })?;
            let mut q = Query::parse(&cursor.q)?;
            q.pos = (cursor.a, cursor.b);
            return Ok(q);
        }
        let mut q = Query {
            raw: raw.to_string(),
            ..Query::default()
        };
        for (k, v) in ps.drain(..) {
            let key = k.to_ascii_lowercase();
            match key.as_str() {
                "$filter" => {
                    let e = filter::parse(&v).map_err(|e| match e {
                        FilterError::Syntax(m) => GraphError::bad_request(
                            "BadRequest",
                            format!("Invalid filter clause: {m}"),
                        ),
                        FilterError::Unsupported(m) => {
                            GraphError::unsupported(format!("Unsupported Query: {m}"))
                        }
                    })?;
                    q.filter = Some(e);
                    q.filter_text = Some(v);
                }
                "$select" => {
                    let fields: Vec<String> = v
                        .split(',')
                        .map(|f| f.trim().to_string())
                        .filter(|f| !f.is_empty())
                        .collect();
                    if fields.is_empty() {
                        return Err(GraphError::bad_request("BadRequest", "$select is empty."));
                    }
                    q.select = Some(fields);
                }
                "$top" => {
                    let n: usize = v.trim().parse().map_err(|_| {
                        GraphError::bad_request(
                            "BadRequest",
                            format!("Invalid value '{v}' for $top: it must be a positive integer."),
                        )
                    })?;
                    q.top = Some(n);
                }
                "$expand" => q.expand = Some(v),
                "$count" => q.count = v.eq_ignore_ascii_case("true"),
                "$orderby" => q.orderby = Some(v),
                "$search" | "$skip" | "$format" | "$apply" | "$compute" => {
                    return Err(GraphError::unsupported(format!(
                        "Query option '{k}' is not supported by the simulator for this resource."
                    )));
                }
                k if k.starts_with('$') => {
                    return Err(GraphError::bad_request(
                        "BadRequest",
                        format!(
                            "Query option '{k}' is not allowed. Make sure it is spelled correctly."
                        ),
                    ));
                }
                _ => q.other.push((k, v)),
            }
        }
        Ok(q)
    }

    /// The page size: default when absent, 400 above `max` or at 0 (Graph wording).
    pub fn page_size(&self, default: usize, max: usize) -> Result<usize, GraphError> {
        match self.top {
            None => Ok(default),
            Some(n) if (1..=max).contains(&n) => Ok(n),
            Some(n) => Err(GraphError::bad_request(
                "Request_BadRequest",
                format!(
                    "Invalid page size specified: '{n}'. Must be between 1 and {max} inclusive."
                ),
            )),
        }
    }

    /// Rejects `$expand` (not supported by the simulator on any resource).
    pub fn no_expand(&self) -> Result<(), GraphError> {
        match &self.expand {
            Some(e) => Err(GraphError::unsupported(format!(
                "Unsupported Query: $expand={e} is not supported on this resource."
            ))),
            None => Ok(()),
        }
    }

    /// True when `$select` names `field` (case-insensitive).
    pub fn selects(&self, field: &str) -> bool {
        self.select
            .as_ref()
            .is_some_and(|s| s.iter().any(|f| f.eq_ignore_ascii_case(field)))
    }

    pub fn matches(&self, item: &Value) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| filter::matches(f, item))
    }

    /// Applies `$select` (or `default` when no `$select` and a default set exists).
    pub fn project(&self, item: &Value, default: Option<&[&str]>) -> Value {
        match (&self.select, default) {
            (Some(sel), _) => project(item, sel.iter().map(String::as_str)),
            (None, Some(d)) => project(item, d.iter().copied()),
            (None, None) => item.clone(),
        }
    }

    /// The `(a,b)` suffix for `@odata.context` when `$select` is present.
    pub fn context_suffix(&self) -> String {
        match &self.select {
            Some(s) => format!("({})", s.join(",")),
            None => String::new(),
        }
    }

    /// The `$skiptoken` for a follow-up page at positions (a, b).
    pub fn next_token(&self, a: usize, b: usize) -> String {
        Cursor {
            q: self.raw.clone(),
            a,
            b,
        }
        .encode()
    }
}

/// Keeps the named top-level properties (case-insensitive), plus `@odata.type`.
pub fn project<'a>(item: &Value, fields: impl Iterator<Item = &'a str>) -> Value {
    let Value::Object(obj) = item else {
        return item.clone();
    };
    let fields: Vec<&str> = fields.collect();
    let mut out = Map::new();
    if let Some(t) = obj.get("@odata.type") {
        out.insert("@odata.type".into(), t.clone());
    }
    for f in fields {
        if let Some((k, v)) = obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(f)) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Builds `{"@odata.context", "value", "@odata.nextLink"?}`.
pub fn collection(context: String, value: Vec<Value>, next_link: Option<String>) -> Value {
    let mut body = json!({"@odata.context": context, "value": value});
    if let Some(n) = next_link {
        body["@odata.nextLink"] = Value::String(n);
    }
    body
}

/// Scans `items` from `start`, keeping up to `top` matches; returns them and the position of
/// the next match (None when no further match exists).
pub fn page_slice(
    items: &[Value],
    start: usize,
    top: usize,
    keep: impl Fn(&Value) -> bool,
) -> (Vec<&Value>, Option<usize>) {
    let mut out = Vec::new();
    let mut i = start;
    while i < items.len() {
        if keep(&items[i]) {
            if out.len() == top {
                return (out, Some(i));
            }
            out.push(&items[i]);
        }
        i += 1;
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_keeps_plus() {
        let q = Query::parse("%24filter=ipAddress%20eq%20%271%2B2%27&$top=5").unwrap();
        assert_eq!(q.filter_text.as_deref(), Some("ipAddress eq '1+2'"));
        assert_eq!(q.top, Some(5));
        assert_eq!(decode("a+b%20c"), "a+b c");
    }

    #[test]
    fn skiptoken_round_trip() {
        let q = Query::parse("$top=2&$select=id").unwrap();
        let tok = q.next_token(7, 3);
        let q2 = Query::parse(&format!("$skiptoken={tok}")).unwrap();
        assert_eq!(q2.pos, (7, 3));
        assert_eq!(q2.top, Some(2));
        assert!(Query::parse("$skiptoken=garbage!").is_err());
    }

    #[test]
    fn bad_options() {
        assert!(Query::parse("$top=abc").is_err());
        assert!(Query::parse("$filter=id eq").is_err());
        assert!(Query::parse("$bogus=1").is_err());
        let q = Query::parse("$top=1001").unwrap();
        let e = q.page_size(1000, 1000).unwrap_err();
        assert!(e.message.contains("between 1 and 1000"));
    }

    #[test]
    fn select_keeps_type() {
        let v = json!({"@odata.type": "#x", "id": "1", "displayName": "a", "other": 1});
        let q = Query::parse("$select=displayName").unwrap();
        assert_eq!(
            q.project(&v, None),
            json!({"@odata.type": "#x", "displayName": "a"})
        );
    }

    #[test]
    fn paging_lookahead() {
        let items: Vec<Value> = (0..5).map(|i| json!({"n": i})).collect();
        let (p, next) = page_slice(&items, 0, 2, |_| true);
        assert_eq!(p.len(), 2);
        assert_eq!(next, Some(2));
        let (p, next) = page_slice(&items, 4, 2, |_| true);
        assert_eq!(p.len(), 1);
        assert_eq!(next, None);
        let (p, next) = page_slice(&items, 0, 2, |v| v["n"] == 4);
        assert_eq!((p.len(), next), (1, None));
    }
}
