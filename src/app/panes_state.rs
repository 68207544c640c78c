//! The four panes' slots: which request each waits for, its `Loadable` data and its
//! selection; and how worker replies fold into them (stale replies are dropped here).

use super::list::ListView;
use super::loadable::Loadable;
use crate::panes::risk::RiskPart;
use crate::panes::{Grants, Methods, Risk, RowDetail, SignIns};
use crate::protocol::{PaneId, RequestId, WorkerEvent};

/// One pane: the request it waits for, its data, its selection.
#[derive(Debug, Clone, Default)]
pub struct PaneSlot<T> {
    /// The only request whose replies this pane accepts.
    pub req: Option<RequestId>,
    /// The data.
    pub state: Loadable<T>,
    /// Selection and scroll.
    pub view: ListView,
}

impl<T: Default> PaneSlot<T> {
    fn start(&mut self, req: RequestId) {
        self.req = Some(req);
        self.state = Loadable::loading();
        self.view = ListView::default();
    }

    fn accepts(&self, req: RequestId) -> bool {
        self.req == Some(req)
    }
}

/// The panes of the current suspect.
#[derive(Debug, Clone, Default)]
pub struct Panes {
    /// Sign-in timeline.
    pub sign_ins: PaneSlot<SignIns>,
    /// Identity Protection.
    pub risk: PaneSlot<Risk>,
    /// Authentication methods.
    pub methods: PaneSlot<Methods>,
    /// OAuth grants.
    pub grants: PaneSlot<Grants>,
    /// Rules, Audit, Timeline, Indicators and the sign-in context of the analysis.
    pub inv: super::investigation::Investigation,
}

impl Panes {
    /// Starts loading `pane` under `req` (older replies become stale).
    pub fn start(&mut self, pane: PaneId, req: RequestId) {
        match pane {
            PaneId::SignIns => self.sign_ins.start(req),
            PaneId::Risk => self.risk.start(req),
            PaneId::Methods => self.methods.start(req),
            PaneId::Grants => self.grants.start(req),
            PaneId::Rules | PaneId::Audit | PaneId::Timeline | PaneId::Indicators => {}
        }
        self.inv.start(pane, req);
    }

    /// Some pane is loading.
    pub fn any_loading(&self) -> bool {
        self.sign_ins.state.is_loading()
            || self.risk.state.is_loading()
            || self.methods.state.is_loading()
            || self.grants.state.is_loading()
            || self.inv.any_loading()
    }

    /// Rows of `pane`.
    pub fn len(&self, pane: PaneId) -> usize {
        match pane {
            PaneId::SignIns => self
                .sign_ins
                .state
                .data()
                .map_or(0, |s| self.inv.sign_in_len(s)),
            PaneId::Risk => self.risk.state.data().map_or(0, Risk::len),
            PaneId::Methods => self.methods.state.data().map_or(0, Methods::len),
            PaneId::Grants => self.grants.state.data().map_or(0, Grants::len),
            other => self.inv.len(other),
        }
    }

    /// Selection of `pane`.
    pub fn view(&self, pane: PaneId) -> &ListView {
        match pane {
            PaneId::SignIns => &self.sign_ins.view,
            PaneId::Risk => &self.risk.view,
            PaneId::Methods => &self.methods.view,
            PaneId::Grants => &self.grants.view,
            other => self.inv.view(other),
        }
    }

    /// Mutable selection of `pane`.
    pub fn view_mut(&mut self, pane: PaneId) -> &mut ListView {
        match pane {
            PaneId::SignIns => &mut self.sign_ins.view,
            PaneId::Risk => &mut self.risk.view,
            PaneId::Methods => &mut self.methods.view,
            PaneId::Grants => &mut self.grants.view,
            other => self.inv.view_mut(other),
        }
    }

    /// Keeps every selection visible in `rows` rows (after a resize).
    pub fn keep_visible(&mut self, rows: usize) {
        for pane in PaneId::ALL {
            self.view_mut(pane).keep_visible(rows);
        }
    }

    /// The detail of row `i` of `pane`.
    pub fn detail(&self, pane: PaneId, i: usize) -> Option<RowDetail> {
        match pane {
            PaneId::SignIns => self.inv.sign_in_detail(self.sign_ins.state.data()?, i),
            PaneId::Risk => self.risk.state.data()?.detail(i),
            PaneId::Methods => self.methods.state.data()?.detail(i),
            PaneId::Grants => self.grants.state.data()?.detail(i),
            other => super::evidence_rows::detail(self, other, i),
        }
    }

    /// Folds a pane reply in; returns false for a stale or late reply (nothing changed).
    pub fn apply(&mut self, ev: WorkerEvent, rows: usize) -> bool {
        let ev = match self.inv.take(ev) {
            super::investigation::Taken::Folded(changed) => return changed,
            super::investigation::Taken::NotMine(ev) => ev,
        };
        match ev {
            WorkerEvent::SignInPage {
                req,
                page_no,
                items,
                has_more,
            } => {
                if !self.sign_ins.accepts(req) {
                    return false;
                }
                let Some((data, progress)) = self.sign_ins.state.loading_mut() else {
                    return false;
                };
                progress.pages = page_no;
                progress.items += items.len();
                data.push_page(items, has_more);
                let len = data.len();
                let view = &mut self.sign_ins.view;
                view.selected = view.selected.min(len.saturating_sub(1));
                view.keep_visible(rows);
                true
            }
            WorkerEvent::SignInsDone { req } => {
                if !self.sign_ins.accepts(req) {
                    return false;
                }
                self.sign_ins.state.finish();
                true
            }
            WorkerEvent::RiskyUser { req, user } => {
                self.risk_part(req, RiskPart::User, |r| r.user = user.map(|u| *u))
            }
            WorkerEvent::RiskHistory { req, items } => {
                self.risk_part(req, RiskPart::History, |r| r.history = items)
            }
            WorkerEvent::Detections { req, items } => {
                self.risk_part(req, RiskPart::Detections, |r| r.detections = items)
            }
            WorkerEvent::Methods { req, methods } => {
                if !self.methods.accepts(req) {
                    return false;
                }
                let Some((data, _)) = self.methods.state.loading_mut() else {
                    return false;
                };
                data.methods = methods;
                self.methods.state.finish();
                true
            }
            WorkerEvent::Grants {
                req,
                grants,
                principals,
            } => {
                if !self.grants.accepts(req) {
                    return false;
                }
                let Some((data, _)) = self.grants.state.loading_mut() else {
                    return false;
                };
                *data = Grants::new(grants, principals);
                self.grants.state.finish();
                true
            }
            WorkerEvent::Failed {
                req,
                pane,
                part,
                error,
            } => match pane {
                PaneId::SignIns if self.sign_ins.accepts(req) => {
                    self.sign_ins.state.fail(error);
                    true
                }
                PaneId::Risk if self.risk.accepts(req) => {
                    let Some(p) = RiskPart::from_name(part) else {
                        return false;
                    };
                    self.risk_part(req, p, |r| r.errors.push((p, error)))
                }
                PaneId::Methods if self.methods.accepts(req) => {
                    self.methods.state.fail(error);
                    true
                }
                PaneId::Grants if self.grants.accepts(req) => {
                    self.grants.state.fail(error);
                    true
                }
                _ => false,
            },
            WorkerEvent::Header { .. }
            | WorkerEvent::SuspectLoaded { .. }
            | WorkerEvent::SuspectFailed { .. }
            | WorkerEvent::Rules { .. }
            | WorkerEvent::Audits { .. }
            | WorkerEvent::SignInContext { .. }
            | WorkerEvent::PivotSignIns { .. }
            | WorkerEvent::Contain(_)
            | WorkerEvent::Case(_)
            | WorkerEvent::SignIn(_)
            | WorkerEvent::Preflight(_) => false,
        }
    }

    /// One part of the Risk pane arrived; when all three have, the pane is Ready, or Failed
    /// (keeping what arrived) if any part failed.
    fn risk_part(&mut self, req: RequestId, part: RiskPart, f: impl FnOnce(&mut Risk)) -> bool {
        if !self.risk.accepts(req) {
            return false;
        }
        let Some((data, progress)) = self.risk.state.loading_mut() else {
            return false;
        };
        f(data);
        data.mark_done(part);
        progress.pages += 1;
        progress.items = data.len();
        if data.complete() {
            match data.errors.first().map(|(_, e)| e.clone()) {
                Some(e) => self.risk.state.fail(e),
                None => self.risk.state.finish(),
            }
        }
        true
    }
}
