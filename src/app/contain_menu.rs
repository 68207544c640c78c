//! The list of containment actions for the suspect (key `a`, and the playbook's rule step):
//! every `DangerousAction` that applies, built from the data the panes and the containment
//! reads hold — each entry a plan that opens the confirmation dialog, or a line saying why it
//! is not available. Pure: builds state only.

use super::App;
use crate::app::Suspect;
use crate::contain::targets::{narrowed_scope, remove_all_methods};
use crate::contain::{DangerousAction, GrantRef, MethodRef, Plan, RuleRef, Step, Subject};
use crate::graph::models::MessageRule;

/// One entry of the list.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Opens the confirmation dialog for this plan.
    Plan {
        /// What the list says.
        label: String,
        /// The plan.
        plan: Plan,
        /// The playbook step it completes.
        step: Option<Step>,
    },
    /// Not available, and why (or a heading).
    Info(String),
}

/// Which actions the list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuFilter {
    /// Every action.
    All,
    /// Inbox rules only (the playbook's rule step).
    Rules,
}

/// The list's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionsView {
    /// Which actions.
    pub filter: MenuFilter,
    /// The entries.
    pub entries: Vec<Entry>,
    /// The selected entry.
    pub selected: usize,
}

/// The suspect as a containment subject.
pub fn subject(app: &App) -> Option<Subject> {
    match &app.suspect {
        Suspect::Found(u) => Some(Subject {
            id: u.id.clone(),
            upn: u.user_principal_name.clone(),
            display_name: u.display_name.clone(),
            on_prem_synced: u.on_premises_sync_enabled == Some(true),
        }),
        _ => None,
    }
}

/// The password reset that fits: resetPassword, or passwordProfile with the reason.
pub fn reset_action(app: &App, s: &Subject) -> DangerousAction {
    let own = app
        .analyst
        .as_ref()
        .is_some_and(|a| a.raw().eq_ignore_ascii_case(s.upn.raw()));
    if own {
        DangerousAction::ResetPasswordProfile {
            reason: "resetPassword refuses the signed-in analyst's own account, so passwordProfile is used.".into(),
        }
    } else if s.on_prem_synced {
        DangerousAction::ResetPasswordProfile {
            reason: "On-prem synced account: resetPassword needs password writeback; without writeback reset it in AD — this sets a cloud password that the next sync may overwrite.".into(),
        }
    } else {
        DangerousAction::ResetPassword
    }
}

/// The TAP the playbook issues: one hour, one sign-in.
pub const DEFAULT_TAP: DangerousAction = DangerousAction::IssueTap {
    lifetime_minutes: 60,
    usable_once: true,
};

/// The plan "remove every method" (default last; unknown types as notes).
pub fn remove_methods_plan(app: &App, s: &Subject) -> Option<Plan> {
    let m = app.panes.methods.state.data()?;
    let (actions, notes) = remove_all_methods(&m.methods, app.contain.default_method.as_deref());
    if actions.is_empty() {
        return None;
    }
    let mut p = Plan::one(s.clone(), DangerousAction::RevokeSessions);
    p.actions = actions;
    p.notes = notes;
    Some(p)
}

/// Grant references of the suspect's grants.
pub fn grant_refs(app: &App) -> Vec<GrantRef> {
    let Some(g) = app.panes.grants.state.data() else {
        return Vec::new();
    };
    g.grants
        .iter()
        .map(|x| GrantRef {
            id: x.id.clone(),
            client: g
                .principal(&x.client_id)
                .map(|p| p.display_name.safe())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| crate::sanitize::line_capped(&x.client_id, 40)),
            scope: x.scope.raw().to_owned(),
        })
        .collect()
}

fn rule_ref(r: &MessageRule) -> RuleRef {
    RuleRef {
        id: r.id.clone(),
        name: r.display_name.safe(),
    }
}

fn push(out: &mut Vec<Entry>, s: &Subject, dry: bool, action: DangerousAction, step: Option<Step>) {
    let mut plan = Plan::one(s.clone(), action);
    plan.dry_run = dry;
    out.push(Entry::Plan {
        label: plan.title(),
        plan,
        step,
    });
}

fn rule_entries(app: &App, s: &Subject, dry: bool, out: &mut Vec<Entry>) {
    use super::contain::Targets;
    match &app.contain.targets {
        Targets::Idle | Targets::Loading(_) => out.push(Entry::Info("loading inbox rules…".into())),
        Targets::Failed(e) => out.push(Entry::Info(format!(
            "inbox rules cannot be read: {} (other users' mailboxes need the application permission MailboxSettings.ReadWrite)",
            e.summary()
        ))),
        Targets::Ready(rules) if rules.is_empty() => out.push(Entry::Info("no inbox rules".into())),
        Targets::Ready(rules) => {
            for r in rules {
                if r.is_enabled != Some(false) {
                    push(out, s, dry, DangerousAction::DisableRule(rule_ref(r)), Some(Step::DisableRules));
                }
                push(out, s, dry, DangerousAction::DeleteRule(rule_ref(r)), Some(Step::DisableRules));
            }
        }
    }
}

/// Builds the list for the current suspect.
pub fn build(app: &App, filter: MenuFilter) -> ActionsView {
    let mut entries = Vec::new();
    let dry = app.contain.dry_run();
    let Some(s) = subject(app) else {
        entries.push(Entry::Info("no suspect loaded".into()));
        return ActionsView {
            filter,
            entries,
            selected: 0,
        };
    };
    if filter == MenuFilter::Rules {
        rule_entries(app, &s, dry, &mut entries);
        return ActionsView {
            filter,
            entries,
            selected: 0,
        };
    }
    push(
        &mut entries,
        &s,
        dry,
        DangerousAction::RevokeSessions,
        Some(Step::Revoke),
    );
    let reset = reset_action(app, &s);
    let alt = !matches!(reset, DangerousAction::ResetPasswordProfile { .. });
    push(&mut entries, &s, dry, reset, Some(Step::ResetPassword));
    if alt {
        let reason = "passwordProfile chosen instead of resetPassword.".to_owned();
        push(
            &mut entries,
            &s,
            dry,
            DangerousAction::ResetPasswordProfile { reason },
            Some(Step::ResetPassword),
        );
    }
    push(&mut entries, &s, dry, DEFAULT_TAP, Some(Step::IssueTap));
    push(
        &mut entries,
        &s,
        dry,
        DangerousAction::IssueTap {
            lifetime_minutes: 480,
            usable_once: false,
        },
        Some(Step::IssueTap),
    );
    match (remove_methods_plan(app, &s), app.panes.methods.state.data()) {
        (Some(mut p), Some(m)) => {
            p.dry_run = dry;
            entries.push(Entry::Plan {
                label: format!(
                    "Remove all {} removable methods (default last)",
                    p.actions.len()
                ),
                plan: p,
                step: Some(Step::RemoveMethods),
            });
            for method in &m.methods {
                match MethodRef::from_method(method) {
                    Ok(r) => push(
                        &mut entries,
                        &s,
                        dry,
                        DangerousAction::RemoveMethod(r),
                        None,
                    ),
                    Err(why) => entries.push(Entry::Info(why)),
                }
            }
        }
        _ => entries.push(Entry::Info("methods not loaded (or none removable)".into())),
    }
    let grants = grant_refs(app);
    if grants.len() > 1 {
        let mut p = Plan::one(s.clone(), DangerousAction::RevokeSessions);
        p.actions = grants
            .iter()
            .cloned()
            .map(DangerousAction::RemoveGrant)
            .collect();
        p.dry_run = dry;
        entries.push(Entry::Plan {
            label: format!("Remove all {} grants", grants.len()),
            plan: p,
            step: Some(Step::RemoveGrants),
        });
    }
    for g in grants {
        if let Some(scope) = narrowed_scope(&g.scope) {
            push(
                &mut entries,
                &s,
                dry,
                DangerousAction::NarrowGrant {
                    grant: g.clone(),
                    scope,
                },
                None,
            );
        }
        push(
            &mut entries,
            &s,
            dry,
            DangerousAction::RemoveGrant(g),
            Some(Step::RemoveGrants),
        );
    }
    rule_entries(app, &s, dry, &mut entries);
    let enabled = matches!(&app.suspect, Suspect::Found(u) if u.account_enabled != Some(false));
    if enabled {
        push(&mut entries, &s, dry, DangerousAction::BlockSignIn, None);
    }
    push(&mut entries, &s, dry, DangerousAction::EnableSignIn, None);
    push(
        &mut entries,
        &s,
        dry,
        DangerousAction::ConfirmCompromised,
        Some(Step::ConfirmCompromised),
    );
    push(&mut entries, &s, dry, DangerousAction::ConfirmSafe, None);
    push(&mut entries, &s, dry, DangerousAction::DismissRisk, None);
    let ids = app.contain.sign_in_targets(app);
    if ids.is_empty() {
        entries.push(Entry::Info(
            "sign-in risk: mark sign-ins with x in the Sign-ins pane".into(),
        ));
    } else {
        push(
            &mut entries,
            &s,
            dry,
            DangerousAction::ConfirmSignInsCompromised(ids.clone()),
            None,
        );
        push(
            &mut entries,
            &s,
            dry,
            DangerousAction::ConfirmSignInsSafe(ids),
            None,
        );
    }
    let selected = entries
        .iter()
        .position(|e| matches!(e, Entry::Plan { .. }))
        .unwrap_or(0);
    ActionsView {
        filter,
        entries,
        selected,
    }
}
