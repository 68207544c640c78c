//! Containment replies in the app: each action's outcome (a secret opens the one-time
//! dialog), the end of a plan (playbook step done or failed, panes reloaded, the playbook
//! shown), the rules read for the action list and saved evidence. Pure state updates.

use super::contain::{Out, Running, Targets};
use super::contain_menu::{self, ActionsView};
use super::{App, Suspect};
use crate::contain::task::ContainEvent;
use crate::contain::{ActionReport, DangerousAction, Outcome, Step, StepState};
use crate::overlay::Overlay;
use crate::overlay::secret::SecretView;
use crate::protocol::{Command, PaneId};

impl App {
    /// A containment event from the worker.
    pub(super) fn contain_event(&mut self, ev: ContainEvent) -> Out {
        match ev {
            ContainEvent::Targets {
                req,
                rules,
                default_method,
            } => {
                if !matches!(self.contain.targets, Targets::Loading(r) if r == req) {
                    return (false, Vec::new());
                }
                self.contain.default_method = default_method;
                self.contain.targets = match rules {
                    Ok(r) => Targets::Ready(r),
                    Err(e) => Targets::Failed(e),
                };
                // An open action list is rebuilt with the rules.
                if let Some(Overlay::Actions(v)) = self.overlays.last() {
                    let (filter, selected) = (v.filter, v.selected);
                    let mut nv: ActionsView = contain_menu::build(self, filter);
                    nv.selected = selected.min(nv.entries.len().saturating_sub(1));
                    self.overlays.pop();
                    self.overlays.push(Overlay::Actions(nv));
                }
                (true, Vec::new())
            }
            ContainEvent::EvidenceSaved { req, result } => {
                if self.contain.evidence_req != Some(req) {
                    return (false, Vec::new());
                }
                self.contain.evidence_req = None;
                let st = match result {
                    Ok(n) => StepState::Done(format!("{n} objects saved")),
                    Err(e) => StepState::Failed(e),
                };
                *self.contain.step_mut(Step::SaveEvidence) = st;
                (true, Vec::new())
            }
            ContainEvent::Action {
                req,
                report,
                secret,
                ..
            } => {
                let Some(r) = self.contain.running.iter_mut().find(|r| r.req == req) else {
                    return (false, Vec::new());
                };
                r.outcomes.push(report.outcome.clone());
                self.contain.status = Some(format!(
                    "{}: {}",
                    report.action.title(),
                    report.outcome.summary()
                ));
                self.apply_locally(&report);
                self.contain.reports.push(*report);
                if let Some(secret) = secret {
                    let for_whom = match &self.suspect {
                        Suspect::Found(u) => format!(
                            "{} <{}>",
                            u.display_name.safe(),
                            u.user_principal_name.safe()
                        ),
                        _ => String::new(),
                    };
                    self.overlays.push(Overlay::Secret(SecretView {
                        secret,
                        for_whom,
                        copied: false,
                    }));
                }
                (true, Vec::new())
            }
            ContainEvent::PlanDone { req } => {
                let Some(pos) = self.contain.running.iter().position(|r| r.req == req) else {
                    return (false, Vec::new());
                };
                let run = self.contain.running.remove(pos);
                if let Some(step) = run.step {
                    let bad = run
                        .outcomes
                        .iter()
                        .find(|o| !o.is_done() && **o != Outcome::DryRun);
                    *self.contain.step_mut(step) = match bad {
                        Some(o) => StepState::Failed(o.summary()),
                        None => StepState::Done(
                            run.outcomes
                                .last()
                                .map(Outcome::summary)
                                .unwrap_or_default(),
                        ),
                    };
                }
                let cmds = self.reload_after(&run);
                // The outcome shows in the playbook, under a secret still on screen.
                if !self.overlays.iter().any(|o| matches!(o, Overlay::Playbook)) {
                    let at = self
                        .overlays
                        .iter()
                        .position(|o| matches!(o, Overlay::Secret(_)))
                        .unwrap_or(self.overlays.len());
                    self.overlays.insert(at, Overlay::Playbook);
                }
                (true, cmds)
            }
        }
    }

    /// Keeps the header honest after a verified change of the user object.
    fn apply_locally(&mut self, report: &ActionReport) {
        if !matches!(report.outcome, Outcome::Verified(_)) {
            return;
        }
        if let Suspect::Found(u) = &mut self.suspect {
            match report.action {
                DangerousAction::BlockSignIn => u.account_enabled = Some(false),
                DangerousAction::EnableSignIn => u.account_enabled = Some(true),
                _ => {}
            }
        }
        if matches!(
            report.action,
            DangerousAction::ConfirmSignInsCompromised(_) | DangerousAction::ConfirmSignInsSafe(_)
        ) {
            self.contain.marked.clear();
        }
    }

    fn reload_after(&mut self, run: &Running) -> Vec<Command> {
        if self.contain.dry_run() {
            return Vec::new();
        }
        let Suspect::Found(u) = &self.suspect else {
            return Vec::new();
        };
        let user_id = u.id.clone();
        let actions: Vec<DangerousAction> = self
            .contain
            .reports
            .iter()
            .rev()
            .take(run.outcomes.len())
            .map(|r| r.action.clone())
            .collect();
        let mut panes = Vec::new();
        let mut rules = false;
        for a in &actions {
            let p = match a {
                DangerousAction::IssueTap { .. } | DangerousAction::RemoveMethod(_) => {
                    Some(PaneId::Methods)
                }
                DangerousAction::RemoveGrant(_) | DangerousAction::NarrowGrant { .. } => {
                    Some(PaneId::Grants)
                }
                DangerousAction::ConfirmCompromised
                | DangerousAction::ConfirmSafe
                | DangerousAction::DismissRisk => Some(PaneId::Risk),
                DangerousAction::ConfirmSignInsCompromised(_)
                | DangerousAction::ConfirmSignInsSafe(_) => Some(PaneId::SignIns),
                DangerousAction::DisableRule(_) | DangerousAction::DeleteRule(_) => {
                    rules = true;
                    None
                }
                _ => None,
            };
            if let Some(p) = p
                && !panes.contains(&p)
            {
                panes.push(p);
            }
        }
        let mut cmds = Vec::new();
        for pane in panes {
            let req = self.next_req();
            self.panes.start(pane, req);
            cmds.push(Command::LoadPane {
                req,
                pane,
                user_id: user_id.clone(),
                window: self.window,
            });
        }
        if rules {
            self.contain.targets = Targets::Idle;
            cmds.extend(self.load_targets());
        }
        cmds
    }
}
