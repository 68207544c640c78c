//! Signing the analyst in: device-code sign-in, the per-profile token cache, silent refresh,
//! app-only tokens for the few reads delegated scopes cannot reach, and what a token may do.
//!
//! Entry points: [`login`], [`logout`], [`whoami`], [`token_source`], [`app_only_source`].
//! Tokens are held in [`Secret`] (zeroed on drop, never printed); no error or `Debug` output
//! contains one.

pub mod cache;
pub mod certificate;
pub mod claims;
pub mod cloud;
pub mod device;
pub mod entra;
pub mod features;
pub mod scopes;
pub mod secret;
pub mod source;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use certificate::ClientCertificate;
pub use claims::{Claims, TokenOrigin, WhoAmI};
pub use cloud::{Cloud, Endpoints};
pub use device::{DeviceCodePrompt, DeviceProgress, PollTiming};
pub use entra::EntraError;
pub use scopes::{Availability, Feature, Granted};
pub use secret::Secret;
pub use source::{AppOnly, CachedDelegated, EnvToken};

use crate::graph::TokenSource;

/// Environment variable holding a pre-obtained access token (contracts.md §1).
pub const TOKEN_ENV: &str = "ENTRA_TRIAGE_TOKEN";
/// Default environment variable for the app-only client secret.
pub const DEFAULT_SECRET_ENV: &str = "ENTRA_TRIAGE_CLIENT_SECRET";

/// Everything sign-in needs; built by the CLI/config layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    pub cloud: Cloud,
    /// `--authority-url`: replaces the cloud's sign-in root.
    pub authority_url: Option<String>,
    /// `--graph-url`: replaces the cloud's Graph root.
    pub graph_url: Option<String>,
    /// Tenant id, verified domain, `organizations` or `common`.
    pub tenant: String,
    /// The app registration (public client).
    pub client_id: String,
    /// Directory holding the token caches (the data dir is chosen by the caller).
    pub cache_dir: PathBuf,
    /// Tenant profile name; one cache file each.
    pub profile: String,
    /// Name of the environment variable holding the app-only client secret.
    pub client_secret_env: Option<String>,
    /// App-only certificate credential: PEM with the certificate (and the private key unless
    /// `app_only_key` is set). When set, it is used instead of a client secret.
    pub app_only_certificate: Option<PathBuf>,
    /// PEM with the private key, when it is not in `app_only_certificate`'s file.
    pub app_only_key: Option<PathBuf>,
    /// A separate (confidential) app registration for app-only; default: `client_id`.
    pub app_only_client_id: Option<String>,
    /// Device-code poll pacing (defaults: 1 s floor, RFC 8628's 5 s slow_down step).
    pub poll: PollTiming,
}

impl AuthConfig {
    /// A global-cloud config for profile `default` with no overrides.
    pub fn new(
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        cache_dir: impl Into<PathBuf>,
    ) -> Self {
        AuthConfig {
            cloud: Cloud::Global,
            authority_url: None,
            graph_url: None,
            tenant: tenant.into(),
            client_id: client_id.into(),
            cache_dir: cache_dir.into(),
            profile: "default".to_string(),
            client_secret_env: None,
            app_only_certificate: None,
            app_only_key: None,
            app_only_client_id: None,
            poll: PollTiming::default(),
        }
    }

    /// Endpoints after cloud defaults and overrides.
    pub fn endpoints(&self) -> Result<Endpoints, AuthError> {
        Endpoints::resolve(
            self.cloud,
            &self.tenant,
            self.authority_url.as_deref(),
            self.graph_url.as_deref(),
        )
    }

    /// This profile's cache file.
    pub fn cache_path(&self) -> Result<PathBuf, AuthError> {
        cache::cache_path(&self.cache_dir, &self.profile)
    }

    /// The scope string of a device-code sign-in and of refreshes.
    pub fn scope_string(&self) -> Result<String, AuthError> {
        let ep = self.endpoints()?;
        Ok(scopes::requested_scopes(|s| ep.qualify(s)))
    }

    fn client_id(&self) -> Result<&str, AuthError> {
        let id = self.client_id.trim();
        if id.is_empty() {
            return Err(AuthError::Config(
                "no client id: register an app (docs/sign-in.md) and pass --client-id".to_string(),
            ));
        }
        Ok(id)
    }
}

/// Why signing in, or getting a token, failed. Texts are meant for the analyst.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("configuration: {0}")]
    Config(String),
    #[error(
        "the sign-in was declined on the verification page; run `entra-triage login` to try again"
    )]
    Declined,
    #[error(
        "the code {user_code} expired before it was approved ({minutes} min); run `entra-triage login` to get a new one"
    )]
    Expired { user_code: String, minutes: u64 },
    #[error(
        "sign-in blocked, apparently by Conditional Access: {error}\n\
         Device-code sign-in may be disabled for this tenant (authentication-flows condition). Alternatives:\n\
         \x20 - set ENTRA_TRIAGE_TOKEN to a token obtained elsewhere, e.g.\n\
         \x20   ENTRA_TRIAGE_TOKEN=$(az account get-access-token --resource {graph_root} --query accessToken -o tsv)\n\
         \x20 - use app-only (client credentials) for reads; see docs/sign-in.md"
    )]
    ConditionalAccess {
        error: Box<EntraError>,
        graph_root: String,
    },
    #[error("{context} failed: {error}{}", if hint.is_empty() { String::new() } else { format!("\nhint: {hint}") })]
    Rejected {
        context: String,
        error: Box<EntraError>,
        hint: String,
    },
    #[error(
        "not signed in for profile {profile:?}: run `entra-triage login` (or set ENTRA_TRIAGE_TOKEN)"
    )]
    NotSignedIn { profile: String },
    #[error("the saved sign-in can no longer be renewed{}; run `entra-triage login`", match error { Some(e) => format!(" ({e})"), None => String::new() })]
    SessionExpired { error: Option<Box<EntraError>> },
    #[error("refusing the token cache {path}: it is readable or writable by group or others (mode {mode:04o}); run `chmod 600 {path}`", path = path.display())]
    CacheInsecure { path: PathBuf, mode: u32 },
    #[error("token cache {path}: {what} failed: {source}", path = path.display())]
    Cache {
        path: PathBuf,
        what: String,
        source: std::io::Error,
    },
    #[error("token cache {path} is damaged ({detail}); run `entra-triage logout` and sign in again", path = path.display())]
    CacheCorrupt { path: PathBuf, detail: String },
    #[error(
        "app-only sign-in needs the client secret in the environment variable {var}, which is not set"
    )]
    MissingSecret { var: String },
    #[error("refusing the private key {path}: it is readable or writable by group or others (mode {mode:04o}); run `chmod 600 {path}`", path = path.display())]
    KeyInsecure { path: PathBuf, mode: u32 },
    #[error("app-only certificate {path}: {detail}", path = path.display())]
    Certificate { path: PathBuf, detail: String },
    #[error("network: {0}")]
    Transport(String),
    #[error("unexpected answer from the sign-in service: {0}")]
    Protocol(String),
}

/// The result of a successful `login` (no token inside; get one from [`token_source`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Option<String>,
    pub tenant_id: Option<String>,
    pub scopes: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub cache_path: PathBuf,
}

/// Device-code sign-in. `notify` is called once with the code to show; the future resolves
/// when the code is approved (token cached), declined or expired. Drop it to cancel.
pub async fn login(
    cfg: &AuthConfig,
    notify: impl Fn(&DeviceCodePrompt),
) -> Result<Session, AuthError> {
    let progress = |p: DeviceProgress| {
        if let DeviceProgress::Code(prompt) = p {
            notify(&prompt);
        }
    };
    login_with_progress(cfg, progress).await
}

/// [`login`], reporting every step of the wait (code, pending, slow_down, retry) through
/// `progress` — for the console's sign-in screen.
pub async fn login_with_progress(
    cfg: &AuthConfig,
    progress: impl Fn(DeviceProgress),
) -> Result<Session, AuthError> {
    let endpoints = cfg.endpoints()?;
    let path = cfg.cache_path()?;
    let client_id = cfg.client_id()?;
    let http = entra::http_client()?;
    let scope = scopes::requested_scopes(|s| endpoints.qualify(s));
    let token =
        device::sign_in_with_progress(&http, &endpoints, client_id, &scope, cfg.poll, progress)
            .await?;
    let entry = source::entry_from_response(token, None, None);
    cache::save(&path, &entry)?;
    Ok(Session {
        account: entry.account.clone(),
        tenant_id: entry.tenant_id.clone(),
        scopes: entry.scope.split_whitespace().map(str::to_string).collect(),
        expires_at: entry.expires_at,
        cache_path: path,
    })
}

/// Deletes this profile's token cache; `Ok(true)` when there was one. (Tokens already issued
/// stay valid at Microsoft until they expire.)
pub fn logout(cfg: &AuthConfig) -> Result<bool, AuthError> {
    cache::remove(&cfg.cache_path()?)
}

/// Who the current token belongs to and what it may do: `ENTRA_TRIAGE_TOKEN` if set, else the
/// profile's cache. Reads no network.
pub fn whoami(cfg: &AuthConfig) -> Result<WhoAmI, AuthError> {
    whoami_with(cfg, env_token())
}

/// [`whoami`] with the environment token passed in (for tests and callers that read env).
pub fn whoami_with(cfg: &AuthConfig, env: Option<Secret>) -> Result<WhoAmI, AuthError> {
    if let Some(token) = env {
        let Ok(claims) = claims::decode(token.expose()) else {
            // An opaque token (not a JWT): nothing can be read locally, so claim nothing.
            let mut who = WhoAmI::from_claims(
                &Claims::default(),
                TokenOrigin::Environment,
                &cfg.profile,
                false,
            );
            who.missing = vec![
                "the token is opaque (not a JWT): its scopes cannot be read locally; each pane will say what Graph refuses".to_string(),
            ];
            return Ok(who);
        };
        return Ok(WhoAmI::from_claims(
            &claims,
            TokenOrigin::Environment,
            &cfg.profile,
            false,
        ));
    }
    let path = cfg.cache_path()?;
    let entry = cache::load(&path)?.ok_or_else(|| AuthError::NotSignedIn {
        profile: cfg.profile.clone(),
    })?;
    let mut claims = claims::decode(entry.access_token.expose()).unwrap_or_default();
    // Opaque tokens: fall back on what the cache recorded.
    if claims.scp.is_none() && claims.roles.is_empty() && !entry.scope.is_empty() {
        claims.scp = Some(
            entry
                .scope
                .split_whitespace()
                .map(|s| s.rsplit('/').next().unwrap_or(s))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if claims.account().is_none() {
        claims.upn = entry.account.clone();
    }
    claims.tid = claims.tid.or_else(|| entry.tenant_id.clone());
    claims.exp = claims.exp.or(Some(entry.expires_at.timestamp()));
    Ok(WhoAmI::from_claims(
        &claims,
        TokenOrigin::Cache(path),
        &cfg.profile,
        entry.refresh_token.is_some(),
    ))
}

/// The token source for Graph calls: `ENTRA_TRIAGE_TOKEN` when set (nothing cached), else the
/// profile's cache with silent refresh. Fails with "run `entra-triage login`" when neither.
pub fn token_source(cfg: &AuthConfig) -> Result<Arc<dyn TokenSource>, AuthError> {
    token_source_with(cfg, env_token())
}

/// [`token_source`] with the environment token passed in.
pub fn token_source_with(
    cfg: &AuthConfig,
    env: Option<Secret>,
) -> Result<Arc<dyn TokenSource>, AuthError> {
    if let Some(token) = env {
        return Ok(Arc::new(EnvToken::new(token)));
    }
    Ok(Arc::new(CachedDelegated::open(cfg)?))
}

/// App-only (client credentials) token source, for reads delegated scopes cannot reach
/// (another user's inbox rules): the certificate of `cfg.app_only_certificate` when set, else
/// the secret in `cfg.client_secret_env` (default `ENTRA_TRIAGE_CLIENT_SECRET`).
pub fn app_only_source(cfg: &AuthConfig) -> Result<Arc<dyn TokenSource>, AuthError> {
    if let Some(cert) = &cfg.app_only_certificate {
        let cert = ClientCertificate::load(cert, cfg.app_only_key.as_deref())?;
        return Ok(Arc::new(AppOnly::with_certificate(cfg, cert)?));
    }
    let var = cfg
        .client_secret_env
        .clone()
        .unwrap_or_else(|| DEFAULT_SECRET_ENV.to_string());
    let secret = std::env::var(&var)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(Secret::new);
    let secret = secret.ok_or(AuthError::MissingSecret { var })?;
    Ok(Arc::new(AppOnly::new(cfg, secret)?))
}

/// Whether app-only credentials are configured at all: a certificate, or a non-blank secret
/// in the configured (or default) environment variable. Reads no file.
pub fn app_only_configured(cfg: &AuthConfig) -> bool {
    cfg.app_only_certificate.is_some()
        || std::env::var(
            cfg.client_secret_env
                .as_deref()
                .unwrap_or(DEFAULT_SECRET_ENV),
        )
        .is_ok_and(|s| !s.trim().is_empty())
}

/// `ENTRA_TRIAGE_TOKEN`, when set and not blank (a leading `Bearer ` is dropped).
pub fn env_token() -> Option<Secret> {
    let raw = zeroize::Zeroizing::new(std::env::var(TOKEN_ENV).ok()?);
    let t = raw.trim();
    let t = t.strip_prefix("Bearer ").unwrap_or(t).trim();
    (!t.is_empty()).then(|| Secret::new(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}

    #[test]
    fn login_future_is_send_so_the_console_can_spawn_it() {
        let cfg = AuthConfig::new("contoso.com", "id", "/nonexistent");
        let fut = login(&cfg, |_p: &DeviceCodePrompt| {});
        is_send(&fut);
    }

    #[tokio::test]
    async fn env_token_expired_or_rejected_says_so() {
        let expired = claims::unsigned_jwt(
            &serde_json::json!({"exp": 1_000_000_000, "scp": "User.Read.All"}),
            "s",
        );
        let src = EnvToken::new(Secret::new(expired.clone()));
        let err = src.token().await.unwrap_err();
        assert!(
            err.message
                .contains("ENTRA_TRIAGE_TOKEN expired at 2001-09-09"),
            "{}",
            err.message
        );
        assert!(!err.message.contains(&expired));

        let live = claims::unsigned_jwt(&serde_json::json!({"exp": 4_000_000_000_i64}), "s");
        let src = EnvToken::new(Secret::new(live.clone()));
        assert_eq!(src.token().await.unwrap(), live);
        src.invalidate().await;
        let err = src.token().await.unwrap_err();
        assert!(
            err.message.contains("Graph rejected ENTRA_TRIAGE_TOKEN"),
            "{}",
            err.message
        );

        let opaque = EnvToken::new(Secret::new("opaque-token"));
        assert_eq!(opaque.token().await.unwrap(), "opaque-token");
    }

    #[test]
    fn whoami_without_sign_in_says_run_login() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = AuthConfig::new("contoso.com", "id", dir.path());
        let err = whoami_with(&cfg, None).unwrap_err();
        assert!(
            err.to_string().contains("run `entra-triage login`"),
            "{err}"
        );
        assert!(!logout(&cfg).unwrap());
    }
}
