//! Pre-flight decisions (pure): from the token's scopes and the tenant's licence
//! (`WorkerEvent::Preflight`), which panes are skipped before any request is sent — naming the
//! missing scope and Entra role, or the licence — and which containment actions are refused
//! before their confirmation dialog opens. Also each pane's coverage (complete, partial,
//! skipped, failed) for the Indicators pane.

use crate::auth::scopes::Via;
use crate::auth::{Availability, Feature, Granted};
use crate::contain::DangerousAction;
use crate::protocol::PaneId;
use crate::worker::preflight::{Licence, Preflight, ScopeCheck};

/// What pre-flight knows and decided for the current suspect.
#[derive(Debug, Clone, Default)]
pub struct PreflightState {
    /// Pane loads wait for the pre-flight answer (set by the runtime, whose worker always
    /// sends one; a bare `App` loads at once, as before pre-flight).
    pub wait: bool,
    /// The latest answer; `None` until it arrives (or again after a new sign-in).
    pub info: Option<Preflight>,
    /// The suspect was found while the answer was awaited: its panes start when it arrives.
    pub deferred: bool,
    /// Panes skipped for the current suspect, and why.
    pub skipped: Vec<(PaneId, String)>,
    /// The containment action just refused, and why (shown until the next key).
    pub refused: Option<String>,
}

/// The feature a loaded pane cannot do without (graph-api.md §11).
pub fn pane_feature(pane: PaneId) -> Option<Feature> {
    Some(match pane {
        PaneId::SignIns => Feature::SignIns,
        PaneId::Risk => Feature::RiskyUsers,
        PaneId::Methods => Feature::AuthMethods,
        PaneId::Grants => Feature::ConsentGrants,
        PaneId::Rules => Feature::OtherUsersMailboxRules,
        PaneId::Audit => Feature::DirectoryAudits,
        PaneId::Timeline | PaneId::Indicators => return None,
    })
}

/// The feature a containment action needs (`None`: no §11 row, e.g. inbox-rule changes).
pub fn action_feature(action: &DangerousAction) -> Option<Feature> {
    Some(match action {
        DangerousAction::RevokeSessions => Feature::RevokeSessions,
        DangerousAction::ResetPassword => Feature::ResetPasswordMethod,
        DangerousAction::ResetPasswordProfile { .. } => Feature::SetPasswordProfile,
        DangerousAction::IssueTap { .. } => Feature::CreateTap,
        DangerousAction::RemoveMethod(_) => Feature::DeleteAuthMethod,
        DangerousAction::RemoveGrant(_) | DangerousAction::NarrowGrant { .. } => {
            Feature::RemoveConsentGrant
        }
        DangerousAction::BlockSignIn | DangerousAction::EnableSignIn => Feature::DisableAccount,
        DangerousAction::ConfirmCompromised
        | DangerousAction::ConfirmSafe
        | DangerousAction::DismissRisk => Feature::RiskyUserActions,
        DangerousAction::ConfirmSignInsCompromised(_) | DangerousAction::ConfirmSignInsSafe(_) => {
            Feature::SignInRiskActions
        }
        DangerousAction::DisableRule(_) | DangerousAction::DeleteRule(_) => return None,
    })
}

/// Why a licence keeps `pane` empty, if it does.
fn licence_gap(pane: PaneId, licence: Licence) -> Option<&'static str> {
    match pane {
        PaneId::SignIns if !licence.p1 => {
            Some("skipped — licence: sign-in logs need Microsoft Entra ID P1 or P2")
        }
        PaneId::Risk if !licence.p2 => {
            Some("skipped — licence: Identity Protection needs Microsoft Entra ID P2")
        }
        _ => None,
    }
}

/// `needs AuditLog.Read.All + Directory.Read.All · role: Reports Reader…` (the pane or action
/// names itself).
fn permission_gap(granted: &Granted, feature: Feature) -> Option<String> {
    let Availability::Missing { missing, .. } = granted.check(feature) else {
        return None;
    };
    let req = feature.requirement();
    Some(match req.via {
        Via::Delegated => format!("needs {} · role: {}", missing.join(" + "), req.role_hint),
        Via::AppOnly => format!(
            "needs the application permission {} ({})",
            missing.join(" + "),
            req.role_hint
        ),
    })
}

impl PreflightState {
    /// The scopes, when they could be read.
    pub fn granted(&self) -> Option<&Granted> {
        match self.info.as_ref().map(|p| &p.scopes) {
            Some(ScopeCheck::Known(g)) => Some(g),
            _ => None,
        }
    }

    /// Why pre-flight is off, for the header (`None` when it is on or not known yet).
    pub fn off_note(&self) -> Option<&str> {
        match self.info.as_ref().map(|p| &p.scopes) {
            Some(ScopeCheck::Unknown { why }) => Some(why),
            _ => None,
        }
    }

    /// Pane loads must wait for the answer.
    pub fn must_wait(&self) -> bool {
        self.wait && self.info.is_none()
    }

    /// Why `pane` is not loaded at all (licence first, then permission); `None`: load it.
    pub fn skip_reason(&self, pane: PaneId) -> Option<String> {
        let info = self.info.as_ref()?;
        if let Some(gap) = info.licence.and_then(|l| licence_gap(pane, l)) {
            return Some(gap.to_owned());
        }
        let gap = permission_gap(self.granted()?, pane_feature(pane)?)?;
        Some(format!("skipped — permission: {gap}"))
    }

    /// Why `action` may not be sent with this token (`None`: allowed or unknown).
    pub fn action_refusal(&self, action: &DangerousAction) -> Option<String> {
        let gap = permission_gap(self.granted()?, action_feature(action)?)?;
        Some(format!("{}: not permitted — {gap}", action.title()))
    }

    /// Why `pane` was skipped for the current suspect.
    pub fn skipped(&self, pane: PaneId) -> Option<&str> {
        self.skipped
            .iter()
            .find(|(p, _)| *p == pane)
            .map(|(_, why)| why.as_str())
    }

    /// Records (or clears) the skip of `pane`.
    pub fn set_skipped(&mut self, pane: PaneId, why: Option<String>) {
        self.skipped.retain(|(p, _)| *p != pane);
        if let Some(why) = why {
            self.skipped.push((pane, why));
        }
    }
}

/// How complete one pane's data is, for the pane summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Not asked for (no suspect yet).
    NotLoaded,
    /// Still loading.
    Loading,
    /// Everything Graph had, `rows` rows.
    Complete(usize),
    /// Some rows, then a failure (summary).
    Partial(usize, String),
    /// Nothing could be read (summary).
    Failed(String),
    /// Not asked for: licence or permission (why).
    Skipped(String),
}

fn coverage_of<T>(state: &super::Loadable<T>, rows: usize) -> Coverage {
    use super::Loadable;
    match state {
        Loadable::Idle => Coverage::NotLoaded,
        Loadable::Loading { .. } => Coverage::Loading,
        Loadable::Ready(_) => Coverage::Complete(rows),
        Loadable::Failed { error, .. } if rows > 0 => Coverage::Partial(rows, error.summary()),
        Loadable::Failed { error, .. } => Coverage::Failed(error.summary()),
    }
}

impl super::App {
    /// How complete `pane`'s data is (`None` for derived panes).
    pub fn coverage(&self, pane: PaneId) -> Option<Coverage> {
        if let Some(why) = self.preflight.skipped(pane) {
            return Some(Coverage::Skipped(why.to_owned()));
        }
        let p = &self.panes;
        let rows = p.len(pane);
        Some(match pane {
            PaneId::SignIns => coverage_of(&p.sign_ins.state, rows),
            PaneId::Risk => coverage_of(&p.risk.state, rows),
            PaneId::Methods => coverage_of(&p.methods.state, rows),
            PaneId::Grants => coverage_of(&p.grants.state, rows),
            PaneId::Rules => coverage_of(&p.inv.rules.state, rows),
            PaneId::Audit => coverage_of(&p.inv.audit.state, rows),
            PaneId::Timeline | PaneId::Indicators => return None,
        })
    }
}
