//! Worker tests against the in-memory tenant.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::fake::FakeTenant;
use super::*;
use crate::graph::models::*;

fn window() -> Window {
    Window {
        start: Utc.with_ymd_and_hms(2026, 11, 13, 0, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap(),
    }
}

fn tenant() -> FakeTenant {
    let user = User {
        id: "u1".into(),
        user_principal_name: "alice@contoso.com".into(),
        ..User::default()
    };
    let sign_ins = (0..5)
        .map(|i| SignIn {
            id: format!("s{i}").into(),
            user_id: "u1".into(),
            created_date_time: Some(Utc.with_ymd_and_hms(2026, 11, 19, 10 - i, 0, 0).unwrap()),
            ..SignIn::default()
        })
        .collect();
    FakeTenant {
        users: vec![user],
        sign_ins,
        page_size: 2,
        grants: vec![OAuth2PermissionGrant {
            id: "g1".into(),
            client_id: "sp-client".into(),
            resource_id: "sp-graph".into(),
            scope: "Mail.Read offline_access".into(),
            ..Default::default()
        }],
        principals: vec![ServicePrincipal {
            id: "sp-client".into(),
            display_name: "Mail Helper".into(),
            ..Default::default()
        }],
        ..FakeTenant::default()
    }
}

async fn next(rx: &mut UnboundedReceiver<WorkerEvent>) -> WorkerEvent {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("worker answered in time")
        .expect("worker alive")
}

/// Skips the header event, which arrives at start in any order relative to others.
async fn next_non_header(rx: &mut UnboundedReceiver<WorkerEvent>) -> WorkerEvent {
    loop {
        match next(rx).await {
            WorkerEvent::Header { .. } => continue,
            ev => return ev,
        }
    }
}

#[tokio::test]
async fn suspect_then_sign_in_pages_in_order() {
    let (etx, mut erx) = unbounded_channel();
    let (tx, task) = spawn(Arc::new(tenant()), etx);
    tx.send(Command::LoadSuspect {
        req: RequestId(1),
        query: " alice@contoso.com ".into(),
        window: window(),
    })
    .unwrap();
    match next_non_header(&mut erx).await {
        WorkerEvent::SuspectLoaded { req, user } => {
            assert_eq!(req, RequestId(1));
            assert_eq!(user.id, "u1");
        }
        other => panic!("unexpected {other:?}"),
    }
    tx.send(Command::LoadPane {
        req: RequestId(2),
        pane: PaneId::SignIns,
        user_id: "u1".into(),
        window: window(),
    })
    .unwrap();
    let mut seen = Vec::new();
    loop {
        match next_non_header(&mut erx).await {
            WorkerEvent::SignInPage {
                req,
                page_no,
                items,
                has_more,
            } => {
                assert_eq!(req, RequestId(2));
                seen.push((page_no, items.len(), has_more));
            }
            WorkerEvent::SignInsDone { req } => {
                assert_eq!(req, RequestId(2));
                break;
            }
            // The analysis' context (baseline, non-interactive) arrives beside the pages.
            WorkerEvent::SignInContext { req, .. } => assert_eq!(req, RequestId(2)),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(seen, vec![(1, 2, true), (2, 2, true), (3, 1, false)]);
    tx.send(Command::Quit).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn failures_become_events_not_panics() {
    let mut t = tenant();
    t.no_p2 = true;
    t.sign_ins_fail_after = Some(1);
    let (etx, mut erx) = unbounded_channel();
    let (tx, _task) = spawn(Arc::new(t), etx);
    tx.send(Command::LoadSuspect {
        req: RequestId(1),
        query: "nobody@contoso.com".into(),
        window: window(),
    })
    .unwrap();
    match next_non_header(&mut erx).await {
        WorkerEvent::SuspectFailed { error, .. } => assert_eq!(error.status, Some(404)),
        other => panic!("unexpected {other:?}"),
    }
    for pane in [PaneId::SignIns, PaneId::Risk] {
        tx.send(Command::LoadPane {
            req: RequestId(7),
            pane,
            user_id: "u1".into(),
            window: window(),
        })
        .unwrap();
    }
    let mut failed_parts = Vec::new();
    while failed_parts.len() < 4 {
        if let WorkerEvent::Failed { part, error, .. } = next_non_header(&mut erx).await {
            assert_eq!(error.status, Some(403));
            failed_parts.push(part);
        }
    }
    failed_parts.sort();
    assert_eq!(
        failed_parts,
        vec![
            part::DETECTIONS,
            part::RISK_HISTORY,
            part::RISKY_USER,
            part::SIGN_INS
        ]
    );
}

#[tokio::test]
async fn grants_resolve_principals_once_and_header_arrives() {
    let (etx, mut erx) = unbounded_channel();
    let (tx, _task) = spawn(Arc::new(tenant()), etx);
    tx.send(Command::LoadPane {
        req: RequestId(3),
        pane: PaneId::Grants,
        user_id: "u1".into(),
        window: window(),
    })
    .unwrap();
    let mut header = false;
    let mut grants = false;
    while !(header && grants) {
        match next(&mut erx).await {
            WorkerEvent::Header { analyst, .. } => {
                assert!(analyst.is_some());
                header = true;
            }
            WorkerEvent::Grants {
                grants: g,
                principals,
                ..
            } => {
                assert_eq!(g.len(), 1);
                // The resource principal is unknown to the tenant: left out, not an error.
                assert_eq!(principals.len(), 1);
                grants = true;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_new_suspect_cancels_outstanding_work() {
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut t = tenant();
    t.hang_dropped = Some(flag.clone());
    let (etx, mut erx) = unbounded_channel();
    let (tx, _task) = spawn(Arc::new(t), etx);
    tx.send(Command::LoadPane {
        req: RequestId(1),
        pane: PaneId::SignIns,
        user_id: "u1".into(),
        window: window(),
    })
    .unwrap();
    assert!(matches!(
        next_non_header(&mut erx).await,
        WorkerEvent::SignInPage { page_no: 1, .. }
    ));
    assert!(
        !flag.load(std::sync::atomic::Ordering::SeqCst),
        "still loading"
    );
    tx.send(Command::LoadSuspect {
        req: RequestId(2),
        query: "alice@contoso.com".into(),
        window: window(),
    })
    .unwrap();
    assert!(matches!(
        next_non_header(&mut erx).await,
        WorkerEvent::SuspectLoaded { .. }
    ));
    // Abort is asynchronous: give the runtime a moment to drop the task.
    for _ in 0..100 {
        if flag.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the hanging sign-in load was not cancelled");
}

fn rule(id: &str) -> MessageRule {
    serde_json::from_value(serde_json::json!({"id": id, "displayName": id})).unwrap()
}

#[tokio::test]
async fn rules_audits_and_sign_in_context_are_loaded() {
    let mut t = tenant();
    t.rules = vec![rule("r1"), rule("r2")];
    t.folders = vec![MailFolder {
        id: "f1".into(),
        ..MailFolder::default()
    }];
    let audit_at = |d| Some(Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap());
    t.audits = vec![
        DirectoryAudit {
            id: "in".into(),
            activity_date_time: audit_at(15),
            ..DirectoryAudit::default()
        },
        DirectoryAudit {
            id: "before".into(),
            activity_date_time: audit_at(2),
            ..DirectoryAudit::default()
        },
    ];
    // A baseline sign-in 10 days before the window and a non-interactive one inside it.
    t.sign_ins.push(SignIn {
        id: "base".into(),
        user_id: "u1".into(),
        created_date_time: audit_at(3),
        ..SignIn::default()
    });
    t.non_interactive = vec![SignIn {
        id: "ni".into(),
        user_id: "u1".into(),
        created_date_time: audit_at(16),
        ..SignIn::default()
    }];
    let (etx, mut erx) = unbounded_channel();
    let (tx, task) = spawn(Arc::new(t), etx);
    for (i, pane) in [PaneId::Rules, PaneId::Audit, PaneId::SignIns]
        .into_iter()
        .enumerate()
    {
        tx.send(Command::LoadPane {
            req: RequestId(10 + i as u64),
            pane,
            user_id: "u1".into(),
            window: window(),
        })
        .unwrap();
    }
    let (mut rules, mut audits, mut context, mut window_ids) = (None, None, None, Vec::new());
    while rules.is_none() || audits.is_none() || context.is_none() {
        match next_non_header(&mut erx).await {
            WorkerEvent::Rules {
                req,
                rules: r,
                folders,
            } => {
                assert_eq!(req, RequestId(10));
                assert_eq!(folders.len(), 1);
                rules = Some(r.len());
            }
            WorkerEvent::Audits { req, items } => {
                assert_eq!(req, RequestId(11));
                audits = Some(items.iter().map(|a| a.id.clone()).collect::<Vec<_>>());
            }
            WorkerEvent::SignInContext {
                req,
                baseline,
                non_interactive,
                errors,
                ..
            } => {
                assert_eq!(req, RequestId(12));
                assert!(errors.is_empty(), "{errors:?}");
                context = Some((
                    baseline.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
                    non_interactive
                        .iter()
                        .map(|s| s.id.clone())
                        .collect::<Vec<_>>(),
                ));
            }
            WorkerEvent::SignInPage { items, .. } => {
                window_ids.extend(items.into_iter().map(|s| s.id));
            }
            WorkerEvent::SignInsDone { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(rules, Some(2));
    assert_eq!(
        audits,
        Some(vec!["in".to_owned()]),
        "only the window's audits"
    );
    let (baseline, ni) = context.unwrap();
    assert_eq!(
        baseline,
        vec!["base".to_owned()],
        "30 days before the window"
    );
    assert_eq!(ni, vec!["ni".to_owned()]);
    assert!(!window_ids.iter().any(|id| id == "base"));
    tx.send(Command::Quit).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn rules_403_fails_the_pane_and_pivot_answers() {
    let mut t = tenant();
    t.rules_error = Some(SourceError {
        status: Some(403),
        code: Some("ErrorAccessDenied".into()),
        message: "Access is denied.".into(),
        request_id: None,
    });
    let mut bob = t.sign_ins[0].clone();
    bob.id = "bob1".into();
    bob.user_id = "u2".into();
    bob.ip_address = "203.0.113.7".into();
    t.sign_ins.push(bob);
    let (etx, mut erx) = unbounded_channel();
    let (tx, task) = spawn(Arc::new(t), etx);
    tx.send(Command::LoadPane {
        req: RequestId(5),
        pane: PaneId::Rules,
        user_id: "u1".into(),
        window: window(),
    })
    .unwrap();
    assert!(matches!(
        next_non_header(&mut erx).await,
        WorkerEvent::Rules { req: RequestId(5), ref rules, .. } if rules.is_empty()
    ));
    match next_non_header(&mut erx).await {
        WorkerEvent::Failed {
            req,
            pane,
            part,
            error,
        } => {
            assert_eq!(
                (req, pane, part),
                (RequestId(5), PaneId::Rules, part::RULES)
            );
            assert_eq!(error.code.as_deref(), Some("ErrorAccessDenied"));
        }
        other => panic!("unexpected {other:?}"),
    }
    tx.send(Command::Pivot {
        req: RequestId(6),
        ip: "203.0.113.7".into(),
        window: window(),
    })
    .unwrap();
    match next_non_header(&mut erx).await {
        WorkerEvent::PivotSignIns {
            req,
            ip,
            items,
            error,
        } => {
            assert_eq!((req, ip.as_str()), (RequestId(6), "203.0.113.7"));
            assert!(error.is_none());
            let ids: Vec<_> = items.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(ids, vec!["bob1"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    tx.send(Command::Quit).unwrap();
    task.await.unwrap();
}
