//! The HTTP layer: one axum fallback handler that authenticates, assigns request ids,
//! throttles, injects faults, dispatches to `routes`, delays (`--latency-ms`), answers with
//! Graph headers and writes the request log.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::errors::{GraphError, Reply};
use super::faults::{self, FaultEffect};
use super::state::{SimState, lock};
use super::throttle::Class;
use super::{ThrottleMode, routes};

const JSON_TYPE: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY: usize = 4 * 1024 * 1024;

pub fn router(state: Arc<SimState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Gives an Outlook concurrency slot back when the answer has been sent.
struct OutlookSlot {
    state: Arc<SimState>,
    mailbox: String,
}

impl Drop for OutlookSlot {
    fn drop(&mut self) {
        lock(&self.state.throttle).release_outlook(&self.mailbox);
    }
}

async fn handle(State(state): State<Arc<SimState>>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path_q = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let headers = req.headers().clone();
    let client_request_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = to_bytes(req.into_body(), MAX_BODY).await;

    let (reply, slot, effect) = match body {
        Ok(body) => {
            let run = || process(&state, &method, &path_q, &headers, &body);
            // A bug in a handler must answer 500, not drop the connection.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
                let e = GraphError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "generalException",
                    "The simulator failed to process the request.",
                );
                (Err(e), None, None)
            })
        }
        Err(_) => (
            Err(GraphError::bad_request(
                "BadRequest",
                "The request body could not be read.",
            )),
            None,
            None,
        ),
    };
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let plain_path = path_q.split('?').next().unwrap_or("");
    if let Some(d) = state.delay_for(method.as_str(), plain_path) {
        tokio::time::sleep(d).await;
    }
    drop(slot);
    let mut response = build(reply, &request_id, &client_request_id);
    if let Some(effect) = &effect {
        faults::delay(effect).await;
        response = faults::shape(effect, response).await;
    }
    if let Some(log) = &state.log {
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        log.write(method.as_str(), &path_q, response.status().as_u16(), ms);
    }
    response
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, tok) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(tok.trim())
        .filter(|t| !t.is_empty())
}

fn process(
    state: &Arc<SimState>,
    method: &Method,
    path_q: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (
    Result<Reply, GraphError>,
    Option<OutlookSlot>,
    Option<FaultEffect>,
) {
    let (path, raw_query) = path_q.split_once('?').unwrap_or((path_q, ""));
    let route = match routes::Route::parse(path) {
        Ok(r) => r,
        Err(e) => return (Err(e), None, None),
    };
    let unauth =
        |m: &str| GraphError::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", m);
    let caller = match bearer(headers) {
        None => return (Err(unauth("Access token is empty.")), None, None),
        Some(t) => match state.caller(t) {
            Some(c) => c,
            None => {
                return (
                    Err(unauth(
                        "Access token validation failed: the token is not one this tenant issued.",
                    )),
                    None,
                    None,
                );
            }
        },
    };
    if let Some(scopes) = bearer(headers).and_then(|t| state.granted_scopes(t))
        && let Err(e) = super::scopes::check(method, path, &scopes, &caller)
    {
        return (Err(e), None, None);
    }
    let route = route.resolve_me(&caller);
    let mut slot = None;
    if state.throttle_mode == ThrottleMode::Microsoft {
        let expand = raw_query.to_ascii_lowercase().contains("expand=");
        let mut class = route.throttle_class(method, expand);
        if let Class::Outlook { mailbox } = &mut class
            && let Some(id) = lock(&state.data).tenant.user_id(mailbox)
        {
            *mailbox = id.to_ascii_lowercase();
        }
        let token = bearer(headers).unwrap_or_default();
        if let Err(t) = lock(&state.throttle).admit(&class, token, Instant::now()) {
            return (Err(GraphError::throttled(t.retry_after)), None, None);
        }
        if let Class::Outlook { mailbox } = class {
            slot = Some(OutlookSlot {
                state: state.clone(),
                mailbox,
            });
        }
    }
    let fault = state.fault_for(method.as_str(), path);
    if let Some(f) = &fault
        && faults::answers_error(&f.effect)
    {
        let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let mut e = GraphError::new(status, &f.code, "Injected fault.");
        e.retry_after = f.retry_after;
        return (Err(e), slot, Some(f.effect.clone()));
    }
    let effect = fault.map(|f| f.effect);
    let mut answer = routes::dispatch(routes::Request {
        state,
        method,
        route: &route,
        path,
        raw_query,
        body,
        caller: &caller,
    });
    let prefer_unknown = headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.to_ascii_lowercase()
                .contains("include-unknown-enum-members")
        });
    if !prefer_unknown && let Ok(Reply::Json(_, v, _)) = &mut answer {
        super::enums::hide_evolvable(v);
    }
    (answer, slot, effect)
}

fn build(reply: Result<Reply, GraphError>, request_id: &str, client_request_id: &str) -> Response {
    let mut builder = Response::builder();
    let (status, body, extra) = match reply {
        Ok(Reply::Json(status, v, extra)) => (status, Some(v.to_string()), extra),
        Ok(Reply::Empty(status)) => (status, None, Vec::new()),
        Err(e) => {
            let mut extra = Vec::new();
            if let Some(s) = e.retry_after {
                extra.push(("retry-after", s.to_string()));
            }
            if e.status == StatusCode::UNAUTHORIZED {
                extra.push((
                    "www-authenticate",
                    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"".into(),
                ));
            }
            let body = e.body(request_id, client_request_id).to_string();
            (e.status, Some(body), extra)
        }
    };
    builder = builder
        .status(status)
        .header("request-id", request_id)
        .header("client-request-id", client_request_id);
    for (k, v) in extra {
        if let Ok(v) = HeaderValue::from_str(&v) {
            builder = builder.header(k, v);
        }
    }
    let result = match body {
        Some(b) => builder
            .header("content-type", JSON_TYPE)
            .body(Body::from(b)),
        None => builder.body(Body::empty()),
    };
    result.unwrap_or_else(|_| {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}
