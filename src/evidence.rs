//! `Evidence`: everything collected about one suspect for one window — the input of
//! `crate::analysis` and `crate::report`. Plain data, no IO; the worker fills it.

use chrono::DateTime;

use crate::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, ServicePrincipal, SignIn, SignInPreferences,
    User,
};
use crate::window::Window;

/// A part of the evidence that could not be read (licence, permission, failure). Reports say
/// the data is incomplete and name these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Gap {
    /// Which part: "signIns", "riskDetections", "messageRules", …
    pub part: String,
    /// Why, in one line (e.g. "403 Authorization_RequestDenied: needs AuditLog.Read.All").
    pub reason: String,
}

impl Gap {
    pub fn new(part: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            part: part.into(),
            reason: reason.into(),
        }
    }
}

/// Everything collected about one suspect.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The tenant; its `verifiedDomains` say what is internal (never hard-code a domain).
    pub tenant: Option<Organization>,
    pub user: User,
    pub window: Window,
    /// Interactive sign-ins: the window AND the baseline period before it, in any order.
    pub sign_ins: Vec<SignIn>,
    /// Non-interactive sign-ins (beta); may be empty.
    pub non_interactive: Vec<SignIn>,
    pub risky_user: Option<RiskyUser>,
    pub risk_history: Vec<RiskyUserHistoryItem>,
    pub risk_detections: Vec<RiskDetection>,
    pub methods: Vec<AuthMethod>,
    pub sign_in_preferences: Option<SignInPreferences>,
    /// Delegated grants that apply to the user (Principal for them, and AllPrincipals).
    pub grants: Vec<OAuth2PermissionGrant>,
    /// Service principals the grants name (clients and resources).
    pub service_principals: Vec<ServicePrincipal>,
    pub rules: Vec<MessageRule>,
    pub mail_folders: Vec<MailFolder>,
    pub audits: Vec<DirectoryAudit>,
    /// Parts that could not be read.
    pub gaps: Vec<Gap>,
}

impl Evidence {
    /// Empty evidence for `user` over `window`.
    pub fn new(user: User, window: Window) -> Self {
        Self {
            tenant: None,
            user,
            window,
            sign_ins: Vec::new(),
            non_interactive: Vec::new(),
            risky_user: None,
            risk_history: Vec::new(),
            risk_detections: Vec::new(),
            methods: Vec::new(),
            sign_in_preferences: None,
            grants: Vec::new(),
            service_principals: Vec::new(),
            rules: Vec::new(),
            mail_folders: Vec::new(),
            audits: Vec::new(),
            gaps: Vec::new(),
        }
    }

    /// Whether some part could not be read.
    pub fn is_incomplete(&self) -> bool {
        !self.gaps.is_empty()
    }

    /// The domains inside the organisation: the tenant's verified domains, or — when the
    /// organisation could not be read — the domains of the user's own UPN and mail.
    pub fn internal_domains(&self) -> Vec<String> {
        if let Some(org) = &self.tenant {
            let d = org.domains();
            if !d.is_empty() {
                return d;
            }
        }
        let mut out: Vec<String> = [self.user.user_principal_name.raw(), self.user.mail.raw()]
            .iter()
            .filter_map(|a| {
                a.rsplit_once('@')
                    .map(|(_, d)| d.trim().to_ascii_lowercase())
            })
            .filter(|d| !d.is_empty())
            .collect();
        out.dedup();
        out
    }
}

impl Default for Evidence {
    /// Empty evidence for an empty user over an empty window at the Unix epoch.
    fn default() -> Self {
        let t = DateTime::UNIX_EPOCH;
        Self::new(User::default(), Window { start: t, end: t })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::{TenantText, VerifiedDomain};

    #[test]
    fn internal_domains_prefer_the_tenant_and_fall_back_to_the_user() {
        let mut ev = Evidence::default();
        ev.user.user_principal_name = TenantText::new("alice@Contoso.com");
        assert_eq!(ev.internal_domains(), vec!["contoso.com".to_owned()]);
        let org = Organization {
            verified_domains: vec![VerifiedDomain {
                name: TenantText::new("Fabrikam.com"),
                ..Default::default()
            }],
            ..Default::default()
        };
        ev.tenant = Some(org);
        assert_eq!(ev.internal_domains(), vec!["fabrikam.com".to_owned()]);
        assert!(!ev.is_incomplete());
        ev.gaps.push(Gap::new("messageRules", "403"));
        assert!(ev.is_incomplete());
    }
}
