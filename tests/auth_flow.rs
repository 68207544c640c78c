//! Sign-in flows over real HTTP on 127.0.0.1 against the simulator's identity provider:
//! device code (approve, pending, slow_down, expiry, decline, Conditional Access), refresh
//! with rotation, revoked refresh tokens, app-only, and that no token leaks into output.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_triage::auth::{self, AuthConfig, AuthError, DeviceCodePrompt, PollTiming, Secret};
use entra_triage::graph::ErrorKind;
use entra_triage::sim::identity::{AppRegistration, IdpConfig, IdpState, router};

struct Fixture {
    idp: IdpState,
    cfg: AuthConfig,
    _dir: tempfile::TempDir,
}

async fn fixture(interval: u64, expires_in: u64) -> Fixture {
    let idp = IdpState::new(IdpConfig {
        interval,
        expires_in,
        ..IdpConfig::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(idp.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let defaults = IdpConfig::default();
    let mut cfg = AuthConfig::new(
        "contoso.example",
        defaults.client_id,
        dir.path().join("tokens"),
    );
    cfg.authority_url = Some(format!("http://{addr}"));
    cfg.graph_url = Some("http://127.0.0.1:9".to_string());
    cfg.poll = PollTiming {
        floor: Duration::from_millis(20),
        slow_down_step: Duration::from_millis(400),
    };
    Fixture {
        idp,
        cfg,
        _dir: dir,
    }
}

fn recorder() -> (
    Arc<Mutex<Vec<DeviceCodePrompt>>>,
    impl Fn(&DeviceCodePrompt),
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    (seen, move |p: &DeviceCodePrompt| {
        s.lock().unwrap().push(p.clone())
    })
}

fn cached_refresh_token(cfg: &AuthConfig) -> String {
    let path = cfg.cache_path().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["refresh_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn device_flow_success_caches_0600_and_gives_a_token_graph_accepts() {
    let f = fixture(0, 900).await;
    f.idp.auto_approve_after(Some(0));
    let (seen, notify) = recorder();
    let session = auth::login(&f.cfg, notify).await.unwrap();
    let prompt = seen.lock().unwrap()[0].clone();
    assert_eq!(prompt.user_code.len(), 9);
    assert_eq!(
        prompt.verification_uri,
        format!("{}/devicelogin", f.cfg.authority_url.as_deref().unwrap())
    );
    assert!(prompt.text().contains(&prompt.user_code));
    assert!(prompt.message.unwrap().contains("enter the code"));
    assert_eq!(session.account.as_deref(), Some("analyst@contoso.example"));
    assert_eq!(
        session.tenant_id.as_deref(),
        Some(f.idp.tenant_id().as_str())
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&session.cache_path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let source = auth::token_source_with(&f.cfg, None).unwrap();
    let token = source.token().await.unwrap();
    let claims = f
        .idp
        .token_claims(&token)
        .expect("the IdP accepts its own token");
    assert!(claims.scopes().iter().any(|s| s == "AuditLog.Read.All"));
    assert!(
        claims
            .scopes()
            .iter()
            .any(|s| s == "User.RevokeSessions.All")
    );
    assert!(f.idp.token_claims("a.b.c").is_none());

    let who = auth::whoami_with(&f.cfg, None).unwrap();
    let text = who.to_string();
    assert!(text.contains("analyst@contoso.example"), "{text}");
    assert!(text.contains("AuditLog.Read.All"), "{text}");
    assert!(!text.contains(&token));
    // nothing printable carries the token
    for shown in [
        format!("{session:?}"),
        format!("{source:?}"),
        format!("{who:?}"),
    ] {
        assert!(!shown.contains(&token), "{shown}");
        assert!(!shown.contains(&cached_refresh_token(&f.cfg)), "{shown}");
    }

    assert!(auth::logout(&f.cfg).unwrap());
    let err = auth::token_source_with(&f.cfg, None).unwrap_err();
    assert!(err.to_string().contains("entra-triage login"), "{err}");
}

#[tokio::test]
async fn the_verification_page_approves_a_code() {
    let f = fixture(0, 900).await;
    let notify = |p: &DeviceCodePrompt| {
        let (uri, code) = (p.verification_uri.clone(), p.user_code.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let page = http.get(&uri).send().await.unwrap().text().await.unwrap();
            assert!(page.contains("<form"));
            let bad = http
                .post(&uri)
                .form(&[("code", "NOPE")])
                .send()
                .await
                .unwrap();
            assert_eq!(bad.status().as_u16(), 404);
            let ok = http
                .post(&uri)
                .form(&[("code", code.as_str()), ("action", "approve")])
                .send()
                .await
                .unwrap();
            assert_eq!(ok.status().as_u16(), 200);
        });
    };
    let login = tokio::time::timeout(Duration::from_secs(10), auth::login(&f.cfg, notify));
    login.await.expect("the page approved the code").unwrap();
    assert!(f.cfg.cache_path().unwrap().exists());
}

#[tokio::test]
async fn pending_then_approved() {
    let f = fixture(0, 900).await;
    let idp = f.idp.clone();
    let notify = move |p: &DeviceCodePrompt| {
        let (idp, code) = (idp.clone(), p.user_code.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(idp.approve(&code));
        });
    };
    let login = tokio::time::timeout(Duration::from_secs(10), auth::login(&f.cfg, notify));
    login.await.expect("approved within 10 s").unwrap();
    let polls = f.idp.poll_times(&f.idp.last_user_code().unwrap());
    assert!(
        polls.len() >= 3,
        "expected pending polls before approval, got {}",
        polls.len()
    );
}

#[tokio::test]
async fn slow_down_grows_the_interval() {
    let f = fixture(0, 900).await;
    f.idp.slow_down_next(1);
    f.idp.auto_approve_after(Some(2));
    auth::login(&f.cfg, |_| {}).await.unwrap();
    let polls = f.idp.poll_times(&f.idp.last_user_code().unwrap());
    assert!(polls.len() >= 3, "{}", polls.len());
    let first_gap = polls[1] - polls[0];
    let after_slow_down = polls[2] - polls[1];
    assert!(
        first_gap >= Duration::from_millis(400),
        "slow_down not honoured: {first_gap:?}"
    );
    assert!(
        after_slow_down >= Duration::from_millis(400),
        "interval shrank back: {after_slow_down:?}"
    );
}

#[tokio::test]
async fn expiry_and_decline_end_with_clear_messages() {
    let f = fixture(0, 1).await;
    let err = auth::login(&f.cfg, |_| {}).await.unwrap_err();
    assert!(matches!(err, AuthError::Expired { .. }), "{err:?}");
    assert!(
        err.to_string().contains("expired before it was approved"),
        "{err}"
    );

    let idp = f.idp.clone();
    f.idp.set_device_timing(0, 900);
    let err = auth::login(&f.cfg, move |p: &DeviceCodePrompt| {
        assert!(idp.decline(&p.user_code))
    })
    .await
    .unwrap_err();
    assert!(matches!(err, AuthError::Declined), "{err:?}");
    assert!(err.to_string().contains("declined"));

    let idp = f.idp.clone();
    let err = auth::login(&f.cfg, move |p: &DeviceCodePrompt| {
        assert!(idp.expire(&p.user_code))
    })
    .await
    .unwrap_err();
    assert!(matches!(err, AuthError::Expired { .. }), "{err:?}");
    assert!(
        !f.cfg.cache_path().unwrap().exists(),
        "nothing cached on failure"
    );
}

#[tokio::test]
async fn conditional_access_block_suggests_alternatives() {
    let f = fixture(0, 900).await;
    f.idp.auto_approve_after(Some(0));
    f.idp.block_by_conditional_access(true);
    let err = auth::login(&f.cfg, |_| {}).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("AADSTS53003"), "{text}");
    assert!(text.contains("Conditional Access"), "{text}");
    assert!(text.contains("ENTRA_TRIAGE_TOKEN"), "{text}");
    assert!(
        text.contains("az account get-access-token --resource https://graph.microsoft.com"),
        "{text}"
    );
    assert!(text.contains("app-only"), "{text}");
}

#[tokio::test]
async fn wrong_client_id_shows_aadsts_verbatim() {
    let mut f = fixture(0, 900).await;
    f.cfg.client_id = "00000000-0000-0000-0000-000000000000".into();
    let err = auth::login(&f.cfg, |_| {}).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("AADSTS700016: Application with identifier"),
        "{text}"
    );
    assert!(text.contains("hint: check --client-id"), "{text}");
}

#[tokio::test]
async fn refresh_rotates_and_revocation_asks_for_login() {
    let f = fixture(0, 900).await;
    f.idp.auto_approve_after(Some(0));
    auth::login(&f.cfg, |_| {}).await.unwrap();
    let first_rt = cached_refresh_token(&f.cfg);
    let source = auth::token_source_with(&f.cfg, None).unwrap();
    let t1 = source.token().await.unwrap();
    assert_eq!(source.token().await.unwrap(), t1, "fresh token reused");

    source.invalidate().await;
    let t2 = source.token().await.unwrap();
    assert_ne!(t1, t2);
    let second_rt = cached_refresh_token(&f.cfg);
    assert_ne!(first_rt, second_rt, "cache keeps the rotated refresh token");
    assert!(!f.idp.refresh_token_valid(&first_rt));
    assert!(f.idp.refresh_token_valid(&second_rt));
    // a second rotation works only if the new refresh token was kept
    source.invalidate().await;
    let t3 = source.token().await.unwrap();
    assert!(f.idp.token_claims(&t3).is_some());

    f.idp.revoke_refresh_tokens();
    source.invalidate().await;
    let err = source.token().await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Auth);
    assert!(err.message.contains("AADSTS50173"), "{}", err.message);
    assert!(
        err.message.contains("run `entra-triage login`"),
        "{}",
        err.message
    );
    assert!(!err.message.contains(&t3) && !format!("{err:?}").contains(&t3));
}

#[tokio::test]
async fn interaction_required_on_refresh_asks_for_login() {
    let f = fixture(0, 900).await;
    f.idp.auto_approve_after(Some(0));
    auth::login(&f.cfg, |_| {}).await.unwrap();
    f.idp.require_interaction(true);
    let source = auth::token_source_with(&f.cfg, None).unwrap();
    source.invalidate().await;
    let err = source.token().await.unwrap_err();
    assert!(
        err.message.contains("interaction_required: AADSTS50076"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("entra-triage login"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn env_token_wins_and_nothing_is_cached() {
    let f = fixture(0, 900).await;
    let token = f.idp.issue_access_token(&["User.Read.All"]);
    let source = auth::token_source_with(&f.cfg, Some(Secret::new(token.clone()))).unwrap();
    assert_eq!(source.token().await.unwrap(), token);
    assert!(!format!("{source:?}").contains(&token));
    assert!(!f.cfg.cache_path().unwrap().exists());
    let who = auth::whoami_with(&f.cfg, Some(Secret::new(token.clone()))).unwrap();
    let text = who.to_string();
    assert!(text.contains("ENTRA_TRIAGE_TOKEN"), "{text}");
    assert!(text.contains("Sign-in logs: skipped"), "{text}");
    assert!(!text.contains(&token));
}

#[tokio::test]
async fn app_only_client_credentials() {
    let f = fixture(0, 900).await;
    f.idp.add_app(AppRegistration {
        client_id: "app-1".into(),
        secret: "s3cr3t-value".into(),
        certificates: Vec::new(),
        roles: vec!["MailboxSettings.Read".into()],
        oid: "sp-1".into(),
    });
    let mut cfg = f.cfg.clone();
    cfg.client_id = "app-1".into();
    let source = auth::AppOnly::new(&cfg, Secret::new("s3cr3t-value")).unwrap();
    use entra_triage::graph::TokenSource as _;
    let token = source.token().await.unwrap();
    let claims = f.idp.token_claims(&token).unwrap();
    assert!(claims.is_app_only());
    assert!(
        claims
            .granted()
            .check(auth::Feature::OtherUsersMailboxRules)
            .is_available()
    );
    assert!(!format!("{source:?}").contains("s3cr3t-value"));

    let bad = auth::AppOnly::new(&cfg, Secret::new("wrong")).unwrap();
    let err = bad.token().await.unwrap_err();
    assert!(err.message.contains("AADSTS7000215"), "{}", err.message);
    assert!(!err.message.contains("wrong"));
}

/// A second, confidential app registration with the test certificate (tests/fixtures/app-cert).
#[tokio::test]
async fn app_only_certificate_of_a_second_app_registration() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/app-cert");
    let pem = std::fs::read(fixtures.join("test-only-app.cer.pem")).unwrap();
    let der = entra_triage::auth::certificate::first_certificate(&pem).unwrap();
    let f = fixture(0, 900).await;
    f.idp.add_app(AppRegistration {
        client_id: "app-cert-2".into(),
        secret: String::new(),
        certificates: vec![der],
        roles: vec!["MailboxSettings.Read".into()],
        oid: "sp-2".into(),
    });
    f.idp.add_app(AppRegistration {
        client_id: "app-no-cert".into(),
        secret: String::new(),
        certificates: Vec::new(),
        roles: vec!["MailboxSettings.Read".into()],
        oid: "sp-3".into(),
    });
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("app.pem");
    std::fs::copy(fixtures.join("test-only-app.pem"), &key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut cfg = f.cfg.clone();
    cfg.app_only_certificate = Some(key.clone());
    cfg.app_only_client_id = Some("app-cert-2".into());
    assert!(auth::app_only_configured(&cfg));
    let source = auth::app_only_source(&cfg).unwrap();
    let token = source.token().await.unwrap();
    let claims = f.idp.token_claims(&token).unwrap();
    assert!(claims.is_app_only());
    assert_eq!(claims.appid.as_deref(), Some("app-cert-2"));
    // Cached in memory: the same token until it is invalidated.
    assert_eq!(source.token().await.unwrap(), token);

    // The same certificate, not registered on that app: Entra's AADSTS700027 and the fix.
    cfg.app_only_client_id = Some("app-no-cert".into());
    let err = auth::app_only_source(&cfg)
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(err.message.contains("AADSTS700027"), "{}", err.message);
    assert!(err.message.contains("not registered"), "{}", err.message);
    assert!(err.message.contains("upload the .cer"), "{}", err.message);
    assert!(!err.message.contains("PRIVATE"), "{}", err.message);
}

#[tokio::test]
async fn a_second_process_picks_up_the_renewed_cache() {
    let f = fixture(0, 900).await;
    f.idp.auto_approve_after(Some(0));
    auth::login(&f.cfg, |_| {}).await.unwrap();
    let a = auth::token_source_with(&f.cfg, None).unwrap();
    let b = auth::token_source_with(&f.cfg, None).unwrap();
    a.invalidate().await;
    let renewed = a.token().await.unwrap();
    // b's refresh token was spent by a's rotation; b must use the cache a wrote
    b.invalidate().await;
    assert_eq!(b.token().await.unwrap(), renewed);
}
