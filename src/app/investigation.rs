//! The investigation state that lives beside the first four panes: the Rules and Audit
//! slots, the sign-in context the analysis needs (baseline, beta non-interactive sign-ins,
//! preferences, organisation), the derived Timeline and the analysis' findings, the
//! non-interactive toggle of the Sign-ins pane and the rows a jump to evidence highlighted.
//! Pure data and folding of worker replies; the flows that use it are in `app/inspect.rs`.

use std::collections::HashSet;

use super::list::ListView;
use super::loadable::Loadable;
use super::panes_state::PaneSlot;
use crate::analysis::{Analysis, ObjectType, Role, Severity};
use crate::evidence::Gap;
use crate::graph::models::{Organization, SignIn, SignInPreferences};
use crate::panes::{Audits, RowDetail, Rules, SignIns, Timeline};
use crate::protocol::{PaneId, RequestId, WorkerEvent};
use crate::worker::source::SourceError;

/// What the analysis needs beside the window's sign-ins (loaded with the Sign-ins pane).
#[derive(Debug, Clone, Default)]
pub struct SignInContext {
    /// Interactive sign-ins before the window.
    pub baseline: Vec<SignIn>,
    /// Beta non-interactive sign-ins (baseline and window), newest first.
    pub non_interactive: Vec<SignIn>,
    /// Beta interactive sign-ins: their beta-only fields enrich the v1.0 rows for the analysis.
    pub beta_interactive: Vec<SignIn>,
    /// The default MFA method.
    pub preferences: Option<SignInPreferences>,
    /// The organisation (verified domains).
    pub tenant: Option<Organization>,
    /// Parts that could not be read.
    pub errors: Vec<(&'static str, SourceError)>,
}

/// A row of the Sign-ins pane when non-interactive sign-ins are shown too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRef {
    /// Row `i` of the interactive sign-ins.
    Interactive(usize),
    /// Item `i` of the non-interactive sign-ins.
    NonInteractive(usize),
}

/// Rows a jump to evidence highlighted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlight {
    /// The pane holding them.
    pub pane: Option<PaneId>,
    /// Their Graph ids.
    pub ids: HashSet<String>,
}

/// What `Investigation::take` did with an event.
#[derive(Debug)]
pub enum Taken {
    /// The event was for this state; whether anything changed.
    Folded(bool),
    /// Not for this state: the event, given back.
    NotMine(WorkerEvent),
}

/// Investigation state of the current suspect.
#[derive(Debug, Clone, Default)]
pub struct Investigation {
    /// Inbox rules.
    pub rules: PaneSlot<Rules>,
    /// Directory audits.
    pub audit: PaneSlot<Audits>,
    /// The request of the Sign-ins load whose context this is.
    pub context_req: Option<RequestId>,
    /// Baseline, non-interactive sign-ins, preferences, organisation.
    pub context: Loadable<SignInContext>,
    /// The merged chronology (rebuilt after each completed load).
    pub timeline: Timeline,
    /// Selection of the Timeline pane.
    pub timeline_view: ListView,
    /// Selection of the Indicators pane.
    pub indicators_view: ListView,
    /// The latest analysis (None until the first load completes); set it with
    /// `set_analysis`, which also indexes its flagged references.
    pub analysis: Option<Analysis>,
    /// `(finding, evidence)` positions of every flagged reference of `analysis`, sorted by
    /// id, so `is_flagged` (asked for every drawn row) is a binary search rather than a pass
    /// over every finding's evidence (a million refs with a large log).
    pub flagged_index: Vec<(u32, u32)>,
    /// The highest severity among `analysis`' findings (the Indicators tab mark, drawn every
    /// frame, no longer walks every finding).
    pub max_severity: Option<Severity>,
    /// Parts that could not be read, as of the latest analysis.
    pub gaps: Vec<Gap>,
    /// Domains inside the organisation (for external recipients).
    pub domains: Vec<String>,
    /// The Sign-ins pane shows non-interactive sign-ins too.
    pub show_non_interactive: bool,
    /// Sign-ins pane rows while `show_non_interactive` (newest first).
    pub merged: Vec<RowRef>,
    /// Rows highlighted by the last jump to evidence.
    pub highlight: Highlight,
}

fn start_slot<T: Default>(slot: &mut PaneSlot<T>, req: RequestId) {
    slot.req = Some(req);
    slot.state = Loadable::loading();
    slot.view = ListView::default();
}

impl Investigation {
    /// A load of `pane` started under `req`.
    pub fn start(&mut self, pane: PaneId, req: RequestId) {
        match pane {
            PaneId::SignIns => {
                self.context_req = Some(req);
                self.context = Loadable::loading();
                self.merged.clear();
            }
            PaneId::Rules => start_slot(&mut self.rules, req),
            PaneId::Audit => start_slot(&mut self.audit, req),
            _ => {}
        }
    }

    /// One of the loads this state owns is running.
    pub fn any_loading(&self) -> bool {
        self.context.is_loading() || self.rules.state.is_loading() || self.audit.state.is_loading()
    }

    /// Folds the replies this state owns; gives every other event back.
    pub fn take(&mut self, ev: WorkerEvent) -> Taken {
        match self.fold(ev) {
            Ok(changed) => Taken::Folded(changed),
            Err(other) => Taken::NotMine(other),
        }
    }

    #[allow(clippy::result_large_err)]
    fn fold(&mut self, ev: WorkerEvent) -> Result<bool, WorkerEvent> {
        match ev {
            WorkerEvent::Rules {
                req,
                rules,
                folders,
            } => {
                if self.rules.req != Some(req) {
                    return Ok(false);
                }
                let Some((data, _)) = self.rules.state.loading_mut() else {
                    return Ok(false);
                };
                *data = Rules::new(rules, folders);
                self.rules.state.finish();
                Ok(true)
            }
            WorkerEvent::Audits { req, items } => {
                if self.audit.req != Some(req) {
                    return Ok(false);
                }
                let Some((data, _)) = self.audit.state.loading_mut() else {
                    return Ok(false);
                };
                *data = Audits::new(items);
                self.audit.state.finish();
                Ok(true)
            }
            WorkerEvent::SignInContext {
                req,
                mut baseline,
                non_interactive,
                preferences,
                tenant,
                errors,
            } => {
                if self.context_req != Some(req) || !self.context.is_loading() {
                    return Ok(false);
                }
                baseline.sort_by_key(|s| std::cmp::Reverse(s.created_date_time));
                let (beta_interactive, mut non_interactive): (Vec<SignIn>, Vec<SignIn>) =
                    non_interactive.into_iter().partition(SignIn::interactive);
                non_interactive.sort_by_key(|s| std::cmp::Reverse(s.created_date_time));
                self.context = Loadable::Ready(SignInContext {
                    baseline,
                    non_interactive,
                    beta_interactive,
                    preferences,
                    tenant: tenant.map(|t| *t),
                    errors,
                });
                Ok(true)
            }
            WorkerEvent::Failed {
                req,
                pane: PaneId::Rules,
                error,
                ..
            } if self.rules.req == Some(req) => {
                self.rules.state.fail(error);
                Ok(true)
            }
            WorkerEvent::Failed {
                req,
                pane: PaneId::Audit,
                error,
                ..
            } if self.audit.req == Some(req) => {
                self.audit.state.fail(error);
                Ok(true)
            }
            WorkerEvent::PivotSignIns { .. } => Ok(false),
            other => Err(other),
        }
    }

    /// The loaded non-interactive sign-ins (baseline and window).
    pub fn non_interactive(&self) -> &[SignIn] {
        self.context.data().map_or(&[], |c| &c.non_interactive)
    }

    /// Rebuilds the merged Sign-ins rows (window only, newest first) when they are shown.
    pub fn rebuild_merged(&mut self, sign_ins: &SignIns, window: &crate::window::Window) {
        self.merged.clear();
        if !self.show_non_interactive {
            return;
        }
        let ni = self.context.data().map_or(&[][..], |c| &c.non_interactive);
        let mut rows: Vec<(Option<chrono::DateTime<chrono::Utc>>, RowRef)> = sign_ins
            .rows
            .iter()
            .enumerate()
            .map(|(i, s)| (s.created_date_time, RowRef::Interactive(i)))
            .chain(
                ni.iter()
                    .enumerate()
                    .filter(|(_, s)| s.created_date_time.is_some_and(|t| window.contains(t)))
                    .map(|(i, s)| (s.created_date_time, RowRef::NonInteractive(i))),
            )
            .collect();
        rows.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
        self.merged = rows.into_iter().map(|(_, r)| r).collect();
    }

    /// Row `i` of the Sign-ins pane and whether it is non-interactive.
    pub fn sign_in_at<'a>(&'a self, s: &'a SignIns, i: usize) -> Option<(&'a SignIn, bool)> {
        if !self.show_non_interactive {
            return s.rows.get(i).map(|r| (r, false));
        }
        match self.merged.get(i)? {
            RowRef::Interactive(j) => s.rows.get(*j).map(|r| (r, false)),
            RowRef::NonInteractive(j) => self.non_interactive().get(*j).map(|r| (r, true)),
        }
    }

    /// Rows of the Sign-ins pane.
    pub fn sign_in_len(&self, s: &SignIns) -> usize {
        if self.show_non_interactive {
            self.merged.len()
        } else {
            s.len()
        }
    }

    /// Detail of row `i` of the Sign-ins pane.
    pub fn sign_in_detail(&self, s: &SignIns, i: usize) -> Option<RowDetail> {
        let (row, ni) = self.sign_in_at(s, i)?;
        let one = SignIns {
            rows: vec![row.clone()],
            ..SignIns::default()
        };
        let mut d = one.detail(0)?;
        if ni {
            d.title = format!("Non-interactive {}", d.title.to_lowercase());
        }
        Some(d)
    }

    /// Rows of one of the panes this state owns.
    pub fn len(&self, pane: PaneId) -> usize {
        match pane {
            PaneId::Rules => self.rules.state.data().map_or(0, Rules::len),
            PaneId::Audit => self.audit.state.data().map_or(0, Audits::len),
            PaneId::Timeline => self.timeline.len(),
            PaneId::Indicators => self.analysis.as_ref().map_or(0, |a| a.findings.len()),
            _ => 0,
        }
    }

    /// Selection of one of the panes this state owns.
    pub fn view(&self, pane: PaneId) -> &ListView {
        match pane {
            PaneId::Rules => &self.rules.view,
            PaneId::Audit => &self.audit.view,
            PaneId::Timeline => &self.timeline_view,
            _ => &self.indicators_view,
        }
    }

    /// Mutable selection of one of the panes this state owns.
    pub fn view_mut(&mut self, pane: PaneId) -> &mut ListView {
        match pane {
            PaneId::Rules => &mut self.rules.view,
            PaneId::Audit => &mut self.audit.view,
            PaneId::Timeline => &mut self.timeline_view,
            _ => &mut self.indicators_view,
        }
    }

    /// Detail of row `i` of one of the panes this state owns (Indicators: see `inspect`).
    pub fn detail(&self, pane: PaneId, i: usize) -> Option<RowDetail> {
        match pane {
            PaneId::Rules => self.rules.state.data()?.detail(i, &self.domains),
            PaneId::Audit => self.audit.state.data()?.detail(i),
            PaneId::Timeline => self.timeline.detail(i),
            _ => None,
        }
    }

    /// Replaces the analysis and rebuilds `flagged_index`.
    pub fn set_analysis(&mut self, an: Analysis) {
        let mut index: Vec<(u32, u32)> = an
            .findings
            .iter()
            .enumerate()
            .flat_map(|(f, finding)| {
                finding
                    .evidence
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.role == Role::Flagged)
                    .map(move |(e, _)| (f as u32, e as u32))
            })
            .collect();
        let at = |&(f, e): &(u32, u32)| &an.findings[f as usize].evidence[e as usize];
        index.sort_by(|a, b| at(a).id.cmp(&at(b).id));
        self.flagged_index = index;
        self.max_severity = an.max_severity();
        self.analysis = Some(an);
    }

    /// Whether some finding flags the object (for ⚠ markers).
    pub fn is_flagged(&self, kind: ObjectType, id: &str) -> bool {
        let Some(a) = &self.analysis else {
            return false;
        };
        let at = |&(f, e): &(u32, u32)| a.findings.get(f as usize)?.evidence.get(e as usize);
        let start = self
            .flagged_index
            .partition_point(|p| at(p).is_some_and(|e| e.id.as_str() < id));
        self.flagged_index[start..]
            .iter()
            .map_while(at)
            .take_while(|e| e.id == id)
            .any(|e| e.kind == kind)
    }

    /// Whether the last jump highlighted this row of `pane`.
    pub fn is_highlighted(&self, pane: PaneId, id: &str) -> bool {
        self.highlight.pane == Some(pane) && self.highlight.ids.contains(id)
    }
}

#[cfg(test)]
mod flagged_tests {
    use super::*;
    use crate::analysis::{EvidenceRef, Finding, Severity, Summary};

    #[test]
    fn the_index_answers_like_a_scan_of_every_finding() {
        let finding = |evidence| Finding {
            indicator: "x",
            severity: Severity::High,
            summary: String::new(),
            evidence,
            at: None,
        };
        let mut inv = Investigation::default();
        assert!(!inv.is_flagged(ObjectType::SignIn, "a"));
        inv.set_analysis(Analysis {
            findings: vec![
                finding(vec![
                    EvidenceRef::context(ObjectType::SignIn, "c"),
                    EvidenceRef::flagged(ObjectType::SignIn, "b"),
                ]),
                finding(vec![
                    EvidenceRef::flagged(ObjectType::DirectoryAudit, "a"),
                    EvidenceRef::flagged(ObjectType::SignIn, "d"),
                    EvidenceRef::flagged(ObjectType::SignIn, "a"),
                ]),
            ],
            summary: Summary::default(),
        });
        for (id, want) in [
            ("a", true),
            ("b", true),
            ("c", false),
            ("d", true),
            ("e", false),
        ] {
            assert_eq!(inv.is_flagged(ObjectType::SignIn, id), want, "{id}");
        }
        assert!(inv.is_flagged(ObjectType::DirectoryAudit, "a"));
        assert!(!inv.is_flagged(ObjectType::DirectoryAudit, "d"));
        assert_eq!(inv.max_severity, Some(Severity::High));
    }
}
