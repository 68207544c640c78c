//! How the user (or someone) authenticated: `legacy_auth`, `device_code_flow`, `ropc_flow`,
//! `failures_then_success` (guessing / spray) and `mfa_fatigue` (denied prompts, then in).

use std::collections::{BTreeMap, VecDeque};

use chrono::Duration;

use super::baseline::Baseline;
use super::location::{distinct, plural};
use super::net::trusted_label;
use super::{EvidenceRef, Finding, ObjectType, Severity, Thresholds, one_line, place, when};
use crate::evidence::Evidence;
use crate::graph::models::SignIn;

/// `clientAppUsed` values of legacy (basic) authentication, lower-case (graph-api.md §4.1).
pub const LEGACY_CLIENT_APPS: &[&str] = &[
    "exchange activesync",
    "imap4",
    "imap",
    "pop3",
    "pop",
    "smtp",
    "authenticated smtp",
    "mapi over http",
    "mapi",
    "offline address book",
    "exchange web services",
    "autodiscover",
    "exchange online powershell",
    "other clients",
    "reporting web services",
    "universal outlook",
    "outlook anywhere (rpc over http)",
];

/// Error codes of a wrong or guessed credential (not of MFA, CA or lockout-by-policy):
/// 50126 invalid username or password, 50053 locked (smart lockout / malicious IP),
/// 50056 invalid or null password, 50034 user does not exist, 50064 credential validation.
pub const CREDENTIAL_FAILURES: &[i64] = &[50126, 50053, 50056, 50034, 50064];

/// Error codes of a denied or unanswered strong-authentication prompt.
/// 500121: "Authentication failed during strong authentication request" (denied, timed out,
/// fraud reported). 50074/50076 ("strong auth required") are prompts, not denials.
pub const MFA_DENIALS: &[i64] = &[500121];

pub fn is_legacy(client_app: &str) -> bool {
    let c = client_app.trim();
    LEGACY_CLIENT_APPS.iter().any(|l| l.eq_ignore_ascii_case(c))
}

pub fn find(rows: &[&SignIn], ev: &Evidence, base: &Baseline, cfg: &Thresholds) -> Vec<Finding> {
    let in_window: Vec<&SignIn> = rows
        .iter()
        .copied()
        .filter(|s| s.created_date_time.is_some_and(|t| ev.window.contains(t)))
        .collect();
    let mut out = legacy(&in_window);
    out.extend(protocol(
        &in_window,
        "deviceCode",
        "device_code_flow",
        "device-code flow",
    ));
    out.extend(protocol(
        &in_window,
        "ropc",
        "ropc_flow",
        "password (ROPC) flow",
    ));
    out.extend(failures_then_success(rows, ev, base, cfg));
    out.extend(mfa_fatigue(rows, ev, cfg));
    out
}

/// Splits rows into (successes, failures) and builds a grouped finding: successes flagged
/// with failures as context, or — when nothing succeeded — the failures flagged.
fn grouped(
    indicator: &'static str,
    rows: &[&SignIn],
    sev_ok: Severity,
    sev_failed: Severity,
    what: &str,
) -> Finding {
    let (oks, fails): (Vec<&SignIn>, Vec<&SignIn>) = rows.iter().partition(|s| s.succeeded());
    let (severity, flagged, context) = if oks.is_empty() {
        (sev_failed, &fails, &oks)
    } else {
        (sev_ok, &oks, &fails)
    };
    let first = flagged.first().and_then(|s| s.created_date_time);
    let summary = format!(
        "{what}: {} successful, {} failed sign-in{} ({}), first {}",
        oks.len(),
        fails.len(),
        plural(fails.len()),
        distinct(
            flagged
                .iter()
                .map(|s| format!("{} from {}", app(s), place(s)))
        ),
        when(first)
    );
    let mut evidence: Vec<EvidenceRef> = flagged
        .iter()
        .map(|s| EvidenceRef::flagged(ObjectType::SignIn, s.id.clone()))
        .collect();
    evidence.extend(
        context
            .iter()
            .map(|s| EvidenceRef::context(ObjectType::SignIn, s.id.clone())),
    );
    Finding {
        indicator,
        severity,
        summary: one_line(summary),
        evidence,
        at: first,
    }
}

fn app(s: &SignIn) -> String {
    let a = s.app_display_name.raw().trim();
    if a.is_empty() {
        "unknown app".to_owned()
    } else {
        a.to_owned()
    }
}

fn legacy(rows: &[&SignIn]) -> Vec<Finding> {
    let mut groups: BTreeMap<String, Vec<&SignIn>> = BTreeMap::new();
    for s in rows.iter().filter(|s| is_legacy(s.client_app_used.raw())) {
        groups
            .entry(s.client_app_used.raw().trim().to_ascii_lowercase())
            .or_default()
            .push(s);
    }
    groups
        .into_values()
        .map(|rows| {
            let client = rows
                .iter()
                .find(|s| s.succeeded())
                .or(rows.first())
                .map_or(String::new(), |s| s.client_app_used.raw().trim().to_owned());
            grouped(
                "legacy_auth",
                &rows,
                Severity::High,
                Severity::Medium,
                &format!("Legacy authentication ({client}) — bypasses MFA"),
            )
        })
        .collect()
}

fn protocol(rows: &[&SignIn], proto: &str, indicator: &'static str, what: &str) -> Vec<Finding> {
    let hits: Vec<&SignIn> = rows
        .iter()
        .copied()
        .filter(|s| {
            s.authentication_protocol
                .as_deref()
                .is_some_and(|p| p.trim().eq_ignore_ascii_case(proto))
        })
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    vec![grouped(
        indicator,
        &hits,
        Severity::Medium,
        Severity::Low,
        &format!("Sign-in by {what}"),
    )]
}

fn failures_then_success(
    rows: &[&SignIn],
    ev: &Evidence,
    base: &Baseline,
    cfg: &Thresholds,
) -> Vec<Finding> {
    let burst = cfg.failure_burst.max(1);
    let span = Duration::minutes(cfg.failure_burst_minutes.max(1));
    let ranges = cfg.trusted_ranges();
    // Credential failures not yet reported, within `span` of the row being looked at.
    let mut pending: VecDeque<&SignIn> = VecDeque::new();
    let mut out = Vec::new();
    for s in rows.iter().copied() {
        let Some(ts) = s.created_date_time else {
            continue;
        };
        while pending
            .front()
            .and_then(|f| f.created_date_time)
            .is_some_and(|tf| ts - tf > span)
        {
            pending.pop_front();
        }
        if CREDENTIAL_FAILURES.contains(&s.status.error_code) {
            pending.push_back(s);
            continue;
        }
        if !s.succeeded() || !ev.window.contains(ts) || pending.len() < burst {
            continue;
        }
        let fails: Vec<&SignIn> = pending.drain(..).collect();
        let familiar = |x: &SignIn| {
            base.knew_before(x) || trusted_label(x.ip_address.raw(), &ranges).is_some()
        };
        // The user fumbling their own password on their own network is less alarming.
        let severity = if familiar(s) && fails.iter().all(|f| familiar(f)) {
            Severity::Medium
        } else {
            Severity::High
        };
        let minutes = fails
            .first()
            .and_then(|f| f.created_date_time)
            .map_or(0, |t0| (ts - t0).num_minutes());
        let summary = format!(
            "{} failed sign-ins ({}) from {} in {minutes} min, then a success from {} ({})",
            fails.len(),
            distinct(fails.iter().map(|f| f.status.error_code.to_string())),
            distinct(fails.iter().map(|f| f.ip_address.raw().trim().to_owned())),
            s.ip_address.raw().trim(),
            place(s)
        );
        let mut evidence = vec![EvidenceRef::flagged(ObjectType::SignIn, s.id.clone())];
        evidence.extend(
            fails
                .iter()
                .map(|f| EvidenceRef::context(ObjectType::SignIn, f.id.clone())),
        );
        out.push(Finding {
            indicator: "failures_then_success",
            severity,
            summary: one_line(summary),
            evidence,
            at: Some(ts),
        });
    }
    out
}

/// A denied or unanswered MFA prompt: error 500121, or a failed non-password step in the
/// beta `authenticationDetails`.
pub fn is_mfa_denial(s: &SignIn) -> bool {
    if s.succeeded() {
        return false;
    }
    MFA_DENIALS.contains(&s.status.error_code)
        || s.authentication_details.iter().any(|d| {
            d.succeeded == Some(false)
                && !d.authentication_method.is_empty()
                && !d
                    .authentication_method
                    .raw()
                    .to_ascii_lowercase()
                    .contains("password")
        })
}

fn mfa_fatigue(rows: &[&SignIn], ev: &Evidence, cfg: &Thresholds) -> Vec<Finding> {
    let need = cfg.mfa_denials.max(1);
    let span = Duration::minutes(cfg.mfa_denial_minutes.max(1));
    let denials: Vec<&SignIn> = rows.iter().copied().filter(|s| is_mfa_denial(s)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < denials.len() {
        let Some(t0) = denials[i].created_date_time else {
            i += 1;
            continue;
        };
        // The run of denials starting at i, each within `span` of the first.
        let run: Vec<&SignIn> = denials[i..]
            .iter()
            .copied()
            .take_while(|d| d.created_date_time.is_some_and(|t| t - t0 <= span))
            .collect();
        let Some(last_t) = run.last().and_then(|d| d.created_date_time) else {
            i += 1;
            continue;
        };
        if run.len() < need {
            i += 1;
            continue;
        }
        i += run.len();
        let from = rows.partition_point(|s| s.created_date_time.is_some_and(|t| t <= last_t));
        let success = rows[from..]
            .iter()
            .copied()
            .take_while(|s| s.created_date_time.is_some_and(|t| t - last_t <= span))
            .find(|s| s.succeeded());
        let end_t = success.and_then(|s| s.created_date_time).unwrap_or(last_t);
        if !ev.window.contains(end_t) {
            continue;
        }
        let mins = (last_t - t0).num_minutes();
        let ips = distinct(run.iter().map(|d| d.ip_address.raw().trim().to_owned()));
        let mut evidence = Vec::new();
        let (severity, summary, context) = match success {
            Some(s) => {
                evidence.push(EvidenceRef::flagged(ObjectType::SignIn, s.id.clone()));
                (
                    Severity::High,
                    format!(
                        "{} MFA prompts denied or unanswered in {mins} min (from {ips}), then a success from {} ({})",
                        run.len(),
                        s.ip_address.raw().trim(),
                        place(s)
                    ),
                    &run[..],
                )
            }
            None => {
                let (last, rest) = run
                    .split_last()
                    .map_or((None, &run[..0]), |(l, r)| (Some(l), r));
                if let Some(l) = last {
                    evidence.push(EvidenceRef::flagged(ObjectType::SignIn, l.id.clone()));
                }
                (
                    Severity::Medium,
                    format!(
                        "{} MFA prompts denied or unanswered in {mins} min (from {ips}), no success followed — someone may know the password",
                        run.len()
                    ),
                    rest,
                )
            }
        };
        evidence.extend(
            context
                .iter()
                .map(|d| EvidenceRef::context(ObjectType::SignIn, d.id.clone())),
        );
        out.push(Finding {
            indicator: "mfa_fatigue",
            severity,
            summary: one_line(summary),
            evidence,
            at: Some(end_t),
        });
    }
    out
}

#[cfg(test)]
mod tests;
