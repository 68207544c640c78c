//! [`GraphError`]: every failure of a Graph call as one value — HTTP status, Graph error code,
//! message, request ids for support, what was called, and whether a mutation may have reached
//! Graph. Parses Graph's error bodies (both `innerError` casings) and non-JSON bodies.
//! Never holds a token: the client scrubs it before an error leaves the client.

use std::fmt;

use crate::sanitize;

/// What kind of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Graph answered with an error status (4xx/5xx other than 401).
    Http,
    /// No complete answer within the client timeout.
    Timeout,
    /// Connection refused/reset, DNS, TLS, a refused redirect or nextLink.
    Transport,
    /// An answer that is not the JSON we expected.
    Decode,
    /// No token could be obtained, or Graph rejected the token (401).
    Auth,
}

/// One failed Graph call. `Display` is a single line fit for a status bar.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.line())]
pub struct GraphError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// Graph error code (`Authorization_RequestDenied`, `TooManyRequests`, …).
    pub code: Option<String>,
    /// Graph message or transport description (single line, never contains a token).
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    /// HTTP method called (`GET`, `POST`, …).
    pub method: String,
    /// What was called: path and query without scheme and host.
    pub path: String,
    /// For mutations: the request may have reached Graph (timeout after send, connection
    /// reset) — outcome unknown, must be verified by a read, never re-sent blindly.
    pub maybe_applied: bool,
}

/// Longest snippet of a non-JSON error body kept in a message.
const SNIPPET_CHARS: usize = 120;
/// Longest Graph message kept.
const MESSAGE_CHARS: usize = 400;
/// Longest path shown in `Display`.
const PATH_CHARS: usize = 200;

impl GraphError {
    /// A failure without an HTTP answer (timeout, transport, decode, token source).
    pub fn local(kind: ErrorKind, message: impl Into<String>, method: &str, path: &str) -> Self {
        Self {
            kind,
            status: None,
            code: None,
            message: sanitize::line_capped(&message.into(), MESSAGE_CHARS),
            request_id: None,
            client_request_id: None,
            method: method.to_owned(),
            path: path.to_owned(),
            maybe_applied: false,
        }
    }

    /// For token sources: no token could be obtained (sign-in needed, refresh failed…).
    pub fn auth(message: impl Into<String>) -> Self {
        Self::local(ErrorKind::Auth, message, "", "")
    }

    /// Builds the error for an HTTP error answer from its status, body and the `request-id` /
    /// `client-request-id` response headers. Ids in the body's `innerError` win over headers.
    pub fn from_response(
        status: u16,
        body: &[u8],
        header_request_id: Option<&str>,
        header_client_request_id: Option<&str>,
        method: &str,
        path: &str,
    ) -> Self {
        let parsed = parse_body(status, body);
        let kind = if status == 401 {
            ErrorKind::Auth
        } else {
            ErrorKind::Http
        };
        let clean = |s: &str| sanitize::line_capped(s.trim(), 100);
        Self {
            kind,
            status: Some(status),
            code: parsed.code.map(|c| clean(&c)).filter(|c| !c.is_empty()),
            message: sanitize::line_capped(&parsed.message, MESSAGE_CHARS),
            request_id: parsed
                .request_id
                .or_else(|| header_request_id.map(str::to_owned))
                .map(|s| clean(&s))
                .filter(|s| !s.is_empty()),
            client_request_id: parsed
                .client_request_id
                .or_else(|| header_client_request_id.map(str::to_owned))
                .map(|s| clean(&s))
                .filter(|s| !s.is_empty()),
            method: method.to_owned(),
            path: path.to_owned(),
            maybe_applied: false,
        }
    }

    /// HTTP 404.
    pub fn is_not_found(&self) -> bool {
        self.status == Some(404)
    }

    /// HTTP 403.
    pub fn is_forbidden(&self) -> bool {
        self.status == Some(403)
    }

    /// HTTP 429 (or a throttling code on another status).
    pub fn is_throttled(&self) -> bool {
        self.status == Some(429)
            || self.code.as_deref().is_some_and(|c| {
                c.eq_ignore_ascii_case("TooManyRequests")
                    || c.eq_ignore_ascii_case("activityLimitReached")
            })
    }

    /// Replaces every occurrence of `secret` in the error's text fields with `<redacted>`.
    pub fn scrub(mut self, secret: &str) -> Self {
        if secret.len() < 8 {
            return self;
        }
        let fix = |s: &mut String| {
            if s.contains(secret) {
                *s = s.replace(secret, "<redacted>");
            }
        };
        fix(&mut self.message);
        fix(&mut self.path);
        for s in [
            &mut self.code,
            &mut self.request_id,
            &mut self.client_request_id,
        ]
        .into_iter()
        .flatten()
        {
            fix(s);
        }
        self
    }

    fn line(&self) -> String {
        let path = sanitize::line_capped(&self.path, PATH_CHARS);
        let mut out = match (self.status, &self.kind) {
            (Some(status), ErrorKind::Http | ErrorKind::Auth) => {
                let mut s = format!("HTTP {status}");
                if let Some(code) = &self.code {
                    s.push(' ');
                    s.push_str(code);
                }
                s.push_str(": ");
                s.push_str(&self.message);
                s
            }
            (_, ErrorKind::Decode) => {
                format!(
                    "cannot read the answer to {} {path}: {}",
                    self.method, self.message
                )
            }
            _ if self.method.is_empty() => self.message.clone(),
            _ => format!("{} calling {} {path}", self.message, self.method),
        };
        if let Some(id) = &self.request_id {
            out.push_str(&format!(" (request-id {id})"));
        }
        out
    }
}

/// What an error body says.
#[derive(Debug, Default, PartialEq)]
struct ParsedBody {
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    client_request_id: Option<String>,
}

fn status_text(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error")
        .to_owned()
}

fn parse_body(status: u16, body: &[u8]) -> ParsedBody {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return ParsedBody {
            message: with_snippet(status, body),
            ..ParsedBody::default()
        };
    };
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    match json.get("error") {
        Some(err @ serde_json::Value::Object(_)) => {
            let (request_id, client_request_id) = inner_ids(err, 0);
            let message = text(err.get("message"))
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| status_text(status));
            ParsedBody {
                code: text(err.get("code")),
                message,
                request_id,
                client_request_id,
            }
        }
        // OAuth-style: {"error": "invalid_token", "error_description": "…"}
        Some(serde_json::Value::String(code)) => ParsedBody {
            code: Some(code.clone()),
            message: text(json.get("error_description")).unwrap_or_else(|| status_text(status)),
            ..ParsedBody::default()
        },
        _ => ParsedBody {
            message: text(json.get("message")).unwrap_or_else(|| with_snippet(status, body)),
            ..ParsedBody::default()
        },
    }
}

/// `request-id` / `client-request-id` from `innerError` (any casing), searched depth-first.
fn inner_ids(obj: &serde_json::Value, depth: usize) -> (Option<String>, Option<String>) {
    let serde_json::Value::Object(map) = obj else {
        return (None, None);
    };
    let get = |keys: &[&str]| {
        map.iter()
            .find(|(k, _)| keys.iter().any(|w| k.eq_ignore_ascii_case(w)))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    };
    let mut rid = if depth > 0 {
        get(&["request-id", "requestId"])
    } else {
        None
    };
    let mut crid = if depth > 0 {
        get(&["client-request-id", "clientRequestId"])
    } else {
        None
    };
    if depth < 8 {
        for (k, v) in map {
            if k.eq_ignore_ascii_case("innererror") {
                let (r, c) = inner_ids(v, depth + 1);
                rid = rid.or(r);
                crid = crid.or(c);
            }
        }
    }
    (rid, crid)
}

/// `"Bad Gateway: <first words of the body, tags removed>"`.
fn with_snippet(status: u16, body: &[u8]) -> String {
    let raw = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() => text.push(' '),
            c => text.push(c),
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let snippet = sanitize::line_capped(&collapsed, SNIPPET_CHARS);
    if snippet.is_empty() {
        status_text(status)
    } else {
        format!("{}: {snippet}", status_text(status))
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Http => "http",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::Auth => "auth",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> GraphError {
        GraphError::from_response(status, body.as_bytes(), None, None, "GET", "/v1.0/users/x")
    }

    #[test]
    fn graph_error_body_camel_case_inner_error() {
        let e = err(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-11-20T08:00:00","request-id":"rid-1","client-request-id":"crid-1"}}}"#,
        );
        assert_eq!(e.kind, ErrorKind::Http);
        assert_eq!(e.code.as_deref(), Some("Authorization_RequestDenied"));
        assert_eq!(e.request_id.as_deref(), Some("rid-1"));
        assert_eq!(e.client_request_id.as_deref(), Some("crid-1"));
        assert!(e.is_forbidden() && !e.is_not_found() && !e.is_throttled());
        assert_eq!(
            e.to_string(),
            "HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. (request-id rid-1)"
        );
    }

    #[test]
    fn lower_case_and_nested_inner_error() {
        let e = err(
            404,
            r#"{"error":{"code":"Request_ResourceNotFound","message":"gone","innererror":{"innerError":{"request-id":"deep","client-request-id":"c"}}}}"#,
        );
        assert_eq!(e.request_id.as_deref(), Some("deep"));
        assert_eq!(e.client_request_id.as_deref(), Some("c"));
        assert!(e.is_not_found());
    }

    #[test]
    fn header_ids_used_when_body_has_none() {
        let body = r#"{"error":{"code":"TooManyRequests","message":"Please retry again later."}}"#;
        let e = GraphError::from_response(
            429,
            body.as_bytes(),
            Some("h-rid"),
            Some("h-crid"),
            "GET",
            "/p",
        );
        assert_eq!(e.request_id.as_deref(), Some("h-rid"));
        assert_eq!(e.client_request_id.as_deref(), Some("h-crid"));
        assert!(e.is_throttled());
    }

    #[test]
    fn body_ids_win_over_headers() {
        let body = r#"{"error":{"code":"x","message":"m","innerError":{"request-id":"b"}}}"#;
        let e = GraphError::from_response(500, body.as_bytes(), Some("h"), None, "GET", "/p");
        assert_eq!(e.request_id.as_deref(), Some("b"));
    }

    #[test]
    fn non_json_body_gets_status_text_and_clean_snippet() {
        let e = err(
            502,
            "<html><body><h1>Bad\tGateway</h1>\n<p>upstream \u{1b}[31m died</p></body></html>",
        );
        assert_eq!(e.kind, ErrorKind::Http);
        assert!(e.code.is_none());
        assert!(
            e.message.starts_with("Bad Gateway: Bad Gateway upstream"),
            "{}",
            e.message
        );
        assert!(!e.message.contains('\u{1b}'));
        assert!(!e.message.contains('<'));
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn empty_and_long_bodies() {
        assert_eq!(err(503, "").message, "Service Unavailable");
        let long = "x".repeat(10_000);
        let e = err(500, &long);
        assert!(e.message.chars().count() < 200);
    }

    #[test]
    fn oauth_style_and_401_is_auth() {
        let e = err(
            401,
            r#"{"error":"invalid_token","error_description":"expired"}"#,
        );
        assert_eq!(e.kind, ErrorKind::Auth);
        assert_eq!(e.code.as_deref(), Some("invalid_token"));
        assert_eq!(e.message, "expired");
    }

    #[test]
    fn timeout_display_and_scrub() {
        let e = GraphError::local(
            ErrorKind::Timeout,
            "timeout after 60 s",
            "GET",
            "/v1.0/auditLogs/signIns",
        );
        assert_eq!(
            e.to_string(),
            "timeout after 60 s calling GET /v1.0/auditLogs/signIns"
        );
        let e = GraphError::local(ErrorKind::Transport, "echo SECRETTOKEN123", "GET", "/p")
            .scrub("SECRETTOKEN123");
        assert!(!format!("{e} {e:?}").contains("SECRETTOKEN123"));
    }
}
