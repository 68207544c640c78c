//! Key bindings as data: one table of (context, keys, intent, label) drives dispatch, the
//! footer hints and the help overlay, so the three can never disagree. Nothing here acts on
//! an intent; `App::update` does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the analyst is: the topmost overlay, or the pane list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A pane of rows has focus.
    Pane,
    /// The help overlay.
    Help,
    /// The detail view of one row.
    Detail,
    /// The error overlay.
    Error,
    /// The suspect prompt (other keys are typed into the input line).
    Prompt,
    /// The filter / search prompt (other keys are typed into the input line).
    Filter,
    /// The `:` command line (other keys are typed into the input line).
    Command,
    /// The charts and map views.
    Picture,
    /// The pivot list (other users of one IP).
    Pivot,
    /// Pane keys that exist only once containment is on for the session.
    Containment,
    /// The confirmation dialog of a change.
    Confirm,
    /// The confirmation dialog while the UPN is typed (other keys go to the input).
    ConfirmTyping,
    /// The one-time secret dialog.
    Secret,
    /// The list of containment actions.
    Actions,
    /// The containment playbook.
    Playbook,
    /// The device-code sign-in screen (the console started signed out).
    SignIn,
    /// The device-code sign-in over the panes (the token could not be renewed mid-session).
    SignInOverlay,
}

impl Context {
    /// Heading used in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Self::Pane => "Panes",
            Self::Help => "Help",
            Self::Detail => "Detail view",
            Self::Error => "Error",
            Self::Prompt => "Suspect prompt",
            Self::Filter => "Filter / search prompt",
            Self::Command => "Command line (:)",
            Self::Picture => "Charts and map",
            Self::Pivot => "Pivot",
            Self::Containment => "Containment (when on)",
            Self::Confirm => "Confirm dialog",
            Self::ConfirmTyping => "Confirm dialog (typing the UPN)",
            Self::Secret => "One-time secret",
            Self::Actions => "Containment actions",
            Self::Playbook => "Playbook",
            Self::SignIn => "Sign-in",
            Self::SignInOverlay => "Sign-in again (mid-session)",
        }
    }
}

/// What a key means, independent of which key it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus pane n (0-based).
    GoPane(usize),
    /// Selection one row down (or scroll down).
    Down,
    /// Selection one row up (or scroll up).
    Up,
    /// One screen down.
    PageDown,
    /// One screen up.
    PageUp,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Open the detail view of the selected row.
    OpenDetail,
    /// Reload the focused pane.
    Reload,
    /// Ask for another suspect.
    PickSuspect,
    /// Show the help overlay.
    Help,
    /// Close the topmost overlay.
    Close,
    /// Submit the prompt.
    Submit,
    /// Leave the console.
    Quit,
    /// Open the filter prompt for the focused pane.
    FilterPrompt,
    /// Open the search prompt (matches are highlighted, nothing is hidden).
    SearchPrompt,
    /// Jump to the next row matching the search.
    SearchNext,
    /// Jump to the previous row matching the search.
    SearchPrev,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort.
    SortReverse,
    /// Open the `:` command line.
    CommandMode,
    /// Show the sign-ins chart.
    Charts,
    /// Show the sign-in map.
    Map,
    /// Apply the filter or search being typed.
    ApplyFilter,
    /// Run the command being typed.
    RunCommand,
    /// Complete the command name.
    Complete,
    /// Recall the previous command.
    HistoryPrev,
    /// Recall the next command.
    HistoryNext,
    /// Jump from a finding to its evidence rows (or from a flagged row to its finding).
    JumpToEvidence,
    /// Show or hide non-interactive sign-ins.
    ToggleNonInteractive,
    /// Other users who signed in from the selected sign-in's IP.
    Pivot,
    /// Open the selected pivot user as the suspect.
    PivotOpen,
    /// Back to the previous suspect.
    Back,
    /// A containment key (see `crate::contain::intent`).
    Contain(crate::contain::intent::ContainIntent),
    /// Preview the incident report (`:report` writes it).
    ReportPreview,
    /// Request a new device code (after expiry, decline or an error).
    NewCode,
    /// Copy the device code to the clipboard (OSC 52).
    CopyCode,
}

/// A key as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}

const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        mods: KeyModifiers::CONTROL,
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where the binding applies.
    pub context: Context,
    /// The keys (the first is the one shown first).
    pub keys: &'static [Key],
    /// How the keys are written in hints (`j/k`, `1-4`).
    pub keys_label: &'static str,
    /// What the keys do.
    pub intent: Intent,
    /// What the hint and the help say.
    pub label: &'static str,
    /// Shown in the footer (the help shows every binding).
    pub footer: bool,
}

const fn b(
    context: Context,
    keys: &'static [Key],
    keys_label: &'static str,
    intent: Intent,
    label: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        context,
        keys,
        keys_label,
        intent,
        label,
        footer,
    }
}

use crate::contain::intent::ContainIntent as CI;
use Context::{Actions, Confirm, ConfirmTyping, Containment, Playbook, Secret};
use Context::{Command, Detail, Error, Filter, Help, Pane, Picture, Pivot, Prompt};
use Context::{SignIn, SignInOverlay};

/// Every binding of the console. A row without keys is a footer hint summarising rows with
/// keys (`j/k move`); it never dispatches and the help leaves it out.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(Pane,   &[c('j'), k(KeyCode::Down)],          "j/↓",    Intent::Down,        "down",          false),
    b(Pane,   &[c('k'), k(KeyCode::Up)],            "k/↑",    Intent::Up,          "up",            false),
    b(Pane,   &[],                                  "j/k",    Intent::Down,        "move",          true),
    b(Pane,   &[k(KeyCode::PageDown), ctrl('d')],   "PgDn",   Intent::PageDown,    "page down",     false),
    b(Pane,   &[k(KeyCode::PageUp), ctrl('u')],     "PgUp",   Intent::PageUp,      "page up",       false),
    b(Pane,   &[c('g'), k(KeyCode::Home)],          "g/Home", Intent::Top,         "first row",     false),
    b(Pane,   &[c('G'), k(KeyCode::End)],           "G/End",  Intent::Bottom,      "last row",      false),
    b(Pane,   &[k(KeyCode::Enter)],                 "enter",  Intent::OpenDetail,  "detail",        true),
    b(Pane,   &[k(KeyCode::Tab)],                   "tab",    Intent::NextPane,    "pane",          true),
    b(Pane,   &[k(KeyCode::BackTab)],               "S-tab",  Intent::PrevPane,    "previous pane", false),
    b(Pane,   &[c('1')],                            "1",      Intent::GoPane(0),   "sign-ins",      false),
    b(Pane,   &[c('2')],                            "2",      Intent::GoPane(1),   "risk",          false),
    b(Pane,   &[c('3')],                            "3",      Intent::GoPane(2),   "methods",       false),
    b(Pane,   &[c('4')],                            "4",      Intent::GoPane(3),   "grants",        false),
    b(Pane,   &[c('r')],                            "r",      Intent::Reload,      "reload",        true),
    b(Pane,   &[c('u')],                            "u",      Intent::PickSuspect, "user",          true),
    b(Pane,   &[c('?')],                            "?",      Intent::Help,        "help",          true),
    b(Pane,   &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(Detail, &[c('j'), k(KeyCode::Down)],          "j/↓",    Intent::Down,        "scroll down",   false),
    b(Detail, &[c('k'), k(KeyCode::Up)],            "k/↑",    Intent::Up,          "scroll up",     false),
    b(Detail, &[],                                  "j/k",    Intent::Down,        "scroll",        true),
    b(Detail, &[k(KeyCode::PageDown)],              "PgDn",   Intent::PageDown,    "page down",     false),
    b(Detail, &[k(KeyCode::PageUp)],                "PgUp",   Intent::PageUp,      "page up",       false),
    b(Detail, &[c('g'), k(KeyCode::Home)],          "g/Home", Intent::Top,         "top",           false),
    b(Detail, &[c('G'), k(KeyCode::End)],           "G/End",  Intent::Bottom,      "bottom",        false),
    b(Detail, &[k(KeyCode::Esc), k(KeyCode::Enter)],"esc",    Intent::Close,       "close",         true),
    b(Detail, &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(Help,   &[c('j'), k(KeyCode::Down)],          "j/↓",    Intent::Down,        "scroll down",   false),
    b(Help,   &[c('k'), k(KeyCode::Up)],            "k/↑",    Intent::Up,          "scroll up",     false),
    b(Help,   &[],                                  "j/k",    Intent::Down,        "scroll",        true),
    b(Help,   &[k(KeyCode::Esc), c('?')],           "esc",    Intent::Close,       "close",         true),
    b(Help,   &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(Error,  &[k(KeyCode::Esc), k(KeyCode::Enter)],"esc",    Intent::Close,       "close",         true),
    b(Error,  &[c('u')],                            "u",      Intent::PickSuspect, "other user",    true),
    b(Error,  &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(Prompt, &[k(KeyCode::Enter)],                 "enter",  Intent::Submit,      "look up",       true),
    b(Prompt, &[k(KeyCode::Esc)],                   "esc",    Intent::Close,       "cancel",        true),
    b(Prompt, &[ctrl('c')],                         "^C",     Intent::Quit,        "quit",          true),
    b(Pane,   &[c('/')],                            "/",      Intent::FilterPrompt, "filter",       false),
    b(Pane,   &[c('f')],                            "f",      Intent::SearchPrompt, "find (highlight)", false),
    b(Pane,   &[c('n')],                            "n",      Intent::SearchNext,  "next match",    false),
    b(Pane,   &[c('N')],                            "N",      Intent::SearchPrev,  "previous match", false),
    b(Pane,   &[c('s')],                            "s",      Intent::SortNext,    "sort by next column", false),
    b(Pane,   &[c('S')],                            "S",      Intent::SortReverse, "reverse sort",  false),
    b(Pane,   &[c(':')],                            ":",      Intent::CommandMode, "command",       false),
    b(Pane,   &[c('c')],                            "c",      Intent::Charts,      "chart",         false),
    b(Pane,   &[c('m')],                            "m",      Intent::Map,         "map",           false),
    b(Filter, &[k(KeyCode::Enter)],                 "enter",  Intent::ApplyFilter, "apply",         true),
    b(Filter, &[k(KeyCode::Esc)],                   "esc",    Intent::Close,       "cancel",        true),
    b(Filter, &[ctrl('c')],                         "^C",     Intent::Quit,        "quit",          true),
    b(Command, &[k(KeyCode::Enter)],                "enter",  Intent::RunCommand,  "run",           true),
    b(Command, &[k(KeyCode::Tab)],                  "tab",    Intent::Complete,    "complete",      true),
    b(Command, &[k(KeyCode::Up)],                   "↑",      Intent::HistoryPrev, "older",         true),
    b(Command, &[k(KeyCode::Down)],                 "↓",      Intent::HistoryNext, "newer",         true),
    b(Command, &[k(KeyCode::Esc)],                  "esc",    Intent::Close,       "cancel",        true),
    b(Command, &[ctrl('c')],                        "^C",     Intent::Quit,        "quit",          true),
    b(Picture, &[c('c')],                           "c",      Intent::Charts,      "chart",         true),
    b(Picture, &[c('m')],                           "m",      Intent::Map,         "map",           true),
    b(Picture, &[k(KeyCode::Esc)],                  "esc",    Intent::Close,       "close",         true),
    b(Picture, &[c('?')],                           "?",      Intent::Help,        "help",          true),
    b(Picture, &[c('q'), ctrl('c')],                "q",      Intent::Quit,        "quit",          true),
    b(Pane,   &[c('5')],                            "5",      Intent::GoPane(4),   "rules",         false),
    b(Pane,   &[c('6')],                            "6",      Intent::GoPane(5),   "audit",         false),
    b(Pane,   &[c('7')],                            "7",      Intent::GoPane(6),   "timeline",      false),
    b(Pane,   &[c('8')],                            "8",      Intent::GoPane(7),   "indicators",    false),
    b(Pane,   &[c('e')],                            "e",      Intent::JumpToEvidence, "finding ⇄ evidence rows", false),
    b(Pane,   &[c('i')],                            "i",      Intent::ToggleNonInteractive, "non-interactive sign-ins", false),
    b(Pane,   &[c('p')],                            "p",      Intent::Pivot,       "pivot on the sign-in's IP", false),
    b(Pane,   &[c('b')],                            "b",      Intent::Back,        "back to previous suspect", false),
    b(Detail, &[c('e')],                            "e",      Intent::JumpToEvidence, "jump to evidence", false),
    b(Pivot,  &[c('j'), k(KeyCode::Down)],          "j/↓",    Intent::Down,        "down",          false),
    b(Pivot,  &[c('k'), k(KeyCode::Up)],            "k/↑",    Intent::Up,          "up",            false),
    b(Pivot,  &[],                                  "j/k",    Intent::Down,        "move",          true),
    b(Pivot,  &[k(KeyCode::Enter)],                 "enter",  Intent::PivotOpen,   "open as suspect", true),
    b(Pivot,  &[k(KeyCode::Esc)],                   "esc",    Intent::Close,       "close",         true),
    b(Pivot,  &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(Pane,   &[c('C')],                            "C",      Intent::Contain(CI::EnableAsk), "enable containment", false),
    b(Containment, &[c('a')],                       "a",      Intent::Contain(CI::OpenActions), "contain",  true),
    b(Containment, &[c('P')],                       "P",      Intent::Contain(CI::OpenPlaybook), "playbook", true),
    b(Containment, &[c('x')],                       "x",      Intent::Contain(CI::MarkSignIn), "mark sign-in", false),
    b(Confirm, &[k(KeyCode::Tab), k(KeyCode::Left), k(KeyCode::Right), c('h'), c('l'), k(KeyCode::BackTab)], "tab", Intent::Contain(CI::Toggle), "switch", true),
    b(Confirm, &[k(KeyCode::Enter)],                "enter",  Intent::Contain(CI::Choose), "choose",        true),
    b(Confirm, &[k(KeyCode::Esc), c('n')],          "esc/n",  Intent::Contain(CI::Cancel), "cancel",        true),
    b(Confirm, &[ctrl('c')],                        "^C",     Intent::Quit,        "quit",          false),
    b(Confirm, &[k(KeyCode::PageDown)],             "PgDn",   Intent::PageDown,    "scroll plan",   false),
    b(Confirm, &[k(KeyCode::PageUp)],               "PgUp",   Intent::PageUp,      "scroll plan",   false),
    b(ConfirmTyping, &[k(KeyCode::PageDown)],       "PgDn",   Intent::PageDown,    "scroll plan",   false),
    b(ConfirmTyping, &[k(KeyCode::PageUp)],         "PgUp",   Intent::PageUp,      "scroll plan",   false),
    b(ConfirmTyping, &[k(KeyCode::Tab), k(KeyCode::BackTab)], "tab", Intent::Contain(CI::Toggle), "switch", true),
    b(ConfirmTyping, &[k(KeyCode::Enter)],          "enter",  Intent::Contain(CI::Choose), "choose",        true),
    b(ConfirmTyping, &[k(KeyCode::Esc)],            "esc",    Intent::Contain(CI::Cancel), "cancel",        true),
    b(ConfirmTyping, &[ctrl('c')],                  "^C",     Intent::Quit,        "quit",          false),
    b(Secret, &[c('c')],                            "c",      Intent::Contain(CI::Copy), "copy (OSC 52)",   true),
    b(Secret, &[k(KeyCode::Esc), k(KeyCode::Enter)],"esc",    Intent::Contain(CI::Cancel), "close and wipe", true),
    b(Actions, &[c('j'), k(KeyCode::Down)],         "j/k",    Intent::Down,        "move",          true),
    b(Actions, &[c('k'), k(KeyCode::Up)],           "k/↑",    Intent::Up,          "up",            false),
    b(Actions, &[k(KeyCode::Enter)],                "enter",  Intent::Contain(CI::Choose), "open dialog",   true),
    b(Actions, &[k(KeyCode::Esc)],                  "esc",    Intent::Contain(CI::Cancel), "close",         true),
    b(Actions, &[c('q'), ctrl('c')],                "q",      Intent::Quit,        "quit",          false),
    b(Playbook, &[c('j'), k(KeyCode::Down)],        "j/k",    Intent::Down,        "move",          true),
    b(Playbook, &[c('k'), k(KeyCode::Up)],          "k/↑",    Intent::Up,          "up",            false),
    b(Playbook, &[k(KeyCode::Enter)],               "enter",  Intent::Contain(CI::Choose), "run step",      true),
    b(Playbook, &[c('s')],                          "s",      Intent::Contain(CI::Skip), "skip",           true),
    b(Playbook, &[c('R')],                          "R",      Intent::Contain(CI::RunAll), "dry-run all",   true),
    b(Playbook, &[k(KeyCode::Esc), c('P')],         "esc",    Intent::Contain(CI::Cancel), "close",         true),
    b(Playbook, &[c('q'), ctrl('c')],               "q",      Intent::Quit,        "quit",          false),
    b(Pane,   &[c('w')],                            "w",      Intent::ReportPreview, "report preview", false),
    b(SignIn, &[c('y')],                            "y",      Intent::CopyCode,    "copy code",     true),
    b(SignIn, &[c('r')],                            "r",      Intent::NewCode,     "new code",      true),
    b(SignIn, &[c('q'), ctrl('c')],                 "q",      Intent::Quit,        "quit",          true),
    b(SignInOverlay, &[c('y')],                     "y",      Intent::CopyCode,    "copy code",     true),
    b(SignInOverlay, &[c('r')],                     "r",      Intent::NewCode,     "new code",      true),
    b(SignInOverlay, &[k(KeyCode::Esc)],            "esc",    Intent::Close,       "later (the panes stay)", true),
    b(SignInOverlay, &[c('q'), ctrl('c')],          "q",      Intent::Quit,        "quit",          true),
];

/// The intent bound to `key` in `context`, if any.
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Intent> {
    // Shift is implied by the character itself (`G`, `?`); ignore it for characters.
    let mods = match key.code {
        KeyCode::Char(_) | KeyCode::BackTab => key.modifiers - KeyModifiers::SHIFT,
        _ => key.modifiers,
    };
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|k| k.code == key.code && k.mods == mods))
        .map(|b| b.intent)
}

/// The footer hints of `context`: `(keys, label)` pairs.
pub fn hints(context: Context) -> impl Iterator<Item = (&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(move |b| b.context == context && b.footer)
        .map(|b| (b.keys_label, b.label))
}

/// Every binding with keys of `context`, for the help overlay.
pub fn help(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context == context && !b.keys.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn table_drives_dispatch() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            lookup(Pane, &key(KeyCode::Char('j'), none)),
            Some(Intent::Down)
        );
        assert_eq!(
            lookup(Pane, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Intent::Bottom)
        );
        assert_eq!(
            lookup(Pane, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Intent::PrevPane)
        );
        assert_eq!(lookup(Prompt, &key(KeyCode::Char('q'), none)), None);
        assert_eq!(
            lookup(Detail, &key(KeyCode::Esc, none)),
            Some(Intent::Close)
        );
        assert_eq!(lookup(Pane, &key(KeyCode::Char('x'), none)), None);
    }

    #[test]
    fn every_context_has_a_way_out_and_footer_hints() {
        for ctx in [
            Pane,
            Help,
            Detail,
            Error,
            Prompt,
            Filter,
            Command,
            Picture,
            Pivot,
            SignIn,
            SignInOverlay,
        ] {
            assert!(hints(ctx).count() > 0, "{ctx:?} has no hints");
            assert!(
                help(ctx).any(|b| matches!(b.intent, Intent::Quit | Intent::Close)),
                "{ctx:?} cannot be left"
            );
        }
    }
}
