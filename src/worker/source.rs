//! `TenantSource`: the reads the worker needs, shaped one-to-one on the Graph client's API
//! (API-CONTRACT.md), so that the worker can be driven by the real client (a thin adapter)
//! or by an in-memory tenant in tests. This module defines shapes only; it performs no IO.

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::stream::BoxStream;

use crate::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, ServicePrincipal, SignIn, SignInPreferences,
    User,
};

pub use crate::graph::{ApiVersion, Page};

/// The code a failed read carries when no token could be had at all (the saved sign-in can
/// no longer be renewed, nobody is signed in): the console offers to sign in again.
pub const SIGN_IN_REQUIRED: &str = "signInRequired";

/// A failed read, as the UI shows it (mirrors the fields of `graph::GraphError` it needs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceError {
    /// HTTP status, when Graph answered.
    pub status: Option<u16>,
    /// Graph error code (e.g. `Authorization_RequestDenied`).
    pub code: Option<String>,
    /// Graph message or transport description. Server text: sanitise before display.
    pub message: String,
    /// Graph `request-id`, to quote to Microsoft support.
    pub request_id: Option<String>,
}

impl SourceError {
    /// An error without HTTP context (transport, cancelled…).
    pub fn message(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }

    /// `403 Authorization_RequestDenied: …` — one line, sanitised.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        if let Some(st) = self.status {
            s.push_str(&st.to_string());
            s.push(' ');
        }
        if let Some(c) = &self.code {
            s.push_str(&crate::sanitize::line_capped(c, 80));
            s.push_str(": ");
        }
        s.push_str(&crate::sanitize::line_capped(&self.message, 300));
        s
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())?;
        if let Some(r) = &self.request_id {
            write!(f, " (request-id {})", crate::sanitize::line_capped(r, 80))?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

impl From<crate::graph::GraphError> for SourceError {
    fn from(e: crate::graph::GraphError) -> Self {
        let message = if e.status.is_some() {
            e.message.clone()
        } else {
            // Transport errors: the one-line Display says what was called and what went wrong.
            e.to_string()
        };
        // A token source's own failure (no HTTP answer) has no Graph code: name it.
        let code = match (&e.kind, e.status) {
            (crate::graph::ErrorKind::Auth, None) => Some(SIGN_IN_REQUIRED.to_owned()),
            _ => e.code,
        };
        Self {
            status: e.status,
            code,
            message,
            request_id: e.request_id,
        }
    }
}

/// A stream of pages, ending after the first error.
pub type PageStream<T> = BoxStream<'static, Result<Page<T>, SourceError>>;

/// The tenant reads of the console, one-to-one with the Graph client's typed API.
pub trait TenantSource: Send + Sync + 'static {
    /// `GET /organization` (first item).
    fn organization(&self) -> BoxFuture<'_, Result<Organization, SourceError>>;
    /// `GET /me` (the analyst).
    fn me(&self) -> BoxFuture<'_, Result<User, SourceError>>;
    /// `GET /users/{id or upn}` with the suspect `$select`; the user and its raw JSON.
    fn user<'a>(
        &'a self,
        id_or_upn: &'a str,
    ) -> BoxFuture<'a, Result<(User, serde_json::Value), SourceError>>;
    /// The user's sign-ins inside `[from, to]`, newest first, page by page.
    fn sign_ins(
        &self,
        v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> PageStream<SignIn>;
    /// The Identity Protection record; `Ok(None)` when Graph has none (404).
    fn risky_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RiskyUser>, SourceError>>;
    /// The risky user's history.
    fn risk_history(&self, user_id: &str) -> PageStream<RiskyUserHistoryItem>;
    /// Risk detections of the user inside `[from, to]`.
    fn risk_detections(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<RiskDetection>;
    /// Registered authentication methods (one page).
    fn auth_methods<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Page<AuthMethod>, SourceError>>;
    /// The user's delegated permission grants.
    fn grants(&self, user_id: &str) -> PageStream<OAuth2PermissionGrant>;
    /// One service principal by object id.
    fn service_principal<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ServicePrincipal, SourceError>>;
    /// Inbox rules of the user's mailbox.
    fn message_rules(&self, user_id: &str) -> PageStream<MessageRule>;
    /// Mail folders of the user's mailbox.
    fn mail_folders(&self, user_id: &str) -> PageStream<MailFolder>;
    /// Directory audits naming the user as target or initiator inside `[from, to]`.
    fn directory_audits(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<DirectoryAudit>;
    /// BETA sign-in preferences; `Ok(None)` when Graph has none.
    fn sign_in_preferences<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<SignInPreferences>, SourceError>>;
    /// Everyone's sign-ins from `ip` inside `[from, to]`.
    fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<SignIn>;
}
