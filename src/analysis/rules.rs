//! `suspicious_inbox_rule`: inbox rules that exfiltrate (forward/redirect outside the
//! tenant's verified domains) or hide mail (delete, move to an obscure or unused folder, mark
//! as read), rules named with punctuation only, and rules Graph can only partly show.
//! One finding per rule with all its reasons; two or more reasons raise the severity.

use super::{EvidenceRef, Finding, ObjectType, Severity, Thresholds, one_line};
use crate::evidence::Evidence;
use crate::graph::models::{MailFolder, MessageRule};

/// Whether `address` lies in one of `domains` (or a subdomain of one).
pub fn is_internal(address: &str, domains: &[String]) -> Option<bool> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if d.is_empty() {
        return None;
    }
    Some(
        domains
            .iter()
            .any(|v| d == *v || d.strip_suffix(v.as_str()).is_some_and(|p| p.ends_with('.'))),
    )
}

/// A name made only of punctuation, symbols and whitespace (".", "..", " ", "-").
pub fn is_punctuation_name(name: &str) -> bool {
    !name.chars().any(char::is_alphanumeric)
}

pub fn find(ev: &Evidence, cfg: &Thresholds) -> Vec<Finding> {
    let domains = ev.internal_domains();
    ev.rules
        .iter()
        .filter_map(|r| rule_finding(r, &domains, &ev.mail_folders, cfg))
        .collect()
}

fn rule_finding(
    r: &MessageRule,
    domains: &[String],
    folders: &[MailFolder],
    cfg: &Thresholds,
) -> Option<Finding> {
    let mut reasons: Vec<(Severity, String)> = Vec::new();
    if let Some(a) = &r.actions {
        let external: Vec<&str> = a
            .outbound_addresses()
            .into_iter()
            .filter(|x| is_internal(x, domains) != Some(true))
            .collect();
        if !external.is_empty() {
            let verb = if !a.redirect_to.is_empty() {
                "redirects"
            } else if !a.forward_as_attachment_to.is_empty() && a.forward_to.is_empty() {
                "forwards as attachment"
            } else {
                "forwards"
            };
            reasons.push((
                Severity::High,
                format!(
                    "{verb} mail outside the organisation to {}",
                    external.join(", ")
                ),
            ));
        }
        if a.permanent_delete == Some(true) {
            reasons.push((Severity::Medium, "permanently deletes mail".to_owned()));
        } else if a.delete == Some(true) {
            reasons.push((Severity::Medium, "deletes mail".to_owned()));
        }
        if let Some(id) = a.move_to_folder.as_deref().filter(|f| !f.trim().is_empty())
            && let Some(f) = folders.iter().find(|f| f.id == id)
        {
            let name = f.display_name.raw().trim();
            if cfg.is_obscure_folder(name) {
                reasons.push((Severity::Medium, format!("moves mail to \"{name}\"")));
            } else if f
                .total_item_count
                .is_some_and(|n| n < cfg.rare_folder_items)
            {
                reasons.push((
                    Severity::Medium,
                    format!("moves mail to rarely used folder \"{name}\""),
                ));
            }
        }
        if a.mark_as_read == Some(true) {
            reasons.push((Severity::Low, "marks mail as read".to_owned()));
        }
    }
    if is_punctuation_name(r.display_name.raw()) {
        reasons.push((
            Severity::Medium,
            "has a name made only of punctuation or spaces".to_owned(),
        ));
    }
    let read_only = r.is_read_only == Some(true);
    let Some(mut severity) = reasons.iter().map(|(s, _)| *s).max() else {
        return read_only.then(|| {
            finding(
                r,
                Severity::Info,
                &[(
                    Severity::Info,
                    "Graph can only partly show this rule (read-only): check it in Exchange Online"
                        .to_owned(),
                )],
            )
        });
    };
    if reasons.len() >= 2 {
        severity = severity.raised();
    }
    if read_only {
        reasons.push((
            Severity::Info,
            "Graph can only partly show this rule (read-only)".to_owned(),
        ));
    }
    Some(finding(r, severity, &reasons))
}

fn finding(r: &MessageRule, severity: Severity, reasons: &[(Severity, String)]) -> Finding {
    let state = if r.is_enabled == Some(false) {
        ", disabled"
    } else {
        ""
    };
    let text: Vec<&str> = reasons.iter().map(|(_, t)| t.as_str()).collect();
    Finding {
        indicator: "suspicious_inbox_rule",
        severity,
        summary: one_line(format!(
            "Inbox rule \"{}\"{state}: {}",
            r.display_name.raw(),
            text.join("; ")
        )),
        evidence: vec![EvidenceRef::flagged(ObjectType::MessageRule, r.id.clone())],
        at: None,
    }
}

#[cfg(test)]
mod tests;
