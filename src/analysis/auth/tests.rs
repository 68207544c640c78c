//! Tests of the authentication indicators.

use super::super::testkit::*;
use super::super::{Finding, Role, Severity, Thresholds, analyse};
use super::*;
use crate::graph::models::{AuthenticationDetail, TenantText};

fn of(ev: &Evidence, indicator: &str) -> Vec<Finding> {
    analyse(ev, &Thresholds::default())
        .findings
        .into_iter()
        .filter(|f| f.indicator == indicator)
        .collect()
}

fn roles(f: &Finding) -> Vec<(&str, Role)> {
    f.evidence.iter().map(|e| (e.id.as_str(), e.role)).collect()
}

fn client(mut s: SignIn, c: &str) -> SignIn {
    s.client_app_used = TenantText::new(c);
    s
}

#[test]
fn legacy_success_is_high_failures_only_medium_modern_never() {
    let mut ev = evidence();
    ev.sign_ins = vec![
        client(ok("imap-ok", t(1, 9), "203.0.113.1", "NG"), "IMAP4"),
        client(
            fail("imap-bad", t(1, 8), "203.0.113.1", "NG", 50126),
            "imap4",
        ),
        client(fail("pop-bad", t(1, 8), "203.0.113.1", "NG", 50126), "POP3"),
        client(ok("web", t(1, 9), "192.0.2.1", "NL"), "Browser"),
        client(
            ok("app", t(1, 9), "192.0.2.1", "NL"),
            "Mobile Apps and Desktop clients",
        ),
    ];
    let f = of(&ev, "legacy_auth");
    assert_eq!(f.len(), 2, "{f:?}");
    let imap = f.iter().find(|f| f.summary.contains("IMAP4")).unwrap();
    assert_eq!(imap.severity, Severity::High);
    assert_eq!(
        roles(imap),
        vec![("imap-ok", Role::Flagged), ("imap-bad", Role::Context)]
    );
    let pop = f.iter().find(|f| f.summary.contains("POP3")).unwrap();
    assert_eq!(pop.severity, Severity::Medium);
    assert_eq!(roles(pop), vec![("pop-bad", Role::Flagged)]);
    assert!(is_legacy(" Exchange ActiveSync "));
    assert!(!is_legacy("Browser"));
}

#[test]
fn device_code_and_ropc_from_beta_protocol() {
    let mut ev = evidence();
    let mut dc = ok("dc", t(1, 9), "203.0.113.1", "NG");
    dc.authentication_protocol = Some("deviceCode".into());
    let mut ropc = fail("ropc", t(1, 9), "203.0.113.1", "NG", 50126);
    ropc.authentication_protocol = Some("ROPC".into());
    let mut normal = ok("n", t(1, 9), "192.0.2.1", "NL");
    normal.authentication_protocol = Some("none".into());
    ev.sign_ins = vec![normal];
    ev.non_interactive = vec![dc, ropc];
    let f = of(&ev, "device_code_flow");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Medium);
    assert_eq!(roles(&f[0]), vec![("dc", Role::Flagged)]);
    let f = of(&ev, "ropc_flow");
    assert_eq!(f[0].severity, Severity::Low);
    assert_eq!(roles(&f[0]), vec![("ropc", Role::Flagged)]);
    ev.non_interactive.clear();
    assert!(of(&ev, "device_code_flow").is_empty());
}

fn burst(n: usize, ip: &str, code: i64) -> Vec<SignIn> {
    (0..n)
        .map(|i| fail(&format!("f{i}"), tm(1, 9, i as i64 * 2), ip, "NG", code))
        .collect()
}

#[test]
fn failures_then_success_flags_the_success() {
    let mut ev = evidence();
    ev.sign_ins = burst(6, "203.0.113.1", 50126);
    ev.sign_ins
        .push(ok("win", tm(1, 9, 20), "203.0.113.1", "NG"));
    ev.sign_ins
        .push(ok("later", tm(1, 9, 30), "203.0.113.1", "NG"));
    let f = of(&ev, "failures_then_success");
    assert_eq!(f.len(), 1, "the burst is reported once");
    assert_eq!(f[0].severity, Severity::High);
    assert_eq!(f[0].evidence[0].id, "win");
    assert_eq!(f[0].evidence[0].role, Role::Flagged);
    assert_eq!(f[0].evidence.len(), 7);
    assert!(f[0].evidence[1..].iter().all(|e| e.role == Role::Context));
    assert!(
        f[0].summary.starts_with("6 failed sign-ins (50126)"),
        "{}",
        f[0].summary
    );
}

#[test]
fn too_few_spread_out_or_non_credential_failures_are_not_guessing() {
    let mut ev = evidence();
    ev.sign_ins = burst(4, "203.0.113.1", 50126);
    ev.sign_ins.push(ok("s", tm(1, 9, 20), "203.0.113.1", "NG"));
    assert!(of(&ev, "failures_then_success").is_empty());
    // MFA-required interrupts (50074) are not credential failures.
    ev.sign_ins = burst(8, "203.0.113.1", 50074);
    ev.sign_ins.push(ok("s", tm(1, 9, 20), "203.0.113.1", "NG"));
    assert!(of(&ev, "failures_then_success").is_empty());
    // Failures more than an hour before the success.
    ev.sign_ins = burst(6, "203.0.113.1", 50126);
    ev.sign_ins.push(ok("s", tm(1, 12, 0), "203.0.113.1", "NG"));
    assert!(of(&ev, "failures_then_success").is_empty());
    // No success at all.
    ev.sign_ins = burst(9, "203.0.113.1", 50126);
    assert!(of(&ev, "failures_then_success").is_empty());
}

#[test]
fn user_fumbling_on_their_own_network_is_medium() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    let mut b = burst(5, "192.0.2.44", 50126);
    for f in &mut b {
        f.location.country_or_region = TenantText::new("NL");
    }
    ev.sign_ins.extend(b);
    ev.sign_ins.push(ok("s", tm(1, 9, 12), "192.0.2.44", "NL"));
    let f = of(&ev, "failures_then_success");
    assert_eq!(f[0].severity, Severity::Medium);
}

fn denial(id: &str, m: i64) -> SignIn {
    fail(id, tm(1, 2, m), "192.0.2.1", "NL", 500121)
}

#[test]
fn mfa_fatigue_then_success_is_high() {
    let mut ev = evidence();
    ev.sign_ins = vec![denial("d1", 0), denial("d2", 3), denial("d3", 6)];
    ev.sign_ins.push(ok("in", tm(1, 2, 8), "203.0.113.9", "NG"));
    let f = of(&ev, "mfa_fatigue");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::High);
    assert_eq!(
        roles(&f[0]),
        vec![
            ("in", Role::Flagged),
            ("d1", Role::Context),
            ("d2", Role::Context),
            ("d3", Role::Context)
        ]
    );
}

#[test]
fn mfa_denials_without_success_are_medium_and_two_are_nothing() {
    let mut ev = evidence();
    ev.sign_ins = vec![denial("d1", 0), denial("d2", 3), denial("d3", 6)];
    let f = of(&ev, "mfa_fatigue");
    assert_eq!(f[0].severity, Severity::Medium);
    assert_eq!(
        f[0].evidence[0],
        EvidenceRef::flagged(ObjectType::SignIn, "d3")
    );
    ev.sign_ins = vec![denial("d1", 0), denial("d2", 3)];
    ev.sign_ins.push(ok("in", tm(1, 2, 8), "192.0.2.1", "NL"));
    assert!(of(&ev, "mfa_fatigue").is_empty());
    // "MFA required" (50074/50076) are prompts, not denials.
    ev.sign_ins = (0..5)
        .map(|i| fail(&format!("r{i}"), tm(1, 2, i), "192.0.2.1", "NL", 50076))
        .collect();
    ev.sign_ins.push(ok("in", tm(1, 2, 8), "192.0.2.1", "NL"));
    assert!(of(&ev, "mfa_fatigue").is_empty());
}

#[test]
fn beta_authentication_details_count_as_denials() {
    let step = |ok: bool, method: &str| AuthenticationDetail {
        succeeded: Some(ok),
        authentication_method: TenantText::new(method),
        ..Default::default()
    };
    let mut s = fail("x", t(1, 1), "192.0.2.1", "NL", 50158);
    s.authentication_details = vec![
        step(true, "Password"),
        step(false, "Mobile app notification"),
    ];
    assert!(is_mfa_denial(&s));
    s.authentication_details = vec![step(false, "Password")];
    assert!(!is_mfa_denial(&s));
}
