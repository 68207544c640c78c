//! `DangerousAction`: every change the console can make to a tenant, with the exact Graph
//! request it sends (graph-api.md §4.2, §5.3, §6–§9), what it breaks, whether it can be
//! undone and how grave it is. Plain data: nothing here performs IO or holds a secret (the
//! generated password is put into the body by the executor, never by this module).

use serde_json::{Value, json};

use crate::graph::models::{AuthMethod, MethodKind, TenantText};
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

/// One authentication method, resolved to its per-type endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodRef {
    /// Method id.
    pub id: String,
    /// Per-type collection (`phoneMethods`, `fido2Methods`, …).
    pub collection: &'static str,
    /// What the analyst sees (type and device/number), sanitised.
    pub label: String,
}

/// Per-type collections of deletable methods (graph-api.md §7).
const COLLECTIONS: &[(&str, &str)] = &[
    ("phoneAuthenticationMethod", "phoneMethods"),
    ("emailAuthenticationMethod", "emailMethods"),
    (
        "microsoftAuthenticatorAuthenticationMethod",
        "microsoftAuthenticatorMethods",
    ),
    ("fido2AuthenticationMethod", "fido2Methods"),
    ("softwareOathAuthenticationMethod", "softwareOathMethods"),
    (
        "windowsHelloForBusinessAuthenticationMethod",
        "windowsHelloForBusinessMethods",
    ),
    (
        "platformCredentialAuthenticationMethod",
        "platformCredentialMethods",
    ),
    (
        "temporaryAccessPassAuthenticationMethod",
        "temporaryAccessPassMethods",
    ),
    (
        "externalAuthenticationMethod",
        "externalAuthenticationMethods",
    ),
];

/// `#microsoft.graph.fooMethod` → `fooMethod`.
pub fn short_type(odata_type: &str) -> &str {
    odata_type
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.")
}

impl MethodRef {
    /// The method's per-type endpoint, or why it cannot be removed from here (password, or a
    /// type this build does not know — explained, never guessed).
    pub fn from_method(m: &AuthMethod) -> Result<MethodRef, String> {
        let t = short_type(&m.odata_type);
        if matches!(m.kind, MethodKind::Password) || t == "passwordAuthenticationMethod" {
            return Err("the password method cannot be deleted (reset it instead)".into());
        }
        let Some((_, coll)) = COLLECTIONS.iter().find(|(ty, _)| *ty == t) else {
            return Err(format!(
                "unknown method type '{}': this build does not know its endpoint; remove it in the Entra admin center",
                crate::sanitize::line_capped(t, 60)
            ));
        };
        Ok(MethodRef {
            id: m.id.clone(),
            collection: coll,
            label: method_label(m),
        })
    }
}

/// `Authenticator "Pixel 7 Pro"`, `phone mobile +31 6…`.
pub fn method_label(m: &AuthMethod) -> String {
    let s = |t: &TenantText| crate::sanitize::line_capped(t.raw(), 40);
    match &m.kind {
        MethodKind::Password => "password".into(),
        MethodKind::Phone(p) => format!("phone {} {}", s(&p.phone_type), s(&p.phone_number)),
        MethodKind::Email { email_address } => format!("email {}", s(email_address)),
        MethodKind::MicrosoftAuthenticator(a) => {
            format!("Authenticator \"{}\"", s(&a.display_name))
        }
        MethodKind::Fido2(f) => format!("FIDO2 \"{}\"", s(&f.display_name)),
        MethodKind::SoftwareOath => "software OATH token".into(),
        MethodKind::WindowsHello(d) => format!("Windows Hello \"{}\"", s(&d.display_name)),
        MethodKind::PlatformCredential(d) => {
            format!("platform credential \"{}\"", s(&d.display_name))
        }
        MethodKind::TemporaryAccessPass(_) => "Temporary Access Pass".into(),
        MethodKind::External { display_name, .. } => format!("external \"{}\"", s(display_name)),
        MethodKind::Unknown(_) => format!(
            "unknown type {}",
            crate::sanitize::line_capped(short_type(&m.odata_type), 40)
        ),
    }
}

/// One delegated permission grant.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantRef {
    /// Grant id.
    pub id: String,
    /// The client app as the analyst knows it (sanitised).
    pub client: String,
    /// The scopes granted now (raw, space-separated).
    pub scope: String,
}

/// One Inbox rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRef {
    /// Rule id (base64, percent-encoded in paths).
    pub id: String,
    /// Rule name (sanitised).
    pub name: String,
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

    /// What the change breaks, for the dialog.
    pub fn breaks(&self, s: &Subject) -> String {
        let sync = if s.on_prem_synced {
            " Synced from on-prem AD: make the change in AD too, or the next sync undoes it."
        } else {
            ""
        };
        match self {
            Self::RevokeSessions => "Every refresh token and session cookie stops working within minutes; the user signs in again everywhere. Access tokens already issued stay valid up to about an hour.".into(),
            Self::ResetPassword => format!("The current password stops working; the user must change the new one at next sign-in. Grants and issued tokens survive a reset.{sync}"),
            Self::ResetPasswordProfile { reason } => format!("{reason} The current password stops working; the new one must be changed at next sign-in.{sync}"),
            Self::IssueTap { .. } => "Replaces any existing Temporary Access Pass; whoever holds the pass can sign in and register methods until it expires.".into(),
            Self::RemoveMethod(_) => "The method can no longer be used to sign in or for MFA; the user re-registers it. The default method cannot be removed while others exist.".into(),
            Self::RemoveGrant(_) => "The app loses delegated access for this user (tokens already issued keep working until they expire); the user may consent again.".into(),
            Self::NarrowGrant { grant, scope } => format!(
                "The app keeps only: {} (was: {}).",
                crate::sanitize::line_capped(scope, 200),
                crate::sanitize::line_capped(grant.scope.trim(), 200)
            ),
            Self::DisableRule(_) => "The rule stops acting on new mail; it stays in the mailbox.".into(),
            Self::DeleteRule(_) => "The rule is gone with its conditions and actions (saved in the journal first).".into(),
            Self::BlockSignIn => format!("The user can no longer sign in at all (no new tokens).{sync}"),
            Self::EnableSignIn => format!("The user can sign in again.{sync}"),
            Self::ConfirmCompromised => "Identity Protection sets the user's risk to high; risk-based Conditional Access policies then apply.".into(),
            Self::ConfirmSafe => "Identity Protection sets the user's risk to none.".into(),
            Self::DismissRisk => "Identity Protection drops the user's risk (state dismissed).".into(),
            Self::ConfirmSignInsCompromised(_) => "The sign-ins are flagged high risk; the user's risk rises.".into(),
            Self::ConfirmSignInsSafe(_) => "The sign-ins are marked safe and stop counting towards the user's risk.".into(),
        }
    }

    /// Whether and how the change can be undone.
    pub fn undo(&self) -> (bool, &'static str) {
        match self {
            Self::RevokeSessions => (false, "cannot be undone (sessions are gone)"),
            Self::ResetPassword | Self::ResetPasswordProfile { .. } => {
                (false, "cannot be undone (the old password is not kept)")
            }
            Self::IssueTap { .. } => (true, "undo: remove the Temporary Access Pass method"),
            Self::RemoveMethod(_) => (false, "cannot be undone (the user must register it again)"),
            Self::RemoveGrant(_) => (
                false,
                "cannot be undone here (the user or an admin must consent again)",
            ),
            Self::NarrowGrant { .. } => (true, "undo: set the old scope list again"),
            Self::DisableRule(_) => (true, "undo: enable the rule again"),
            Self::DeleteRule(_) => (false, "cannot be undone (recreate it from the saved copy)"),
            Self::BlockSignIn => (true, "undo: re-enable sign-in"),
            Self::EnableSignIn => (true, "undo: block sign-in"),
            Self::ConfirmCompromised => (
                false,
                "cannot be undone directly (dismiss or confirm safe later)",
            ),
            Self::ConfirmSafe | Self::DismissRisk => {
                (false, "cannot be undone (risk history keeps it)")
            }
            Self::ConfirmSignInsCompromised(_) | Self::ConfirmSignInsSafe(_) => {
                (false, "cannot be undone")
            }
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

/// Removal order for "remove all methods": every deletable method except password and TAP
/// (the TAP is how the user re-registers), the default method last; unknown types explained.
pub fn remove_all_methods(
    methods: &[AuthMethod],
    default_pref: Option<&str>,
) -> (Vec<DangerousAction>, Vec<String>) {
    let mut keep_last = Vec::new();
    let mut first = Vec::new();
    let mut notes = Vec::new();
    for m in methods {
        if matches!(m.kind, MethodKind::TemporaryAccessPass(_)) {
            continue;
        }
        match MethodRef::from_method(m) {
            Ok(r) => {
                let is_default = default_pref.is_some_and(|p| provides(p, m));
                if is_default {
                    keep_last.push(DangerousAction::RemoveMethod(r));
                } else {
                    first.push(DangerousAction::RemoveMethod(r));
                }
            }
            Err(why) if matches!(m.kind, MethodKind::Password) => drop(why),
            Err(why) => notes.push(why),
        }
    }
    // A mobile phone cannot go while an alternate mobile exists: alternates first.
    first.sort_by_key(|a| match a {
        DangerousAction::RemoveMethod(r) if r.label.starts_with("phone mobile") => 1,
        _ => 0,
    });
    first.extend(keep_last);
    (first, notes)
}

/// Does method `m` provide the preferred secondary method `pref` (beta signInPreferences)?
pub fn provides(pref: &str, m: &AuthMethod) -> bool {
    let phone = |kind: &str| matches!(&m.kind, MethodKind::Phone(p) if p.phone_type.raw().eq_ignore_ascii_case(kind));
    match pref.to_ascii_lowercase().as_str() {
        "push" => matches!(m.kind, MethodKind::MicrosoftAuthenticator(_)),
        "oath" => matches!(m.kind, MethodKind::SoftwareOath),
        "sms" | "voicemobile" => phone("mobile"),
        "voicealternatemobile" => phone("alternateMobile"),
        "voiceoffice" => phone("office"),
        _ => false,
    }
}

/// Scopes considered high-risk in a grant (mail, files, directory, offline access…).
pub const RISKY_SCOPES: &[&str] = &[
    "mail.",
    "files.",
    "sites.",
    "directory.",
    "user.readwrite",
    "offline_access",
    "full_access",
    "mailboxsettings.",
    "contacts.",
    "calendars.readwrite",
    "exchange",
    "ews.",
];

/// The grant's scopes without the high-risk ones, if that removes any and leaves some.
pub fn narrowed_scope(scope: &str) -> Option<String> {
    let all: Vec<&str> = scope.split_whitespace().collect();
    let kept: Vec<&str> = all
        .iter()
        .copied()
        .filter(|s| {
            let l = s.to_ascii_lowercase();
            !RISKY_SCOPES
                .iter()
                .any(|r| l.starts_with(r) || l == r.trim_end_matches('.'))
        })
        .collect();
    (kept.len() < all.len() && !kept.is_empty()).then(|| kept.join(" "))
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

    #[test]
    fn unknown_method_types_are_explained_and_default_goes_last() {
        let mk = |v: Value| AuthMethod::from_value(v);
        let methods = vec![
            mk(
                json!({"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": PASSWORD_METHOD_ID}),
            ),
            mk(
                json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "a1", "displayName": "iPhone"}),
            ),
            mk(
                json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "p1", "phoneType": "mobile", "phoneNumber": "+1 555"}),
            ),
            mk(json!({"@odata.type": "#microsoft.graph.quantumMethod", "id": "q1"})),
        ];
        let (actions, notes) = remove_all_methods(&methods, Some("push"));
        assert_eq!(actions.len(), 2);
        assert!(matches!(&actions[1], DangerousAction::RemoveMethod(r) if r.id == "a1"));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("quantumMethod"), "{notes:?}");
    }

    #[test]
    fn narrowing_drops_risky_scopes_only() {
        assert_eq!(
            narrowed_scope(" openid profile Mail.ReadWrite offline_access ").as_deref(),
            Some("openid profile")
        );
        assert_eq!(narrowed_scope("openid profile"), None);
        assert_eq!(narrowed_scope("Mail.Read"), None);
    }
}
