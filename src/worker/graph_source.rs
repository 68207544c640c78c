//! The real `TenantSource`: a thin adapter from the worker's reads to `GraphClient`'s typed
//! API. No logic lives here — only error mapping — so the worker drives the very client that
//! the headless report and every other command use.

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};

use super::source::{ApiVersion, Page, PageStream, SourceError, TenantSource};
use crate::graph::GraphClient;
use crate::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, Organization, RiskyUser, ServicePrincipal,
    SignIn, SignInPreferences, User,
};

fn map_stream<T: Send + 'static>(
    s: futures::stream::BoxStream<'static, Result<Page<T>, crate::graph::GraphError>>,
) -> PageStream<T> {
    s.map(|r| r.map_err(SourceError::from)).boxed()
}

impl TenantSource for GraphClient {
    fn organization(&self) -> BoxFuture<'_, Result<Organization, SourceError>> {
        async move { Ok(GraphClient::organization(self).await?) }.boxed()
    }
    fn me(&self) -> BoxFuture<'_, Result<User, SourceError>> {
        async move { Ok(GraphClient::me(self).await?) }.boxed()
    }
    fn user<'a>(
        &'a self,
        id_or_upn: &'a str,
    ) -> BoxFuture<'a, Result<(User, serde_json::Value), SourceError>> {
        async move { Ok(GraphClient::user(self, id_or_upn).await?) }.boxed()
    }
    fn sign_ins(
        &self,
        v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> PageStream<crate::graph::models::SignIn> {
        map_stream(GraphClient::sign_ins(
            self,
            v,
            user_id,
            from,
            to,
            non_interactive,
        ))
    }
    fn risky_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<RiskyUser>, SourceError>> {
        async move { Ok(GraphClient::risky_user(self, user_id).await?) }.boxed()
    }
    fn risk_history(
        &self,
        user_id: &str,
    ) -> PageStream<crate::graph::models::RiskyUserHistoryItem> {
        map_stream(GraphClient::risk_history(self, user_id))
    }
    fn risk_detections(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<crate::graph::models::RiskDetection> {
        map_stream(GraphClient::risk_detections(self, user_id, from, to))
    }
    fn auth_methods<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Page<AuthMethod>, SourceError>> {
        async move { Ok(GraphClient::auth_methods(self, user_id).await?) }.boxed()
    }
    fn grants(&self, user_id: &str) -> PageStream<crate::graph::models::OAuth2PermissionGrant> {
        map_stream(GraphClient::grants(self, user_id))
    }
    fn service_principal<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ServicePrincipal, SourceError>> {
        async move { Ok(GraphClient::service_principal(self, id).await?) }.boxed()
    }
    fn message_rules(&self, user_id: &str) -> PageStream<MessageRule> {
        map_stream(GraphClient::message_rules(self, user_id))
    }
    fn mail_folders(&self, user_id: &str) -> PageStream<MailFolder> {
        map_stream(GraphClient::mail_folders(self, user_id))
    }
    fn directory_audits(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<DirectoryAudit> {
        map_stream(GraphClient::directory_audits(self, user_id, from, to))
    }
    fn sign_in_preferences<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<SignInPreferences>, SourceError>> {
        async move { Ok(GraphClient::sign_in_preferences(self, user_id).await?) }.boxed()
    }
    fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PageStream<SignIn> {
        map_stream(GraphClient::sign_ins_from_ip(self, ip, from, to))
    }
}
