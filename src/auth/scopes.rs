//! Which Graph permissions the console asks for and why, and which panes/actions a token's
//! granted permissions unlock (graph-api.md §11 as data), naming what is missing.

use std::collections::BTreeSet;

pub use super::features::{Feature, Requirement, Via};

/// OpenID Connect / refresh scopes requested with every device-code sign-in (unqualified).
pub const OIDC_SCOPES: &[&str] = &["offline_access", "openid", "profile"];

/// Delegated Graph scopes requested at sign-in, with what each is for. All need admin consent.
pub const GRAPH_SCOPES: &[(&str, &str)] = &[
    (
        "User.Read.All",
        "read the suspect's profile and, with AuditLog.Read.All, signInActivity",
    ),
    (
        "AuditLog.Read.All",
        "sign-in logs, directory audit log, user signInActivity",
    ),
    (
        "Directory.Read.All",
        "sign-in/audit logs (required alongside AuditLog), consent grants, app role assignments",
    ),
    (
        "Policy.Read.ConditionalAccess",
        "names of the Conditional Access policies applied to each sign-in",
    ),
    (
        "IdentityRiskyUser.ReadWrite.All",
        "risky user state and history; confirm compromised / safe, dismiss (users and sign-ins)",
    ),
    ("IdentityRiskEvent.Read.All", "risk detections"),
    (
        "Application.Read.All",
        "the service principals behind consent grants (publisher, verified, owner tenant)",
    ),
    (
        "UserAuthenticationMethod.ReadWrite.All",
        "list authentication methods; delete a planted one; reset the password; issue a TAP",
    ),
    (
        "User.RevokeSessions.All",
        "revoke the suspect's sessions (refresh tokens)",
    ),
    (
        "User.EnableDisableAccount.All",
        "disable / re-enable the account",
    ),
    (
        "User-PasswordProfile.ReadWrite.All",
        "set a new password through passwordProfile",
    ),
    (
        "DelegatedPermissionGrant.ReadWrite.All",
        "remove a consent grant given to a malicious app",
    ),
    (
        "AppRoleAssignment.ReadWrite.All",
        "remove an app role assignment",
    ),
];

/// The permissions a token carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Granted {
    /// Delegated scopes (`scp`), lower-cased.
    pub scopes: BTreeSet<String>,
    /// Application roles (`roles`), lower-cased.
    pub roles: BTreeSet<String>,
}

impl Granted {
    /// From the raw `scp` entries and `roles` entries (scope names may be resource-qualified).
    pub fn new<'a>(
        scopes: impl IntoIterator<Item = &'a str>,
        roles: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let norm = |s: &str| s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
        Granted {
            scopes: scopes.into_iter().map(norm).collect(),
            roles: roles.into_iter().map(norm).collect(),
        }
    }

    fn has(&self, via: Via, name: &str) -> bool {
        let set = match via {
            Via::Delegated => &self.scopes,
            Via::AppOnly => &self.roles,
        };
        set.contains(&name.to_ascii_lowercase())
    }

    /// Whether `feature` is available and, if not, what is missing.
    pub fn check(&self, feature: Feature) -> Availability {
        let req = feature.requirement();
        let mut best: Option<Vec<&'static str>> = None;
        for alt in req.alternatives {
            let missing: Vec<&'static str> = alt
                .iter()
                .copied()
                .filter(|s| !self.has(req.via, s))
                .collect();
            if missing.is_empty() {
                return Availability::Available;
            }
            if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
                best = Some(missing);
            }
        }
        Availability::Missing {
            feature,
            missing: best.unwrap_or_default(),
        }
    }

    /// Every feature with its availability.
    pub fn report(&self) -> Vec<(Feature, Availability)> {
        Feature::ALL.iter().map(|f| (*f, self.check(*f))).collect()
    }
}

/// Whether a feature can be used with a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// Not available; `missing` is the smallest set of permissions that would unlock it.
    Missing {
        feature: Feature,
        missing: Vec<&'static str>,
    },
}

impl Availability {
    pub fn is_available(&self) -> bool {
        matches!(self, Availability::Available)
    }

    /// A sentence for the pane's status line, naming the missing scope and the role hint;
    /// `None` when available.
    pub fn message(&self) -> Option<String> {
        let Availability::Missing { feature, missing } = self else {
            return None;
        };
        let req = feature.requirement();
        let kind = match req.via {
            Via::Delegated => "delegated scope",
            Via::AppOnly => "application permission",
        };
        let plural = if missing.len() > 1 { "s" } else { "" };
        Some(format!(
            "{}: skipped — the token lacks the {kind}{plural} {} (admin consent needed); role: {}",
            req.label,
            missing.join(" + "),
            req.role_hint
        ))
    }
}

/// The full scope string for a device-code sign-in, Graph scopes qualified with `qualify`.
pub fn requested_scopes(qualify: impl Fn(&str) -> String) -> String {
    OIDC_SCOPES
        .iter()
        .map(|s| s.to_string())
        .chain(GRAPH_SCOPES.iter().map(|(s, _)| qualify(s)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requested_scope_unlocks_every_delegated_feature() {
        let all: Vec<&str> = GRAPH_SCOPES.iter().map(|(s, _)| *s).collect();
        let g = Granted::new(all, []);
        for (f, a) in g.report() {
            let req = f.requirement();
            assert_eq!(a.is_available(), req.via == Via::Delegated, "{f:?}: {a:?}");
        }
    }

    #[test]
    fn missing_scope_is_named() {
        let g = Granted::new(
            [
                "https://graph.microsoft.com/User.Read.All",
                "AuditLog.Read.All",
            ],
            [],
        );
        assert!(g.check(Feature::UserProfile).is_available());
        assert!(g.check(Feature::SignInActivity).is_available());
        let a = g.check(Feature::SignIns);
        assert_eq!(
            a,
            Availability::Missing {
                feature: Feature::SignIns,
                missing: vec!["Directory.Read.All"]
            }
        );
        let msg = a.message().unwrap();
        assert!(msg.contains("Sign-in logs"), "{msg}");
        assert!(msg.contains("delegated scope Directory.Read.All"), "{msg}");
        assert!(msg.contains("Reports Reader"), "{msg}");
        let risky = g.check(Feature::RiskyUsers).message().unwrap();
        assert!(risky.contains("IdentityRiskyUser.Read.All"), "{risky}");
    }

    #[test]
    fn app_roles_are_checked_for_app_only_features() {
        let delegated = Granted::new(["MailboxSettings.Read"], []);
        let msg = delegated
            .check(Feature::OtherUsersMailboxRules)
            .message()
            .unwrap();
        assert!(
            msg.contains("application permission MailboxSettings.Read"),
            "{msg}"
        );
        let app = Granted::new([], ["MailboxSettings.Read"]);
        assert!(app.check(Feature::OtherUsersMailboxRules).is_available());
        assert!(!app.check(Feature::UserProfile).is_available());
    }

    #[test]
    fn case_insensitive_and_superset_alternatives() {
        let g = Granted::new(["user.readwrite.all"], []);
        assert!(g.check(Feature::RevokeSessions).is_available());
        assert!(g.check(Feature::DisableAccount).is_available());
        assert!(!g.check(Feature::DeleteAuthMethod).is_available());
    }

    #[test]
    fn scope_string_is_qualified() {
        let s = requested_scopes(|x| format!("https://graph.microsoft.us/{x}"));
        assert!(s.starts_with(
            "offline_access openid profile https://graph.microsoft.us/User.Read.All "
        ));
        assert!(!s.contains("  "));
    }
}
