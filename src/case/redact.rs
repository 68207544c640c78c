//! Secret masking for everything written to the journal: fields named like a secret
//! (password, newPassword, temporaryAccessPass, secret, token, access_token, refresh_token,
//! client_secret… compared case-insensitively, ignoring `_`/`-`) and anything shaped like a
//! JWT (`eyJ…` with three or more base64url parts) become `"<redacted>"`. It must run before
//! anything is hashed or written; it never fails.

use serde_json::Value;

/// What a masked value is replaced by.
pub const REDACTED: &str = "<redacted>";

/// Field names (lower-case, without `_`/`-`) whose values are always masked.
const SECRET_KEYS: &[&str] = &[
    "password",
    "newpassword",
    "currentpassword",
    "temporaryaccesspass",
    "secret",
    "clientsecret",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "authorization",
];

/// True when a field of this name must never be written.
pub fn is_secret_key(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_KEYS.contains(&norm.as_str())
}

/// Masks secrets in place, recursively.
pub fn redact_value(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_secret_key(k) {
                    if !val.is_null() {
                        *val = Value::String(REDACTED.to_owned());
                    }
                } else {
                    redact_value(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        Value::String(s) => {
            if let Some(r) = redact_str(s) {
                *s = r;
            }
        }
        _ => {}
    }
}

/// Replaces every JWT-looking run inside `s`; `None` when there is none.
pub fn redact_str(s: &str) -> Option<String> {
    if !s.contains("eyJ") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut run_start: Option<usize> = None;
    let is_run = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=');
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if i < s.len() && is_run(c) {
            run_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = run_start.take() {
            let run = &s[start..i];
            if looks_like_jwt(run) {
                out.push_str(REDACTED);
                changed = true;
            } else {
                out.push_str(run);
            }
        }
        if i < s.len() {
            out.push(c);
        }
    }
    changed.then_some(out)
}

/// `eyJ…` followed by at least two more dot-separated base64url parts (JWS or JWE).
pub fn looks_like_jwt(run: &str) -> bool {
    let Some(pos) = run.find("eyJ") else {
        return false;
    };
    let parts: Vec<&str> = run[pos..].split('.').collect();
    parts.len() >= 3
        && parts[0].len() >= 10
        && parts[1].len() >= 2
        && parts.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '='))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ";

    #[test]
    fn secret_fields_are_masked_at_any_depth() {
        let mut v = json!({
            "passwordProfile": {"Password": "Hunter2!", "forceChangePasswordNextSignIn": true},
            "newPassword": "x", "temporaryAccessPass": "TAP-123", "client_secret": "s",
            "Access_Token": "a", "refresh-token": "r", "token": null,
            "list": [{"secret": 5}], "displayName": "Alice"
        });
        redact_value(&mut v);
        assert_eq!(v["passwordProfile"]["Password"], REDACTED);
        assert_eq!(v["passwordProfile"]["forceChangePasswordNextSignIn"], true);
        for k in [
            "newPassword",
            "temporaryAccessPass",
            "client_secret",
            "Access_Token",
            "refresh-token",
        ] {
            assert_eq!(v[k], REDACTED, "{k}");
        }
        assert_eq!(v["token"], Value::Null);
        assert_eq!(v["list"][0]["secret"], REDACTED);
        assert_eq!(v["displayName"], "Alice");
    }

    #[test]
    fn jwts_are_masked_inside_any_string() {
        let mut v = json!({"detail": format!("Bearer {JWT}, then more"), "note": JWT});
        redact_value(&mut v);
        assert_eq!(v["detail"], "Bearer <redacted>, then more");
        assert_eq!(v["note"], REDACTED);
        assert_eq!(redact_str("eyJ is not a token"), None);
        assert_eq!(redact_str("version 1.2.3"), None);
        assert!(!looks_like_jwt("eyJx.y.z"));
    }
}
