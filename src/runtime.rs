//! The event loop: `select!` over the terminal's key/resize stream, worker events and a tick.
//! Each becomes a `Msg` for `App::update`; the commands it returns go to the worker. The
//! screen is redrawn only when the app's generation changed (zero redraws while idle), and
//! the tick runs only while something is loading (the spinner). Nothing is printed to
//! stdout/stderr while the alternate screen is up.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc::unbounded_channel;
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
}

/// Runs the console until the analyst quits.
pub async fn run(
    source: Arc<dyn TenantSource>,
    opts: RunOptions,
) -> Result<(), Box<dyn std::error::Error>> {
    let theme = if opts.no_color {
        Theme::plain()
    } else {
        Theme::from_env()
    };
    let mut app = App::new(opts.window, theme);
    let (event_tx, mut worker_events) = unbounded_channel();
    let (commands, worker_task) = worker::spawn(source, event_tx);

    let mut guard = crate::terminal::init()?;
    let size = guard.terminal().size()?;
    app.update(Msg::Resize(size.width, size.height));
    for cmd in app.start(opts.subject.as_deref()) {
        send(&commands, cmd);
    }

    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut drawn: Option<u64> = None;
    let result: Result<(), Box<dyn std::error::Error>> = loop {
        if drawn != Some(app.generation()) {
            if let Err(e) = guard.terminal().draw(|f| crate::ui::render(&app, f)) {
                break Err(e.into());
            }
            drawn = Some(app.generation());
        }
        let busy = app.is_busy();
        let msg = tokio::select! {
            ev = keys.next() => match ev {
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
        };
        for cmd in app.update(msg) {
            send(&commands, cmd);
        }
        if app.should_quit() {
            break Ok(());
        }
    };
    send(&commands, Command::Quit);
    drop(guard);
    if let Err(e) = worker_task.await {
        tracing::warn!("worker ended abnormally: {e}");
    }
    result
}

fn send(commands: &tokio::sync::mpsc::UnboundedSender<Command>, cmd: Command) {
    if commands.send(cmd).is_err() {
        tracing::warn!("worker gone; command dropped");
    }
}
