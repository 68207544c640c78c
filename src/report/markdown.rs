//! The Markdown rendering of the report: a document a manager can read. Every string that
//! came from the tenant (and every summary that embeds tenant text) goes through `md`.

use std::fmt::Write;

use super::{Report, md};
use crate::analysis::Role;

/// Evidence ids listed per finding before "… N more (see the JSON report)".
const MAX_EVIDENCE_SHOWN: usize = 8;

/// `2026-11-21T09:14:02Z` → `2026-11-21 09:14:02`.
/// Only digits and separators survive: the input is our own RFC 3339 text.
fn ts(s: &str) -> String {
    s.chars()
        .map(|c| if c == 'T' { ' ' } else { c })
        .filter(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | ' ' | '.'))
        .collect()
}

/// Renders the report as Markdown.
pub fn to_markdown(r: &Report) -> String {
    let mut o = String::new();
    let name = if r.subject.display_name.trim().is_empty() {
        md(&r.subject.user_principal_name)
    } else {
        md(&r.subject.display_name)
    };
    let _ = writeln!(o, "# Incident report: {name}\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(
        o,
        "| Subject | {} · {} · object id {} |",
        md(&r.subject.display_name),
        md(&r.subject.user_principal_name),
        md(&r.subject.id)
    );
    let _ = writeln!(
        o,
        "| Window | {} → {} UTC |",
        ts(&r.window.start),
        ts(&r.window.end)
    );
    let _ = writeln!(
        o,
        "| Analyst | {} |",
        r.analyst.as_deref().map_or("not recorded".to_owned(), md)
    );
    let _ = writeln!(
        o,
        "| Tenant | {} |",
        r.tenant.as_deref().map_or("not recorded".to_owned(), md)
    );
    let _ = writeln!(
        o,
        "| Generated | {} UTC by {} {} (report schema {}) |\n",
        ts(&r.generated_at),
        r.tool.name,
        md(&r.tool.version),
        r.schema_version
    );

    let _ = writeln!(o, "## Verdict\n\n**{}**\n", md(&r.verdict.headline));
    let s = &r.summary;
    let _ = writeln!(
        o,
        "In the window: {} successful and {} failed interactive sign-ins, {} non-interactive; \
         countries: {}; {} authentication method(s) added; {} grant(s) consented; {} risky inbox rule(s). \
         Findings: {} high, {} medium, {} low, {} info.\n",
        s.sign_ins_succeeded,
        s.sign_ins_failed,
        s.non_interactive,
        if s.countries.is_empty() {
            "none".to_owned()
        } else {
            s.countries
                .iter()
                .map(|c| md(c))
                .collect::<Vec<_>>()
                .join(", ")
        },
        s.new_methods,
        s.new_grants,
        s.risky_rules,
        s.high,
        s.medium,
        s.low,
        s.info
    );

    findings(&mut o, r);
    timeline(&mut o, r);
    actions(&mut o, r);

    let _ = writeln!(o, "## Residual risk\n");
    for x in &r.residual_risk {
        let _ = writeln!(o, "- {}", md(x));
    }
    let _ = writeln!(o, "\n## Open items\n");
    if r.open_items.is_empty() {
        let _ = writeln!(o, "None.");
    }
    for x in &r.open_items {
        let _ = writeln!(o, "- {}", md(x));
    }
    let _ = writeln!(o, "\n## Data gaps\n");
    if r.data_gaps.is_empty() {
        let _ = writeln!(o, "None: every part of the evidence was read.");
    }
    for g in &r.data_gaps {
        let _ = writeln!(o, "- **{}**: {}", md(&g.part), md(&g.reason));
    }
    o
}

fn findings(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Findings\n");
    if r.findings.is_empty() {
        let _ = writeln!(o, "No finding.\n");
        return;
    }
    let _ = writeln!(
        o,
        "| # | Severity | Indicator | Time (UTC) | What | Evidence |\n|---|---|---|---|---|---|"
    );
    for (i, f) in r.findings.iter().enumerate() {
        let mut ev: Vec<String> = f
            .evidence
            .iter()
            .take(MAX_EVIDENCE_SHOWN)
            .map(|e| {
                let role = if e.role == Role::Flagged {
                    "flagged"
                } else {
                    "context"
                };
                format!("{role} {} {}", e.kind.as_str(), md(&e.id))
            })
            .collect();
        if f.evidence.len() > MAX_EVIDENCE_SHOWN {
            ev.push(format!(
                "… {} more (see the JSON report)",
                f.evidence.len() - MAX_EVIDENCE_SHOWN
            ));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            i + 1,
            f.severity.as_str().to_uppercase(),
            md(f.indicator),
            f.at.as_deref().map_or("—".to_owned(), ts),
            md(&f.summary),
            ev.join("<br>")
        );
    }
    let _ = writeln!(o);
}

fn timeline(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Timeline\n");
    if r.timeline.is_empty() {
        let _ = writeln!(o, "No dated flagged event.\n");
        return;
    }
    let _ = writeln!(o, "| Time (UTC) | Event | Indicators |\n|---|---|---|");
    for t in &r.timeline {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            ts(&t.time),
            md(&t.summary),
            md(&t.indicators.join(", "))
        );
    }
    let _ = writeln!(o);
}

fn actions(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## Actions\n");
    if r.actions.is_empty() {
        let _ = writeln!(o, "No containment action recorded.\n");
        return;
    }
    let _ = writeln!(
        o,
        "| Time (UTC) | Action | Target | Outcome | Request id |\n|---|---|---|---|---|"
    );
    for a in &r.actions {
        let outcome = match &a.detail {
            Some(d) if !d.is_empty() => format!("{} ({})", md(&a.outcome), md(d)),
            _ => md(&a.outcome),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            ts(&a.time),
            md(&a.action),
            md(&a.target),
            outcome,
            a.request_id.as_deref().map_or("—".to_owned(), md)
        );
    }
    let _ = writeln!(o);
}
