//! The Timeline pane's data: one chronology, newest first, of the window's sign-ins (and the
//! non-interactive ones when shown), directory audit events, risk detections and methods
//! registered in the window — each row typed and pointing back at its Graph object.
//! Built from the other panes' data (no load of its own).

use chrono::{DateTime, Utc};

use super::{Audits, Risk, RowDetail};
use crate::analysis::ObjectType;
use crate::graph::models::{AuthMethod, Id, SignIn};
use crate::window::Window;

/// What a timeline row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An interactive sign-in.
    SignIn,
    /// A non-interactive sign-in (beta).
    NonInteractive,
    /// A directory audit event.
    Audit,
    /// A risk detection.
    Detection,
    /// An authentication method registered.
    Method,
}

impl Kind {
    /// The short label of the type column.
    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::NonInteractive => "non-inter",
            Self::Audit => "audit",
            Self::Detection => "risk",
            Self::Method => "method",
        }
    }
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// When it happened.
    pub at: Option<DateTime<Utc>>,
    /// Its type.
    pub kind: Kind,
    /// One line, already sanitised.
    pub what: String,
    /// The Graph object behind it.
    pub object: ObjectType,
    /// Its Graph id.
    pub id: Id,
}

/// The merged chronology.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Newest first.
    pub rows: Vec<Row>,
}

/// What the timeline is built from.
pub struct Sources<'a> {
    pub window: &'a Window,
    pub sign_ins: &'a [SignIn],
    /// Non-interactive sign-ins to include (empty when hidden).
    pub non_interactive: &'a [SignIn],
    pub audits: Option<&'a Audits>,
    pub risk: Option<&'a Risk>,
    pub methods: &'a [AuthMethod],
}

fn sign_in_words(s: &SignIn) -> String {
    let status = if s.succeeded() {
        "ok".to_owned()
    } else {
        format!("failed {}", s.status.error_code)
    };
    let place = crate::sanitize::line(&crate::analysis::place_of(s));
    [
        status,
        s.ip_address.safe(),
        place,
        s.app_display_name.safe(),
    ]
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

impl Timeline {
    /// Builds the chronology of everything inside the window.
    pub fn build(src: &Sources<'_>) -> Self {
        let inside = |t: Option<DateTime<Utc>>| t.is_some_and(|t| src.window.contains(t));
        let mut rows = Vec::new();
        for (list, kind) in [
            (src.sign_ins, Kind::SignIn),
            (src.non_interactive, Kind::NonInteractive),
        ] {
            rows.extend(
                list.iter()
                    .filter(|s| inside(s.created_date_time))
                    .map(|s| Row {
                        at: s.created_date_time,
                        kind,
                        what: sign_in_words(s),
                        object: ObjectType::SignIn,
                        id: s.id.clone(),
                    }),
            );
        }
        if let Some(a) = src.audits {
            rows.extend(a.rows.iter().map(|a| Row {
                at: a.activity_date_time,
                kind: Kind::Audit,
                what: format!(
                    "{} · {} · by {}",
                    a.activity_display_name.safe(),
                    crate::sanitize::line_capped(a.result.as_str(), 12),
                    super::audit::initiator(a)
                ),
                object: ObjectType::DirectoryAudit,
                id: Id::from(a.id.as_str()),
            }));
        }
        if let Some(r) = src.risk {
            rows.extend(r.detections.iter().map(|d| Row {
                at: d.activity_date_time.or(d.detected_date_time),
                kind: Kind::Detection,
                what: format!(
                    "{} · {} · {}",
                    d.risk_event_type.safe(),
                    crate::sanitize::line_capped(d.risk_level.as_str(), 12),
                    d.ip_address.safe()
                ),
                object: ObjectType::RiskDetection,
                id: Id::from(d.id.as_str()),
            }));
        }
        rows.extend(
            src.methods
                .iter()
                .filter(|m| inside(m.created_date_time))
                .map(|m| Row {
                    at: m.created_date_time,
                    kind: Kind::Method,
                    what: format!("{} registered · {}", m.type_label(), m.detail().safe()),
                    object: ObjectType::AuthenticationMethod,
                    id: Id::from(m.id.as_str()),
                }),
        );
        rows.sort_by_key(|r| std::cmp::Reverse(r.at));
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

    /// Detail of row `i`.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        let r = self.rows.get(i)?;
        Some(RowDetail {
            title: format!("Timeline · {}", r.kind.label()),
            value: serde_json::json!({
                "time": r.at,
                "type": r.object.as_str(),
                "id": r.id,
                "what": r.what,
            }),
        })
    }
}
