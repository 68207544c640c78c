//! Read fault matrix: every read endpoint of the typed Graph API (user, me, organization,
//! sign-ins v1.0 and beta, sign-ins from an IP, risky user, risk history, risk detections,
//! methods, sign-in preferences, grants, service principal, inbox rules, mail folders,
//! directory audits) × every fault the simulator injects (429 with and without `Retry-After`,
//! 500/502/503/504, timeouts, a reset mid-body, truncated and malformed JSON, a slow drip,
//! 401 expired token, each 403 code). Checks: no panic; an error carries its status, code
//! and request-id (or, for local failures, its kind and client-request-id); retryable one-off
//! faults complete after retry; a 401 refreshes the token once and continues; pages received
//! before a mid-paging fault are yielded before the error.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use futures::stream::{BoxStream, StreamExt};

use entra_triage::graph::{
    ApiVersion, ClientConfig, ErrorKind, GraphClient, GraphError, Page, TokenSource,
};
use entra_triage::sim::{self, FaultEffect, FaultRule, SimHandle, SimOptions, ThrottleMode};

const ALICE: &str = sim::DEMO_SUSPECT_ID;
const SP: &str = "d5db5f1e-d15c-59ec-9386-3da4870de5e8";
/// Client timeout: short, but with room for a debug-build simulator on a busy machine.
const TIMEOUT: Duration = Duration::from_millis(1500);

/// A token source that counts how often the client dropped its token after a 401.
#[derive(Debug)]
struct Counting {
    token: String,
    invalidations: AtomicUsize,
}

impl TokenSource for Counting {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        let t = self.token.clone();
        Box::pin(async move { Ok(t) })
    }
    fn invalidate(&self) -> BoxFuture<'_, ()> {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {})
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Endpoint {
    User,
    Me,
    Organization,
    SignInsV1,
    SignInsBeta,
    SignInsFromIp,
    RiskyUser,
    RiskHistory,
    RiskDetections,
    Methods,
    SignInPreferences,
    Grants,
    ServicePrincipal,
    Rules,
    Folders,
    Audits,
}

const ENDPOINTS: [Endpoint; 16] = [
    Endpoint::User,
    Endpoint::Me,
    Endpoint::Organization,
    Endpoint::SignInsV1,
    Endpoint::SignInsBeta,
    Endpoint::SignInsFromIp,
    Endpoint::RiskyUser,
    Endpoint::RiskHistory,
    Endpoint::RiskDetections,
    Endpoint::Methods,
    Endpoint::SignInPreferences,
    Endpoint::Grants,
    Endpoint::ServicePrincipal,
    Endpoint::Rules,
    Endpoint::Folders,
    Endpoint::Audits,
];

impl Endpoint {
    /// Text of the request path the fault rules match.
    fn path(self) -> String {
        match self {
            Endpoint::User => format!("/users/{ALICE}"),
            Endpoint::Me => "/me".into(),
            Endpoint::Organization => "/organization".into(),
            Endpoint::SignInsV1 | Endpoint::SignInsFromIp => "/v1.0/auditLogs/signIns".into(),
            Endpoint::SignInsBeta => "/beta/auditLogs/signIns".into(),
            Endpoint::RiskyUser => format!("/riskyUsers/{ALICE}"),
            Endpoint::RiskHistory => "/history".into(),
            Endpoint::RiskDetections => "/riskDetections".into(),
            Endpoint::Methods => "/authentication/methods".into(),
            Endpoint::SignInPreferences => "/signInPreferences".into(),
            Endpoint::Grants => "/oauth2PermissionGrants".into(),
            Endpoint::ServicePrincipal => "/servicePrincipals/".into(),
            Endpoint::Rules => "/messageRules".into(),
            Endpoint::Folders => "/mailFolders".into(),
            Endpoint::Audits => "/directoryAudits".into(),
        }
    }

    fn paged_by_generator(self) -> bool {
        matches!(self, Endpoint::SignInsV1 | Endpoint::SignInsBeta)
    }
}

/// What one read produced: the pages (or single answers) received, then the error if any.
#[derive(Debug)]
struct Outcome {
    pages: usize,
    error: Option<GraphError>,
}

async fn drain<T>(mut s: BoxStream<'static, Result<Page<T>, GraphError>>) -> Outcome {
    let mut pages = 0;
    while let Some(p) = s.next().await {
        match p {
            Ok(_) => pages += 1,
            Err(e) => {
                // The stream ends after an error.
                assert!(s.next().await.is_none());
                return Outcome {
                    pages,
                    error: Some(e),
                };
            }
        }
    }
    Outcome { pages, error: None }
}

fn one<T>(r: Result<T, GraphError>) -> Outcome {
    match r {
        Ok(_) => Outcome {
            pages: 1,
            error: None,
        },
        Err(e) => Outcome {
            pages: 0,
            error: Some(e),
        },
    }
}

async fn read(e: Endpoint, c: &GraphClient, from: DateTime<Utc>, to: DateTime<Utc>) -> Outcome {
    match e {
        Endpoint::User => one(c.user(ALICE).await),
        Endpoint::Me => one(c.me().await),
        Endpoint::Organization => one(c.organization().await),
        Endpoint::SignInsV1 => drain(c.sign_ins(ApiVersion::V1, ALICE, from, to, false)).await,
        Endpoint::SignInsBeta => drain(c.sign_ins(ApiVersion::Beta, ALICE, from, to, true)).await,
        Endpoint::SignInsFromIp => drain(c.sign_ins_from_ip("203.0.113.7", from, to)).await,
        Endpoint::RiskyUser => one(c.risky_user(ALICE).await),
        Endpoint::RiskHistory => drain(c.risk_history(ALICE)).await,
        Endpoint::RiskDetections => drain(c.risk_detections(ALICE, from, to)).await,
        Endpoint::Methods => one(c.auth_methods(ALICE).await),
        Endpoint::SignInPreferences => one(c.sign_in_preferences(ALICE).await),
        Endpoint::Grants => drain(c.grants(ALICE)).await,
        Endpoint::ServicePrincipal => one(c.service_principal(SP).await),
        Endpoint::Rules => drain(c.message_rules(ALICE)).await,
        Endpoint::Folders => drain(c.mail_folders(ALICE)).await,
        Endpoint::Audits => drain(c.directory_audits(ALICE, from, to)).await,
    }
}

/// What a fault must lead to.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// The read completes (after retry or refresh).
    Completes,
    /// An HTTP error with this status and code, carrying Graph's request-id.
    Http(u16, &'static str),
    /// A local failure of this kind.
    Local(ErrorKind),
    /// 200 that is not JSON: a decode error with status and request-id.
    Decode,
}

/// Builds a rule for a path fragment.
type RuleFor = fn(&str) -> FaultRule;

struct Case {
    name: &'static str,
    rule: RuleFor,
    expect: Expect,
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let forbidden = |code: &'static str| Http(403, code);
    vec![
        Case {
            name: "429 Retry-After once",
            rule: |p| FaultRule::throttled(p, Some(0)).requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "429 without Retry-After once",
            rule: |p| FaultRule::throttled(p, None).requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "429 always",
            rule: |p| FaultRule::throttled(p, Some(0)),
            expect: Http(429, "TooManyRequests"),
        },
        Case {
            name: "503 once",
            rule: |p| FaultRule::error(p, 503, "serviceNotAvailable").requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "504 once",
            rule: |p| FaultRule::error(p, 504, "GatewayTimeout").requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "503 always",
            rule: |p| FaultRule {
                retry_after: Some(0),
                ..FaultRule::error(p, 503, "serviceNotAvailable")
            },
            expect: Http(503, "serviceNotAvailable"),
        },
        Case {
            name: "500 always",
            rule: |p| FaultRule::error(p, 500, "generalException"),
            expect: Http(500, "generalException"),
        },
        Case {
            name: "502 always",
            rule: |p| FaultRule::error(p, 502, "BadGateway"),
            expect: Http(502, "BadGateway"),
        },
        Case {
            name: "timeout once",
            rule: |p| FaultRule::with_effect(p, FaultEffect::Stall { ms: 4000 }).requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "timeout always",
            rule: |p| FaultRule::with_effect(p, FaultEffect::Stall { ms: 4000 }),
            expect: Local(ErrorKind::Timeout),
        },
        Case {
            name: "reset mid-body once",
            rule: |p| FaultRule::with_effect(p, FaultEffect::ResetMidBody).requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "reset mid-body always",
            rule: |p| FaultRule::with_effect(p, FaultEffect::ResetMidBody),
            expect: Local(ErrorKind::Transport),
        },
        Case {
            name: "truncated JSON",
            rule: |p| FaultRule::with_effect(p, FaultEffect::TruncatedJson),
            expect: Decode,
        },
        Case {
            name: "malformed JSON",
            rule: |p| FaultRule::with_effect(p, FaultEffect::MalformedJson),
            expect: Decode,
        },
        Case {
            name: "slow drip once",
            rule: |p| {
                let drip = FaultEffect::SlowDrip {
                    chunk: 512,
                    every_ms: 2,
                };
                FaultRule::with_effect(p, drip).requests(1, 1)
            },
            expect: Completes,
        },
        Case {
            name: "401 once",
            rule: |p| FaultRule::expired_token(p).requests(1, 1),
            expect: Completes,
        },
        Case {
            name: "401 always",
            rule: FaultRule::expired_token,
            expect: Http(401, "InvalidAuthenticationToken"),
        },
        Case {
            name: "403 RequestDenied",
            rule: |p| FaultRule::forbidden(p, "Authorization_RequestDenied"),
            expect: forbidden("Authorization_RequestDenied"),
        },
        Case {
            name: "403 non-premium",
            rule: |p| {
                FaultRule::forbidden(p, "Authentication_RequestFromNonPremiumTenantOrB2CTenant")
            },
            expect: forbidden("Authentication_RequestFromNonPremiumTenantOrB2CTenant"),
        },
        Case {
            name: "403 permission missing",
            rule: |p| FaultRule::forbidden(p, "Authentication_MSGraphPermissionMissing"),
            expect: forbidden("Authentication_MSGraphPermissionMissing"),
        },
        Case {
            name: "403 ErrorAccessDenied",
            rule: |p| FaultRule::forbidden(p, "ErrorAccessDenied"),
            expect: forbidden("ErrorAccessDenied"),
        },
    ]
}

async fn sim_with(scale: usize) -> SimHandle {
    let opts = SimOptions {
        throttle: ThrottleMode::Off,
        scale,
        ..SimOptions::demo()
    };
    sim::start(opts).await.unwrap()
}

fn client(h: &SimHandle) -> (GraphClient, Arc<Counting>) {
    client_with(h, TIMEOUT)
}

/// Pages of 1,000 generated sign-ins take a debug simulator a while: no timeout faults there.
fn patient(h: &SimHandle) -> (GraphClient, Arc<Counting>) {
    client_with(h, Duration::from_secs(30))
}

fn client_with(h: &SimHandle, timeout: Duration) -> (GraphClient, Arc<Counting>) {
    let tokens = Arc::new(Counting {
        token: h.token.clone(),
        invalidations: AtomicUsize::new(0),
    });
    let cfg = ClientConfig {
        graph_url: h.graph_url.clone(),
        timeout,
        pacing: false,
        max_retries: 1,
    };
    (GraphClient::new(cfg, tokens.clone()).unwrap(), tokens)
}

fn window() -> (DateTime<Utc>, DateTime<Utc>) {
    let to = Utc::now() + chrono::Duration::minutes(5);
    (to - chrono::Duration::days(30), to)
}

/// Checks one (endpoint, fault) pair; returns a description of what went wrong, if anything.
async fn check(h: &SimHandle, e: Endpoint, case: &Case) -> Option<String> {
    h.clear_faults();
    h.add_fault((case.rule)(&e.path()));
    let (c, tokens) = client(h);
    let (from, to) = window();
    let out = tokio::time::timeout(Duration::from_secs(30), read(e, &c, from, to))
        .await
        .ok()?;
    let fail = |why: String| Some(format!("{e:?} × {}: {why} ({out:?})", case.name));
    let inv = tokens.invalidations.load(Ordering::SeqCst);
    match (&case.expect, &out.error) {
        (Expect::Completes, None) if out.pages >= 1 => {}
        (Expect::Completes, _) => return fail("did not complete".into()),
        (_, None) => return fail("no error".into()),
        (Expect::Http(status, code), Some(err)) => {
            if err.status != Some(*status) || err.code.as_deref() != Some(*code) {
                return fail(format!("wanted {status} {code}"));
            }
            if err.request_id.as_deref().is_none_or(str::is_empty) {
                return fail("no request-id".into());
            }
        }
        (Expect::Local(kind), Some(err)) => {
            if err.kind != *kind || err.client_request_id.is_none() || err.path.is_empty() {
                return fail(format!("wanted a local {kind:?} error"));
            }
        }
        (Expect::Decode, Some(err)) => {
            if err.kind != ErrorKind::Decode || err.status != Some(200) || err.request_id.is_none()
            {
                return fail("wanted a decode error with status and request-id".into());
            }
        }
    }
    if case.name.starts_with("401") && inv != 1 {
        return fail(format!("{inv} token invalidations, wanted 1"));
    }
    if !case.name.starts_with("401") && inv != 0 {
        return fail(format!("{inv} token invalidations, wanted 0"));
    }
    if let Some(err) = &out.error
        && err.to_string().contains(&h.token)
    {
        return fail("the token leaked into the error".into());
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_read_survives_every_fault() {
    let cases = cases();
    // One simulator per endpoint (starting one costs CPU); its cases run one after another.
    let mut sims = Vec::new();
    for e in ENDPOINTS {
        sims.push((e, sim_with(0).await));
    }
    let n = ENDPOINTS.len() * cases.len();
    let cases = &cases;
    let failures: Vec<String> = futures::future::join_all(sims.iter().map(|(e, h)| async move {
        let mut failed = Vec::new();
        for case in cases {
            if let Some(f) = check(h, *e, case).await {
                failed.push(f.chars().take(600).collect::<String>());
            }
        }
        failed
    }))
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(n >= 16 * 21, "{n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every sign-in (interactive or not) on v1.0 or beta: 2,500 generated ones make 3 pages.
async fn read_paged(
    e: Endpoint,
    c: &GraphClient,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Outcome {
    let v = if e == Endpoint::SignInsBeta {
        ApiVersion::Beta
    } else {
        ApiVersion::V1
    };
    drain(c.sign_ins(v, ALICE, from, to, false)).await
}

/// Pages before a fault on page 2 are yielded, then the error; a 401 on page 2 refreshes
/// once and the stream continues to the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mid_paging_faults_keep_received_pages() {
    let (from, to) = window();
    let h = sim_with(2500).await;
    for e in ENDPOINTS.into_iter().filter(|e| e.paged_by_generator()) {
        let broken: [(&str, RuleFor, u16); 4] = [
            ("500", |p| FaultRule::error(p, 500, "generalException"), 500),
            (
                "403",
                |p| FaultRule::forbidden(p, "Authorization_RequestDenied"),
                403,
            ),
            (
                "truncated",
                |p| FaultRule::with_effect(p, FaultEffect::TruncatedJson),
                200,
            ),
            (
                "malformed",
                |p| FaultRule::with_effect(p, FaultEffect::MalformedJson),
                200,
            ),
        ];
        for (name, rule, status) in broken {
            h.clear_faults();
            h.add_fault(rule(&e.path()).requests(2, u64::MAX));
            let (c, _) = patient(&h);
            let out = read_paged(e, &c, from, to).await;
            assert_eq!(out.pages, 1, "{e:?} {name}: {out:?}");
            let err = out
                .error
                .unwrap_or_else(|| panic!("{e:?} {name}: no error"));
            assert_eq!(err.status, Some(status), "{e:?} {name}: {err:?}");
            assert!(err.request_id.is_some(), "{e:?} {name}: {err:?}");
            assert!(
                err.path.contains("skiptoken") || err.path.contains("skip"),
                "{err:?}"
            );
        }

        h.clear_faults();
        h.add_fault(FaultRule::expired_token(&e.path()).requests(2, 2));
        let (c, tokens) = patient(&h);
        let out = read_paged(e, &c, from, to).await;
        assert!(out.error.is_none(), "{e:?}: {out:?}");
        assert_eq!(out.pages, 3, "{e:?}");
        assert_eq!(tokens.invalidations.load(Ordering::SeqCst), 1);

        h.clear_faults();
        h.add_fault(FaultRule::throttled(&e.path(), Some(0)).requests(2, 2));
        let (c, _) = patient(&h);
        let out = read_paged(e, &c, from, to).await;
        assert!(out.error.is_none() && out.pages == 3, "{e:?}: {out:?}");
    }
}

/// "Apply then time out": the PATCH is applied, the answer comes after the client gave up;
/// the client reports a timeout that may have been applied, never re-sends, and a read shows
/// the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applied_mutation_that_times_out_is_flagged() {
    use entra_triage::graph::{HttpMethod, MutationRequest};
    let h = sim_with(0).await;
    let path = format!("/users/{ALICE}");
    h.add_fault(
        FaultRule::with_effect(&path, FaultEffect::ApplyThenStall { ms: 4000 }).method("PATCH"),
    );
    let (c, _) = client(&h);
    let req = MutationRequest {
        method: HttpMethod::Patch,
        version: ApiVersion::V1,
        path: path.clone(),
        body: Some(serde_json::json!({"accountEnabled": false})),
    };
    let err = c.send(&req).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err:?}");
    assert!(err.maybe_applied, "{err:?}");
    let (user, _) = patient(&h).0.user(ALICE).await.unwrap();
    assert_eq!(user.account_enabled, Some(false));
}
