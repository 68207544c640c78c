//! The worker's in-console sign-in against the simulator's identity provider on 127.0.0.1:
//! nothing is read before the sign-in, each step of the device flow reaches the UI (code,
//! slow_down, signed in), the session token is installed, then the header and pre-flight
//! (scopes from the new token) follow; a declined code ends with `Declined`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::fake::FakeTenant;
use super::preflight::{Preflight, ScopeCheck};
use super::sign_in::{SessionToken, SignInCommand, SignInEvent, SignInFailure, SignInService};
use super::{Session, spawn_session};
use crate::auth::{AuthConfig, Feature, PollTiming};
use crate::graph::TokenSource;
use crate::protocol::{Command, WorkerEvent};
use crate::sim::identity::{IdpConfig, IdpState, router};

async fn idp_config(dir: &std::path::Path) -> (IdpState, AuthConfig) {
    let idp = IdpState::new(IdpConfig {
        interval: 0,
        ..IdpConfig::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(idp.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let mut cfg = AuthConfig::new("contoso.example", IdpConfig::default().client_id, dir);
    cfg.authority_url = Some(format!("http://{addr}"));
    cfg.graph_url = Some("http://127.0.0.1:9".into());
    cfg.poll = PollTiming {
        floor: Duration::from_millis(20),
        slow_down_step: Duration::from_millis(200),
    };
    (idp, cfg)
}

async fn next(rx: &mut UnboundedReceiver<WorkerEvent>) -> WorkerEvent {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("worker answered in time")
        .expect("worker alive")
}

#[tokio::test]
async fn sign_in_command_runs_the_device_flow_then_header_and_preflight() {
    let dir = tempfile::tempdir().unwrap();
    let (idp, cfg) = idp_config(dir.path()).await;
    idp.slow_down_next(1);
    idp.auto_approve_after(Some(2));
    let token = SessionToken::new(None);
    let session = Session {
        sign_in: Some(SignInService {
            cfg,
            token: token.clone(),
        }),
        preflight: true,
    };
    let (tx, mut rx) = unbounded_channel();
    let (commands, task) = spawn_session(Arc::new(FakeTenant::default()), tx, None, None, session);
    commands
        .send(Command::SignIn(SignInCommand::Start))
        .unwrap();
    let mut steps = Vec::new();
    let preflight = loop {
        match next(&mut rx).await {
            WorkerEvent::SignIn(ev) => steps.push(ev),
            WorkerEvent::Header { .. } => {
                assert!(token.is_signed_in(), "the header waits for the sign-in");
            }
            WorkerEvent::Preflight(p) => break p,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(
        matches!(&steps[0], SignInEvent::Code { user_code, left_secs, .. } if user_code.len() == 9 && *left_secs > 800),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| matches!(s, SignInEvent::SlowDown { .. })),
        "{steps:?}"
    );
    assert_eq!(
        steps.last(),
        Some(&SignInEvent::SignedIn {
            account: Some("analyst@contoso.example".into())
        })
    );
    let Preflight {
        scopes: ScopeCheck::Known(granted),
        ..
    } = preflight
    else {
        panic!("the new token's scopes are known: {preflight:?}");
    };
    assert!(granted.check(Feature::SignIns).is_available());
    let bearer = token.token().await.unwrap();
    assert!(idp.token_claims(&bearer).is_some());
    // No event ever carries a token.
    assert!(!format!("{steps:?}").contains(&bearer));
    commands.send(Command::Quit).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn a_declined_code_is_reported_and_nothing_is_installed() {
    let dir = tempfile::tempdir().unwrap();
    let (idp, cfg) = idp_config(dir.path()).await;
    let token = SessionToken::new(None);
    let session = Session {
        sign_in: Some(SignInService {
            cfg,
            token: token.clone(),
        }),
        preflight: true,
    };
    let (tx, mut rx) = unbounded_channel();
    let (commands, task) = spawn_session(Arc::new(FakeTenant::default()), tx, None, None, session);
    commands
        .send(Command::SignIn(SignInCommand::Start))
        .unwrap();
    let WorkerEvent::SignIn(SignInEvent::Code { user_code, .. }) = next(&mut rx).await else {
        panic!("expected the code first");
    };
    assert!(idp.decline(&user_code));
    let failed = loop {
        if let WorkerEvent::SignIn(SignInEvent::Failed(f)) = next(&mut rx).await {
            break f;
        }
    };
    assert_eq!(failed, SignInFailure::Declined);
    assert!(!token.is_signed_in());
    commands.send(Command::Quit).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn a_fixed_token_cannot_sign_in_from_the_console() {
    let (tx, mut rx) = unbounded_channel();
    let (commands, task) = spawn_session(
        Arc::new(FakeTenant::default()),
        tx,
        None,
        None,
        Session {
            sign_in: None,
            preflight: true,
        },
    );
    // Header, then pre-flight off (the token's scopes are not read).
    assert!(matches!(next(&mut rx).await, WorkerEvent::Header { .. }));
    let WorkerEvent::Preflight(p) = next(&mut rx).await else {
        panic!("expected pre-flight");
    };
    assert!(matches!(p.scopes, ScopeCheck::Unknown { .. }));
    commands
        .send(Command::SignIn(SignInCommand::Start))
        .unwrap();
    assert!(matches!(
        next(&mut rx).await,
        WorkerEvent::SignIn(SignInEvent::Failed(SignInFailure::Unavailable(_)))
    ));
    commands.send(Command::Quit).unwrap();
    task.await.unwrap();
}
