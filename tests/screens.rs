//! Screen snapshots (insta + ratatui's TestBackend) of every pane in its loading, ready, empty
//! and failed states at 120×36 and 80×24, the overlays, tiny sizes, and hostile tenant text.
//! The dataset is fixed and the spinner frozen (no `Msg::Tick` is ever sent).

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use entra_triage::app::{App, Msg};
use entra_triage::graph::models::*;
use entra_triage::protocol::{Command, PaneId, RequestId, WorkerEvent};
use entra_triage::ui::theme::Theme;
use entra_triage::window::Window;
use entra_triage::worker::part;
use entra_triage::worker::source::SourceError;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 11, 13, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

fn alice() -> User {
    serde_json::from_value(serde_json::json!({
        "id": "3f2a8c1e-5b7d-4e0a-9c3f-2d1e8b7ac91e",
        "displayName": "Alice Example",
        "userPrincipalName": "alice@contoso.com",
        "accountEnabled": true,
        "createdDateTime": "2024-03-01T09:00:00Z",
        "lastPasswordChangeDateTime": "2026-10-02T08:15:00Z",
        "onPremisesSyncEnabled": null,
        "jobTitle": "Finance Manager",
        "department": "Finance",
        "usageLocation": "NL"
    }))
    .unwrap()
}

#[allow(clippy::too_many_arguments)]
fn sign_in(
    id: &str,
    when: &str,
    code: i64,
    ip: &str,
    city: &str,
    cc: &str,
    app: &str,
    client: &str,
    browser: &str,
    os: &str,
    risk: &str,
) -> SignIn {
    serde_json::from_value(serde_json::json!({
        "id": id, "createdDateTime": when, "userId": "u1",
        "appDisplayName": app, "ipAddress": ip, "clientAppUsed": client,
        "conditionalAccessStatus": if code == 0 { "success" } else { "notApplied" },
        "status": {"errorCode": code, "failureReason": if code == 0 { "" } else { "Invalid username or password." }},
        "deviceDetail": {"browser": browser, "operatingSystem": os},
        "location": {"city": city, "countryOrRegion": cc},
        "riskLevelDuringSignIn": risk, "riskLevelAggregated": "none"
    }))
    .unwrap()
}

fn sign_ins() -> Vec<SignIn> {
    vec![
        sign_in(
            "s1",
            "2026-11-19T09:14:02Z",
            0,
            "203.0.113.7",
            "Lagos",
            "NG",
            "OfficeHome",
            "Browser",
            "Chrome 131.0",
            "Windows 10",
            "high",
        ),
        sign_in(
            "s2",
            "2026-11-19T09:12:40Z",
            50126,
            "203.0.113.7",
            "Lagos",
            "NG",
            "OfficeHome",
            "Browser",
            "Chrome 131.0",
            "Windows 10",
            "medium",
        ),
        sign_in(
            "s3",
            "2026-11-19T09:11:05Z",
            50126,
            "203.0.113.7",
            "Lagos",
            "NG",
            "OfficeHome",
            "Browser",
            "Chrome 131.0",
            "Windows 10",
            "none",
        ),
        sign_in(
            "s4",
            "2026-11-19T08:33:10Z",
            0,
            "198.51.100.20",
            "Amsterdam",
            "NL",
            "Microsoft Outlook",
            "Mobile Apps and Desktop clients",
            "",
            "iOS 18",
            "none",
        ),
        sign_in(
            "s5",
            "2026-11-18T16:02:51Z",
            0,
            "198.51.100.20",
            "Amsterdam",
            "NL",
            "Microsoft Teams",
            "Mobile Apps and Desktop clients",
            "",
            "Windows 11",
            "none",
        ),
        sign_in(
            "s6",
            "2026-11-17T07:45:00Z",
            0,
            "2001:db8:85a3::8a2e:370:7334",
            "Utrecht",
            "NL",
            "Office 365 Exchange Online",
            "Exchange ActiveSync",
            "",
            "Android",
            "low",
        ),
    ]
}

fn risky_user() -> RiskyUser {
    serde_json::from_value(serde_json::json!({
        "id": "u1", "riskLevel": "high", "riskState": "atRisk", "riskDetail": "none",
        "riskLastUpdatedDateTime": "2026-11-19T09:20:00Z",
        "userDisplayName": "Alice Example", "userPrincipalName": "alice@contoso.com"
    }))
    .unwrap()
}

fn history() -> Vec<RiskyUserHistoryItem> {
    serde_json::from_value(serde_json::json!([
        {"id": "h1", "userId": "u1", "riskLevel": "high", "riskState": "atRisk", "riskDetail": "none",
         "riskLastUpdatedDateTime": "2026-11-19T09:20:00Z", "initiatedBy": null},
        {"id": "h2", "userId": "u1", "riskLevel": "none", "riskState": "remediated",
         "riskDetail": "userPerformedSecuredPasswordChange", "riskLastUpdatedDateTime": "2026-10-02T08:15:00Z",
         "initiatedBy": "u1"}
    ]))
    .unwrap()
}

fn detections() -> Vec<RiskDetection> {
    serde_json::from_value(serde_json::json!([
        {"id": "d1", "riskEventType": "unfamiliarFeatures", "riskLevel": "high", "riskState": "atRisk",
         "detectionTimingType": "realtime", "ipAddress": "203.0.113.7",
         "detectedDateTime": "2026-11-19T09:14:05Z", "location": {"city": "Lagos", "countryOrRegion": "NG"}},
        {"id": "d2", "riskEventType": "anonymizedIPAddress", "riskLevel": "medium", "riskState": "atRisk",
         "detectionTimingType": "offline", "ipAddress": "203.0.113.7",
         "detectedDateTime": "2026-11-19T10:02:00Z", "location": {"city": "Lagos", "countryOrRegion": "NG"}}
    ]))
    .unwrap()
}

fn methods() -> Vec<AuthMethod> {
    methods_from_page(&serde_json::json!({"value": [
        {"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": PASSWORD_METHOD_ID,
         "createdDateTime": "2026-10-02T08:15:00Z"},
        {"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "p1",
         "phoneNumber": "+31 6 12345678", "phoneType": "mobile"},
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m1",
         "displayName": "Pixel 7 Pro", "createdDateTime": "2026-11-19T09:30:00Z"}
    ]}))
}

fn grants() -> (Vec<OAuth2PermissionGrant>, Vec<ServicePrincipal>) {
    let grants = serde_json::from_value(serde_json::json!([
        {"id": "g1", "clientId": "sp-mailsync", "consentType": "Principal", "principalId": "u1",
         "resourceId": "sp-graph", "scope": " Mail.ReadWrite Mail.Send offline_access User.Read "},
        {"id": "g2", "clientId": "sp-teams", "consentType": "AllPrincipals",
         "resourceId": "sp-graph", "scope": "openid profile User.Read"}
    ]))
    .unwrap();
    let principals = serde_json::from_value(serde_json::json!([
        {"id": "sp-mailsync", "appId": "a1", "displayName": "Mail Sync Pro",
         "appOwnerOrganizationId": "9d1c0000-0000-0000-0000-000000000bad", "verifiedPublisher": {}},
        {"id": "sp-teams", "appId": "a2", "displayName": "Microsoft Teams",
         "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a"},
        {"id": "sp-graph", "appId": "00000003-0000-0000-c000-000000000000", "displayName": "Microsoft Graph",
         "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a"}
    ]))
    .unwrap();
    (grants, principals)
}

fn forbidden() -> SourceError {
    SourceError {
        status: Some(403),
        code: Some("Authorization_RequestDenied".into()),
        message: "Insufficient privileges to complete the operation.".into(),
        request_id: Some("7c1e2a44-0b1d-4c7e-9f0a-1234567890ab".into()),
    }
}

/// The app with the suspect found and every pane waiting; requests in `PaneId::ALL` order.
fn loaded(w: u16, h: u16, theme: Theme) -> (App, Vec<RequestId>) {
    let mut app = App::new(window(), theme);
    app.update(Msg::Resize(w, h));
    app.update(Msg::Worker(WorkerEvent::Header {
        tenant: Some("contoso.com".into()),
        analyst: Some("analyst@contoso.com".into()),
    }));
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!("{cmds:?}")
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(alice()),
    }));
    let reqs = cmds
        .iter()
        .map(|c| match c {
            Command::LoadPane { req, .. } => *req,
            other => panic!("{other:?}"),
        })
        .collect();
    (app, reqs)
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Loading,
    Ready,
    Empty,
    Failed,
}

fn ev(app: &mut App, e: WorkerEvent) {
    app.update(Msg::Worker(e));
}

fn feed(app: &mut App, reqs: &[RequestId], state: State) {
    let fail = |req, pane, part| WorkerEvent::Failed {
        req,
        pane,
        part,
        error: forbidden(),
    };
    match state {
        State::Loading => {}
        State::Ready => {
            let s = sign_ins();
            ev(
                app,
                WorkerEvent::SignInPage {
                    req: reqs[0],
                    page_no: 1,
                    items: s[..4].to_vec(),
                    has_more: true,
                },
            );
            ev(
                app,
                WorkerEvent::SignInPage {
                    req: reqs[0],
                    page_no: 2,
                    items: s[4..].to_vec(),
                    has_more: false,
                },
            );
            ev(app, WorkerEvent::SignInsDone { req: reqs[0] });
            ev(
                app,
                WorkerEvent::RiskyUser {
                    req: reqs[1],
                    user: Some(Box::new(risky_user())),
                },
            );
            ev(
                app,
                WorkerEvent::RiskHistory {
                    req: reqs[1],
                    items: history(),
                },
            );
            ev(
                app,
                WorkerEvent::Detections {
                    req: reqs[1],
                    items: detections(),
                },
            );
            ev(
                app,
                WorkerEvent::Methods {
                    req: reqs[2],
                    methods: methods(),
                },
            );
            let (grants, principals) = grants();
            ev(
                app,
                WorkerEvent::Grants {
                    req: reqs[3],
                    grants,
                    principals,
                },
            );
        }
        State::Empty => {
            ev(app, WorkerEvent::SignInsDone { req: reqs[0] });
            ev(
                app,
                WorkerEvent::RiskyUser {
                    req: reqs[1],
                    user: None,
                },
            );
            ev(
                app,
                WorkerEvent::RiskHistory {
                    req: reqs[1],
                    items: vec![],
                },
            );
            ev(
                app,
                WorkerEvent::Detections {
                    req: reqs[1],
                    items: vec![],
                },
            );
            ev(
                app,
                WorkerEvent::Methods {
                    req: reqs[2],
                    methods: vec![],
                },
            );
            ev(
                app,
                WorkerEvent::Grants {
                    req: reqs[3],
                    grants: vec![],
                    principals: vec![],
                },
            );
        }
        State::Failed => {
            ev(app, fail(reqs[0], PaneId::SignIns, part::SIGN_INS));
            ev(app, fail(reqs[1], PaneId::Risk, part::RISKY_USER));
            ev(app, fail(reqs[1], PaneId::Risk, part::RISK_HISTORY));
            ev(app, fail(reqs[1], PaneId::Risk, part::DETECTIONS));
            ev(app, fail(reqs[2], PaneId::Methods, part::METHODS));
            ev(app, fail(reqs[3], PaneId::Grants, part::GRANTS));
        }
    }
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| entra_triage::ui::render(app, f)).unwrap();
    term
}

const SIZES: [(u16, u16); 2] = [(120, 36), (80, 24)];

#[test]
fn every_pane_in_every_state() {
    let panes = [
        ("signins", '1'),
        ("risk", '2'),
        ("methods", '3'),
        ("grants", '4'),
    ];
    let states = [
        ("loading", State::Loading),
        ("ready", State::Ready),
        ("empty", State::Empty),
        ("failed", State::Failed),
    ];
    for (w, h) in SIZES {
        for (sname, state) in states {
            for (pname, k) in panes {
                let (mut app, reqs) = loaded(w, h, Theme::plain());
                feed(&mut app, &reqs, state);
                key(&mut app, KeyCode::Char(k));
                let term = draw(&app, w, h);
                insta::assert_snapshot!(format!("{pname}__{sname}_{w}x{h}"), term.backend());
            }
        }
    }
}

#[test]
fn partial_sign_ins_then_failure_is_marked_incomplete() {
    for (w, h) in SIZES {
        let (mut app, reqs) = loaded(w, h, Theme::plain());
        let s = sign_ins();
        ev(
            &mut app,
            WorkerEvent::SignInPage {
                req: reqs[0],
                page_no: 1,
                items: s[..3].to_vec(),
                has_more: true,
            },
        );
        let term = draw(&app, w, h);
        insta::assert_snapshot!(format!("signins__page1_{w}x{h}"), term.backend());
        ev(
            &mut app,
            WorkerEvent::Failed {
                req: reqs[0],
                pane: PaneId::SignIns,
                part: part::SIGN_INS,
                error: forbidden(),
            },
        );
        let term = draw(&app, w, h);
        insta::assert_snapshot!(format!("signins__incomplete_{w}x{h}"), term.backend());
    }
}

#[test]
fn overlays() {
    for (w, h) in SIZES {
        let (mut app, reqs) = loaded(w, h, Theme::plain());
        feed(&mut app, &reqs, State::Ready);
        key(&mut app, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help__open_{w}x{h}"), draw(&app, w, h).backend());
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(
            format!("detail__signin_{w}x{h}"),
            draw(&app, w, h).backend()
        );
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('4'));
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("detail__grant_{w}x{h}"), draw(&app, w, h).backend());

        let mut app = App::new(window(), Theme::plain());
        app.update(Msg::Resize(w, h));
        app.start(None);
        for c in "alice@".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        insta::assert_snapshot!(
            format!("prompt__typing_{w}x{h}"),
            draw(&app, w, h).backend()
        );

        let mut app = App::new(window(), Theme::plain());
        app.update(Msg::Resize(w, h));
        let cmds = app.start(Some("ghost@contoso.com"));
        let Command::LoadSuspect { req, .. } = cmds[0] else {
            panic!()
        };
        ev(&mut app, WorkerEvent::SuspectFailed {
            req,
            error: SourceError {
                status: Some(404),
                code: Some("Request_ResourceNotFound".into()),
                message: "Resource 'ghost@contoso.com' does not exist or one of its queried reference-property objects are not present.".into(),
                request_id: Some("5d2f0000-aaaa-bbbb-cccc-0123456789ab".into()),
            },
        });
        insta::assert_snapshot!(
            format!("suspect__not_found_{w}x{h}"),
            draw(&app, w, h).backend()
        );
    }
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (20, 5), (2, 30), (200, 2), (40, 10)] {
        for state in [State::Loading, State::Ready, State::Empty, State::Failed] {
            for k in ['1', '2', '3', '4'] {
                let (mut app, reqs) = loaded(w, h, Theme::colored());
                feed(&mut app, &reqs, state);
                key(&mut app, KeyCode::Char(k));
                draw(&app, w, h);
                key(&mut app, KeyCode::Enter);
                draw(&app, w, h);
                key(&mut app, KeyCode::Esc);
                key(&mut app, KeyCode::Char('?'));
                draw(&app, w, h);
                key(&mut app, KeyCode::Esc);
                key(&mut app, KeyCode::Char('u'));
                draw(&app, w, h);
            }
        }
    }
}

#[test]
fn hostile_tenant_text_is_shown_escaped_never_raw() {
    let (mut app, reqs) = loaded(160, 30, Theme::colored());
    let mut evil = sign_ins()[0].clone();
    evil.location.city = TenantText::new("La\u{1b}]0;pwned\u{7}gos\u{202e}");
    evil.app_display_name = TenantText::new("Office\u{200b}Home\u{1b}[2J");
    evil.device_detail.browser = TenantText::new("Chrome\u{2066}\r\nX");
    evil.user_agent = TenantText::new("UA\u{feff}");
    ev(
        &mut app,
        WorkerEvent::SignInPage {
            req: reqs[0],
            page_no: 1,
            items: vec![evil],
            has_more: false,
        },
    );
    let term = draw(&app, 160, 30);
    let buf = term.backend().buffer();
    let mut screen = String::new();
    for cell in buf.content() {
        for c in cell.symbol().chars() {
            assert!(
                !entra_triage::sanitize::is_unsafe_char(c) && !c.is_control(),
                "unsafe char {c:?} reached the buffer"
            );
        }
        screen.push_str(cell.symbol());
    }
    assert!(
        screen.contains("La\\x1b]0;pwned\\x07gos"),
        "city escape visible"
    );
    assert!(screen.contains("Office\\u{200b}"), "zero-width visible");
    // The detail view shows every field escaped too.
    key(&mut app, KeyCode::Enter);
    let term = draw(&app, 160, 30);
    let mut screen = String::new();
    for cell in term.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(!entra_triage::sanitize::is_unsafe_char(c) && !c.is_control());
        }
        screen.push_str(cell.symbol());
    }
    assert!(screen.contains("\\u{202e}"));
    assert!(screen.contains("Chrome\\u{2066}␍⏎X"));
}

#[test]
fn risk_is_visible_without_colour_and_coloured_with_it() {
    let find_high = |theme: Theme| {
        let (mut app, reqs) = loaded(120, 36, theme);
        feed(&mut app, &reqs, State::Ready);
        key(&mut app, KeyCode::Char('j')); // move the selection off the high-risk first row
        let term = draw(&app, 120, 36);
        let buf = term.backend().buffer().clone();
        let area = buf.area;
        // Row of the first sign-in (newest, high risk): find "high" in the risk column.
        (0..area.height)
            .flat_map(|y| (0..area.width.saturating_sub(3)).map(move |x| (x, y)))
            .find(|&(x, y)| {
                (0..4).map(|i| buf[(x + i, y)].symbol()).collect::<String>() == "high" && y > 5
            })
            .map(|(x, y)| buf[(x, y)].style())
            .expect("a high-risk cell")
    };
    let plain = find_high(Theme::plain());
    assert!(
        matches!(plain.fg, None | Some(ratatui::style::Color::Reset)),
        "NO_COLOR must not use colours"
    );
    assert!(
        plain.add_modifier.contains(Modifier::REVERSED)
            || plain.add_modifier.contains(Modifier::BOLD)
    );
    let colored = find_high(Theme::colored());
    assert_eq!(colored.fg, Some(ratatui::style::Color::Red));
}
