//! The containment playbook: the recommended order of steps, each step's state, and the
//! residual risks containment does not end. Plain data for the playbook view.

/// One step of the playbook, in recommended order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Save the suspect's current state before the first change.
    SaveEvidence,
    /// Revoke sign-in sessions.
    Revoke,
    /// Reset the password.
    ResetPassword,
    /// Issue a Temporary Access Pass (before removing MFA, so the user can re-register).
    IssueTap,
    /// Remove authentication methods (default last).
    RemoveMethods,
    /// Remove delegated OAuth grants.
    RemoveGrants,
    /// Disable (or delete) suspicious inbox rules.
    DisableRules,
    /// Confirm the user compromised in Identity Protection.
    ConfirmCompromised,
    /// Write the incident report.
    Report,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 9] = [
        Step::SaveEvidence,
        Step::Revoke,
        Step::ResetPassword,
        Step::IssueTap,
        Step::RemoveMethods,
        Step::RemoveGrants,
        Step::DisableRules,
        Step::ConfirmCompromised,
        Step::Report,
    ];

    /// Position in `ALL`.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// What the step is called.
    pub fn title(self) -> &'static str {
        match self {
            Step::SaveEvidence => "Save evidence",
            Step::Revoke => "Revoke sessions",
            Step::ResetPassword => "Reset password",
            Step::IssueTap => "Issue Temporary Access Pass",
            Step::RemoveMethods => "Remove authentication methods",
            Step::RemoveGrants => "Remove OAuth grants",
            Step::DisableRules => "Disable inbox rules",
            Step::ConfirmCompromised => "Confirm user compromised",
            Step::Report => "Report",
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StepState {
    /// Not done yet.
    #[default]
    Pending,
    /// Its requests are on their way.
    Running,
    /// Done (the outcome line).
    Done(String),
    /// The analyst skipped it.
    Skipped,
    /// Failed or unknown (the outcome line).
    Failed(String),
}

impl StepState {
    /// Short word for the list.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Done(_) => "done",
            Self::Skipped => "skipped",
            Self::Failed(_) => "failed",
        }
    }
}

/// What containment does not end, shown under the playbook.
pub const RESIDUAL_RISKS: [&str; 5] = [
    "Access tokens already issued stay valid up to about an hour (unless the app supports CAE).",
    "OAuth grants survive a password reset: remove them, or the app keeps reading.",
    "Hidden inbox rules and mailbox-level forwarding are invisible to Graph: check in Exchange.",
    "On-prem synced accounts: make password and enable changes in AD too, or sync undoes them.",
    "Removing a grant or method does not end tokens already issued from it.",
];
