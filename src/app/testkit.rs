//! What the console's update tests share: the week they look at, key messages, and finding
//! the suspect (the lookup `App::start` asks for, answered as the worker would).

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Msg};
use crate::graph::models::User;
use crate::protocol::{Command, WorkerEvent};
use crate::window::Window;

/// 2026-11-13 12:00 → 2026-11-20 12:00 UTC.
pub fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 11, 13, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

/// A key press without modifiers.
pub fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// A character key.
pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// Starts `app` on `upn` and answers its lookup with `user`; returns the commands that answer
/// produces (the pane loads, unless pre-flight makes them wait).
pub fn find_suspect(app: &mut App, upn: &str, user: User) -> Vec<Command> {
    let cmds = app.start(Some(upn));
    let Some(Command::LoadSuspect { req, .. }) = cmds.first() else {
        panic!("expected the lookup, got {cmds:?}");
    };
    let req = *req;
    app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(user),
    }))
}
