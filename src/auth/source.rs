//! Token sources for the Graph client: a token from the environment, the cached delegated
//! sign-in with silent refresh, and app-only client credentials.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use tokio::sync::Mutex;

use super::cache::{self, CacheEntry};
use super::certificate::{ASSERTION_TYPE, ClientCertificate};
use super::claims;
use super::cloud::Endpoints;
use super::entra::{self, Reply, TokenResponse};
use super::secret::Secret;
use super::{AuthConfig, AuthError};
use crate::graph::{ErrorKind, GraphError, TokenSource};

/// Refresh this long before the access token expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The only place this module builds a `GraphError`.
fn auth_error(msg: impl Into<String>) -> GraphError {
    GraphError {
        kind: ErrorKind::Auth,
        status: None,
        code: None,
        message: msg.into(),
        request_id: None,
        client_request_id: None,
        method: String::new(),
        path: String::new(),
        maybe_applied: false,
    }
}

/// Builds the cache entry from a token response. `previous_refresh` is kept when the
/// response carries no new refresh token; `previous_account` when no id token names one.
pub(crate) fn entry_from_response(
    token: TokenResponse,
    previous_refresh: Option<Secret>,
    previous_account: Option<String>,
) -> CacheEntry {
    let access = claims::decode(token.access_token.expose()).unwrap_or_default();
    let id = token
        .id_token
        .as_ref()
        .and_then(|t| claims::decode(t.expose()).ok())
        .unwrap_or_default();
    let lifetime = token
        .expires_in
        .map(|s| s as i64)
        .or_else(|| access.exp.map(|e| e.saturating_sub(Utc::now().timestamp())));
    let expires_at =
        Utc::now() + chrono::Duration::seconds(lifetime.unwrap_or(3599).clamp(0, 86_400));
    let scope = token.scopes().join(" ");
    let scope = if scope.is_empty() {
        access.scopes().join(" ")
    } else {
        scope
    };
    CacheEntry {
        account: id
            .account()
            .or(access.account())
            .map(str::to_string)
            .or(previous_account),
        tenant_id: id.tid.or(access.tid),
        access_token: token.access_token,
        refresh_token: token.refresh_token.or(previous_refresh),
        expires_at,
        scope,
    }
}

fn fresh(expires_at: DateTime<Utc>) -> bool {
    let margin = chrono::Duration::from_std(REFRESH_MARGIN).unwrap_or_default();
    Utc::now() + margin < expires_at
}

/// `ENTRA_TRIAGE_TOKEN`: used as is, never cached, never refreshed. Once expired (by its
/// `exp` claim) or rejected by Graph (`invalidate()`), it yields an Auth error saying so.
#[derive(Debug)]
pub struct EnvToken {
    token: Secret,
    expires_at: Option<DateTime<Utc>>,
    rejected: std::sync::atomic::AtomicBool,
}

impl EnvToken {
    pub fn new(token: Secret) -> Self {
        let expires_at = claims::decode(token.expose())
            .ok()
            .and_then(|c| c.expires_at());
        EnvToken {
            token,
            expires_at,
            rejected: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

const ENV_HINT: &str = "get a new one (e.g. az account get-access-token --resource https://graph.microsoft.com) or unset it and run `entra-triage login`";

impl TokenSource for EnvToken {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        Box::pin(async move {
            if let Some(exp) = self.expires_at.filter(|e| *e <= Utc::now()) {
                let when = exp.format("%Y-%m-%d %H:%M:%SZ");
                return Err(auth_error(format!(
                    "ENTRA_TRIAGE_TOKEN expired at {when}; {ENV_HINT}"
                )));
            }
            if self.rejected.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(auth_error(format!(
                    "Graph rejected ENTRA_TRIAGE_TOKEN (expired, revoked, or for another cloud or resource); {ENV_HINT}"
                )));
            }
            Ok(self.token.expose().to_string())
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, ()> {
        self.rejected
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Box::pin(async {})
    }
}

#[derive(Debug, Default)]
struct DelegatedState {
    entry: Option<CacheEntry>,
    /// Set by `invalidate()` (Graph answered 401): refresh before the next use.
    stale: bool,
}

/// The cached delegated sign-in. Refreshes silently shortly before expiry or after
/// `invalidate()`, replacing the refresh token when a new one arrives, and rewrites the cache.
#[derive(Debug)]
pub struct CachedDelegated {
    endpoints: Endpoints,
    client_id: String,
    scope: String,
    path: PathBuf,
    http: reqwest::Client,
    state: Mutex<DelegatedState>,
}

impl CachedDelegated {
    /// Opens the profile's cache; fails when there is none (not signed in) or it is unsafe.
    pub fn open(cfg: &AuthConfig) -> Result<Self, AuthError> {
        let path = cfg.cache_path()?;
        let entry = cache::load(&path)?.ok_or_else(|| AuthError::NotSignedIn {
            profile: cfg.profile.clone(),
        })?;
        Ok(CachedDelegated {
            endpoints: cfg.endpoints()?,
            client_id: cfg.client_id.trim().to_string(),
            scope: cfg.scope_string()?,
            path,
            http: entra::http_client()?,
            state: Mutex::new(DelegatedState {
                entry: Some(entry),
                stale: false,
            }),
        })
    }

    async fn current(&self) -> Result<String, AuthError> {
        let mut state = self.state.lock().await;
        let mut entry = match state.entry.take() {
            Some(e) => e,
            None => cache::load(&self.path)?.ok_or(AuthError::SessionExpired { error: None })?,
        };
        if state.stale || !fresh(entry.expires_at) {
            // Another process (a second console, `login`) may have renewed the cache and
            // spent our refresh token; a different token on disk is newer than ours.
            if let Ok(Some(disk)) = cache::load(&self.path)
                && disk.access_token != entry.access_token
            {
                entry = disk;
                state.stale = false;
            }
        }
        if !state.stale && fresh(entry.expires_at) {
            let token = entry.access_token.expose().to_string();
            state.entry = Some(entry);
            return Ok(token);
        }
        let still_valid = entry.expires_at > Utc::now() && !state.stale;
        let Some(refresh) = entry.refresh_token.clone() else {
            if still_valid {
                let token = entry.access_token.expose().to_string();
                state.entry = Some(entry);
                return Ok(token);
            }
            return Err(AuthError::SessionExpired { error: None });
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("refresh_token", refresh.expose()),
            ("scope", self.scope.as_str()),
        ];
        match entra::post_form::<TokenResponse>(&self.http, &self.endpoints.token_url(), &form)
            .await
        {
            Ok(Reply::Ok(token)) => {
                let renewed = entry_from_response(token, Some(refresh), entry.account.clone());
                cache::save(&self.path, &renewed)?;
                let token = renewed.access_token.expose().to_string();
                state.entry = Some(renewed);
                state.stale = false;
                Ok(token)
            }
            Ok(Reply::Err(e)) => {
                // Keep the entry so a later call can retry on transient errors; a dead
                // refresh token (invalid_grant / interaction_required) needs a new sign-in.
                state.entry = Some(entry);
                Err(AuthError::SessionExpired {
                    error: Some(Box::new(e)),
                })
            }
            Err(e) => {
                state.entry = Some(entry);
                Err(e)
            }
        }
    }
}

impl TokenSource for CachedDelegated {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        Box::pin(async move { self.current().await.map_err(|e| auth_error(e.to_string())) })
    }

    fn invalidate(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.state.lock().await.stale = true;
        })
    }
}

/// How an app proves itself at the token endpoint.
#[derive(Debug)]
enum Credential {
    /// `client_secret`.
    Secret(Secret),
    /// `client_assertion`: a JWT signed with the app's certificate key, made per request.
    Certificate(Box<ClientCertificate>),
}

/// App-only (client credentials with a secret or a certificate) for the reads delegated
/// scopes cannot reach. Tokens are kept in memory only.
#[derive(Debug)]
pub struct AppOnly {
    endpoints: Endpoints,
    client_id: String,
    credential: Credential,
    http: reqwest::Client,
    state: Mutex<Option<(Secret, DateTime<Utc>)>>,
}

impl AppOnly {
    /// Client credentials with a client secret.
    pub fn new(cfg: &AuthConfig, secret: Secret) -> Result<Self, AuthError> {
        Self::with(cfg, Credential::Secret(secret))
    }

    /// Client credentials with a certificate (signed client assertion).
    pub fn with_certificate(cfg: &AuthConfig, cert: ClientCertificate) -> Result<Self, AuthError> {
        Self::with(cfg, Credential::Certificate(Box::new(cert)))
    }

    fn with(cfg: &AuthConfig, credential: Credential) -> Result<Self, AuthError> {
        let client_id = cfg
            .app_only_client_id
            .as_deref()
            .unwrap_or(&cfg.client_id)
            .trim()
            .to_string();
        Ok(AppOnly {
            endpoints: cfg.endpoints()?,
            client_id,
            credential,
            http: entra::http_client()?,
            state: Mutex::new(None),
        })
    }

    async fn current(&self) -> Result<String, AuthError> {
        let mut state = self.state.lock().await;
        if let Some((token, exp)) = state.as_ref()
            && fresh(*exp)
        {
            return Ok(token.expose().to_string());
        }
        let scope = self.endpoints.default_scope();
        let url = self.endpoints.token_url();
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("scope", scope.as_str()),
        ];
        // Made per request: an assertion lives 10 minutes and its jti must not repeat.
        let assertion;
        let context = match &self.credential {
            Credential::Secret(secret) => {
                form.push(("client_secret", secret.expose()));
                "app-only sign-in (client credentials, secret)"
            }
            Credential::Certificate(cert) => {
                assertion = cert.assertion(&self.client_id, &url, Utc::now().timestamp())?;
                form.push(("client_assertion_type", ASSERTION_TYPE));
                form.push(("client_assertion", assertion.expose()));
                "app-only sign-in (client credentials, certificate)"
            }
        };
        match entra::post_form::<TokenResponse>(&self.http, &url, &form).await? {
            Reply::Ok(t) => {
                let exp = Utc::now()
                    + chrono::Duration::seconds(t.expires_in.unwrap_or(3599).min(86_400) as i64);
                let token = t.access_token.expose().to_string();
                *state = Some((t.access_token, exp));
                Ok(token)
            }
            Reply::Err(e) => Err(credential_hint(super::device::rejection(
                context,
                e,
                &self.endpoints,
            ))),
        }
    }
}

/// Advice for the AADSTS codes of app credentials, added when the sign-in layer has none.
fn credential_hint(err: AuthError) -> AuthError {
    let AuthError::Rejected {
        context,
        error,
        hint,
    } = err
    else {
        return err;
    };
    let codes = error.codes();
    let hint = if !hint.is_empty() {
        hint
    } else if codes.contains(&700027) {
        "the certificate is not registered on this app or the key is not the certificate's: upload the .cer under Certificates & secrets → Certificates, and check app_only_certificate / app_only_key".to_string()
    } else if codes.contains(&700024) {
        "the client assertion is outside its validity window: check this machine's clock"
            .to_string()
    } else if codes.contains(&7000215) {
        "the client secret is not accepted (expired, or its ID instead of its value): put the secret's value in the environment variable".to_string()
    } else {
        hint
    };
    AuthError::Rejected {
        context,
        error,
        hint,
    }
}

impl TokenSource for AppOnly {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        Box::pin(async move { self.current().await.map_err(|e| auth_error(e.to_string())) })
    }

    fn invalidate(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            *self.state.lock().await = None;
        })
    }
}
