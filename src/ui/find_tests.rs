//! Screen snapshots (plain theme, as with NO_COLOR) of the filter and search prompts, the
//! find bar with a sort arrow, the command line, the chart and the map, at 120×36 and 80×24.

use chrono::{Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{App, Msg};
use crate::graph::models::{SignIn, User};
use crate::protocol::{Command, WorkerEvent};
use crate::ui::theme::Theme;
use crate::window::Window;

const SIZES: [(u16, u16); 2] = [(120, 36), (80, 24)];

const PLACES: [(&str, &str, f64, f64); 4] = [
    ("Amsterdam", "NL", 52.37, 4.9),
    ("Utrecht", "NL", 52.09, 5.12),
    ("Lagos", "NG", 6.45, 3.39),
    ("New York", "US", 40.71, -74.0),
];

fn window(days: i64) -> Window {
    let end = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
    Window {
        start: end - Duration::days(days),
        end,
    }
}

/// Forty sign-ins over the last six days: mostly Dutch successes, a burst of failures and
/// risky successes from Lagos, one from New York.
fn rows() -> Vec<SignIn> {
    let end = Utc.with_ymd_and_hms(2026, 11, 20, 11, 0, 0).unwrap();
    (0..40)
        .map(|i: i64| {
            let at = end - Duration::minutes(i * 211);
            let (place, code, risk) = match i {
                3..=7 => (PLACES[2], if i % 2 == 0 { 50126 } else { 0 }, "none"),
                8 | 9 => (PLACES[2], 0, "high"),
                15 => (PLACES[3], 0, "medium"),
                i if i % 5 == 0 => (PLACES[1], 0, "none"),
                i if i % 7 == 0 => (PLACES[0], 50074, "none"),
                _ => (PLACES[0], 0, "none"),
            };
            serde_json::from_value(serde_json::json!({
                "id": format!("s{i}"),
                "createdDateTime": at.to_rfc3339(),
                "ipAddress": format!("203.0.113.{i}"),
                "appDisplayName": if i % 3 == 0 { "Office 365 Exchange Online" } else { "OfficeHome" },
                "clientAppUsed": "Browser",
                "status": {"errorCode": code},
                "deviceDetail": {"browser": "Chrome 131.0", "operatingSystem": "Windows 10"},
                "location": {"city": place.0, "countryOrRegion": place.1,
                    "geoCoordinates": {"latitude": place.2, "longitude": place.3}},
                "riskLevelDuringSignIn": risk, "riskLevelAggregated": "none"
            }))
            .unwrap()
        })
        .collect()
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn app(days: i64, w: u16, h: u16) -> App {
    let mut app = App::new(window(days), Theme::plain());
    app.update(Msg::Resize(w, h));
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!("expected LoadSuspect");
    };
    let user: User = serde_json::from_value(serde_json::json!({
        "id": "u1", "displayName": "Alice Example", "userPrincipalName": "alice@contoso.com",
        "accountEnabled": true
    }))
    .unwrap();
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(user),
    }));
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!("expected LoadPane");
    };
    let items: Vec<SignIn> = rows()
        .into_iter()
        .filter(|s| s.created_date_time.is_some_and(|t| app.window.contains(t)))
        .collect();
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no: 1,
        items,
        has_more: false,
    }));
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req }));
    app
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| crate::ui::render(app, f)).unwrap();
    term
}

#[test]
fn filter_prompt_valid_and_with_an_error() {
    for (w, h) in SIZES {
        let mut a = app(7, w, h);
        key(&mut a, KeyCode::Char('/'));
        typed(&mut a, "country != NL and status = ok");
        insta::assert_snapshot!(
            format!("filter__prompt_valid_{w}x{h}"),
            draw(&a, w, h).backend()
        );
        let mut a = app(7, w, h);
        key(&mut a, KeyCode::Char('/'));
        typed(&mut a, "contry = NL");
        insta::assert_snapshot!(
            format!("filter__prompt_error_{w}x{h}"),
            draw(&a, w, h).backend()
        );
    }
}

#[test]
fn applied_filter_sort_and_search() {
    for (w, h) in SIZES {
        let mut a = app(7, w, h);
        key(&mut a, KeyCode::Char('/'));
        typed(&mut a, "app ~ exchange or cc = NG");
        key(&mut a, KeyCode::Enter);
        key(&mut a, KeyCode::Char('s'));
        key(&mut a, KeyCode::Char('S'));
        key(&mut a, KeyCode::Char('f'));
        typed(&mut a, "risk >= medium");
        key(&mut a, KeyCode::Enter);
        insta::assert_snapshot!(format!("filter__applied_{w}x{h}"), draw(&a, w, h).backend());
    }
}

#[test]
fn command_line() {
    for (w, h) in SIZES {
        let mut a = app(7, w, h);
        key(&mut a, KeyCode::Char(':'));
        typed(&mut a, "s");
        key(&mut a, KeyCode::Tab);
        insta::assert_snapshot!(
            format!("command__completion_{w}x{h}"),
            draw(&a, w, h).backend()
        );
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char(':'));
        typed(&mut a, "sigins");
        key(&mut a, KeyCode::Enter);
        insta::assert_snapshot!(
            format!("command__unknown_{w}x{h}"),
            draw(&a, w, h).backend()
        );
    }
}

#[test]
fn charts_and_map() {
    for (w, h) in SIZES {
        for days in [2, 7] {
            let mut a = app(days, w, h);
            key(&mut a, KeyCode::Char('c'));
            insta::assert_snapshot!(format!("chart__{days}d_{w}x{h}"), draw(&a, w, h).backend());
        }
        let mut a = app(7, w, h);
        key(&mut a, KeyCode::Char('m'));
        insta::assert_snapshot!(format!("map__7d_{w}x{h}"), draw(&a, w, h).backend());
    }
}

#[test]
fn filter_in_progress() {
    for (w, h) in SIZES {
        let mut a = app(7, w, h);
        // Slices as small as a million rows would make them, over the forty rows.
        a.find.budget = crate::app::filter::Budget {
            sync_rows: 1,
            scan: 10,
            moves: 10,
        };
        key(&mut a, KeyCode::Char('/'));
        typed(&mut a, "country != NL");
        key(&mut a, KeyCode::Enter);
        for _ in 0..8 {
            a.update(Msg::Work);
        }
        assert!(a.has_work(), "still filtering");
        insta::assert_snapshot!(
            format!("filter__in_progress_{w}x{h}"),
            draw(&a, w, h).backend()
        );
    }
}
