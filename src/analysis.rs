//! Pure analysis of one suspect's `Evidence`: indicators ("look at this: it may be the
//! attacker"), each traceable to the Graph objects behind it, plus the summary strip.
//! No IO and no clock: everything comes in through `Evidence` and `Thresholds`.
//! Strings in findings are built from raw tenant text; output layers sanitise them.

mod auth;
mod baseline;
pub mod geo;
mod grants;
mod location;
mod methods;
mod net;
mod risk;
mod rules;
mod summary;
#[cfg(test)]
pub(crate) mod testkit;
mod thresholds;
mod travel;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::graph::models::SignIn;

pub use baseline::Baseline;
pub use geo::haversine_km;
pub use net::{Cidr, NetKey};
pub use rules::{is_internal, is_punctuation_name};
pub use summary::{IndicatorCount, Summary};
pub use thresholds::{Thresholds, VpnEgress};

/// `"Lagos, NG"`, `"NG"`, or the IP when the location is empty (raw tenant text).
pub fn place_of(s: &SignIn) -> String {
    place(s)
}

/// How strongly a finding points at an attacker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
    /// One level up, capped at high.
    pub fn raised(self) -> Self {
        match self {
            Self::Info => Self::Low,
            Self::Low => Self::Medium,
            Self::Medium | Self::High => Self::High,
        }
    }
    /// One level down, floored at info.
    pub fn lowered(self) -> Self {
        match self {
            Self::High => Self::Medium,
            Self::Medium => Self::Low,
            Self::Low | Self::Info => Self::Info,
        }
    }
}

/// The Graph type of an evidence object (contracts.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ObjectType {
    #[serde(rename = "signIn")]
    SignIn,
    #[serde(rename = "authenticationMethod")]
    AuthenticationMethod,
    #[serde(rename = "oAuth2PermissionGrant")]
    OAuth2PermissionGrant,
    #[serde(rename = "messageRule")]
    MessageRule,
    #[serde(rename = "directoryAudit")]
    DirectoryAudit,
    #[serde(rename = "riskDetection")]
    RiskDetection,
    #[serde(rename = "riskyUser")]
    RiskyUser,
    #[serde(rename = "servicePrincipal")]
    ServicePrincipal,
}

impl ObjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "signIn",
            Self::AuthenticationMethod => "authenticationMethod",
            Self::OAuth2PermissionGrant => "oAuth2PermissionGrant",
            Self::MessageRule => "messageRule",
            Self::DirectoryAudit => "directoryAudit",
            Self::RiskDetection => "riskDetection",
            Self::RiskyUser => "riskyUser",
            Self::ServicePrincipal => "servicePrincipal",
        }
    }
}

/// Whether an evidence object is the suspicious one or shown to support it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Flagged,
    Context,
}

/// One Graph object behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRef {
    #[serde(rename = "type")]
    pub kind: ObjectType,
    pub id: String,
    pub role: Role,
}

impl EvidenceRef {
    pub fn flagged(kind: ObjectType, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
            role: Role::Flagged,
        }
    }
    pub fn context(kind: ObjectType, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
            role: Role::Context,
        }
    }
}

/// "Look at this: it may be the attacker."
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable snake_case indicator id (docs/indicators.md).
    pub indicator: &'static str,
    pub severity: Severity,
    /// One line a person understands (raw tenant text inside: sanitise on output).
    pub summary: String,
    pub evidence: Vec<EvidenceRef>,
    /// When it happened (the flagged object's time), if known.
    pub at: Option<DateTime<Utc>>,
}

impl Finding {
    /// Ids of the objects this finding flags.
    pub fn flagged(&self) -> impl Iterator<Item = &EvidenceRef> {
        self.evidence.iter().filter(|e| e.role == Role::Flagged)
    }
}

/// The result of [`analyse`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Analysis {
    /// The findings whose evidence names this object (flagged or context).
    pub fn findings_for<'a>(
        &'a self,
        kind: ObjectType,
        id: &'a str,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.evidence.iter().any(|e| e.kind == kind && e.id == id))
    }

    /// Ids of every object of `kind` that some finding flags (for row markers).
    pub fn flagged_ids(&self, kind: ObjectType) -> std::collections::HashSet<&str> {
        self.findings
            .iter()
            .flat_map(|f| f.flagged())
            .filter(|e| e.kind == kind)
            .map(|e| e.id.as_str())
            .collect()
    }

    /// The highest severity found, if any finding exists.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Runs every indicator over `ev` and builds the summary strip.
pub fn analyse(ev: &Evidence, cfg: &Thresholds) -> Analysis {
    let rows = all_sign_ins(ev);
    let base = Baseline::build(&rows, &ev.window, cfg);
    let mut findings = Vec::new();
    findings.extend(location::find(&rows, ev, &base, cfg));
    findings.extend(travel::find(&rows, &ev.window, &base, cfg));
    findings.extend(auth::find(&rows, ev, &base, cfg));
    findings.extend(risk::find(ev));
    findings.extend(methods::find(ev));
    findings.extend(grants::find(ev, cfg));
    findings.extend(rules::find(ev, cfg));
    sort_findings(&mut findings);
    let summary = summary::build(ev, &findings);
    Analysis { findings, summary }
}

/// Highest severity first, then oldest first (undated last), then indicator id.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| match (a.at, b.at) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.indicator.cmp(b.indicator))
    });
}

/// Interactive and non-interactive sign-ins together, without duplicates (by id) and without
/// rows lacking a time, oldest first.
pub fn all_sign_ins(ev: &Evidence) -> Vec<&SignIn> {
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<&SignIn> = ev
        .sign_ins
        .iter()
        .chain(&ev.non_interactive)
        .filter(|s| s.created_date_time.is_some())
        .filter(|s| s.id.is_empty() || seen.insert(s.id.as_str()))
        .collect();
    rows.sort_by_key(|s| s.created_date_time);
    rows
}

/// `"Lagos, NG"`, `"NG"`, or the IP when the location is empty.
pub(crate) fn place(s: &SignIn) -> String {
    let city = s.location.city.raw().trim();
    let cc = s.location.country_or_region.raw().trim();
    match (city.is_empty(), cc.is_empty()) {
        (false, false) => format!("{city}, {cc}"),
        (true, false) => cc.to_owned(),
        (false, true) => city.to_owned(),
        (true, true) => {
            let ip = s.ip_address.raw().trim();
            if ip.is_empty() {
                "unknown location".to_owned()
            } else {
                ip.to_owned()
            }
        }
    }
}

/// `2026-11-21 09:14 UTC`.
pub(crate) fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "unknown time".to_owned(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// Keeps a summary single-line whatever tenant text went into it.
pub(crate) fn one_line(s: String) -> String {
    if s.contains(['\n', '\r']) {
        s.replace(['\n', '\r'], " ")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

    #[test]
    fn severity_orders_and_serialises_lowercase() {
        assert!(Severity::High > Severity::Medium && Severity::Low > Severity::Info);
        assert_eq!(serde_json::to_string(&Severity::High).unwrap(), "\"high\"");
        assert_eq!(
            serde_json::to_string(&ObjectType::OAuth2PermissionGrant).unwrap(),
            "\"oAuth2PermissionGrant\""
        );
        assert_eq!(
            serde_json::to_string(&Role::Context).unwrap(),
            "\"context\""
        );
        assert_eq!(Severity::Low.raised(), Severity::Medium);
        assert_eq!(Severity::High.raised(), Severity::High);
    }

    #[test]
    fn lookups_by_object() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            located(
                ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
                "Amsterdam",
                52.37,
                4.9,
            ),
            located(
                ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
                "Lagos",
                6.45,
                3.39,
            ),
        ];
        let an = analyse(&ev, &Thresholds::default());
        assert!(an.flagged_ids(ObjectType::SignIn).contains("b"));
        assert!(!an.flagged_ids(ObjectType::SignIn).contains("a"));
        assert_eq!(an.findings_for(ObjectType::SignIn, "a").count(), 1);
        assert_eq!(an.findings_for(ObjectType::MessageRule, "a").count(), 0);
        let s: Severity = serde_json::from_str("\"medium\"").unwrap();
        assert_eq!(s, Severity::Medium);
    }

    #[test]
    fn empty_evidence_has_no_findings() {
        let an = analyse(&evidence(), &Thresholds::default());
        assert!(an.findings.is_empty());
        assert_eq!(an.max_severity(), None);
    }

    #[test]
    fn findings_sort_by_severity_then_time() {
        let f = |sev: Severity, h: Option<i64>| Finding {
            indicator: "x",
            severity: sev,
            summary: String::new(),
            evidence: vec![],
            at: h.map(|h| t(0, h)),
        };
        let mut v = vec![
            f(Severity::Low, Some(1)),
            f(Severity::High, None),
            f(Severity::High, Some(5)),
            f(Severity::High, Some(2)),
        ];
        sort_findings(&mut v);
        let got: Vec<_> = v.iter().map(|f| (f.severity, f.at)).collect();
        assert_eq!(
            got,
            vec![
                (Severity::High, Some(t(0, 2))),
                (Severity::High, Some(t(0, 5))),
                (Severity::High, None),
                (Severity::Low, Some(t(0, 1))),
            ]
        );
    }

    #[test]
    fn all_sign_ins_dedups_and_sorts() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            ok("b", t(1, 10), "1.1.1.1", "NL"),
            ok("a", t(0, 9), "1.1.1.1", "NL"),
        ];
        ev.non_interactive = vec![ok("b", t(1, 10), "1.1.1.1", "NL")];
        let ids: Vec<_> = all_sign_ins(&ev).iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b"]);
    }

    #[test]
    fn large_volumes_stay_linear() {
        // 30,000 rows: a quadratic pass would take minutes here.
        let mut ev = evidence();
        ev.sign_ins = (0..30_000i64)
            .map(|i| {
                let at = start() + chrono::Duration::seconds(i * 9);
                if i % 3 == 0 {
                    fail(&format!("s{i}"), at, "203.0.113.1", "NG", 50126)
                } else {
                    located(
                        ok(&format!("s{i}"), at, &format!("198.51.{}.1", i % 250), "NL"),
                        "Amsterdam",
                        52.37,
                        4.9,
                    )
                }
            })
            .collect();
        let an = analyse(&ev, &Thresholds::default());
        assert_eq!(an.summary.sign_ins_failed, 10_000);
    }
}
