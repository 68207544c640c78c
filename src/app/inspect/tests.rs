//! `update()` tests of the investigation flows: analysis after loads, jump to evidence,
//! the non-interactive toggle, pivot and back.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::analysis::testkit::{baseline_nl, located, ok, tm, window};
use crate::app::{App, Msg, Suspect};
use crate::graph::models::{SignIn, User};
use crate::keymap::Context;
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::ui::theme::Theme;

fn ch(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn user(id: &str) -> Box<User> {
    Box::new(User {
        id: id.into(),
        user_principal_name: crate::graph::models::TenantText::new(format!("{id}@contoso.com")),
        ..User::default()
    })
}

/// Looks `id` up and answers; returns the pane requests.
fn open(app: &mut App, cmds: Vec<Command>, id: &str) -> HashMap<PaneId, RequestId> {
    let Some(Command::LoadSuspect { req, .. }) = cmds.first() else {
        panic!("expected LoadSuspect, got {cmds:?}");
    };
    let cmds = app.update(Msg::Worker(WorkerEvent::SuspectLoaded {
        req: *req,
        user: user(id),
    }));
    cmds.into_iter()
        .map(|c| match c {
            Command::LoadPane { req, pane, .. } => (pane, req),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

/// Window sign-ins, newest first: c (Amsterdam, day 2), b (Lagos, 41 min after a), a.
fn window_rows() -> Vec<SignIn> {
    vec![
        located(
            ok("c", tm(2, 9, 0), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.9,
        ),
        located(
            ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
            "Lagos",
            6.45,
            3.39,
        ),
        located(
            ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.9,
        ),
    ]
}

fn ni_row() -> SignIn {
    let mut s = located(
        ok("ni1", tm(3, 1, 0), "203.0.113.9", "NG"),
        "Lagos",
        6.45,
        3.39,
    );
    s.app_display_name = "Office".into();
    s.is_interactive = Some(false);
    s.sign_in_event_types = vec!["nonInteractiveUser".into()];
    s
}

fn loaded() -> (App, HashMap<PaneId, RequestId>) {
    let mut app = App::new(window(), Theme::plain());
    app.update(Msg::Resize(120, 36));
    let cmds = app.start(Some("u1"));
    let reqs = open(&mut app, cmds, "u1");
    let sr = reqs[&PaneId::SignIns];
    app.update(Msg::Worker(WorkerEvent::SignInPage {
        req: sr,
        page_no: 1,
        items: window_rows(),
        has_more: false,
    }));
    app.update(Msg::Worker(WorkerEvent::SignInsDone { req: sr }));
    app.update(Msg::Worker(WorkerEvent::SignInContext {
        req: sr,
        baseline: baseline_nl(30),
        non_interactive: vec![ni_row()],
        preferences: None,
        tenant: None,
        errors: Vec::new(),
    }));
    let methods = crate::graph::models::methods_from_page(&serde_json::json!({"value": [
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "old",
         "displayName": "iPhone 12", "createdDateTime": "2023-01-02T08:00:00Z"},
        {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m-new",
         "displayName": "Pixel 7 Pro", "createdDateTime": tm(1, 9, 50).to_rfc3339()}
    ]}));
    app.update(Msg::Worker(WorkerEvent::Methods {
        req: reqs[&PaneId::Methods],
        methods,
    }));
    (app, reqs)
}

fn finding_index(app: &App, indicator: &str) -> usize {
    let an = app.panes.inv.analysis.as_ref().expect("analysed");
    an.findings
        .iter()
        .position(|f| f.indicator == indicator)
        .unwrap_or_else(|| panic!("no {indicator} in {:?}", an.findings))
}

#[test]
fn each_completed_load_is_analysed_and_summarised() {
    let (app, _) = loaded();
    let an = app.panes.inv.analysis.as_ref().unwrap();
    let ids: Vec<&str> = an.findings.iter().map(|f| f.indicator).collect();
    assert!(ids.contains(&"impossible_travel"), "{ids:?}");
    assert!(ids.contains(&"new_auth_method"), "{ids:?}");
    assert_eq!(an.summary.sign_ins_succeeded, 3);
    assert!(
        app.panes
            .inv
            .is_flagged(crate::analysis::ObjectType::SignIn, "b")
    );
    assert!(
        !app.panes
            .inv
            .is_flagged(crate::analysis::ObjectType::SignIn, "c")
    );
    // Gaps: a failed part shows up as incomplete.
    assert!(app.panes.inv.gaps.is_empty());
}

#[test]
fn a_failed_part_is_a_gap() {
    let (mut app, reqs) = loaded();
    app.update(Msg::Worker(WorkerEvent::Failed {
        req: reqs[&PaneId::Rules],
        pane: PaneId::Rules,
        part: crate::worker::part::RULES,
        error: crate::worker::source::SourceError {
            status: Some(403),
            code: Some("ErrorAccessDenied".into()),
            ..Default::default()
        },
    }));
    assert_eq!(app.panes.inv.gaps.len(), 1);
    assert_eq!(app.panes.inv.gaps[0].part, "inbox rules");
}

#[test]
fn jump_to_evidence_selects_and_highlights_the_flagged_rows() {
    let (mut app, _) = loaded();
    app.update(ch('8'));
    assert_eq!(app.focus, PaneId::Indicators);
    app.panes.inv.indicators_view.selected = finding_index(&app, "impossible_travel");
    app.update(ch('e'));
    assert_eq!(app.focus, PaneId::SignIns);
    assert_eq!(app.panes.sign_ins.view.selected, 1, "row b");
    assert!(app.panes.inv.is_highlighted(PaneId::SignIns, "b"));
    assert!(!app.panes.inv.is_highlighted(PaneId::SignIns, "a"));

    // From the flagged row back to its finding.
    app.update(ch('e'));
    assert_eq!(app.focus, PaneId::Indicators);
    let f =
        &app.panes.inv.analysis.as_ref().unwrap().findings[app.panes.inv.indicators_view.selected];
    assert!(f.flagged().any(|e| e.id == "b"), "{f:?}");

    // Methods: the new method's row, from the detail view too.
    app.panes.inv.indicators_view.selected = finding_index(&app, "new_auth_method");
    app.update(enter());
    assert_eq!(app.context(), Context::Detail);
    app.update(ch('e'));
    assert_eq!(app.context(), Context::Pane);
    assert_eq!(app.focus, PaneId::Methods);
    assert_eq!(app.panes.methods.view.selected, 1);
    assert!(app.panes.inv.is_highlighted(PaneId::Methods, "m-new"));
}

#[test]
fn finding_detail_lists_its_evidence_rows() {
    let (mut app, _) = loaded();
    app.update(ch('8'));
    app.panes.inv.indicators_view.selected = finding_index(&app, "impossible_travel");
    app.update(enter());
    let Some(crate::overlay::Overlay::Detail(d)) = app.overlays.last() else {
        panic!("no detail");
    };
    let text: String = d.lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    assert!(text.contains("⚠ signIn b · "), "{text}");
    assert!(text.contains("203.0.113.7 · Lagos, NG"), "{text}");
}

#[test]
fn toggle_shows_non_interactive_rows_marked() {
    let (mut app, _) = loaded();
    assert_eq!(app.panes.len(PaneId::SignIns), 3);
    app.update(ch('j'));
    app.update(ch('i'));
    assert!(app.panes.inv.show_non_interactive);
    assert_eq!(app.panes.len(PaneId::SignIns), 4);
    // The selected row stays the same sign-in (b), now one further down.
    assert_eq!(app.panes.sign_ins.view.selected, 2);
    let s = app.panes.sign_ins.state.data().unwrap();
    let (row, ni) = app.panes.inv.sign_in_at(s, 0).unwrap();
    assert_eq!((row.id.as_str(), ni), ("ni1", true));
    let d = app.panes.detail(PaneId::SignIns, 0).unwrap();
    assert!(d.title.starts_with("Non-interactive"), "{}", d.title);
    // The timeline shows them too while they are shown.
    assert!(app.panes.inv.timeline.rows.iter().any(|r| r.id == "ni1"));
    app.update(ch('i'));
    assert_eq!(app.panes.len(PaneId::SignIns), 3);
    assert!(!app.panes.inv.timeline.rows.iter().any(|r| r.id == "ni1"));
    // Elsewhere the key does nothing.
    app.update(ch('3'));
    app.update(ch('i'));
    assert!(!app.panes.inv.show_non_interactive);
}

#[test]
fn pivot_lists_other_users_and_opens_one_then_back() {
    let (mut app, _) = loaded();
    app.update(ch('j'));
    let cmds = app.update(ch('p'));
    let [Command::Pivot { req, ip, .. }] = &cmds[..] else {
        panic!("expected Pivot, got {cmds:?}");
    };
    assert_eq!(ip, "203.0.113.7");
    assert_eq!(app.context(), Context::Pivot);
    let mut bob = ok("x1", tm(1, 10, 26), "203.0.113.7", "NG");
    bob.user_id = "u2".into();
    bob.user_principal_name = "bob@contoso.com".into();
    let mut bob_fail = bob.clone();
    bob_fail.id = "x0".into();
    bob_fail.status.error_code = 50126;
    let mine = ok("b", tm(1, 9, 41), "203.0.113.7", "NG");
    // A stale answer is ignored.
    let stale = app.update(Msg::Worker(WorkerEvent::PivotSignIns {
        req: RequestId(req.0 + 99),
        ip: ip.clone(),
        items: vec![bob.clone()],
        error: None,
    }));
    assert!(stale.is_empty());
    app.update(Msg::Worker(WorkerEvent::PivotSignIns {
        req: *req,
        ip: ip.clone(),
        items: vec![mine, bob, bob_fail],
        error: None,
    }));
    let Some(crate::overlay::Overlay::Pivot(p)) = app.overlays.last() else {
        panic!("no pivot");
    };
    let users = p.state.data().unwrap();
    assert_eq!(users.len(), 1, "the suspect is left out");
    assert_eq!((users[0].sign_ins, users[0].failed), (2, 1));
    let cmds = app.update(enter());
    assert!(matches!(&cmds[..], [Command::LoadSuspect { query, .. }] if query == "u2"));
    assert_eq!(app.back, vec!["u1".to_owned()]);
    assert_eq!(app.context(), Context::Pane);
    open(&mut app, cmds, "u2");
    assert!(matches!(&app.suspect, Suspect::Found(u) if u.id == "u2"));
    assert!(
        app.panes.inv.analysis.is_none(),
        "the new suspect starts clean"
    );
    let cmds = app.update(ch('b'));
    assert!(matches!(&cmds[..], [Command::LoadSuspect { query, .. }] if query == "u1"));
    assert!(app.back.is_empty());
    assert!(app.update(ch('b')).is_empty());
}

#[test]
fn derived_panes_are_never_loaded_and_reload_reanalyses() {
    let (mut app, reqs) = loaded();
    assert!(!reqs.contains_key(&PaneId::Timeline) && !reqs.contains_key(&PaneId::Indicators));
    app.update(ch('7'));
    assert!(app.update(ch('r')).is_empty());
    assert!(
        app.panes.len(PaneId::Timeline) >= 4,
        "3 sign-ins and a method"
    );
}
