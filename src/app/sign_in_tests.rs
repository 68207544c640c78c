//! In-console sign-in and pre-flight, as plain `App::update` calls: the signed-out start, the
//! sign-in keys, the mid-session overlay that keeps the panes and retries what failed, panes
//! skipped before any request, and containment refused before its dialog.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::testkit::{ch, find_suspect, key, window};
use crate::app::{App, Loadable, Msg, Suspect};
use crate::auth::Granted;
use crate::graph::models::{SignIn, User};
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::ui::theme::Theme;
use crate::worker::preflight::{Licence, Preflight, ScopeCheck};
use crate::worker::source::SIGN_IN_REQUIRED;

fn ev(e: SignInEvent) -> Msg {
    Msg::Worker(WorkerEvent::SignIn(e))
}

fn alice() -> Box<User> {
    Box::new(User {
        id: "u1".into(),
        user_principal_name: "alice@contoso.com".into(),
        ..User::default()
    })
}

/// Every scope the console asks for.
pub(crate) fn all_scopes() -> Granted {
    Granted::new(
        crate::auth::scopes::GRAPH_SCOPES.iter().map(|(s, _)| *s),
        [],
    )
}

/// The requested scopes without `without`.
pub(crate) fn scopes_without(without: &[&str]) -> Granted {
    Granted::new(
        crate::auth::scopes::GRAPH_SCOPES
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| !without.contains(s)),
        [],
    )
}

pub(crate) fn preflight(granted: Granted, p2: bool) -> Msg {
    Msg::Worker(WorkerEvent::Preflight(Preflight {
        scopes: ScopeCheck::Known(granted),
        licence: Some(Licence { p1: true, p2 }),
    }))
}

fn loads(cmds: &[Command]) -> Vec<PaneId> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::LoadPane { pane, .. } => Some(*pane),
            _ => None,
        })
        .collect()
}

fn sign_in_cmds(cmds: &[Command]) -> Vec<SignInCommand> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SignIn(s) => Some(*s),
            _ => None,
        })
        .collect()
}

fn signed_out() -> App {
    let mut app = App::new(window(), Theme::plain());
    app.signin.available = true;
    app.preflight.wait = true;
    app.update(Msg::Resize(100, 30));
    let cmds = app.start_signed_out(Some("alice@contoso.com"));
    assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Start]);
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Command::LoadSuspect { .. })),
        "nothing is read before the sign-in: {cmds:?}"
    );
    app
}

#[test]
fn signed_out_start_shows_the_code_then_looks_up_the_suspect() {
    let mut app = signed_out();
    assert_eq!(app.context(), crate::keymap::Context::SignIn);
    app.update(ev(SignInEvent::Code {
        user_code: "ABCD2345X".into(),
        verification_uri: "http://127.0.0.1:9/devicelogin".into(),
        left_secs: 900,
    }));
    let view = app.signin.view.as_ref().unwrap();
    assert_eq!(view.step, SignInStep::Waiting);
    assert_eq!(view.user_code.as_deref(), Some("ABCD2345X"));
    app.update(ev(SignInEvent::SlowDown {
        interval_secs: 10,
        left_secs: 880,
    }));
    let view = app.signin.view.as_ref().unwrap();
    assert_eq!((view.slowed_to, view.left_secs), (Some(10), Some(880)));

    // Keys of the panes do nothing here; y copies the code.
    assert!(app.update(ch('u')).is_empty());
    assert!(app.overlays.is_empty());
    app.update(ch('y'));
    assert_eq!(app.take_copy_text().as_deref(), Some("ABCD2345X"));
    assert!(app.signin.view.as_ref().unwrap().copied);
    // esc does not dismiss the start screen (nothing to go back to).
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(app.signin.view.is_some());

    let cmds = app.update(ev(SignInEvent::SignedIn {
        account: Some("analyst@contoso.com".into()),
    }));
    assert!(app.signin.view.is_none());
    assert_eq!(app.analyst.as_ref().unwrap().raw(), "analyst@contoso.com");
    let [Command::LoadSuspect { req, query, .. }] = cmds.as_slice() else {
        panic!("expected the lookup, got {cmds:?}");
    };
    assert_eq!(query, "alice@contoso.com");
    // Found before the pre-flight answer: the panes wait for it.
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req: *req,
        user: alice(),
    }));
    assert!(loads(&cmds).is_empty(), "{cmds:?}");
    let cmds = app.update(preflight(all_scopes(), true));
    assert_eq!(
        loads(&cmds),
        vec![
            PaneId::SignIns,
            PaneId::Risk,
            PaneId::Methods,
            PaneId::Grants,
            PaneId::Audit
        ],
        "every pane but the inbox rules (application permission) loads"
    );
    assert!(app.preflight.skipped(PaneId::Rules).is_some());
}

#[test]
fn expired_and_declined_codes_offer_a_new_one_and_q_quits() {
    let mut app = signed_out();
    for failure in [SignInFailure::Expired, SignInFailure::Declined] {
        app.update(ev(SignInEvent::Failed(failure.clone())));
        assert_eq!(
            app.signin.view.as_ref().unwrap().step,
            SignInStep::Failed(failure)
        );
        // Nothing to copy once the code is dead.
        app.update(ch('y'));
        assert!(app.take_copy_text().is_none());
        let cmds = app.update(ch('r'));
        assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Start]);
        assert_eq!(
            app.signin.view.as_ref().unwrap().step,
            SignInStep::Requesting
        );
    }
    let cmds = app.update(ch('q'));
    assert!(app.should_quit());
    assert_eq!(cmds, vec![Command::Quit]);
}

/// A found suspect with sign-ins loaded (one page) and every pane requested.
fn loaded_session() -> (App, Vec<(PaneId, RequestId)>) {
    let mut app = App::new(window(), Theme::plain());
    app.signin.available = true;
    app.update(Msg::Resize(100, 30));
    let cmds = find_suspect(&mut app, "alice@contoso.com", *alice());
    let reqs: Vec<(PaneId, RequestId)> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::LoadPane { req, pane, .. } => Some((*pane, *req)),
            _ => None,
        })
        .collect();
    let sign_ins = reqs[0].1;
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req: sign_ins,
        page_no: 1,
        items: (0..5)
            .map(|i| SignIn {
                id: format!("s{i}").into(),
                user_id: "u1".into(),
                created_date_time: Some(Utc.with_ymd_and_hms(2026, 11, 19, 12, i, 0).unwrap()),
                ..SignIn::default()
            })
            .collect(),
        has_more: true,
    }));
    (app, reqs)
}

fn token_dead() -> SourceError {
    SourceError {
        code: Some(SIGN_IN_REQUIRED.into()),
        message: "the saved sign-in can no longer be renewed (invalid_grant: AADSTS700082: The refresh token has expired due to inactivity.)".into(),
        ..SourceError::default()
    }
}

#[test]
fn a_dead_token_mid_session_keeps_the_panes_and_retries_what_failed() {
    let (mut app, reqs) = loaded_session();
    let req_of = |p: PaneId| reqs.iter().find(|(q, _)| *q == p).unwrap().1;
    // Page 2 of the sign-ins and the methods fail: the token cannot be renewed.
    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: req_of(PaneId::SignIns),
        pane: PaneId::SignIns,
        part: "sign-ins",
        error: token_dead(),
    }));
    assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Start]);
    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: req_of(PaneId::Methods),
        pane: PaneId::Methods,
        part: "methods",
        error: SourceError {
            status: Some(401),
            code: Some("InvalidAuthenticationToken".into()),
            message: "Access token has expired or is not yet valid.".into(),
            request_id: None,
        },
    }));
    assert!(sign_in_cmds(&cmds).is_empty(), "one sign-in at a time");
    let view = app.signin.view.as_ref().unwrap();
    assert_eq!(view.mode, SignInMode::Resume);
    // What was on screen stays.
    assert_eq!(app.panes.len(PaneId::SignIns), 5);
    assert!(matches!(app.suspect, Suspect::Found(_)));

    let cmds = app.update(ev(SignInEvent::SignedIn { account: None }));
    assert!(app.signin.view.is_none());
    assert_eq!(
        loads(&cmds),
        vec![PaneId::SignIns, PaneId::Methods],
        "only the loads that failed for the token are retried"
    );
}

#[test]
fn a_forbidden_read_is_not_a_sign_in_and_esc_postpones_it() {
    let (mut app, reqs) = loaded_session();
    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: reqs[2].1,
        pane: PaneId::Methods,
        part: "methods",
        error: SourceError {
            status: Some(403),
            code: Some("Authorization_RequestDenied".into()),
            message: "Insufficient privileges".into(),
            request_id: None,
        },
    }));
    assert!(cmds.is_empty() && app.signin.view.is_none());

    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: RequestId(999),
        pane: PaneId::Grants,
        part: "grants",
        error: token_dead(),
    }));
    assert!(
        sign_in_cmds(&cmds).is_empty(),
        "a stale reply changes nothing"
    );
    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: reqs[3].1,
        pane: PaneId::Grants,
        part: "grants",
        error: token_dead(),
    }));
    assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Start]);
    let cmds = app.update(key(KeyCode::Esc));
    assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Cancel]);
    assert!(app.signin.view.is_none());
}

#[test]
fn without_in_console_sign_in_a_dead_token_stays_an_error() {
    let (mut app, reqs) = loaded_session();
    app.signin.available = false;
    let cmds = app.update(Msg::Worker(WorkerEvent::Failed {
        req: reqs[0].1,
        pane: PaneId::SignIns,
        part: "sign-ins",
        error: token_dead(),
    }));
    assert!(cmds.is_empty());
    assert!(app.signin.view.is_none());
    assert!(matches!(app.panes.sign_ins.state, Loadable::Failed { .. }));
}

#[test]
fn the_suspect_lookup_is_retried_after_sign_in() {
    let mut app = App::new(window(), Theme::plain());
    app.signin.available = true;
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!()
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectFailed {
        req,
        error: token_dead(),
    }));
    assert_eq!(sign_in_cmds(&cmds), vec![SignInCommand::Start]);
    let cmds = app.update(ev(SignInEvent::SignedIn { account: None }));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadSuspect { query, .. }] if query == "alice@contoso.com"),
        "{cmds:?}"
    );
    assert!(app.overlays.is_empty(), "the error overlay is gone");
}

/// A found suspect under pre-flight; returns the panes requested.
pub(crate) fn found_after(pre: Msg) -> (App, Vec<PaneId>) {
    let mut app = App::new(window(), Theme::plain());
    app.preflight.wait = true;
    app.update(Msg::Resize(100, 30));
    let cmds = app.start(Some("alice@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!()
    };
    assert!(app.update(pre).is_empty());
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req,
        user: alice(),
    }));
    (app, loads(&cmds))
}

#[test]
fn a_missing_scope_skips_the_pane_without_a_request_and_names_it() {
    let (mut app, requested) = found_after(preflight(scopes_without(&["AuditLog.Read.All"]), true));
    assert!(!requested.contains(&PaneId::SignIns), "{requested:?}");
    assert!(!requested.contains(&PaneId::Audit), "{requested:?}");
    assert!(requested.contains(&PaneId::Methods));
    let why = app.preflight.skipped(PaneId::SignIns).unwrap();
    assert!(
        why.starts_with("skipped — permission: needs AuditLog.Read.All"),
        "{why}"
    );
    assert!(why.contains("Reports Reader"), "{why}");
    // r on a skipped pane still sends nothing.
    app.update(ch('1'));
    let cmds = app.update(ch('r'));
    assert!(loads(&cmds).is_empty(), "{cmds:?}");
    assert!(matches!(app.panes.sign_ins.state, Loadable::Idle));
    assert_eq!(
        app.coverage(PaneId::SignIns),
        Some(crate::app::preflight::Coverage::Skipped(why_owned(&app)))
    );
}

fn why_owned(app: &App) -> String {
    app.preflight.skipped(PaneId::SignIns).unwrap().to_owned()
}

#[test]
fn no_p2_licence_skips_identity_protection() {
    let (app, requested) = found_after(preflight(all_scopes(), false));
    assert!(!requested.contains(&PaneId::Risk), "{requested:?}");
    assert!(requested.contains(&PaneId::SignIns));
    let why = app.preflight.skipped(PaneId::Risk).unwrap();
    assert_eq!(
        why,
        "skipped — licence: Identity Protection needs Microsoft Entra ID P2"
    );
}

#[test]
fn unreadable_scopes_fall_back_to_loading_everything() {
    let (app, requested) = found_after(Msg::Worker(WorkerEvent::Preflight(Preflight {
        scopes: ScopeCheck::Unknown {
            why: crate::worker::preflight::UNKNOWN_FIXED_TOKEN.into(),
        },
        licence: None,
    })));
    assert_eq!(requested.len(), 6, "{requested:?}");
    assert!(app.preflight.off_note().unwrap().contains("pre-flight off"));
}

#[test]
fn a_containment_action_without_its_scope_never_opens_the_dialog() {
    let (mut app, _) = found_after(preflight(
        scopes_without(&["User.RevokeSessions.All"]),
        true,
    ));
    app.contain.set_mode(true, false);
    app.update(ch('P'));
    app.update(ch('j'));
    let cmds = app.update(key(KeyCode::Enter));
    assert!(cmds.is_empty());
    assert!(
        !app.overlays
            .iter()
            .any(|o| matches!(o, crate::overlay::Overlay::Confirm(_))),
        "no dialog"
    );
    let why = app.preflight.refused.clone().unwrap();
    assert!(
        why.starts_with("Revoke sign-in sessions: not permitted — needs User.RevokeSessions.All · role: User Administrator"),
        "{why}"
    );
    // With the scope, the dialog opens.
    let (mut app, _) = found_after(preflight(all_scopes(), true));
    app.contain.set_mode(true, false);
    app.update(ch('P'));
    app.update(ch('j'));
    app.update(key(KeyCode::Enter));
    assert!(matches!(
        app.overlays.last(),
        Some(crate::overlay::Overlay::Confirm(_))
    ));
}

#[test]
fn every_key_on_the_sign_in_screens_is_safe_and_only_q_quits() {
    let mut keys: Vec<KeyEvent> = (' '..='~')
        .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
        .collect();
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    for k in keys {
        for mode in [SignInMode::Start, SignInMode::Resume] {
            let mut app = match mode {
                SignInMode::Start => signed_out(),
                SignInMode::Resume => {
                    let (mut app, reqs) = loaded_session();
                    app.update(Msg::Worker(WorkerEvent::Failed {
                        req: reqs[0].1,
                        pane: PaneId::SignIns,
                        part: "sign-ins",
                        error: token_dead(),
                    }));
                    app
                }
            };
            app.update(ev(SignInEvent::Code {
                user_code: "ABCD2345X".into(),
                verification_uri: "http://127.0.0.1:9/devicelogin".into(),
                left_secs: 900,
            }));
            let cmds = app.update(Msg::Key(k));
            let quits = k.code == KeyCode::Char('q');
            assert_eq!(app.should_quit(), quits, "{k:?} in {mode:?}");
            // No key reaches the panes or their overlays while the sign-in is up.
            assert!(
                cmds.iter()
                    .all(|c| matches!(c, Command::SignIn(_) | Command::Quit)),
                "{k:?} in {mode:?}: {cmds:?}"
            );
            assert!(app.overlays.is_empty(), "{k:?} in {mode:?}");
        }
    }
}
