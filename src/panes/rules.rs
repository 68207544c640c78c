//! The Rules pane's data: inbox rules with the mail folders that name their `moveToFolder`
//! targets, and each rule's conditions and actions in words (sanitised, external recipients
//! marked against the tenant's verified domains).

use super::{RowDetail, to_value};
use crate::graph::models::{MailFolder, MessageRule, MessageRulePredicates, Recipient};

/// Inbox rules and mail folders.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// In Graph's order, then by sequence.
    pub rules: Vec<MessageRule>,
    /// Mail folders (to name folder ids).
    pub folders: Vec<MailFolder>,
}

impl Rules {
    /// The pane's data from the worker's reply (rules ordered by `sequence`).
    pub fn new(mut rules: Vec<MessageRule>, folders: Vec<MailFolder>) -> Self {
        rules.sort_by_key(|r| r.sequence.unwrap_or(i64::MAX));
        Self { rules, folders }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The folder's display name (sanitised), or the id when it is unknown.
    pub fn folder_name(&self, id: &str) -> String {
        self.folders
            .iter()
            .find(|f| f.id == id)
            .map(|f| format!("\"{}\"", f.display_name.safe()))
            .unwrap_or_else(|| format!("folder {}", crate::sanitize::line_capped(id, 24)))
    }

    /// Detail of row `i`: the rule, its sentence and the folders it names.
    pub fn detail(&self, i: usize, domains: &[String]) -> Option<RowDetail> {
        let r = self.rules.get(i)?;
        let folders: Vec<serde_json::Value> = r
            .actions
            .iter()
            .flat_map(|a| [a.move_to_folder.as_deref(), a.copy_to_folder.as_deref()])
            .flatten()
            .filter_map(|id| self.folders.iter().find(|f| f.id == id))
            .map(to_value)
            .collect();
        Some(RowDetail {
            title: format!("Inbox rule · {}", r.display_name.safe()),
            value: serde_json::json!({
                "conditions in words": conditions(r),
                "actions in words": self.actions(r, domains).0,
                "rule": to_value(r),
                "target folders": folders,
            }),
        })
    }

    /// The rule's actions in words, and whether mail leaves the organisation.
    pub fn actions(&self, r: &MessageRule, domains: &[String]) -> (String, bool) {
        let Some(a) = &r.actions else {
            return (not_shown(r, "no actions"), false);
        };
        let mut parts = Vec::new();
        let mut external = false;
        for (verb, list) in [
            ("forward to", &a.forward_to),
            ("redirect to", &a.redirect_to),
            ("forward as attachment to", &a.forward_as_attachment_to),
        ] {
            if !list.is_empty() {
                let (words, ext) = recipients(list, domains);
                external |= ext;
                parts.push(format!("{verb} {words}"));
            }
        }
        if a.permanent_delete == Some(true) {
            parts.push("delete permanently".into());
        } else if a.delete == Some(true) {
            parts.push("delete".into());
        }
        if let Some(id) = &a.move_to_folder {
            parts.push(format!("move to {}", self.folder_name(id)));
        }
        if let Some(id) = &a.copy_to_folder {
            parts.push(format!("copy to {}", self.folder_name(id)));
        }
        if a.mark_as_read == Some(true) {
            parts.push("mark as read".into());
        }
        if let Some(i) = &a.mark_importance {
            parts.push(format!(
                "mark importance {}",
                crate::sanitize::line_capped(i, 12)
            ));
        }
        if !a.assign_categories.is_empty() {
            let c: Vec<String> = a.assign_categories.iter().map(|c| c.safe()).collect();
            parts.push(format!("categorise {}", c.join(", ")));
        }
        if a.stop_processing_rules == Some(true) {
            parts.push("stop processing rules".into());
        }
        if parts.is_empty() {
            return (not_shown(r, "no actions"), false);
        }
        (parts.join(", "), external)
    }
}

fn not_shown(r: &MessageRule, otherwise: &str) -> String {
    if r.is_read_only == Some(true) {
        "(Graph cannot show this rule fully)".into()
    } else {
        otherwise.into()
    }
}

/// Recipients in words, external ones marked `⚠external`.
fn recipients(list: &[Recipient], domains: &[String]) -> (String, bool) {
    let mut external = false;
    let words: Vec<String> = list
        .iter()
        .map(|r| {
            let addr = r.email_address.address.raw();
            let shown = if addr.trim().is_empty() {
                r.email_address.name.safe()
            } else {
                r.email_address.address.safe()
            };
            if crate::analysis::is_internal(addr, domains) == Some(true) {
                shown
            } else {
                external = true;
                format!("{shown} (⚠ external)")
            }
        })
        .collect();
    (words.join(", "), external)
}

/// The rule's conditions in words (`subject contains "invoice"; has attachments`).
pub fn conditions(r: &MessageRule) -> String {
    let Some(c) = &r.conditions else {
        return not_shown(r, "every message");
    };
    let words = predicates(c);
    if words.is_empty() {
        not_shown(r, "every message")
    } else {
        words
    }
}

fn predicates(c: &MessageRulePredicates) -> String {
    let mut parts = Vec::new();
    for (what, list) in [
        ("subject contains", &c.subject_contains),
        ("body contains", &c.body_contains),
        ("subject or body contains", &c.body_or_subject_contains),
        ("sender contains", &c.sender_contains),
        ("recipient contains", &c.recipient_contains),
        ("header contains", &c.header_contains),
    ] {
        if !list.is_empty() {
            let l: Vec<String> = list.iter().map(|t| format!("\"{}\"", t.safe())).collect();
            parts.push(format!("{what} {}", l.join(" or ")));
        }
    }
    for (what, list) in [
        ("from", &c.from_addresses),
        ("sent to", &c.sent_to_addresses),
    ] {
        if !list.is_empty() {
            let l: Vec<String> = list
                .iter()
                .map(|r| r.email_address.address.safe())
                .collect();
            parts.push(format!("{what} {}", l.join(" or ")));
        }
    }
    if c.has_attachments == Some(true) {
        parts.push("has attachments".into());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: serde_json::Value) -> MessageRule {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn words_name_folders_and_mark_external_recipients() {
        let r = rule(serde_json::json!({
            "id": "r1", "displayName": ".", "isEnabled": true,
            "conditions": {"subjectContains": ["invoice", "pay\u{1b}[2Jment"]},
            "actions": {"forwardTo": [{"emailAddress": {"address": "x@evil.example"}}],
                        "redirectTo": [{"emailAddress": {"address": "henk@contoso.com"}}],
                        "moveToFolder": "f-rss", "markAsRead": true}
        }));
        let data = Rules::new(
            vec![r.clone()],
            vec![MailFolder {
                id: "f-rss".into(),
                display_name: "RSS Feeds".into(),
                ..MailFolder::default()
            }],
        );
        let domains = vec!["contoso.com".to_owned()];
        let (a, ext) = data.actions(&r, &domains);
        assert!(ext);
        assert_eq!(
            a,
            "forward to x@evil.example (⚠ external), redirect to henk@contoso.com, move to \"RSS Feeds\", mark as read"
        );
        let c = conditions(&r);
        assert!(
            c.starts_with("subject contains \"invoice\" or \"pay"),
            "{c}"
        );
        assert!(!c.contains('\u{1b}'));
        assert!(data.folder_name("nope").starts_with("folder nope"));
    }

    #[test]
    fn read_only_rules_say_graph_cannot_show_them() {
        let r = rule(serde_json::json!({"id": "r", "isReadOnly": true}));
        assert_eq!(conditions(&r), "(Graph cannot show this rule fully)");
        let (a, ext) = Rules::default().actions(&r, &[]);
        assert_eq!(a, "(Graph cannot show this rule fully)");
        assert!(!ext);
    }
}
