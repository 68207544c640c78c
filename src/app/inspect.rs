//! The investigation flows of `App::update`: building one `Evidence` from the loaded panes and
//! analysing it after each completed load (the same `analysis::analyse` the headless report
//! runs), the jump from a finding to the rows behind it, the non-interactive toggle, the
//! Indicators detail view, and the pivot to other users of an IP (with `b` back).

use std::collections::HashSet;

use super::{App, Panes, Suspect};
use crate::analysis::{self, EvidenceRef, Finding, ObjectType};
use crate::evidence::{Evidence, Gap};
use crate::overlay::{Overlay, pivot::PivotView};
use crate::panes::timeline::{Sources, Timeline};
use crate::panes::{RowDetail, SignIns};
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
        ev.non_interactive = c.non_interactive.clone();
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

/// The pane that holds objects of `kind`.
pub fn pane_of(kind: ObjectType) -> PaneId {
    match kind {
        ObjectType::SignIn => PaneId::SignIns,
        ObjectType::RiskDetection | ObjectType::RiskyUser => PaneId::Risk,
        ObjectType::AuthenticationMethod => PaneId::Methods,
        ObjectType::OAuth2PermissionGrant | ObjectType::ServicePrincipal => PaneId::Grants,
        ObjectType::MessageRule => PaneId::Rules,
        ObjectType::DirectoryAudit => PaneId::Audit,
    }
}

/// The Graph objects row `i` of `pane` shows (its own first).
pub fn row_keys(p: &Panes, pane: PaneId, i: usize) -> Vec<(ObjectType, String)> {
    let one = |k: ObjectType, id: &str| vec![(k, id.to_owned())];
    match pane {
        PaneId::SignIns => p
            .sign_ins
            .state
            .data()
            .and_then(|s| p.inv.sign_in_at(s, i))
            .map_or_else(Vec::new, |(s, _)| one(ObjectType::SignIn, &s.id)),
        PaneId::Risk => p
            .risk
            .state
            .data()
            .and_then(|r| r.detections.get(i))
            .map_or_else(Vec::new, |d| one(ObjectType::RiskDetection, &d.id)),
        PaneId::Methods => p
            .methods
            .state
            .data()
            .and_then(|m| m.methods.get(i))
            .map_or_else(Vec::new, |m| one(ObjectType::AuthenticationMethod, &m.id)),
        PaneId::Grants => p
            .grants
            .state
            .data()
            .and_then(|g| g.grants.get(i))
            .map_or_else(Vec::new, |g| {
                vec![
                    (ObjectType::OAuth2PermissionGrant, g.id.clone()),
                    (ObjectType::ServicePrincipal, g.client_id.clone()),
                ]
            }),
        PaneId::Rules => p
            .inv
            .rules
            .state
            .data()
            .and_then(|r| r.rules.get(i))
            .map_or_else(Vec::new, |r| one(ObjectType::MessageRule, &r.id)),
        PaneId::Audit => p
            .inv
            .audit
            .state
            .data()
            .and_then(|a| a.rows.get(i))
            .map_or_else(Vec::new, |a| one(ObjectType::DirectoryAudit, &a.id)),
        PaneId::Timeline => p
            .inv
            .timeline
            .rows
            .get(i)
            .map_or_else(Vec::new, |r| one(r.object, &r.id)),
        PaneId::Indicators => Vec::new(),
    }
}

/// One line about an evidence object, from whatever is loaded (sanitised).
pub fn describe(p: &Panes, e: &EvidenceRef) -> String {
    let id = e.id.as_str();
    let found = match e.kind {
        ObjectType::SignIn => {
            let window = p.sign_ins.state.data().map_or(&[][..], |s| &s.rows[..]);
            let ctx = p.inv.context.data();
            let base = ctx.map_or(&[][..], |c| &c.baseline[..]);
            window
                .iter()
                .chain(base)
                .chain(p.inv.non_interactive())
                .find(|s| s.id == id)
                .map(|s| {
                    format!(
                        "{} · {} · {} · {} · {}",
                        analysis_when(s.created_date_time),
                        if s.succeeded() { "ok" } else { "failed" },
                        s.ip_address.safe(),
                        crate::sanitize::line(&analysis::place_of(s)),
                        s.app_display_name.safe()
                    )
                })
        }
        ObjectType::AuthenticationMethod => p
            .methods
            .state
            .data()
            .and_then(|m| m.methods.iter().find(|m| m.id == id))
            .map(|m| {
                format!(
                    "{} · {} · added {}",
                    m.type_label(),
                    m.detail().safe(),
                    analysis_when(m.created_date_time)
                )
            }),
        ObjectType::OAuth2PermissionGrant => p.grants.state.data().and_then(|g| {
            let grant = g.grants.iter().find(|x| x.id == id)?;
            let app = g
                .principal(&grant.client_id)
                .map_or_else(|| grant.client_id.clone(), |sp| sp.name().safe());
            Some(format!(
                "{} · {}",
                crate::sanitize::line(&app),
                crate::sanitize::line_capped(grant.scope.raw(), 120)
            ))
        }),
        ObjectType::ServicePrincipal => p
            .grants
            .state
            .data()
            .and_then(|g| g.principal(id))
            .map(|sp| format!("app {}", sp.name().safe())),
        ObjectType::MessageRule => p.inv.rules.state.data().and_then(|r| {
            let rule = r.rules.iter().find(|x| x.id == id)?;
            Some(format!(
                "rule \"{}\" · {}",
                rule.display_name.safe(),
                r.actions(rule, &p.inv.domains).0
            ))
        }),
        ObjectType::DirectoryAudit => p
            .inv
            .audit
            .state
            .data()
            .and_then(|a| a.rows.iter().find(|x| x.id == id))
            .map(|a| {
                format!(
                    "{} · {}",
                    analysis_when(a.activity_date_time),
                    a.activity_display_name.safe()
                )
            }),
        ObjectType::RiskDetection => p
            .risk
            .state
            .data()
            .and_then(|r| r.detections.iter().find(|x| x.id == id))
            .map(|d| {
                format!(
                    "{} · {} · {}",
                    analysis_when(d.activity_date_time.or(d.detected_date_time)),
                    d.risk_event_type.safe(),
                    d.ip_address.safe()
                )
            }),
        ObjectType::RiskyUser => p.risk.state.data().and_then(|r| r.user.as_ref()).map(|u| {
            format!(
                "risky user · {} ({})",
                crate::sanitize::line_capped(u.risk_level.as_str(), 16),
                crate::sanitize::line_capped(u.risk_state.as_str(), 30)
            )
        }),
    };
    found.unwrap_or_else(|| "(not loaded)".into())
}

fn analysis_when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "no time".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// The detail view of a finding: what, how bad, and every evidence row described.
pub fn finding_detail(p: &Panes, f: &Finding) -> RowDetail {
    let rows: Vec<serde_json::Value> = f
        .evidence
        .iter()
        .map(|e| {
            serde_json::json!(format!(
                "{} {} {} · {}",
                if e.role == analysis::Role::Flagged {
                    "⚠"
                } else {
                    "·"
                },
                e.kind.as_str(),
                crate::sanitize::line_capped(&e.id, 60),
                describe(p, e)
            ))
        })
        .collect();
    RowDetail {
        title: format!(
            "{} · {} · e: jump to evidence",
            f.indicator,
            f.severity.as_str()
        ),
        value: serde_json::json!({
            "indicator": f.indicator,
            "severity": f.severity.as_str(),
            "summary": crate::sanitize::line(&f.summary),
            "at": f.at,
            "evidence": rows,
        }),
    }
}

/// Detail of row `i` of a derived or investigation pane.
pub fn detail(p: &Panes, pane: PaneId, i: usize) -> Option<RowDetail> {
    match pane {
        PaneId::Indicators => {
            let f = p.inv.analysis.as_ref()?.findings.get(i)?;
            Some(finding_detail(p, f))
        }
        other => p.inv.detail(other, i),
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
        p.inv.analysis = Some(an);
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
            let shown = self
                .panes
                .sign_ins
                .state
                .data()
                .map_or(0, |s| s.rows.iter().filter(|r| ids.contains(&r.id)).count());
            let only_ni = self
                .panes
                .inv
                .non_interactive()
                .iter()
                .any(|r| ids.contains(&r.id));
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

    /// `p` on a sign-in: who else signed in from its IP in the window.
    pub(super) fn pivot(&mut self) -> (bool, Vec<Command>) {
        if self.focus != PaneId::SignIns {
            return (false, Vec::new());
        }
        let i = self.panes.sign_ins.view.selected;
        let Some(ip) = self
            .panes
            .sign_ins
            .state
            .data()
            .and_then(|s| self.panes.inv.sign_in_at(s, i))
            .map(|(s, _)| s.ip_address.raw().trim().to_owned())
            .filter(|ip| !ip.is_empty())
        else {
            return (false, Vec::new());
        };
        let exclude = match &self.suspect {
            Suspect::Found(u) => u.id.clone(),
            _ => String::new(),
        };
        let req = self.next_req();
        self.overlays.push(Overlay::Pivot(Box::new(PivotView::new(
            ip.clone(),
            req,
            exclude,
        ))));
        (
            true,
            vec![Command::Pivot {
                req,
                ip,
                window: self.window,
            }],
        )
    }

    /// The pivot's answer arrived.
    pub(super) fn on_pivot(&mut self, ev: WorkerEvent) -> (bool, Vec<Command>) {
        let WorkerEvent::PivotSignIns {
            req, items, error, ..
        } = ev
        else {
            return (false, Vec::new());
        };
        for o in &mut self.overlays {
            if let Overlay::Pivot(p) = o
                && p.req == req
            {
                p.fill(&items, error);
                return (true, Vec::new());
            }
        }
        (false, Vec::new())
    }

    /// Enter in the pivot: the selected user becomes the suspect; the current one is kept
    /// for `b`.
    pub(super) fn pivot_open(&mut self) -> (bool, Vec<Command>) {
        let Some(Overlay::Pivot(p)) = self.overlays.last() else {
            return (false, Vec::new());
        };
        let Some(user_id) = p.selected_user().map(|u| u.user_id.clone()) else {
            return (false, Vec::new());
        };
        self.overlays.pop();
        if let Suspect::Found(u) = &self.suspect {
            self.back.push(u.id.clone());
        }
        (true, self.look_up(user_id))
    }

    /// `b`: back to the previous suspect.
    pub(super) fn go_back(&mut self) -> (bool, Vec<Command>) {
        match self.back.pop() {
            Some(prev) => (true, self.look_up(prev)),
            None => (false, Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests;
