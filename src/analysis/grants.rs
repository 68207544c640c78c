//! `risky_grant`: a delegated OAuth grant to an app whose publisher is not verified and that
//! is not a first-party Microsoft app (consent phishing, persistence that survives password
//! resets). High with a high-risk scope (mail, files, directory, offline_access…).

use super::{EvidenceRef, Finding, ObjectType, Severity, Thresholds, one_line};
use crate::evidence::Evidence;
use crate::graph::models::{ConsentType, ServicePrincipal};

pub fn find(ev: &Evidence, cfg: &Thresholds) -> Vec<Finding> {
    let own_tenant = ev.tenant.as_ref().map(|t| t.id.as_str()).unwrap_or("");
    let mut out = Vec::new();
    for g in &ev.grants {
        if g.consent_type == ConsentType::Principal
            && g.principal_id.as_deref().is_some_and(|p| p != ev.user.id)
        {
            continue;
        }
        let sp: Option<&ServicePrincipal> =
            ev.service_principals.iter().find(|s| s.id == g.client_id);
        if sp.is_some_and(|s| s.is_verified() || s.is_first_party()) {
            continue;
        }
        let scopes = g.scopes();
        let risky: Vec<&str> = scopes
            .iter()
            .copied()
            .filter(|s| cfg.is_high_risk_scope(s))
            .collect();
        let mut severity = if risky.is_empty() {
            Severity::Medium
        } else {
            Severity::High
        };
        let in_tenant = sp.is_some_and(|s| {
            !own_tenant.is_empty()
                && s.app_owner_organization_id
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(own_tenant))
        });
        if in_tenant {
            severity = severity.lowered();
        }
        let name = match sp {
            Some(s) if !s.name().is_empty() => format!("\"{}\"", s.name().raw().trim()),
            Some(s) => format!("app {}", s.app_id),
            None => format!("unresolved client {}", g.client_id),
        };
        let publisher = match sp {
            None => "publisher unknown",
            Some(_) if in_tenant => "registered in this tenant, unverified",
            Some(_) => "unverified publisher",
        };
        let consent = match g.consent_type {
            ConsentType::AllPrincipals => "admin consent for all users",
            _ => "user consent",
        };
        let scope_text = if risky.is_empty() {
            format!(
                "scopes: {}",
                if scopes.is_empty() {
                    "none".to_owned()
                } else {
                    scopes.join(" ")
                }
            )
        } else {
            format!("high-risk scopes: {}", risky.join(" "))
        };
        let mut evidence = vec![EvidenceRef::flagged(
            ObjectType::OAuth2PermissionGrant,
            g.id.clone(),
        )];
        if let Some(s) = sp {
            evidence.push(EvidenceRef::context(
                ObjectType::ServicePrincipal,
                s.id.clone(),
            ));
        }
        out.push(Finding {
            indicator: "risky_grant",
            severity,
            summary: one_line(format!(
                "OAuth grant to {name} ({publisher}, {consent}) — {scope_text}"
            )),
            evidence,
            at: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Role, analyse};
    use super::*;
    use crate::graph::models::{
        OAuth2PermissionGrant, Organization, TenantText, VerifiedPublisher,
    };

    fn grant(id: &str, client: &str, scope: &str) -> OAuth2PermissionGrant {
        OAuth2PermissionGrant {
            id: id.into(),
            client_id: client.into(),
            consent_type: ConsentType::Principal,
            principal_id: Some("u1".into()),
            resource_id: "graph-sp".into(),
            scope: TenantText::new(scope),
        }
    }

    fn sp(id: &str, name: &str, owner: &str, verified: bool) -> ServicePrincipal {
        ServicePrincipal {
            id: id.into(),
            app_id: format!("app-{id}"),
            display_name: TenantText::new(name),
            app_owner_organization_id: Some(owner.into()),
            verified_publisher: verified.then(|| VerifiedPublisher {
                display_name: Some(TenantText::new("Contoso Ltd")),
                verified_publisher_id: Some("1234567".into()),
                added_date_time: None,
            }),
            ..Default::default()
        }
    }

    fn of(ev: &Evidence) -> Vec<Finding> {
        analyse(ev, &Thresholds::default())
            .findings
            .into_iter()
            .filter(|f| f.indicator == "risky_grant")
            .collect()
    }

    #[test]
    fn unverified_app_with_mail_scopes_is_high() {
        let mut ev = evidence();
        ev.grants = vec![grant("g1", "sp1", " openid Mail.Read offline_access ")];
        ev.service_principals = vec![sp("sp1", "Mail Sync Pro", "evil-tenant", false)];
        let f = of(&ev);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(
            f[0].evidence[0],
            EvidenceRef::flagged(ObjectType::OAuth2PermissionGrant, "g1")
        );
        assert_eq!(f[0].evidence[1].kind, ObjectType::ServicePrincipal);
        assert_eq!(f[0].evidence[1].role, Role::Context);
        assert!(
            f[0].summary.contains("\"Mail Sync Pro\""),
            "{}",
            f[0].summary
        );
        assert!(
            f[0].summary.contains("Mail.Read offline_access"),
            "{}",
            f[0].summary
        );
        ev.grants = vec![grant("g2", "sp1", "User.Read openid")];
        assert_eq!(of(&ev)[0].severity, Severity::Medium);
    }

    #[test]
    fn verified_first_party_other_users_and_own_tenant_apps() {
        let mut ev = evidence();
        ev.tenant = Some(Organization {
            id: "our-tenant".into(),
            ..Default::default()
        });
        ev.grants = vec![
            grant("verified", "sp-v", "Mail.Read"),
            grant("ms", "sp-ms", "Mail.ReadWrite"),
            grant("lob", "sp-lob", "Mail.Read"),
        ];
        let mut other = grant("other-user", "sp-x", "Mail.Read");
        other.principal_id = Some("u2".into());
        ev.grants.push(other);
        ev.service_principals = vec![
            sp("sp-v", "Verified CRM", "crm-tenant", true),
            sp(
                "sp-ms",
                "Office",
                "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
                false,
            ),
            sp("sp-lob", "Payroll", "our-tenant", false),
        ];
        let f = of(&ev);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence[0].id, "lob");
        assert_eq!(
            f[0].severity,
            Severity::Medium,
            "own-tenant apps are one level lower"
        );
    }

    #[test]
    fn unresolved_client_is_flagged_without_context() {
        let mut ev = evidence();
        let mut g = grant("g", "missing-sp", "Files.ReadWrite.All");
        g.consent_type = ConsentType::AllPrincipals;
        g.principal_id = None;
        ev.grants = vec![g];
        let f = of(&ev);
        assert_eq!(f[0].evidence.len(), 1);
        assert!(f[0].summary.contains("unresolved client missing-sp"));
        assert!(f[0].summary.contains("admin consent"));
    }
}
