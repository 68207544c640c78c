//! What each `DangerousAction` breaks and whether it can be undone: the dialog's words,
//! kept apart from the request building. Plain text, no IO.

use super::action::{DangerousAction, Subject};

impl DangerousAction {
    /// What the change breaks, for the dialog.
    pub fn breaks(&self, s: &Subject) -> String {
        let sync = if s.on_prem_synced {
            " Synced from on-prem AD: make the change in AD too, or the next sync undoes it."
        } else {
            ""
        };
        match self {
            Self::RevokeSessions => "Every refresh token and session cookie stops working within minutes; the user signs in again everywhere. Access tokens already issued stay valid up to about an hour.".into(),
            Self::ResetPassword => format!("The current password stops working; the user must change the new one at next sign-in. Grants and issued tokens survive a reset.{sync}"),
            Self::ResetPasswordProfile { reason } => format!("{reason} The current password stops working; the new one must be changed at next sign-in.{sync}"),
            Self::IssueTap { .. } => "Replaces any existing Temporary Access Pass; whoever holds the pass can sign in and register methods until it expires.".into(),
            Self::RemoveMethod(_) => "The method can no longer be used to sign in or for MFA; the user re-registers it. The default method cannot be removed while others exist.".into(),
            Self::RemoveGrant(_) => "The app loses delegated access for this user (tokens already issued keep working until they expire); the user may consent again.".into(),
            Self::NarrowGrant { grant, scope } => format!(
                "The app keeps only: {} (was: {}).",
                crate::sanitize::line_capped(scope, 200),
                crate::sanitize::line_capped(grant.scope.trim(), 200)
            ),
            Self::DisableRule(_) => "The rule stops acting on new mail; it stays in the mailbox.".into(),
            Self::DeleteRule(_) => "The rule is gone with its conditions and actions (saved in the journal first).".into(),
            Self::BlockSignIn => format!("The user can no longer sign in at all (no new tokens).{sync}"),
            Self::EnableSignIn => format!("The user can sign in again.{sync}"),
            Self::ConfirmCompromised => "Identity Protection sets the user's risk to high; risk-based Conditional Access policies then apply.".into(),
            Self::ConfirmSafe => "Identity Protection sets the user's risk to none.".into(),
            Self::DismissRisk => "Identity Protection drops the user's risk (state dismissed).".into(),
            Self::ConfirmSignInsCompromised(_) => "The sign-ins are flagged high risk; the user's risk rises.".into(),
            Self::ConfirmSignInsSafe(_) => "The sign-ins are marked safe and stop counting towards the user's risk.".into(),
        }
    }

    /// Whether and how the change can be undone.
    pub fn undo(&self) -> (bool, &'static str) {
        match self {
            Self::RevokeSessions => (false, "cannot be undone (sessions are gone)"),
            Self::ResetPassword | Self::ResetPasswordProfile { .. } => {
                (false, "cannot be undone (the old password is not kept)")
            }
            Self::IssueTap { .. } => (true, "undo: remove the Temporary Access Pass method"),
            Self::RemoveMethod(_) => (false, "cannot be undone (the user must register it again)"),
            Self::RemoveGrant(_) => (
                false,
                "cannot be undone here (the user or an admin must consent again)",
            ),
            Self::NarrowGrant { .. } => (true, "undo: set the old scope list again"),
            Self::DisableRule(_) => (true, "undo: enable the rule again"),
            Self::DeleteRule(_) => (false, "cannot be undone (recreate it from the saved copy)"),
            Self::BlockSignIn => (true, "undo: re-enable sign-in"),
            Self::EnableSignIn => (true, "undo: block sign-in"),
            Self::ConfirmCompromised => (
                false,
                "cannot be undone directly (dismiss or confirm safe later)",
            ),
            Self::ConfirmSafe | Self::DismissRisk => {
                (false, "cannot be undone (risk history keeps it)")
            }
            Self::ConfirmSignInsCompromised(_) | Self::ConfirmSignInsSafe(_) => {
                (false, "cannot be undone")
            }
        }
    }
}
