//! `App::update` tests of filters and sorts computed in slices (`Msg::Work`): progress,
//! the previous rows kept on screen, a newer query superseding a running one, pages arriving
//! during and after a job, Esc stopping it; results equal a plain filter and stable sort.

use chrono::{Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Budget;
use crate::app::{App, Msg};
use crate::filter::{Filter, SIGN_IN_FIELDS, compare_values};
use crate::graph::models::{SignIn, User};
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::window::Window;

const PANE: PaneId = PaneId::SignIns;

fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

/// Sign-in `i` (newer for smaller `i`), with repeating countries, apps in mixed case,
/// many IPs and some failures.
fn sign_in(i: i64) -> SignIn {
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 11, 0, 0).unwrap() - Duration::minutes(i * 7);
    let cc = ["NL", "NG", "DE", "nl", "US"][i as usize % 5];
    let app = [
        "OfficeHome",
        "officehome",
        "Azure Portal",
        "Outlook",
        "Ärzte App",
    ][i as usize % 5 * 3 % 5];
    let risk = ["none", "low", "high"][i as usize % 3];
    serde_json::from_value(serde_json::json!({
        "id": format!("r{i}"), "createdDateTime": at.to_rfc3339(),
        "ipAddress": format!("102.{}.{}", i % 4, i % 9), "appDisplayName": app,
        "status": {"errorCode": if i % 6 == 0 { 50126 } else { 0 }},
        "location": {"city": format!("c{}", i % 3), "countryOrRegion": cc},
        "riskLevelDuringSignIn": risk,
    }))
    .unwrap()
}

fn page(from: i64, to: i64) -> Vec<SignIn> {
    (from..to).map(sign_in).collect()
}

/// A console with tiny slices (so 60 rows take many turns) and the Sign-ins load started.
fn loading() -> (App, RequestId) {
    let mut app = App::new(window(), Theme::plain());
    app.find.budget = Budget {
        sync_rows: 10,
        scan: 7,
        moves: 11,
    };
    app.update(Msg::Resize(120, 36));
    let user = User {
        id: "u1".into(),
        ..User::default()
    };
    let cmds = crate::app::testkit::find_suspect(&mut app, "alice@contoso.com", user);
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!("expected LoadPane");
    };
    (app, req)
}

fn deliver(app: &mut App, req: RequestId, page_no: usize, items: Vec<SignIn>, has_more: bool) {
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no,
        items,
        has_more,
    }));
}

/// 60 rows in three pages, all arrived.
fn loaded() -> App {
    let (mut app, req) = loading();
    for p in 0..3 {
        deliver(
            &mut app,
            req,
            p + 1,
            page(p as i64 * 20, p as i64 * 20 + 20),
            p < 2,
        );
    }
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    app
}

fn shown(app: &App) -> Vec<String> {
    app.shown_sign_ins()
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

/// Every slice until the job is done; how many there were.
fn drain(app: &mut App) -> usize {
    let mut turns = 0;
    while app.has_work() {
        app.update(Msg::Work);
        turns += 1;
        assert!(turns < 10_000, "the job never ends");
    }
    turns
}

/// The rows of `rows` matching `filter`, stably sorted by `sort` (field, descending): the
/// meaning the sliced jobs must keep.
fn reference(rows: &[SignIn], filter: &str, sort: Option<(&str, bool)>) -> Vec<String> {
    let f = Filter::new(filter, SIGN_IN_FIELDS).unwrap();
    let mut hits: Vec<&SignIn> = rows.iter().filter(|r| f.matches(*r)).collect();
    if let Some((field, reverse)) = sort {
        hits.sort_by(|a, b| {
            let o = compare_values(&a.field(field).unwrap(), &b.field(field).unwrap());
            if reverse { o.reverse() } else { o }
        });
    }
    hits.iter().map(|s| s.id.to_string()).collect()
}

use crate::filter::Filterable as _;

#[test]
fn a_large_filter_runs_in_slices_with_progress_and_the_old_rows_stay_shown() {
    let mut app = loaded();
    app.panes.view_mut(PANE).selected = 30;
    app.set_filter(PANE, "cc = nl or app ~ ärzte").unwrap();
    assert!(app.has_work());
    let mut last = 0;
    let mut turns = 0;
    while app.has_work() {
        // Until the job is done, the previous (unfiltered) rows are shown.
        assert_eq!(app.visible_len(PANE), 60);
        let pct = app.find.progress(PANE).expect("progress").percent;
        assert!(pct >= last && pct < 100, "{pct} after {last}");
        last = pct;
        let before = app.generation();
        app.update(Msg::Work);
        turns += 1;
        if app.has_work() && app.find.progress(PANE).unwrap().percent == pct {
            assert_eq!(
                app.generation(),
                before,
                "no redraw without visible progress"
            );
        }
    }
    assert!(turns >= 60 / 7, "{turns} turns");
    assert!(last > 50, "progress reached {last}");
    assert_eq!(
        shown(&app),
        reference(&page(0, 60), "cc = nl or app ~ ärzte", None)
    );
    assert_eq!(
        app.panes.view(PANE).selected,
        0,
        "a new filter starts at the top"
    );
    // Nothing runs: a work message changes nothing.
    let before = app.generation();
    app.update(Msg::Work);
    assert_eq!(app.generation(), before);
}

#[test]
fn sorts_in_slices_equal_a_stable_sort_of_the_filtered_rows() {
    let mut app = loaded();
    app.set_filter(PANE, "status = ok").unwrap();
    drain(&mut app);
    for field in [
        "time", "status", "ip", "location", "app", "client", "ca", "risk",
    ] {
        for reverse in [false, true] {
            app.set_sort(PANE, field, reverse).unwrap();
            assert!(drain(&mut app) > 1, "{field} is sliced");
            assert_eq!(
                shown(&app),
                reference(&page(0, 60), "status = ok", Some((field, reverse))),
                "sorted by {field}, descending {reverse}"
            );
        }
    }
    // Clearing both: all rows in their natural order, at once.
    app.set_sort(PANE, "none", false).unwrap();
    app.set_filter(PANE, "").unwrap();
    assert!(!app.has_work());
    assert_eq!(shown(&app), reference(&page(0, 60), "", None));
}

#[test]
fn a_newer_filter_supersedes_the_running_one() {
    let mut app = loaded();
    app.set_filter(PANE, "cc = NG").unwrap();
    app.update(Msg::Work);
    app.update(Msg::Work);
    app.set_sort(PANE, "app", true).unwrap();
    app.update(Msg::Work);
    app.set_filter(PANE, "cc = DE").unwrap();
    // The filter prompt reopens with what was asked last.
    assert_eq!(
        app.find.wanted(PANE).0.map(|f| f.text.as_str()),
        Some("cc = DE")
    );
    drain(&mut app);
    assert_eq!(
        shown(&app),
        reference(&page(0, 60), "cc = DE", Some(("app", true)))
    );
}

#[test]
fn pages_arriving_during_and_after_a_job_end_up_in_the_result() {
    let (mut app, req) = loading();
    deliver(&mut app, req, 1, page(0, 20), true);
    app.set_filter(PANE, "cc != US").unwrap();
    app.set_sort(PANE, "ip", false).unwrap();
    app.update(Msg::Work);
    deliver(&mut app, req, 2, page(20, 40), true);
    app.update(Msg::Work);
    app.update(Msg::Work);
    deliver(&mut app, req, 3, page(40, 60), false);
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    drain(&mut app);
    let want = |n| reference(&page(0, n), "cc != US", Some(("ip", false)));
    assert_eq!(shown(&app), want(60));

    // A later page (a reload's continuation): only the new rows are filtered and merged.
    let mut app2 = app;
    let cmds = app2.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::NONE,
    )));
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!("expected LoadPane");
    };
    deliver(&mut app2, req, 1, page(0, 40), true);
    drain(&mut app2);
    assert_eq!(shown(&app2), want(40));
    deliver(&mut app2, req, 2, page(40, 70), false);
    assert!(app2.has_work(), "30 new rows merged into 40 are sliced");
    assert!(
        app2.find.progress(PANE).is_none(),
        "appending shows no progress"
    );
    assert_eq!(shown(&app2), want(40), "until merged, the previous rows");
    drain(&mut app2);
    assert_eq!(shown(&app2), want(70));
}

#[test]
fn an_out_of_order_page_recomputes_from_scratch() {
    let (mut app, req) = loading();
    deliver(&mut app, req, 1, page(20, 60), true);
    app.set_filter(PANE, "app ~ office").unwrap();
    drain(&mut app);
    // Newer rows than the tail: the pane re-sorts, so positions change.
    deliver(&mut app, req, 2, page(0, 20), false);
    drain(&mut app);
    assert_eq!(shown(&app), reference(&page(0, 60), "app ~ office", None));
}

#[test]
fn esc_stops_the_running_filter_and_keeps_the_rows_shown() {
    let mut app = loaded();
    app.set_filter(PANE, "cc = NL").unwrap();
    drain(&mut app);
    let before = shown(&app);
    app.set_filter(PANE, "cc = NG").unwrap();
    app.update(Msg::Work);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(!app.has_work());
    assert_eq!(shown(&app), before);
    assert_eq!(
        app.find.wanted(PANE).0.map(|f| f.text.as_str()),
        Some("cc = NL")
    );
    assert_eq!(
        app.find.message.as_deref(),
        Some("stopped · the rows shown are the previous result")
    );
    // Esc with nothing running does nothing.
    let g = app.generation();
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(app.generation(), g);
}
