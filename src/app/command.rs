//! The `:` command line: a table of commands with aliases (unknown names get the closest
//! one), Tab completion of the name, and the session's history (↑/↓). Pane commands find
//! their pane by title, so panes added later plug in without touching this table.

use super::pictures::Picture;
use super::{App, Suspect};
use crate::filter::suggest;
use crate::keymap::Intent;
use crate::overlay::Overlay;
use crate::overlay::command_line::CommandLine;
use crate::protocol::{Command, PaneId};
use crate::window::Window;

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Focus the pane whose title reads like the command name.
    Pane,
    /// Investigate another user.
    User,
    /// New window of N days ending where the current one ends; reload.
    Days,
    /// Filter the focused pane.
    Filter,
    /// Search the focused pane.
    Search,
    /// Sort the focused pane.
    Sort,
    /// The sign-ins chart.
    Chart,
    /// The sign-in map.
    Map,
    /// The key help.
    Help,
    /// Leave.
    Quit,
    /// Save an evidence snapshot into the case folder.
    Evidence,
    /// Export the focused pane's rows as shown.
    Export,
    /// Write (or preview) the incident report.
    Report,
}

/// One command of the table.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Canonical name.
    pub name: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// Arguments, as shown in messages.
    pub usage: &'static str,
    /// What it does.
    pub action: Action,
}

const fn c(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    action: Action,
) -> Spec {
    Spec {
        name,
        aliases,
        usage,
        action,
    }
}

/// Every command.
#[rustfmt::skip]
pub const COMMANDS: &[Spec] = &[
    c("signins",    &["sign-ins", "si"],       "",            Action::Pane),
    c("risk",       &[],                       "",            Action::Pane),
    c("methods",    &["mfa"],                  "",            Action::Pane),
    c("grants",     &["consents", "apps"],     "",            Action::Pane),
    c("rules",      &["inbox"],                "",            Action::Pane),
    c("audit",      &["auditlog"],             "",            Action::Pane),
    c("timeline",   &[],                       "",            Action::Pane),
    c("indicators", &["findings"],             "",            Action::Pane),
    c("user",       &["u", "suspect"],         "UPN",         Action::User),
    c("days",       &["d", "window"],          "N",           Action::Days),
    c("filter",     &["f"],                    "EXPR",        Action::Filter),
    c("search",     &["find", "/"],            "EXPR",        Action::Search),
    c("sort",       &[],                       "COLUMN [desc]", Action::Sort),
    c("chart",      &["charts"],               "",            Action::Chart),
    c("map",        &[],                       "",            Action::Map),
    c("help",       &["h", "?"],               "",            Action::Help),
    c("quit",       &["q", "exit"],            "",            Action::Quit),
    c("evidence",   &["snapshot"],             "",            Action::Evidence),
    c("export",     &[],                       "csv|jsonl",   Action::Export),
    c("report",     &[],                       "[preview]",   Action::Report),
];

/// The command called `name` (or an alias), case-insensitive.
pub fn find(name: &str) -> Option<&'static Spec> {
    COMMANDS.iter().find(|s| {
        s.name.eq_ignore_ascii_case(name) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The pane a pane command names, if this build has it.
pub fn pane_named(name: &str) -> Option<PaneId> {
    let n = norm(name);
    PaneId::ALL
        .iter()
        .find(|p| norm(p.title()) == n)
        .or_else(|| PaneId::ALL.iter().find(|p| norm(p.title()).contains(&n)))
        .copied()
}

/// Command names starting with `prefix`, canonical names first.
pub fn completions(prefix: &str) -> Vec<&'static str> {
    let p = prefix.to_ascii_lowercase();
    let mut out: Vec<&'static str> = COMMANDS
        .iter()
        .map(|s| s.name)
        .filter(|n| n.starts_with(&p))
        .collect();
    if out.is_empty() {
        out = COMMANDS
            .iter()
            .flat_map(|s| s.aliases.iter().copied())
            .filter(|n| n.len() > 1 && n.starts_with(&p))
            .collect();
    }
    out
}

fn common_prefix(words: &[&str]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut len = first.len();
    for w in &words[1..] {
        len = len.min(
            first
                .bytes()
                .zip(w.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[..len].to_owned()
}

impl App {
    pub(super) fn on_command_intent(&mut self, intent: Intent) -> (bool, Vec<Command>) {
        match intent {
            Intent::CommandMode => {
                self.overlays.push(Overlay::Command(Box::default()));
                (true, Vec::new())
            }
            Intent::RunCommand => self.run_command_line(),
            Intent::Complete => (self.complete(), Vec::new()),
            Intent::HistoryPrev => (self.recall(true), Vec::new()),
            Intent::HistoryNext => (self.recall(false), Vec::new()),
            _ => (false, Vec::new()),
        }
    }

    fn run_command_line(&mut self) -> (bool, Vec<Command>) {
        let Some(Overlay::Command(c)) = self.overlays.last() else {
            return (false, Vec::new());
        };
        let line = c.value().trim().to_owned();
        if line.is_empty() {
            self.overlays.pop();
            return (true, Vec::new());
        }
        if self.find.history.last() != Some(&line) {
            self.find.history.push(line.clone());
        }
        self.overlays.pop();
        match self.run_command(&line) {
            Ok(cmds) => (true, cmds),
            Err(complaint) => {
                let mut c = CommandLine::default();
                c.set(&line);
                c.complaint = Some(crate::sanitize::line(&complaint));
                self.overlays.push(Overlay::Command(Box::new(c)));
                (true, Vec::new())
            }
        }
    }

    /// Runs one command line (without the `:`); the complaint when it cannot.
    pub fn run_command(&mut self, line: &str) -> Result<Vec<Command>, String> {
        let line = line.trim().trim_start_matches(':').trim_start();
        let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let arg = arg.trim();
        let Some(spec) = find(name) else {
            let names = COMMANDS
                .iter()
                .flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied()));
            let hint = suggest(name, names)
                .and_then(find)
                .map(|s| format!(" (did you mean :{}?)", s.name))
                .unwrap_or_else(|| " (tab completes, :help lists keys)".into());
            return Err(format!(
                "unknown command '{}'{hint}",
                crate::sanitize::line_capped(name, 24)
            ));
        };
        let usage = || format!("usage: :{} {}", spec.name, spec.usage);
        match spec.action {
            Action::Pane => {
                let pane = pane_named(spec.name)
                    .ok_or_else(|| format!("no such pane yet: {}", spec.name))?;
                self.focus = pane;
                Ok(Vec::new())
            }
            Action::User if arg.is_empty() => Err(usage()),
            Action::User => Ok(self.look_up(arg.to_owned())),
            Action::Days => {
                let n: i64 = arg.parse().map_err(|_| usage())?;
                let window = Window::last_days(n, self.window.end).map_err(|e| e.to_string())?;
                Ok(self.new_window(window))
            }
            Action::Filter => self.set_filter(self.focus, arg).map(|()| Vec::new()),
            Action::Search => self.set_search(self.focus, arg).map(|()| Vec::new()),
            Action::Sort if arg.is_empty() => Err(usage()),
            Action::Sort => {
                let (col, dir) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
                let reverse = match dir.trim().to_ascii_lowercase().as_str() {
                    "" | "asc" | "up" => false,
                    "desc" | "down" | "reverse" => true,
                    _ => return Err(usage()),
                };
                self.set_sort(self.focus, col, reverse).map(|()| Vec::new())
            }
            Action::Chart => {
                self.show_picture(Picture::Chart);
                Ok(Vec::new())
            }
            Action::Map => {
                self.show_picture(Picture::Map);
                Ok(Vec::new())
            }
            Action::Help => {
                self.overlays.push(Overlay::Help { scroll: 0 });
                Ok(Vec::new())
            }
            Action::Quit => {
                self.quit = true;
                Ok(vec![Command::Quit])
            }
            Action::Evidence => self.case_evidence(),
            Action::Export => self.case_export(arg),
            Action::Report => self.case_report(arg),
        }
    }

    /// Moves to `window` and reloads whatever is being investigated.
    fn new_window(&mut self, window: Window) -> Vec<Command> {
        self.window = window;
        match &self.suspect {
            Suspect::Found(user) => {
                let user_id = user.id.clone();
                let mut cmds = Vec::new();
                for pane in PaneId::ALL {
                    let req = self.next_req();
                    self.panes.start(pane, req);
                    cmds.push(Command::LoadPane {
                        req,
                        pane,
                        user_id: user_id.clone(),
                        window,
                    });
                }
                cmds
            }
            Suspect::Looking { query, .. } | Suspect::Failed { query, .. } => {
                let q = query.clone();
                self.look_up(q)
            }
            Suspect::None => Vec::new(),
        }
    }

    fn complete(&mut self) -> bool {
        let Some(Overlay::Command(c)) = self.overlays.last_mut() else {
            return false;
        };
        let text = c.value();
        if text.contains(char::is_whitespace) {
            return false;
        }
        let found = completions(&text);
        match found.as_slice() {
            [] => {
                c.complaint = Some(format!(
                    "no command starts with '{}'",
                    crate::sanitize::line_capped(&text, 24)
                ))
            }
            [one] => {
                c.set(&format!("{one} "));
                c.complaint = None;
            }
            many => {
                let common = common_prefix(many);
                if common.len() > text.len() {
                    c.set(&common);
                }
                c.complaint = Some(many.join(" "));
            }
        }
        true
    }

    fn recall(&mut self, older: bool) -> bool {
        let history = &self.find.history;
        let Some(Overlay::Command(c)) = self.overlays.last_mut() else {
            return false;
        };
        if history.is_empty() {
            return false;
        }
        let next = match (c.recall, older) {
            (None, true) => {
                c.draft = c.value();
                Some(history.len() - 1)
            }
            (None, false) => return false,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < history.len() => Some(i + 1),
            (Some(_), false) => None,
        };
        match next {
            Some(i) => c.set(&history[i]),
            None => {
                let draft = std::mem::take(&mut c.draft);
                c.set(&draft);
            }
        }
        c.recall = next;
        true
    }
}
