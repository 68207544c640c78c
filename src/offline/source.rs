//! `OfflineSource`: the console's `TenantSource` over sign-ins loaded from files, so `open`
//! runs the very same worker, panes and analysis with no tenant at all. Everything a file
//! cannot hold (risk, methods, grants…) reads as empty; the directory "user" is built from
//! the sign-ins themselves.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};

use crate::graph::models::{
    AuthMethod, Organization, RiskyUser, ServicePrincipal, SignIn, TenantText, User,
};
use crate::worker::source::{ApiVersion, Page, PageStream, SourceError, TenantSource};

/// Sign-ins from files, served as if a tenant held them.
#[derive(Debug, Clone)]
pub struct OfflineSource {
    sign_ins: Vec<SignIn>,
    users: Vec<User>,
}

impl OfflineSource {
    pub fn new(sign_ins: Vec<SignIn>) -> Self {
        let mut users: HashMap<String, User> = HashMap::new();
        for s in &sign_ins {
            let key = if s.user_id.is_empty() {
                s.user_principal_name.raw().to_ascii_lowercase()
            } else {
                s.user_id.to_string()
            };
            users.entry(key.clone()).or_insert_with(|| User {
                id: key,
                display_name: s.user_display_name.clone(),
                user_principal_name: s.user_principal_name.clone(),
                ..User::default()
            });
        }
        let mut users: Vec<User> = users.into_values().collect();
        users.sort_by(|a, b| a.id.cmp(&b.id));
        Self { sign_ins, users }
    }

    /// The user with the most sign-ins (the usual subject of an export).
    pub fn main_user(&self) -> Option<&User> {
        self.users
            .iter()
            .max_by_key(|u| self.rows_of(&u.id).count())
    }

    /// The span of the data, widened to whole seconds: the natural window of an export.
    pub fn span(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let times = self.sign_ins.iter().filter_map(|s| s.created_date_time);
        let min = times.clone().min()?;
        let max = times.max()?;
        Some((min, max + chrono::Duration::seconds(1)))
    }

    fn rows_of<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a SignIn> + 'a {
        self.sign_ins.iter().filter(move |s| {
            s.user_id == user_id
                || (s.user_id.is_empty()
                    && s.user_principal_name.raw().eq_ignore_ascii_case(user_id))
        })
    }

    fn find(&self, who: &str) -> Option<User> {
        let who = who.trim();
        self.users
            .iter()
            .find(|u| {
                u.id.eq_ignore_ascii_case(who)
                    || u.user_principal_name.raw().eq_ignore_ascii_case(who)
            })
            .cloned()
    }
}

fn empty<T: Send + 'static>() -> PageStream<T> {
    futures::stream::iter(Vec::<Result<Page<T>, SourceError>>::new()).boxed()
}

fn not_in_files(what: &str) -> SourceError {
    SourceError::message(format!(
        "{what} is not in the loaded files (offline analysis)"
    ))
}

impl TenantSource for OfflineSource {
    fn organization(&self) -> BoxFuture<'_, Result<Organization, SourceError>> {
        async move {
            Ok(Organization {
                display_name: TenantText::new("offline files"),
                ..Organization::default()
            })
        }
        .boxed()
    }
    fn me(&self) -> BoxFuture<'_, Result<User, SourceError>> {
        async move { Err(not_in_files("the signed-in analyst")) }.boxed()
    }
    fn user<'a>(
        &'a self,
        id_or_upn: &'a str,
    ) -> BoxFuture<'a, Result<(User, serde_json::Value), SourceError>> {
        async move {
            match self.find(id_or_upn) {
                Some(u) => {
                    let raw = serde_json::to_value(&u).unwrap_or_default();
                    Ok((u, raw))
                }
                None => Err(SourceError {
                    status: Some(404),
                    code: Some("Request_ResourceNotFound".into()),
                    message: format!(
                        "no sign-ins of {} in the loaded files",
                        crate::sanitize::line(id_or_upn)
                    ),
                    request_id: None,
                }),
            }
        }
        .boxed()
    }
    fn sign_ins(
        &self,
        _v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> PageStream<SignIn> {
        let items: Vec<SignIn> = self
            .rows_of(user_id)
            .filter(|s| s.created_date_time.is_some_and(|t| t >= from && t <= to))
            .filter(|s| s.interactive() != non_interactive)
            .cloned()
            .collect();
        let page = Page {
            items,
            raw: serde_json::Value::Null,
            request_id: None,
            number: 1,
            has_more: false,
        };
        futures::stream::iter(vec![Ok(page)]).boxed()
    }
    fn risky_user<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RiskyUser>, SourceError>> {
        async move { Ok(None) }.boxed()
    }
    fn risk_history(
        &self,
        _user_id: &str,
    ) -> PageStream<crate::graph::models::RiskyUserHistoryItem> {
        empty()
    }
    fn risk_detections(
        &self,
        _user_id: &str,
        _from: DateTime<Utc>,
        _to: DateTime<Utc>,
    ) -> PageStream<crate::graph::models::RiskDetection> {
        empty()
    }
    fn auth_methods<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Page<AuthMethod>, SourceError>> {
        async move { Err(not_in_files("authentication methods")) }.boxed()
    }
    fn grants(&self, _user_id: &str) -> PageStream<crate::graph::models::OAuth2PermissionGrant> {
        empty()
    }
    fn service_principal<'a>(
        &'a self,
        _id: &'a str,
    ) -> BoxFuture<'a, Result<ServicePrincipal, SourceError>> {
        async move { Err(not_in_files("applications")) }.boxed()
    }
    fn message_rules(&self, _user_id: &str) -> PageStream<crate::graph::models::MessageRule> {
        futures::stream::iter(vec![Err(not_in_files("inbox rules"))]).boxed()
    }
    fn mail_folders(&self, _user_id: &str) -> PageStream<crate::graph::models::MailFolder> {
        empty()
    }
    fn directory_audits(
        &self,
        _user_id: &str,
        _from: DateTime<Utc>,
        _to: DateTime<Utc>,
    ) -> PageStream<crate::graph::models::DirectoryAudit> {
        futures::stream::iter(vec![Err(not_in_files("the directory audit log"))]).boxed()
    }
    fn sign_in_preferences<'a>(
        &'a self,
        _user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<crate::graph::models::SignInPreferences>, SourceError>> {
        async move { Ok(None) }.boxed()
    }
    fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<SignIn> {
        let items: Vec<SignIn> = self
            .sign_ins
            .iter()
            .filter(|s| s.ip_address.raw() == ip)
            .filter(|s| s.created_date_time.is_some_and(|t| t >= from && t <= to))
            .cloned()
            .collect();
        let page = Page {
            items,
            raw: serde_json::Value::Null,
            request_id: None,
            number: 1,
            has_more: false,
        };
        futures::stream::iter(vec![Ok(page)]).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn serves_the_main_user_and_their_sign_ins() {
        let rows: Vec<SignIn> = serde_json::from_value(serde_json::json!([
            {"id": "1", "userId": "u1", "userPrincipalName": "a@x.test", "createdDateTime": "2026-11-01T08:00:00Z"},
            {"id": "2", "userId": "u1", "userPrincipalName": "a@x.test", "createdDateTime": "2026-11-02T08:00:00Z"},
            {"id": "3", "userId": "u2", "userPrincipalName": "b@x.test", "createdDateTime": "2026-11-02T09:00:00Z"}
        ]))
        .unwrap();
        let src = OfflineSource::new(rows);
        assert_eq!(src.main_user().unwrap().id, "u1");
        let (from, to) = src.span().unwrap();
        let (u, _) = src.user("A@X.TEST").await.unwrap();
        let pages: Vec<_> = src
            .sign_ins(ApiVersion::V1, &u.id, from, to, false)
            .collect()
            .await;
        assert_eq!(pages[0].as_ref().unwrap().items.len(), 2);
        assert!(src.user("nobody").await.is_err());
    }
}
