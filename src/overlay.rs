//! Overlays stacked over the panes: help, the detail view of a row, an error, the suspect
//! prompt. The topmost overlay receives the keys. Overlays hold display state only; they
//! never perform IO or side effects (update turns their outcome into commands).

pub mod command_line;
pub mod confirm;
pub mod detail;
pub mod error;
pub mod filter_prompt;
pub mod help;
pub mod pivot;
pub mod prompt;
pub mod report_preview;
pub mod secret;

use ratatui::layout::{Constraint, Rect};

use crate::keymap::Context;

pub use detail::DetailView;
pub use error::ErrorView;
pub use prompt::PromptView;

/// One overlay on the stack.
#[derive(Debug)]
pub enum Overlay {
    /// Key bindings of every context.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// All fields of one row.
    Detail(DetailView),
    /// A failure the analyst must see (e.g. the suspect was not found).
    Error(ErrorView),
    /// Asks which user to investigate.
    Prompt(Box<PromptView>),
    /// The filter or search prompt of a pane.
    Filter(Box<filter_prompt::FilterPrompt>),
    /// The `:` command line.
    Command(Box<command_line::CommandLine>),
    /// The sign-ins chart or map.
    Picture(crate::app::pictures::Picture),
    /// Other users who signed in from one IP.
    Pivot(Box<pivot::PivotView>),
    /// Confirms a change (or turning containment on).
    Confirm(Box<confirm::ConfirmView>),
    /// A one-time secret (password, TAP).
    Secret(secret::SecretView),
    /// The list of containment actions.
    Actions(crate::app::contain_menu::ActionsView),
    /// The containment playbook.
    Playbook,
    /// The incident report's Markdown (scrollable).
    ReportPreview(report_preview::ReportPreview),
}

impl Overlay {
    /// The key-binding context of this overlay.
    pub fn context(&self) -> Context {
        match self {
            Self::Help { .. } => Context::Help,
            Self::Detail(_) => Context::Detail,
            Self::Error(_) => Context::Error,
            Self::Prompt(_) => Context::Prompt,
            Self::Filter(_) => Context::Filter,
            Self::Command(_) => Context::Command,
            Self::Picture(_) => Context::Picture,
            Self::Pivot(_) => Context::Pivot,
            Self::Confirm(c) if c.needs_upn() => Context::ConfirmTyping,
            Self::Confirm(_) => Context::Confirm,
            Self::Secret(_) => Context::Secret,
            Self::Actions(_) => Context::Actions,
            Self::Playbook => Context::Playbook,
            Self::ReportPreview(_) => Context::Detail,
        }
    }
}

/// A centred popup of at most `w`×`h` cells inside `area`.
pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    area.centered(
        Constraint::Length(w.min(area.width)),
        Constraint::Length(h.min(area.height)),
    )
}

/// Scrolls `scroll` by `delta` within `0..=max`.
pub fn scrolled(scroll: usize, delta: isize, max: usize) -> usize {
    scroll.saturating_add_signed(delta).min(max)
}
