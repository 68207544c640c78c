//! `new_auth_method`: an authentication method added during the window (persistence: the
//! attacker's own authenticator or phone). The directory-audit "registered security info"
//! events near it are its context; such events with no dated method behind them (Graph leaves
//! `createdDateTime` null for some types) become `security_info_registered`.

use chrono::Duration;

use super::{EvidenceRef, Finding, ObjectType, Severity, one_line, when};
use crate::evidence::Evidence;
use crate::graph::models::{DirectoryAudit, MethodKind};

/// How far from a method's creation an audit event counts as its registration.
const NEAR_MINUTES: i64 = 30;

/// Whether an audit event records security info (a method) being registered for the user.
pub fn is_registration(a: &DirectoryAudit, user_id: &str) -> bool {
    let name = a.activity_display_name.raw().to_ascii_lowercase();
    let registration = name.contains("registered security info")
        || (a
            .category
            .raw()
            .eq_ignore_ascii_case("UserAuthenticationMethod")
            && (name.contains("register") || name.contains("added")));
    let about_user = a
        .target_resources
        .iter()
        .any(|t| t.id.as_deref() == Some(user_id))
        || a.initiated_by
            .user
            .as_ref()
            .is_some_and(|u| u.id.as_deref() == Some(user_id));
    registration && about_user
}

pub fn find(ev: &Evidence) -> Vec<Finding> {
    let regs: Vec<&DirectoryAudit> = ev
        .audits
        .iter()
        .filter(|a| a.activity_date_time.is_some_and(|t| ev.window.contains(t)))
        .filter(|a| is_registration(a, &ev.user.id))
        .collect();
    let mut matched = std::collections::HashSet::new();
    let mut out = Vec::new();
    for m in &ev.methods {
        if matches!(m.kind, MethodKind::Password) {
            continue;
        }
        let Some(at) = m.created_date_time.filter(|t| ev.window.contains(*t)) else {
            continue;
        };
        let near: Vec<&&DirectoryAudit> = regs
            .iter()
            .filter(|a| {
                a.activity_date_time
                    .is_some_and(|t| (t - at).abs() <= Duration::minutes(NEAR_MINUTES))
            })
            .collect();
        matched.extend(near.iter().map(|a| a.id.as_str()));
        let detail = m.detail();
        let detail = detail.raw().trim();
        let summary = format!(
            "{} added {}{}{}",
            m.type_label(),
            when(Some(at)),
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            },
            near.first()
                .map(|a| format!(
                    " (audit: {} by {})",
                    a.activity_display_name.raw(),
                    a.initiator().raw()
                ))
                .unwrap_or_default()
        );
        let mut evidence = vec![EvidenceRef::flagged(
            ObjectType::AuthenticationMethod,
            m.id.clone(),
        )];
        evidence.extend(
            near.iter()
                .map(|a| EvidenceRef::context(ObjectType::DirectoryAudit, a.id.clone())),
        );
        out.push(Finding {
            indicator: "new_auth_method",
            severity: Severity::Medium,
            summary: one_line(summary),
            evidence,
            at: Some(at),
        });
    }
    for a in regs.iter().filter(|a| !matched.contains(a.id.as_str())) {
        out.push(Finding {
            indicator: "security_info_registered",
            severity: Severity::Medium,
            summary: one_line(format!(
                "Directory audit: {} by {} at {} ({})",
                a.activity_display_name.raw(),
                a.initiator().raw(),
                when(a.activity_date_time),
                a.result.as_str()
            )),
            evidence: vec![EvidenceRef::flagged(
                ObjectType::DirectoryAudit,
                a.id.clone(),
            )],
            at: a.activity_date_time,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Role, Thresholds, analyse};
    use super::*;
    use crate::graph::models::{AuthMethod, TargetResource, TenantText};

    fn method(id: &str, created: Option<chrono::DateTime<chrono::Utc>>) -> AuthMethod {
        let mut v = serde_json::json!({
            "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
            "id": id, "displayName": "Pixel 7 Pro"
        });
        if let Some(c) = created {
            v["createdDateTime"] = serde_json::json!(c.to_rfc3339());
        }
        AuthMethod::from_value(v)
    }

    fn audit(id: &str, at: chrono::DateTime<chrono::Utc>) -> DirectoryAudit {
        DirectoryAudit {
            id: id.into(),
            activity_date_time: Some(at),
            activity_display_name: TenantText::new("User registered security info"),
            category: TenantText::new("UserManagement"),
            target_resources: vec![TargetResource {
                id: Some("u1".into()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn of(ev: &Evidence, indicator: &str) -> Vec<Finding> {
        analyse(ev, &Thresholds::default())
            .findings
            .into_iter()
            .filter(|f| f.indicator == indicator)
            .collect()
    }

    #[test]
    fn method_created_in_window_is_flagged_with_its_audit() {
        let mut ev = evidence();
        ev.methods = vec![
            method("m-new", Some(tm(2, 9, 30))),
            method("m-old", Some(t(-30, 0))),
        ];
        ev.audits = vec![audit("a-near", tm(2, 9, 31)), audit("a-far", t(4, 0))];
        let f = of(&ev, "new_auth_method");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].evidence[0],
            EvidenceRef::flagged(ObjectType::AuthenticationMethod, "m-new")
        );
        assert_eq!(f[0].evidence[1].id, "a-near");
        assert_eq!(f[0].evidence[1].role, Role::Context);
        assert!(
            f[0].summary.contains("Authenticator app added"),
            "{}",
            f[0].summary
        );
        // The unmatched registration is its own finding.
        let r = of(&ev, "security_info_registered");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].evidence[0].id, "a-far");
    }

    #[test]
    fn methods_before_the_window_or_undated_are_not_flagged() {
        let mut ev = evidence();
        ev.methods = vec![method("old", Some(t(-1, 23))), method("undated", None)];
        assert!(of(&ev, "new_auth_method").is_empty());
        // Registration of another user is not about this one.
        let mut a = audit("other", t(1, 0));
        a.target_resources[0].id = Some("u2".into());
        ev.audits = vec![a];
        assert!(of(&ev, "security_info_registered").is_empty());
    }
}
