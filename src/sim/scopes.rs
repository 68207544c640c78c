//! Permission enforcement for tokens the simulator's identity provider issued: each Graph
//! call needs one of its documented scopes (graph-api.md §11), else 403
//! `Authorization_RequestDenied`; delegated mailbox-settings scopes reach only the caller's
//! own mailbox (graph-api.md §9), else 403 `ErrorAccessDenied`. The start-up token printed by
//! `simulate` is not subject to this (it stands for an analyst with every permission).

use axum::http::{Method, StatusCode};

use super::errors::GraphError;

/// Checks `scopes` (short names or resource-qualified) for `method path` as `caller`.
pub fn check(
    method: &Method,
    path: &str,
    scopes: &[String],
    caller: &str,
) -> Result<(), GraphError> {
    let have: Vec<String> = scopes
        .iter()
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase())
        .collect();
    let has = |want: &str| have.iter().any(|h| h == &want.to_ascii_lowercase());
    let lower = path.to_ascii_lowercase();
    let read = method == Method::GET;
    let needed: &[&str] = needed(&lower, read);
    // Exchange answers for mailboxes: another user's mailbox needs the application
    // permission; a missing delegated scope is refused the same way.
    if lower.contains("/mailfolders")
        && !app_reads_mailboxes(&have)
        && (!mailbox_is_callers(&lower, caller) || !needed.iter().any(|w| has(w)))
    {
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        ));
    }
    if needed.is_empty() || needed.iter().any(|w| has(w)) {
        return Ok(());
    }
    Err(GraphError::new(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        format!(
            "Insufficient privileges to complete the operation. This call needs one of: {}.",
            needed.join(", ")
        ),
    ))
}

/// An app-only token (marked `app-only` by `SimState::granted_scopes`) holding the mailbox
/// settings application permission reads every mailbox.
fn app_reads_mailboxes(have: &[String]) -> bool {
    have.iter().any(|h| h == "app-only")
        && have
            .iter()
            .any(|h| h == "mailboxsettings.read" || h == "mailboxsettings.readwrite")
}

fn mailbox_is_callers(lower_path: &str, caller: &str) -> bool {
    let after = lower_path.split("/users/").nth(1).unwrap_or("");
    let who = after.split('/').next().unwrap_or("");
    who.is_empty() || who == caller.to_ascii_lowercase() || lower_path.contains("/me/")
}

fn needed(p: &str, read: bool) -> &'static [&'static str] {
    const DIR_READ: [&str; 3] = [
        "Directory.Read.All",
        "Directory.ReadWrite.All",
        "User.Read.All",
    ];
    if p.contains("/auditlogs/signins") {
        return if read {
            &["AuditLog.Read.All"]
        } else {
            &[
                "IdentityRiskyUser.ReadWrite.All",
                "IdentityRiskEvent.ReadWrite.All",
            ]
        };
    }
    if p.contains("/auditlogs/directoryaudits") {
        return &["AuditLog.Read.All"];
    }
    if p.contains("/identityprotection/riskdetections") {
        return &[
            "IdentityRiskEvent.Read.All",
            "IdentityRiskEvent.ReadWrite.All",
        ];
    }
    if p.contains("/identityprotection/riskyusers") {
        return if read {
            &[
                "IdentityRiskyUser.Read.All",
                "IdentityRiskyUser.ReadWrite.All",
            ]
        } else {
            &["IdentityRiskyUser.ReadWrite.All"]
        };
    }
    if p.contains("/authentication/") {
        return if read {
            &[
                "UserAuthenticationMethod.Read.All",
                "UserAuthenticationMethod.ReadWrite.All",
            ]
        } else {
            &[
                "UserAuthenticationMethod.ReadWrite.All",
                "UserAuthMethod-Password.ReadWrite.All",
                "UserAuthMethod-TAP.ReadWrite.All",
            ]
        };
    }
    if p.contains("/oauth2permissiongrants") {
        return if read {
            &[
                "Directory.Read.All",
                "DelegatedPermissionGrant.ReadWrite.All",
            ]
        } else {
            &["DelegatedPermissionGrant.ReadWrite.All"]
        };
    }
    if p.contains("/serviceprincipals") {
        return &[
            "Application.Read.All",
            "Directory.Read.All",
            "Application.ReadWrite.All",
        ];
    }
    if p.contains("/mailfolders") {
        return if read {
            &["MailboxSettings.Read", "MailboxSettings.ReadWrite"]
        } else {
            &["MailboxSettings.ReadWrite"]
        };
    }
    if p.contains("/revokesigninsessions") {
        return &[
            "User.RevokeSessions.All",
            "User.ReadWrite.All",
            "Directory.ReadWrite.All",
        ];
    }
    if p.contains("/users") && !read {
        return &[
            "User.EnableDisableAccount.All",
            "User-PasswordProfile.ReadWrite.All",
            "User.ReadWrite.All",
            "Directory.ReadWrite.All",
        ];
    }
    if p.contains("/me") && !p.contains("/users") {
        return &["User.Read", "User.Read.All", "Directory.Read.All"];
    }
    if p.contains("/users") {
        return &DIR_READ;
    }
    if p.contains("/organization") {
        return &["User.Read", "Organization.Read.All", "Directory.Read.All"];
    }
    &[]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn missing_scope_is_denied_with_the_scope_named() {
        let e = check(
            &Method::GET,
            "/v1.0/auditLogs/signIns",
            &s(&["User.Read.All"]),
            "me",
        )
        .unwrap_err();
        assert_eq!(e.status, StatusCode::FORBIDDEN);
        assert_eq!(e.code, "Authorization_RequestDenied");
        assert!(e.message.contains("AuditLog.Read.All"));
        assert!(
            check(
                &Method::GET,
                "/v1.0/auditLogs/signIns",
                &s(&["https://graph.microsoft.com/AuditLog.Read.All"]),
                "me"
            )
            .is_ok()
        );
    }

    #[test]
    fn delegated_mailbox_scopes_reach_only_the_callers_mailbox() {
        let scopes = s(&["MailboxSettings.Read"]);
        let e = check(
            &Method::GET,
            "/v1.0/users/other/mailFolders/inbox/messageRules",
            &scopes,
            "me",
        )
        .unwrap_err();
        assert_eq!(e.code, "ErrorAccessDenied");
        assert!(
            check(
                &Method::GET,
                "/v1.0/users/me/mailFolders/inbox/messageRules",
                &scopes,
                "me"
            )
            .is_ok()
        );
    }
}
