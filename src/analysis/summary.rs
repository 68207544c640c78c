//! The summary strip: counts for the window (sign-ins, countries, new methods and grants,
//! risky rules) and the indicators that fired most. Counts, not findings.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::baseline::country;
use super::{Finding, Severity};
use crate::evidence::Evidence;

/// One indicator and how often it fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorCount {
    pub indicator: &'static str,
    pub severity: Severity,
    pub count: usize,
}

/// Counts for the header strip and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Successful interactive sign-ins in the window.
    pub sign_ins_succeeded: usize,
    /// Failed interactive sign-ins in the window.
    pub sign_ins_failed: usize,
    /// Non-interactive sign-ins in the window (0 when beta data was not read).
    pub non_interactive: usize,
    /// Distinct countries of successful sign-ins in the window, upper-case, sorted.
    pub countries: Vec<String>,
    /// Authentication methods added in the window.
    pub new_methods: usize,
    /// Grants whose consent the directory audit records inside the window.
    pub new_grants: usize,
    /// Inbox rules with a finding of medium severity or more.
    pub risky_rules: usize,
    /// Findings per severity.
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    /// The indicators that fired, strongest and most frequent first (at most five).
    pub top_indicators: Vec<IndicatorCount>,
}

pub fn build(ev: &Evidence, findings: &[Finding]) -> Summary {
    let in_window =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.is_some_and(|t| ev.window.contains(t));
    let mut s = Summary::default();
    let mut countries = BTreeSet::new();
    for si in ev
        .sign_ins
        .iter()
        .filter(|x| in_window(x.created_date_time))
    {
        if si.succeeded() {
            s.sign_ins_succeeded += 1;
            let cc = country(si);
            if !cc.is_empty() {
                countries.insert(cc);
            }
        } else {
            s.sign_ins_failed += 1;
        }
    }
    s.non_interactive = ev
        .non_interactive
        .iter()
        .filter(|x| in_window(x.created_date_time))
        .count();
    s.countries = countries.into_iter().collect();
    s.new_methods = ev
        .methods
        .iter()
        .filter(|m| !matches!(m.kind, crate::graph::models::MethodKind::Password))
        .filter(|m| in_window(m.created_date_time))
        .count();
    s.new_grants = ev
        .grants
        .iter()
        .filter(|g| {
            ev.audits.iter().any(|a| {
                in_window(a.activity_date_time)
                    && a.activity_display_name
                        .raw()
                        .to_ascii_lowercase()
                        .contains("consent to application")
                    && a.target_resources
                        .iter()
                        .any(|t| t.id.as_deref() == Some(g.client_id.as_str()))
            })
        })
        .count();
    s.risky_rules = findings
        .iter()
        .filter(|f| f.indicator == "suspicious_inbox_rule" && f.severity >= Severity::Medium)
        .count();
    let mut by: BTreeMap<&'static str, (Severity, usize)> = BTreeMap::new();
    for f in findings {
        match f.severity {
            Severity::High => s.high += 1,
            Severity::Medium => s.medium += 1,
            Severity::Low => s.low += 1,
            Severity::Info => s.info += 1,
        }
        let e = by.entry(f.indicator).or_insert((f.severity, 0));
        e.0 = e.0.max(f.severity);
        e.1 += 1;
    }
    let mut top: Vec<IndicatorCount> = by
        .into_iter()
        .map(|(indicator, (severity, count))| IndicatorCount {
            indicator,
            severity,
            count,
        })
        .collect();
    top.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.count.cmp(&a.count)));
    top.truncate(5);
    s.top_indicators = top;
    s
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Thresholds, analyse};
    use crate::graph::models::{DirectoryAudit, OAuth2PermissionGrant, TargetResource, TenantText};

    #[test]
    fn counts_the_window_only() {
        let mut ev = evidence();
        ev.sign_ins = baseline_nl(12);
        ev.sign_ins.push(ok("a", t(1, 1), "192.0.2.1", "NL"));
        ev.sign_ins.push(ok("b", t(1, 2), "203.0.113.1", "NG"));
        ev.sign_ins
            .push(fail("c", t(1, 3), "203.0.113.1", "NG", 50126));
        ev.non_interactive.push(ok("n", t(1, 4), "192.0.2.1", "NL"));
        ev.grants = vec![OAuth2PermissionGrant {
            id: "g".into(),
            client_id: "sp1".into(),
            ..Default::default()
        }];
        ev.audits = vec![DirectoryAudit {
            id: "consent".into(),
            activity_date_time: Some(t(1, 5)),
            activity_display_name: TenantText::new("Consent to application"),
            target_resources: vec![TargetResource {
                id: Some("sp1".into()),
                ..Default::default()
            }],
            ..Default::default()
        }];
        let s = analyse(&ev, &Thresholds::default()).summary;
        assert_eq!(
            (s.sign_ins_succeeded, s.sign_ins_failed, s.non_interactive),
            (2, 1, 1)
        );
        assert_eq!(s.countries, vec!["NG".to_owned(), "NL".to_owned()]);
        assert_eq!(s.new_grants, 1);
        assert_eq!(s.new_methods, 0);
        assert!(s.medium >= 1);
        assert_eq!(s.top_indicators[0].indicator, "risky_grant");
    }
}
