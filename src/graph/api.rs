//! Typed reads used by the worker and the headless report: the exact Graph paths, `$filter`,
//! `$select` and `$top` of each (graph-api.md §3–§10), with every value quoted and encoded
//! through `odata`. The path builders are plain functions so they can be tested and reused.
//! Reads only: mutations go through [`GraphClient::send`].

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use super::client::{ApiVersion, GraphClient, Page};
use super::error::{ErrorKind, GraphError};
use super::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, SERVICE_PRINCIPAL_SELECT, ServicePrincipal,
    SignIn, SignInPreferences, USER_SELECT, User,
};
use super::odata::{Query, datetime, datetime_ceil, quote, segment};

/// `$top` for sign-ins (the documented maximum).
pub const SIGN_INS_TOP: u32 = 1000;
/// `$top` for risk detections (the documented maximum).
pub const RISK_DETECTIONS_TOP: u32 = 500;
/// `$top` for directory audits (maximum undocumented; 500 is safe).
pub const DIRECTORY_AUDITS_TOP: u32 = 500;
/// `$select` for `/me`.
pub const ME_SELECT: &str = "id,displayName,userPrincipalName";

/// `/users/{id}` — or `/users('{upn}')` when the key starts with `$` (or is only dots),
/// which the plain form cannot address (graph-api.md §3).
pub fn user_path(id_or_upn: &str) -> String {
    let key = id_or_upn.trim();
    if key.starts_with('$') || key.chars().all(|c| c == '.') {
        format!("/users('{}')", segment(&key.replace('\'', "''")))
    } else {
        format!("/users/{}", segment(key))
    }
}

/// `$select` of a user without `signInActivity` (tenants without P1).
pub fn user_select_without_activity() -> String {
    USER_SELECT
        .split(',')
        .filter(|f| *f != "signInActivity")
        .collect::<Vec<_>>()
        .join(",")
}

/// `userId eq '…'`, or `userPrincipalName eq '…'` (lower-case) when given a UPN.
fn subject_clause(user_id_or_upn: &str) -> String {
    if user_id_or_upn.contains('@') {
        format!(
            "userPrincipalName eq {}",
            quote(&user_id_or_upn.to_lowercase())
        )
    } else {
        format!("userId eq {}", quote(user_id_or_upn))
    }
}

fn range(field: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    format!(
        "{field} ge {} and {field} le {}",
        datetime(from),
        datetime_ceil(to)
    )
}

/// Sign-ins of one user in `[from, to]`. With `non_interactive`, only non-interactive
/// sign-ins (`signInEventTypes` exists on beta only; v1.0 rejects the filter).
pub fn sign_ins_path(
    user_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    non_interactive: bool,
) -> String {
    let mut filter = format!(
        "{} and {}",
        subject_clause(user_id),
        range("createdDateTime", from, to)
    );
    if non_interactive {
        // Both kinds in one beta query: non-interactive rows for the toggle and token replay,
        // interactive rows for their beta-only fields (authentication protocol and details).
        filter.push_str(
            " and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
        );
    }
    format!(
        "/auditLogs/signIns{}",
        Query::new().filter(filter).top(SIGN_INS_TOP).build()
    )
}

/// Sign-ins of anyone from one IP address in `[from, to]` (pivot).
pub fn sign_ins_from_ip_path(ip: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let filter = format!(
        "ipAddress eq {} and {}",
        quote(ip.trim()),
        range("createdDateTime", from, to)
    );
    format!(
        "/auditLogs/signIns{}",
        Query::new().filter(filter).top(SIGN_INS_TOP).build()
    )
}

/// Risk detections of one user detected in `[from, to]`.
pub fn risk_detections_path(user_id: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let filter = format!(
        "{} and {}",
        subject_clause(user_id),
        range("detectedDateTime", from, to)
    );
    format!(
        "/identityProtection/riskDetections{}",
        Query::new().filter(filter).top(RISK_DETECTIONS_TOP).build()
    )
}

/// Directory audits where the user is a target or the initiator, in `[from, to]`.
pub fn directory_audits_path(user_id: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let id = quote(user_id);
    let filter = format!(
        "(targetResources/any(t: t/id eq {id}) or initiatedBy/user/id eq {id}) and {}",
        range("activityDateTime", from, to)
    );
    format!(
        "/auditLogs/directoryAudits{}",
        Query::new()
            .filter(filter)
            .top(DIRECTORY_AUDITS_TOP)
            .build()
    )
}

/// Parses a single entity, as a Decode error when it is not one.
fn entity<T: DeserializeOwned>(
    v: &serde_json::Value,
    what: &str,
    path: &str,
) -> Result<T, GraphError> {
    T::deserialize(v).map_err(|e| {
        GraphError::local(
            ErrorKind::Decode,
            format!("not a {what} ({e})"),
            "GET",
            path,
        )
    })
}

impl GraphClient {
    /// `GET /organization` (the first and only item).
    pub async fn organization(&self) -> Result<Organization, GraphError> {
        let path = "/organization";
        let (v, _) = self.get_value(ApiVersion::V1, path).await?;
        match v
            .get("value")
            .and_then(|a| a.as_array())
            .and_then(|a| a.first())
        {
            Some(first) => entity(first, "organization", path),
            None => Err(GraphError::local(
                ErrorKind::Decode,
                "no organization in the answer",
                "GET",
                path,
            )),
        }
    }

    /// `GET /me?$select=id,displayName,userPrincipalName` — the signed-in analyst.
    pub async fn me(&self) -> Result<User, GraphError> {
        let path = format!("/me{}", Query::new().select(ME_SELECT).build());
        let (v, _) = self.get_value(ApiVersion::V1, &path).await?;
        entity(&v, "user", &path)
    }

    /// One user with `USER_SELECT`; on 403 (no P1 for `signInActivity`, or no
    /// AuditLog.Read.All) asks once more without `signInActivity`. Returns the raw JSON too.
    pub async fn user(&self, id_or_upn: &str) -> Result<(User, serde_json::Value), GraphError> {
        let base = user_path(id_or_upn);
        let full = format!("{base}{}", Query::new().select(USER_SELECT).build());
        let (v, path) = match self.get_value(ApiVersion::V1, &full).await {
            Ok((v, _)) => (v, full),
            Err(e) if e.is_forbidden() => {
                let reduced = format!(
                    "{base}{}",
                    Query::new().select(user_select_without_activity()).build()
                );
                tracing::debug!(
                    code = e.code.as_deref().unwrap_or("-"),
                    "user lookup without signInActivity"
                );
                (self.get_value(ApiVersion::V1, &reduced).await?.0, reduced)
            }
            Err(e) => return Err(e),
        };
        Ok((entity(&v, "user", &path)?, v))
    }

    /// Sign-ins of the user in `[from, to]`, newest first, `$top=1000`.
    pub fn sign_ins(
        &self,
        v: ApiVersion,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        non_interactive: bool,
    ) -> BoxStream<'static, Result<Page<SignIn>, GraphError>> {
        self.pages(v, sign_ins_path(user_id, from, to, non_interactive))
    }

    /// Everyone's sign-ins from `ip` in `[from, to]` (v1.0).
    pub fn sign_ins_from_ip(
        &self,
        ip: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> BoxStream<'static, Result<Page<SignIn>, GraphError>> {
        self.pages(ApiVersion::V1, sign_ins_from_ip_path(ip, from, to))
    }

    /// The user's Identity Protection record; `None` when Graph has none (404).
    pub async fn risky_user(&self, user_id: &str) -> Result<Option<RiskyUser>, GraphError> {
        let path = format!("/identityProtection/riskyUsers/{}", segment(user_id));
        match self.get_value(ApiVersion::V1, &path).await {
            Ok((v, _)) => entity(&v, "riskyUser", &path).map(Some),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `…/riskyUsers/{id}/history`.
    pub fn risk_history(
        &self,
        user_id: &str,
    ) -> BoxStream<'static, Result<Page<RiskyUserHistoryItem>, GraphError>> {
        self.pages(
            ApiVersion::V1,
            format!(
                "/identityProtection/riskyUsers/{}/history",
                segment(user_id)
            ),
        )
    }

    /// Risk detections of the user in `[from, to]`, `$top=500`.
    pub fn risk_detections(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> BoxStream<'static, Result<Page<RiskDetection>, GraphError>> {
        self.pages(ApiVersion::V1, risk_detections_path(user_id, from, to))
    }

    /// All registered authentication methods (no query options exist), as one page.
    pub async fn auth_methods(&self, user_id: &str) -> Result<Page<AuthMethod>, GraphError> {
        self.all_pages(
            ApiVersion::V1,
            format!("{}/authentication/methods", user_path(user_id)),
        )
        .await
    }

    /// BETA `signInPreferences` (the default MFA method); `None` on 404/400.
    pub async fn sign_in_preferences(
        &self,
        user_id: &str,
    ) -> Result<Option<SignInPreferences>, GraphError> {
        let path = format!("{}/authentication/signInPreferences", user_path(user_id));
        match self.get_value(ApiVersion::Beta, &path).await {
            Ok((v, _)) => entity(&v, "signInPreferences", &path).map(Some),
            Err(e) if matches!(e.status, Some(400 | 404)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The user's own (`Principal`) consent grants.
    pub fn grants(
        &self,
        user_id: &str,
    ) -> BoxStream<'static, Result<Page<OAuth2PermissionGrant>, GraphError>> {
        self.pages(
            ApiVersion::V1,
            format!("{}/oauth2PermissionGrants", user_path(user_id)),
        )
    }

    /// One service principal with `SERVICE_PRINCIPAL_SELECT`.
    pub async fn service_principal(&self, id: &str) -> Result<ServicePrincipal, GraphError> {
        let path = format!(
            "/servicePrincipals/{}{}",
            segment(id),
            Query::new().select(SERVICE_PRINCIPAL_SELECT).build()
        );
        let (v, _) = self.get_value(ApiVersion::V1, &path).await?;
        entity(&v, "servicePrincipal", &path)
    }

    /// Inbox rules of the user's mailbox.
    pub fn message_rules(
        &self,
        user_id: &str,
    ) -> BoxStream<'static, Result<Page<MessageRule>, GraphError>> {
        self.pages(
            ApiVersion::V1,
            format!("{}/mailFolders/inbox/messageRules", user_path(user_id)),
        )
    }

    /// Mail folders of the user's mailbox (to resolve `moveToFolder` ids).
    pub fn mail_folders(
        &self,
        user_id: &str,
    ) -> BoxStream<'static, Result<Page<MailFolder>, GraphError>> {
        self.pages(
            ApiVersion::V1,
            format!("{}/mailFolders", user_path(user_id)),
        )
    }

    /// Directory audits naming the user as target or initiator in `[from, to]`.
    pub fn directory_audits(
        &self,
        user_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> BoxStream<'static, Result<Page<DirectoryAudit>, GraphError>> {
        self.pages(ApiVersion::V1, directory_audits_path(user_id, from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::odata::decode;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
    }

    #[test]
    fn user_paths() {
        assert_eq!(
            user_path("26be570a-ae82-4189-b4e2-a37c6808512d"),
            "/users/26be570a-ae82-4189-b4e2-a37c6808512d"
        );
        assert_eq!(
            user_path("bob_fabrikam.com#EXT#@contoso.com"),
            "/users/bob_fabrikam.com%23EXT%23%40contoso.com"
        );
        assert_eq!(user_path("$x@y"), "/users('%24x%40y')");
        assert_eq!(user_path("$o'k@y"), "/users('%24o%27%27k%40y')");
        assert_eq!(user_path(".."), "/users('..')");
        assert!(!user_select_without_activity().contains("signInActivity"));
        assert!(user_select_without_activity().starts_with("id,displayName"));
    }

    #[test]
    fn sign_in_filters() {
        let p = sign_ins_path("u-1", t(8), t(12), false);
        assert_eq!(
            decode(&p),
            "/auditLogs/signIns?$filter=userId eq 'u-1' and createdDateTime ge 2026-11-20T08:00:00Z and createdDateTime le 2026-11-20T12:00:00Z&$top=1000"
        );
        let p = decode(&sign_ins_path("Alice@Contoso.com", t(8), t(12), true));
        assert!(
            p.contains("userPrincipalName eq 'alice@contoso.com'"),
            "{p}"
        );
        assert!(
            p.contains(
                " and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')&$top=1000"
            ),
            "{p}"
        );
        let p = sign_ins_from_ip_path("2001:db8::1", t(8), t(12));
        assert!(decode(&p).starts_with(
            "/auditLogs/signIns?$filter=ipAddress eq '2001:db8::1' and createdDateTime ge"
        ));
        // Hostile ids cannot break out of the literal or the query.
        let p = sign_ins_path("x' or 1 eq 1&$top=1#", t(8), t(12), false);
        assert!(!p.contains('&') || p.matches('&').count() == 1, "{p}");
        assert!(decode(&p).contains("userId eq 'x'' or 1 eq 1&$top=1#'"));
    }

    #[test]
    fn risk_and_audit_filters() {
        assert_eq!(
            decode(&risk_detections_path("u-1", t(8), t(12))),
            "/identityProtection/riskDetections?$filter=userId eq 'u-1' and detectedDateTime ge 2026-11-20T08:00:00Z and detectedDateTime le 2026-11-20T12:00:00Z&$top=500"
        );
        assert_eq!(
            decode(&directory_audits_path("u-1", t(8), t(12))),
            "/auditLogs/directoryAudits?$filter=(targetResources/any(t: t/id eq 'u-1') or initiatedBy/user/id eq 'u-1') and activityDateTime ge 2026-11-20T08:00:00Z and activityDateTime le 2026-11-20T12:00:00Z&$top=500"
        );
    }
}
