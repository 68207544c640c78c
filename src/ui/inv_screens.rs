//! Snapshots of the investigation panes (Rules, Audit, Timeline, Indicators) in their
//! ready, empty and failed states at 120×36 and 80×24, the Rules pane's 403 explanation,
//! the non-interactive toggle and the pivot overlay. Spinner frozen (no ticks).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::analysis::testkit::{baseline_nl, located, ok, tm, window};
use crate::app::{App, Msg};
use crate::graph::models::*;
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::worker::part;
use crate::worker::source::SourceError;

#[derive(Clone, Copy)]
enum State {
    Ready,
    Empty,
    Failed,
}

fn ch(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn ev(app: &mut App, e: WorkerEvent) -> Vec<Command> {
    app.update(Msg::Worker(e))
}

fn sign_ins() -> Vec<SignIn> {
    let mut b = located(
        ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
        "Lagos",
        6.45,
        3.39,
    );
    b.app_display_name = "OfficeHome".into();
    vec![
        located(
            ok("c", tm(2, 9, 0), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.9,
        ),
        b,
        located(
            ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.9,
        ),
    ]
}

fn rules() -> (Vec<MessageRule>, Vec<MailFolder>) {
    let rules = serde_json::from_value(serde_json::json!([
        {"id": "r1", "displayName": ".", "sequence": 1, "isEnabled": true,
         "actions": {"forwardTo": [{"emailAddress": {"address": "drop@evil.example"}}],
                     "stopProcessingRules": true}},
        {"id": "r2", "displayName": "..", "sequence": 2, "isEnabled": true,
         "conditions": {"bodyOrSubjectContains": ["invoice", "payment"]},
         "actions": {"moveToFolder": "f-rss", "markAsRead": true}},
        {"id": "r3", "displayName": "Sync\u{1b}[2J Settings", "sequence": 3, "isEnabled": false,
         "isReadOnly": true},
        {"id": "r4", "displayName": "Expense reports", "sequence": 4, "isEnabled": true,
         "conditions": {"subjectContains": ["Expense report"]},
         "actions": {"forwardTo": [{"emailAddress": {"address": "henk@contoso.com"}}]}}
    ]))
    .unwrap();
    let folders = vec![MailFolder {
        id: "f-rss".into(),
        display_name: "RSS Subscriptions".into(),
        total_item_count: Some(0),
        ..MailFolder::default()
    }];
    (rules, folders)
}

fn audits() -> Vec<DirectoryAudit> {
    serde_json::from_value(serde_json::json!([
        {"id": "au1", "activityDateTime": tm(1, 9, 50), "activityDisplayName": "User registered security info",
         "category": "UserManagement", "result": "success",
         "initiatedBy": {"user": {"id": "u1", "userPrincipalName": "alice@contoso.com"}},
         "targetResources": [{"id": "u1", "userPrincipalName": "alice@contoso.com",
            "modifiedProperties": [{"displayName": "StrongAuthenticationMethod", "oldValue": "[]", "newValue": "[\"PhoneAppNotification\"]"}]}]},
        {"id": "au2", "activityDateTime": tm(1, 10, 5), "activityDisplayName": "Consent to application",
         "category": "ApplicationManagement", "result": "failure",
         "initiatedBy": {"user": {"id": "u1", "userPrincipalName": "alice@contoso.com"}},
         "targetResources": [{"id": "sp-mail", "displayName": "Mail Sync Pro"}]},
        {"id": "au3", "activityDateTime": tm(3, 8, 0), "activityDisplayName": "Reset password (by admin)",
         "category": "UserManagement", "result": "success",
         "initiatedBy": {"app": {"displayName": "Azure AD PowerShell"}},
         "targetResources": [{"id": "u1", "userPrincipalName": "alice@contoso.com"}]}
    ]))
    .unwrap()
}

fn methods() -> Vec<AuthMethod> {
    methods_from_page(&serde_json::json!({"value": [
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m-new",
         "displayName": "Pixel 7 Pro", "createdDateTime": tm(1, 9, 50).to_rfc3339()}
    ]}))
}

fn denied() -> SourceError {
    SourceError {
        status: Some(403),
        code: Some("ErrorAccessDenied".into()),
        message: "Access is denied. Check credentials and try again.".into(),
        request_id: Some("5e1d-req".into()),
    }
}

fn broken() -> SourceError {
    SourceError {
        status: Some(503),
        code: Some("ServiceUnavailable".into()),
        message: "Service unavailable".into(),
        request_id: None,
    }
}

fn app(w: u16, h: u16, state: State) -> App {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(w, h));
    let cmds = app.start(Some("alice@contoso.com"));
    let Some(Command::LoadSuspect { req, .. }) = cmds.first() else {
        panic!("no lookup");
    };
    let user = User {
        id: "u1".into(),
        display_name: "Alice Example".into(),
        user_principal_name: "alice@contoso.com".into(),
        account_enabled: Some(true),
        ..User::default()
    };
    let cmds = ev(
        &mut app,
        WorkerEvent::SuspectLoaded {
            req: *req,
            user: Box::new(user),
        },
    );
    let req = |p: PaneId| {
        cmds.iter()
            .find_map(|c| match c {
                Command::LoadPane { req, pane, .. } if *pane == p => Some(*req),
                _ => None,
            })
            .unwrap()
    };
    let (si, risk, me, gr, ru, au) = (
        req(PaneId::SignIns),
        req(PaneId::Risk),
        req(PaneId::Methods),
        req(PaneId::Grants),
        req(PaneId::Rules),
        req(PaneId::Audit),
    );
    let fail = |r: RequestId, pane, part, error: SourceError| WorkerEvent::Failed {
        req: r,
        pane,
        part,
        error,
    };
    let ok_state = matches!(state, State::Ready);
    match state {
        State::Ready | State::Empty => {
            let rows = if ok_state { sign_ins() } else { vec![] };
            ev(
                &mut app,
                WorkerEvent::SignInPage {
                    req: si,
                    page_no: 1,
                    items: rows,
                    has_more: false,
                },
            );
            ev(&mut app, WorkerEvent::SignInsDone { req: si });
            let mut ni = located(
                ok("ni1", tm(3, 1, 0), "203.0.113.9", "NG"),
                "Lagos",
                6.45,
                3.39,
            );
            ni.app_display_name = "Office 365 Exchange Online".into();
            ni.is_interactive = Some(false);
            ni.sign_in_event_types = vec!["nonInteractiveUser".into()];
            ev(
                &mut app,
                WorkerEvent::SignInContext {
                    req: si,
                    baseline: if ok_state { baseline_nl(30) } else { vec![] },
                    non_interactive: if ok_state { vec![ni] } else { vec![] },
                    preferences: None,
                    tenant: None,
                    errors: vec![],
                },
            );
            ev(
                &mut app,
                WorkerEvent::RiskyUser {
                    req: risk,
                    user: None,
                },
            );
            ev(
                &mut app,
                WorkerEvent::RiskHistory {
                    req: risk,
                    items: vec![],
                },
            );
            ev(
                &mut app,
                WorkerEvent::Detections {
                    req: risk,
                    items: vec![],
                },
            );
            let m = if ok_state { methods() } else { vec![] };
            ev(
                &mut app,
                WorkerEvent::Methods {
                    req: me,
                    methods: m,
                },
            );
            ev(
                &mut app,
                WorkerEvent::Grants {
                    req: gr,
                    grants: vec![],
                    principals: vec![],
                },
            );
            let (r, f) = if ok_state { rules() } else { (vec![], vec![]) };
            ev(
                &mut app,
                WorkerEvent::Rules {
                    req: ru,
                    rules: r,
                    folders: f,
                },
            );
            let a = if ok_state { audits() } else { vec![] };
            ev(&mut app, WorkerEvent::Audits { req: au, items: a });
        }
        State::Failed => {
            ev(
                &mut app,
                fail(si, PaneId::SignIns, part::SIGN_INS, broken()),
            );
            ev(
                &mut app,
                WorkerEvent::SignInContext {
                    req: si,
                    baseline: vec![],
                    non_interactive: vec![],
                    preferences: None,
                    tenant: None,
                    errors: vec![("non-interactive sign-ins", broken())],
                },
            );
            for p in [part::RISKY_USER, part::RISK_HISTORY, part::DETECTIONS] {
                ev(&mut app, fail(risk, PaneId::Risk, p, broken()));
            }
            ev(&mut app, fail(me, PaneId::Methods, part::METHODS, broken()));
            ev(&mut app, fail(gr, PaneId::Grants, part::GRANTS, broken()));
            ev(
                &mut app,
                WorkerEvent::Rules {
                    req: ru,
                    rules: vec![],
                    folders: vec![],
                },
            );
            ev(&mut app, fail(ru, PaneId::Rules, part::RULES, broken()));
            ev(
                &mut app,
                WorkerEvent::Audits {
                    req: au,
                    items: vec![],
                },
            );
            ev(&mut app, fail(au, PaneId::Audit, part::AUDIT, broken()));
        }
    }
    assert!(!app.is_busy());
    app
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| crate::ui::render(app, f)).unwrap();
    term
}

fn text(term: &Terminal<TestBackend>) -> String {
    term.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

const SIZES: [(u16, u16); 2] = [(120, 36), (80, 24)];

#[test]
fn investigation_panes_in_every_state() {
    let panes = [
        ("rules", '5'),
        ("audit", '6'),
        ("timeline", '7'),
        ("indicators", '8'),
    ];
    let states = [
        ("ready", State::Ready),
        ("empty", State::Empty),
        ("failed", State::Failed),
    ];
    for (w, h) in SIZES {
        for (sname, state) in states {
            for (pname, k) in panes {
                let mut a = app(w, h, state);
                a.update(ch(k));
                let term = draw(&a, w, h);
                let screen = text(&term);
                assert!(!screen.contains('\u{1b}'), "raw escape on screen");
                insta::assert_snapshot!(format!("{pname}__{sname}_{w}x{h}"), term.backend());
            }
        }
    }
}

#[test]
fn rules_403_says_why_and_what_permission_works() {
    for (w, h) in SIZES {
        let mut a = app(w, h, State::Empty);
        a.update(ch('5'));
        let cmds = a.update(ch('r'));
        let [
            Command::LoadPane {
                req,
                pane: PaneId::Rules,
                ..
            },
        ] = &cmds[..]
        else {
            panic!("{cmds:?}");
        };
        let req = *req;
        ev(
            &mut a,
            WorkerEvent::Rules {
                req,
                rules: vec![],
                folders: vec![],
            },
        );
        ev(
            &mut a,
            WorkerEvent::Failed {
                req,
                pane: PaneId::Rules,
                part: part::RULES,
                error: denied(),
            },
        );
        let term = draw(&a, w, h);
        let screen = text(&term);
        assert!(screen.contains("MailboxSettings.Read"), "{screen}");
        insta::assert_snapshot!(format!("rules__access_denied_{w}x{h}"), term.backend());
    }
}

#[test]
fn non_interactive_toggle_and_jump_highlight() {
    for (w, h) in SIZES {
        let mut a = app(w, h, State::Ready);
        a.update(ch('i'));
        let term = draw(&a, w, h);
        assert!(text(&term).contains("incl. non-interactive"));
        insta::assert_snapshot!(format!("signins__non_interactive_{w}x{h}"), term.backend());
    }
}

#[test]
fn pivot_overlay_states() {
    for (w, h) in SIZES {
        let mut a = app(w, h, State::Ready);
        a.update(ch('j'));
        let cmds = a.update(ch('p'));
        let [Command::Pivot { req, ip, .. }] = &cmds[..] else {
            panic!("{cmds:?}");
        };
        let (req, ip) = (*req, ip.clone());
        insta::assert_snapshot!(format!("pivot__loading_{w}x{h}"), draw(&a, w, h).backend());
        let mut bob = ok("x1", tm(1, 10, 26), "203.0.113.7", "NG");
        bob.user_id = "u2".into();
        bob.user_principal_name = "bob@contoso.com".into();
        bob.user_display_name = "Bob Jansen".into();
        let mut bob_fail = bob.clone();
        bob_fail.status.error_code = 50126;
        let mut carol = ok("x2", tm(1, 11, 0), "203.0.113.7", "NG");
        carol.user_id = "u3".into();
        carol.user_principal_name = "carol@contoso.com".into();
        ev(
            &mut a,
            WorkerEvent::PivotSignIns {
                req,
                ip: ip.clone(),
                items: vec![bob, bob_fail, carol],
                error: None,
            },
        );
        insta::assert_snapshot!(format!("pivot__ready_{w}x{h}"), draw(&a, w, h).backend());
        a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        let cmds = a.update(ch('p'));
        let [Command::Pivot { req, .. }] = &cmds[..] else {
            panic!("{cmds:?}");
        };
        ev(
            &mut a,
            WorkerEvent::PivotSignIns {
                req: *req,
                ip: ip.clone(),
                items: vec![],
                error: None,
            },
        );
        insta::assert_snapshot!(format!("pivot__empty_{w}x{h}"), draw(&a, w, h).backend());
        a.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        let cmds = a.update(ch('p'));
        let [Command::Pivot { req, .. }] = &cmds[..] else {
            panic!("{cmds:?}");
        };
        ev(
            &mut a,
            WorkerEvent::PivotSignIns {
                req: *req,
                ip,
                items: vec![],
                error: Some(broken()),
            },
        );
        insta::assert_snapshot!(format!("pivot__failed_{w}x{h}"), draw(&a, w, h).backend());
    }
}
