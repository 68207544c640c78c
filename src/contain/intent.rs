//! What containment keys mean (the keymap table binds keys to these; `app::contain` acts).

/// A containment intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainIntent {
    /// Ask to turn containment on for the session (opens a confirmation).
    EnableAsk,
    /// Open the list of containment actions for the suspect.
    OpenActions,
    /// Open the playbook.
    OpenPlaybook,
    /// Mark or unmark the selected sign-in for a sign-in risk action.
    MarkSignIn,
    /// Switch the dialog's focused button.
    Toggle,
    /// Enter: choose the focused button, list entry or playbook step.
    Choose,
    /// Esc: cancel the dialog or close the view (a secret is wiped).
    Cancel,
    /// Copy the one-time secret to the clipboard with OSC 52.
    Copy,
    /// Skip the selected playbook step.
    Skip,
    /// Dry run: confirm and record the whole playbook at once.
    RunAll,
}
