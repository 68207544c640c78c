//! The Risk pane's data: the Identity Protection record, the risk history and the risk
//! detections, which arrive as three independent parts (each may fail on its own, e.g. 403
//! without an Entra ID P2 licence). Rows are the detections, then the history items.

use super::{RowDetail, to_value};
use crate::graph::models::{RiskDetection, RiskyUser, RiskyUserHistoryItem};
use crate::worker::part;
use crate::worker::source::SourceError;

/// One of the three parts of the Risk pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskPart {
    /// The risky-user record.
    User,
    /// The history list.
    History,
    /// The detections table.
    Detections,
}

impl RiskPart {
    /// The part named in a `WorkerEvent::Failed`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            part::RISKY_USER => Some(Self::User),
            part::RISK_HISTORY => Some(Self::History),
            part::DETECTIONS => Some(Self::Detections),
            _ => None,
        }
    }
}

/// Identity Protection data received so far.
#[derive(Debug, Clone, Default)]
pub struct Risk {
    /// The record; `None` when Graph has none (never risky) or it has not arrived.
    pub user: Option<RiskyUser>,
    /// Risk history, as Graph returned it.
    pub history: Vec<RiskyUserHistoryItem>,
    /// Detections inside the window.
    pub detections: Vec<RiskDetection>,
    /// Parts finished (record, history, detections), whether with data or an error.
    pub done: [bool; 3],
    /// Parts that failed.
    pub errors: Vec<(RiskPart, SourceError)>,
}

impl Risk {
    fn slot(p: RiskPart) -> usize {
        match p {
            RiskPart::User => 0,
            RiskPart::History => 1,
            RiskPart::Detections => 2,
        }
    }

    /// Marks a part finished.
    pub fn mark_done(&mut self, p: RiskPart) {
        self.done[Self::slot(p)] = true;
    }

    /// Whether `p` has finished.
    pub fn is_done(&self, p: RiskPart) -> bool {
        self.done[Self::slot(p)]
    }

    /// All three parts have finished.
    pub fn complete(&self) -> bool {
        self.done.iter().all(|d| *d)
    }

    /// The error of part `p`, if it failed.
    pub fn error(&self, p: RiskPart) -> Option<&SourceError> {
        self.errors.iter().find(|(q, _)| *q == p).map(|(_, e)| e)
    }

    /// Rows: detections, then history.
    pub fn len(&self) -> usize {
        self.detections.len() + self.history.len()
    }

    /// No rows (the record is not a row).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Detail of row `i` (detections first); with no rows, the risky-user record.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        if let Some(d) = self.detections.get(i) {
            return Some(RowDetail {
                title: format!("Risk detection · {}", d.risk_event_type.safe()),
                value: to_value(d),
            });
        }
        if let Some(h) = self.history.get(i.saturating_sub(self.detections.len())) {
            return Some(RowDetail {
                title: format!("Risk history · {}", h.risk_state.as_str()),
                value: to_value(h),
            });
        }
        self.user.as_ref().map(|u| RowDetail {
            title: "Risky user".into(),
            value: to_value(u),
        })
    }
}
