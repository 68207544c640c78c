//! `DangerousAction`: every change the console can make to a tenant, with the exact Graph
//! request it sends (graph-api.md §4.2, §5.3, §6–§9), the reads that save and verify it, and
//! how grave it is (what it breaks and its undo live in `describe.rs`). Plain data: nothing
//! here performs IO or holds a secret (the executor puts the generated password in the body).

use serde_json::{Value, json};

use super::targets::{GrantRef, MethodRef, RuleRef};
use crate::graph::models::TenantText;
use crate::graph::odata;
use crate::graph::{ApiVersion, HttpMethod, MutationRequest};

/// The fixed id of the password method (graph-api.md §6.4).
pub const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";

/// Shown instead of a secret wherever a request body is displayed or recorded.
pub const MASK: &str = "••••••••";

/// The user every action of a plan is about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subject {
    /// Object id.
    pub id: String,
    /// User principal name (what the analyst types for grave actions).
    pub upn: TenantText,
    /// Display name.
    pub display_name: TenantText,
    /// Synced from on-premises AD: cloud changes may be overwritten by the next sync.
    pub on_prem_synced: bool,
}

/// Every change the console can make. Each passes the confirmation dialog before the worker
/// will send it.
#[derive(Debug, Clone, PartialEq)]
pub enum DangerousAction {
    /// Invalidate refresh tokens and session cookies (`POST /users/{id}/revokeSignInSessions`).
    RevokeSessions,
    /// Reset the password with the resetPassword action; Graph generates it (202 + Location).
    ResetPassword,
    /// Set a console-generated password through `passwordProfile` (where resetPassword cannot
    /// be used); the reason is shown in the dialog.
    ResetPasswordProfile {
        /// Why resetPassword is not used.
        reason: String,
    },
    /// Issue a Temporary Access Pass, shown once.
    IssueTap {
        /// Lifetime in minutes (10–43200).
        lifetime_minutes: u32,
        /// One sign-in only.
        usable_once: bool,
    },
    /// Remove one authentication method through its per-type endpoint.
    RemoveMethod(MethodRef),
    /// Delete a delegated OAuth permission grant.
    RemoveGrant(GrantRef),
    /// Replace a grant's scopes with a narrower list (the lighter alternative to removal).
    NarrowGrant {
        /// The grant.
        grant: GrantRef,
        /// The full new scope list (Graph replaces, never merges).
        scope: String,
    },
    /// Turn an Inbox rule off (`PATCH {"isEnabled": false}`).
    DisableRule(RuleRef),
    /// Delete an Inbox rule.
    DeleteRule(RuleRef),
    /// Block sign-in (`PATCH {"accountEnabled": false}`).
    BlockSignIn,
    /// Allow sign-in again (`PATCH {"accountEnabled": true}`).
    EnableSignIn,
    /// Identity Protection: confirm the user compromised (risk high).
    ConfirmCompromised,
    /// Identity Protection: confirm the user safe (risk none).
    ConfirmSafe,
    /// Identity Protection: dismiss the user's risk.
    DismissRisk,
    /// Confirm these sign-ins (request ids) compromised.
    ConfirmSignInsCompromised(Vec<String>),
    /// Confirm these sign-ins (request ids) safe.
    ConfirmSignInsSafe(Vec<String>),
}

fn seg(s: &str) -> String {
    odata::segment(s)
}

impl DangerousAction {
    /// Stable snake_case name (journal, report).
    pub fn name(&self) -> &'static str {
        match self {
            Self::RevokeSessions => "revoke_sessions",
            Self::ResetPassword => "reset_password",
            Self::ResetPasswordProfile { .. } => "reset_password_profile",
            Self::IssueTap { .. } => "issue_tap",
            Self::RemoveMethod(_) => "remove_method",
            Self::RemoveGrant(_) => "remove_grant",
            Self::NarrowGrant { .. } => "narrow_grant",
            Self::DisableRule(_) => "disable_rule",
            Self::DeleteRule(_) => "delete_rule",
            Self::BlockSignIn => "block_sign_in",
            Self::EnableSignIn => "enable_sign_in",
            Self::ConfirmCompromised => "confirm_user_compromised",
            Self::ConfirmSafe => "confirm_user_safe",
            Self::DismissRisk => "dismiss_user_risk",
            Self::ConfirmSignInsCompromised(_) => "confirm_sign_ins_compromised",
            Self::ConfirmSignInsSafe(_) => "confirm_sign_ins_safe",
        }
    }

    /// One line for the analyst.
    pub fn title(&self) -> String {
        match self {
            Self::RevokeSessions => "Revoke sign-in sessions".into(),
            Self::ResetPassword => "Reset password (Graph generates it)".into(),
            Self::ResetPasswordProfile { .. } => "Reset password (passwordProfile)".into(),
            Self::IssueTap {
                lifetime_minutes,
                usable_once,
            } => format!(
                "Issue Temporary Access Pass ({lifetime_minutes} min, {})",
                if *usable_once {
                    "one-time"
                } else {
                    "multi-use"
                }
            ),
            Self::RemoveMethod(m) => format!("Remove method: {}", m.label),
            Self::RemoveGrant(g) => format!("Remove grant of {}", g.client),
            Self::NarrowGrant { grant, .. } => format!("Narrow grant of {}", grant.client),
            Self::DisableRule(r) => format!("Disable inbox rule \"{}\"", r.name),
            Self::DeleteRule(r) => format!("Delete inbox rule \"{}\"", r.name),
            Self::BlockSignIn => "Block sign-in".into(),
            Self::EnableSignIn => "Re-enable sign-in".into(),
            Self::ConfirmCompromised => "Confirm user compromised".into(),
            Self::ConfirmSafe => "Confirm user safe".into(),
            Self::DismissRisk => "Dismiss user risk".into(),
            Self::ConfirmSignInsCompromised(ids) => {
                format!("Confirm {} sign-in(s) compromised", ids.len())
            }
            Self::ConfirmSignInsSafe(ids) => format!("Confirm {} sign-in(s) safe", ids.len()),
        }
    }

    /// Grave actions need the suspect's UPN typed before Confirm is possible.
    pub fn grave(&self) -> bool {
        matches!(
            self,
            Self::ResetPassword
                | Self::ResetPasswordProfile { .. }
                | Self::BlockSignIn
                | Self::ConfirmCompromised
        )
    }

    /// The action answers with a secret shown once (password or TAP).
    pub fn yields_secret(&self) -> bool {
        matches!(
            self,
            Self::ResetPassword | Self::ResetPasswordProfile { .. } | Self::IssueTap { .. }
        )
    }

    /// The exact request. For `ResetPasswordProfile` the password is `MASK` here; the executor
    /// replaces it with the generated one just before sending.
    pub fn request(&self, s: &Subject) -> MutationRequest {
        let user = format!("/users/{}", seg(&s.id));
        let (method, path, body) = match self {
            Self::RevokeSessions => (
                HttpMethod::Post,
                format!("{user}/revokeSignInSessions"),
                None,
            ),
            Self::ResetPassword => (
                HttpMethod::Post,
                format!("{user}/authentication/methods/{PASSWORD_METHOD_ID}/resetPassword"),
                Some(json!({})),
            ),
            Self::ResetPasswordProfile { .. } => (
                HttpMethod::Patch,
                user,
                Some(json!({"passwordProfile": {
                    "password": MASK,
                    "forceChangePasswordNextSignIn": true,
                    "forceChangePasswordNextSignInWithMfa": false
                }})),
            ),
            Self::IssueTap {
                lifetime_minutes,
                usable_once,
            } => (
                HttpMethod::Post,
                format!("{user}/authentication/temporaryAccessPassMethods"),
                Some(json!({"lifetimeInMinutes": lifetime_minutes, "isUsableOnce": usable_once})),
            ),
            Self::RemoveMethod(m) => (
                HttpMethod::Delete,
                format!("{user}/authentication/{}/{}", m.collection, seg(&m.id)),
                None,
            ),
            Self::RemoveGrant(g) => (
                HttpMethod::Delete,
                format!("/oauth2PermissionGrants/{}", seg(&g.id)),
                None,
            ),
            Self::NarrowGrant { grant, scope } => (
                HttpMethod::Patch,
                format!("/oauth2PermissionGrants/{}", seg(&grant.id)),
                Some(json!({"scope": scope})),
            ),
            Self::DisableRule(r) => (
                HttpMethod::Patch,
                format!("{user}/mailFolders/inbox/messageRules/{}", seg(&r.id)),
                Some(json!({"isEnabled": false})),
            ),
            Self::DeleteRule(r) => (
                HttpMethod::Delete,
                format!("{user}/mailFolders/inbox/messageRules/{}", seg(&r.id)),
                None,
            ),
            Self::BlockSignIn => (
                HttpMethod::Patch,
                user,
                Some(json!({"accountEnabled": false})),
            ),
            Self::EnableSignIn => (
                HttpMethod::Patch,
                user,
                Some(json!({"accountEnabled": true})),
            ),
            Self::ConfirmCompromised => risky("confirmCompromised", s),
            Self::ConfirmSafe => risky("confirmSafe", s),
            Self::DismissRisk => risky("dismiss", s),
            Self::ConfirmSignInsCompromised(ids) => (
                HttpMethod::Post,
                "/auditLogs/signIns/confirmCompromised".into(),
                Some(json!({ "requestIds": ids })),
            ),
            Self::ConfirmSignInsSafe(ids) => (
                HttpMethod::Post,
                "/auditLogs/signIns/confirmSafe".into(),
                Some(json!({ "requestIds": ids })),
            ),
        };
        MutationRequest {
            method,
            version: ApiVersion::V1,
            path,
            body,
        }
    }

    /// `PATCH /v1.0/users/…` and the body as shown and recorded (secrets already masked).
    pub fn shown_request(&self, s: &Subject) -> (String, Option<String>) {
        let r = self.request(s);
        let line = format!("{} /{}{}", r.method.as_str(), r.version.as_str(), r.path);
        (line, r.body.map(|b| b.to_string()))
    }

    /// The reads that save the object before and verify it after (v1.0 paths).
    pub fn reads(&self, s: &Subject) -> Vec<String> {
        let user = format!("/users/{}", seg(&s.id));
        match self {
            Self::RevokeSessions
            | Self::ResetPassword
            | Self::ResetPasswordProfile { .. }
            | Self::BlockSignIn
            | Self::EnableSignIn => vec![format!(
                "{user}?$select=id,displayName,userPrincipalName,accountEnabled,signInSessionsValidFromDateTime,lastPasswordChangeDateTime,onPremisesSyncEnabled"
            )],
            Self::IssueTap { .. } => {
                vec![format!("{user}/authentication/temporaryAccessPassMethods")]
            }
            Self::RemoveMethod(m) => vec![format!(
                "{user}/authentication/{}/{}",
                m.collection,
                seg(&m.id)
            )],
            Self::RemoveGrant(g) | Self::NarrowGrant { grant: g, .. } => {
                vec![format!("/oauth2PermissionGrants/{}", seg(&g.id))]
            }
            Self::DisableRule(r) | Self::DeleteRule(r) => vec![format!(
                "{user}/mailFolders/inbox/messageRules/{}",
                seg(&r.id)
            )],
            Self::ConfirmCompromised | Self::ConfirmSafe | Self::DismissRisk => {
                vec![format!("/identityProtection/riskyUsers/{}", seg(&s.id))]
            }
            Self::ConfirmSignInsCompromised(ids) | Self::ConfirmSignInsSafe(ids) => ids
                .iter()
                .map(|i| format!("/auditLogs/signIns/{}", seg(i)))
                .collect(),
        }
    }
}

fn risky(action: &str, s: &Subject) -> (HttpMethod, String, Option<Value>) {
    (
        HttpMethod::Post,
        format!("/identityProtection/riskyUsers/{action}"),
        Some(json!({ "userIds": [s.id] })),
    )
}

/// A confirmed unit of work: one subject, one or more actions (several = a bulk action).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Who is changed.
    pub subject: Subject,
    /// In order; a failure does not stop the rest unless it is a removal of methods.
    pub actions: Vec<DangerousAction>,
    /// Shown in the dialog: items left out of the plan and why (unknown method types…).
    pub notes: Vec<String>,
    /// Record and show every request, send nothing.
    pub dry_run: bool,
}

impl Plan {
    /// A plan of one action.
    pub fn one(subject: Subject, action: DangerousAction) -> Plan {
        Plan {
            subject,
            actions: vec![action],
            notes: Vec::new(),
            dry_run: false,
        }
    }

    /// Grave plans need the UPN typed: a grave action, or several actions at once (bulk).
    pub fn grave(&self) -> bool {
        self.actions.len() > 1 || self.actions.iter().any(DangerousAction::grave)
    }

    /// Dialog title.
    pub fn title(&self) -> String {
        match self.actions.as_slice() {
            [one] => one.title(),
            many => format!("{} changes", many.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Subject {
        Subject {
            id: "u-1".into(),
            upn: TenantText::new("alice@contoso.com"),
            display_name: TenantText::new("Alice"),
            on_prem_synced: false,
        }
    }

    #[test]
    fn requests_follow_the_graph_sheet() {
        let s = subject();
        let r = DangerousAction::ResetPassword.request(&s);
        assert_eq!(r.method, HttpMethod::Post);
        assert_eq!(
            r.path,
            format!("/users/u-1/authentication/methods/{PASSWORD_METHOD_ID}/resetPassword")
        );
        let rule = RuleRef {
            id: "AQAAAPLioYs=".into(),
            name: ".".into(),
        };
        let r = DangerousAction::DeleteRule(rule).request(&s);
        assert_eq!(
            r.path,
            "/users/u-1/mailFolders/inbox/messageRules/AQAAAPLioYs%3D"
        );
        let (line, body) = DangerousAction::ResetPasswordProfile {
            reason: String::new(),
        }
        .shown_request(&s);
        assert_eq!(line, "PATCH /v1.0/users/u-1");
        assert!(body.unwrap().contains(MASK));
        assert!(DangerousAction::BlockSignIn.grave() && !DangerousAction::RevokeSessions.grave());
    }
}
