//! One exported sign-in record (a JSON object) to a `SignIn`, leniently: PascalCase keys (from
//! PowerShell) are camel-cased, ids given as numbers become strings, `requestId` stands in for a
//! missing `id`, an error code given as text becomes a number. Anything else odd is left to the
//! tolerant Graph models.

use serde_json::{Map, Value};

use crate::graph::models::SignIn;

/// Top-level fields the model wants as strings.
const STRING_FIELDS: &[&str] = &["id", "userId", "appId", "resourceId", "correlationId"];

/// Converts one record; `Err` says why it was skipped.
pub fn to_sign_in(v: Value) -> Result<SignIn, String> {
    let Value::Object(map) = v else {
        return Err(format!("not a sign-in object but {}", kind(&v)));
    };
    let mut map = camel_keys(map, 0);
    if is_blank(map.get("id"))
        && let Some(r) = ["requestId", "originalRequestId"]
            .iter()
            .find_map(|k| map.get(*k).filter(|v| !is_blank(Some(v))).cloned())
    {
        map.insert("id".to_owned(), r);
    }
    // PowerShell spellings that camel-casing alone does not turn into Graph's.
    for (from, to) in [
        ("riskEventTypesV2", "riskEventTypes_v2"),
        ("iPAddress", "ipAddress"),
    ] {
        if let Some(v) = map.remove(from) {
            map.entry(to).or_insert(v);
        }
    }
    for k in STRING_FIELDS {
        match map.get(*k) {
            Some(Value::Number(n)) => {
                let s = n.to_string();
                map.insert((*k).to_owned(), Value::String(s));
            }
            Some(Value::String(_)) | None => {}
            // null, or a type no export should have: treat as absent rather than lose the row.
            Some(_) => {
                map.remove(*k);
            }
        }
    }
    if let Some(Value::Object(status)) = map.get_mut("status")
        && let Some(code) = status.get_mut("errorCode")
    {
        *code = Value::from(error_code(code));
    }
    let mut v = Value::Object(map);
    strip_nulls(&mut v, 0);
    let s: SignIn = serde_json::from_value(v).map_err(|e| e.to_string())?;
    if s.id.trim().is_empty() {
        return Err("sign-in without an id (request id)".to_owned());
    }
    Ok(s)
}

/// Removes `null` members (the models default every absent field, but not every null one).
fn strip_nulls(v: &mut Value, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(|x| strip_nulls(x, depth + 1));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip_nulls(x, depth + 1)),
        _ => {}
    }
}

/// An error code as a number: null or absent is 0 (success, as Graph means it); a code that
/// cannot be read is -1 (failed, code unknown) rather than a success.
fn error_code(v: &Value) -> i64 {
    match v {
        Value::Null => 0,
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| f as i64)
            })
            .unwrap_or(-1),
        Value::String(s) if s.trim().is_empty() => 0,
        Value::String(s) => s.trim().parse().unwrap_or(-1),
        _ => -1,
    }
}

fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Lower-cases the first letter of every key (`CreatedDateTime` → `createdDateTime`), nested.
fn camel_keys(map: Map<String, Value>, depth: usize) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let k = match k.chars().next() {
                Some(c) if c.is_ascii_uppercase() => {
                    let mut s = c.to_ascii_lowercase().to_string();
                    s.push_str(&k[c.len_utf8()..]);
                    s
                }
                _ => k,
            };
            (k, camel_value(v, depth + 1))
        })
        .collect()
}

fn camel_value(v: Value, depth: usize) -> Value {
    // Sign-ins nest a few levels; deeper data is left as it is.
    if depth > 8 {
        return v;
    }
    match v {
        Value::Object(m) => Value::Object(camel_keys(m, depth)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| camel_value(x, depth + 1)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pascal_case_and_odd_types_are_accepted() {
        let s = to_sign_in(json!({
            "Id": 12345, "CreatedDateTime": "2026-11-20T08:00:00Z",
            "Status": {"ErrorCode": "50126", "FailureReason": "Invalid password"},
            "Location": {"City": "Lagos", "CountryOrRegion": "NG"},
            "RiskEventTypesV2": ["unfamiliarFeatures"]
        }))
        .unwrap();
        assert_eq!(s.id, "12345");
        assert_eq!(s.status.error_code, 50126);
        assert_eq!(s.location.city.raw(), "Lagos");
        assert_eq!(s.risk_event_types_v2, vec!["unfamiliarFeatures"]);
        assert!(!s.succeeded());
    }

    #[test]
    fn request_id_stands_in_and_no_id_is_refused() {
        assert_eq!(to_sign_in(json!({"requestId": "r1"})).unwrap().id, "r1");
        assert!(to_sign_in(json!({"userId": "u"})).is_err());
        assert!(to_sign_in(json!(5)).is_err());
    }
}
