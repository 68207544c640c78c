//! From findings to rows and back: which pane holds each Graph object type, which objects a
//! pane row shows, one line describing an evidence object from whatever is loaded, and the
//! detail view of a finding (every evidence row described). Pure reads of `Panes`.

use super::Panes;
use crate::analysis::{self, EvidenceRef, Finding, ObjectType};
use crate::panes::RowDetail;
use crate::protocol::PaneId;

/// The pane that holds objects of `kind`.
pub fn pane_of(kind: ObjectType) -> PaneId {
    match kind {
        ObjectType::SignIn => PaneId::SignIns,
        ObjectType::RiskDetection | ObjectType::RiskyUser => PaneId::Risk,
        ObjectType::AuthenticationMethod => PaneId::Methods,
        ObjectType::OAuth2PermissionGrant | ObjectType::ServicePrincipal => PaneId::Grants,
        ObjectType::MessageRule => PaneId::Rules,
        ObjectType::DirectoryAudit => PaneId::Audit,
    }
}

/// The Graph objects row `i` of `pane` shows (its own first).
pub fn row_keys(p: &Panes, pane: PaneId, i: usize) -> Vec<(ObjectType, String)> {
    let one = |k: ObjectType, id: &str| vec![(k, id.to_owned())];
    match pane {
        PaneId::SignIns => p
            .sign_ins
            .state
            .data()
            .and_then(|s| p.inv.sign_in_at(s, i))
            .map_or_else(Vec::new, |(s, _)| one(ObjectType::SignIn, &s.id)),
        PaneId::Risk => p
            .risk
            .state
            .data()
            .and_then(|r| r.detections.get(i))
            .map_or_else(Vec::new, |d| one(ObjectType::RiskDetection, &d.id)),
        PaneId::Methods => p
            .methods
            .state
            .data()
            .and_then(|m| m.methods.get(i))
            .map_or_else(Vec::new, |m| one(ObjectType::AuthenticationMethod, &m.id)),
        PaneId::Grants => p
            .grants
            .state
            .data()
            .and_then(|g| g.grants.get(i))
            .map_or_else(Vec::new, |g| {
                vec![
                    (ObjectType::OAuth2PermissionGrant, g.id.clone()),
                    (ObjectType::ServicePrincipal, g.client_id.clone()),
                ]
            }),
        PaneId::Rules => p
            .inv
            .rules
            .state
            .data()
            .and_then(|r| r.rules.get(i))
            .map_or_else(Vec::new, |r| one(ObjectType::MessageRule, &r.id)),
        PaneId::Audit => p
            .inv
            .audit
            .state
            .data()
            .and_then(|a| a.rows.get(i))
            .map_or_else(Vec::new, |a| one(ObjectType::DirectoryAudit, &a.id)),
        PaneId::Timeline => p
            .inv
            .timeline
            .rows
            .get(i)
            .map_or_else(Vec::new, |r| one(r.object, &r.id)),
        PaneId::Indicators => Vec::new(),
    }
}

/// One line about an evidence object, from whatever is loaded (sanitised).
pub fn describe(p: &Panes, e: &EvidenceRef) -> String {
    let id = e.id.as_str();
    let found = match e.kind {
        ObjectType::SignIn => {
            let window = p.sign_ins.state.data().map_or(&[][..], |s| &s.rows[..]);
            let ctx = p.inv.context.data();
            let base = ctx.map_or(&[][..], |c| &c.baseline[..]);
            window
                .iter()
                .chain(base)
                .chain(p.inv.non_interactive())
                .find(|s| s.id == id)
                .map(|s| {
                    format!(
                        "{} · {} · {} · {} · {}",
                        analysis_when(s.created_date_time),
                        if s.succeeded() { "ok" } else { "failed" },
                        s.ip_address.safe(),
                        crate::sanitize::line(&analysis::place_of(s)),
                        s.app_display_name.safe()
                    )
                })
        }
        ObjectType::AuthenticationMethod => p
            .methods
            .state
            .data()
            .and_then(|m| m.methods.iter().find(|m| m.id == id))
            .map(|m| {
                format!(
                    "{} · {} · added {}",
                    m.type_label(),
                    m.detail().safe(),
                    analysis_when(m.created_date_time)
                )
            }),
        ObjectType::OAuth2PermissionGrant => p.grants.state.data().and_then(|g| {
            let grant = g.grants.iter().find(|x| x.id == id)?;
            let app = g
                .principal(&grant.client_id)
                .map_or_else(|| grant.client_id.clone(), |sp| sp.name().safe());
            Some(format!(
                "{} · {}",
                crate::sanitize::line(&app),
                crate::sanitize::line_capped(grant.scope.raw(), 120)
            ))
        }),
        ObjectType::ServicePrincipal => p
            .grants
            .state
            .data()
            .and_then(|g| g.principal(id))
            .map(|sp| format!("app {}", sp.name().safe())),
        ObjectType::MessageRule => p.inv.rules.state.data().and_then(|r| {
            let rule = r.rules.iter().find(|x| x.id == id)?;
            Some(format!(
                "rule \"{}\" · {}",
                rule.display_name.safe(),
                r.actions(rule, &p.inv.domains).0
            ))
        }),
        ObjectType::DirectoryAudit => p
            .inv
            .audit
            .state
            .data()
            .and_then(|a| a.rows.iter().find(|x| x.id == id))
            .map(|a| {
                format!(
                    "{} · {}",
                    analysis_when(a.activity_date_time),
                    a.activity_display_name.safe()
                )
            }),
        ObjectType::RiskDetection => p
            .risk
            .state
            .data()
            .and_then(|r| r.detections.iter().find(|x| x.id == id))
            .map(|d| {
                format!(
                    "{} · {} · {}",
                    analysis_when(d.activity_date_time.or(d.detected_date_time)),
                    d.risk_event_type.safe(),
                    d.ip_address.safe()
                )
            }),
        ObjectType::RiskyUser => p.risk.state.data().and_then(|r| r.user.as_ref()).map(|u| {
            format!(
                "risky user · {} ({})",
                crate::sanitize::line_capped(u.risk_level.as_str(), 16),
                crate::sanitize::line_capped(u.risk_state.as_str(), 30)
            )
        }),
    };
    found.unwrap_or_else(|| "(not loaded)".into())
}

fn analysis_when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "no time".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// The detail view of a finding: what, how bad, and every evidence row described.
pub fn finding_detail(p: &Panes, f: &Finding) -> RowDetail {
    let rows: Vec<serde_json::Value> = f
        .evidence
        .iter()
        .map(|e| {
            serde_json::json!(format!(
                "{} {} {} · {}",
                if e.role == analysis::Role::Flagged {
                    "⚠"
                } else {
                    "·"
                },
                e.kind.as_str(),
                crate::sanitize::line_capped(&e.id, 60),
                describe(p, e)
            ))
        })
        .collect();
    RowDetail {
        title: format!(
            "{} · {} · e: jump to evidence",
            f.indicator,
            f.severity.as_str()
        ),
        value: serde_json::json!({
            "indicator": f.indicator,
            "severity": f.severity.as_str(),
            "summary": crate::sanitize::line(&f.summary),
            "at": f.at,
            "evidence": rows,
        }),
    }
}

/// Detail of row `i` of a derived or investigation pane.
pub fn detail(p: &Panes, pane: PaneId, i: usize) -> Option<RowDetail> {
    match pane {
        PaneId::Indicators => {
            let f = p.inv.analysis.as_ref()?.findings.get(i)?;
            Some(finding_detail(p, f))
        }
        other => p.inv.detail(other, i),
    }
}
