//! The Graph client against a tiny in-test axum server on 127.0.0.1: paging with nextLinks,
//! 429 + Retry-After, 503, 401 mid-paging with token refresh, Graph error bodies, non-JSON
//! bodies, mutation timeouts (maybe_applied), refused hostile nextLinks, no retry of
//! mutations, `client-request-id` on every request, and no token in any error.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use futures::future::BoxFuture;
use serde_json::json;

use entra_triage::graph::{
    ApiVersion, ClientConfig, ErrorKind, GraphClient, GraphError, HttpMethod, MutationRequest,
    TokenSource,
};

const SECRET: &str = "secret-token";

/// One request as the server received it.
#[derive(Clone, Debug)]
struct Seen {
    /// Path and query exactly as received.
    pq: String,
    auth: String,
    crid: Option<String>,
    content_length: Option<String>,
}

#[derive(Default)]
struct Server {
    base: Mutex<String>,
    seen: Mutex<Vec<Seen>>,
    hits: Mutex<HashMap<String, usize>>,
}

impl Server {
    fn hit(&self, key: &str) -> usize {
        let mut h = self.hits.lock().unwrap();
        let n = h.entry(key.to_owned()).or_default();
        *n += 1;
        *n
    }
    fn hits(&self, key: &str) -> usize {
        self.hits.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

fn graph_error(status: StatusCode, code: &str, message: &str, rid: &str) -> Response {
    let body = json!({"error": {"code": code, "message": message,
        "innerError": {"date": "2026-11-20T08:00:00", "request-id": rid, "client-request-id": "echo"}}});
    (status, [("request-id", rid)], axum::Json(body)).into_response()
}

async fn handler(
    State(st): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pq = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let auth = h("authorization").unwrap_or_default();
    st.seen.lock().unwrap().push(Seen {
        pq: pq.clone(),
        auth: auth.clone(),
        crid: h("client-request-id"),
        content_length: h("content-length"),
    });
    let base = st.base.lock().unwrap().clone();
    let path = uri.path();
    let query = uri.query().unwrap_or("");
    match (method.as_str(), path) {
        ("GET", "/v1.0/items") if query.is_empty() => axum::Json(json!({
            "@odata.context": "x", "value": [{"id": "a"}, {"id": "b"}],
            "@odata.nextLink": format!("{base}/v1.0/items?$skiptoken=p%272")
        })).into_response(),
        ("GET", "/v1.0/items") if query == "$skiptoken=p%272" => {
            if auth.ends_with("-1") {
                return graph_error(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", "rid-401");
            }
            axum::Json(json!({"value": [{"id": "c"}, {"id": 5}],
                "@odata.nextLink": format!("{base}/v1.0/items?$skiptoken=p3")})).into_response()
        }
        ("GET", "/v1.0/items") if query == "$skiptoken=p3" => match st.hit("p3") {
            1 => (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0.2")],
                  axum::Json(json!({"error": {"code": "TooManyRequests", "message": "Please retry again later."}}))).into_response(),
            2 => (StatusCode::SERVICE_UNAVAILABLE, "upstream busy").into_response(),
            _ => axum::Json(json!({"value": [{"id": "d"}]})).into_response(),
        },
        ("GET", "/v1.0/forbidden") => graph_error(StatusCode::FORBIDDEN, "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.", "rid-403"),
        ("GET", "/v1.0/echo") => graph_error(StatusCode::BAD_REQUEST, "BadRequest",
            &format!("you sent {auth}"), "rid-echo"),
        ("GET", "/v1.0/html") => (StatusCode::BAD_GATEWAY, [("content-type", "text/html")],
            "<html><body><h1>502 Bad Gateway</h1>\r\n<p>nginx</p></body></html>").into_response(),
        ("GET", "/v1.0/always429") => {
            st.hit("always429");
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0.05")], "").into_response()
        }
        ("GET", "/v1.0/slowget") | ("POST", "/v1.0/slow") => {
            st.hit(path);
            tokio::time::sleep(Duration::from_secs(3)).await;
            axum::Json(json!({"value": []})).into_response()
        }
        ("GET", "/v1.0/users('%24x%40y')") => {
            st.hit("user");
            if query.contains("signInActivity") {
                graph_error(StatusCode::FORBIDDEN, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "no premium", "rid-u")
            } else {
                axum::Json(json!({"id": "u-1", "userPrincipalName": "$x@y", "accountEnabled": true})).into_response()
            }
        }
        ("POST", "/v1.0/users/u-1/revokeSignInSessions") => {
            st.hit("revoke");
            (StatusCode::OK, [("request-id", "rid-revoke")], axum::Json(json!({"value": true}))).into_response()
        }
        ("POST", "/v1.0/users/u-1/authentication/methods/x/resetPassword") => (StatusCode::ACCEPTED,
            [("location", "https://graph.example/v1.0/users/u-1/authentication/operations/op?aadgdc=1&aadgsu=2"), ("retry-after", "2.128")],
            "").into_response(),
        ("POST", "/v1.0/busy") => {
            st.hit("busy");
            (StatusCode::SERVICE_UNAVAILABLE, "").into_response()
        }
        ("PATCH", "/v1.0/mut401") => {
            st.hit("mut401");
            graph_error(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "expired", "rid-m")
        }
        _ => graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", "nothing here", "rid-404"),
    }
}

async fn serve(st: Arc<Server>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    *st.base.lock().unwrap() = base.clone();
    let app = Router::new().fallback(handler).with_state(st);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// Hands out `secret-token-1`, then `secret-token-2` after an invalidation, …
#[derive(Debug, Default)]
struct Counting {
    generation: AtomicUsize,
    invalidations: AtomicUsize,
}

impl TokenSource for Counting {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        let g = self.generation.load(Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(format!("{SECRET}-{g}")) })
    }
    fn invalidate(&self) -> BoxFuture<'_, ()> {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {})
    }
}

async fn setup(
    timeout_ms: u64,
    max_retries: u32,
    pacing: bool,
) -> (GraphClient, Arc<Server>, Arc<Counting>) {
    let st = Arc::new(Server::default());
    let base = serve(st.clone()).await;
    let tokens = Arc::new(Counting::default());
    let cfg = ClientConfig {
        graph_url: base,
        timeout: Duration::from_millis(timeout_ms),
        pacing,
        max_retries,
    };
    (GraphClient::new(cfg, tokens.clone()).unwrap(), st, tokens)
}

fn assert_no_token(e: &GraphError) {
    let all = format!("{e} {e:?}");
    assert!(!all.contains(SECRET), "token leaked: {all}");
}

#[derive(serde::Deserialize, Debug)]
struct Item {
    id: String,
}

#[tokio::test]
async fn pages_survive_401_429_and_503_with_unique_request_ids() {
    let (c, st, tokens) = setup(5_000, 6, true).await;
    let pages: Vec<_> = c
        .pages::<Item>(ApiVersion::V1, "/items".into())
        .collect()
        .await;
    let pages: Vec<_> = pages.into_iter().map(|p| p.unwrap()).collect();
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|i| i.id.as_str()))
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(
        pages.iter().map(|p| p.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        pages.iter().map(|p| p.has_more).collect::<Vec<_>>(),
        [true, true, false]
    );
    // The bad item is skipped but kept in the raw evidence.
    assert_eq!(pages[1].raw["value"][1]["id"], 5);
    assert_eq!(tokens.invalidations.load(Ordering::SeqCst), 1);

    let seen = st.seen.lock().unwrap().clone();
    // page 1, page 2 (401), page 2, page 3 (429), page 3 (503), page 3.
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(
        seen[2].pq, "/v1.0/items?$skiptoken=p%272",
        "nextLink followed verbatim"
    );
    assert_eq!(seen[1].auth, format!("Bearer {SECRET}-1"));
    assert!(
        seen[2..]
            .iter()
            .all(|s| s.auth == format!("Bearer {SECRET}-2")),
        "new token after 401"
    );
    let crids: Vec<String> = seen
        .iter()
        .map(|s| s.crid.clone().expect("client-request-id header"))
        .collect();
    let unique: std::collections::HashSet<_> = crids.iter().collect();
    assert_eq!(unique.len(), crids.len());
    assert!(crids.iter().all(|c| uuid::Uuid::parse_str(c).is_ok()));
}

#[tokio::test]
async fn graph_and_non_json_errors() {
    let (c, _st, _t) = setup(5_000, 2, true).await;
    let e = c.get_value(ApiVersion::V1, "/forbidden").await.unwrap_err();
    assert_eq!((e.kind.clone(), e.status), (ErrorKind::Http, Some(403)));
    assert!(e.is_forbidden());
    assert_eq!(e.client_request_id.as_deref(), Some("echo"));
    assert_eq!(e.path, "/v1.0/forbidden");
    assert_eq!(
        e.to_string(),
        "HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. (request-id rid-403)"
    );
    assert_no_token(&e);

    let e = c.get_value(ApiVersion::V1, "/echo").await.unwrap_err();
    assert!(e.message.contains("<redacted>"), "{}", e.message);
    assert_no_token(&e);

    let e = c.get_value(ApiVersion::V1, "/html").await.unwrap_err();
    assert_eq!(e.status, Some(502));
    assert!(
        e.message.starts_with("Bad Gateway: 502 Bad Gateway nginx"),
        "{}",
        e.message
    );
    assert!(!e.to_string().contains(['<', '\n', '\r']));

    let e = c.get_value(ApiVersion::V1, "/nothing").await.unwrap_err();
    assert!(e.is_not_found());
}

#[tokio::test]
async fn throttling_without_pacing_gives_up_after_max_retries() {
    let (c, st, _t) = setup(5_000, 2, false).await;
    let e = c.get_value(ApiVersion::V1, "/always429").await.unwrap_err();
    assert!(e.is_throttled());
    assert_eq!(st.hits("always429"), 3);
    assert_no_token(&e);
}

#[tokio::test]
async fn timeouts_of_reads_and_mutations() {
    let (c, st, _t) = setup(500, 1, true).await;
    let e = c.get_value(ApiVersion::V1, "/slowget").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert_eq!(
        e.to_string(),
        "timeout after 0.5 s calling GET /v1.0/slowget"
    );
    assert!(!e.maybe_applied);
    assert_eq!(st.hits("/v1.0/slowget"), 2, "a read is retried once");

    let req = MutationRequest {
        method: HttpMethod::Post,
        version: ApiVersion::V1,
        path: "/slow".into(),
        body: Some(json!({"x": 1})),
    };
    let e = c.send(&req).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(
        e.maybe_applied,
        "the server got the request: outcome unknown"
    );
    assert_eq!(e.method, "POST");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(st.hits("/v1.0/slow"), 1, "a mutation is never re-sent");
    assert_no_token(&e);
}

#[tokio::test]
async fn mutations_are_sent_once() {
    let (c, st, tokens) = setup(5_000, 6, true).await;
    let revoke = MutationRequest {
        method: HttpMethod::Post,
        version: ApiVersion::V1,
        path: "/users/u-1/revokeSignInSessions".into(),
        body: None,
    };
    let r = c.send(&revoke).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body, Some(json!({"value": true})));
    assert_eq!(r.request_id.as_deref(), Some("rid-revoke"));
    assert!(uuid::Uuid::parse_str(&r.client_request_id).is_ok());
    let seen = st.seen.lock().unwrap().clone();
    assert_eq!(
        seen.last().unwrap().content_length.as_deref(),
        Some("0"),
        "POST without body has Content-Length: 0"
    );

    let reset = MutationRequest {
        method: HttpMethod::Post,
        version: ApiVersion::V1,
        path: "/users/u-1/authentication/methods/x/resetPassword".into(),
        body: Some(json!({})),
    };
    let r = c.send(&reset).await.unwrap();
    assert_eq!(r.status, 202);
    assert_eq!(
        r.location.as_deref(),
        Some("https://graph.example/v1.0/users/u-1/authentication/operations/op?aadgdc=1&aadgsu=2")
    );
    assert_eq!(r.retry_after, Some(2.128));
    assert_eq!(r.body, None);

    let busy = MutationRequest {
        method: HttpMethod::Post,
        version: ApiVersion::V1,
        path: "/busy".into(),
        body: None,
    };
    let e = c.send(&busy).await.unwrap_err();
    assert_eq!(e.status, Some(503));
    assert!(e.maybe_applied);
    assert_eq!(st.hits("busy"), 1);

    let m = MutationRequest {
        method: HttpMethod::Patch,
        version: ApiVersion::V1,
        path: "/mut401".into(),
        body: Some(json!({"accountEnabled": false})),
    };
    let e = c.send(&m).await.unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.status, e.maybe_applied),
        (ErrorKind::Auth, Some(401), false)
    );
    assert_eq!(st.hits("mut401"), 1);
    assert_eq!(
        tokens.invalidations.load(Ordering::SeqCst),
        1,
        "token dropped for the next call"
    );
    assert_no_token(&e);

    // Connection refused: provably not applied.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let cfg = ClientConfig {
        graph_url: format!("http://127.0.0.1:{port}"),
        timeout: Duration::from_secs(2),
        pacing: false,
        max_retries: 0,
    };
    let c2 = GraphClient::new(cfg, tokens.clone()).unwrap();
    let e = c2.send(&revoke).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Transport);
    assert!(!e.maybe_applied);
    assert!(
        e.to_string()
            .contains("calling POST /v1.0/users/u-1/revokeSignInSessions"),
        "{e}"
    );
    assert_no_token(&e);
}

#[tokio::test]
async fn hostile_next_link_is_refused() {
    let (c, st, _t) = setup(5_000, 6, true).await;
    let other = Arc::new(Server::default());
    let other_base = serve(other.clone()).await;
    // The next nextLink of /items names another host (e.g. a hostile or compromised proxy).
    *st.base.lock().unwrap() = other_base.clone();
    let mut s = c.pages::<Item>(ApiVersion::V1, "/items".into());
    let first = s.next().await.unwrap().unwrap();
    assert!(first.has_more);
    let e = s.next().await.unwrap().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Transport);
    assert!(
        e.message
            .contains("refusing to follow @odata.nextLink to another host"),
        "{}",
        e.message
    );
    assert!(s.next().await.is_none(), "stream ends after the error");
    assert!(
        other.seen.lock().unwrap().is_empty(),
        "no request reached the other host"
    );
    assert_no_token(&e);
}

#[tokio::test]
async fn typed_user_read_uses_key_form_and_falls_back_without_sign_in_activity() {
    let (c, st, _t) = setup(5_000, 6, true).await;
    let (user, raw) = c.user("$x@y").await.unwrap();
    assert_eq!(user.id, "u-1");
    assert_eq!(raw["accountEnabled"], true);
    assert_eq!(st.hits("user"), 2);
    let seen = st.seen.lock().unwrap().clone();
    assert!(
        seen[0]
            .pq
            .starts_with("/v1.0/users('%24x%40y')?$select=id,displayName"),
        "{}",
        seen[0].pq
    );
    assert!(!seen[1].pq.contains("signInActivity"));
}
