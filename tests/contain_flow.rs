//! Containment flows against the simulated tenant over real HTTP: every action through the
//! real `GraphClient` and the executor, each confirmed through the dialog (the only way to
//! get a `Confirmed`); failed (injected Graph errors), unknown (5xx after sending) and
//! "applied but the answer was lost" (timeout after the simulator applied) outcomes, never
//! re-sent; dry run sends nothing; secrets never reach the action log or `Debug`; and the
//! worker's containment path end to end.

use std::sync::Arc;
use std::time::Duration;

use entra_triage::contain::secret::SecretKind;
use entra_triage::contain::task::{ContainCommand, ContainEvent};
use entra_triage::contain::{
    ActionReport, DangerousAction, Executor, GrantRef, JsonlLog, MethodRef, Outcome, Plan, RuleRef,
    Secret, Subject,
};
use entra_triage::graph::models::TenantText;
use entra_triage::graph::{ApiVersion, ClientConfig, GraphClient, StaticToken};
use entra_triage::overlay::confirm::{ConfirmView, Decision};
use entra_triage::protocol::{Command, RequestId, WorkerEvent};
use entra_triage::sim::{self, DelayRule, FaultRule, SimHandle, SimOptions, ThrottleMode};

const ALICE: &str = "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e";
const ANALYST: &str = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";

struct Env {
    sim: SimHandle,
    client: GraphClient,
    ex: Executor,
    log: std::path::PathBuf,
    requests: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

async fn env(timeout: Duration, dry_run: bool) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let requests = dir.path().join("requests.jsonl");
    let opts = SimOptions {
        throttle: ThrottleMode::Off,
        request_log: Some(requests.clone()),
        ..SimOptions::demo()
    };
    let sim = sim::start(opts).await.unwrap();
    let cfg = ClientConfig {
        graph_url: sim.graph_url.clone(),
        timeout,
        ..ClientConfig::default()
    };
    let client = GraphClient::new(cfg, Arc::new(StaticToken::new(sim.token.clone()))).unwrap();
    let log = dir.path().join("actions.jsonl");
    let ex = Executor::new(
        client.clone(),
        Box::new(JsonlLog::create(&log).unwrap()),
        dry_run,
    );
    Env {
        sim,
        client,
        ex,
        log,
        requests,
        _dir: dir,
    }
}

fn subject(id: &str, upn: &str) -> Subject {
    Subject {
        id: id.into(),
        upn: TenantText::new(upn),
        display_name: TenantText::new("Alice Example"),
        on_prem_synced: false,
    }
}

fn alice() -> Subject {
    subject(ALICE, "alice@contoso.com")
}

/// Passes `plan` through the dialog exactly as the analyst would.
fn confirm(plan: Plan) -> entra_triage::overlay::confirm::Confirmed {
    let upn = plan.subject.upn.raw().to_owned();
    let mut view = ConfirmView::for_plan(plan, None);
    if view.needs_upn() {
        view.type_text(&upn);
    }
    view.toggle();
    match view.decide() {
        Decision::Confirmed(c) => c,
        other => panic!("not confirmed: {other:?}"),
    }
}

async fn run(ex: &Executor, s: Subject, action: DangerousAction) -> (ActionReport, Option<Secret>) {
    let mut out = Vec::new();
    ex.run(confirm(Plan::one(s, action)), |_, r, sec| {
        out.push((r, sec))
    })
    .await;
    assert_eq!(out.len(), 1);
    out.remove(0)
}

fn verified(r: &ActionReport) {
    assert!(
        matches!(r.outcome, Outcome::Verified(_)),
        "{}: {:?}",
        r.action.name(),
        r.outcome
    );
}

fn sent(requests: &std::path::Path, method: &str, path_part: &str) -> usize {
    std::fs::read_to_string(requests)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&format!("\"method\":\"{method}\"")) && l.contains(path_part))
        .count()
}

#[tokio::test]
async fn every_action_is_sent_once_verified_and_journaled_without_secrets() {
    let e = env(Duration::from_secs(30), false).await;
    let grant = |id: &str, scope: &str| GrantRef {
        id: id.into(),
        client: "Mail Sync Pro".into(),
        scope: scope.into(),
    };
    let rule = |id: &str| RuleRef {
        id: id.into(),
        name: ".".into(),
    };
    let method = |id: &str, collection: &'static str| MethodRef {
        id: id.into(),
        collection,
        label: "m".into(),
    };
    let actions = vec![
        DangerousAction::RevokeSessions,
        DangerousAction::ResetPassword,
        DangerousAction::ResetPasswordProfile {
            reason: "test".into(),
        },
        DangerousAction::IssueTap {
            lifetime_minutes: 60,
            usable_once: true,
        },
        DangerousAction::RemoveMethod(method(
            "3179e48a-750b-4051-897c-87b9720928f7",
            "phoneMethods",
        )),
        DangerousAction::RemoveMethod(method(
            "f33dd2e3-5b60-5362-8abc-a156b1623f96",
            "microsoftAuthenticatorMethods",
        )),
        DangerousAction::NarrowGrant {
            grant: grant(
                "o2D7hizUZVywRKXlOxXm3h5f29Vc0exZk4Y9pIcN5egebSo_TIt-SrDZXG5_gMke",
                "Mail.ReadWrite offline_access User.Read Mail.Send",
            ),
            scope: "User.Read".into(),
        },
        DangerousAction::RemoveGrant(grant(
            "SeqiNw4sz1ugJYnxc8rHDR5f29Vc0exZk4Y9pIcN5egebSo_TIt-SrDZXG5_gMke",
            "openid",
        )),
        DangerousAction::DisableRule(rule("AQAAAPLioYs=")),
        DangerousAction::DeleteRule(rule("AQAAAJLv9Kg=")),
        DangerousAction::BlockSignIn,
        DangerousAction::EnableSignIn,
        DangerousAction::ConfirmSignInsCompromised(vec![
            "d87d5928-df13-552f-9228-98bf6cae48e3".into(),
        ]),
        DangerousAction::ConfirmSignInsSafe(vec!["bc9a85ba-a26e-5d15-b9c4-db126b4cb108".into()]),
        DangerousAction::ConfirmCompromised,
        DangerousAction::DismissRisk,
        DangerousAction::ConfirmSafe,
    ];
    let mut secrets = Vec::new();
    let mut reports = Vec::new();
    for a in actions {
        let req = a.request(&alice());
        let path = req.path.split('?').next().unwrap().to_owned();
        let before = sent(&e.requests, req.method.as_str(), &path);
        let (r, secret) = run(&e.ex, alice(), a.clone()).await;
        verified(&r);
        assert_eq!(
            sent(&e.requests, req.method.as_str(), &path) - before,
            1,
            "{} sent exactly once",
            a.name()
        );
        match &a {
            DangerousAction::ResetPassword | DangerousAction::ResetPasswordProfile { .. } => {
                let s = secret.expect("a password is shown once");
                assert_eq!(s.kind(), SecretKind::Password);
                secrets.push(s);
            }
            DangerousAction::IssueTap { .. } => {
                let s = secret.expect("the TAP is shown once");
                assert_eq!(s.kind(), SecretKind::TemporaryAccessPass);
                secrets.push(s);
            }
            _ => assert!(secret.is_none()),
        }
        reports.push(r);
    }
    // The state really changed in the tenant.
    let (u, _) = e
        .client
        .get_value(
            ApiVersion::V1,
            &format!("/users/{ALICE}?$select=accountEnabled"),
        )
        .await
        .unwrap();
    assert_eq!(u["accountEnabled"], true);
    // Secrets never reach the journal or Debug output.
    let log = std::fs::read_to_string(&e.log).unwrap();
    assert_eq!(secrets.len(), 3);
    for s in &secrets {
        assert!(s.expose().len() >= 8);
        assert!(!log.contains(s.expose()), "secret in the action log");
        assert!(
            !format!("{reports:?}").contains(s.expose()),
            "secret in Debug"
        );
        assert!(!format!("{s:?}").contains(s.expose()));
    }
    // Every action: before, intent, outcome — in that order.
    let kinds: Vec<String> = log
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "intent").count(), 17);
    assert_eq!(kinds.iter().filter(|k| *k == "outcome").count(), 17);
    let first_intent = kinds.iter().position(|k| k == "intent").unwrap();
    assert_eq!(kinds[first_intent - 1], "before");
    assert!(
        log.contains(entra_triage::contain::action::MASK),
        "profile body is masked"
    );
}

#[tokio::test]
async fn refusals_are_failed_with_code_and_request_id() {
    let e = env(Duration::from_secs(30), false).await;
    e.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path_contains: "revokeSignInSessions".into(),
        from: 1,
        to: 1,
        status: 403,
        code: "Authorization_RequestDenied".into(),
        retry_after: None,
        effect: entra_triage::sim::FaultEffect::Error,
    });
    let (r, _) = run(&e.ex, alice(), DangerousAction::RevokeSessions).await;
    let Outcome::Failed {
        status,
        code,
        request_id,
        ..
    } = &r.outcome
    else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(*status, Some(403));
    assert_eq!(code.as_deref(), Some("Authorization_RequestDenied"));
    assert!(request_id.is_some());
    assert!(r.outcome.summary().contains("request-id"));
    // resetPassword refuses the analyst's own account: failed, no secret.
    let me = subject(ANALYST, "analyst@contoso.com");
    let (r, secret) = run(&e.ex, me.clone(), DangerousAction::ResetPassword).await;
    assert!(
        matches!(
            r.outcome,
            Outcome::Failed {
                status: Some(403),
                ..
            }
        ),
        "{:?}",
        r.outcome
    );
    assert!(secret.is_none());
    // …which is why the passwordProfile path exists.
    let reason = "own account".to_owned();
    let (r, secret) = run(&e.ex, me, DangerousAction::ResetPasswordProfile { reason }).await;
    verified(&r);
    assert!(secret.is_some());
    // A method that no longer exists: 404, failed, explained.
    let gone = MethodRef {
        id: "00000000-0000-0000-0000-000000000000".into(),
        collection: "phoneMethods",
        label: "phone".into(),
    };
    let (r, _) = run(&e.ex, alice(), DangerousAction::RemoveMethod(gone)).await;
    assert!(matches!(
        r.outcome,
        Outcome::Failed {
            status: Some(404),
            ..
        }
    ));
}

#[tokio::test]
async fn a_lost_answer_is_decided_by_a_read_never_by_a_resend() {
    let e = env(Duration::from_millis(800), false).await;
    // Applied, then the answer comes too late: the read shows the change.
    e.sim.add_delay_after_apply(DelayRule {
        method: Some("PATCH".into()),
        path_contains: format!("/users/{ALICE}"),
        from: 1,
        to: 1,
        delay_ms: 2500,
    });
    let (r, _) = run(&e.ex, alice(), DangerousAction::BlockSignIn).await;
    let Outcome::Verified(d) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(d.contains("answer was lost"), "{d}");
    // A 5xx after sending: may have been applied; the read shows nothing changed → unknown.
    e.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path_contains: "riskyUsers/dismiss".into(),
        from: 1,
        to: 1,
        status: 503,
        code: "serviceNotAvailable".into(),
        retry_after: Some(1),
        effect: entra_triage::sim::FaultEffect::Error,
    });
    let (r, _) = run(&e.ex, alice(), DangerousAction::DismissRisk).await;
    assert!(matches!(r.outcome, Outcome::Unknown(_)), "{:?}", r.outcome);
    assert!(r.outcome.summary().contains("not re-sent"));
    // The late PATCH answer may never be logged (the client hung up); it was not sent again.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert!(sent(&e.requests, "PATCH", &format!("/v1.0/users/{ALICE}")) <= 1);
    assert_eq!(sent(&e.requests, "POST", "riskyUsers/dismiss"), 1);
    let log = std::fs::read_to_string(&e.log).unwrap();
    assert!(log.contains("\"outcome\":\"unknown\""));
}

#[tokio::test]
async fn dry_run_records_every_request_and_sends_none() {
    let e = env(Duration::from_secs(30), true).await;
    let plan = Plan {
        subject: alice(),
        actions: vec![
            DangerousAction::RevokeSessions,
            DangerousAction::BlockSignIn,
            DangerousAction::ConfirmCompromised,
        ],
        notes: Vec::new(),
        dry_run: true,
    };
    let mut out = Vec::new();
    e.ex.run(confirm(plan), |_, r, s| out.push((r, s))).await;
    assert_eq!(out.len(), 3);
    assert!(
        out.iter()
            .all(|(r, s)| r.outcome == Outcome::DryRun && s.is_none())
    );
    let reqs = std::fs::read_to_string(&e.requests).unwrap_or_default();
    assert!(!reqs.contains("\"method\":\"POST\"") && !reqs.contains("\"method\":\"PATCH\""));
    let log = std::fs::read_to_string(&e.log).unwrap();
    assert_eq!(log.matches("\"dryRun\":true").count(), 6);
    assert!(log.contains("revokeSignInSessions"));
}

#[tokio::test]
async fn the_worker_runs_confirmed_plans_and_saves_evidence() {
    let e = env(Duration::from_secs(30), false).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (cmds, task) =
        entra_triage::worker::spawn_with(Arc::new(e.client.clone()), tx, Some(e.ex.clone()));
    let confirmed = confirm(Plan::one(alice(), DangerousAction::RevokeSessions));
    cmds.send(Command::Contain(ContainCommand::SaveEvidence {
        req: RequestId(1),
        subject: alice(),
    }))
    .unwrap();
    cmds.send(Command::Contain(ContainCommand::Mutate {
        req: RequestId(2),
        confirmed,
    }))
    .unwrap();
    cmds.send(Command::Contain(ContainCommand::LoadTargets {
        req: RequestId(3),
        user_id: ALICE.into(),
    }))
    .unwrap();
    let (mut evidence, mut action, mut done, mut targets) = (None, None, false, None);
    while !(done && evidence.is_some() && targets.is_some()) {
        let ev = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("worker answers")
            .expect("channel open");
        match ev {
            WorkerEvent::Contain(ContainEvent::EvidenceSaved { result, .. }) => {
                evidence = Some(result)
            }
            WorkerEvent::Contain(ContainEvent::Action { report, .. }) => action = Some(report),
            WorkerEvent::Contain(ContainEvent::PlanDone { req }) => done = req == RequestId(2),
            WorkerEvent::Contain(ContainEvent::Targets {
                rules,
                default_method,
                ..
            }) => targets = Some((rules.map(|r| r.len()), default_method)),
            _ => {}
        }
    }
    assert_eq!(evidence, Some(Ok(4)));
    verified(&action.expect("an outcome"));
    let (rules, default) = targets.unwrap();
    assert_eq!(rules, Ok(5));
    assert_eq!(default.as_deref(), Some("push"));
    cmds.send(Command::Quit).unwrap();
    task.await.unwrap();
}
