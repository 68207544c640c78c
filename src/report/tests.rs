//! Tests of report building and rendering, including hostile tenant strings.

use chrono::TimeZone;

use super::*;
use crate::analysis::testkit::*;
use crate::analysis::{Thresholds, analyse};
use crate::evidence::Gap;
use crate::graph::models::{MessageRule, MessageRuleActions, TenantText};

fn meta() -> ReportMeta {
    ReportMeta {
        generated_at: Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap(),
        analyst: Some("analyst@contoso.com".into()),
        tenant: Some("contoso.onmicrosoft.com".into()),
        tool_version: "0.1.0".into(),
        actions: vec![ActionRecord {
            time: Utc.with_ymd_and_hms(2026, 11, 21, 11, 0, 0).unwrap(),
            action: "revokeSignInSessions".into(),
            target: "Alice Example (u1)".into(),
            outcome: "succeeded".into(),
            request_id: Some("req-123".into()),
            detail: None,
        }],
    }
}

fn travel_case() -> Evidence {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(located(
        ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    ev.sign_ins.push(located(
        ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
        "Lagos",
        6.45,
        3.39,
    ));
    ev
}

#[test]
fn json_has_the_contract_shape() {
    let ev = travel_case();
    let an = analyse(&ev, &Thresholds::default());
    let r = build(&ev, &an, &meta());
    let v: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap();
    assert_eq!(v["schemaVersion"], "1.0");
    assert_eq!(v["subject"]["id"], "u1");
    assert_eq!(v["subject"]["userPrincipalName"], "alice@contoso.com");
    assert_eq!(v["window"]["start"], "2026-11-14T00:00:00Z");
    assert_eq!(v["window"]["end"], "2026-11-21T00:00:00Z");
    assert_eq!(v["generatedAt"], "2026-11-21T12:00:00Z");
    let travel = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["indicator"] == "impossible_travel")
        .unwrap();
    assert_eq!(travel["severity"], "high");
    assert_eq!(
        travel["evidence"],
        serde_json::json!([
            {"type": "signIn", "id": "a", "role": "context"},
            {"type": "signIn", "id": "b", "role": "flagged"}
        ])
    );
    assert_eq!(v["verdict"]["level"], "high");
    assert_eq!(v["actions"][0]["requestId"], "req-123");
    assert!(!v["residualRisk"].as_array().unwrap().is_empty());
    assert!(
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "b")
    );
    assert_eq!(v["dataGaps"], serde_json::json!([]));
}

#[test]
fn empty_evidence_reports_nothing_found() {
    let ev = evidence();
    let an = analyse(&ev, &Thresholds::default());
    let mut m = meta();
    m.actions.clear();
    m.analyst = None;
    let r = build(&ev, &an, &m);
    assert_eq!(r.verdict.level, "none");
    assert!(r.findings.is_empty() && r.timeline.is_empty());
    assert!(r.open_items.is_empty(), "{:?}", r.open_items);
    let md = to_markdown(&r);
    assert!(md.contains("No indicator of compromise"));
    assert!(md.contains("No containment action recorded."));
    assert!(md.contains("| Analyst | not recorded |"));
}

#[test]
fn gaps_make_the_report_incomplete_and_open_items() {
    let mut ev = travel_case();
    ev.gaps
        .push(Gap::new("messageRules", "403 ErrorAccessDenied"));
    let an = analyse(&ev, &Thresholds::default());
    let r = build(&ev, &an, &meta());
    assert!(r.verdict.incomplete);
    assert!(r.verdict.headline.contains("incomplete"));
    assert_eq!(r.data_gaps[0].part, "messageRules");
    assert!(r.open_items.iter().any(|o| o.contains("messageRules")));
    // Revocation was done; the password reset was not.
    assert!(!r.open_items.iter().any(|o| o.contains("Revoke")));
    assert!(r.open_items.iter().any(|o| o.contains("password")));
}

const HOSTILE: &str =
    "Evil](http://x) <script>alert(1)</script> | `code` **b** \u{1b}[2J\n# head \u{202e}";

#[test]
fn hostile_strings_are_sanitised_in_json_and_inert_in_markdown() {
    let mut ev = travel_case();
    ev.user.display_name = TenantText::new(HOSTILE);
    ev.rules = vec![MessageRule {
        id: "r1".into(),
        display_name: TenantText::new(HOSTILE),
        actions: Some(MessageRuleActions {
            delete: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let an = analyse(&ev, &Thresholds::default());
    let mut m = meta();
    m.actions[0].target = HOSTILE.into();
    m.actions[0].detail = Some(HOSTILE.into());
    let r = build(&ev, &an, &m);
    let json = to_json(&r);
    assert!(!json.contains('\u{1b}') && !json.contains('\u{202e}'));
    assert!(!json.contains("\\n# head"), "newline must not survive");
    assert!(json.contains("\\\\x1b"), "escape shown visibly");

    let md = to_markdown(&r);
    assert!(!md.contains("<script"), "raw HTML tag");
    assert!(!md.contains("](http"), "link opener");
    assert!(!md.contains("\n# head"), "heading injection");
    assert!(!md.contains("\u{1b}") && !md.contains('\u{202e}'));
    assert!(!md.contains(" `code`"), "code span");
    // Every table row keeps its column count: no unescaped `|` from the tenant.
    for row in md.lines().filter(|l| l.starts_with('|')) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert!(
            [3, 4, 6, 7].contains(&cells),
            "row with {cells} separators: {row}"
        );
    }
}

#[test]
fn markdown_has_every_section() {
    let ev = travel_case();
    let an = analyse(&ev, &Thresholds::default());
    let md = to_markdown(&build(&ev, &an, &meta()));
    for h in [
        "# Incident report: Alice Example",
        "## Verdict",
        "## Findings",
        "## Timeline",
        "## Actions",
        "## Residual risk",
        "## Open items",
        "## Data gaps",
        "req\\-123",
    ] {
        assert!(
            md.contains(h) || md.contains(&h.replace("\\-", "-")),
            "missing {h}\n{md}"
        );
    }
    assert!(md.contains("impossible\\_travel"));
    assert!(md.contains("flagged signIn b"));
}
