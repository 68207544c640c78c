//! Silent refresh in the middle of paging, with the real cached delegated sign-in: a device-code
//! sign-in against the simulator's identity provider, then a Graph stub on the same port that
//! answers page 2 of the sign-ins with 401 once. The client drops the token, the cache renews it
//! with the refresh token (rotated), and paging continues with the new token — no page lost,
//! no second sign-in. When the refresh token is revoked, the error names the sign-in, and the
//! console recognises it as "sign in again" rather than a Graph refusal.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{TimeZone, Utc};
use futures::StreamExt;
use serde_json::json;

use entra_triage::auth::{self, AuthConfig, PollTiming};
use entra_triage::graph::{ApiVersion, ClientConfig, GraphClient};
use entra_triage::sim::identity::{IdpConfig, IdpState, router};
use entra_triage::worker::source::SourceError;

#[derive(Default)]
struct Stub {
    base: Mutex<String>,
    /// Bearer token of every request, with the page asked for.
    seen: Mutex<Vec<(String, String)>>,
    refused_once: Mutex<bool>,
}

async fn sign_ins(
    State(st): State<Arc<Stub>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start_matches("Bearer ")
        .to_owned();
    let page = q.get("page").cloned().unwrap_or_else(|| "1".into());
    st.seen.lock().unwrap().push((page.clone(), token));
    let row = |i: u32| json!({"id": format!("s{page}-{i}"), "userId": "u1", "createdDateTime": "2026-11-19T09:00:00Z"});
    if page == "1" {
        let next = format!("{}/v1.0/auditLogs/signIns?page=2", st.base.lock().unwrap());
        return axum::Json(json!({"value": [row(1), row(2)], "@odata.nextLink": next}))
            .into_response();
    }
    let mut refused = st.refused_once.lock().unwrap();
    if !*refused {
        *refused = true;
        let body = json!({"error": {"code": "InvalidAuthenticationToken",
            "message": "Access token has expired or is not yet valid."}});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    axum::Json(json!({"value": [row(3)]})).into_response()
}

#[tokio::test]
async fn a_401_mid_paging_renews_the_cached_sign_in_and_paging_continues() {
    let idp = IdpState::new(IdpConfig {
        interval: 0,
        ..IdpConfig::default()
    });
    let stub = Arc::new(Stub::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    *stub.base.lock().unwrap() = base.clone();
    let graph = Router::new()
        .route("/v1.0/auditLogs/signIns", get(sign_ins))
        .with_state(stub.clone());
    let app = router(idp.clone()).merge(graph);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let mut cfg = AuthConfig::new(
        "contoso.example",
        IdpConfig::default().client_id,
        dir.path().join("tokens"),
    );
    cfg.authority_url = Some(base.clone());
    cfg.graph_url = Some(base.clone());
    cfg.poll = PollTiming {
        floor: Duration::from_millis(20),
        slow_down_step: Duration::from_millis(100),
    };
    idp.auto_approve_after(Some(0));
    auth::login(&cfg, |_| {}).await.unwrap();
    let refresh_before = cached(&cfg, "refresh_token");

    let client = GraphClient::new(
        ClientConfig {
            graph_url: base.clone(),
            pacing: false,
            ..ClientConfig::default()
        },
        auth::token_source_with(&cfg, None).unwrap(),
    )
    .unwrap();
    let from = Utc.with_ymd_and_hms(2026, 11, 13, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
    let pages: Vec<_> = client
        .sign_ins(ApiVersion::V1, "u1", from, to, false)
        .collect()
        .await;
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.expect("every page arrives").items)
        .map(|s| s.id.to_string())
        .collect();
    assert_eq!(ids, ["s1-1", "s1-2", "s2-3"]);

    let seen = stub.seen.lock().unwrap().clone();
    let pages: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(pages, ["1", "2", "2"], "page 2 asked again, once");
    assert_eq!(seen[0].1, seen[1].1, "same token until the 401");
    assert_ne!(seen[1].1, seen[2].1, "a renewed token after the 401");
    assert!(idp.token_claims(&seen[2].1).is_some(), "issued by the IdP");
    let refresh_after = cached(&cfg, "refresh_token");
    assert_ne!(refresh_before, refresh_after, "the refresh token rotated");
    assert!(idp.refresh_token_valid(&refresh_after));

    // Revoked: the next renewal fails, and the console reads it as "sign in again".
    idp.revoke_refresh_tokens();
    *stub.refused_once.lock().unwrap() = false;
    let err = client
        .sign_ins(ApiVersion::V1, "u1", from, to, false)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .find_map(Result::err)
        .expect("the renewal fails");
    let err = SourceError::from(err);
    assert_eq!(err.code.as_deref(), Some("signInRequired"), "{err:?}");
    assert!(err.message.contains("can no longer be renewed"), "{err:?}");
    assert!(!err.to_string().contains(&refresh_after));
}

fn cached(cfg: &AuthConfig, field: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cfg.cache_path().unwrap()).unwrap()).unwrap();
    v[field].as_str().unwrap_or_default().to_owned()
}
