//! [`GraphClient`]: one shared HTTP client for Microsoft Graph. Owns the request loop: bearer
//! token from the [`TokenSource`] (refresh once on 401), a fresh `client-request-id` per
//! request, timeouts, pacing per throttle class, retry of GETs on 429/503/504 and transport
//! failures, and single-shot mutations. Never logs or returns a token; never re-sends a
//! mutation. One HTTP exchange lives in `transport.rs`, paging in `paging.rs`, typed reads in
//! `api.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use url::Url;

use super::error::{ErrorKind, GraphError};
use super::retry;
use super::throttle::{Pacer, ThrottleClass, classify};
use super::token::TokenSource;
use super::transport::{Answer, Transport};

pub use super::request::{ApiVersion, HttpMethod, MutationRequest, MutationResponse, Page};

/// How the client reaches Graph.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Root without version, e.g. `https://graph.microsoft.com` or `http://127.0.0.1:38111`.
    pub graph_url: String,
    /// Per request, connect to last body byte (default 60 s).
    pub timeout: Duration,
    /// Client-side throttle-class pacing (default true).
    pub pacing: bool,
    /// Retries of idempotent reads (default 6).
    pub max_retries: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            graph_url: "https://graph.microsoft.com".to_owned(),
            timeout: Duration::from_secs(60),
            pacing: true,
            max_retries: 6,
        }
    }
}

struct Inner {
    transport: Transport,
    graph_url: String,
    base: Url,
    tokens: Arc<dyn TokenSource>,
    max_retries: u32,
    pacer: Option<Pacer>,
}

/// The Graph client. Cheap to clone; clones share connections, token source and pacer.
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("graph_url", &self.inner.graph_url)
            .field("pacing", &self.inner.pacer.is_some())
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    pub fn new(cfg: ClientConfig, tokens: Arc<dyn TokenSource>) -> Result<Self, GraphError> {
        let graph_url = cfg.graph_url.trim().trim_end_matches('/').to_owned();
        let bad = |why: &str| {
            GraphError::local(
                ErrorKind::Transport,
                format!("invalid graph URL {graph_url:?}: {why}"),
                "",
                "",
            )
        };
        let base = Url::parse(&graph_url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(bad("needs http(s)://host"));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(bad("must not have a query or fragment"));
        }
        let timeout = if cfg.timeout.is_zero() {
            Duration::from_secs(60)
        } else {
            cfg.timeout
        };
        let transport = Transport::new(timeout, base.origin().ascii_serialization())
            .map_err(|e| bad(&format!("HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                transport,
                graph_url,
                base,
                tokens,
                max_retries: cfg.max_retries,
                pacer: cfg.pacing.then(Pacer::new),
            }),
        })
    }

    /// The Graph root as configured (without trailing `/`).
    pub fn graph_url(&self) -> &str {
        &self.inner.graph_url
    }

    /// GET one JSON document (`path_and_query` already encoded, starting with `/`, after the
    /// version). Returns the document and Graph's `request-id`.
    pub async fn get_value(
        &self,
        v: ApiVersion,
        path_and_query: &str,
    ) -> Result<(serde_json::Value, Option<String>), GraphError> {
        let url = self.url_for(v, path_and_query, "GET")?;
        self.get_url(url).await
    }

    /// Sends one mutation exactly once: NO retry ever (a retry could apply a change twice).
    pub async fn send(&self, req: &MutationRequest) -> Result<MutationResponse, GraphError> {
        let url = self.url_for(req.version, &req.path, req.method.as_str())?;
        let a = self
            .call(req.method.to_reqwest(), url, req.body.as_ref(), false)
            .await?;
        let header = |name| {
            a.headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let body = if a.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            serde_json::from_slice(&a.body).ok()
        };
        Ok(MutationResponse {
            status: a.status,
            location: header(LOCATION),
            retry_after: header(RETRY_AFTER)
                .and_then(|v| retry::parse_retry_after(&v, chrono::Utc::now()))
                .map(|d| d.as_secs_f64()),
            body,
            request_id: a.request_id,
            client_request_id: a.client_request_id,
        })
    }

    /// GET an absolute URL on the Graph host and parse its JSON.
    pub(super) async fn get_url(
        &self,
        url: Url,
    ) -> Result<(serde_json::Value, Option<String>), GraphError> {
        let path = path_of(&url);
        let a = self.call(Method::GET, url, None, true).await?;
        match serde_json::from_slice(&a.body) {
            Ok(v) => Ok((v, a.request_id)),
            Err(e) => {
                let mut err =
                    GraphError::local(ErrorKind::Decode, format!("not JSON ({e})"), "GET", &path);
                err.status = Some(a.status);
                err.request_id = a.request_id;
                err.client_request_id = Some(a.client_request_id);
                Err(err)
            }
        }
    }

    /// `{graph_url}/{version}{path_and_query}`, refusing anything that would leave the Graph
    /// root or be rewritten by URL normalisation (`.`/`..` segments).
    pub(super) fn url_for(
        &self,
        v: ApiVersion,
        path_and_query: &str,
        method: &str,
    ) -> Result<Url, GraphError> {
        let refuse = |why: &str| {
            GraphError::local(ErrorKind::Transport, why.to_owned(), method, path_and_query)
        };
        if !path_and_query.starts_with('/') {
            return Err(refuse("refusing a Graph path that does not start with '/'"));
        }
        let path_part = path_and_query.split(['?', '#']).next().unwrap_or("");
        let dot = path_part.split('/').any(|s| {
            let d = super::odata::decode(s);
            d == "." || d == ".."
        });
        if dot || path_part.contains('\\') {
            return Err(refuse(
                "refusing a Graph path with a '.', '..' or '\\' segment",
            ));
        }
        let full = format!("{}/{}{}", self.inner.graph_url, v.as_str(), path_and_query);
        let url = Url::parse(&full).map_err(|e| refuse(&format!("invalid URL: {e}")))?;
        if url.origin() != self.inner.base.origin() {
            return Err(refuse("refusing a path that leaves the Graph host"));
        }
        Ok(url)
    }

    /// Resolves an `@odata.nextLink`: used verbatim, but only on the Graph host.
    pub(super) fn next_url(&self, link: &str, after: &Url) -> Result<Url, GraphError> {
        let url = Url::parse(link).or_else(|_| after.join(link));
        let path = path_of(after);
        match url {
            Ok(u) if u.origin() == self.inner.base.origin() => Ok(u),
            Ok(u) => Err(GraphError::local(
                ErrorKind::Transport,
                format!(
                    "refusing to follow @odata.nextLink to another host ({})",
                    u.origin().ascii_serialization()
                ),
                "GET",
                &path,
            )),
            Err(e) => Err(GraphError::local(
                ErrorKind::Decode,
                format!("unusable @odata.nextLink ({e})"),
                "GET",
                &path,
            )),
        }
    }

    /// The request loop: pacing, token, send, 401 refresh, retries (reads only).
    pub(super) async fn call(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        idempotent: bool,
    ) -> Result<Answer, GraphError> {
        let path = path_of(&url);
        let class = classify(
            url.path()
                .strip_prefix(self.inner.base.path().trim_end_matches('/'))
                .unwrap_or(url.path()),
        );
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            let _permit = match &self.inner.pacer {
                Some(p) => Some(p.acquire(&class).await),
                None => None,
            };
            let token = self.inner.tokens.token().await.map_err(|mut e| {
                e.method = method.to_string();
                e.path = path.clone();
                e.kind = ErrorKind::Auth;
                e
            })?;
            let crid = uuid::Uuid::new_v4().to_string();
            let started = Instant::now();
            let outcome = self
                .inner
                .transport
                .exchange(&method, &url, body, &token, &crid)
                .await;
            let ms = started.elapsed().as_millis() as u64;
            match outcome {
                Ok(a) => {
                    tracing::debug!(
                        method = %method, path = %path, status = a.status, ms,
                        request_id = a.request_id.as_deref().unwrap_or("-"),
                        client_request_id = %crid, attempt, "graph request"
                    );
                    if is_success(a.status) {
                        return Ok(a);
                    }
                    let err = self.http_error(&a, &method, &path, idempotent, &token);
                    if a.status == 401 && !refreshed {
                        refreshed = true;
                        self.inner.tokens.invalidate().await;
                        if idempotent {
                            continue;
                        }
                    }
                    let retry_after = a
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| retry::parse_retry_after(v, chrono::Utc::now()));
                    let delay = retry::delay_for(Some(a.status), retry_after, attempt);
                    if a.status == 429 {
                        // Graph throttled this class anyway: the whole class waits, not only us.
                        self.hold(&class, delay);
                    }
                    if idempotent
                        && retry::is_retryable_status(a.status)
                        && attempt < self.inner.max_retries
                    {
                        tracing::debug!(status = a.status, delay_ms = delay.as_millis() as u64, attempt, path = %path, "graph retry");
                        attempt += 1;
                        drop(_permit);
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(err);
                }
                Err(f) => {
                    tracing::debug!(method = %method, path = %path, ms, error = %f.message, attempt, "graph request failed");
                    if idempotent && f.retryable && attempt < self.inner.max_retries {
                        let delay = retry::delay_for(None, None, attempt);
                        attempt += 1;
                        drop(_permit);
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    let mut err = GraphError::local(f.kind, f.message, method.as_str(), &path);
                    err.client_request_id = Some(crid);
                    err.maybe_applied = !idempotent && f.maybe_sent;
                    return Err(err.scrub(&token));
                }
            }
        }
    }

    fn hold(&self, class: &ThrottleClass, delay: Duration) {
        if let Some(p) = &self.inner.pacer {
            p.hold(class, tokio::time::Instant::now() + delay);
        }
    }

    fn http_error(
        &self,
        a: &Answer,
        method: &Method,
        path: &str,
        idempotent: bool,
        token: &str,
    ) -> GraphError {
        let header = |n: &str| a.headers.get(n).and_then(|v| v.to_str().ok());
        let mut err = GraphError::from_response(
            a.status,
            &a.body,
            header("request-id"),
            header("client-request-id"),
            method.as_str(),
            path,
        );
        if err.client_request_id.is_none() {
            err.client_request_id = Some(a.client_request_id.clone());
        }
        // A mutation that got a server error may have been applied before the failure.
        err.maybe_applied = !idempotent && a.status >= 500;
        err.scrub(token)
    }
}

/// Path and query of `url`, for errors and logs (never scheme, host or credentials).
pub(super) fn path_of(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// Is `status` a success?
pub(super) fn is_success(status: u16) -> bool {
    StatusCode::from_u16(status).is_ok_and(|s| s.is_success())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::token::StaticToken;

    fn client(url: &str) -> GraphClient {
        let cfg = ClientConfig {
            graph_url: url.to_owned(),
            ..ClientConfig::default()
        };
        GraphClient::new(cfg, Arc::new(StaticToken::new("t0k3n-secret-value".into()))).unwrap()
    }

    #[test]
    fn builds_urls_under_the_root() {
        let c = client("http://127.0.0.1:38111/");
        assert_eq!(c.graph_url(), "http://127.0.0.1:38111");
        let u = c
            .url_for(ApiVersion::Beta, "/users/a%2Fb?$top=1", "GET")
            .unwrap();
        assert_eq!(u.as_str(), "http://127.0.0.1:38111/beta/users/a%2Fb?$top=1");
        assert!(c.url_for(ApiVersion::V1, "users", "GET").is_err());
        assert!(c.url_for(ApiVersion::V1, "/users/../me", "GET").is_err());
        assert!(
            c.url_for(ApiVersion::V1, "/users/%2E%2E", "DELETE")
                .is_err()
        );
        assert!(c.url_for(ApiVersion::V1, "/users/..%2F", "GET").is_ok());
        assert!(c.url_for(ApiVersion::V1, "@evil.example/x", "GET").is_err());
    }

    #[test]
    fn next_links_stay_on_the_graph_host() {
        let c = client("https://graph.microsoft.com");
        let here = Url::parse("https://graph.microsoft.com/v1.0/users").unwrap();
        let ok = c
            .next_url(
                "https://graph.microsoft.com/v1.0/users?$skiptoken=a%27b",
                &here,
            )
            .unwrap();
        assert_eq!(
            ok.as_str(),
            "https://graph.microsoft.com/v1.0/users?$skiptoken=a%27b"
        );
        assert!(
            c.next_url("https://graph.microsoft.com:443/v1.0/x", &here)
                .is_ok()
        );
        for bad in [
            "https://evil.example/v1.0/users",
            "http://graph.microsoft.com/v1.0/users",
            "https://graph.microsoft.com:8443/v1.0/users",
            "//evil.example/x",
        ] {
            let e = c.next_url(bad, &here).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Transport, "{bad}");
        }
    }

    #[test]
    fn rejects_bad_roots_and_debug_hides_token() {
        let t: Arc<dyn TokenSource> = Arc::new(StaticToken::new("x".into()));
        for bad in ["", "graph.microsoft.com", "ftp://x", "https://x/?a=b"] {
            let cfg = ClientConfig {
                graph_url: bad.into(),
                ..ClientConfig::default()
            };
            assert!(GraphClient::new(cfg, t.clone()).is_err(), "{bad}");
        }
        let c = client("http://127.0.0.1:1");
        assert!(!format!("{c:?}").contains("t0k3n"));
        assert!(is_success(204) && !is_success(302));
    }
}
