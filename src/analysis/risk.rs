//! Identity Protection's own verdicts: `risky_sign_in` (a sign-in Entra scored risky),
//! `risk_detection` (an open detection in the window) and `risky_user` (the user is at risk).

use std::collections::BTreeMap;

use super::{EvidenceRef, Finding, ObjectType, Severity, one_line, place, when};
use crate::evidence::Evidence;
use crate::graph::models::{RiskLevel, RiskState, SignIn};

/// Risk event types that on their own make a sign-in worth a look (case-insensitive).
pub const RISKY_EVENT_TYPES: &[&str] = &[
    "anonymizedIPAddress",
    "maliciousIPAddress",
    "suspiciousIPAddress",
    "malwareInfectedIPAddress",
    "riskyIPAddress",
    "unlikelyTravel",
    "impossibleTravel",
    "mcasImpossibleTravel",
    "unfamiliarFeatures",
    "leakedCredentials",
    "passwordSpray",
    "anomalousToken",
    "tokenIssuerAnomaly",
    "suspiciousBrowser",
    "investigationsThreatIntelligence",
    "investigationsThreatIntelligenceSigninLinked",
    "adminConfirmedUserCompromised",
    "attackerinTheMiddle",
    "nationStateIP",
    "newCountry",
    "suspiciousAPITraffic",
];

fn level_severity(l: &RiskLevel) -> Option<Severity> {
    match l {
        RiskLevel::High => Some(Severity::High),
        RiskLevel::Medium => Some(Severity::Medium),
        RiskLevel::Low => Some(Severity::Low),
        _ => None,
    }
}

fn risky_events(s: &SignIn) -> Vec<&str> {
    let mut v: Vec<&str> = s
        .risk_event_types_v2
        .iter()
        .chain(&s.risk_event_types)
        .map(|e| e.trim())
        .filter(|e| RISKY_EVENT_TYPES.iter().any(|r| r.eq_ignore_ascii_case(e)))
        .collect();
    v.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    v
}

/// The severity Entra's own scoring gives a sign-in, if it is worth a finding.
fn sign_in_severity(s: &SignIn) -> Option<Severity> {
    if matches!(
        s.risk_state,
        RiskState::ConfirmedSafe | RiskState::Dismissed
    ) {
        return None;
    }
    let by_level = match s.risk() {
        RiskLevel::High => Some(Severity::High),
        RiskLevel::Medium => Some(Severity::Medium),
        _ => None,
    };
    let by_state = match s.risk_state {
        RiskState::ConfirmedCompromised => Some(Severity::High),
        RiskState::AtRisk => Some(Severity::Medium),
        _ => None,
    };
    let by_event = (!risky_events(s).is_empty()).then_some(Severity::Medium);
    by_level.max(by_state).max(by_event)
}

pub fn find(ev: &Evidence) -> Vec<Finding> {
    // Risky rows grouped by (severity, IP): a replayed token can make hundreds of them.
    let mut groups: BTreeMap<(Severity, String), Vec<&SignIn>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<&SignIn> = ev
        .sign_ins
        .iter()
        .chain(&ev.non_interactive)
        .filter(|s| s.created_date_time.is_some_and(|t| ev.window.contains(t)))
        .filter(|s| seen.insert(s.id.as_str()))
        .collect();
    rows.sort_by_key(|s| s.created_date_time);
    for s in rows {
        if let Some(severity) = sign_in_severity(s) {
            let ip = s.ip_address.raw().trim().to_owned();
            groups.entry((severity, ip)).or_default().push(s);
        }
    }
    let mut out: Vec<Finding> = groups
        .into_iter()
        .map(|((severity, ip), rows)| risky_group(severity, &ip, &rows))
        .collect();
    out.extend(detections(ev));
    out.extend(risky_user(ev));
    out
}

fn risky_group(severity: Severity, ip: &str, rows: &[&SignIn]) -> Finding {
    let first = rows.first().and_then(|s| s.created_date_time);
    let oks = rows.iter().filter(|s| s.succeeded()).count();
    let mut levels: Vec<&str> = rows
        .iter()
        .map(|s| match s.risk().as_str() {
            "" => "unknown",
            l => l,
        })
        .collect();
    levels.sort_unstable();
    levels.dedup();
    let mut states: Vec<&str> = rows
        .iter()
        .map(|s| s.risk_state.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    states.sort_unstable();
    states.dedup();
    let mut events: Vec<&str> = rows.iter().flat_map(|s| risky_events(s)).collect();
    events.sort_unstable_by_key(|e| e.to_ascii_lowercase());
    events.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let n = rows.len();
    let summary = format!(
        "Entra scored {n} sign-in{} ({oks} successful) from {} ({}) {} risk{}{}, first {}",
        if n == 1 { "" } else { "s" },
        if ip.is_empty() {
            "an unknown address"
        } else {
            ip
        },
        rows.first().map(|s| place(s)).unwrap_or_default(),
        levels.join("/"),
        if states.is_empty() {
            String::new()
        } else {
            format!(" ({})", states.join(", "))
        },
        if events.is_empty() {
            String::new()
        } else {
            format!(": {}", events.join(", "))
        },
        when(first)
    );
    Finding {
        indicator: "risky_sign_in",
        severity,
        summary: one_line(summary),
        evidence: rows
            .iter()
            .map(|s| EvidenceRef::flagged(ObjectType::SignIn, s.id.clone()))
            .collect(),
        at: first,
    }
}

fn detections(ev: &Evidence) -> Vec<Finding> {
    let sign_in_ids: std::collections::HashSet<&str> = ev
        .sign_ins
        .iter()
        .chain(&ev.non_interactive)
        .map(|s| s.id.as_str())
        .collect();
    ev.risk_detections
        .iter()
        .filter(|d| d.user_id.is_empty() || d.user_id == ev.user.id)
        .filter(|d| {
            matches!(
                d.risk_state,
                RiskState::AtRisk | RiskState::ConfirmedCompromised
            )
        })
        .filter_map(|d| {
            let at = d.activity_date_time.or(d.detected_date_time)?;
            if !ev.window.contains(at) {
                return None;
            }
            let severity = if d.risk_state == RiskState::ConfirmedCompromised {
                Severity::High
            } else {
                level_severity(&d.risk_level).unwrap_or(Severity::Medium)
            };
            let mut evidence = vec![EvidenceRef::flagged(
                ObjectType::RiskDetection,
                d.id.clone(),
            )];
            if let Some(req) = d.request_id.as_deref().filter(|r| !r.is_empty())
                && sign_in_ids.contains(req)
            {
                evidence.push(EvidenceRef::context(ObjectType::SignIn, req.to_owned()));
            }
            let ip = d.ip_address.raw().trim();
            let loc = {
                let c = d.location.city.raw().trim();
                let cc = d.location.country_or_region.raw().trim();
                [c, cc]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let summary = format!(
                "Identity Protection detection {} ({} risk, {}){}{} at {}",
                match d.risk_event_type.raw().trim() {
                    "" => "of unknown type",
                    e => e,
                },
                match d.risk_level.as_str() {
                    "" => "unknown",
                    l => l,
                },
                d.risk_state.as_str(),
                if ip.is_empty() {
                    String::new()
                } else {
                    format!(" from {ip}")
                },
                if loc.is_empty() {
                    String::new()
                } else {
                    format!(" ({loc})")
                },
                when(Some(at))
            );
            Some(Finding {
                indicator: "risk_detection",
                severity,
                summary: one_line(summary),
                evidence,
                at: Some(at),
            })
        })
        .collect()
}

fn risky_user(ev: &Evidence) -> Vec<Finding> {
    let Some(r) = &ev.risky_user else {
        return Vec::new();
    };
    let open = matches!(
        r.risk_state,
        RiskState::AtRisk | RiskState::ConfirmedCompromised
    );
    if !open || r.risk_level.rank() < RiskLevel::Medium.rank() {
        return Vec::new();
    }
    let severity =
        if r.risk_level == RiskLevel::High || r.risk_state == RiskState::ConfirmedCompromised {
            Severity::High
        } else {
            Severity::Medium
        };
    let id = if ev.user.id.is_empty() {
        r.id.clone()
    } else {
        ev.user.id.clone()
    };
    let summary = format!(
        "Identity Protection rates the user {} risk ({}, {}), last updated {}",
        r.risk_level.as_str(),
        r.risk_state.as_str(),
        match r.risk_detail.as_str() {
            "" => "no detail",
            d => d,
        },
        when(r.risk_last_updated_date_time)
    );
    vec![Finding {
        indicator: "risky_user",
        severity,
        summary: one_line(summary),
        evidence: vec![EvidenceRef::flagged(ObjectType::RiskyUser, id)],
        at: r.risk_last_updated_date_time,
    }]
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Role, Thresholds, analyse};
    use super::*;
    use crate::graph::models::{RiskDetection, RiskyUser, TenantText};

    fn of(ev: &Evidence, indicator: &str) -> Vec<Finding> {
        analyse(ev, &Thresholds::default())
            .findings
            .into_iter()
            .filter(|f| f.indicator == indicator)
            .collect()
    }

    #[test]
    fn risky_sign_ins_by_level_state_and_event() {
        let mut ev = evidence();
        let mut high = ok("high", t(1, 1), "203.0.113.1", "NG");
        high.risk_level_aggregated = RiskLevel::High;
        let mut anon = ok("anon", t(1, 2), "203.0.113.2", "NG");
        anon.risk_event_types_v2 = vec!["anonymizedIPAddress".into()];
        let mut low = ok("low", t(1, 3), "192.0.2.1", "NL");
        low.risk_level_during_sign_in = RiskLevel::Low;
        let mut safe = ok("safe", t(1, 4), "192.0.2.1", "NL");
        safe.risk_level_during_sign_in = RiskLevel::High;
        safe.risk_state = RiskState::ConfirmedSafe;
        let mut before = ok("before", t(-1, 4), "192.0.2.1", "NL");
        before.risk_level_during_sign_in = RiskLevel::High;
        ev.sign_ins = vec![high, anon, low, safe, before];
        let f = of(&ev, "risky_sign_in");
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.evidence[0].id.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            vec![("high", Severity::High), ("anon", Severity::Medium)]
        );
        assert!(
            f[1].summary.contains("anonymizedIPAddress"),
            "{}",
            f[1].summary
        );
    }

    #[test]
    fn risky_rows_from_one_address_are_one_finding() {
        let mut ev = evidence();
        let risky = |id: &str, h| {
            let mut s = ok(id, t(1, h), "203.0.113.1", "NG");
            s.risk_level_during_sign_in = RiskLevel::High;
            s.risk_state = RiskState::AtRisk;
            s
        };
        ev.sign_ins = vec![risky("i1", 1)];
        ev.non_interactive = vec![risky("n1", 2), risky("n2", 3), risky("i1", 1)];
        let f = of(&ev, "risky_sign_in");
        assert_eq!(f.len(), 1);
        let ids: Vec<_> = f[0].evidence.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, vec!["i1", "n1", "n2"]);
        assert!(
            f[0].summary.starts_with(
                "Entra scored 3 sign-ins (3 successful) from 203.0.113.1 (NG) high risk (atRisk)"
            ),
            "{}",
            f[0].summary
        );
    }

    #[test]
    fn open_detections_in_window_link_their_sign_in() {
        let mut ev = evidence();
        ev.sign_ins = vec![ok("req1", t(1, 1), "203.0.113.1", "NG")];
        let det = |id: &str, state: RiskState, at| RiskDetection {
            id: id.into(),
            request_id: Some("req1".into()),
            risk_event_type: TenantText::new("unfamiliarFeatures"),
            risk_state: state,
            risk_level: RiskLevel::Medium,
            activity_date_time: Some(at),
            user_id: "u1".into(),
            ..Default::default()
        };
        ev.risk_detections = vec![
            det("d1", RiskState::AtRisk, t(1, 1)),
            det("d2", RiskState::Remediated, t(1, 1)),
            det("d3", RiskState::AtRisk, t(-3, 1)),
            det("d4", RiskState::ConfirmedCompromised, t(2, 1)),
        ];
        let f = of(&ev, "risk_detection");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].evidence[0].id, "d4");
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[1].severity, Severity::Medium);
        assert_eq!(f[1].evidence[1].role, Role::Context);
        assert_eq!(f[1].evidence[1].kind, ObjectType::SignIn);
    }

    #[test]
    fn risky_user_needs_open_state_and_medium_level() {
        let mut ev = evidence();
        ev.risky_user = Some(RiskyUser {
            id: "u1".into(),
            risk_level: RiskLevel::High,
            risk_state: RiskState::AtRisk,
            ..Default::default()
        });
        let f = of(&ev, "risky_user");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(
            f[0].evidence,
            vec![EvidenceRef::flagged(ObjectType::RiskyUser, "u1")]
        );
        ev.risky_user.as_mut().unwrap().risk_state = RiskState::Remediated;
        assert!(of(&ev, "risky_user").is_empty());
        let r = ev.risky_user.as_mut().unwrap();
        r.risk_state = RiskState::AtRisk;
        r.risk_level = RiskLevel::Low;
        assert!(of(&ev, "risky_user").is_empty());
    }
}
