//! The Audit pane's data: directory audit events naming the suspect, newest first, with the
//! initiator and targets in words (sanitised).

use super::{RowDetail, to_value};
use crate::graph::models::DirectoryAudit;

/// Directory audit events.
#[derive(Debug, Clone, Default)]
pub struct Audits {
    /// Newest first.
    pub rows: Vec<DirectoryAudit>,
}

impl Audits {
    /// The pane's data from the worker's reply, newest first.
    pub fn new(mut rows: Vec<DirectoryAudit>) -> Self {
        rows.sort_by_key(|a| std::cmp::Reverse(a.activity_date_time));
        Self { rows }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Detail of row `i`: the event, with every modified property as `old → new`.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        let a = self.rows.get(i)?;
        let modified: Vec<serde_json::Value> = a
            .target_resources
            .iter()
            .flat_map(|t| &t.modified_properties)
            .map(|p| {
                serde_json::json!({
                    "property": p.display_name.safe(),
                    "old": p.old_value.safe(),
                    "new": p.new_value.safe(),
                })
            })
            .collect();
        Some(RowDetail {
            title: format!("Audit · {}", a.activity_display_name.safe()),
            value: serde_json::json!({
                "initiator": initiator(a),
                "targets": targets(a),
                "modified properties": modified,
                "event": to_value(a),
            }),
        })
    }
}

/// Who did it: the user's UPN, else the app's name (sanitised).
pub fn initiator(a: &DirectoryAudit) -> String {
    if let Some(u) = &a.initiated_by.user {
        for t in [&u.user_principal_name, &u.display_name] {
            if !t.is_empty() {
                return t.safe();
            }
        }
    }
    if let Some(app) = &a.initiated_by.app {
        for t in [&app.display_name, &app.service_principal_name] {
            if !t.is_empty() {
                return format!("app {}", t.safe());
            }
        }
    }
    "—".into()
}

/// What it was done to (sanitised, comma-separated).
pub fn targets(a: &DirectoryAudit) -> String {
    let names: Vec<String> = a
        .target_resources
        .iter()
        .map(|t| {
            if !t.user_principal_name.is_empty() {
                t.user_principal_name.safe()
            } else if !t.display_name.is_empty() {
                t.display_name.safe()
            } else {
                crate::sanitize::line_capped(t.id.as_deref().unwrap_or("—"), 40)
            }
        })
        .collect();
    if names.is_empty() {
        "—".into()
    } else {
        names.join(", ")
    }
}
