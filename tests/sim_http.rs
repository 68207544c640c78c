//! The simulator over real HTTP (reqwest → 127.0.0.1:0): auth, paging, $select, licences,
//! throttling, request log, tenant-dir loading, mutations and the demo clock.

use std::path::Path;

use entra_triage::sim::{self, SimHandle, SimOptions, ThrottleMode};
use reqwest::StatusCode;
use serde_json::{Value, json};

const U1: &str = "11111111-1111-4111-8111-111111111111";
const ANALYST: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
const P1: &str = "41781fb2-bc02-4b7c-bd55-b576c07bb09d";
const P2: &str = "eec0eb4f-6444-4f95-aba0-50c24d67f998";

fn coll(v: Value) -> String {
    json!({"@odata.context": "x", "value": v}).to_string()
}

fn write_tenant(dir: &Path, licensed: bool) {
    let w = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let plans = if licensed {
        json!([{"servicePlanId": P1, "capabilityStatus": "Enabled"},
               {"servicePlanId": P2, "capabilityStatus": "Enabled"}])
    } else {
        json!([])
    };
    w(
        "organization.json",
        coll(json!([{"id": "t1", "assignedPlans": plans}])),
    );
    w(
        "users.json",
        coll(json!([
        {"id": U1, "displayName": "User One", "userPrincipalName": "one@contoso.com",
         "accountEnabled": true, "signInSessionsValidFromDateTime": "2026-01-01T00:00:00Z",
         "signInActivity": {"lastSignInDateTime": "2026-11-20T11:00:00Z"}},
        {"id": ANALYST, "displayName": "Analyst", "userPrincipalName": "analyst@contoso.com",
         "accountEnabled": true}])),
    );
    w(
        "signIns.json",
        coll(json!([
        {"id": "s1", "createdDateTime": "2026-11-20T10:00:00Z", "userId": U1, "ipAddress": "203.0.113.5",
         "status": {"errorCode": 0}, "location": {"countryOrRegion": "US"}, "riskState": "none"},
        {"id": "s2", "createdDateTime": "2026-11-20T11:00:00Z", "userId": U1, "ipAddress": "145.1.2.3",
         "status": {"errorCode": 50126}, "location": {"countryOrRegion": "NL"}, "riskState": "none"}])),
    );
    w(
        "riskyUsers.json",
        coll(
            json!([{"id": U1, "riskLevel": "medium", "riskState": "atRisk",
        "riskDetail": "none", "userPrincipalName": "one@contoso.com"}]),
        ),
    );
    w(
        "oauth2PermissionGrants.json",
        coll(json!([
        {"id": "g1", "clientId": "c1", "consentType": "Principal", "principalId": U1, "resourceId": "r1", "scope": "Mail.Read"},
        {"id": "g2", "clientId": "c1", "consentType": "AllPrincipals", "principalId": null, "resourceId": "r1", "scope": "User.Read"}])),
    );
    w(
        &format!("authenticationMethods/{U1}.json"),
        coll(json!([
        {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": "28c10230-6103-485e-b985-444c60001490"},
        {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "3179e48a-750b-4051-897c-87b9720928f7", "phoneType": "mobile", "phoneNumber": "+31 6"},
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m1", "displayName": "iPhone"},
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m2", "displayName": "Attacker phone"}])),
    );
    w(
        &format!("signInPreferences/{U1}.json"),
        json!({"userPreferredMethodForSecondaryAuthentication": "push"}).to_string(),
    );
    w(
        &format!("mailFolders/{U1}.json"),
        coll(
            json!([{"id": "INBOX=", "displayName": "Inbox"}, {"id": "RSS=", "displayName": "RSS Feeds"}]),
        ),
    );
    w(
        &format!("messageRules/{U1}.json"),
        coll(json!([{"id": "R1=", "displayName": ".", "isEnabled": true,
        "actions": {"moveToFolder": "RSS=", "forwardTo": [{"emailAddress": {"address": "x@evil.example"}}]}}])),
    );
    w("notes.txt", "ignored".into());
}

fn opts(dir: &Path, throttle: ThrottleMode) -> SimOptions {
    SimOptions {
        tenant_dir: Some(dir.to_path_buf()),
        throttle,
        rebase_to: None,
        ..SimOptions::demo()
    }
}

struct Client {
    http: reqwest::Client,
    h: SimHandle,
}

impl Client {
    async fn new(o: SimOptions) -> Client {
        Client {
            http: reqwest::Client::new(),
            h: sim::start(o).await.unwrap(),
        }
    }
    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.h.graph_url)
        }
    }
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut r = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.h.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let v = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, headers, v)
    }
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.send(reqwest::Method::GET, path, None).await;
        (s, v)
    }
}

#[tokio::test]
async fn demo_tenant_serves_me_and_suspect() {
    let c = Client::new(SimOptions {
        throttle: ThrottleMode::Off,
        ..SimOptions::demo()
    })
    .await;
    assert!(c.h.token.starts_with("sim."));
    assert!(!c.h.graph_url.ends_with('/'));
    let (s, me) = c.get("/v1.0/me").await;
    assert_eq!(s, 200);
    assert_eq!(me["id"], sim::DEMO_ANALYST_ID);
    let (s, u) = c.get("/v1.0/users('ALICE@contoso.com')").await;
    assert_eq!(s, 200);
    assert_eq!(u["id"], sim::DEMO_SUSPECT_ID);
    assert_eq!(
        u["userPrincipalName"], "alice@contoso.com",
        "served as written"
    );
    let (_, u) = c
        .get("/v1.0/users/alice@contoso.com?$select=id,signInActivity")
        .await;
    assert!(u["signInActivity"].is_object());
    let (s, e) = c.get("/v1.0/users/nobody@contoso.com").await;
    assert_eq!(s, 404);
    assert_eq!(e["error"]["code"], "Request_ResourceNotFound");
}

#[tokio::test]
async fn auth_and_request_ids() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    let r = c.http.get(c.url("/v1.0/users")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("request-id"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(v["error"]["message"], "Access token is empty.");
    assert!(v["error"]["innerError"]["date"].is_string());
    let r = c
        .http
        .get(c.url("/v1.0/users"))
        .bearer_auth("sim.wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .http
        .get(c.url("/v1.0/users"))
        .bearer_auth(&c.h.token)
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["client-request-id"], "abc-123");
    assert!(r.headers().contains_key("request-id"));
    // fault injection hook: the 2nd matching request fails
    c.h.add_fault(sim::FaultRule {
        method: Some("GET".into()),
        path_contains: "/organization".into(),
        from: 2,
        to: 2,
        status: 503,
        code: "serviceNotAvailable".into(),
        retry_after: Some(3),
        effect: sim::FaultEffect::Error,
    });
    assert_eq!(c.get("/v1.0/organization").await.0, 200);
    let (s, h, e) = c
        .send(reqwest::Method::GET, "/v1.0/organization", None)
        .await;
    assert_eq!(
        (s, h["retry-after"].to_str().unwrap()),
        (StatusCode::SERVICE_UNAVAILABLE, "3")
    );
    assert_eq!(e["error"]["code"], "serviceNotAvailable");
    assert_eq!(c.get("/v1.0/organization").await.0, 200);
    assert_eq!(
        c.send(reqwest::Method::POST, "/v1.0/users", None).await.0,
        405
    );
}

#[tokio::test]
async fn paging_select_and_filters_over_generated_sign_ins() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    std::fs::remove_file(dir.path().join("signIns.json")).unwrap();
    let o = SimOptions {
        scale: 2500,
        scale_user: Some("one@contoso.com".into()),
        ..opts(dir.path(), ThrottleMode::Off)
    };
    let c = Client::new(o).await;
    let mut url = "/v1.0/auditLogs/signIns?$top=1000".to_string();
    let mut pages = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut last = String::new();
    loop {
        let (s, v) = c.get(&url).await;
        assert_eq!(s, 200, "{v}");
        let items = v["value"].as_array().unwrap();
        pages.push(items.len());
        for i in items {
            assert!(ids.insert(i["id"].as_str().unwrap().to_string()));
            let t = i["createdDateTime"].as_str().unwrap().to_string();
            assert!(last.is_empty() || t <= last, "newest first");
            last = t;
            assert_eq!(i["userId"], U1);
        }
        match v["@odata.nextLink"].as_str() {
            Some(n) => {
                assert!(n.starts_with(&c.h.graph_url) && n.contains("$skiptoken="));
                assert!(!n.contains("$top"), "follow-ups need no other parameters");
                url = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, vec![1000, 1000, 500]);

    let (s, v) = c
        .get("/v1.0/auditLogs/signIns?$top=3&$select=id,ipAddress")
        .await;
    assert_eq!(s, 200);
    for i in v["value"].as_array().unwrap() {
        let keys: Vec<&String> = i.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "ipAddress"]);
    }
    let (s, v) = c.get("/v1.0/auditLogs/signIns?$filter=status%2FerrorCode%20eq%2050126%20and%20location/countryOrRegion%20eq%20'NL'&$top=1000").await;
    assert_eq!(s, 200);
    let n = v["value"].as_array().unwrap().len();
    assert!(n > 0 && n < 1000);
    assert!(
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"]["errorCode"] == 50126)
    );
    let (s, v) = c
        .get("/v1.0/auditLogs/signIns?$filter=userId eq 'someone-else'")
        .await;
    assert_eq!(
        (s, v["value"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
    let (s, e) = c.get("/v1.0/auditLogs/signIns?$top=1001").await;
    assert_eq!(s, 400);
    assert_eq!(e["error"]["code"], "Request_BadRequest");
    let (s, e) = c.get("/v1.0/auditLogs/signIns?$filter=userId eq").await;
    assert_eq!(s, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("filter"));
}

#[tokio::test]
async fn a_million_generated_sign_ins_are_cheap() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let o = SimOptions {
        scale: 1_000_000,
        scale_user: Some("one@contoso.com".into()),
        ..opts(dir.path(), ThrottleMode::Off)
    };
    let started = std::time::Instant::now();
    let c = Client::new(o).await;
    let q = format!(
        "/v1.0/auditLogs/signIns?$top=5&$filter=userId eq '{U1}' and createdDateTime le 2026-11-05T00:00:00Z and createdDateTime ge 2026-11-04T00:00:00Z"
    );
    let (s, v) = c.get(&q).await;
    assert_eq!(s, 200);
    let items = v["value"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|i| {
        i["createdDateTime"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-04")
    }));
    let next = v["@odata.nextLink"].as_str().unwrap().to_string();
    assert_eq!(c.get(&next).await.1["value"].as_array().unwrap().len(), 5);
    let id = items[0]["id"].as_str().unwrap();
    assert_eq!(
        c.get(&format!("/v1.0/auditLogs/signIns/{id}")).await.1["id"],
        id
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn licences_without_plans() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), false);
    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    for p in [
        "/v1.0/auditLogs/signIns",
        "/v1.0/identityProtection/riskDetections",
        "/v1.0/users?$select=id,signInActivity",
    ] {
        let (s, e) = c.get(p).await;
        assert_eq!(s, 403, "{p}");
        assert_eq!(
            e["error"]["code"],
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
        );
    }
    let (s, e) = c.get("/v1.0/identityProtection/riskyUsers").await;
    assert_eq!(s, 403);
    assert!(e["error"]["message"].as_str().unwrap().contains("licensed"));
    let (s, v) = c.get(&format!("/v1.0/users/{U1}")).await;
    assert_eq!(s, 200);
    assert!(v.get("signInActivity").is_none(), "withheld without P1");
    assert_eq!(c.get("/v1.0/auditLogs/directoryAudits").await.0, 200);
}

#[tokio::test]
async fn throttling_microsoft_and_off() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let c = Client::new(opts(dir.path(), ThrottleMode::Microsoft)).await;
    for _ in 0..5 {
        assert_eq!(c.get("/v1.0/auditLogs/signIns").await.0, 200);
    }
    let (s, h, e) = c
        .send(
            reqwest::Method::GET,
            "/beta/auditLogs/directoryAudits",
            None,
        )
        .await;
    assert_eq!(s, 429);
    assert_eq!(e["error"]["code"], "TooManyRequests");
    let ra: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=10).contains(&ra));
    assert_eq!(c.get("/v1.0/identityProtection/riskyUsers").await.0, 200);
    let (s, h, _) = c
        .send(
            reqwest::Method::GET,
            "/v1.0/identityProtection/riskDetections",
            None,
        )
        .await;
    assert_eq!(s, 429);
    assert!(!h.contains_key("retry-after"));

    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    for _ in 0..8 {
        assert_eq!(c.get("/v1.0/auditLogs/signIns").await.0, 200);
        assert_eq!(c.get("/v1.0/identityProtection/riskyUsers").await.0, 200);
    }
}

#[tokio::test]
async fn request_log_lines() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let log = dir.path().join("requests.jsonl");
    let o = SimOptions {
        request_log: Some(log.clone()),
        latency_ms: 20,
        ..opts(dir.path(), ThrottleMode::Off)
    };
    let c = Client::new(o).await;
    c.get("/v1.0/auditLogs/signIns?$filter=userId%20eq%20%27x%27")
        .await;
    c.send(
        reqwest::Method::POST,
        &format!("/v1.0/users/{U1}/revokeSignInSessions"),
        None,
    )
    .await;
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let l = lines[0].as_object().unwrap();
    assert_eq!(
        l.keys().collect::<Vec<_>>(),
        ["ts", "method", "path", "status", "ms"]
    );
    assert_eq!(
        l["path"],
        "/v1.0/auditLogs/signIns?$filter=userId%20eq%20%27x%27"
    );
    assert_eq!(l["method"], "GET");
    assert_eq!(l["status"], 200);
    assert!(l["ms"].as_u64().unwrap() >= 20);
    let ts = l["ts"].as_str().unwrap();
    assert_eq!(ts.len(), 24, "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.');
    assert_eq!(lines[1]["method"], "POST");
}

#[tokio::test]
async fn tenant_dir_missing_and_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    let (s, v) = c.get("/v1.0/auditLogs/directoryAudits").await;
    assert_eq!(s, 200);
    assert_eq!(v["value"], json!([]));
    let (_, v) = c
        .get(&format!("/v1.0/users/{U1}/oauth2PermissionGrants"))
        .await;
    assert_eq!(
        v["value"].as_array().unwrap().len(),
        1,
        "Principal grants only"
    );
    let (_, v) = c
        .get("/v1.0/oauth2PermissionGrants?$filter=consentType eq 'AllPrincipals'")
        .await;
    assert_eq!(v["value"][0]["id"], "g2");
    // beta sign-ins with event types; signInPreferences is beta-only
    let beta = coll(json!([
        {"id": "b1", "createdDateTime": "2026-11-20T10:30:00Z", "userId": U1, "signInEventTypes": ["nonInteractiveUser"]},
        {"id": "b2", "createdDateTime": "2026-11-20T10:20:00Z", "userId": U1, "signInEventTypes": ["interactiveUser"]}]));
    std::fs::write(dir.path().join("signIns.beta.json"), beta).unwrap();
    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    let (_, v) = c
        .get("/beta/auditLogs/signIns?$filter=signInEventTypes/any(t:%20t%20eq%20'nonInteractiveUser')")
        .await;
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    assert_eq!(v["value"][0]["id"], "b1");
    assert_eq!(
        c.get("/v1.0/auditLogs/signIns").await.1["value"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let prefs = format!("/users/{U1}/authentication/signInPreferences");
    assert_eq!(
        c.get(&format!("/beta{prefs}")).await.1["userPreferredMethodForSecondaryAuthentication"],
        "push"
    );
    assert_eq!(c.get(&format!("/v1.0{prefs}")).await.0, 400);
    // users: startswith, paging
    let (_, v) = c
        .get("/v1.0/users?$filter=startswith(userPrincipalName,'ONE')&$select=id")
        .await;
    assert_eq!(v["value"], json!([{"id": U1}]));
    let (_, v) = c.get("/v1.0/users?$top=1").await;
    let next = v["@odata.nextLink"].as_str().unwrap().to_string();
    let (_, v2) = c.get(&next).await;
    assert_ne!(v["value"][0]["id"], v2["value"][0]["id"]);
    assert!(v2.get("@odata.nextLink").is_none());
    std::fs::write(
        dir.path().join("users.json"),
        "{\"value\": [\n {\"id\": \"x\",,}\n]}",
    )
    .unwrap();
    let err = sim::start(opts(dir.path(), ThrottleMode::Off))
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("users.json:2:"), "{err}");
}

#[tokio::test]
async fn mutations_change_state() {
    use reqwest::Method as M;
    let dir = tempfile::tempdir().unwrap();
    write_tenant(dir.path(), true);
    let c = Client::new(opts(dir.path(), ThrottleMode::Off)).await;
    let user = format!("/v1.0/users/{U1}");
    // revoke
    let (s, _, v) = c
        .send(M::POST, &format!("{user}/revokeSignInSessions"), None)
        .await;
    assert_eq!((s, v["value"].clone()), (StatusCode::OK, json!(true)));
    let (_, u) = c
        .get(&format!(
            "{user}?$select=signInSessionsValidFromDateTime,accountEnabled"
        ))
        .await;
    assert!(u["signInSessionsValidFromDateTime"].as_str().unwrap() > "2026-01-01T00:00:00Z");
    // disable
    let (s, _, _) = c
        .send(M::PATCH, &user, Some(json!({"accountEnabled": false})))
        .await;
    assert_eq!(s, 204);
    let (_, u) = c.get(&format!("{user}?$select=accountEnabled")).await;
    assert_eq!(u["accountEnabled"], false);
    // default method: one of two authenticators may go, the last one may not
    let auth = format!("{user}/authentication");
    let (s, _, _) = c
        .send(
            M::DELETE,
            &format!("{auth}/microsoftAuthenticatorMethods/m2"),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _, e) = c
        .send(
            M::DELETE,
            &format!("{auth}/microsoftAuthenticatorMethods/m1"),
            None,
        )
        .await;
    assert_eq!(s, 400, "{e}");
    let (s, _, _) = c
        .send(
            M::DELETE,
            &format!("{auth}/passwordMethods/28c10230-6103-485e-b985-444c60001490"),
            None,
        )
        .await;
    assert_eq!(s, 400);
    let (_, v) = c.get(&format!("{auth}/methods")).await;
    assert_eq!(v["value"].as_array().unwrap().len(), 3);
    // resetPassword → operation
    let (s, h, v) = c
        .send(
            M::POST,
            &format!("{auth}/methods/28c10230-6103-485e-b985-444c60001490/resetPassword"),
            None,
        )
        .await;
    assert_eq!(s, 202);
    assert!(v["newPassword"].as_str().unwrap().len() >= 8);
    let loc = h["location"].to_str().unwrap().to_string();
    assert!(loc.contains("/authentication/operations/"));
    assert_eq!(c.get(&loc).await.1["status"], "running");
    assert_eq!(c.get(&loc).await.1["status"], "succeeded");
    let (s, _, _) = c
        .send(
            M::POST,
            "/v1.0/me/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword",
            None,
        )
        .await;
    assert_eq!(s, 403);
    // TAP
    let tap = format!("{auth}/temporaryAccessPassMethods");
    let (s, _, v) = c
        .send(M::POST, &tap, Some(json!({"lifetimeInMinutes": 60})))
        .await;
    assert_eq!(s, 201);
    assert!(v["temporaryAccessPass"].as_str().unwrap().len() >= 8);
    let (s, _, _) = c
        .send(M::POST, &tap, Some(json!({"lifetimeInMinutes": 5})))
        .await;
    assert_eq!(s, 400);
    c.send(M::POST, &tap, Some(json!({}))).await;
    let (_, v) = c.get(&tap).await;
    let taps = v["value"].as_array().unwrap();
    assert_eq!(taps.len(), 1, "a new TAP replaces the old one");
    assert!(taps[0]["temporaryAccessPass"].is_null());
    c.h.exclude_from_tap_policy("one@contoso.com");
    assert_eq!(c.send(M::POST, &tap, None).await.0, 400);
    // grants
    let (s, _, _) = c
        .send(
            M::PATCH,
            "/v1.0/oauth2PermissionGrants/g1",
            Some(json!({"scope": "User.Read"})),
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(
        c.get("/v1.0/oauth2PermissionGrants/g1").await.1["scope"],
        "User.Read"
    );
    assert_eq!(
        c.send(M::DELETE, "/v1.0/oauth2PermissionGrants/g1", None)
            .await
            .0,
        204
    );
    assert_eq!(c.get("/v1.0/oauth2PermissionGrants/g1").await.0, 404);
    // inbox rules
    let rules = format!("{user}/mailFolders/inbox/messageRules");
    let (s, _, v) = c
        .send(
            M::PATCH,
            &format!("{rules}/R1="),
            Some(json!({"isEnabled": false})),
        )
        .await;
    assert_eq!((s, v["isEnabled"].clone()), (StatusCode::OK, json!(false)));
    assert_eq!(
        c.send(M::DELETE, &format!("{rules}/R1="), None).await.0,
        204
    );
    assert_eq!(c.get(&rules).await.1["value"], json!([]));
    assert_eq!(
        c.get(&format!("{user}/mailFolders/RSS=")).await.1["displayName"],
        "RSS Feeds"
    );
    // risk
    let body = json!({"userIds": [U1]});
    let (s, _, _) = c
        .send(
            M::POST,
            "/v1.0/identityProtection/riskyUsers/confirmCompromised",
            Some(body),
        )
        .await;
    assert_eq!(s, 204);
    let (_, r) = c
        .get(&format!("/v1.0/identityProtection/riskyUsers/{U1}"))
        .await;
    assert_eq!(
        (r["riskState"].as_str(), r["riskLevel"].as_str()),
        (Some("confirmedCompromised"), Some("high"))
    );
    let (_, h) = c
        .get(&format!("/v1.0/identityProtection/riskyUsers/{U1}/history"))
        .await;
    // confirmSafe's riskDetail is an evolvable enum member: hidden unless asked for
    let body = json!({"userIds": [U1]});
    c.send(
        M::POST,
        "/v1.0/identityProtection/riskyUsers/confirmSafe",
        Some(body),
    )
    .await;
    let safe = format!("/v1.0/identityProtection/riskyUsers/{U1}");
    assert_eq!(c.get(&safe).await.1["riskDetail"], "unknownFutureValue");
    let r = c
        .http
        .get(c.url(&safe))
        .bearer_auth(&c.h.token)
        .header("Prefer", "include-unknown-enum-members")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["riskDetail"],
        "adminConfirmedAccountSafe"
    );
    assert_eq!(h["value"].as_array().unwrap().len(), 1);
    let (s, _, _) = c
        .send(
            M::POST,
            "/v1.0/auditLogs/signIns/confirmCompromised",
            Some(json!({"requestIds": ["s1"]})),
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(
        c.get("/v1.0/auditLogs/signIns/s1").await.1["riskState"],
        "confirmedCompromised"
    );
    assert_eq!(
        c.get(&safe).await.1["riskLevel"],
        "high",
        "user risk raised"
    );
    // the analyst's actions appear in the directory audit log
    let q = format!(
        "/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '{U1}') and initiatedBy/user/id eq '{ANALYST}'"
    );
    let (s, a) = c.get(&q).await;
    assert_eq!(s, 200);
    let acts: Vec<&str> = a["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["activityDisplayName"].as_str().unwrap())
        .collect();
    assert!(acts.contains(&"Disable account"), "{acts:?}");
    assert!(acts.contains(&"Reset password (by admin)"), "{acts:?}");
}

#[tokio::test]
async fn rebase_shifts_demo_dates() {
    let anchor: chrono::DateTime<chrono::Utc> = sim::DEMO_ANCHOR.parse().unwrap();
    let plain = Client::new(SimOptions {
        rebase_to: None,
        throttle: ThrottleMode::Off,
        ..SimOptions::demo()
    })
    .await;
    let target = anchor + chrono::Duration::days(3) + chrono::Duration::seconds(42);
    let moved = Client::new(SimOptions {
        rebase_to: Some(target),
        throttle: ThrottleMode::Off,
        ..SimOptions::demo()
    })
    .await;
    let (_, a) = plain
        .get("/v1.0/auditLogs/signIns?$top=1&$select=id,createdDateTime")
        .await;
    let (_, b) = moved
        .get("/v1.0/auditLogs/signIns?$top=1&$select=id,createdDateTime")
        .await;
    assert_eq!(a["value"][0]["id"], b["value"][0]["id"]);
    let t = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["value"][0]["createdDateTime"].as_str().unwrap())
            .unwrap()
    };
    assert_eq!(t(&b) - t(&a), chrono::Duration::days(3));
}
