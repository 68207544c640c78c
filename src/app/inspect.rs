//! The investigation flows of `App::update`: building one `Evidence` from the loaded panes and
//! analysing it after each completed load (the same `analysis::analyse` the headless report
//! runs), the jump from a finding to the rows behind it and the non-interactive toggle. How
//! rows map to evidence is in `evidence_rows.rs`; the pivot is in `pivot_flow.rs`.

use std::collections::HashSet;

use super::evidence_rows::{pane_of, row_keys};
use super::{App, Panes, Suspect};
use crate::analysis::{self, EvidenceRef};
use crate::evidence::{Evidence, Gap};
use crate::overlay::Overlay;
use crate::panes::SignIns;
use crate::panes::timeline::{Sources, Timeline};
use crate::protocol::{Command, PaneId, WorkerEvent};
use crate::worker::part;

/// Whether `ev` completes a load (or a part of one): the analysis is then run again.
pub fn completes(ev: &WorkerEvent) -> bool {
    !matches!(
        ev,
        WorkerEvent::SignInPage { .. }
            | WorkerEvent::Header { .. }
            | WorkerEvent::SuspectLoaded { .. }
            | WorkerEvent::SuspectFailed { .. }
            | WorkerEvent::PivotSignIns { .. }
    )
}

fn gap(part: &str, e: &crate::worker::source::SourceError) -> Gap {
    Gap::new(part, e.summary())
}

/// Everything loaded about the suspect so far, as the analysis' input. Failed parts are
/// gaps; parts still loading are simply not there yet.
pub fn evidence(app: &App) -> Option<Evidence> {
    let Suspect::Found(user) = &app.suspect else {
        return None;
    };
    let p = &app.panes;
    let mut ev = Evidence::new((**user).clone(), app.window);
    let mut gaps = Vec::new();
    if let Some(s) = p.sign_ins.state.data() {
        ev.sign_ins = s.rows.clone();
    }
    if let Some(e) = failed(&p.sign_ins.state) {
        gaps.push(gap(part::SIGN_INS, e));
    }
    if let Some(r) = p.risk.state.data() {
        ev.risky_user = r.user.clone();
        ev.risk_history = r.history.clone();
        ev.risk_detections = r.detections.clone();
        for (part, e) in &r.errors {
            gaps.push(gap(risk_part_name(*part), e));
        }
    }
    if let Some(m) = p.methods.state.data() {
        ev.methods = m.methods.clone();
    }
    if let Some(e) = failed(&p.methods.state) {
        gaps.push(gap(part::METHODS, e));
    }
    if let Some(g) = p.grants.state.data() {
        ev.grants = g.grants.clone();
        ev.service_principals = g.principals.values().cloned().collect();
        ev.service_principals.sort_by(|a, b| a.id.cmp(&b.id));
    }
    if let Some(e) = failed(&p.grants.state) {
        gaps.push(gap(part::GRANTS, e));
    }
    if let Some(r) = p.inv.rules.state.data() {
        ev.rules = r.rules.clone();
        ev.mail_folders = r.folders.clone();
    }
    if let Some(e) = failed(&p.inv.rules.state) {
        gaps.push(gap(part::RULES, e));
    }
    if let Some(a) = p.inv.audit.state.data() {
        ev.audits = a.rows.clone();
    }
    if let Some(e) = failed(&p.inv.audit.state) {
        gaps.push(gap(part::AUDIT, e));
    }
    if let Some(c) = p.inv.context.data() {
        ev.sign_ins.extend(c.baseline.iter().cloned());
        let mut beta = c.beta_interactive.clone();
        beta.extend(c.non_interactive.iter().cloned());
        ev.non_interactive = crate::evidence::merge_beta(&mut ev.sign_ins, beta);
        ev.sign_in_preferences = c.preferences.clone();
        ev.tenant = c.tenant.clone();
        for (part, e) in &c.errors {
            gaps.push(gap(part, e));
        }
    }
    ev.gaps = gaps;
    Some(ev)
}

fn risk_part_name(p: crate::panes::risk::RiskPart) -> &'static str {
    use crate::panes::risk::RiskPart;
    match p {
        RiskPart::User => part::RISKY_USER,
        RiskPart::History => part::RISK_HISTORY,
        RiskPart::Detections => part::DETECTIONS,
    }
}

fn failed<T>(s: &super::Loadable<T>) -> Option<&crate::worker::source::SourceError> {
    match s {
        super::Loadable::Failed { error, .. } => Some(error),
        _ => None,
    }
}

impl App {
    /// After a worker reply was folded in: keep the merged sign-ins current and, when a load
    /// completed, analyse again.
    pub(super) fn after_worker(&mut self, completed: bool) {
        let window = self.window;
        let Panes { sign_ins, inv, .. } = &mut self.panes;
        if inv.show_non_interactive
            && let Some(s) = sign_ins.state.data()
        {
            inv.rebuild_merged(s, &window);
        }
        if completed {
            self.reanalyse();
        }
        // The merged rows may have changed under a filter or sort (e.g. toggled).
        self.find.refresh(&mut self.panes);
    }

    /// Builds the evidence, runs the analysis, rebuilds the timeline.
    pub fn reanalyse(&mut self) {
        let Some(ev) = evidence(self) else {
            return;
        };
        let an = analysis::analyse(&ev, &self.thresholds);
        let rows = self.body_rows();
        let p = &mut self.panes;
        let shown_ni: Vec<_> = if p.inv.show_non_interactive {
            ev.non_interactive.clone()
        } else {
            Vec::new()
        };
        let empty = SignIns::default();
        let timeline = Timeline::build(&Sources {
            window: &self.window,
            sign_ins: &p.sign_ins.state.data().unwrap_or(&empty).rows,
            non_interactive: &shown_ni,
            audits: p.inv.audit.state.data(),
            risk: p.risk.state.data(),
            methods: p.methods.state.data().map_or(&[][..], |m| &m.methods[..]),
        });
        p.inv.domains = ev.internal_domains();
        p.inv.gaps = ev.gaps;
        let (tl, fl) = (timeline.len(), an.findings.len());
        p.inv.timeline = timeline;
        p.inv.set_analysis(an);
        for (view, len) in [
            (&mut p.inv.timeline_view, tl),
            (&mut p.inv.indicators_view, fl),
        ] {
            view.selected = view.selected.min(len.saturating_sub(1));
            view.keep_visible(rows);
        }
    }

    /// `i`: shows or hides the beta non-interactive sign-ins in the Sign-ins pane.
    pub(super) fn toggle_non_interactive(&mut self) -> (bool, Vec<Command>) {
        if self.focus != PaneId::SignIns && self.focus != PaneId::Timeline {
            return (false, Vec::new());
        }
        let keep = row_keys(
            &self.panes,
            self.focus,
            self.panes.view(self.focus).selected,
        );
        self.panes.inv.show_non_interactive = !self.panes.inv.show_non_interactive;
        self.after_worker(true);
        // Keep the same row selected when it is still shown.
        if let Some(k) = keep.first() {
            self.select_ids(self.focus, &HashSet::from([k.1.clone()]));
        }
        (true, Vec::new())
    }

    /// Selects the first row of `pane` whose object is in `ids`; returns the rows found.
    fn select_ids(&mut self, pane: PaneId, ids: &HashSet<String>) -> Vec<usize> {
        let len = self.panes.len(pane);
        let hits: Vec<usize> = (0..len)
            .filter(|&i| {
                row_keys(&self.panes, pane, i)
                    .iter()
                    .any(|(_, id)| ids.contains(id))
            })
            .collect();
        let rows = self.body_rows();
        let view = self.panes.view_mut(pane);
        view.selected = hits
            .first()
            .copied()
            .unwrap_or(0)
            .min(len.saturating_sub(1));
        view.keep_visible(rows);
        hits
    }

    /// `e`: from a finding, to the pane holding its flagged rows, selecting and highlighting
    /// them; from a flagged row elsewhere, to its finding.
    pub(super) fn jump_to_evidence(&mut self) -> (bool, Vec<Command>) {
        if matches!(self.overlays.last(), Some(Overlay::Detail(_))) {
            if self.focus != PaneId::Indicators {
                return (false, Vec::new());
            }
            self.overlays.pop();
        }
        let Some(an) = self.panes.inv.analysis.as_ref() else {
            return (false, Vec::new());
        };
        if self.focus != PaneId::Indicators {
            let keys = row_keys(
                &self.panes,
                self.focus,
                self.panes.view(self.focus).selected,
            );
            let Some(pos) = an.findings.iter().position(|f| {
                f.flagged()
                    .any(|e| keys.iter().any(|(k, id)| *k == e.kind && *id == e.id))
            }) else {
                return (false, Vec::new());
            };
            self.focus = PaneId::Indicators;
            let rows = self.body_rows();
            let view = &mut self.panes.inv.indicators_view;
            view.selected = pos;
            view.keep_visible(rows);
            return (true, Vec::new());
        }
        let Some(f) = an.findings.get(self.panes.inv.indicators_view.selected) else {
            return (false, Vec::new());
        };
        let mut refs: Vec<&EvidenceRef> = f.flagged().collect();
        if refs.is_empty() {
            refs = f.evidence.iter().collect();
        }
        let Some(first) = refs.first() else {
            return (false, Vec::new());
        };
        let pane = pane_of(first.kind);
        let ids: HashSet<String> = refs
            .iter()
            .filter(|e| pane_of(e.kind) == pane)
            .map(|e| e.id.clone())
            .collect();
        if pane == PaneId::SignIns && !self.panes.inv.show_non_interactive {
            let shown = self.panes.sign_ins.state.data().map_or(0, |s| {
                s.rows
                    .iter()
                    .filter(|r| ids.contains(r.id.as_str()))
                    .count()
            });
            let only_ni = self
                .panes
                .inv
                .non_interactive()
                .iter()
                .any(|r| ids.contains(r.id.as_str()));
            if shown == 0 && only_ni {
                self.panes.inv.show_non_interactive = true;
                self.after_worker(true);
            }
        }
        self.focus = pane;
        let hits = self.select_ids(pane, &ids);
        let own: HashSet<String> = hits
            .iter()
            .filter_map(|&i| row_keys(&self.panes, pane, i).into_iter().next())
            .map(|(_, id)| id)
            .collect();
        self.panes.inv.highlight = super::investigation::Highlight {
            pane: Some(pane),
            ids: own,
        };
        (true, Vec::new())
    }
}

#[cfg(test)]
mod tests;
