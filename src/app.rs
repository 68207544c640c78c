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
pub mod preflight;
pub mod sign_in;

#[cfg(test)]
mod contain_tests;
#[cfg(test)]
pub(crate) mod testkit;
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
    /// The in-console sign-in (screen, overlay, pending suspect).
    pub signin: sign_in::SignInState,
    /// Pre-flight: scopes and licence, skipped panes.
    pub preflight: preflight::PreflightState,
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
            signin: sign_in::SignInState::default(),
            preflight: preflight::PreflightState::default(),
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
        if let Some(view) = &self.signin.view {
            return match view.mode {
                sign_in::SignInMode::Start => Context::SignIn,
                sign_in::SignInMode::Resume => Context::SignInOverlay,
            };
        }
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
        self.preflight.skipped.clear();
        self.preflight.deferred = false;
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
        if self.signin.view.is_some() {
            return self.sign_in_key(&key);
        }
        // A note of the find bar, and a refusal, last until the next key.
        self.find.message = None;
        self.preflight.refused = None;
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
            Intent::NewCode | Intent::CopyCode => (false, Vec::new()),
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
            Suspect::Found(_) => (true, self.load_pane(self.focus)),
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
                self.suspect = Suspect::Found(user);
                if self.preflight.must_wait() {
                    // Pre-flight first: no pane is asked for before its answer.
                    self.preflight.deferred = true;
                    return (true, Vec::new());
                }
                (true, self.load_all_panes())
            }
            WorkerEvent::SignIn(ev) => self.on_sign_in(ev),
            WorkerEvent::Preflight(info) => {
                self.preflight.info = Some(info);
                let mut cmds = Vec::new();
                if std::mem::take(&mut self.preflight.deferred)
                    && matches!(self.suspect, Suspect::Found(_))
                {
                    cmds = self.load_all_panes();
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
                let cmds = self.sign_in_needed(&error);
                self.overlays.push(Overlay::Error(ErrorView {
                    title: format!("Cannot open {}", crate::sanitize::line_capped(&query, 60)),
                    error: error.clone(),
                }));
                self.suspect = Suspect::Failed { query, error };
                (true, cmds)
            }
            ev @ WorkerEvent::PivotSignIns { .. } => self.on_pivot(ev),
            WorkerEvent::Contain(ev) => self.contain_event(ev),
            WorkerEvent::Case(ev) => self.case_event(ev),
            other => {
                let failure = match &other {
                    WorkerEvent::Failed { error, .. } => Some(error.clone()),
                    _ => None,
                };
                let rows = self.body_rows();
                let completes = inspect::completes(&other);
                let changed = self.panes.apply(other, rows);
                if changed {
                    self.after_worker(completes);
                    self.find.refresh(&mut self.panes);
                }
                // A load that failed for want of a token brings the sign-in up.
                let cmds = match failure {
                    Some(e) if changed => self.sign_in_needed(&e),
                    _ => Vec::new(),
                };
                (changed, cmds)
            }
        }
    }

    /// Loads every loaded pane of the found suspect (pre-flight permitting).
    fn load_all_panes(&mut self) -> Vec<Command> {
        PaneId::ALL
            .into_iter()
            .filter(|p| p.loads())
            .flat_map(|p| self.load_pane(p))
            .collect()
    }

    /// (Re)loads `pane` of the found suspect, unless pre-flight skips it: then no request
    /// is sent and the pane says why.
    fn load_pane(&mut self, pane: PaneId) -> Vec<Command> {
        let Suspect::Found(user) = &self.suspect else {
            return Vec::new();
        };
        let user_id = user.id.clone();
        let skip = self.preflight.skip_reason(pane);
        let skipped = skip.is_some();
        self.preflight.set_skipped(pane, skip);
        if skipped {
            return Vec::new();
        }
        let req = self.next_req();
        self.panes.start(pane, req);
        vec![Command::LoadPane {
            req,
            pane,
            user_id,
            window: self.window,
        }]
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
