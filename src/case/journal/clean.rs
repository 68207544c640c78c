//! What goes into a journal line: secrets masked (`crate::case::redact`), tenant text
//! sanitised to one safe line, floats settled so the hash survives reading the line back.

use serde_json::Value;

use super::{NewEntry, RequestRecord, Target};
use crate::case::redact::{REDACTED, is_secret_key, redact_str, redact_value};

/// Longest free-text `detail` or body string, in characters.
const MAX_DETAIL_CHARS: usize = 4096;

/// Redacts secrets and sanitises tenant text in everything the caller gave.
pub(super) fn clean(e: NewEntry) -> NewEntry {
    NewEntry {
        ts: e.ts,
        analyst: clean_str(&e.analyst, crate::sanitize::MAX_CHARS),
        kind: e.kind,
        action: clean_str(&e.action, crate::sanitize::MAX_CHARS),
        target: e.target.map(|t| Target {
            id: clean_str(&t.id, crate::sanitize::MAX_CHARS),
            display_name: clean_str(&t.display_name, crate::sanitize::MAX_CHARS),
        }),
        request: e.request.map(|r| RequestRecord {
            method: clean_str(&r.method, 16),
            path: clean_str(&redact_query(&r.path), MAX_DETAIL_CHARS),
            body: r.body.map(|mut b| {
                redact_value(&mut b);
                sanitize_strings(&mut b);
                b
            }),
        }),
        outcome: e.outcome.map(|s| clean_str(&s, crate::sanitize::MAX_CHARS)),
        request_id: e
            .request_id
            .map(|s| clean_str(&s, crate::sanitize::MAX_CHARS)),
        detail: e.detail.map(|s| clean_str(&s, MAX_DETAIL_CHARS)),
    }
}

fn clean_str(s: &str, max: usize) -> String {
    let r = redact_str(s);
    crate::sanitize::line_capped(r.as_deref().unwrap_or(s), max)
}

fn sanitize_strings(v: &mut Value) {
    match v {
        Value::String(s) => *s = crate::sanitize::line_capped(s, MAX_DETAIL_CHARS),
        Value::Number(n) if n.is_f64() => *v = stable_float(n),
        Value::Array(a) => a.iter_mut().for_each(sanitize_strings),
        Value::Object(m) => m.values_mut().for_each(sanitize_strings),
        _ => {}
    }
}

/// A float as it will read back from the file: `serde_json` does not promise that parsing its
/// own output gives the same `f64` again, and the hash must survive the round trip. A float that
/// never settles is kept as its text.
fn stable_float(n: &serde_json::Number) -> Value {
    let mut text = n.to_string();
    for _ in 0..4 {
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => {
                let again = v.to_string();
                if again == text {
                    return v;
                }
                text = again;
            }
            Err(_) => break,
        }
    }
    Value::String(n.to_string())
}

/// Masks the value of any secret-named query parameter (`?access_token=…`).
fn redact_query(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if is_secret_key(k) => {
                format!("{k}={}", REDACTED)
            }
            _ => p.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}
