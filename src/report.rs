//! The incident report: built from the evidence, the analysis and the action journal, then
//! rendered as JSON (contracts.md §5, schema in docs/report.schema.json) or as Markdown a
//! manager can read. Every tenant string is sanitised here (`crate::sanitize::line`); the
//! Markdown renderer escapes it again for Markdown/HTML.

mod escape;
mod markdown;
mod narrative;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::analysis::{Analysis, EvidenceRef, Severity, Summary};
use crate::evidence::Evidence;
use crate::sanitize::line;

pub use escape::md;
pub use markdown::to_markdown;

/// The version of the JSON shape (contracts.md §5).
pub const SCHEMA_VERSION: &str = "1.0";

/// One containment step from the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub time: DateTime<Utc>,
    /// What was done, e.g. "revokeSignInSessions".
    pub action: String,
    /// What it was done to, e.g. "Alice Example (3f2a…)".
    pub target: String,
    /// "succeeded", "failed: 403 …", "skipped", "dry-run".
    pub outcome: String,
    /// Graph's `request-id` of the call, if any.
    pub request_id: Option<String>,
    /// Anything else worth keeping (never a secret).
    pub detail: Option<String>,
}

/// Who, when and with what the report was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMeta {
    pub generated_at: DateTime<Utc>,
    pub analyst: Option<String>,
    pub tenant: Option<String>,
    pub tool_version: String,
    pub actions: Vec<ActionRecord>,
}

/// The report, exactly as serialised to JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: &'static str,
    pub generated_at: String,
    pub tool: Tool,
    pub analyst: Option<String>,
    pub tenant: Option<String>,
    pub subject: Subject,
    pub window: ReportWindow,
    pub verdict: Verdict,
    pub summary: Summary,
    pub findings: Vec<ReportFinding>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<ReportAction>,
    pub residual_risk: Vec<String>,
    pub open_items: Vec<String>,
    pub data_gaps: Vec<DataGap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportWindow {
    pub start: String,
    pub end: String,
}

/// The headline: the strongest severity found ("none" when nothing) and one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub level: &'static str,
    pub headline: String,
    /// Some part of the evidence could not be read.
    pub incomplete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFinding {
    pub indicator: &'static str,
    pub severity: Severity,
    pub summary: String,
    pub at: Option<String>,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub time: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: String,
    pub summary: String,
    pub indicators: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportAction {
    pub time: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataGap {
    pub part: String,
    pub reason: String,
}

/// RFC 3339 with `Z`, whole seconds.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn opt_line(s: &Option<String>) -> Option<String> {
    s.as_deref().map(line)
}

/// Builds the report. Pure: the time comes from `meta.generated_at`.
pub fn build(ev: &Evidence, an: &Analysis, meta: &ReportMeta) -> Report {
    let mut summary = an.summary.clone();
    summary.countries = summary.countries.iter().map(|c| line(c)).collect();
    let findings = an
        .findings
        .iter()
        .map(|f| ReportFinding {
            indicator: f.indicator,
            severity: f.severity,
            summary: line(&f.summary),
            at: f.at.map(rfc3339),
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceRef {
                    kind: e.kind,
                    id: line(&e.id),
                    role: e.role,
                })
                .collect(),
        })
        .collect();
    let mut actions: Vec<&ActionRecord> = meta.actions.iter().collect();
    actions.sort_by_key(|a| a.time);
    Report {
        schema_version: SCHEMA_VERSION,
        generated_at: rfc3339(meta.generated_at),
        tool: Tool {
            name: "entra-triage",
            version: line(&meta.tool_version),
        },
        analyst: opt_line(&meta.analyst),
        tenant: opt_line(&meta.tenant),
        subject: Subject {
            id: line(&ev.user.id),
            user_principal_name: line(ev.user.user_principal_name.raw()),
            display_name: line(ev.user.display_name.raw()),
        },
        window: ReportWindow {
            start: rfc3339(ev.window.start),
            end: rfc3339(ev.window.end),
        },
        verdict: narrative::verdict(ev, an),
        summary,
        findings,
        timeline: narrative::timeline(ev, an),
        actions: actions
            .into_iter()
            .map(|a| ReportAction {
                time: rfc3339(a.time),
                action: line(&a.action),
                target: line(&a.target),
                outcome: line(&a.outcome),
                request_id: opt_line(&a.request_id),
                detail: opt_line(&a.detail),
            })
            .collect(),
        residual_risk: narrative::residual_risk(ev, an),
        open_items: narrative::open_items(ev, an, &meta.actions),
        data_gaps: ev
            .gaps
            .iter()
            .map(|g| DataGap {
                part: line(&g.part),
                reason: line(&g.reason),
            })
            .collect(),
    }
}

/// The report as pretty JSON.
pub fn to_json(r: &Report) -> String {
    // Serialising plain structs of strings, numbers and enums cannot fail; fall back to an
    // empty object rather than panic should it ever.
    serde_json::to_string_pretty(r).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests;
