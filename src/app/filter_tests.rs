//! `App::update` tests of the filter and search prompts, sorting, the command line and the
//! pictures: plain function calls, no runtime.

use chrono::{TimeZone, Utc};
use crossterm::event::KeyCode;

use crate::app::pictures::{Picture, legs, series};
use crate::app::testkit::{find_suspect, key, window};
use crate::app::{App, Msg};
use crate::graph::models::{SignIn, User};
use crate::overlay::Overlay;
use crate::protocol::{Command, PaneId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::window::Window;

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

fn row(id: &str, when: &str, code: i64, cc: &str, at: (f64, f64), risk: &str) -> SignIn {
    serde_json::from_value(serde_json::json!({
        "id": id, "createdDateTime": when, "ipAddress": format!("203.0.113.{}", id.len()),
        "appDisplayName": if cc == "NL" { "Outlook" } else { "OfficeHome" },
        "status": {"errorCode": code},
        "location": {"city": "x", "countryOrRegion": cc,
            "geoCoordinates": {"latitude": at.0, "longitude": at.1}},
        "riskLevelDuringSignIn": risk,
    }))
    .unwrap()
}

const AMS: (f64, f64) = (52.37, 4.9);
const LOS: (f64, f64) = (6.45, 3.39);

fn rows() -> Vec<SignIn> {
    vec![
        row("a", "2026-11-19T10:00:00Z", 0, "NG", LOS, "high"),
        row("b", "2026-11-19T09:30:00Z", 50126, "NG", LOS, "none"),
        row("c", "2026-11-19T09:00:00Z", 0, "NL", AMS, "none"),
        row("d", "2026-11-18T09:00:00Z", 0, "NL", AMS, "low"),
    ]
}

/// An app with the suspect found and the sign-ins loaded.
fn loaded() -> App {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(120, 36));
    let user = User {
        id: "u1".into(),
        ..User::default()
    };
    let cmds = find_suspect(&mut app, "alice@contoso.com", user);
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!("expected LoadPane");
    };
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no: 1,
        items: rows(),
        has_more: false,
    }));
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    app
}

fn shown_ids(app: &App) -> Vec<String> {
    app.shown_sign_ins()
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

fn filter_error(app: &App) -> Option<String> {
    match app.overlays.last() {
        Some(Overlay::Filter(p)) => p.error.clone(),
        other => panic!("no filter prompt: {other:?}"),
    }
}

#[test]
fn filter_prompt_applies_validates_and_cancels() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('/')));
    typed(&mut app, "contry");
    assert_eq!(
        filter_error(&app),
        None,
        "a bare word is a search over all fields"
    );
    typed(&mut app, " = NL");
    assert_eq!(
        filter_error(&app).as_deref(),
        Some("unknown field 'contry' at 1 (did you mean country?)")
    );
    // Enter on an invalid filter keeps the prompt open and applies nothing.
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(matches!(app.overlays.last(), Some(Overlay::Filter(_))));
    assert_eq!(shown_ids(&app).len(), 4);
    // Esc cancels without applying.
    app.update(key(KeyCode::Esc));
    assert!(app.overlays.is_empty());
    assert_eq!(shown_ids(&app).len(), 4);

    app.update(key(KeyCode::Char('/')));
    typed(&mut app, "country != NL and status = failure");
    assert_eq!(filter_error(&app), None);
    let cmds = app.update(key(KeyCode::Enter));
    assert!(cmds.is_empty(), "filtering is local: {cmds:?}");
    assert!(app.overlays.is_empty());
    assert_eq!(shown_ids(&app), vec!["b"]);
    assert_eq!(app.visible_len(PaneId::SignIns), 1);
    // Enter opens the detail of the shown row, not of row 0 of the data.
    app.update(key(KeyCode::Enter));
    match app.overlays.last() {
        Some(Overlay::Detail(d)) => assert!(d.title.contains("203.0.113.1")),
        other => panic!("{other:?}"),
    }
    app.update(key(KeyCode::Esc));

    // The prompt re-opens with the filter; clearing it shows every row.
    app.update(key(KeyCode::Char('/')));
    match app.overlays.last() {
        Some(Overlay::Filter(p)) => assert_eq!(p.value(), "country != NL and status = failure"),
        other => panic!("{other:?}"),
    }
    for _ in 0..40 {
        app.update(key(KeyCode::Backspace));
    }
    app.update(key(KeyCode::Enter));
    assert_eq!(shown_ids(&app).len(), 4);
    assert!(app.find.query(PaneId::SignIns).unwrap().filter.is_none());
}

#[test]
fn filter_survives_new_pages() {
    let mut app = loaded();
    app.set_filter(PaneId::SignIns, "cc = NL").unwrap();
    assert_eq!(shown_ids(&app), vec!["c", "d"]);
    // Reloading the pane refills it; the filter applies to the new rows.
    let cmds = app.update(key(KeyCode::Char('r')));
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!("expected LoadPane");
    };
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no: 1,
        items: rows(),
        has_more: false,
    }));
    assert_eq!(shown_ids(&app), vec!["c", "d"]);
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('s')));
    assert_eq!(
        app.find
            .sort(PaneId::SignIns)
            .map(|s| (s.column, s.reverse)),
        Some((1, false))
    );
    assert_eq!(shown_ids(&app), vec!["d", "c", "b", "a"], "oldest first");
    app.update(key(KeyCode::Char('S')));
    assert_eq!(shown_ids(&app), vec!["a", "b", "c", "d"]);
    app.update(key(KeyCode::Char('s')));
    assert_eq!(app.find.sort(PaneId::SignIns).map(|s| s.column), Some(2));
    assert_eq!(
        shown_ids(&app),
        vec!["a", "c", "d", "b"],
        "ok before failures, stable"
    );
    app.set_sort(PaneId::SignIns, "risk", true).unwrap();
    assert_eq!(shown_ids(&app), vec!["a", "d", "b", "c"]);
    assert!(app.set_sort(PaneId::SignIns, "colour", false).is_err());
    for _ in 0..20 {
        app.update(key(KeyCode::Char('s')));
    }
    // Cycling past the last column returns to the natural order at some point.
    let natural = (0..9).any(|_| {
        app.update(key(KeyCode::Char('s')));
        app.find.sort(PaneId::SignIns).is_none()
    });
    assert!(natural);
}

#[test]
fn search_jumps_without_hiding() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('f')));
    typed(&mut app, "cc = NL");
    app.update(key(KeyCode::Enter));
    assert_eq!(shown_ids(&app).len(), 4, "search hides nothing");
    assert_eq!(app.panes.view(PaneId::SignIns).selected, 2);
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.panes.view(PaneId::SignIns).selected, 3);
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.panes.view(PaneId::SignIns).selected, 2, "wraps around");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.panes.view(PaneId::SignIns).selected, 3);
}

fn command(app: &mut App, line: &str) -> Vec<Command> {
    app.update(key(KeyCode::Char(':')));
    typed(app, line);
    app.update(key(KeyCode::Enter))
}

fn complaint(app: &App) -> Option<String> {
    match app.overlays.last() {
        Some(Overlay::Command(c)) => c.complaint.clone(),
        _ => None,
    }
}

#[test]
fn commands_switch_panes_and_explain_mistakes() {
    let mut app = loaded();
    command(&mut app, "grants");
    assert_eq!(app.focus, PaneId::Grants);
    assert!(app.overlays.is_empty());
    command(&mut app, "si");
    assert_eq!(app.focus, PaneId::SignIns);
    command(&mut app, "sigins");
    assert_eq!(
        complaint(&app).as_deref(),
        Some("unknown command 'sigins' (did you mean :signins?)")
    );
    app.update(key(KeyCode::Esc));
    command(&mut app, "filter risk >= medium");
    assert_eq!(shown_ids(&app), vec!["a"]);
    command(&mut app, "filter risk >=");
    assert_eq!(
        complaint(&app).as_deref(),
        Some("expected a value after '>=' at 6")
    );
    app.update(key(KeyCode::Esc));
    command(&mut app, "sort time desc");
    assert_eq!(
        app.find
            .sort(PaneId::SignIns)
            .map(|s| (s.column, s.reverse)),
        Some((1, true))
    );
    command(&mut app, "map");
    assert!(matches!(
        app.overlays.last(),
        Some(Overlay::Picture(Picture::Map))
    ));
    app.update(key(KeyCode::Char('c')));
    assert!(matches!(
        app.overlays.last(),
        Some(Overlay::Picture(Picture::Chart))
    ));
    app.update(key(KeyCode::Esc));
    let cmds = command(&mut app, "q");
    assert_eq!(cmds, vec![Command::Quit]);
    assert!(app.should_quit());
}

#[test]
fn panes_that_do_not_exist_yet_say_so() {
    let mut app = loaded();
    for (name, pane) in [
        ("rules", "rules"),
        ("audit", "audit"),
        ("timeline", "timeline"),
        ("indicators", "indicators"),
    ] {
        if crate::app::command::pane_named(name).is_some() {
            continue; // another build added the pane
        }
        command(&mut app, name);
        assert_eq!(complaint(&app), Some(format!("no such pane yet: {pane}")));
        app.update(key(KeyCode::Esc));
    }
}

#[test]
fn history_recalls_and_tab_completes() {
    let mut app = loaded();
    command(&mut app, "methods");
    command(&mut app, "risk");
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "gr");
    app.update(key(KeyCode::Up));
    let value = |app: &App| match app.overlays.last() {
        Some(Overlay::Command(c)) => c.value(),
        other => panic!("{other:?}"),
    };
    assert_eq!(value(&app), "risk");
    app.update(key(KeyCode::Up));
    assert_eq!(value(&app), "methods");
    app.update(key(KeyCode::Up));
    assert_eq!(value(&app), "methods", "stays at the oldest");
    app.update(key(KeyCode::Down));
    assert_eq!(value(&app), "risk");
    app.update(key(KeyCode::Down));
    assert_eq!(value(&app), "gr", "past the newest: the draft");
    app.update(key(KeyCode::Tab));
    assert_eq!(value(&app), "grants ");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "s");
    app.update(key(KeyCode::Tab));
    assert_eq!(value(&app), "s");
    assert_eq!(complaint(&app).as_deref(), Some("signins search sort"));
}

#[test]
fn days_reloads_with_a_new_window() {
    let mut app = loaded();
    let cmds = command(&mut app, "days 2");
    let want = Window {
        start: Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap(),
        end: window().end,
    };
    assert_eq!(app.window, want);
    assert_eq!(cmds.len(), PaneId::ALL.len());
    for c in &cmds {
        match c {
            Command::LoadPane { window, .. } => assert_eq!(*window, want),
            other => panic!("{other:?}"),
        }
    }
    assert!(app.panes.sign_ins.state.is_loading());
    assert!(command(&mut app, "days 0").is_empty());
    assert!(complaint(&app).is_some());
    app.update(key(KeyCode::Esc));
    assert!(command(&mut app, "days x").is_empty());
    assert_eq!(complaint(&app).as_deref(), Some("usage: :days N"));
    app.update(key(KeyCode::Esc));
    let cmds = command(&mut app, "user bob@contoso.com");
    assert!(
        matches!(&cmds[..], [Command::LoadSuspect { query, .. }] if query == "bob@contoso.com")
    );
}

#[test]
fn chart_counts_per_hour_or_day_and_legs_flag_impossible_travel() {
    let r = rows();
    let two_days = Window {
        start: Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    };
    let s = series(&r, &two_days);
    assert!(s.hourly);
    assert_eq!(s.buckets.len(), 48);
    let b9 = s
        .buckets
        .iter()
        .find(|b| b.start == Utc.with_ymd_and_hms(2026, 11, 19, 9, 0, 0).unwrap())
        .unwrap();
    assert_eq!((b9.ok, b9.failed, b9.risky), (1, 1, 0));
    let s = series(&r, &window());
    assert!(!s.hourly);
    assert_eq!(s.buckets.iter().map(|b| b.total()).sum::<usize>(), 4);
    assert_eq!(s.buckets.iter().map(|b| b.risky).sum::<usize>(), 2);
    let cfg = crate::analysis::Thresholds::default();
    let l = legs(&r, &cfg);
    assert_eq!(
        l.len(),
        1,
        "AMS → AMS is no leg; the failure is no leg: {l:?}"
    );
    assert_eq!(l[0].countries, ("NL".to_owned(), "NG".to_owned()));
    assert!(l[0].impossible, "{} km in {} min", l[0].km, l[0].minutes);
}
