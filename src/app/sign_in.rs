//! The in-console sign-in (pure): the sign-in screen when the console starts signed out, the
//! overlay when a token can no longer be renewed mid-session (the panes keep their data), its
//! keys (`y` copy the code, `r` new code, `esc` later, `q` quit), the worker's sign-in steps
//! folded into what the screen shows, and what happens after success: the suspect lookup that
//! was waiting, or a retry of every load that failed for want of a token.

use crossterm::event::KeyEvent;

use super::{App, Suspect};
use crate::keymap::{self, Intent};
use crate::overlay::Overlay;
use crate::protocol::{Command, PaneId};
use crate::worker::sign_in::{SignInAbout, SignInCommand, SignInEvent, SignInFailure};
use crate::worker::source::SourceError;

type Out = (bool, Vec<Command>);

/// Where the sign-in is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    /// The whole screen: the console started signed out.
    Start,
    /// An overlay over the panes: the token could not be renewed mid-session.
    Resume,
}

/// Where the device flow stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStep {
    /// Asking the sign-in service for a code.
    Requesting,
    /// Waiting for the analyst to approve the code.
    Waiting,
    /// A poll failed on the network; retrying.
    Retrying {
        /// Failures in a row.
        failures: u32,
    },
    /// Ended without a token.
    Failed(SignInFailure),
}

/// What the sign-in screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInView {
    /// Screen or overlay.
    pub mode: SignInMode,
    /// The step.
    pub step: SignInStep,
    /// The user code (meant to be shown; the device code never reaches the UI).
    pub user_code: Option<String>,
    /// Where to enter it.
    pub verification_uri: Option<String>,
    /// Seconds left before the code expires, as of the last step.
    pub left_secs: Option<u64>,
    /// The poll interval after the service asked to slow down.
    pub slowed_to: Option<u64>,
    /// The code was copied (OSC 52).
    pub copied: bool,
}

impl SignInView {
    fn new(mode: SignInMode) -> Self {
        Self {
            mode,
            step: SignInStep::Requesting,
            user_code: None,
            verification_uri: None,
            left_secs: None,
            slowed_to: None,
            copied: false,
        }
    }
}

/// The console's sign-in state.
#[derive(Debug, Clone, Default)]
pub struct SignInState {
    /// The console can sign in by itself (a profile; not a token given from outside).
    pub available: bool,
    /// Profile, tenant and cloud of the sign-in.
    pub about: SignInAbout,
    /// The sign-in screen or overlay, while shown.
    pub view: Option<SignInView>,
    /// The suspect to look up once signed in (the console started signed out).
    pending_subject: Option<Option<String>>,
    /// Text to copy to the terminal's clipboard (the user code).
    copy: Option<String>,
}

/// The error means no token could be had (refresh impossible, revoked, 401 after refresh).
pub fn needs_sign_in(error: &SourceError) -> bool {
    error.status == Some(401)
        || error.code.as_deref() == Some(crate::worker::source::SIGN_IN_REQUIRED)
}

impl App {
    /// Starts signed out: the sign-in screen, then `subject` (or the prompt) once signed in.
    pub fn start_signed_out(&mut self, subject: Option<&str>) -> Vec<Command> {
        self.generation += 1;
        self.signin.pending_subject = Some(subject.map(str::to_owned));
        self.signin.view = Some(SignInView::new(SignInMode::Start));
        vec![Command::SignIn(SignInCommand::Start)]
    }

    /// Text the analyst asked to copy (the runtime writes it with OSC 52).
    pub fn take_copy_text(&mut self) -> Option<String> {
        self.signin.copy.take()
    }

    /// The sign-in screen is up: its keys only.
    pub(super) fn sign_in_key(&mut self, key: &KeyEvent) -> Out {
        let ctx = self.context();
        let Some(view) = self.signin.view.as_mut() else {
            return (false, Vec::new());
        };
        match keymap::lookup(ctx, key) {
            Some(Intent::Quit) => {
                self.quit = true;
                (true, vec![Command::Quit])
            }
            Some(Intent::CopyCode) => match &view.user_code {
                Some(code) if !matches!(view.step, SignInStep::Failed(_)) => {
                    self.signin.copy = Some(code.clone());
                    view.copied = true;
                    (true, Vec::new())
                }
                _ => (false, Vec::new()),
            },
            Some(Intent::NewCode) => {
                *view = SignInView::new(view.mode);
                (true, vec![Command::SignIn(SignInCommand::Start)])
            }
            Some(Intent::Close) => {
                self.signin.view = None;
                (true, vec![Command::SignIn(SignInCommand::Cancel)])
            }
            _ => (false, Vec::new()),
        }
    }

    /// A load failed for want of a token: show the sign-in over the panes (once).
    pub(super) fn sign_in_needed(&mut self, error: &SourceError) -> Vec<Command> {
        if !self.signin.available || self.signin.view.is_some() || !needs_sign_in(error) {
            return Vec::new();
        }
        self.signin.view = Some(SignInView::new(SignInMode::Resume));
        vec![Command::SignIn(SignInCommand::Start)]
    }

    /// A step of the worker's sign-in.
    pub(super) fn on_sign_in(&mut self, ev: SignInEvent) -> Out {
        if let SignInEvent::SignedIn { account } = ev {
            return self.signed_in(account);
        }
        let Some(view) = self.signin.view.as_mut() else {
            return (false, Vec::new());
        };
        match ev {
            SignInEvent::Code {
                user_code,
                verification_uri,
                left_secs,
            } => {
                view.user_code = Some(user_code);
                view.verification_uri = Some(verification_uri);
                view.left_secs = Some(left_secs);
                view.step = SignInStep::Waiting;
            }
            SignInEvent::Waiting { left_secs } => {
                view.left_secs = Some(left_secs);
                view.step = SignInStep::Waiting;
            }
            SignInEvent::SlowDown {
                interval_secs,
                left_secs,
            } => {
                view.left_secs = Some(left_secs);
                view.slowed_to = Some(interval_secs);
                view.step = SignInStep::Waiting;
            }
            SignInEvent::Retrying {
                failures,
                left_secs,
            } => {
                view.left_secs = Some(left_secs);
                view.step = SignInStep::Retrying { failures };
            }
            SignInEvent::Failed(f) => view.step = SignInStep::Failed(f),
            SignInEvent::SignedIn { .. } => {}
        }
        (true, Vec::new())
    }

    fn signed_in(&mut self, account: Option<String>) -> Out {
        self.signin.view = None;
        if let Some(a) = account.filter(|a| !a.trim().is_empty()) {
            self.analyst = Some(crate::graph::models::TenantText::from(a.as_str()));
        }
        // The new token's scopes come with the next pre-flight answer.
        if self.preflight.wait {
            self.preflight.info = None;
        }
        if let Some(subject) = self.signin.pending_subject.take() {
            return (true, self.start(subject.as_deref()));
        }
        (true, self.retry_after_sign_in())
    }

    /// Reloads the suspect or every pane whose load failed for want of a token.
    fn retry_after_sign_in(&mut self) -> Vec<Command> {
        if let Suspect::Failed { query, error } = &self.suspect {
            if !needs_sign_in(error) {
                return Vec::new();
            }
            let query = query.clone();
            if matches!(self.overlays.last(), Some(Overlay::Error(_))) {
                self.overlays.pop();
            }
            return self.look_up(query);
        }
        let failed: Vec<PaneId> = PaneId::ALL
            .into_iter()
            .filter(|p| p.loads() && self.failed_for_token(*p))
            .collect();
        let mut cmds = Vec::new();
        for pane in failed {
            cmds.extend(self.load_pane(pane));
        }
        cmds
    }

    fn failed_for_token(&self, pane: PaneId) -> bool {
        use super::Loadable;
        fn check<T>(s: &Loadable<T>) -> bool {
            matches!(s, Loadable::Failed { error, .. } if needs_sign_in(error))
        }
        let p = &self.panes;
        match pane {
            PaneId::SignIns => check(&p.sign_ins.state),
            PaneId::Risk => {
                check(&p.risk.state)
                    || p.risk
                        .state
                        .data()
                        .is_some_and(|r| r.errors.iter().any(|(_, e)| needs_sign_in(e)))
            }
            PaneId::Methods => check(&p.methods.state),
            PaneId::Grants => check(&p.grants.state),
            PaneId::Rules => check(&p.inv.rules.state),
            PaneId::Audit => check(&p.inv.audit.state),
            PaneId::Timeline | PaneId::Indicators => false,
        }
    }
}

#[cfg(test)]
#[path = "sign_in_tests.rs"]
pub(crate) mod tests;
