//! The Entra admin center's CSV download of sign-ins. Columns are matched by header name
//! (case-insensitive, spacing ignored); unknown columns are ignored and missing ones left
//! empty. Each row becomes a Graph-shaped JSON object and goes through the same lenient
//! conversion as JSON records. A bad row is reported with its line number; the rest loads.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value, json};

use super::record::to_sign_in;
use super::{Format, Location, Parsed};

/// A column this loader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Date,
    Id,
    CorrelationId,
    UserName,
    Upn,
    UserId,
    App,
    AppId,
    Resource,
    ResourceId,
    Ip,
    Location,
    Status,
    ErrorCode,
    FailureReason,
    AdditionalDetails,
    ClientApp,
    Browser,
    Os,
    DeviceId,
    DeviceName,
    Compliant,
    Managed,
    JoinType,
    ConditionalAccess,
    MfaResult,
    MfaMethod,
    AuthRequirement,
    UserAgent,
    Latitude,
    Longitude,
    RiskDuring,
    RiskAggregated,
    RiskState,
    RiskDetail,
    RiskEventTypes,
    IncomingTokenType,
    AuthProtocol,
    Asn,
}

/// Header names (normalised: lower-case, single spaces) per column.
const HEADERS: &[(&str, Col)] = &[
    ("date (utc)", Col::Date),
    ("date", Col::Date),
    ("createddatetime", Col::Date),
    ("request id", Col::Id),
    ("id", Col::Id),
    ("correlation id", Col::CorrelationId),
    ("user", Col::UserName),
    ("username", Col::Upn),
    ("user principal name", Col::Upn),
    ("user id", Col::UserId),
    ("application", Col::App),
    ("application id", Col::AppId),
    ("resource", Col::Resource),
    ("resource id", Col::ResourceId),
    ("ip address", Col::Ip),
    ("location", Col::Location),
    ("status", Col::Status),
    ("sign-in error code", Col::ErrorCode),
    ("failure reason", Col::FailureReason),
    ("additional details", Col::AdditionalDetails),
    ("client app", Col::ClientApp),
    ("browser", Col::Browser),
    ("operating system", Col::Os),
    ("device id", Col::DeviceId),
    ("device", Col::DeviceName),
    ("compliant", Col::Compliant),
    ("managed", Col::Managed),
    ("join type", Col::JoinType),
    ("conditional access", Col::ConditionalAccess),
    ("multifactor authentication result", Col::MfaResult),
    ("multifactor authentication auth method", Col::MfaMethod),
    ("authentication requirement", Col::AuthRequirement),
    ("user agent", Col::UserAgent),
    ("latitude", Col::Latitude),
    ("longitude", Col::Longitude),
    ("risk level (during sign-in)", Col::RiskDuring),
    ("risk level during sign-in", Col::RiskDuring),
    ("risk level (aggregated)", Col::RiskAggregated),
    ("risk level aggregated", Col::RiskAggregated),
    ("risk state", Col::RiskState),
    ("risk detail", Col::RiskDetail),
    ("risk event types", Col::RiskEventTypes),
    ("risk event types v2", Col::RiskEventTypes),
    ("incoming token type", Col::IncomingTokenType),
    ("authentication protocol", Col::AuthProtocol),
    ("autonomous system number", Col::Asn),
];

fn normalise(h: &str) -> String {
    h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Enum text as Graph spells it, loosely: `Not Applied` → `notapplied` (the models match
/// case-insensitively).
fn enum_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

pub fn parse(text: &str) -> Parsed {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let mut out = Parsed {
        format: Format::Unknown,
        sign_ins: Vec::new(),
        problems: Vec::new(),
    };
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            out.problems.push((
                Location::Line {
                    line: 1,
                    column: None,
                },
                format!("unreadable CSV header: {e}"),
            ));
            return out;
        }
        None => {
            out.problems.push((Location::File, "empty file".to_owned()));
            return out;
        }
    };
    let mut cols: Vec<(usize, Col)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let n = normalise(h);
        if let Some((_, c)) = HEADERS.iter().find(|(name, _)| *name == n)
            && !cols.iter().any(|(_, seen)| seen == c)
        {
            cols.push((i, *c));
        }
    }
    if !cols.iter().any(|(_, c)| *c == Col::Id) || cols.len() < 2 {
        out.problems.push((
            Location::Line {
                line: 1,
                column: None,
            },
            "not a sign-in log: neither JSON nor a CSV with a \"Request ID\" column and other \
             known sign-in columns"
                .to_owned(),
        ));
        return out;
    }
    out.format = Format::EntraCsv;
    for rec in records {
        let (line, rec) = match rec {
            Ok(r) => (r.position().map_or(0, |p| p.line() as usize), r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                out.problems.push((
                    Location::Line { line, column: None },
                    format!("unreadable row: {e}"),
                ));
                continue;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Col| -> Option<&str> {
            cols.iter()
                .find(|(_, k)| *k == c)
                .and_then(|(i, _)| rec.get(*i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let (obj, warning) = row_to_json(&get);
        let loc = Location::Line { line, column: None };
        match to_sign_in(obj) {
            Ok(s) => {
                if let Some(w) = warning {
                    out.problems.push((loc, w));
                }
                out.sign_ins.push(s);
            }
            Err(m) => out.problems.push((loc, format!("skipped: {m}"))),
        }
    }
    out
}

/// Builds a Graph-shaped signIn object from one row; the second value is a warning to report.
fn row_to_json<'a>(get: &dyn Fn(Col) -> Option<&'a str>) -> (Value, Option<String>) {
    let s = |c: Col| Value::String(get(c).unwrap_or_default().to_owned());
    let opt = |c: Col| {
        get(c)
            .map(|v| Value::String(v.to_owned()))
            .unwrap_or(Value::Null)
    };
    let mut warning = None;
    let created = match get(Col::Date) {
        Some(d) => match parse_time(d) {
            Some(t) => Value::String(t.to_rfc3339()),
            None => {
                warning = Some(format!("loaded without a time: cannot read date {d:?}"));
                Value::Null
            }
        },
        None => {
            warning = Some("loaded without a time: no date".to_owned());
            Value::Null
        }
    };
    let status = get(Col::Status).map(enum_text).unwrap_or_default();
    let error_code = match get(Col::ErrorCode).and_then(|c| c.parse::<i64>().ok()) {
        Some(c) => c,
        // Without a code column, only the status says whether it failed; -1 = failed, code unknown.
        None if status.eq_ignore_ascii_case("success") || status.is_empty() => 0,
        None => -1,
    };
    let mut location = Map::new();
    if let Some(l) = get(Col::Location) {
        let parts: Vec<&str> = l.split(',').map(str::trim).collect();
        let (city, state, country) = match parts.as_slice() {
            [one] if one.len() == 2 => ("", String::new(), *one),
            [one] => (*one, String::new(), ""),
            [city, country] => (*city, String::new(), *country),
            [city, middle @ .., country] => (*city, middle.join(", "), *country),
            [] => ("", String::new(), ""),
        };
        location.insert("city".into(), json!(city));
        location.insert("state".into(), json!(state));
        location.insert("countryOrRegion".into(), json!(country));
    }
    let lat = get(Col::Latitude).and_then(|v| v.parse::<f64>().ok());
    let lon = get(Col::Longitude).and_then(|v| v.parse::<f64>().ok());
    if lat.is_some() || lon.is_some() {
        location.insert(
            "geoCoordinates".into(),
            json!({"latitude": lat, "longitude": lon}),
        );
    }
    let flag = |c: Col| {
        get(c).map(|v| match v.to_ascii_lowercase().as_str() {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => Value::Null,
        })
    };
    let mut auth_details = Vec::new();
    if get(Col::MfaResult).is_some() || get(Col::MfaMethod).is_some() {
        auth_details.push(json!({
            "authenticationMethod": s(Col::MfaMethod),
            "authenticationStepResultDetail": s(Col::MfaResult),
        }));
    }
    let risk_events: Vec<String> = get(Col::RiskEventTypes)
        .map(|v| {
            v.split([',', ';'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let e = |c: Col| {
        get(c)
            .map(|v| Value::String(enum_text(v)))
            .unwrap_or(Value::Null)
    };
    let obj = json!({
        "id": s(Col::Id),
        "createdDateTime": created,
        "userId": s(Col::UserId),
        "userDisplayName": s(Col::UserName),
        "userPrincipalName": s(Col::Upn),
        "appId": s(Col::AppId),
        "appDisplayName": s(Col::App),
        "resourceId": s(Col::ResourceId),
        "resourceDisplayName": s(Col::Resource),
        "ipAddress": s(Col::Ip),
        "clientAppUsed": s(Col::ClientApp),
        "userAgent": s(Col::UserAgent),
        "correlationId": s(Col::CorrelationId),
        "conditionalAccessStatus": e(Col::ConditionalAccess),
        "status": {
            "errorCode": error_code,
            "failureReason": s(Col::FailureReason),
            "additionalDetails": s(Col::AdditionalDetails),
        },
        "deviceDetail": {
            "deviceId": s(Col::DeviceId),
            "displayName": s(Col::DeviceName),
            "operatingSystem": s(Col::Os),
            "browser": s(Col::Browser),
            "isCompliant": flag(Col::Compliant),
            "isManaged": flag(Col::Managed),
            "trustType": s(Col::JoinType),
        },
        "location": Value::Object(location),
        "riskDetail": e(Col::RiskDetail),
        "riskLevelAggregated": e(Col::RiskAggregated),
        "riskLevelDuringSignIn": e(Col::RiskDuring),
        "riskState": e(Col::RiskState),
        "riskEventTypes_v2": risk_events,
        "authenticationRequirement": get(Col::AuthRequirement).map(requirement),
        "incomingTokenType": opt(Col::IncomingTokenType),
        "authenticationProtocol": opt(Col::AuthProtocol),
        "autonomousSystemNumber": get(Col::Asn).and_then(|v| v.parse::<i64>().ok()),
        "authenticationDetails": auth_details,
    });
    (obj, warning)
}

/// `Multifactor authentication` → `multiFactorAuthentication` (Graph's beta member names).
fn requirement(s: &str) -> String {
    let l = s.to_ascii_lowercase();
    if l.starts_with("multi") {
        "multiFactorAuthentication".to_owned()
    } else if l.starts_with("single") {
        "singleFactorAuthentication".to_owned()
    } else {
        s.to_owned()
    }
}

/// Reads the admin center's date forms: ISO 8601 (with or without offset) and US-style
/// `11/20/2026, 8:00:01 AM`. Times without an offset are UTC (the column is "Date (UTC)").
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    const FORMATS: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y, %I:%M:%S %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ];
    let s = s.trim_end_matches('Z').trim();
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_admin_center_dates() {
        let want = "2026-11-20T08:00:01+00:00";
        for d in [
            "2026-11-20T08:00:01Z",
            "2026-11-20T08:00:01",
            "2026-11-20 08:00:01",
            "11/20/2026, 8:00:01 AM",
        ] {
            assert_eq!(
                parse_time(d).map(|t| t.to_rfc3339()).as_deref(),
                Some(want),
                "{d}"
            );
        }
        assert_eq!(parse_time("yesterday"), None);
    }
}
