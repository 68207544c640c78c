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

/// Splits beta sign-ins (interactive and non-interactive, as one beta query returns them):
/// non-interactive rows are returned; each interactive row lends its beta-only fields
/// (authentication protocol and details, ASN, token type…) to the v1.0 row with the same id,
/// or is added when v1.0 did not have it. The device-code, ROPC and MFA-step indicators need
/// those fields, which v1.0 does not carry.
pub fn merge_beta(v1: &mut Vec<SignIn>, beta: Vec<SignIn>) -> Vec<SignIn> {
    let mut index: std::collections::HashMap<crate::graph::models::Id, usize> = v1
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let mut non_interactive = Vec::new();
    for b in beta {
        if !b.interactive() {
            non_interactive.push(b);
            continue;
        }
        match index.get(&b.id) {
            Some(&i) => {
                let s = &mut v1[i];
                s.sign_in_event_types = b.sign_in_event_types.clone();
                s.authentication_protocol = b
                    .authentication_protocol
                    .clone()
                    .or(s.authentication_protocol.take());
                s.authentication_requirement = b
                    .authentication_requirement
                    .clone()
                    .or(s.authentication_requirement.take());
                s.incoming_token_type = b
                    .incoming_token_type
                    .clone()
                    .or(s.incoming_token_type.take());
                s.autonomous_system_number =
                    b.autonomous_system_number.or(s.autonomous_system_number);
                if !b.authentication_details.is_empty() {
                    s.authentication_details = b.authentication_details.clone();
                }
            }
            None => {
                index.insert(b.id.clone(), v1.len());
                v1.push(b);
            }
        }
    }
    non_interactive
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    #[test]
    fn beta_fields_reach_v1_rows_and_non_interactive_rows_split_off() {
        let mut v1: Vec<SignIn> =
            serde_json::from_value(serde_json::json!([{"id": "a"}, {"id": "b"}])).unwrap();
        let beta: Vec<SignIn> = serde_json::from_value(serde_json::json!([
            {"id": "a", "isInteractive": true, "authenticationProtocol": "deviceCode", "autonomousSystemNumber": 64499},
            {"id": "n", "isInteractive": false, "signInEventTypes": ["nonInteractiveUser"]},
            {"id": "c", "isInteractive": true}
        ]))
        .unwrap();
        let ni = merge_beta(&mut v1, beta);
        assert_eq!(ni.len(), 1);
        assert_eq!(v1.len(), 3);
        assert_eq!(v1[0].authentication_protocol.as_deref(), Some("deviceCode"));
        assert_eq!(v1[0].autonomous_system_number, Some(64499));
    }
}
