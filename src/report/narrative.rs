//! The prose parts of the report: verdict, timeline of flagged objects, residual risk and
//! open items. All tenant text leaves here sanitised.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::{ActionRecord, TimelineEntry, Verdict, rfc3339};
use crate::analysis::{Analysis, ObjectType, Role, Severity};
use crate::evidence::Evidence;
use crate::graph::models::SignIn;
use crate::sanitize::line;

/// Longest timeline kept in the report.
pub const MAX_TIMELINE: usize = 200;

pub fn verdict(ev: &Evidence, an: &Analysis) -> Verdict {
    let s = &an.summary;
    let top: Vec<&str> = s
        .top_indicators
        .iter()
        .take(3)
        .map(|i| i.indicator)
        .collect();
    let (level, mut headline) = match an.max_severity() {
        Some(Severity::High) => (
            "high",
            format!(
                "Likely compromised: {} high-severity finding{} ({})",
                s.high,
                if s.high == 1 { "" } else { "s" },
                top.join(", ")
            ),
        ),
        Some(Severity::Medium) => (
            "medium",
            format!(
                "Suspicious: {} finding{} of medium severity need review ({})",
                s.medium,
                if s.medium == 1 { "" } else { "s" },
                top.join(", ")
            ),
        ),
        Some(sev) => (
            sev.as_str(),
            format!(
                "No strong sign of compromise: {} minor observation{}",
                an.findings.len(),
                if an.findings.len() == 1 { "" } else { "s" }
            ),
        ),
        None => (
            "none",
            "No indicator of compromise found in the window".to_owned(),
        ),
    };
    if ev.is_incomplete() {
        headline.push_str(" — data incomplete, some parts could not be read");
    }
    Verdict {
        level,
        headline,
        incomplete: ev.is_incomplete(),
    }
}

/// Time and one line for a Graph object of the evidence, if it has a time.
fn describe(
    ev: &Evidence,
    sign_ins: &HashMap<&str, &SignIn>,
    kind: ObjectType,
    id: &str,
) -> Option<(DateTime<Utc>, String)> {
    match kind {
        ObjectType::SignIn => {
            let s = sign_ins.get(id)?;
            let status = if s.succeeded() {
                "succeeded".to_owned()
            } else {
                format!("failed ({})", s.status.error_code)
            };
            Some((
                s.created_date_time?,
                format!(
                    "Sign-in {status} from {} ({}) to {} via {}",
                    s.ip_address.raw().trim(),
                    crate::analysis::place(s),
                    s.app_display_name.raw().trim(),
                    s.client_app_used.raw().trim()
                ),
            ))
        }
        ObjectType::AuthenticationMethod => {
            let m = ev.methods.iter().find(|m| m.id == id)?;
            Some((
                m.created_date_time?,
                format!(
                    "Method added: {} {}",
                    m.type_label(),
                    m.detail().raw().trim()
                ),
            ))
        }
        ObjectType::DirectoryAudit => {
            let a = ev.audits.iter().find(|a| a.id == id)?;
            Some((
                a.activity_date_time?,
                format!(
                    "{} by {}",
                    a.activity_display_name.raw(),
                    a.initiator().raw()
                ),
            ))
        }
        ObjectType::RiskDetection => {
            let d = ev.risk_detections.iter().find(|d| d.id == id)?;
            Some((
                d.activity_date_time.or(d.detected_date_time)?,
                format!(
                    "Risk detection {} ({} risk) from {}",
                    d.risk_event_type.raw(),
                    d.risk_level.as_str(),
                    d.ip_address.raw()
                ),
            ))
        }
        ObjectType::RiskyUser => {
            let r = ev.risky_user.as_ref()?;
            Some((
                r.risk_last_updated_date_time?,
                format!(
                    "User risk {} ({})",
                    r.risk_level.as_str(),
                    r.risk_state.as_str()
                ),
            ))
        }
        ObjectType::OAuth2PermissionGrant
        | ObjectType::MessageRule
        | ObjectType::ServicePrincipal => None,
    }
}

type TimelineKey<'a> = (DateTime<Utc>, &'static str, &'a str);
type TimelineValue = (ObjectType, String, Vec<&'static str>);

/// The flagged objects in time order, one line each, with the indicators that flag them.
pub fn timeline(ev: &Evidence, an: &Analysis) -> Vec<TimelineEntry> {
    let sign_ins: HashMap<&str, &SignIn> = ev
        .sign_ins
        .iter()
        .chain(&ev.non_interactive)
        .map(|s| (s.id.as_str(), s))
        .collect();
    let mut by: BTreeMap<TimelineKey, TimelineValue> = BTreeMap::new();
    for f in &an.findings {
        for e in f.evidence.iter().filter(|e| e.role == Role::Flagged) {
            let Some((t, text)) = describe(ev, &sign_ins, e.kind, &e.id) else {
                continue;
            };
            let entry = by
                .entry((t, e.kind.as_str(), e.id.as_str()))
                .or_insert_with(|| (e.kind, text, Vec::new()));
            if !entry.2.contains(&f.indicator) {
                entry.2.push(f.indicator);
            }
        }
    }
    by.into_iter()
        .take(MAX_TIMELINE)
        .map(|((t, _, id), (kind, text, indicators))| TimelineEntry {
            time: rfc3339(t),
            kind: kind.as_str(),
            id: line(id),
            summary: line(&text),
            indicators,
        })
        .collect()
}

fn has(an: &Analysis, indicator: &str) -> bool {
    an.findings.iter().any(|f| f.indicator == indicator)
}

pub fn residual_risk(ev: &Evidence, an: &Analysis) -> Vec<String> {
    let mut out = vec![
        "Access tokens issued before sessions were revoked stay valid until they expire \
         (about 60-90 minutes) unless the resource supports continuous access evaluation."
            .to_owned(),
        "Delegated OAuth grants survive a password reset and a session revocation: an app the \
         attacker consented to keeps its access until the grant is removed."
            .to_owned(),
        "Hidden inbox rules, mailbox-level forwarding (ForwardingSmtpAddress), transport rules \
         and mailbox delegates/FullAccess permissions are invisible to Microsoft Graph: check \
         them in Exchange Online."
            .to_owned(),
        "Authentication methods the attacker registered stay usable until they are removed."
            .to_owned(),
        "Mail, files and data read or sent before containment cannot be recalled.".to_owned(),
    ];
    if ev.user.on_premises_sync_enabled == Some(true) {
        out.push(
            "The account is synchronised from on-premises Active Directory: cloud changes to \
             the password or sign-in state can be overwritten by the next sync."
                .to_owned(),
        );
    }
    if ev.non_interactive.is_empty() {
        out.push(
            "Non-interactive sign-ins (where replayed refresh tokens show) were not read: \
             token theft may be under-reported."
                .to_owned(),
        );
    }
    if has(an, "device_code_flow") {
        out.push(
            "A device-code sign-in gives the attacker a refresh token usable from anywhere \
             until sessions are revoked."
                .to_owned(),
        );
    }
    out
}

/// What still needs doing, from the findings, the gaps and the actions taken so far.
pub fn open_items(ev: &Evidence, an: &Analysis, actions: &[ActionRecord]) -> Vec<String> {
    let done = |words: &[&str]| {
        actions.iter().any(|a| {
            let act = a.action.to_ascii_lowercase();
            let ok = !a.outcome.to_ascii_lowercase().starts_with("fail");
            ok && words.iter().any(|w| act.contains(w))
        })
    };
    let count = |indicator: &str| {
        an.findings
            .iter()
            .filter(|f| f.indicator == indicator)
            .count()
    };
    let mut out = Vec::new();
    let serious = an.max_severity().is_some_and(|s| s >= Severity::Medium);
    if serious && actions.is_empty() {
        out.push("No containment action is recorded in this report.".to_owned());
    }
    if serious && !done(&["revoke"]) {
        out.push("Revoke the user's sessions (refresh tokens and session cookies).".to_owned());
    }
    if serious && !done(&["password"]) {
        out.push("Reset the user's password.".to_owned());
    }
    let items: [(&str, &[&str], &str); 4] = [
        (
            "risky_grant",
            &["grant"],
            "Review or remove the flagged OAuth grant(s)",
        ),
        (
            "suspicious_inbox_rule",
            &["rule"],
            "Review, disable or delete the flagged inbox rule(s)",
        ),
        (
            "new_auth_method",
            &["method"],
            "Verify with the user, or remove, the authentication method(s) added in the window",
        ),
        (
            "risky_user",
            &["risk", "compromised", "dismiss", "safe"],
            "Confirm the user compromised or dismiss the user risk",
        ),
    ];
    for (indicator, words, text) in items {
        let n = count(indicator);
        if n > 0 && !done(words) {
            out.push(format!("{text} ({n})."));
        }
    }
    if ev.user.on_premises_sync_enabled == Some(true) && serious {
        out.push("Reset the password and disable the account in on-premises AD too.".to_owned());
    }
    for g in &ev.gaps {
        out.push(format!(
            "Re-read {} once access allows ({}).",
            line(&g.part),
            line(&g.reason)
        ));
    }
    out
}
