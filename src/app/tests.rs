//! `App::update` tests: plain function calls, no runtime.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::testkit::{ch, find_suspect, key, window};
use super::*;
use crate::graph::models::{RiskyUser, SignIn};

fn sign_in(i: u32) -> SignIn {
    SignIn {
        id: format!("s{i}").into(),
        user_id: "u1".into(),
        created_date_time: Some(
            Utc.with_ymd_and_hms(2026, 11, 19, 12, 0, 0).unwrap()
                - chrono::Duration::minutes(i64::from(i)),
        ),
        ..SignIn::default()
    }
}

/// An app with the suspect found; returns it and the pane requests in `PaneId::ALL` order.
fn loaded() -> (App, Vec<RequestId>) {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(80, 24));
    let user = User {
        id: "u1".into(),
        ..User::default()
    };
    let cmds = find_suspect(&mut app, "alice@contoso.com", user);
    let reqs = cmds
        .iter()
        .map(|c| match c {
            Command::LoadPane { req, user_id, .. } => {
                assert_eq!(user_id, "u1");
                *req
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    (app, reqs)
}

fn page(req: RequestId, page_no: usize, range: std::ops::Range<u32>, has_more: bool) -> Msg {
    Msg::Worker(WorkerEvent::SignInPage {
        req,
        page_no,
        items: range.map(sign_in).collect(),
        has_more,
    })
}

fn forbidden() -> SourceError {
    SourceError {
        status: Some(403),
        code: Some("Authorization_RequestDenied".into()),
        message: "Insufficient privileges".into(),
        request_id: Some("r-1".into()),
    }
}

#[test]
fn suspect_lookup_starts_every_pane_once() {
    let (app, reqs) = loaded();
    // Timeline and Indicators are derived: only the six loaded panes are asked for.
    assert_eq!(reqs.len(), 6);
    let mut unique = reqs.clone();
    unique.dedup();
    assert_eq!(unique.len(), 6);
    assert!(app.is_busy());
    assert!(matches!(app.suspect, Suspect::Found(_)));
}

#[test]
fn prompt_typing_and_submit() {
    let mut app = App::new(window(), Theme::plain());
    assert!(app.start(None).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    // Empty submit is refused with a complaint.
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    // 'q' is typed, not quit.
    for c in "q@x.io".chars() {
        assert!(app.update(ch(c)).is_empty());
    }
    assert!(!app.should_quit());
    let cmds = app.update(key(KeyCode::Enter));
    assert!(matches!(&cmds[..], [Command::LoadSuspect { query, .. }] if query == "q@x.io"));
    assert_eq!(app.context(), Context::Pane);
}

#[test]
fn pane_switching() {
    let (mut app, _) = loaded();
    assert_eq!(app.focus, PaneId::SignIns);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus, PaneId::Risk);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(app.focus, PaneId::Indicators);
    app.update(ch('3'));
    assert_eq!(app.focus, PaneId::Methods);
    app.update(ch('1'));
    assert_eq!(app.focus, PaneId::SignIns);
}

#[test]
fn pages_append_in_order_and_movement_is_bounded() {
    let (mut app, reqs) = loaded();
    app.update(page(reqs[0], 1, 0..20, true));
    app.update(page(reqs[0], 2, 20..30, false));
    let data = app.panes.sign_ins.state.data().unwrap();
    let ids: Vec<&str> = data.rows.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"s0"));
    assert_eq!(ids.last(), Some(&"s29"));
    assert!(
        data.rows
            .windows(2)
            .all(|w| w[0].created_date_time >= w[1].created_date_time)
    );
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req: reqs[0] }));
    assert!(matches!(app.panes.sign_ins.state, Loadable::Ready(_)));

    app.update(ch('k'));
    assert_eq!(app.panes.sign_ins.view.selected, 0);
    app.update(ch('G'));
    assert_eq!(app.panes.sign_ins.view.selected, 29);
    app.update(ch('j'));
    assert_eq!(app.panes.sign_ins.view.selected, 29);
    let rows = app.body_rows();
    assert!(app.panes.sign_ins.view.offset + rows > 29);
    app.update(key(KeyCode::PageUp));
    assert_eq!(app.panes.sign_ins.view.selected, 29 - rows);
    app.update(key(KeyCode::Home));
    assert_eq!(app.panes.sign_ins.view, ListView::default());
}

#[test]
fn stale_replies_are_ignored() {
    let (mut app, reqs) = loaded();
    let gen_before = app.generation();
    let stale = RequestId(reqs[0].0 + 1000);
    assert!(app.update(page(stale, 1, 0..5, false)).is_empty());
    assert_eq!(app.panes.len(PaneId::SignIns), 0);
    assert_eq!(
        app.generation(),
        gen_before,
        "a stale reply must not redraw"
    );
    // A reload replaces the request: replies to the old one are now stale.
    app.update(page(reqs[0], 1, 0..3, true));
    let cmds = app.update(ch('r'));
    let [Command::LoadPane { req: new, .. }] = cmds[..] else {
        panic!("reload should load the pane: {cmds:?}");
    };
    assert_ne!(new, reqs[0]);
    assert_eq!(app.panes.len(PaneId::SignIns), 0);
    app.update(page(reqs[0], 2, 3..6, false));
    assert_eq!(app.panes.len(PaneId::SignIns), 0);
    app.update(page(new, 1, 0..2, false));
    assert_eq!(app.panes.len(PaneId::SignIns), 2);
}

#[test]
fn failure_keeps_partial_rows_marked_incomplete() {
    let (mut app, reqs) = loaded();
    app.update(page(reqs[0], 1, 0..7, true));
    app.update(Msg::Worker(WorkerEvent::Failed {
        req: reqs[0],
        pane: PaneId::SignIns,
        part: crate::worker::part::SIGN_INS,
        error: forbidden(),
    }));
    match &app.panes.sign_ins.state {
        Loadable::Failed { data, error } => {
            assert_eq!(data.len(), 7);
            assert_eq!(error.status, Some(403));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn risk_parts_complete_the_pane() {
    let (mut app, reqs) = loaded();
    let r = reqs[1];
    app.update(Msg::Worker(WorkerEvent::RiskyUser {
        req: r,
        user: Some(Box::new(RiskyUser::default())),
    }));
    app.update(Msg::Worker(WorkerEvent::RiskHistory {
        req: r,
        items: vec![],
    }));
    assert!(app.panes.risk.state.is_loading());
    app.update(Msg::Worker(WorkerEvent::Failed {
        req: r,
        pane: PaneId::Risk,
        part: crate::worker::part::DETECTIONS,
        error: forbidden(),
    }));
    match &app.panes.risk.state {
        Loadable::Failed { data, .. } => assert!(data.user.is_some()),
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[test]
fn enter_opens_detail_and_esc_closes() {
    let (mut app, reqs) = loaded();
    // Nothing to show yet: Enter does nothing.
    app.update(key(KeyCode::Enter));
    assert!(app.overlays.is_empty());
    app.update(page(reqs[0], 1, 0..3, false));
    app.update(ch('j'));
    app.update(key(KeyCode::Enter));
    match app.overlays.last() {
        Some(Overlay::Detail(d)) => {
            assert!(d.lines.iter().any(|(k, v)| k == "id" && v == "s1"));
        }
        other => panic!("expected detail, got {other:?}"),
    }
    assert_eq!(app.context(), Context::Detail);
    app.update(ch('j'));
    app.update(key(KeyCode::Esc));
    assert!(app.overlays.is_empty());
    // Help opens and closes the same way; Esc on the panes does nothing.
    app.update(ch('?'));
    assert_eq!(app.context(), Context::Help);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.context(), Context::Pane);
    assert!(app.update(key(KeyCode::Esc)).is_empty());
}

#[test]
fn q_quits_and_unbound_keys_change_nothing() {
    let (mut app, _) = loaded();
    let g = app.generation();
    assert!(app.update(ch('x')).is_empty());
    assert_eq!(app.generation(), g);
    assert_eq!(app.update(ch('q')), vec![Command::Quit]);
    assert!(app.should_quit());
}

#[test]
fn ticks_only_matter_while_loading() {
    let mut app = App::new(window(), Theme::plain());
    let g = app.generation();
    app.update(Msg::Tick);
    assert_eq!((app.spinner, app.generation()), (0, g));
    app.start(Some("a@b.c"));
    app.update(Msg::Tick);
    assert_eq!(app.spinner, 1);
}

#[test]
fn suspect_not_found_shows_error_and_allows_retry() {
    let mut app = App::new(window(), Theme::plain());
    let cmds = app.start(Some("ghost@contoso.com"));
    let Command::LoadSuspect { req, .. } = cmds[0] else {
        panic!()
    };
    app.update(Msg::Worker(WorkerEvent::SuspectFailed {
        req,
        error: SourceError {
            status: Some(404),
            ..SourceError::default()
        },
    }));
    assert_eq!(app.context(), Context::Error);
    app.update(ch('u'));
    assert_eq!(app.context(), Context::Prompt);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_key() -> impl Strategy<Value = Msg> {
        prop_oneof![
            prop::sample::select(vec![
                'j', 'k', 'g', 'G', 'r', 'u', '?', '1', '2', '3', '4', 'a'
            ])
            .prop_map(ch),
            prop::sample::select(vec![
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::PageDown,
                KeyCode::PageUp,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Up,
                KeyCode::Down,
            ])
            .prop_map(key),
            (1u16..200, 1u16..80).prop_map(|(w, h)| Msg::Resize(w, h)),
        ]
    }

    proptest! {
        #[test]
        fn random_keys_never_panic(keys in prop::collection::vec(any_key(), 0..60)) {
            let (mut app, reqs) = loaded();
            app.update(page(reqs[0], 1, 0..15, false));
            for k in keys {
                app.update(k);
                let len = app.panes.len(app.focus);
                prop_assert!(app.panes.view(app.focus).selected <= len.saturating_sub(1));
            }
        }
    }
}
