//! The Grants pane's data: delegated OAuth grants with their client and resource service
//! principals resolved, and which scopes are high-risk (mail, files, directory, offline
//! access…: what a consent-phishing app asks for).

use std::collections::HashMap;

use super::{RowDetail, to_value};
use crate::graph::models::{OAuth2PermissionGrant, ServicePrincipal};

/// Grants of the suspect.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    /// As Graph returned them.
    pub grants: Vec<OAuth2PermissionGrant>,
    /// Resolved service principals by object id.
    pub principals: HashMap<String, ServicePrincipal>,
}

impl Grants {
    /// Builds the pane data from the worker's reply.
    pub fn new(grants: Vec<OAuth2PermissionGrant>, principals: Vec<ServicePrincipal>) -> Self {
        Self {
            grants,
            principals: principals.into_iter().map(|p| (p.id.clone(), p)).collect(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.grants.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }

    /// The service principal with object id `id`, if resolved.
    pub fn principal(&self, id: &str) -> Option<&ServicePrincipal> {
        self.principals.get(id)
    }

    /// Detail of row `i`: the grant, with its client and resource principals.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        let g = self.grants.get(i)?;
        let client = self.principal(&g.client_id);
        let title = match client {
            Some(p) => format!("Grant · {}", p.name().safe()),
            None => format!("Grant · {}", crate::sanitize::line(&g.client_id)),
        };
        Some(RowDetail {
            title,
            value: serde_json::json!({
                "grant": to_value(g),
                "client": client.map(to_value),
                "resource": self.principal(&g.resource_id).map(to_value),
            }),
        })
    }
}

/// Scopes that give broad or lasting access to data an attacker wants.
pub fn is_high_risk_scope(scope: &str) -> bool {
    let s = scope.to_ascii_lowercase();
    const EXACT: [&str; 6] = [
        "offline_access",
        "full_access_as_user",
        "ews.accessasuser.all",
        "imap.accessasuser.all",
        "pop.accessasuser.all",
        "smtp.send",
    ];
    const PREFIX: [&str; 11] = [
        "mail.",
        "mailboxsettings.",
        "files.",
        "sites.",
        "directory.",
        "user.readwrite",
        "contacts.readwrite",
        "notes.readwrite",
        "application.readwrite",
        "approleassignment.",
        "rolemanagement.",
    ];
    EXACT.contains(&s.as_str())
        || PREFIX.iter().any(|p| s.starts_with(p))
        || (s.starts_with("user.read.all"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_risk_scopes() {
        for s in [
            "Mail.Read",
            "offline_access",
            "Files.ReadWrite.All",
            "Directory.Read.All",
        ] {
            assert!(is_high_risk_scope(s), "{s}");
        }
        for s in ["openid", "profile", "User.Read", "email"] {
            assert!(!is_high_risk_scope(s), "{s}");
        }
    }
}
