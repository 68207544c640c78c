//! Fault injection for failure tests: what a matching [`FaultRule`] does to a request
//! ([`FaultEffect`]: an error answer, a stall past the client timeout, an applied-then-stalled
//! mutation, a reset mid-body, truncated or malformed JSON, a slow drip), the rule builders,
//! and the response shaping the server applies. Rules match by method, path text and the
//! 1-based number of the matching request (counted per rule).

use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::state::FaultRule;

/// What happens to a request a rule matches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FaultEffect {
    /// Answer the rule's `status`/`code` (and `Retry-After` when set) instead of serving it.
    #[default]
    Error,
    /// Do not serve it; wait `ms` (beyond the client timeout), then answer the rule's error.
    Stall { ms: u64 },
    /// Serve it (a mutation IS applied), then hold the answer `ms` (past the client timeout).
    ApplyThenStall { ms: u64 },
    /// Serve it, send the headers and half of the body, then reset the connection.
    ResetMidBody,
    /// Serve it but answer 200 with only the first half of the JSON body.
    TruncatedJson,
    /// Answer 200 with a body that is not JSON at all.
    MalformedJson,
    /// Serve it but send the body `chunk` bytes at a time, `every_ms` apart.
    SlowDrip { chunk: usize, every_ms: u64 },
}

/// The body [`FaultEffect::MalformedJson`] answers.
pub const MALFORMED_BODY: &str = "{\"value\": [{\"id\": \"1\",, \u{1b}]2;x\u{7} <html>oops";

impl Default for FaultRule {
    fn default() -> Self {
        FaultRule {
            method: None,
            path_contains: String::new(),
            from: 1,
            to: u64::MAX,
            status: 503,
            code: "serviceNotAvailable".into(),
            retry_after: None,
            effect: FaultEffect::Error,
        }
    }
}

impl FaultRule {
    /// Every request whose path contains `path_contains` answers `status`/`code`.
    pub fn error(path_contains: &str, status: u16, code: &str) -> Self {
        FaultRule {
            path_contains: path_contains.into(),
            status,
            code: code.into(),
            ..FaultRule::default()
        }
    }

    /// 429 `TooManyRequests`, with `Retry-After: secs` when given.
    pub fn throttled(path_contains: &str, retry_after: Option<u64>) -> Self {
        FaultRule {
            retry_after,
            ..Self::error(path_contains, 429, "TooManyRequests")
        }
    }

    /// 401 `InvalidAuthenticationToken` (an expired token).
    pub fn expired_token(path_contains: &str) -> Self {
        Self::error(path_contains, 401, "InvalidAuthenticationToken")
    }

    /// 403 with the given Graph code.
    pub fn forbidden(path_contains: &str, code: &str) -> Self {
        Self::error(path_contains, 403, code)
    }

    /// Any other effect on matching requests (status/code are used by `Stall`).
    pub fn with_effect(path_contains: &str, effect: FaultEffect) -> Self {
        FaultRule {
            path_contains: path_contains.into(),
            status: 504,
            code: "GatewayTimeout".into(),
            effect,
            ..FaultRule::default()
        }
    }

    /// Only requests number `from..=to` (1-based) of those matching.
    pub fn requests(mut self, from: u64, to: u64) -> Self {
        self.from = from;
        self.to = to;
        self
    }

    /// Only this HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
}

/// Does the effect replace serving the request with an error answer?
pub fn answers_error(effect: &FaultEffect) -> bool {
    matches!(
        effect,
        FaultEffect::Error | FaultEffect::Stall { .. } | FaultEffect::MalformedJson
    )
}

/// Waits the effect asks for before the answer leaves (stalls).
pub async fn delay(effect: &FaultEffect) {
    if let FaultEffect::Stall { ms } | FaultEffect::ApplyThenStall { ms } = effect {
        tokio::time::sleep(Duration::from_millis(*ms)).await;
    }
}

/// Reshapes a built response for body-level effects.
pub async fn shape(effect: &FaultEffect, response: Response) -> Response {
    match effect {
        FaultEffect::Error | FaultEffect::Stall { .. } | FaultEffect::ApplyThenStall { .. } => {
            response
        }
        FaultEffect::MalformedJson => {
            with_body(response, StatusCode::OK, |_| {
                Body::from(MALFORMED_BODY.as_bytes().to_vec())
            })
            .await
        }
        FaultEffect::TruncatedJson => {
            with_body(response, StatusCode::OK, |b| {
                let half = b.len() / 2;
                Body::from(b.slice(..half))
            })
            .await
        }
        FaultEffect::ResetMidBody => {
            let status = response.status();
            with_body(response, status, |b| {
                let half = b.slice(..b.len() / 2);
                let parts: Vec<Result<Bytes, std::io::Error>> = vec![
                    Ok(half),
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "injected reset",
                    )),
                ];
                Body::from_stream(futures::stream::iter(parts))
            })
            .await
        }
        FaultEffect::SlowDrip { chunk, every_ms } => {
            let (chunk, every) = ((*chunk).max(1), Duration::from_millis(*every_ms));
            let status = response.status();
            with_body(response, status, move |b| {
                let stream = futures::stream::unfold(0usize, move |at| {
                    let b = b.clone();
                    async move {
                        if at >= b.len() {
                            return None;
                        }
                        if at > 0 {
                            tokio::time::sleep(every).await;
                        }
                        let end = (at + chunk).min(b.len());
                        Some((Ok::<_, std::io::Error>(b.slice(at..end)), end))
                    }
                });
                Body::from_stream(stream)
            })
            .await
        }
    }
}

/// Replaces the body (and status) of `response`, keeping its headers; the content length is
/// the full original one for resets and drips (so a short body is an error, not a success).
async fn with_body(
    response: Response,
    status: StatusCode,
    make: impl FnOnce(Bytes) -> Body,
) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.status = status;
    parts.headers.remove("content-length");
    if status == StatusCode::OK && parts.headers.get("content-type").is_none() {
        parts
            .headers
            .insert("content-type", HeaderValue::from_static("application/json"));
    }
    Response::from_parts(parts, make(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(r: Response) -> Result<Vec<u8>, String> {
        to_bytes(r.into_body(), usize::MAX)
            .await
            .map(|b| b.to_vec())
            .map_err(|e| e.to_string())
    }

    fn json_response() -> Response {
        Response::new(Body::from(r#"{"value":[{"id":"a"},{"id":"b"}]}"#))
    }

    #[tokio::test]
    async fn body_effects() {
        let r = shape(&FaultEffect::TruncatedJson, json_response()).await;
        assert_eq!(r.status(), 200);
        let b = body_of(r).await.unwrap();
        assert_eq!(b, br#"{"value":[{"id":"#);
        assert!(serde_json::from_slice::<serde_json::Value>(&b).is_err());

        let r = shape(&FaultEffect::MalformedJson, json_response()).await;
        let b = body_of(r).await.unwrap();
        assert!(serde_json::from_slice::<serde_json::Value>(&b).is_err());

        let r = shape(&FaultEffect::ResetMidBody, json_response()).await;
        assert!(body_of(r).await.is_err());

        let drip = FaultEffect::SlowDrip {
            chunk: 5,
            every_ms: 1,
        };
        let r = shape(&drip, json_response()).await;
        assert_eq!(
            body_of(r).await.unwrap(),
            br#"{"value":[{"id":"a"},{"id":"b"}]}"#
        );
    }

    #[test]
    fn builders() {
        let r = FaultRule::throttled("/signIns", Some(2))
            .requests(2, 3)
            .method("get");
        assert_eq!(
            (r.status, r.retry_after, r.from, r.to),
            (429, Some(2), 2, 3)
        );
        assert_eq!(r.method.as_deref(), Some("GET"));
        assert!(answers_error(&r.effect));
        assert!(!answers_error(&FaultEffect::ApplyThenStall { ms: 1 }));
        assert_eq!(FaultRule::expired_token("/x").status, 401);
    }
}
