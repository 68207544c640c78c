//! Containment in the app: the session's mode (read-only by default, on, dry run), sign-in
//! marks, the rules and default method read for the action list, the playbook's step states
//! and outcomes, and the key and worker-event handling of the containment overlays. Pure like
//! the rest of `update`: the only way out is a `Command`, and the only mutate command carries
//! a `Confirmed` that the confirmation dialog produced.

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;

use super::contain_menu::{self, Entry, MenuFilter};
use super::{App, Suspect};
use crate::contain::intent::ContainIntent;
use crate::contain::task::ContainCommand;
use crate::contain::{ActionReport, Outcome, Plan, Secret, Step, StepState};
use crate::graph::models::MessageRule;
use crate::keymap::{self, Context, Intent};
use crate::overlay::Overlay;
use crate::overlay::confirm::{ConfirmView, Decision};
use crate::protocol::{Command, PaneId, RequestId};
use crate::worker::source::SourceError;

/// Whether this session may change the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Nothing can change; containment keys are hidden and do nothing.
    #[default]
    ReadOnly,
    /// Containment keys work (each change still asks for confirmation).
    On,
    /// Containment keys work, every request is recorded and shown, nothing is sent.
    DryRun,
}

/// The suspect's Inbox rules, read for the action list.
#[derive(Debug, Clone, Default)]
pub enum Targets {
    /// Not asked yet.
    #[default]
    Idle,
    /// Being read.
    Loading(RequestId),
    /// Read.
    Ready(Vec<MessageRule>),
    /// Could not be read.
    Failed(SourceError),
}

/// A plan on its way.
#[derive(Debug, Clone)]
pub(super) struct Running {
    pub(super) req: RequestId,
    pub(super) step: Option<Step>,
    pub(super) outcomes: Vec<Outcome>,
}

/// Containment state of the session.
#[derive(Debug, Default)]
pub struct ContainState {
    /// Read-only, on, or dry run.
    pub mode: Mode,
    /// Sign-in ids marked for a sign-in risk action.
    pub marked: BTreeSet<String>,
    /// Inbox rules for the action list.
    pub targets: Targets,
    /// The suspect's preferred (default) MFA method, when known.
    pub default_method: Option<String>,
    /// Playbook step states, in `Step::ALL` order.
    pub steps: [StepState; 9],
    /// Selected playbook step.
    pub selected: usize,
    /// Every action outcome of the session, oldest first.
    pub reports: Vec<ActionReport>,
    /// Last containment message for the playbook view.
    pub status: Option<String>,
    pub(super) running: Vec<Running>,
    pub(super) evidence_req: Option<RequestId>,
    clipboard: Option<Secret>,
}

impl ContainState {
    /// Sets the mode from the command line (`--contain`, `--dry-run`).
    pub fn set_mode(&mut self, contain: bool, dry_run: bool) {
        self.mode = match (contain, dry_run) {
            (_, true) => Mode::DryRun,
            (true, false) => Mode::On,
            (false, false) => Mode::ReadOnly,
        };
    }

    /// Containment keys work.
    pub fn enabled(&self) -> bool {
        self.mode != Mode::ReadOnly
    }

    /// Nothing is sent.
    pub fn dry_run(&self) -> bool {
        self.mode == Mode::DryRun
    }

    /// The sign-ins a sign-in risk action applies to: the marked ones, else the selected row
    /// of the Sign-ins pane when it has focus.
    pub fn sign_in_targets(&self, app: &App) -> Vec<String> {
        if !self.marked.is_empty() {
            return self.marked.iter().cloned().collect();
        }
        if app.focus != PaneId::SignIns {
            return Vec::new();
        }
        let i = app.panes.sign_ins.view.selected;
        app.panes
            .sign_ins
            .state
            .data()
            .and_then(|s| s.rows.get(i))
            .map(|r| vec![r.id.to_string()])
            .unwrap_or_default()
    }

    pub(super) fn step_mut(&mut self, step: Step) -> &mut StepState {
        &mut self.steps[step.index()]
    }
}

/// The title-bar badge.
pub fn badge(app: &App) -> &'static str {
    match app.contain.mode {
        Mode::ReadOnly => " READ-ONLY ",
        Mode::On => " CONTAINMENT ON ",
        Mode::DryRun => " CONTAINMENT DRY-RUN ",
    }
}

/// Footer hints added while containment is on and a pane has focus.
pub fn extra_hints(app: &App) -> Vec<(&'static str, &'static str)> {
    if app.contain.enabled() && app.context() == Context::Pane {
        keymap::hints(Context::Containment).collect()
    } else {
        Vec::new()
    }
}

pub(super) type Out = (bool, Vec<Command>);

impl App {
    /// Takes the secret the analyst asked to copy (the runtime writes it with OSC 52).
    pub fn take_clipboard(&mut self) -> Option<Secret> {
        self.contain.clipboard.take()
    }

    /// `:contain` (command mode) or `C`: asks to turn containment on.
    pub fn ask_enable_containment(&mut self) -> Out {
        if self.contain.enabled() {
            self.contain.status = Some("containment is already on".into());
            return (true, Vec::new());
        }
        self.overlays.push(Overlay::Confirm(
            Box::new(ConfirmView::enable_containment()),
        ));
        (true, Vec::new())
    }

    /// Keys of the containment overlays and of the containment pane keys; `None` lets the
    /// ordinary dispatch handle the key.
    pub(super) fn contain_key(&mut self, ctx: Context, key: &KeyEvent) -> Option<Out> {
        let mine = matches!(
            ctx,
            Context::Confirm
                | Context::ConfirmTyping
                | Context::Secret
                | Context::Actions
                | Context::Playbook
        );
        if !mine {
            if ctx == Context::Pane
                && self.contain.enabled()
                && let Some(Intent::Contain(ci)) = keymap::lookup(Context::Containment, key)
            {
                return Some(self.contain_intent(ci));
            }
            return None;
        }
        match keymap::lookup(ctx, key) {
            Some(Intent::Quit) => None,
            Some(Intent::Contain(ci)) => Some(self.contain_intent(ci)),
            Some(Intent::Down) => Some(self.contain_move(1)),
            Some(Intent::Up) => Some(self.contain_move(-1)),
            Some(Intent::PageDown | Intent::PageUp) => match self.overlays.last_mut() {
                Some(Overlay::Confirm(c)) => {
                    let page = 10usize;
                    c.scroll = if keymap::lookup(ctx, key) == Some(Intent::PageDown) {
                        c.scroll.saturating_add(page).min(500)
                    } else {
                        c.scroll.saturating_sub(page)
                    };
                    Some((true, Vec::new()))
                }
                _ => Some((false, Vec::new())),
            },
            Some(_) => Some((false, Vec::new())),
            None => match self.overlays.last_mut() {
                Some(Overlay::Confirm(c)) => Some((c.input(*key), Vec::new())),
                _ => Some((false, Vec::new())),
            },
        }
    }

    fn contain_move(&mut self, d: isize) -> Out {
        match self.overlays.last_mut() {
            Some(Overlay::Actions(v)) => {
                let before = v.selected;
                let max = v.entries.len().saturating_sub(1);
                v.selected = v.selected.saturating_add_signed(d).min(max);
                (before != v.selected, Vec::new())
            }
            Some(Overlay::Playbook) => {
                let before = self.contain.selected;
                self.contain.selected = before.saturating_add_signed(d).min(Step::ALL.len() - 1);
                (before != self.contain.selected, Vec::new())
            }
            _ => (false, Vec::new()),
        }
    }

    /// Handles one containment intent.
    pub(super) fn contain_intent(&mut self, ci: ContainIntent) -> Out {
        match ci {
            ContainIntent::EnableAsk => self.ask_enable_containment(),
            // Pane-level containment keys do nothing while the session is read-only.
            ContainIntent::OpenActions
            | ContainIntent::OpenPlaybook
            | ContainIntent::MarkSignIn
            | ContainIntent::Skip
            | ContainIntent::RunAll
                if !self.contain.enabled() =>
            {
                (false, Vec::new())
            }
            ContainIntent::OpenActions => self.open_actions(MenuFilter::All),
            ContainIntent::OpenPlaybook => {
                if matches!(self.overlays.last(), Some(Overlay::Playbook)) {
                    self.overlays.pop();
                    return (true, Vec::new());
                }
                self.overlays.push(Overlay::Playbook);
                (true, self.load_targets())
            }
            ContainIntent::MarkSignIn => self.mark_sign_in(),
            ContainIntent::Toggle => match self.overlays.last_mut() {
                Some(Overlay::Confirm(c)) => {
                    c.toggle();
                    (true, Vec::new())
                }
                _ => (false, Vec::new()),
            },
            ContainIntent::Choose => self.choose(),
            ContainIntent::Cancel => {
                // Dropping a secret view wipes the secret.
                (self.overlays.pop().is_some(), Vec::new())
            }
            ContainIntent::Copy => match self.overlays.last_mut() {
                Some(Overlay::Secret(s)) => {
                    s.copied = true;
                    self.contain.clipboard = Some(s.secret.clone());
                    (true, Vec::new())
                }
                _ => (false, Vec::new()),
            },
            ContainIntent::Skip => {
                if !matches!(self.overlays.last(), Some(Overlay::Playbook)) {
                    return (false, Vec::new());
                }
                let i = self.contain.selected;
                self.contain.steps[i] = StepState::Skipped;
                (true, Vec::new())
            }
            ContainIntent::RunAll => self.run_all(),
        }
    }

    fn mark_sign_in(&mut self) -> Out {
        if self.focus != PaneId::SignIns {
            return (false, Vec::new());
        }
        let i = self.panes.sign_ins.view.selected;
        let Some(id) = self
            .panes
            .sign_ins
            .state
            .data()
            .and_then(|s| s.rows.get(i))
            .map(|r| r.id.to_string())
        else {
            return (false, Vec::new());
        };
        if !self.contain.marked.remove(&id) {
            self.contain.marked.insert(id);
        }
        (true, Vec::new())
    }

    pub(super) fn load_targets(&mut self) -> Vec<Command> {
        let Suspect::Found(u) = &self.suspect else {
            return Vec::new();
        };
        if !matches!(self.contain.targets, Targets::Idle) {
            return Vec::new();
        }
        let user_id = u.id.clone();
        let req = self.next_req();
        self.contain.targets = Targets::Loading(req);
        vec![Command::Contain(ContainCommand::LoadTargets {
            req,
            user_id,
        })]
    }

    pub(super) fn open_actions(&mut self, filter: MenuFilter) -> Out {
        let cmds = self.load_targets();
        let view = contain_menu::build(self, filter);
        self.overlays.push(Overlay::Actions(view));
        (true, cmds)
    }

    pub(super) fn open_plan(&mut self, plan: Plan, step: Option<Step>) {
        // Pre-flight: an action the token may not perform is refused before the dialog.
        if let Some(why) = plan
            .actions
            .iter()
            .find_map(|a| self.preflight.action_refusal(a))
        {
            self.preflight.refused = Some(why);
            return;
        }
        self.overlays
            .push(Overlay::Confirm(Box::new(ConfirmView::for_plan(
                plan, step,
            ))));
    }

    fn choose(&mut self) -> Out {
        match self.overlays.last_mut() {
            Some(Overlay::Confirm(c)) => match c.decide() {
                Decision::Cancelled => {
                    self.overlays.pop();
                    (true, Vec::new())
                }
                Decision::NotYet(_) => (true, Vec::new()),
                Decision::EnableContainment => {
                    self.overlays.pop();
                    self.contain.mode = Mode::On;
                    self.contain.status = Some("containment is on for this session".into());
                    (true, Vec::new())
                }
                Decision::Confirmed(confirmed) => {
                    let step = c.step;
                    self.overlays.pop();
                    // The list it came from has done its job; the outcome shows in the playbook.
                    if matches!(self.overlays.last(), Some(Overlay::Actions(_))) {
                        self.overlays.pop();
                    }
                    let req = self.next_req();
                    if let Some(s) = step {
                        *self.contain.step_mut(s) = StepState::Running;
                    }
                    self.contain.running.push(Running {
                        req,
                        step,
                        outcomes: Vec::new(),
                    });
                    (
                        true,
                        vec![Command::Contain(ContainCommand::Mutate { req, confirmed })],
                    )
                }
            },
            Some(Overlay::Actions(v)) => match v.entries.get(v.selected).cloned() {
                Some(Entry::Plan { plan, step, .. }) => {
                    self.open_plan(plan, step);
                    (true, Vec::new())
                }
                _ => (false, Vec::new()),
            },
            Some(Overlay::Playbook) => self.run_step(Step::ALL[self.contain.selected]),
            _ => (false, Vec::new()),
        }
    }
}
