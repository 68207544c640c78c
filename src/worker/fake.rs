//! An in-memory tenant for worker tests: fixed data, optional failures per read, pages of a
//! chosen size. Test-only.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::future::BoxFuture;

use super::source::{ApiVersion, Page, PageStream, SourceError, TenantSource};
use crate::graph::models::*;

/// A tenant held in memory.
#[derive(Default, Clone)]
pub struct FakeTenant {
    pub org: Organization,
    pub me: User,
    pub users: Vec<User>,
    pub sign_ins: Vec<SignIn>,
    pub page_size: usize,
    /// The sign-in stream fails after this many pages.
    pub sign_ins_fail_after: Option<usize>,
    pub risky: Option<RiskyUser>,
    pub history: Vec<RiskyUserHistoryItem>,
    pub detections: Vec<RiskDetection>,
    /// Identity Protection reads answer 403 (no P2 licence).
    pub no_p2: bool,
    pub methods: Vec<AuthMethod>,
    pub grants: Vec<OAuth2PermissionGrant>,
    pub principals: Vec<ServicePrincipal>,
    /// When set, the sign-in stream hangs after its first page and raises this flag when it
    /// is dropped (to observe cancellation).
    pub hang_dropped: Option<Arc<AtomicBool>>,
    /// Beta non-interactive sign-ins (answered when `non_interactive` is asked for).
    pub non_interactive: Vec<SignIn>,
    pub rules: Vec<MessageRule>,
    /// Reading the inbox rules fails with this error.
    pub rules_error: Option<SourceError>,
    pub folders: Vec<MailFolder>,
    pub audits: Vec<DirectoryAudit>,
    pub preferences: Option<SignInPreferences>,
}

/// Raises its flag when dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

pub fn forbidden() -> SourceError {
    SourceError {
        status: Some(403),
        code: Some("Authorization_RequestDenied".into()),
        message: "Insufficient privileges to complete the operation.".into(),
        request_id: Some("0000-req".into()),
    }
}

fn not_found() -> SourceError {
    SourceError {
        status: Some(404),
        code: Some("Request_ResourceNotFound".into()),
        message: "Resource does not exist.".into(),
        request_id: None,
    }
}

fn pages<T: Clone + Send + 'static>(
    items: Vec<T>,
    size: usize,
    fail_after: Option<usize>,
) -> PageStream<T> {
    let size = size.max(1);
    let chunks: Vec<Vec<T>> = items.chunks(size).map(|c| c.to_vec()).collect();
    let n = chunks.len();
    let mut out: Vec<Result<Page<T>, SourceError>> = chunks
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            Ok(Page {
                items,
                raw: serde_json::Value::Null,
                request_id: None,
                number: i + 1,
                has_more: i + 1 < n,
            })
        })
        .collect();
    if let Some(k) = fail_after {
        out.truncate(k);
        out.push(Err(forbidden()));
    }
    Box::pin(futures::stream::iter(out))
}

impl TenantSource for FakeTenant {
    fn organization(&self) -> BoxFuture<'_, Result<Organization, SourceError>> {
        Box::pin(async { Ok(self.org.clone()) })
    }
    fn me(&self) -> BoxFuture<'_, Result<User, SourceError>> {
        Box::pin(async { Ok(self.me.clone()) })
    }
    fn user<'a>(
        &'a self,
        q: &'a str,
    ) -> BoxFuture<'a, Result<(User, serde_json::Value), SourceError>> {
        Box::pin(async move {
            self.users
                .iter()
                .find(|u| u.id == q || u.user_principal_name.raw().eq_ignore_ascii_case(q))
                .map(|u| (u.clone(), serde_json::Value::Null))
                .ok_or_else(not_found)
        })
    }
    fn sign_ins(
        &self,
        _v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> PageStream<SignIn> {
        let source = if non_interactive {
            &self.non_interactive
        } else {
            &self.sign_ins
        };
        let items = source
            .iter()
            .filter(|s| s.user_id == user_id)
            .filter(|s| s.created_date_time.is_some_and(|t| t >= from && t <= to))
            .cloned()
            .collect();
        if non_interactive {
            return pages(items, self.page_size, None);
        }
        let stream = pages(items, self.page_size, self.sign_ins_fail_after);
        match &self.hang_dropped {
            Some(flag) => {
                let guard = DropFlag(flag.clone());
                Box::pin(
                    stream
                        .take(1)
                        .chain(futures::stream::pending())
                        .map(move |p| {
                            let _keep = &guard;
                            p
                        }),
                )
            }
            None => stream,
        }
    }
    fn risky_user<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RiskyUser>, SourceError>> {
        Box::pin(async move {
            if self.no_p2 {
                return Err(forbidden());
            }
            Ok(self.risky.clone())
        })
    }
    fn risk_history(&self, _user_id: &str) -> PageStream<RiskyUserHistoryItem> {
        pages(
            self.history.clone(),
            self.page_size,
            self.no_p2.then_some(0),
        )
    }
    fn risk_detections(
        &self,
        _user_id: &str,
        _from: DateTime<Utc>,
        _to: DateTime<Utc>,
    ) -> PageStream<RiskDetection> {
        pages(
            self.detections.clone(),
            self.page_size,
            self.no_p2.then_some(0),
        )
    }
    fn auth_methods<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Page<AuthMethod>, SourceError>> {
        Box::pin(async move {
            Ok(Page {
                items: self.methods.clone(),
                raw: serde_json::Value::Null,
                request_id: None,
                number: 1,
                has_more: false,
            })
        })
    }
    fn grants(&self, _user_id: &str) -> PageStream<OAuth2PermissionGrant> {
        pages(self.grants.clone(), self.page_size, None)
    }
    fn service_principal<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ServicePrincipal, SourceError>> {
        Box::pin(async move {
            self.principals
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or_else(not_found)
        })
    }
    fn message_rules(&self, _user_id: &str) -> PageStream<MessageRule> {
        match &self.rules_error {
            Some(e) => Box::pin(futures::stream::iter(vec![Err(e.clone())])),
            None => pages(self.rules.clone(), self.page_size, None),
        }
    }
    fn mail_folders(&self, _user_id: &str) -> PageStream<MailFolder> {
        match &self.rules_error {
            Some(e) => Box::pin(futures::stream::iter(vec![Err(e.clone())])),
            None => pages(self.folders.clone(), self.page_size, None),
        }
    }
    fn directory_audits(
        &self,
        _user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<DirectoryAudit> {
        let items = self
            .audits
            .iter()
            .filter(|a| a.activity_date_time.is_some_and(|t| t >= from && t <= to))
            .cloned()
            .collect();
        pages(items, self.page_size, None)
    }
    fn sign_in_preferences<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<SignInPreferences>, SourceError>> {
        Box::pin(async move { Ok(self.preferences.clone()) })
    }
    fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<SignIn> {
        let items = self
            .sign_ins
            .iter()
            .filter(|s| s.ip_address.raw() == ip)
            .filter(|s| s.created_date_time.is_some_and(|t| t >= from && t <= to))
            .cloned()
            .collect();
        pages(items, self.page_size, None)
    }
}
