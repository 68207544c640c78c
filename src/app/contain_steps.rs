//! The playbook's steps in the app: what Enter on a step opens (evidence read, a plan in the
//! confirmation dialog, the rule list) and the dry run of the whole playbook at once. Pure.

use super::App;
use super::contain::{Out, Targets};
use super::contain_menu::{self, MenuFilter};
use crate::contain::task::ContainCommand;
use crate::contain::{DangerousAction, Plan, Step, StepState};
use crate::protocol::Command;

impl App {
    /// Enter on a playbook step.
    pub(super) fn run_step(&mut self, step: Step) -> Out {
        let Some(s) = contain_menu::subject(self) else {
            self.contain.status = Some("no suspect loaded".into());
            return (true, Vec::new());
        };
        let dry = self.contain.dry_run();
        let one = |a: DangerousAction| {
            let mut p = Plan::one(s.clone(), a);
            p.dry_run = dry;
            Some(p)
        };
        let plan = match step {
            Step::SaveEvidence => {
                let req = self.next_req();
                self.contain.evidence_req = Some(req);
                *self.contain.step_mut(step) = StepState::Running;
                return (
                    true,
                    vec![Command::Contain(ContainCommand::SaveEvidence {
                        req,
                        subject: s,
                    })],
                );
            }
            Step::Report => {
                self.contain.status = Some(format!(
                    "write the report with: entra-triage report {}",
                    s.upn.safe()
                ));
                return (true, Vec::new());
            }
            Step::DisableRules => return self.open_actions(MenuFilter::Rules),
            Step::Revoke => one(DangerousAction::RevokeSessions),
            Step::ResetPassword => one(contain_menu::reset_action(self, &s)),
            Step::IssueTap => one(contain_menu::DEFAULT_TAP),
            Step::ConfirmCompromised => one(DangerousAction::ConfirmCompromised),
            Step::RemoveMethods => contain_menu::remove_methods_plan(self, &s).map(|mut p| {
                p.dry_run = dry;
                p
            }),
            Step::RemoveGrants => {
                let grants = contain_menu::grant_refs(self);
                (!grants.is_empty()).then(|| Plan {
                    subject: s.clone(),
                    actions: grants
                        .into_iter()
                        .map(DangerousAction::RemoveGrant)
                        .collect(),
                    notes: Vec::new(),
                    dry_run: dry,
                })
            }
        };
        match plan {
            Some(p) => {
                self.open_plan(p, Some(step));
                (true, Vec::new())
            }
            None => {
                self.contain.status = Some(format!(
                    "{}: nothing to do (not loaded or none)",
                    step.title()
                ));
                (true, Vec::new())
            }
        }
    }

    /// Dry run only: one plan with every step's requests, confirmed once (UPN typed).
    pub(super) fn run_all(&mut self) -> Out {
        if !self.contain.dry_run() {
            self.contain.status =
                Some("R runs the whole playbook in a dry run only (--dry-run)".into());
            return (true, Vec::new());
        }
        let Some(s) = contain_menu::subject(self) else {
            return (false, Vec::new());
        };
        let mut actions = vec![
            DangerousAction::RevokeSessions,
            contain_menu::reset_action(self, &s),
            contain_menu::DEFAULT_TAP,
        ];
        let mut notes = Vec::new();
        if let Some(p) = contain_menu::remove_methods_plan(self, &s) {
            actions.extend(p.actions);
            notes.extend(p.notes);
        }
        actions.extend(
            contain_menu::grant_refs(self)
                .into_iter()
                .map(DangerousAction::RemoveGrant),
        );
        if let Targets::Ready(rules) = &self.contain.targets {
            actions.extend(
                rules
                    .iter()
                    .filter(|r| r.is_enabled != Some(false))
                    .map(|r| {
                        DangerousAction::DisableRule(crate::contain::RuleRef {
                            id: r.id.clone(),
                            name: r.display_name.safe(),
                        })
                    }),
            );
        } else {
            notes.push("inbox rules not read: rule steps are not in this plan".into());
        }
        actions.push(DangerousAction::ConfirmCompromised);
        let plan = Plan {
            subject: s,
            actions,
            notes,
            dry_run: true,
        };
        self.open_plan(plan, None);
        (true, Vec::new())
    }
}
