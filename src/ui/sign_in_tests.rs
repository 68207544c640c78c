//! Screen snapshots (plain theme) of the in-console sign-in — waiting, slow_down, expired,
//! declined, blocked by Conditional Access (AADSTS verbatim), the mid-session overlay over
//! loaded panes — and of pre-flight: a pane skipped for licence, one skipped for a missing
//! scope, a containment action refused before its dialog, the pane summary. At 120×36 and
//! 80×24, and no panic down to 1×1.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::sign_in::tests::{all_scopes, found_after, preflight, scopes_without};
use crate::app::{App, Msg};
use crate::graph::models::SignIn;
use crate::protocol::{Command, PaneId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::window::Window;
use crate::worker::sign_in::{SignInAbout, SignInEvent, SignInFailure};
use crate::worker::source::{SIGN_IN_REQUIRED, SourceError};

const SIZES: [(u16, u16); 2] = [(120, 36), (80, 24)];

fn window() -> Window {
    use chrono::TimeZone;
    let end = chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .unwrap();
    Window {
        start: end - chrono::Duration::days(7),
        end,
    }
}

fn key(app: &mut App, c: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn about() -> SignInAbout {
    SignInAbout {
        profile: "default".into(),
        tenant: "contoso.onmicrosoft.com".into(),
        cloud: "global".into(),
    }
}

fn signed_out(w: u16, h: u16) -> App {
    let mut app = App::new(window(), Theme::plain());
    app.signin.available = true;
    app.signin.about = about();
    app.preflight.wait = true;
    app.update(Msg::Resize(w, h));
    app.start_signed_out(Some("alice@contoso.com"));
    app
}

fn code(app: &mut App) {
    app.update(Msg::Worker(WorkerEvent::SignIn(SignInEvent::Code {
        user_code: "HMQ7KX2PW".into(),
        verification_uri: "https://microsoft.com/devicelogin".into(),
        left_secs: 897,
    })));
}

fn step(app: &mut App, ev: SignInEvent) {
    app.update(Msg::Worker(WorkerEvent::SignIn(ev)));
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

/// Conditional Access refusing the device-code flow, as Entra words it.
fn blocked() -> SignInFailure {
    let ep = crate::auth::Endpoints::resolve(
        crate::auth::Cloud::Global,
        "contoso.onmicrosoft.com",
        None,
        None,
    )
    .unwrap();
    let error = crate::auth::EntraError {
        error: "invalid_grant".into(),
        error_description: Some(
            "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.".into(),
        ),
        error_codes: vec![53003],
        ..Default::default()
    };
    crate::worker::sign_in::failure(&crate::auth::device::rejection(
        "waiting for the code to be approved",
        error,
        &ep,
    ))
}

#[test]
fn sign_in_screen_states() {
    for (w, h) in SIZES {
        let mut a = signed_out(w, h);
        let requesting = text(&draw(&a, w, h));
        assert!(requesting.contains("requesting a code"), "{requesting}");
        code(&mut a);
        let t = draw(&a, w, h);
        let shown = text(&t);
        assert!(shown.contains("H M Q 7 K X 2 P W"), "{shown}");
        assert!(shown.contains("https://microsoft.com/devicelogin"));
        assert!(shown.contains("expires in 14:57"));
        insta::assert_snapshot!(format!("sign_in__waiting_{w}x{h}"), t.backend());

        step(
            &mut a,
            SignInEvent::SlowDown {
                interval_secs: 10,
                left_secs: 842,
            },
        );
        insta::assert_snapshot!(
            format!("sign_in__slow_down_{w}x{h}"),
            draw(&a, w, h).backend()
        );

        for (name, failure) in [
            ("expired", SignInFailure::Expired),
            ("declined", SignInFailure::Declined),
            ("blocked", blocked()),
        ] {
            step(&mut a, SignInEvent::Failed(failure));
            let t = draw(&a, w, h);
            assert!(text(&t).contains("press r for a new code"));
            insta::assert_snapshot!(format!("sign_in__{name}_{w}x{h}"), t.backend());
        }
    }
}

#[test]
fn blocked_sign_in_keeps_aadsts_verbatim_and_suggests_alternatives() {
    let mut a = signed_out(120, 36);
    step(&mut a, SignInEvent::Failed(blocked()));
    let shown = text(&draw(&a, 120, 36));
    assert!(shown.contains("invalid_grant: AADSTS53003:"), "{shown}");
    assert!(
        shown.contains("Access has been blocked by Conditional Access policies"),
        "{shown}"
    );
    assert!(shown.contains("ENTRA_TRIAGE_TOKEN"), "{shown}");
}

/// The suspect with five sign-ins shown and more pages coming.
fn loaded(w: u16, h: u16) -> (App, crate::protocol::RequestId) {
    use chrono::TimeZone;
    let mut app = App::new(window(), Theme::plain());
    app.signin.available = true;
    app.signin.about = about();
    app.tenant = Some("contoso.com".into());
    app.analyst = Some("analyst@contoso.com".into());
    app.update(Msg::Resize(w, h));
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!()
    };
    let user = serde_json::from_value(serde_json::json!({
        "id": "u1", "displayName": "Alice Example", "userPrincipalName": "alice@contoso.com",
        "accountEnabled": true
    }))
    .unwrap();
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: Box::new(user),
    }));
    let Command::LoadPane { req, .. } = cmds[0] else {
        panic!()
    };
    let items = (0..5u32)
        .map(|i| {
            let mut s = SignIn {
                id: format!("s{i}").into(),
                user_id: "u1".into(),
                ip_address: format!("203.0.113.{i}").as_str().into(),
                created_date_time: Some(
                    chrono::Utc.with_ymd_and_hms(2026, 11, 19, 9, i, 0).unwrap(),
                ),
                ..SignIn::default()
            };
            s.app_display_name = "OfficeHome".into();
            s
        })
        .collect();
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no: 1,
        items,
        has_more: true,
    }));
    (app, req)
}

#[test]
fn mid_session_overlay_over_loaded_panes() {
    for (w, h) in SIZES {
        let (mut a, req) = loaded(w, h);
        a.update(Msg::Worker(WorkerEvent::Failed {
            req,
            pane: PaneId::SignIns,
            part: "sign-ins",
            error: SourceError {
                code: Some(SIGN_IN_REQUIRED.into()),
                message: "the saved sign-in can no longer be renewed".into(),
                ..SourceError::default()
            },
        }));
        code(&mut a);
        let t = draw(&a, w, h);
        let shown = text(&t);
        assert!(shown.contains("Sign in again"), "{shown}");
        assert!(shown.contains("H M Q 7 K X 2 P W"), "{shown}");
        insta::assert_snapshot!(format!("sign_in__mid_session_{w}x{h}"), t.backend());
    }
}

#[test]
fn panes_skipped_by_pre_flight() {
    for (w, h) in SIZES {
        let (mut a, _) = found_after(preflight(all_scopes(), false));
        a.update(Msg::Resize(w, h));
        key(&mut a, KeyCode::Char('2'));
        let t = draw(&a, w, h);
        assert!(text(&t).contains("skipped — licence: Identity Protection needs Microsoft Entra"));
        insta::assert_snapshot!(format!("preflight__risk_no_licence_{w}x{h}"), t.backend());

        let (mut a, _) = found_after(preflight(scopes_without(&["AuditLog.Read.All"]), true));
        a.update(Msg::Resize(w, h));
        let t = draw(&a, w, h);
        assert!(text(&t).contains("skipped — permission: needs AuditLog.Read.All"));
        insta::assert_snapshot!(format!("preflight__sign_ins_no_scope_{w}x{h}"), t.backend());

        key(&mut a, KeyCode::Char('8'));
        insta::assert_snapshot!(
            format!("preflight__pane_summary_{w}x{h}"),
            draw(&a, w, h).backend()
        );
    }
}

#[test]
fn containment_refused_before_the_dialog() {
    for (w, h) in SIZES {
        let (mut a, _) = found_after(preflight(
            scopes_without(&["User.RevokeSessions.All"]),
            true,
        ));
        a.update(Msg::Resize(w, h));
        a.contain.set_mode(true, false);
        key(&mut a, KeyCode::Char('P'));
        key(&mut a, KeyCode::Char('j'));
        key(&mut a, KeyCode::Enter);
        let t = draw(&a, w, h);
        assert!(text(&t).contains("Revoke sign-in sessions: not permitted"));
        insta::assert_snapshot!(format!("preflight__revoke_refused_{w}x{h}"), t.backend());
    }
}

#[test]
fn tiny_terminals_never_panic() {
    let mut states: Vec<App> = Vec::new();
    states.push(signed_out(80, 24));
    let mut a = signed_out(80, 24);
    code(&mut a);
    states.push(a);
    let mut a = signed_out(80, 24);
    step(&mut a, SignInEvent::Failed(blocked()));
    states.push(a);
    let (mut b, req) = loaded(80, 24);
    b.update(Msg::Worker(WorkerEvent::Failed {
        req,
        pane: PaneId::SignIns,
        part: "sign-ins",
        error: SourceError {
            status: Some(401),
            ..SourceError::default()
        },
    }));
    code(&mut b);
    states.push(b);
    for app in &mut states {
        for w in [1u16, 2, 5, 13, 40] {
            for h in [1u16, 2, 3, 7, 12] {
                app.update(Msg::Resize(w, h));
                draw(app, w, h);
            }
        }
    }
}
