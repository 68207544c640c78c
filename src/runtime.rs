//! The event loop: `select!` over the terminal's key/resize stream, worker events and a tick.
//! Each becomes a `Msg` for `App::update`; the commands it returns go to the worker. The
//! screen is redrawn only when the app's generation changed (zero redraws while idle), and
//! the tick runs only while something is loading (the spinner); a large filter or sort runs
//! one slice per turn after any pending input (`Msg::Work`). Nothing is printed to
//! stdout/stderr while the alternate screen is up.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::MissedTickBehavior;

use crate::app::{App, Msg};
use crate::protocol::Command;
use crate::ui::theme::Theme;
use crate::window::Window;
use crate::worker::{self, source::TenantSource};

/// Spinner speed while loading: fast enough to look alive, slow enough to cost nothing.
const TICK: Duration = Duration::from_millis(120);

/// How the console starts.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// UPN, mail or object id to open; `None` opens the prompt.
    pub subject: Option<String>,
    /// The investigation window.
    pub window: Window,
    /// Draw without colour (also implied by `NO_COLOR`).
    pub no_color: bool,
    /// Indicator thresholds for the console's analysis (`[analysis]` of the configuration).
    pub thresholds: crate::analysis::Thresholds,
    /// Containment is on from the start (`--contain`).
    pub contain: bool,
    /// Dry run: containment records and shows every request and sends nothing (`--dry-run`).
    pub dry_run: bool,
    /// Sends confirmed changes; `None`: containment commands are refused by the worker.
    pub executor: Option<crate::contain::Executor>,
    /// The cases folder (`:evidence`, `:export`, `:report`); `None`: case files are off.
    pub cases_dir: Option<std::path::PathBuf>,
}

/// What one loop starts with beside its data: the analysis thresholds and containment.
#[derive(Debug, Clone, Default)]
pub struct LoopSetup {
    /// Indicator thresholds (`[analysis]` of the configuration).
    pub thresholds: crate::analysis::Thresholds,
    /// `--contain`.
    pub contain: bool,
    /// `--dry-run`.
    pub dry_run: bool,
    /// The executor for confirmed changes.
    pub executor: Option<crate::contain::Executor>,
    /// Where an OSC 52 clipboard sequence is written (the terminal); `None` drops it.
    pub clipboard: Option<fn(&str) -> std::io::Result<()>>,
    /// The cases folder (`:evidence`, `:export`, `:report`); `None`: case files are off.
    pub cases_dir: Option<std::path::PathBuf>,
    /// In-console sign-in and pre-flight (default: a fixed token, no pre-flight).
    pub session: worker::Session,
}

/// Writes an OSC 52 sequence to the terminal (stdout, the backend's writer).
fn write_to_terminal(seq: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(seq.as_bytes())?;
    out.flush()
}

/// What a finished loop did (for tests and the log).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoopStats {
    /// Frames drawn.
    pub draws: u64,
    /// Messages handled.
    pub messages: u64,
}

/// Runs the console on the real terminal until the analyst quits.
pub async fn run(
    source: Arc<dyn TenantSource>,
    opts: RunOptions,
) -> Result<(), Box<dyn std::error::Error>> {
    run_session(source, opts, worker::Session::default()).await
}

/// [`run`] with in-console sign-in and pre-flight: a signed-out session starts on the
/// sign-in screen, and a token that cannot be renewed mid-session brings it back over the panes.
pub async fn run_session(
    source: Arc<dyn TenantSource>,
    opts: RunOptions,
    session: worker::Session,
) -> Result<(), Box<dyn std::error::Error>> {
    let theme = if opts.no_color {
        Theme::plain()
    } else {
        Theme::from_env()
    };
    let mut guard = crate::terminal::init()?;
    let setup = LoopSetup {
        thresholds: opts.thresholds.clone(),
        contain: opts.contain,
        dry_run: opts.dry_run,
        executor: opts.executor.clone(),
        clipboard: Some(write_to_terminal),
        cases_dir: opts.cases_dir.clone(),
        session,
    };
    let stats = run_loop_with(
        guard.terminal(),
        EventStream::new(),
        source,
        opts.window,
        theme,
        opts.subject.as_deref(),
        setup,
    )
    .await;
    drop(guard);
    let stats = stats?;
    tracing::info!(
        draws = stats.draws,
        messages = stats.messages,
        "console closed"
    );
    Ok(())
}

/// The loop itself, on any backend and any event stream (tests script both), with the
/// default indicator thresholds.
pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    events: S,
    source: Arc<dyn TenantSource>,
    window: Window,
    theme: Theme,
    subject: Option<&str>,
) -> Result<LoopStats, Box<dyn std::error::Error>>
where
    B: Backend,
    B::Error: 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let setup = LoopSetup::default();
    run_loop_with(terminal, events, source, window, theme, subject, setup).await
}

/// The loop with its setup (thresholds, containment mode, executor, clipboard writer).
pub async fn run_loop_with<B, S>(
    terminal: &mut Terminal<B>,
    mut events: S,
    source: Arc<dyn TenantSource>,
    window: Window,
    theme: Theme,
    subject: Option<&str>,
    setup: LoopSetup,
) -> Result<LoopStats, Box<dyn std::error::Error>>
where
    B: Backend,
    B::Error: 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut app = App::new(window, theme);
    app.find.thresholds = setup.thresholds.clone();
    app.thresholds = setup.thresholds.clone();
    app.contain.set_mode(setup.contain, setup.dry_run);
    app.preflight.wait = setup.session.preflight;
    let signed_out = match &setup.session.sign_in {
        Some(s) => {
            app.signin.available = true;
            app.signin.about = s.about();
            !s.token.is_signed_in()
        }
        None => false,
    };
    let (event_tx, mut worker_events) = unbounded_channel();
    let (commands, worker_task) = worker::spawn_session(
        source,
        event_tx,
        setup.executor,
        setup.cases_dir,
        setup.session,
    );
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let first = if signed_out {
        app.start_signed_out(subject)
    } else {
        app.start(subject)
    };
    for cmd in first {
        send(&commands, cmd);
    }

    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut stats = LoopStats::default();
    let mut drawn: Option<u64> = None;
    let result: Result<(), Box<dyn std::error::Error>> = loop {
        if drawn != Some(app.generation()) {
            if let Err(e) = terminal.draw(|f| crate::ui::render(&app, f)) {
                break Err(e.into());
            }
            drawn = Some(app.generation());
            stats.draws += 1;
        }
        let busy = app.is_busy();
        // A filter or sort of many rows runs one slice per turn, after any pending input.
        let working = app.has_work();
        let msg = tokio::select! {
            biased;
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) => Msg::Key(k),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            ev = worker_events.recv() => match ev {
                Some(ev) => Msg::Worker(ev),
                None => break Err("the worker stopped unexpectedly".into()),
            },
            _ = tick.tick(), if busy => Msg::Tick,
            () = std::future::ready(()), if working => Msg::Work,
        };
        stats.messages += 1;
        for cmd in app.update(msg) {
            send(&commands, cmd);
        }
        if let Some(text) = app.take_copy_text() {
            // The device code (not a secret: it is shown on screen; the device_code is not).
            let seq = crate::contain::secret::osc52(&text);
            if let Some(write) = setup.clipboard
                && let Err(e) = write(&seq)
            {
                tracing::warn!("clipboard copy failed: {}", e.kind());
            }
        }
        if let Some(secret) = app.take_clipboard() {
            // The sequence holds the secret: written to the terminal only, wiped on drop.
            let seq = crate::contain::secret::osc52(secret.expose());
            if let Some(write) = setup.clipboard
                && let Err(e) = write(&seq)
            {
                tracing::warn!("clipboard copy failed: {}", e.kind());
            }
        }
        if app.should_quit() {
            break Ok(());
        }
    };
    send(&commands, Command::Quit);
    if let Err(e) = worker_task.await {
        tracing::warn!("worker ended abnormally: {e}");
    }
    result.map(|()| stats)
}

fn send(commands: &UnboundedSender<Command>, cmd: Command) {
    if commands.send(cmd).is_err() {
        tracing::warn!("worker gone; command dropped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;

    use crate::graph::models::{SignIn, User};
    use crate::worker::fake::FakeTenant;

    fn key(c: char) -> std::io::Result<Event> {
        Ok(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )))
    }

    #[tokio::test]
    async fn scripted_session_loads_draws_and_quits() {
        let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-19T09:00:00Z")
            .unwrap()
            .to_utc();
        let window = Window {
            start: t0 - chrono::Duration::days(7),
            end: t0,
        };
        let tenant = FakeTenant {
            users: vec![User {
                id: "u1".into(),
                display_name: "Alice Example".into(),
                user_principal_name: "alice@contoso.com".into(),
                ..User::default()
            }],
            sign_ins: (0..30)
                .map(|i| SignIn {
                    id: format!("s{i}").into(),
                    user_id: "u1".into(),
                    ip_address: "203.0.113.7".into(),
                    created_date_time: Some(t0 - chrono::Duration::minutes(i)),
                    ..SignIn::default()
                })
                .collect(),
            page_size: 10,
            ..FakeTenant::default()
        };
        // Keys arrive after the data: first idle keys that do nothing, then a pane switch and q.
        let script = futures::stream::iter(vec![key('x'), key('x'), key('x'), key('1'), key('q')])
            .then(|k| async move {
                tokio::time::sleep(Duration::from_millis(40)).await;
                k
            });
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let stats = run_loop(
            &mut term,
            Box::pin(script),
            Arc::new(tenant),
            window,
            Theme::plain(),
            Some("alice@contoso.com"),
        )
        .await
        .unwrap();
        let screen: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(screen.contains("Alice Example"));
        assert!(screen.contains("30 sign-ins"), "all pages arrived");
        // Unbound keys and re-focusing the focused pane change nothing: no redraw for them.
        assert!(
            stats.draws + 4 <= stats.messages,
            "idle keys must not redraw: {stats:?}"
        );
    }
}
