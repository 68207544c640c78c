//! Containment `update` tests: read-only by default, no change without the dialog, Esc never
//! changes anything (a property over random key sequences), UPN typing for grave plans,
//! secrets shown once and never in `Debug`; and insta snapshots of every dialog and the
//! playbook.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use super::contain::{Mode, Targets};
use super::contain_menu::Entry;
use super::testkit::window;
use super::*;
use crate::contain::secret::SecretKind;
use crate::contain::task::{ContainCommand, ContainEvent};
use crate::contain::{ActionReport, DangerousAction, Outcome, Secret};
use crate::graph::models::{AuthMethod, MessageRule, OAuth2PermissionGrant, SignIn};
use crate::overlay::confirm::Button;

const UPN: &str = "alice@contoso.com";
const FAKE_SECRET: &str = "FAKE-Secret-0000";

fn k(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    k(KeyCode::Char(c))
}

/// Alice with methods, a grant, two sign-ins and (when `mode` is not read-only) rules loaded.
fn app(mode: Mode) -> App {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(120, 36));
    let user: User = serde_json::from_value(json!({
        "id": "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e", "displayName": "Alice Example",
        "userPrincipalName": UPN, "accountEnabled": true
    }))
    .unwrap();
    let cmds = super::testkit::find_suspect(&mut app, UPN, user);
    let reqs: Vec<RequestId> = cmds
        .iter()
        .map(|c| match c {
            Command::LoadPane { req, .. } => *req,
            other => panic!("{other:?}"),
        })
        .collect();
    let methods = [
        json!({"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": "28c10230-6103-485e-b985-444c60001490"}),
        json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": "3179e48a-750b-4051-897c-87b9720928f7", "phoneType": "mobile", "phoneNumber": "+31 612345678"}),
        json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "f33dd2e3", "displayName": "Pixel 7 Pro"}),
        json!({"@odata.type": "#microsoft.graph.quantumAuthenticationMethod", "id": "q-1"}),
    ]
    .into_iter()
    .map(AuthMethod::from_value)
    .collect();
    app.update(Msg::Worker(WorkerEvent::Methods {
        req: reqs[2],
        methods,
    }));
    let grant: OAuth2PermissionGrant = serde_json::from_value(json!({
        "id": "grant-1", "clientId": "sp-mail-sync", "consentType": "Principal",
        "principalId": "3f2a6d1e", "resourceId": "sp-graph", "scope": "openid Mail.ReadWrite offline_access"
    }))
    .unwrap();
    app.update(Msg::Worker(WorkerEvent::Grants {
        req: reqs[3],
        grants: vec![grant],
        principals: vec![],
    }));
    let rows: Vec<SignIn> = (0..2)
        .map(|i| SignIn {
            id: format!("sign-in-{i}").into(),
            user_id: "u".into(),
            ..SignIn::default()
        })
        .collect();
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req: reqs[0],
        page_no: 1,
        items: rows,
        has_more: false,
    }));
    app.contain.mode = mode;
    if mode != Mode::ReadOnly {
        let rule: MessageRule = serde_json::from_value(json!({
            "id": "AQAAAPLioYs=", "displayName": ".", "isEnabled": true
        }))
        .unwrap();
        app.contain.targets = Targets::Ready(vec![rule]);
        app.contain.default_method = Some("push".into());
    }
    app
}

fn is_mutate(c: &Command) -> bool {
    matches!(c, Command::Contain(ContainCommand::Mutate { .. }))
}

/// Opens the action list and the dialog of the entry whose action is `name`.
fn open_dialog(app: &mut App, name: &str) {
    let cmds = app.update(ch('a'));
    assert!(!cmds.iter().any(is_mutate));
    let Some(Overlay::Actions(v)) = app.overlays.last() else {
        panic!("no action list")
    };
    let i = v
        .entries
        .iter()
        .position(|e| matches!(e, Entry::Plan { plan, .. } if plan.actions.len() == 1 && plan.actions[0].name() == name))
        .unwrap_or_else(|| panic!("no entry {name}"));
    let sel = v.selected;
    for _ in sel..i {
        app.update(ch('j'));
    }
    assert!(
        app.update(k(KeyCode::Enter)).is_empty(),
        "opening a dialog sends nothing"
    );
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))));
}

fn confirm_view(app: &App) -> &crate::overlay::confirm::ConfirmView {
    match app.overlays.last() {
        Some(Overlay::Confirm(c)) => c,
        _ => panic!("no dialog"),
    }
}

#[test]
fn read_only_by_default_containment_keys_do_nothing_and_are_hidden() {
    let mut app = app(Mode::ReadOnly);
    for c in ['a', 'P', 'x'] {
        assert!(app.update(ch(c)).is_empty());
        assert!(
            app.overlays.is_empty(),
            "{c} opened something while read-only"
        );
    }
    assert!(super::contain::extra_hints(&app).is_empty());
    assert_eq!(super::contain::badge(&app), " READ-ONLY ");
    // C asks first; the dialog starts on Cancel, so Enter keeps the session read-only.
    app.update(ch('C'));
    assert_eq!(confirm_view(&app).focus(), Button::Cancel);
    assert!(app.update(k(KeyCode::Enter)).is_empty());
    assert_eq!(app.contain.mode, Mode::ReadOnly);
    app.update(ch('C'));
    app.update(k(KeyCode::Tab));
    assert!(app.update(k(KeyCode::Enter)).is_empty());
    assert_eq!(app.contain.mode, Mode::On);
    assert_eq!(super::contain::badge(&app), " CONTAINMENT ON ");
    assert!(!super::contain::extra_hints(&app).is_empty());
}

#[test]
fn command_mode_message_asks_too() {
    let mut app = app(Mode::ReadOnly);
    assert!(app.update(Msg::EnableContainment).is_empty());
    assert!(matches!(app.overlays.last(), Some(Overlay::Confirm(_))));
}

#[test]
fn a_change_needs_the_dialog_and_confirm_sends_exactly_one() {
    let mut app = app(Mode::On);
    open_dialog(&mut app, "revoke_sessions");
    assert_eq!(confirm_view(&app).focus(), Button::Cancel);
    // Enter on Cancel: closes, sends nothing.
    assert!(app.update(k(KeyCode::Enter)).is_empty());
    assert!(matches!(app.overlays.last(), Some(Overlay::Actions(_))));
    app.update(k(KeyCode::Esc));
    open_dialog(&mut app, "revoke_sessions");
    for esc in [k(KeyCode::Esc), ch('n')] {
        assert!(app.update(esc).is_empty());
        app.update(k(KeyCode::Esc));
        open_dialog(&mut app, "revoke_sessions");
    }
    app.update(k(KeyCode::Tab));
    let cmds = app.update(k(KeyCode::Enter));
    assert_eq!(cmds.len(), 1);
    let Command::Contain(ContainCommand::Mutate { confirmed, .. }) = &cmds[0] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        confirmed.plan().actions,
        vec![DangerousAction::RevokeSessions]
    );
    assert!(!confirmed.plan().dry_run);
}

#[test]
fn grave_actions_need_the_upn_typed() {
    let mut app = app(Mode::On);
    open_dialog(&mut app, "block_sign_in");
    assert_eq!(app.context(), Context::ConfirmTyping);
    app.update(k(KeyCode::Tab));
    assert!(app.update(k(KeyCode::Enter)).is_empty(), "no UPN yet");
    // 'n' is typed into the field here, not a cancel.
    for c in "alice@contoso.con".chars() {
        assert!(app.update(ch(c)).is_empty());
    }
    assert!(app.update(k(KeyCode::Enter)).is_empty(), "wrong UPN");
    app.update(k(KeyCode::Backspace));
    app.update(ch('m'));
    let cmds = app.update(k(KeyCode::Enter));
    assert!(matches!(&cmds[..], [c] if is_mutate(c)), "{cmds:?}");
}

#[test]
fn dry_run_plans_are_marked_and_run_all_asks_once() {
    let mut app = app(Mode::DryRun);
    app.update(ch('P'));
    app.update(ch('R'));
    let c = confirm_view(&app);
    assert!(c.needs_upn(), "a bulk plan asks for the UPN");
    let crate::overlay::confirm::Question::Plan(p) = &c.question else {
        panic!()
    };
    assert!(p.dry_run && p.actions.len() > 5);
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("quantumAuthenticationMethod"))
    );
}

#[test]
fn secrets_are_shown_once_copied_through_the_runtime_and_never_in_debug() {
    let mut app = app(Mode::On);
    open_dialog(&mut app, "issue_tap");
    app.update(k(KeyCode::Tab));
    let cmds = app.update(k(KeyCode::Enter));
    let Command::Contain(ContainCommand::Mutate { req, .. }) = cmds[0] else {
        panic!()
    };
    let report = ActionReport {
        action: super::contain_menu::DEFAULT_TAP,
        request: "POST /v1.0/users/u/authentication/temporaryAccessPassMethods".into(),
        body: None,
        outcome: Outcome::Verified("the Temporary Access Pass is registered".into()),
    };
    let secret = Secret::new(SecretKind::TemporaryAccessPass, FAKE_SECRET.into());
    app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::Action {
        req,
        index: 0,
        report: Box::new(report),
        secret: Some(secret),
    })));
    assert_eq!(app.context(), Context::Secret);
    assert!(!format!("{app:?}").contains(FAKE_SECRET));
    app.update(ch('c'));
    let copied = app.take_clipboard().expect("copy requested");
    assert_eq!(copied.expose(), FAKE_SECRET);
    assert!(app.take_clipboard().is_none());
    app.update(k(KeyCode::Esc));
    assert!(!matches!(app.overlays.last(), Some(Overlay::Secret(_))));
    app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::PlanDone {
        req,
    })));
    assert!(matches!(
        app.contain.steps[crate::contain::Step::IssueTap.index()],
        crate::contain::StepState::Done(_)
    ));
}

#[test]
fn marks_select_sign_ins_for_risk_actions() {
    let mut app = app(Mode::On);
    app.update(ch('x'));
    app.update(ch('j'));
    app.update(ch('x'));
    assert_eq!(app.contain.marked.len(), 2);
    let screen: String = draw(&app, 120, 36)
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert_eq!(
        screen.matches('⚑').count(),
        2,
        "marked rows are flagged in the timeline"
    );
    open_dialog(&mut app, "confirm_sign_ins_compromised");
    let crate::overlay::confirm::Question::Plan(p) = &confirm_view(&app).question else {
        panic!()
    };
    assert_eq!(
        p.actions[0],
        DangerousAction::ConfirmSignInsCompromised(vec!["sign-in-0".into(), "sign-in-1".into()])
    );
}

fn kev(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let chars = "aPxCjksRcn12q@.lmo"
        .chars()
        .map(|c| Just(kev(KeyCode::Char(c))))
        .collect::<Vec<_>>();
    prop_oneof![
        4 => prop::sample::select(vec![
            kev(KeyCode::Tab),
            kev(KeyCode::Enter),
            kev(KeyCode::Esc),
            kev(KeyCode::Backspace),
            kev(KeyCode::BackTab),
        ]),
        6 => prop::strategy::Union::new(chars),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_mutate_passed_a_confirm_and_esc_never_sends(
        keys in prop::collection::vec(key_strategy(), 1..80),
        start_on in any::<bool>(),
        upn_first in any::<bool>(),
    ) {
        let mut app = app(if start_on { Mode::On } else { Mode::ReadOnly });
        for (i, key) in keys.into_iter().enumerate() {
            let msg = Msg::Key(key);
            if upn_first && i == 3 && let Some(Overlay::Confirm(c)) = app.overlays.last_mut() {
                c.type_text(UPN);
            }
            let is_enter = matches!(&msg, Msg::Key(k) if k.code == KeyCode::Enter);
            let is_esc = matches!(&msg, Msg::Key(k) if k.code == KeyCode::Esc);
            let armed = is_enter && matches!(
                app.overlays.last(),
                Some(Overlay::Confirm(c)) if c.focus() == Button::Confirm && c.can_confirm()
                    && matches!(c.question, crate::overlay::confirm::Question::Plan(_))
            );
            let cmds = app.update(msg);
            let mutates = cmds.iter().filter(|c| is_mutate(c)).count();
            prop_assert!(mutates == 0 || (armed && mutates == 1), "mutate without a confirm");
            if is_esc {
                prop_assert!(cmds.is_empty(), "Esc sent {cmds:?}");
            }
            if app.should_quit() {
                break;
            }
        }
    }
}

// ---- snapshots ----

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| crate::ui::render(app, f)).unwrap();
    term
}

#[test]
fn snapshot_every_confirm_dialog() {
    let names = [
        "revoke_sessions",
        "reset_password",
        "reset_password_profile",
        "issue_tap",
        "remove_method",
        "remove_grant",
        "narrow_grant",
        "disable_rule",
        "delete_rule",
        "block_sign_in",
        "enable_sign_in",
        "confirm_user_compromised",
        "confirm_user_safe",
        "dismiss_user_risk",
        "confirm_sign_ins_compromised",
        "confirm_sign_ins_safe",
    ];
    for name in names {
        let mut app = app(Mode::On);
        if name.starts_with("confirm_sign_ins") {
            app.update(ch('x'));
        }
        open_dialog(&mut app, name);
        insta::assert_snapshot!(
            format!("contain__confirm_{name}_120x36"),
            draw(&app, 120, 36).backend()
        );
    }
    let mut app = app(Mode::On);
    open_dialog(&mut app, "revoke_sessions");
    insta::assert_snapshot!(
        "contain__confirm_revoke_sessions_80x24",
        draw(&app, 80, 24).backend()
    );
}

#[test]
fn snapshot_bulk_upn_typing_secret_enable_and_playbook() {
    let mut app = app(Mode::On);
    app.update(ch('a'));
    // "Remove all … methods" is the bulk entry.
    let Some(Overlay::Actions(v)) = app.overlays.last() else {
        panic!()
    };
    insta::assert_snapshot!("contain__actions_120x36", draw(&app, 120, 36).backend());
    let i = v
        .entries
        .iter()
        .position(|e| matches!(e, Entry::Plan { plan, .. } if plan.actions.len() > 1))
        .unwrap();
    for _ in v.selected..i {
        app.update(ch('j'));
    }
    app.update(k(KeyCode::Enter));
    insta::assert_snapshot!(
        "contain__confirm_remove_all_methods_120x36",
        draw(&app, 120, 36).backend()
    );
    for c in "alice@con".chars() {
        app.update(ch(c));
    }
    app.update(k(KeyCode::Tab));
    app.update(k(KeyCode::Enter));
    insta::assert_snapshot!(
        "contain__confirm_upn_typing_120x36",
        draw(&app, 120, 36).backend()
    );

    let mut app = self::app(Mode::On);
    let secret = Secret::new(SecretKind::Password, FAKE_SECRET.into());
    app.overlays
        .push(Overlay::Secret(crate::overlay::secret::SecretView {
            secret,
            for_whom: "Alice Example <alice@contoso.com>".into(),
            copied: false,
        }));
    insta::assert_snapshot!("contain__secret_120x36", draw(&app, 120, 36).backend());

    let mut app = self::app(Mode::ReadOnly);
    app.update(ch('C'));
    insta::assert_snapshot!("contain__enable_120x36", draw(&app, 120, 36).backend());

    let mut app = self::app(Mode::On);
    app.update(ch('P'));
    app.contain.steps[0] = crate::contain::StepState::Done("4 objects saved".into());
    app.contain.steps[1] = crate::contain::StepState::Done(
        "done (verified: signInSessionsValidFromDateTime moved)".into(),
    );
    app.contain.steps[2] =
        crate::contain::StepState::Failed("failed: 403 Authorization_RequestDenied".into());
    app.contain.steps[3] = crate::contain::StepState::Skipped;
    app.contain.reports.push(ActionReport {
        action: DangerousAction::RevokeSessions,
        request: "POST /v1.0/users/3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e/revokeSignInSessions"
            .into(),
        body: None,
        outcome: Outcome::Verified(
            "signInSessionsValidFromDateTime moved to 2026-11-20T12:00:00Z".into(),
        ),
    });
    insta::assert_snapshot!("contain__playbook_120x36", draw(&app, 120, 36).backend());
    insta::assert_snapshot!("contain__playbook_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn every_containment_context_has_hints_and_a_way_out() {
    for ctx in [
        Context::Confirm,
        Context::ConfirmTyping,
        Context::Secret,
        Context::Actions,
        Context::Playbook,
    ] {
        assert!(keymap::hints(ctx).count() > 0, "{ctx:?} has no hints");
        assert!(
            keymap::help(ctx).any(|b| matches!(
                b.intent,
                Intent::Contain(crate::contain::intent::ContainIntent::Cancel)
            )),
            "{ctx:?} cannot be left"
        );
    }
    assert!(keymap::hints(Context::Containment).count() > 0);
}

#[test]
fn failed_and_unknown_outcomes_mark_the_step_failed() {
    let mut app = app(Mode::On);
    app.update(ch('P'));
    app.update(ch('j'));
    app.update(k(KeyCode::Enter));
    app.update(k(KeyCode::Tab));
    let cmds = app.update(k(KeyCode::Enter));
    let Command::Contain(ContainCommand::Mutate { req, .. }) = cmds[0] else {
        panic!("{cmds:?}")
    };
    let report = ActionReport {
        action: DangerousAction::RevokeSessions,
        request: "POST /v1.0/users/u/revokeSignInSessions".into(),
        body: None,
        outcome: Outcome::Unknown("timeout after 60 s; not re-sent".into()),
    };
    app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::Action {
        req,
        index: 0,
        report: Box::new(report),
        secret: None,
    })));
    let cmds = app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::PlanDone {
        req,
    })));
    assert!(
        cmds.is_empty(),
        "nothing is re-sent after an unknown outcome: {cmds:?}"
    );
    let st = &app.contain.steps[crate::contain::Step::Revoke.index()];
    assert!(
        matches!(st, crate::contain::StepState::Failed(s) if s.contains("unknown")),
        "{st:?}"
    );
    // A stale reply changes nothing.
    let stale = app.update(Msg::Worker(WorkerEvent::Contain(ContainEvent::PlanDone {
        req,
    })));
    assert!(stale.is_empty());
}
