//! The console's panes and actions and the Graph permissions each needs (graph-api.md §11
//! as data): alternatives of scope sets, delegated or app-only, and the Entra role hint.

/// Whether a requirement is met by delegated scopes (`scp`) or app roles (`roles`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Delegated permission, signed-in analyst.
    Delegated,
    /// Application permission, client-credentials token.
    AppOnly,
}

/// A pane or an action of the console that needs a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feature {
    UserProfile,
    SignInActivity,
    SignIns,
    ConditionalAccessDetails,
    SignInRiskActions,
    RiskyUsers,
    RiskyUserActions,
    RiskDetections,
    RevokeSessions,
    DisableAccount,
    SetPasswordProfile,
    ResetPasswordMethod,
    AuthMethods,
    DeleteAuthMethod,
    CreateTap,
    ConsentGrants,
    RemoveConsentGrant,
    ServicePrincipals,
    AppRoleAssignments,
    RemoveAppRoleAssignment,
    OtherUsersMailboxRules,
    DirectoryAudits,
}

/// What a feature needs: any one of `alternatives` (each a set of scopes, all required).
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    pub label: &'static str,
    pub via: Via,
    pub alternatives: &'static [&'static [&'static str]],
    /// Least (typical) Entra role the analyst needs besides the scope.
    pub role_hint: &'static str,
}

const USER_READ: &[&[&str]] = &[
    &["User.Read.All"],
    &["User.ReadWrite.All"],
    &["Directory.Read.All"],
    &["Directory.ReadWrite.All"],
];
const LOGS: &[&[&str]] = &[
    &["AuditLog.Read.All", "Directory.Read.All"],
    &["AuditLog.Read.All", "Directory.ReadWrite.All"],
];
const RISKY_RW: &[&[&str]] = &[&["IdentityRiskyUser.ReadWrite.All"]];
const METHODS_RW: &[&[&str]] = &[&["UserAuthenticationMethod.ReadWrite.All"]];

impl Feature {
    /// Every feature, in display order.
    pub const ALL: [Feature; 22] = [
        Feature::UserProfile,
        Feature::SignInActivity,
        Feature::SignIns,
        Feature::ConditionalAccessDetails,
        Feature::SignInRiskActions,
        Feature::RiskyUsers,
        Feature::RiskyUserActions,
        Feature::RiskDetections,
        Feature::RevokeSessions,
        Feature::DisableAccount,
        Feature::SetPasswordProfile,
        Feature::ResetPasswordMethod,
        Feature::AuthMethods,
        Feature::DeleteAuthMethod,
        Feature::CreateTap,
        Feature::ConsentGrants,
        Feature::RemoveConsentGrant,
        Feature::ServicePrincipals,
        Feature::AppRoleAssignments,
        Feature::RemoveAppRoleAssignment,
        Feature::OtherUsersMailboxRules,
        Feature::DirectoryAudits,
    ];

    /// The permission data for this feature (graph-api.md §11).
    pub fn requirement(self) -> Requirement {
        use Via::{AppOnly, Delegated};
        let r = |label, via, alternatives, role_hint| Requirement {
            label,
            via,
            alternatives,
            role_hint,
        };
        match self {
            Feature::UserProfile => r(
                "User profile",
                Delegated,
                USER_READ,
                "any member reads basics; Global Reader or Security Reader for the full profile",
            ),
            Feature::SignInActivity => r(
                "Last sign-in activity",
                Delegated,
                &[
                    &["User.Read.All", "AuditLog.Read.All"],
                    &["Directory.Read.All", "AuditLog.Read.All"],
                ],
                "Reports Reader or Security Reader",
            ),
            Feature::SignIns => r(
                "Sign-in logs",
                Delegated,
                LOGS,
                "Reports Reader or Security Reader",
            ),
            Feature::ConditionalAccessDetails => r(
                "Conditional Access details of sign-ins",
                Delegated,
                &[&["Policy.Read.ConditionalAccess"], &["Policy.Read.All"]],
                "Security Reader",
            ),
            Feature::SignInRiskActions => r(
                "Confirm / dismiss sign-in risk",
                Delegated,
                RISKY_RW,
                "Security Administrator",
            ),
            Feature::RiskyUsers => r(
                "Risky user and history",
                Delegated,
                &[
                    &["IdentityRiskyUser.Read.All"],
                    &["IdentityRiskyUser.ReadWrite.All"],
                ],
                "Security Reader, Security Operator or Global Reader",
            ),
            Feature::RiskyUserActions => r(
                "Confirm compromised / safe, dismiss risk",
                Delegated,
                RISKY_RW,
                "Security Administrator",
            ),
            Feature::RiskDetections => r(
                "Risk detections",
                Delegated,
                &[
                    &["IdentityRiskEvent.Read.All"],
                    &["IdentityRiskEvent.ReadWrite.All"],
                ],
                "Security Reader",
            ),
            Feature::RevokeSessions => r(
                "Revoke sessions",
                Delegated,
                &[
                    &["User.RevokeSessions.All"],
                    &["User.ReadWrite.All"],
                    &["Directory.ReadWrite.All"],
                ],
                "User Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::DisableAccount => r(
                "Disable / enable account",
                Delegated,
                &[
                    &["User.EnableDisableAccount.All", "User.Read.All"],
                    &["User.ReadWrite.All"],
                    &["Directory.ReadWrite.All"],
                ],
                "User Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::SetPasswordProfile => r(
                "Set password (passwordProfile)",
                Delegated,
                &[
                    &["User-PasswordProfile.ReadWrite.All"],
                    &["User.ReadWrite.All"],
                    &["Directory.ReadWrite.All"],
                ],
                "User Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::ResetPasswordMethod => r(
                "Reset password (password method)",
                Delegated,
                &[
                    &[
                        "UserAuthMethod-Password.ReadWrite.All",
                        "UserAuthenticationMethod.Read.All",
                    ],
                    &["UserAuthenticationMethod.ReadWrite.All"],
                ],
                "Authentication Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::AuthMethods => r(
                "Authentication methods",
                Delegated,
                &[
                    &["UserAuthenticationMethod.Read.All"],
                    &["UserAuthenticationMethod.ReadWrite.All"],
                ],
                "Authentication Administrator or Global Reader",
            ),
            Feature::DeleteAuthMethod => r(
                "Delete an authentication method",
                Delegated,
                METHODS_RW,
                "Authentication Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::CreateTap => r(
                "Issue a Temporary Access Pass",
                Delegated,
                &[
                    &["UserAuthMethod-TAP.ReadWrite.All"],
                    &["UserAuthenticationMethod.ReadWrite.All"],
                ],
                "Authentication Administrator (Privileged Authentication Administrator for admins)",
            ),
            Feature::ConsentGrants => r(
                "Consent grants",
                Delegated,
                &[&["Directory.Read.All"], &["Directory.ReadWrite.All"]],
                "Global Reader",
            ),
            Feature::RemoveConsentGrant => r(
                "Remove a consent grant",
                Delegated,
                &[
                    &["DelegatedPermissionGrant.ReadWrite.All"],
                    &["Directory.ReadWrite.All"],
                ],
                "Cloud Application Administrator",
            ),
            Feature::ServicePrincipals => r(
                "Apps behind grants",
                Delegated,
                &[
                    &["Application.Read.All"],
                    &["Application.ReadWrite.All"],
                    &["Directory.Read.All"],
                ],
                "any reader role",
            ),
            Feature::AppRoleAssignments => r(
                "App role assignments",
                Delegated,
                &[
                    &["User.ReadBasic.All"],
                    &["User.Read.All"],
                    &["Directory.Read.All"],
                ],
                "Global Reader",
            ),
            Feature::RemoveAppRoleAssignment => r(
                "Remove an app role assignment",
                Delegated,
                &[&["AppRoleAssignment.ReadWrite.All"]],
                "Cloud Application Administrator",
            ),
            Feature::OtherUsersMailboxRules => r(
                "Another user's inbox rules",
                AppOnly,
                &[&["MailboxSettings.Read"], &["MailboxSettings.ReadWrite"]],
                "application permission with admin consent (app-only sign-in)",
            ),
            Feature::DirectoryAudits => r(
                "Directory audit log",
                Delegated,
                LOGS,
                "Reports Reader or Security Reader",
            ),
        }
    }
}
