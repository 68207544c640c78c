//! The console's state and its one entry point, `App::update(Msg) -> Vec<Command>`: pure (no
//! IO, no await, no clock reads — time arrives in messages). Keys are resolved through the
//! keymap table; worker replies whose request id a pane no longer waits for are dropped.

pub mod case_cmd;
pub mod command;
pub mod contain;
mod contain_events;
pub mod contain_menu;
mod contain_steps;
pub mod evidence_rows;
pub mod filter;
mod inspect;
pub mod investigation;
pub mod list;
pub mod loadable;
mod panes_state;
pub mod pictures;
mod pivot_flow;

#[cfg(test)]
mod contain_tests;
#[cfg(test)]
mod tests;

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::graph::models::{TenantText, User};
use crate::keymap::{self, Context, Intent};
use crate::overlay::{DetailView, ErrorView, Overlay};
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::window::Window;
use crate::worker::source::SourceError;

pub use list::{ListView, Move};
pub use loadable::{Loadable, Progress};
pub use panes_state::{PaneSlot, Panes};

/// Rows of the screen not available to a pane's rows (title, header ×2, summary, tabs,
/// table heading, status, footer).
pub const CHROME_ROWS: u16 = 8;

/// Everything that can happen to the console.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The worker reported something.
    Worker(WorkerEvent),
    /// The spinner advances (sent only while something loads).
    Tick,
    /// Ask to turn containment on (`:contain`); opens a confirmation.
    EnableContainment,
    /// Compute one slice of a running filter or sort (sent only while one runs).
    Work,
}

/// Who is being investigated.
#[derive(Debug, Clone, Default)]
pub enum Suspect {
    /// Nobody yet (the prompt is open or was cancelled).
    #[default]
    None,
    /// Being looked up.
    Looking {
        /// What the analyst typed.
        query: String,
        /// The lookup request.
        req: RequestId,
    },
    /// Found.
    Found(Box<User>),
    /// The lookup failed.
    Failed {
        /// What the analyst typed.
        query: String,
        /// Why.
        error: SourceError,
    },
}

/// The console.
#[derive(Debug)]
pub struct App {
    /// The investigation window.
    pub window: Window,
    /// Styles.
    pub theme: Theme,
    /// Tenant name for the title line.
    pub tenant: Option<TenantText>,
    /// Analyst UPN for the title line.
    pub analyst: Option<TenantText>,
    /// The suspect.
    pub suspect: Suspect,
    /// The focused pane.
    pub focus: PaneId,
    /// The panes' data and selection.
    pub panes: Panes,
    /// Overlays, topmost last.
    pub overlays: Vec<Overlay>,
    /// Spinner frame (advanced by `Msg::Tick` only, so tests freeze it).
    pub spinner: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    next_req: u64,
    quit: bool,
    generation: u64,
    /// Filters, sorts, search and command history (kept for the session).
    pub find: filter::Finder,
    /// Indicator thresholds of the analysis (from `[analysis]`).
    pub thresholds: crate::analysis::Thresholds,
    /// Previous suspects' object ids (`b` goes back), most recent last.
    pub back: Vec<String>,
    /// Containment: mode, marks, playbook, outcomes.
    pub contain: contain::ContainState,
    /// The suspect's case folder and the last case-file message.
    pub case: case_cmd::CaseState,
}

impl App {
    /// A console for `window`, nobody investigated yet.
    pub fn new(window: Window, theme: Theme) -> Self {
        Self {
            window,
            theme,
            tenant: None,
            analyst: None,
            suspect: Suspect::None,
            focus: PaneId::SignIns,
            panes: Panes::default(),
            overlays: Vec::new(),
            spinner: 0,
            size: (80, 24),
            next_req: 0,
            quit: false,
            generation: 0,
            find: filter::Finder::default(),
            thresholds: crate::analysis::Thresholds::default(),
            back: Vec::new(),
            contain: contain::ContainState::default(),
            case: case_cmd::CaseState::default(),
        }
    }

    /// Starts on `subject`, or opens the prompt when none was given.
    pub fn start(&mut self, subject: Option<&str>) -> Vec<Command> {
        self.generation += 1;
        match subject.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => self.look_up(s.to_owned()),
            None => {
                self.overlays.push(Overlay::Prompt(Box::default()));
                Vec::new()
            }
        }
    }

    /// The analyst asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Changes whenever the screen may need redrawing.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Something is loading (the spinner turns, ticks are wanted).
    pub fn is_busy(&self) -> bool {
        matches!(self.suspect, Suspect::Looking { .. }) || self.panes.any_loading()
    }

    /// A filter or sort is being computed (the loop sends `Msg::Work` between inputs).
    pub fn has_work(&self) -> bool {
        self.find.busy()
    }

    /// The key-binding context: the topmost overlay's, or the panes'.
    pub fn context(&self) -> Context {
        self.overlays.last().map_or(Context::Pane, Overlay::context)
    }

    /// Rows a pane can show at the current size.
    pub fn body_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(CHROME_ROWS)).max(1)
    }

    /// Applies one message; returns the commands for the worker.
    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        let before = self.generation;
        self.generation += 1;
        let (changed, cmds) = match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                let rows = self.body_rows();
                self.panes.keep_visible(rows);
                (true, Vec::new())
            }
            Msg::Tick => {
                let busy = self.is_busy();
                if busy {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                (busy, Vec::new())
            }
            Msg::Worker(ev) => self.on_worker(ev),
            Msg::EnableContainment => self.ask_enable_containment(),
            Msg::Work => (self.find.work(&mut self.panes), Vec::new()),
        };
        if !changed {
            self.generation = before;
        }
        cmds
    }

    fn next_req(&mut self) -> RequestId {
        self.next_req += 1;
        RequestId(self.next_req)
    }

    fn look_up(&mut self, query: String) -> Vec<Command> {
        let req = self.next_req();
        self.suspect = Suspect::Looking {
            query: query.clone(),
            req,
        };
        self.panes = Panes::default();
        vec![Command::LoadSuspect {
            req,
            query,
            window: self.window,
        }]
    }

    fn on_key(&mut self, key: KeyEvent) -> (bool, Vec<Command>) {
        if key.kind == KeyEventKind::Release {
            return (false, Vec::new());
        }
        // A note of the find bar lasts until the next key.
        self.find.message = None;
        let ctx = self.context();
        if let Some(out) = self.contain_key(ctx, &key) {
            return out;
        }
        if let Some(out) = self.preview_key(&key) {
            return out;
        }
        if let Some(out) = self.stop_find_key(ctx, &key) {
            return out;
        }
        let Some(intent) = keymap::lookup(ctx, &key) else {
            if let Some(typed) = self.type_into_line(key) {
                return typed;
            }
            if let Some(Overlay::Prompt(p)) = self.overlays.last_mut() {
                p.complaint = None;
                return (p.input.input(key), Vec::new());
            }
            return (false, Vec::new());
        };
        match intent {
            Intent::Quit => {
                self.quit = true;
                (true, vec![Command::Quit])
            }
            Intent::Close => (self.overlays.pop().is_some(), Vec::new()),
            Intent::Help => {
                self.overlays.push(Overlay::Help { scroll: 0 });
                (true, Vec::new())
            }
            Intent::PickSuspect => {
                if ctx == Context::Error {
                    self.overlays.pop();
                }
                self.overlays.push(Overlay::Prompt(Box::default()));
                (true, Vec::new())
            }
            Intent::Submit => self.submit(),
            Intent::NextPane => self.focus_index(self.focus.index() + 1),
            Intent::PrevPane => self.focus_index(self.focus.index() + PaneId::ALL.len() - 1),
            Intent::GoPane(i) => self.focus_index(i),
            Intent::Down => self.movement(Move::By(1)),
            Intent::Up => self.movement(Move::By(-1)),
            Intent::PageDown => self.movement(Move::By(self.page())),
            Intent::PageUp => self.movement(Move::By(-self.page())),
            Intent::Top => self.movement(Move::Top),
            Intent::Bottom => self.movement(Move::Bottom),
            Intent::OpenDetail => self.open_detail(),
            Intent::Reload => self.reload(),
            Intent::FilterPrompt
            | Intent::SearchPrompt
            | Intent::SearchNext
            | Intent::SearchPrev
            | Intent::SortNext
            | Intent::SortReverse
            | Intent::CommandMode
            | Intent::Charts
            | Intent::Map
            | Intent::ApplyFilter
            | Intent::RunCommand
            | Intent::Complete
            | Intent::HistoryPrev
            | Intent::HistoryNext => self.on_find(intent),
            Intent::JumpToEvidence => self.jump_to_evidence(),
            Intent::ToggleNonInteractive => self.toggle_non_interactive(),
            Intent::Pivot => self.pivot(),
            Intent::PivotOpen => self.pivot_open(),
            Intent::Back => self.go_back(),
            Intent::Contain(ci) => self.contain_intent(ci),
            Intent::ReportPreview => self.preview_intent(),
        }
    }

    fn page(&self) -> isize {
        isize::try_from(self.body_rows()).unwrap_or(1).max(1)
    }

    fn focus_index(&mut self, i: usize) -> (bool, Vec<Command>) {
        let pane = PaneId::ALL[i % PaneId::ALL.len()];
        let changed = pane != self.focus;
        self.focus = pane;
        (changed, Vec::new())
    }

    fn movement(&mut self, m: Move) -> (bool, Vec<Command>) {
        let rows = self.body_rows();
        match self.overlays.last_mut() {
            Some(Overlay::Detail(d)) => {
                let before = d.scroll;
                d.scroll = scroll(d.scroll, m, d.lines.len(), rows);
                (before != d.scroll, Vec::new())
            }
            Some(Overlay::Help { scroll: s }) => {
                let before = *s;
                *s = scroll(*s, m, crate::overlay::help::len(), rows);
                (before != *s, Vec::new())
            }
            Some(Overlay::Pivot(p)) => (p.movement(m, rows), Vec::new()),
            Some(Overlay::ReportPreview(v)) => {
                let before = v.scroll;
                v.scroll = scroll(v.scroll, m, v.lines.len(), rows);
                (before != v.scroll, Vec::new())
            }
            Some(_) => (false, Vec::new()),
            None => {
                let len = self.visible_len(self.focus);
                let view = self.panes.view_mut(self.focus);
                let before = *view;
                view.apply(m, len, rows);
                (before != *view, Vec::new())
            }
        }
    }

    fn open_detail(&mut self) -> (bool, Vec<Command>) {
        let i = self.row_index(self.focus, self.panes.view(self.focus).selected);
        match self.panes.detail(self.focus, i) {
            Some(d) => {
                self.overlays
                    .push(Overlay::Detail(DetailView::new(d.title, &d.value)));
                (true, Vec::new())
            }
            None => (false, Vec::new()),
        }
    }

    fn reload(&mut self) -> (bool, Vec<Command>) {
        match &self.suspect {
            Suspect::Found(_) if !self.focus.loads() => {
                self.reanalyse();
                (true, Vec::new())
            }
            Suspect::Found(user) => {
                let user_id = user.id.clone();
                let req = self.next_req();
                self.panes.start(self.focus, req);
                (
                    true,
                    vec![Command::LoadPane {
                        req,
                        pane: self.focus,
                        user_id,
                        window: self.window,
                    }],
                )
            }
            Suspect::Failed { query, .. } => {
                let q = query.clone();
                (true, self.look_up(q))
            }
            Suspect::None | Suspect::Looking { .. } => (false, Vec::new()),
        }
    }

    fn submit(&mut self) -> (bool, Vec<Command>) {
        let Some(Overlay::Prompt(p)) = self.overlays.last_mut() else {
            return (false, Vec::new());
        };
        let query = p.value();
        if query.is_empty() {
            p.complaint = Some("type a UPN, mail address or object id".into());
            return (true, Vec::new());
        }
        self.overlays.pop();
        (true, self.look_up(query))
    }

    fn on_worker(&mut self, ev: WorkerEvent) -> (bool, Vec<Command>) {
        match ev {
            WorkerEvent::Header { tenant, analyst } => {
                self.tenant = tenant;
                self.analyst = analyst;
                (true, Vec::new())
            }
            WorkerEvent::SuspectLoaded { req, user } => {
                if !self.waits_for_suspect(req) {
                    return (false, Vec::new());
                }
                let user_id = user.id.clone();
                self.suspect = Suspect::Found(user);
                let mut cmds = Vec::new();
                for pane in PaneId::ALL.into_iter().filter(|p| p.loads()) {
                    let req = self.next_req();
                    self.panes.start(pane, req);
                    cmds.push(Command::LoadPane {
                        req,
                        pane,
                        user_id: user_id.clone(),
                        window: self.window,
                    });
                }
                (true, cmds)
            }
            WorkerEvent::SuspectFailed { req, error } => {
                let Suspect::Looking { query, .. } = &self.suspect else {
                    return (false, Vec::new());
                };
                if !self.waits_for_suspect(req) {
                    return (false, Vec::new());
                }
                let query = query.clone();
                self.overlays.push(Overlay::Error(ErrorView {
                    title: format!("Cannot open {}", crate::sanitize::line_capped(&query, 60)),
                    error: error.clone(),
                }));
                self.suspect = Suspect::Failed { query, error };
                (true, Vec::new())
            }
            ev @ WorkerEvent::PivotSignIns { .. } => self.on_pivot(ev),
            WorkerEvent::Contain(ev) => self.contain_event(ev),
            WorkerEvent::Case(ev) => self.case_event(ev),
            other => {
                let rows = self.body_rows();
                let completes = inspect::completes(&other);
                let changed = self.panes.apply(other, rows);
                if changed {
                    self.after_worker(completes);
                    self.find.refresh(&mut self.panes);
                }
                (changed, Vec::new())
            }
        }
    }

    fn waits_for_suspect(&self, req: RequestId) -> bool {
        matches!(&self.suspect, Suspect::Looking { req: r, .. } if *r == req)
    }
}

fn scroll(current: usize, m: Move, len: usize, rows: usize) -> usize {
    let max = len.saturating_sub(rows.min(len).max(1));
    match m {
        Move::By(d) => crate::overlay::scrolled(current, d, max),
        Move::Top => 0,
        Move::Bottom => max,
    }
}
