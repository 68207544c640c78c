//! One HTTP exchange with Graph: builds the request (sensitive `Authorization`, the
//! `client-request-id`, JSON body or an explicit empty one), reads the whole answer up to a
//! size cap, and classifies transport failures (timeout, refused, reset) including whether the
//! request may have reached the server. No retries, no pacing, no token handling beyond
//! putting it in a redacted header.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use url::Url;

use super::error::ErrorKind;

/// A complete HTTP answer (any status).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub request_id: Option<String>,
    pub client_request_id: String,
}

/// How a transport-level failure of one attempt is reported.
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// The request may have reached the server.
    pub maybe_sent: bool,
    /// Worth trying again (for reads): false for failures that would repeat identically.
    pub retryable: bool,
}

/// Largest answer body read (a sign-in page of 1,000 items is a few MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The HTTP side of a client: connection pool, timeout, the Graph origin for messages.
#[derive(Debug)]
pub struct Transport {
    http: reqwest::Client,
    timeout: Duration,
    origin: String,
}

impl Transport {
    /// A pool with connect and per-request timeouts and no redirects (a redirect could carry
    /// the request, and the token, elsewhere).
    pub fn new(timeout: Duration, origin: String) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("entra-triage/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            timeout,
            origin,
        })
    }

    /// One HTTP exchange, body included.
    pub(super) async fn exchange(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&serde_json::Value>,
        token: &str,
        crid: &str,
    ) -> Result<Answer, Failure> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| Failure {
            kind: ErrorKind::Auth,
            message: "the access token contains characters not allowed in a header".to_owned(),
            maybe_sent: false,
            retryable: false,
        })?;
        auth.set_sensitive(true);
        let mut rb = self
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, auth)
            .header("client-request-id", crid)
            .header(ACCEPT, "application/json")
            .timeout(self.timeout);
        if let Some(b) = body {
            rb = rb.json(b);
        } else if matches!(*method, Method::POST | Method::PATCH | Method::PUT) {
            rb = rb
                .header(reqwest::header::CONTENT_LENGTH, "0")
                .body(Vec::new());
        }
        let mut resp = rb.send().await.map_err(|e| self.failure(&e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        loop {
            let chunk = resp.chunk().await.map_err(|e| {
                let mut f = self.failure(&e);
                f.maybe_sent = true;
                f
            })?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(Failure {
                    kind: ErrorKind::Transport,
                    message: format!("answer larger than {} MiB", MAX_BODY_BYTES >> 20),
                    maybe_sent: true,
                    retryable: false,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let request_id = headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(|s| crate::sanitize::line_capped(s, 100));
        Ok(Answer {
            status: status.as_u16(),
            headers,
            body,
            request_id,
            client_request_id: crid.to_owned(),
        })
    }

    fn failure(&self, e: &reqwest::Error) -> Failure {
        let cause = root_cause(e);
        if e.is_connect() {
            let what = if e.is_timeout() {
                "connect timeout"
            } else {
                "cannot connect"
            };
            return Failure {
                kind: if e.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Transport
                },
                message: format!("{what} to {}: {cause}", self.origin),
                maybe_sent: false,
                retryable: true,
            };
        }
        if e.is_timeout() {
            return Failure {
                kind: ErrorKind::Timeout,
                message: format!("timeout after {}", secs(self.timeout)),
                maybe_sent: true,
                retryable: true,
            };
        }
        if e.is_builder() {
            return Failure {
                kind: ErrorKind::Transport,
                message: format!("cannot build the request: {cause}"),
                maybe_sent: false,
                retryable: false,
            };
        }
        Failure {
            kind: ErrorKind::Transport,
            message: format!("connection failed: {cause}"),
            maybe_sent: true,
            retryable: true,
        }
    }
}

/// `"60 s"`, `"0.5 s"`.
fn secs(d: Duration) -> String {
    let s = format!("{:.3}", d.as_secs_f64());
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} s")
}

/// The innermost error message (without URLs that reqwest adds at the top).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    crate::sanitize::line_capped(&cur.to_string(), 160)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_short() {
        assert_eq!(secs(Duration::from_secs(60)), "60 s");
        assert_eq!(secs(Duration::from_millis(500)), "0.5 s");
        assert_eq!(secs(Duration::from_millis(1250)), "1.25 s");
    }
}
