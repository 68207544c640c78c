//! `MailboxSplit`: a `TenantSource` that reads the suspect's mailbox (inbox rules, mail
//! folders) through the app-only credential and everything else as the signed-in analyst —
//! delegated permissions reach only the analyst's own mailbox (graph-api.md §9), and the
//! app-only token is used for nothing else.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::source::{ApiVersion, Page, PageStream, SourceError, TenantSource};
use crate::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, ServicePrincipal, SignIn, SignInPreferences,
    User,
};

/// Mailbox reads through `mailbox`, every other read through `main`.
pub struct MailboxSplit {
    main: Arc<dyn TenantSource>,
    mailbox: Arc<dyn TenantSource>,
}

impl MailboxSplit {
    pub fn new(main: Arc<dyn TenantSource>, mailbox: Arc<dyn TenantSource>) -> Self {
        MailboxSplit { main, mailbox }
    }
}

impl TenantSource for MailboxSplit {
    fn organization(&self) -> BoxFuture<'_, Result<Organization, SourceError>> {
        self.main.organization()
    }
    fn me(&self) -> BoxFuture<'_, Result<User, SourceError>> {
        self.main.me()
    }
    fn user<'a>(
        &'a self,
        id_or_upn: &'a str,
    ) -> BoxFuture<'a, Result<(User, serde_json::Value), SourceError>> {
        self.main.user(id_or_upn)
    }
    fn sign_ins(
        &self,
        v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> PageStream<SignIn> {
        self.main.sign_ins(v, user_id, from, to, non_interactive)
    }
    fn risky_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RiskyUser>, SourceError>> {
        self.main.risky_user(user_id)
    }
    fn risk_history(&self, user_id: &str) -> PageStream<RiskyUserHistoryItem> {
        self.main.risk_history(user_id)
    }
    fn risk_detections(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<RiskDetection> {
        self.main.risk_detections(user_id, from, to)
    }
    fn auth_methods<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Page<AuthMethod>, SourceError>> {
        self.main.auth_methods(user_id)
    }
    fn grants(&self, user_id: &str) -> PageStream<OAuth2PermissionGrant> {
        self.main.grants(user_id)
    }
    fn service_principal<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ServicePrincipal, SourceError>> {
        self.main.service_principal(id)
    }
    fn message_rules(&self, user_id: &str) -> PageStream<MessageRule> {
        self.mailbox.message_rules(user_id)
    }
    fn mail_folders(&self, user_id: &str) -> PageStream<MailFolder> {
        self.mailbox.mail_folders(user_id)
    }
    fn directory_audits(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<DirectoryAudit> {
        self.main.directory_audits(user_id, from, to)
    }
    fn sign_in_preferences<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<SignInPreferences>, SourceError>> {
        self.main.sign_in_preferences(user_id)
    }
    fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<SignIn> {
        self.main.sign_ins_from_ip(ip, from, to)
    }
}

#[cfg(test)]
mod tests {
    use futures::TryStreamExt as _;

    use super::*;
    use crate::worker::fake::{FakeTenant, forbidden};

    #[tokio::test]
    async fn only_mailbox_reads_go_to_the_mailbox_source() {
        let rule = MessageRule {
            id: "r-app".into(),
            ..MessageRule::default()
        };
        let delegated = FakeTenant {
            rules_error: Some(forbidden()),
            page_size: 10,
            grants: vec![OAuth2PermissionGrant {
                id: "g-delegated".into(),
                ..OAuth2PermissionGrant::default()
            }],
            ..FakeTenant::default()
        };
        let app_only = FakeTenant {
            rules: vec![rule],
            page_size: 10,
            ..FakeTenant::default()
        };
        let split = MailboxSplit::new(Arc::new(delegated), Arc::new(app_only));
        let rules: Vec<_> = split.message_rules("u").try_collect().await.unwrap();
        assert_eq!(rules[0].items[0].id, "r-app");
        assert!(
            split
                .mail_folders("u")
                .try_collect::<Vec<_>>()
                .await
                .is_ok()
        );
        let grants: Vec<_> = split.grants("u").try_collect().await.unwrap();
        assert_eq!(grants[0].items[0].id, "g-delegated");
    }
}
