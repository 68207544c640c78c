//! What the benches share: the 30-day window, the simulator's `--scale` generator as the
//! source of a million realistic sign-ins, its pages as the Graph JSON bytes the worker
//! receives and parsed as the worker parses them, and a console at 120×36 with the suspect
//! found, fed those pages.

#![allow(dead_code)] // each bench uses the part it needs

use chrono::{TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;

use entra_triage::app::{App, Msg};
use entra_triage::graph::models::{SignIn, User};
use entra_triage::protocol::{Command, PaneId, RequestId, WorkerEvent};
use entra_triage::sim::{Generator, ScaleUser};
use entra_triage::ui::theme::Theme;
use entra_triage::window::Window;

/// Sign-ins per Graph page.
pub const PAGE: usize = 1000;

pub fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 10, 21, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

/// The simulator's `--scale` generator: `n` sign-ins for one user spread over the 30 days
/// of `window()` (distinct ids and correlation ids, 9 cities, 14 apps, device/UA mix,
/// failures, risky rows, unique-ish IPs).
pub fn generator(n: usize) -> Generator {
    let user = ScaleUser {
        id: "3f2a8b4c-1d2e-4f60-9a7b-0c1d2e3fc91e".into(),
        upn: "alice@contoso.com".into(),
        display_name: "Alice Example".into(),
    };
    Generator::new(
        n,
        user,
        "8c6b1f4e-2a3d-4e5f-9a0b-1c2d3e4f5a6b".into(),
        window().end,
    )
}

/// Page `p` (1,000 items, newest first) of the generator as the Graph JSON bytes a worker
/// receives.
pub fn generated_page_json(g: &Generator, p: usize) -> Vec<u8> {
    let items: Vec<Value> = (p * PAGE..((p + 1) * PAGE).min(g.n))
        .map(|r| g.item(r))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
        "value": items,
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x",
    }))
    .unwrap()
}

/// Parses a page the way the worker does (`graph/paging.rs`: the body as a JSON value, then
/// each item on its own).
pub fn parse_like_worker(bytes: &[u8]) -> Vec<SignIn> {
    let raw: Value = serde_json::from_slice(bytes).unwrap();
    raw["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| SignIn::deserialize(v).unwrap())
        .collect()
}

/// A console at 120×36 with the suspect found, nothing loaded yet, and the request id the
/// sign-in pages answer.
pub fn empty_console() -> (App, RequestId) {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(120, 36));
    let Some(Command::LoadSuspect { req, .. }) = app.start(Some("alice@contoso.com")).pop() else {
        panic!("no lookup")
    };
    let user = User {
        id: "3f2a8b4c-1d2e-4f60-9a7b-0c1d2e3fc91e".into(),
        ..User::default()
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(user),
    }));
    let req = cmds
        .iter()
        .find_map(|c| match c {
            Command::LoadPane {
                req,
                pane: PaneId::SignIns,
                ..
            } => Some(*req),
            _ => None,
        })
        .expect("a sign-in request");
    (app, req)
}

/// Delivers `n` generated sign-ins to `app` as `SignInPage`s of `PAGE`, each parsed from its
/// JSON bytes (no `SignInsDone`: the caller decides whether the analysis runs).
pub fn deliver_pages(app: &mut App, req: RequestId, n: usize) {
    let g = generator(n);
    let pages = n.div_ceil(PAGE);
    for p in 0..pages {
        let items = parse_like_worker(&generated_page_json(&g, p));
        app.update(Msg::Worker(WorkerEvent::SignInPage {
            req,
            page_no: p + 1,
            items,
            has_more: p + 1 < pages,
        }));
    }
}
