//! The simulator's identity provider: a loopback Microsoft identity platform v2.0 serving the
//! device code, refresh token and client credentials grants with Entra's response and error
//! shapes, programmable through [`IdpState`] (approve, decline, expire, slow_down, revoke…).
//! Client credentials take a client secret or a certificate client assertion
//! (`client_assertion`, checked by `client_assertion.rs`).
//! Its access tokens are unsigned JWT-shaped strings that [`IdpState::token_claims`] checks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rand::Rng as _;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::auth::claims::{self, Claims};

/// An app registration that may use client credentials.
#[derive(Debug, Clone)]
pub struct AppRegistration {
    pub client_id: String,
    /// Its client secret; empty = none (certificates only).
    pub secret: String,
    /// Certificates registered on it (DER), for client assertions.
    pub certificates: Vec<Vec<u8>>,
    /// Application permissions granted (the token's `roles`).
    pub roles: Vec<String>,
    /// Object id of its service principal.
    pub oid: String,
}

/// Who signs in, and the defaults of every flow.
#[derive(Debug, Clone)]
pub struct IdpConfig {
    pub tenant_id: String,
    /// Domains also accepted as `{tenant}` (besides the id, `organizations` and `common`).
    pub tenant_domains: Vec<String>,
    /// The public client allowed to use device code and refresh.
    pub client_id: String,
    pub upn: String,
    pub oid: String,
    pub display_name: String,
    /// Scopes put in `scp`; `None` = the Graph scopes the client asked for.
    pub granted_scopes: Option<Vec<String>>,
    /// Device code `interval` (s) and `expires_in` (s).
    pub interval: u64,
    pub expires_in: u64,
    /// Access token lifetime (s).
    pub token_lifetime: u64,
    /// Where the analyst types the code. `None`: this provider's own page,
    /// `http://{Host}/devicelogin`, where a form (or a script) approves or declines a code.
    pub verification_uri: Option<String>,
    pub apps: Vec<AppRegistration>,
}

impl Default for IdpConfig {
    fn default() -> Self {
        IdpConfig {
            tenant_id: "7a1e5c2d-0b6f-4c1e-9a55-3d2f8e4b6c01".into(),
            tenant_domains: vec!["contoso.example".into()],
            client_id: "4b8f2e1a-6c3d-4e5f-8a9b-0c1d2e3f4a5b".into(),
            upn: "analyst@contoso.example".into(),
            oid: "c0ffee00-1111-4222-8333-444455556666".into(),
            display_name: "Incident Analyst".into(),
            granted_scopes: None,
            interval: 5,
            expires_in: 900,
            token_lifetime: 3599,
            verification_uri: None,
            apps: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pending,
    Approved,
    Declined,
    Expired,
    Redeemed,
}

#[derive(Debug)]
struct DeviceGrant {
    device_code: String,
    user_code: String,
    created: Instant,
    lifetime: Duration,
    status: Status,
    scopes: Vec<String>,
    polls: Vec<Instant>,
}

#[derive(Debug, Default)]
struct Inner {
    cfg: IdpConfig,
    auto_approve_after: Option<u32>,
    slow_down_pending: u32,
    ca_block: bool,
    interaction_required: bool,
    grants: Vec<DeviceGrant>,
    /// refresh token → (scopes, revoked)
    refresh: HashMap<String, (Vec<String>, bool)>,
    /// sha256(access token) → claims
    issued: HashMap<String, Claims>,
}

/// Shared, programmable state of the identity provider.
#[derive(Debug, Clone, Default)]
pub struct IdpState {
    inner: Arc<Mutex<Inner>>,
}

fn random_string(len: usize, alphabet: &[u8]) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl IdpState {
    pub fn new(cfg: IdpConfig) -> Self {
        IdpState {
            inner: Arc::new(Mutex::new(Inner {
                cfg,
                ..Inner::default()
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with_grant(&self, user_code: &str, f: impl FnOnce(&mut DeviceGrant)) -> bool {
        let mut inner = self.lock();
        let found = inner
            .grants
            .iter_mut()
            .find(|g| g.user_code.eq_ignore_ascii_case(user_code));
        found.map(f).is_some()
    }

    /// The analyst approves the code (as on the verification page). False if unknown.
    pub fn approve(&self, user_code: &str) -> bool {
        self.with_grant(user_code, |g| {
            if g.status == Status::Pending {
                g.status = Status::Approved
            }
        })
    }
    /// The analyst declines the code.
    pub fn decline(&self, user_code: &str) -> bool {
        self.with_grant(user_code, |g| {
            if g.status == Status::Pending {
                g.status = Status::Declined
            }
        })
    }
    /// The code expires now.
    pub fn expire(&self, user_code: &str) -> bool {
        self.with_grant(user_code, |g| g.status = Status::Expired)
    }
    /// Approve every code automatically on the poll after `n` pending polls (`None`: never).
    pub fn auto_approve_after(&self, n: Option<u32>) {
        self.lock().auto_approve_after = n;
    }
    /// Answer the next `n` polls of a pending code with `slow_down`.
    pub fn slow_down_next(&self, n: u32) {
        self.lock().slow_down_pending = n;
    }
    /// Conditional Access blocks device-code sign-in (AADSTS53003 once the code is approved).
    pub fn block_by_conditional_access(&self, on: bool) {
        self.lock().ca_block = on;
    }
    /// Refreshes answer `interaction_required` (AADSTS50076, MFA) while on.
    pub fn require_interaction(&self, on: bool) {
        self.lock().interaction_required = on;
    }
    /// Revokes every refresh token (as `revokeSignInSessions` or a password reset would).
    pub fn revoke_refresh_tokens(&self) {
        self.lock()
            .refresh
            .values_mut()
            .for_each(|(_, revoked)| *revoked = true);
    }
    /// Scopes put in future tokens' `scp` (`None`: whatever the client asked for).
    pub fn set_granted_scopes(&self, scopes: Option<Vec<String>>) {
        self.lock().cfg.granted_scopes = scopes;
    }
    /// Sets the device code `interval` and `expires_in` (seconds) of future codes.
    pub fn set_device_timing(&self, interval: u64, expires_in: u64) {
        let mut inner = self.lock();
        inner.cfg.interval = interval;
        inner.cfg.expires_in = expires_in;
    }
    /// Registers an app for client credentials.
    pub fn add_app(&self, app: AppRegistration) {
        self.lock().cfg.apps.push(app);
    }
    /// The most recently issued user code.
    pub fn last_user_code(&self) -> Option<String> {
        self.lock().grants.last().map(|g| g.user_code.clone())
    }
    /// When each poll for `user_code` arrived.
    pub fn poll_times(&self, user_code: &str) -> Vec<Instant> {
        let inner = self.lock();
        inner
            .grants
            .iter()
            .find(|g| g.user_code == user_code)
            .map(|g| g.polls.clone())
            .unwrap_or_default()
    }
    /// Whether `refresh_token` would currently be accepted.
    pub fn refresh_token_valid(&self, refresh_token: &str) -> bool {
        self.lock()
            .refresh
            .get(refresh_token)
            .is_some_and(|(_, revoked)| !revoked)
    }
    /// The configured tenant id.
    pub fn tenant_id(&self) -> String {
        self.lock().cfg.tenant_id.clone()
    }

    /// Mints a delegated access token for the configured user with exactly these scopes
    /// (the simulator prints one at start-up; its lifetime is `IdpConfig::token_lifetime`).
    pub fn issue_access_token(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        self.lock().access_token(Some(&scopes), None)
    }

    /// The claims of a token this provider issued and that has not expired; `None` for any
    /// other string (forged, expired, from elsewhere).
    pub fn token_claims(&self, token: &str) -> Option<Claims> {
        let token = token.trim();
        let token = token.strip_prefix("Bearer ").unwrap_or(token);
        let inner = self.lock();
        let c = inner.issued.get(&digest(token))?;
        (c.exp.unwrap_or(0) > chrono::Utc::now().timestamp()).then(|| c.clone())
    }
}

impl Inner {
    fn accepts_tenant(&self, tenant: &str) -> bool {
        ["organizations", "common"].contains(&tenant)
            || tenant.eq_ignore_ascii_case(&self.cfg.tenant_id)
            || self
                .cfg
                .tenant_domains
                .iter()
                .any(|d| d.eq_ignore_ascii_case(tenant))
    }

    /// Mints an access token: delegated with exactly `scopes` in `scp` when given, else
    /// app-only with `app`.
    fn access_token(&mut self, scopes: Option<&[String]>, app: Option<&AppRegistration>) -> String {
        let now = chrono::Utc::now().timestamp();
        let cfg = &self.cfg;
        let mut c = json!({
            "aud": "https://graph.microsoft.com",
            "iss": format!("https://sts.windows.net/{}/", cfg.tenant_id),
            "iat": now, "nbf": now, "exp": now.saturating_add(cfg.token_lifetime.min(i32::MAX as u64) as i64),
            "tid": cfg.tenant_id, "ver": "1.0",
            "uti": random_string(22, b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
        });
        match (scopes, app) {
            (Some(scopes), _) => {
                c["scp"] = json!(scopes.join(" "));
                c["upn"] = json!(cfg.upn);
                c["unique_name"] = json!(cfg.upn);
                c["oid"] = json!(cfg.oid);
                c["name"] = json!(cfg.display_name);
                c["appid"] = json!(cfg.client_id);
                c["idtyp"] = json!("user");
            }
            (None, Some(app)) => {
                c["roles"] = json!(app.roles);
                c["oid"] = json!(app.oid);
                c["appid"] = json!(app.client_id);
                c["idtyp"] = json!("app");
            }
            (None, None) => {}
        }
        let token = claims::unsigned_jwt(
            &c,
            &random_string(43, b"abcdefghijklmnopqrstuvwxyz0123456789-_"),
        );
        self.issued.retain(|_, v| v.exp.unwrap_or(0) > now);
        if let Ok(parsed) = claims::decode(&token) {
            self.issued.insert(digest(&token), parsed);
        }
        token
    }

    /// A full delegated token response (with a new refresh token when asked for).
    fn delegated_response(&mut self, scopes: &[String], offline: bool, openid: bool) -> Value {
        let graph: Vec<String> = self
            .cfg
            .granted_scopes
            .clone()
            .unwrap_or_else(|| scopes.to_vec());
        let access = self.access_token(Some(&graph), None);
        let cfg = &self.cfg;
        let mut scope: Vec<String> = graph
            .iter()
            .map(|s| format!("https://graph.microsoft.com/{s}"))
            .collect();
        scope.extend(
            ["openid", "profile", "offline_access"]
                .iter()
                .map(|s| s.to_string()),
        );
        let mut body = json!({
            "token_type": "Bearer", "scope": scope.join(" "),
            "expires_in": cfg.token_lifetime, "ext_expires_in": cfg.token_lifetime,
            "access_token": access,
        });
        if openid {
            let id = json!({"aud": cfg.client_id, "tid": cfg.tenant_id, "oid": cfg.oid,
                "preferred_username": cfg.upn, "name": cfg.display_name, "ver": "2.0"});
            body["id_token"] = json!(claims::unsigned_jwt(&id, "sim"));
        }
        if offline {
            let rt = format!(
                "0.SIM{}",
                random_string(
                    64,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                )
            );
            self.refresh.insert(rt.clone(), (scopes.to_vec(), false));
            body["refresh_token"] = json!(rt);
        }
        body
    }
}

/// Entra's OAuth error body, with a trace id and correlation id, as HTTP `status`.
fn oauth_error(status: StatusCode, error: &str, code: Option<u32>, text: &str) -> Response {
    let trace = uuid::Uuid::new_v4().to_string();
    let corr = uuid::Uuid::new_v4().to_string();
    let ts = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
    let prefix = code.map(|c| format!("AADSTS{c}: ")).unwrap_or_default();
    let desc = format!("{prefix}{text} Trace ID: {trace} Correlation ID: {corr} Timestamp: {ts}")
        .replace(" Trace ID", "\r\nTrace ID")
        .replace(" Correlation ID", "\r\nCorrelation ID")
        .replace(" Timestamp", "\r\nTimestamp");
    let body = json!({"error": error, "error_description": desc, "error_codes": code.into_iter().collect::<Vec<_>>(),
        "timestamp": ts, "trace_id": trace, "correlation_id": corr,
        "error_uri": "https://login.microsoftonline.com/error"});
    (status, Json(body)).into_response()
}

fn bad(error: &str, code: u32, text: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, Some(code), text)
}

fn parse_form(body: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

/// Splits a scope string into Graph scope names (resource prefix removed) and OIDC flags.
fn split_scopes(scope: &str) -> (Vec<String>, bool, bool) {
    let mut graph = Vec::new();
    let (mut offline, mut openid) = (false, false);
    for s in scope.split_whitespace() {
        match s {
            "offline_access" => offline = true,
            "openid" => openid = true,
            "profile" | "email" => {}
            other => graph.push(other.rsplit('/').next().unwrap_or(other).to_string()),
        }
    }
    (graph, offline, openid)
}

/// Checks tenant and client; `Err` is the ready error response.
fn check_caller(
    inner: &Inner,
    tenant: &str,
    form: &HashMap<String, String>,
) -> Result<String, Box<Response>> {
    if !inner.accepts_tenant(tenant) {
        return Err(Box::new(bad(
            "invalid_request",
            90002,
            &format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        )));
    }
    match form.get("client_id") {
        None => Err(Box::new(bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        ))),
        Some(id) => Ok(id.clone()),
    }
}

async fn devicecode(
    State(state): State<IdpState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let form = parse_form(&body);
    let mut inner = state.lock();
    let client_id = match check_caller(&inner, &tenant, &form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if client_id != inner.cfg.client_id {
        return bad(
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    }
    let Some(scope) = form.get("scope").filter(|s| !s.trim().is_empty()) else {
        return bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'scope'.",
        );
    };
    let (scopes, _, _) = split_scopes(scope);
    let user_code = random_string(9, b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789");
    let device_code = format!(
        "DAQABAAEAAAD{}",
        random_string(
            96,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
    );
    let (interval, expires_in, uri) = (
        inner.cfg.interval,
        inner.cfg.expires_in,
        inner
            .cfg
            .verification_uri
            .clone()
            .unwrap_or_else(|| own_page(&headers)),
    );
    inner.grants.push(DeviceGrant {
        device_code: device_code.clone(),
        user_code: user_code.clone(),
        created: Instant::now(),
        lifetime: Duration::from_secs(expires_in),
        status: Status::Pending,
        scopes,
        polls: Vec::new(),
    });
    let message = format!(
        "To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."
    );
    Json(
        json!({"user_code": user_code, "device_code": device_code, "verification_uri": uri,
        "expires_in": expires_in, "interval": interval, "message": message}),
    )
    .into_response()
}

async fn token(
    State(state): State<IdpState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let form = parse_form(&body);
    let mut inner = state.lock();
    let client_id = match check_caller(&inner, &tenant, &form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let grant_type = form.get("grant_type").map(String::as_str).unwrap_or("");
    if grant_type == "client_credentials" {
        // The assertion's audience: this very endpoint, as the client addressed it.
        let audience =
            own_page(&headers).replace("/devicelogin", &format!("/{tenant}/oauth2/v2.0/token"));
        return client_credentials(&mut inner, &client_id, &form, &audience);
    }
    if client_id != inner.cfg.client_id {
        return bad(
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    }
    match grant_type {
        "urn:ietf:params:oauth:grant-type:device_code" => device_poll(
            &mut inner,
            form.get("device_code").map(String::as_str).unwrap_or(""),
        ),
        "refresh_token" => refresh(
            &mut inner,
            form.get("refresh_token").map(String::as_str).unwrap_or(""),
        ),
        "" => bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ),
        other => bad(
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
    }
}

fn device_poll(inner: &mut Inner, device_code: &str) -> Response {
    let (auto, ca_block) = (inner.auto_approve_after, inner.ca_block);
    let Some(idx) = inner
        .grants
        .iter()
        .position(|g| g.device_code == device_code)
    else {
        return bad(
            "bad_verification_code",
            70018,
            "The provided value for the input parameter 'device_code' is not valid.",
        );
    };
    let slow = inner.slow_down_pending > 0;
    let g = &mut inner.grants[idx];
    g.polls.push(Instant::now());
    if g.status == Status::Pending && g.created.elapsed() >= g.lifetime {
        g.status = Status::Expired;
    }
    if g.status == Status::Pending {
        if slow {
            inner.slow_down_pending -= 1;
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "slow_down",
                None,
                "Polling too frequently; increase the interval by 5 seconds.",
            );
        }
        let pending_polls = g.polls.len() as u32 - 1;
        if auto.is_some_and(|n| pending_polls >= n) {
            g.status = Status::Approved;
        }
    }
    match g.status {
        Status::Pending => bad(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        ),
        Status::Declined => oauth_error(
            StatusCode::BAD_REQUEST,
            "authorization_declined",
            None,
            "The end user declined the authorization request.",
        ),
        Status::Expired => bad("expired_token", 70019, "Verification code expired."),
        Status::Redeemed => bad(
            "bad_verification_code",
            70018,
            "The provided value for the input parameter 'device_code' is not valid. It was already redeemed.",
        ),
        Status::Approved => {
            g.status = Status::Redeemed;
            if ca_block {
                return bad(
                    "invalid_grant",
                    53003,
                    "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
                );
            }
            let scopes = g.scopes.clone();
            Json(inner.delegated_response(&scopes, true, true)).into_response()
        }
    }
}

fn refresh(inner: &mut Inner, rt: &str) -> Response {
    let Some((scopes, revoked)) = inner.refresh.get(rt).cloned() else {
        return bad(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        );
    };
    if revoked {
        return bad(
            "invalid_grant",
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
        );
    }
    if inner.interaction_required {
        return bad(
            "interaction_required",
            50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
        );
    }
    // Rotation: the old refresh token is spent.
    inner.refresh.remove(rt);
    Json(inner.delegated_response(&scopes, true, false)).into_response()
}

fn client_credentials(
    inner: &mut Inner,
    client_id: &str,
    form: &HashMap<String, String>,
    audience: &str,
) -> Response {
    let Some(app) = inner
        .cfg
        .apps
        .iter()
        .find(|a| a.client_id == client_id)
        .cloned()
    else {
        return bad(
            "unauthorized_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory."),
        );
    };
    if let Some(assertion) = form.get("client_assertion") {
        let checked = super::client_assertion::verify(
            form.get("client_assertion_type").map(String::as_str),
            assertion,
            client_id,
            &app.certificates,
            audience,
            chrono::Utc::now().timestamp(),
        );
        if let Err(r) = checked {
            let status = if r.unauthorized {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            return oauth_error(status, r.error, Some(r.code), &r.text);
        }
    } else if !form.contains_key("client_secret") {
        return bad(
            "invalid_client",
            7000216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        );
    } else if app.secret.is_empty() || form.get("client_secret").is_none_or(|s| *s != app.secret) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            Some(7000215),
            &format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
            ),
        );
    }
    let scope = form.get("scope").map(String::as_str).unwrap_or("");
    if !scope.ends_with("/.default") {
        return bad(
            "invalid_scope",
            1002012,
            &format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        );
    }
    let access = inner.access_token(None, Some(&app));
    let life = inner.cfg.token_lifetime;
    Json(json!({"token_type": "Bearer", "expires_in": life, "ext_expires_in": life, "access_token": access})).into_response()
}

/// `http://{Host}/devicelogin` from the request's Host header (loopback by construction).
fn own_page(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let host = host.filter(|h| {
        h.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
    });
    format!("http://{}/devicelogin", host.unwrap_or("127.0.0.1"))
}

const DEVICE_PAGE: &str = "<!doctype html><html><head><title>Sign in — simulated tenant</title></head><body>\
<h1>Simulated tenant: device sign-in</h1><form method=\"post\" action=\"/devicelogin\">\
<label>Code <input name=\"code\" autofocus></label> \
<button name=\"action\" value=\"approve\">Approve</button> \
<button name=\"action\" value=\"decline\">Decline</button></form></body></html>";

/// `GET /devicelogin`: the verification page.
async fn device_page() -> Html<&'static str> {
    Html(DEVICE_PAGE)
}

/// `POST /devicelogin` with `code=<user code>&action=approve|decline` (default approve).
async fn device_decide(State(state): State<IdpState>, body: String) -> Response {
    let form = parse_form(&body);
    let code: String = form
        .get("code")
        .map(|c| c.trim().replace('-', ""))
        .unwrap_or_default();
    let decline = form.get("action").is_some_and(|a| a == "decline");
    let done = if decline {
        state.decline(&code)
    } else {
        state.approve(&code)
    };
    match (done, decline) {
        (true, false) => (
            StatusCode::OK,
            "Approved. You can return to entra-triage.\n",
        )
            .into_response(),
        (true, true) => (StatusCode::OK, "Declined.\n").into_response(),
        (false, _) => (StatusCode::NOT_FOUND, "Unknown code.\n").into_response(),
    }
}

/// The identity provider's routes: `POST /{tenant}/oauth2/v2.0/devicecode` and `…/token`,
/// and the verification page `GET|POST /devicelogin`.
pub fn router(state: IdpState) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/devicelogin", get(device_page).post(device_decide))
        .with_state(state)
}
