//! Shifting every date-time string in loaded tenant data by a whole number of minutes,
//! keeping each string's own format (fraction digits, `Z` or offset). JSON-encoded strings
//! (riskDetection `additionalInfo`, audit `modifiedProperties` values) are shifted inside too.

use chrono::{Duration, NaiveDateTime};
use serde_json::Value;

/// The shift from `anchor` to `target`, truncated toward zero to whole minutes.
pub fn shift_between(
    anchor: chrono::DateTime<chrono::Utc>,
    target: chrono::DateTime<chrono::Utc>,
) -> Duration {
    Duration::minutes((target - anchor).num_minutes())
}

/// Shifts one string if it is a date-time (not a sentinel before 1900); None otherwise.
pub fn shift_str(s: &str, by: Duration) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let head = s.get(..19)?;
    let rest = s.get(19..)?;
    if !rest_is_valid(rest) {
        return None;
    }
    let t = NaiveDateTime::parse_from_str(head, "%Y-%m-%dT%H:%M:%S").ok()?;
    if t.and_utc().timestamp() < -2_208_988_800 {
        return None; // before 1900: a sentinel such as 0001-01-01T00:00:00Z
    }
    let shifted = t.checked_add_signed(by)?;
    Some(format!("{}{}", shifted.format("%Y-%m-%dT%H:%M:%S"), rest))
}

fn rest_is_valid(rest: &str) -> bool {
    let mut r = rest;
    if let Some(f) = r.strip_prefix('.') {
        let digits = f.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        r = &f[digits..];
    }
    match r {
        "" | "Z" | "z" => true,
        o => {
            let ob = o.as_bytes();
            ob.len() == 6
                && matches!(ob[0], b'+' | b'-')
                && ob[3] == b':'
                && [1, 2, 4, 5].iter().all(|&i| ob[i].is_ascii_digit())
        }
    }
}

/// Shifts every date-time string inside `v` in place.
pub fn shift_value(v: &mut Value, by: Duration) {
    match v {
        Value::String(s) => {
            if let Some(n) = shift_str(s, by) {
                *s = n;
            } else if (s.starts_with('[') || s.starts_with('{'))
                && let Ok(mut inner) = serde_json::from_str::<Value>(s)
            {
                let before = inner.clone();
                shift_value(&mut inner, by);
                if inner != before {
                    *s = inner.to_string();
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| shift_value(x, by)),
        Value::Object(o) => o.values_mut().for_each(|x| shift_value(x, by)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_format() {
        let d = Duration::minutes(90);
        assert_eq!(
            shift_str("2026-11-20T12:00:00Z", d).unwrap(),
            "2026-11-20T13:30:00Z"
        );
        assert_eq!(
            shift_str("2026-11-20T23:59:00.1234567Z", d).unwrap(),
            "2026-11-21T01:29:00.1234567Z"
        );
        assert_eq!(
            shift_str("2026-11-20T12:00:00+02:00", d).unwrap(),
            "2026-11-20T13:30:00+02:00"
        );
        assert_eq!(shift_str("0001-01-01T00:00:00Z", d), None);
        assert_eq!(shift_str("not a date at all, really", d), None);
        assert_eq!(shift_str("2026-11-20T12:00:00Zjunk", d), None);
    }

    #[test]
    fn shifts_nested_and_encoded() {
        let mut v = json!({"a": ["2026-01-01T00:00:00Z", 5, "x"],
            "info": "[{\"Key\":\"relatedEventTimeInUtc\",\"Value\":\"2026-01-01T00:00:00Z\"}]"});
        shift_value(&mut v, Duration::days(1));
        assert_eq!(v["a"][0], "2026-01-02T00:00:00Z");
        assert!(v["info"].as_str().unwrap().contains("2026-01-02T00:00:00Z"));
    }

    #[test]
    fn truncates_to_minutes() {
        let a = "2026-11-20T12:00:00Z".parse().unwrap();
        let t = "2026-11-21T12:00:59Z".parse().unwrap();
        assert_eq!(shift_between(a, t), Duration::minutes(1440));
    }
}
