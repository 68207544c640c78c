//! Reading a JWT's claims WITHOUT verifying it (the token is ours, from the token endpoint or
//! the environment; Graph does the verifying), and the `whoami` summary built from them.

use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};

use super::scopes::{Feature, Granted};

/// The claims the console cares about. Unknown claims are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Delegated scopes, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<String>,
    /// Application roles (app-only tokens).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tenant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// Object id of the user (or service principal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    /// Client app id (v1 tokens) / authorized party (v2 tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Expiry, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

/// Why a token's claims could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the token is not a JWT (expected three dot-separated parts)")]
    NotJwt,
    #[error("the token's payload is not base64url")]
    Base64,
    #[error("the token's payload is not a JSON object of claims")]
    Json,
}

/// Decodes the payload of a JWT (header.payload.signature) without checking the signature.
pub fn decode(token: &str) -> Result<Claims, ClaimsError> {
    let mut parts = token.trim().split('.');
    let (Some(_header), Some(payload), Some(_sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotJwt);
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ClaimsError::Base64)?;
    serde_json::from_slice(&bytes).map_err(|_| ClaimsError::Json)
}

impl Claims {
    /// Delegated scopes as a list (empty for app-only tokens).
    pub fn scopes(&self) -> Vec<String> {
        self.scp
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// The signed-in account: `upn`, else `preferred_username`, else `unique_name`.
    pub fn account(&self) -> Option<&str> {
        self.upn
            .as_deref()
            .or(self.preferred_username.as_deref())
            .or(self.unique_name.as_deref())
    }

    /// True for a client-credentials token (roles, no delegated scopes).
    pub fn is_app_only(&self) -> bool {
        self.scp.is_none() && !self.roles.is_empty()
    }

    /// Expiry as a time.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.exp.and_then(|e| Utc.timestamp_opt(e, 0).single())
    }

    /// The permissions, for feature checks.
    pub fn granted(&self) -> Granted {
        let scopes = self.scopes();
        Granted::new(
            scopes.iter().map(String::as_str),
            self.roles.iter().map(String::as_str),
        )
    }
}

/// Where the token `whoami` describes came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOrigin {
    /// `ENTRA_TRIAGE_TOKEN`.
    Environment,
    /// The profile's token cache.
    Cache(std::path::PathBuf),
    /// Client credentials.
    AppOnly,
}

/// What `whoami` prints: who, which tenant, what the token may do, until when. Never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoAmI {
    pub origin: TokenOrigin,
    pub profile: String,
    pub account: Option<String>,
    pub tenant_id: Option<String>,
    pub scopes: Vec<String>,
    pub roles: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// True when the cache also holds a refresh token (silent renewal possible).
    pub can_refresh: bool,
    /// One line per feature that the token does not unlock.
    pub missing: Vec<String>,
}

impl WhoAmI {
    /// Builds the summary from the token's claims (the token itself is not kept).
    pub fn from_claims(
        claims: &Claims,
        origin: TokenOrigin,
        profile: &str,
        can_refresh: bool,
    ) -> Self {
        let granted = claims.granted();
        let missing = Feature::ALL
            .iter()
            .filter_map(|f| granted.check(*f).message())
            .collect();
        WhoAmI {
            origin,
            profile: profile.to_string(),
            account: claims.account().map(str::to_string),
            tenant_id: claims.tid.clone(),
            scopes: claims.scopes(),
            roles: claims.roles.clone(),
            expires_at: claims.expires_at(),
            can_refresh,
            missing,
        }
    }

    /// The text, with expiry judged against `now`.
    pub fn render(&self, now: DateTime<Utc>) -> String {
        let mut out = String::new();
        let origin = match &self.origin {
            TokenOrigin::Environment => "ENTRA_TRIAGE_TOKEN (not cached)".to_string(),
            TokenOrigin::Cache(p) => format!("token cache {}", p.display()),
            TokenOrigin::AppOnly => "app-only (client credentials)".to_string(),
        };
        let line = |out: &mut String, k: &str, v: &str| out.push_str(&format!("{k:<10} {v}\n"));
        line(
            &mut out,
            "account",
            self.account.as_deref().unwrap_or("(unknown)"),
        );
        line(
            &mut out,
            "tenant",
            self.tenant_id.as_deref().unwrap_or("(unknown)"),
        );
        line(&mut out, "profile", &self.profile);
        line(&mut out, "source", &origin);
        let expiry = match self.expires_at {
            Some(t) if t > now => format!(
                "{} (in {} min)",
                t.format("%Y-%m-%d %H:%M:%SZ"),
                (t - now).num_minutes()
            ),
            Some(t) if self.can_refresh => {
                format!(
                    "{} (expired; renewed silently on next use)",
                    t.format("%Y-%m-%d %H:%M:%SZ")
                )
            }
            Some(t) => format!("{} (EXPIRED)", t.format("%Y-%m-%d %H:%M:%SZ")),
            None => "(unknown)".to_string(),
        };
        line(&mut out, "expires", &expiry);
        if !self.scopes.is_empty() {
            line(&mut out, "scopes", &self.scopes.join(" "));
        }
        if !self.roles.is_empty() {
            line(&mut out, "roles", &self.roles.join(" "));
        }
        if self.scopes.is_empty() && self.roles.is_empty() {
            line(&mut out, "scopes", "(none)");
        }
        if self.origin == TokenOrigin::Environment {
            line(
                &mut out,
                "console",
                "pre-flight off: with ENTRA_TRIAGE_TOKEN the console does not skip panes in advance; each pane says what Graph refuses",
            );
        }
        if self.missing.is_empty() {
            out.push_str("every pane and action is available (roles permitting)\n");
        } else {
            out.push_str("unavailable:\n");
            for m in &self.missing {
                out.push_str(&format!("  - {m}\n"));
            }
        }
        out
    }
}

impl fmt::Display for WhoAmI {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Utc::now()))
    }
}

/// Builds an unsigned JWT-shaped token (`alg: none`) carrying `claims` — for the simulator
/// and tests. Never sent to a real service.
pub fn unsigned_jwt(claims: &serde_json::Value, signature: &str) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = b64(br#"{"typ":"JWT","alg":"none"}"#);
    let payload = b64(claims.to_string().as_bytes());
    format!("{header}.{payload}.{}", b64(signature.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_delegated_token() {
        let t = unsigned_jwt(
            &json!({"scp": "User.Read.All AuditLog.Read.All", "upn": "ana@contoso.com", "tid": "t-1", "exp": 1_800_000_000, "extra": [1]}),
            "sig",
        );
        let c = decode(&t).unwrap();
        assert_eq!(c.scopes(), vec!["User.Read.All", "AuditLog.Read.All"]);
        assert_eq!(c.account(), Some("ana@contoso.com"));
        assert_eq!(c.tid.as_deref(), Some("t-1"));
        assert!(!c.is_app_only());
        assert_eq!(c.expires_at().unwrap().timestamp(), 1_800_000_000);
    }

    #[test]
    fn decodes_app_token_and_preferred_username() {
        let t = unsigned_jwt(
            &json!({"roles": ["MailboxSettings.Read"], "preferred_username": "x@y"}),
            "s",
        );
        let c = decode(&t).unwrap();
        assert!(c.is_app_only());
        assert_eq!(c.account(), Some("x@y"));
    }

    #[test]
    fn rejects_non_jwt() {
        assert_eq!(decode("opaque"), Err(ClaimsError::NotJwt));
        assert_eq!(decode("a.b.c.d"), Err(ClaimsError::NotJwt));
        assert_eq!(decode("a.!!!.c"), Err(ClaimsError::Base64));
        assert_eq!(decode("a.bm90anNvbg.c"), Err(ClaimsError::Json));
    }

    #[test]
    fn whoami_names_missing_scopes_and_never_the_token() {
        let t = unsigned_jwt(
            &json!({"scp": "User.Read.All", "upn": "ana@contoso.com", "tid": "t-1", "exp": 2_000_000_000}),
            "sig",
        );
        let w = WhoAmI::from_claims(
            &decode(&t).unwrap(),
            TokenOrigin::Environment,
            "default",
            false,
        );
        let now = Utc.timestamp_opt(1_999_996_400, 0).single().unwrap();
        let text = w.render(now);
        assert!(text.contains("ana@contoso.com"), "{text}");
        assert!(text.contains("t-1"));
        assert!(text.contains("(in 60 min)"), "{text}");
        assert!(text.contains("Sign-in logs: skipped — the token lacks the delegated scopes AuditLog.Read.All + Directory.Read.All"), "{text}");
        assert!(!text.contains(&t));
        assert!(!format!("{w:?}").contains(&t));
        assert!(text.contains("pre-flight off"), "{text}");
        let cached = WhoAmI::from_claims(
            &decode(&t).unwrap(),
            TokenOrigin::Cache("/x".into()),
            "default",
            true,
        );
        assert!(!cached.render(now).contains("pre-flight off"));
    }
}
