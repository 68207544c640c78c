//! The worker: the only place the console performs IO. It receives `Command`s over an
//! unbounded channel, runs the reads of a suspect concurrently through a `TenantSource`, and
//! sends `WorkerEvent`s as data arrives (sign-in pages one by one). It never panics on a
//! failed read: each pane gets a `Failed` event with the error. A new suspect cancels all
//! outstanding work; a pane reload cancels that pane's previous load.

pub mod case_io;
mod graph_source;
pub mod investigation;
pub mod mailbox_source;
pub mod preflight;
pub mod sign_in;
pub mod source;

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod sign_in_tests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::graph::models::{OAuth2PermissionGrant, ServicePrincipal, TenantText};
use crate::protocol::{Command, PaneId, RequestId, WorkerEvent};
use crate::window::Window;
use source::{ApiVersion, PageStream, SourceError, TenantSource};

/// Part names used in `WorkerEvent::Failed` (the app matches on them).
pub mod part {
    /// The suspect's sign-ins.
    pub const SIGN_INS: &str = "sign-ins";
    /// The Identity Protection record.
    pub const RISKY_USER: &str = "risky user";
    /// The risk history.
    pub const RISK_HISTORY: &str = "risk history";
    /// The risk detections.
    pub const DETECTIONS: &str = "risk detections";
    /// The authentication methods.
    pub const METHODS: &str = "methods";
    /// The delegated grants.
    pub const GRANTS: &str = "grants";
    /// The inbox rules.
    pub const RULES: &str = "inbox rules";
    /// The directory audits.
    pub const AUDIT: &str = "directory audits";
}

/// How many service principals are resolved at once.
const SP_CONCURRENCY: usize = 4;

/// Starts the worker on the current tokio runtime. Returns the command sender and the task.
pub fn spawn(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
) -> (UnboundedSender<Command>, JoinHandle<()>) {
    spawn_with(source, events, None)
}

/// Like `spawn`, with the containment executor (None: containment commands are refused).
pub fn spawn_with(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
) -> (UnboundedSender<Command>, JoinHandle<()>) {
    let (tx, rx) = unbounded_channel();
    let task = tokio::spawn(run_with(source, rx, events, executor));
    (tx, task)
}

/// The worker loop: dispatches commands until `Quit` or until the UI drops its sender.
pub async fn run(
    source: Arc<dyn TenantSource>,
    commands: UnboundedReceiver<Command>,
    events: UnboundedSender<WorkerEvent>,
) {
    run_with(source, commands, events, None).await;
}

/// The worker loop with the containment executor.
pub async fn run_with(
    source: Arc<dyn TenantSource>,
    commands: UnboundedReceiver<Command>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
) {
    run_full(source, commands, events, executor, None).await;
}

/// Like `spawn_with`, with the cases folder (None: case-file commands are refused).
pub fn spawn_full(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
    cases_dir: Option<std::path::PathBuf>,
) -> (UnboundedSender<Command>, JoinHandle<()>) {
    let (tx, rx) = unbounded_channel();
    let task = tokio::spawn(run_full(source, rx, events, executor, cases_dir));
    (tx, task)
}

/// The worker loop with the containment executor and the cases folder.
pub async fn run_full(
    source: Arc<dyn TenantSource>,
    commands: UnboundedReceiver<Command>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
    cases_dir: Option<std::path::PathBuf>,
) {
    run_session(
        source,
        commands,
        events,
        executor,
        cases_dir,
        Session::default(),
    )
    .await;
}

/// What the worker knows about the analyst's session.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// In-console sign-in (`None`: the token is fixed; no sign-in from here).
    pub sign_in: Option<sign_in::SignInService>,
    /// Send `WorkerEvent::Preflight` (scopes and licence) after the header.
    pub preflight: bool,
}

/// Like `spawn_full`, with in-console sign-in (`None`: the token is fixed, no sign-in).
pub fn spawn_session(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
    cases_dir: Option<std::path::PathBuf>,
    session: Session,
) -> (UnboundedSender<Command>, JoinHandle<()>) {
    let (tx, rx) = unbounded_channel();
    let task = tokio::spawn(run_session(
        source, rx, events, executor, cases_dir, session,
    ));
    (tx, task)
}

/// The worker loop with the containment executor, the cases folder and in-console sign-in.
pub async fn run_session(
    source: Arc<dyn TenantSource>,
    mut commands: UnboundedReceiver<Command>,
    events: UnboundedSender<WorkerEvent>,
    executor: Option<crate::contain::Executor>,
    cases_dir: Option<std::path::PathBuf>,
    session: Session,
) {
    let sign_in = session.sign_in.clone();
    // Not signed in yet: the header and pre-flight come after the sign-in.
    let signed_in = sign_in.as_ref().is_none_or(|s| s.token.is_signed_in());
    let mut header = signed_in
        .then(|| tokio::spawn(load_header(source.clone(), events.clone(), session.clone())));
    let mut signing: Option<JoinHandle<()>> = None;
    let mut suspect: Option<JoinHandle<()>> = None;
    let mut panes: HashMap<PaneId, JoinHandle<()>> = HashMap::new();
    let mut pivot: Option<JoinHandle<()>> = None;
    while let Some(cmd) = commands.recv().await {
        match cmd {
            Command::LoadSuspect { req, query, .. } => {
                abort_all(&mut suspect, &mut panes);
                suspect = Some(tokio::spawn(load_suspect(
                    source.clone(),
                    events.clone(),
                    req,
                    query,
                )));
            }
            Command::LoadPane {
                req,
                pane,
                user_id,
                window,
            } => {
                if let Some(old) = panes.remove(&pane) {
                    old.abort();
                }
                let task = tokio::spawn(load_pane(
                    source.clone(),
                    events.clone(),
                    req,
                    pane,
                    user_id,
                    window,
                ));
                panes.insert(pane, task);
            }
            Command::Quit => break,
            Command::Pivot { req, ip, window } => {
                if let Some(old) = pivot.take() {
                    old.abort();
                }
                pivot = Some(tokio::spawn(investigation::load_pivot(
                    source.clone(),
                    events.clone(),
                    req,
                    ip,
                    window,
                )));
            }
            Command::Contain(c) => {
                crate::contain::task::handle(executor.as_ref(), c, events.clone())
            }
            Command::Case(c) => case_io::handle(cases_dir.as_deref(), c, events.clone()),
            Command::SignIn(c) => {
                if let Some(t) = signing.take() {
                    t.abort();
                }
                if c == sign_in::SignInCommand::Cancel {
                    continue;
                }
                let Some(service) = sign_in.clone() else {
                    let why = sign_in::SignInFailure::Unavailable(
                        "this console uses a token given from outside (ENTRA_TRIAGE_TOKEN or a fixed token): get a new one and restart".into(),
                    );
                    emit(
                        &events,
                        WorkerEvent::SignIn(sign_in::SignInEvent::Failed(why)),
                    );
                    continue;
                };
                if let Some(h) = header.take() {
                    h.abort();
                }
                let (source, events, session) = (source.clone(), events.clone(), session.clone());
                signing = Some(tokio::spawn(async move {
                    if sign_in::run(service, events.clone()).await {
                        load_header(source, events, session).await;
                    }
                }));
            }
        }
    }
    if let Some(t) = pivot.take() {
        t.abort();
    }
    if let Some(t) = signing.take() {
        t.abort();
    }
    if let Some(h) = header.take() {
        h.abort();
    }
    abort_all(&mut suspect, &mut panes);
}

fn abort_all(suspect: &mut Option<JoinHandle<()>>, panes: &mut HashMap<PaneId, JoinHandle<()>>) {
    if let Some(t) = suspect.take() {
        t.abort();
    }
    for (_, t) in panes.drain() {
        t.abort();
    }
}

/// Sends an event; a closed channel means the UI is gone, which ends the work anyway.
fn emit(events: &UnboundedSender<WorkerEvent>, ev: WorkerEvent) {
    if events.send(ev).is_err() {
        tracing::debug!("worker event dropped: UI channel closed");
    }
}

/// The title line (tenant, analyst) and pre-flight (scopes, licence), before any pane loads.
async fn load_header(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    session: Session,
) {
    let sign_in = session.sign_in;
    let (org, me) = futures::join!(source.organization(), source.me());
    let (tenant, licence) = match org {
        Ok(o) => (Some(default_domain_or_name(&o)), preflight::Licence::of(&o)),
        Err(e) => {
            tracing::warn!("organization: {e}");
            (None, None)
        }
    };
    let mut scopes = match &sign_in {
        Some(s) => preflight::cached_scopes(&s.cfg),
        None => preflight::ScopeCheck::Unknown {
            why: preflight::UNKNOWN_FIXED_TOKEN.into(),
        },
    };
    if let (Some(s), preflight::ScopeCheck::Known(granted)) = (&sign_in, &mut scopes) {
        preflight::add_app_only_roles(&s.cfg, granted).await;
    }
    let analyst = match me {
        Ok(u) => Some(u.user_principal_name),
        Err(e) => {
            tracing::warn!("me: {e}");
            // The signed-in account from the token, when Graph would not say.
            sign_in
                .as_ref()
                .and_then(|s| crate::auth::whoami_with(&s.cfg, None).ok())
                .and_then(|w| w.account)
                .map(|a| TenantText::from(a.as_str()))
        }
    };
    emit(&events, WorkerEvent::Header { tenant, analyst });
    if session.preflight {
        emit(
            &events,
            WorkerEvent::Preflight(preflight::Preflight { scopes, licence }),
        );
    }
}

/// The tenant as analysts know it: its default verified domain, else its display name.
fn default_domain_or_name(o: &crate::graph::models::Organization) -> TenantText {
    o.verified_domains
        .iter()
        .find(|d| d.is_default == Some(true))
        .map(|d| d.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| o.display_name.clone())
}

async fn load_suspect(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    query: String,
) {
    let ev = match source.user(query.trim()).await {
        Ok((user, _raw)) => WorkerEvent::SuspectLoaded {
            req,
            user: Box::new(user),
        },
        Err(error) => WorkerEvent::SuspectFailed { req, error },
    };
    emit(&events, ev);
}

async fn load_pane(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    pane: PaneId,
    user_id: String,
    window: Window,
) {
    let fail = |part: &'static str, error: SourceError| WorkerEvent::Failed {
        req,
        pane,
        part,
        error,
    };
    match pane {
        PaneId::SignIns => {
            let context = investigation::load_context(
                source.clone(),
                events.clone(),
                req,
                user_id.clone(),
                window,
            );
            let window_rows = async {
                let mut pages =
                    source.sign_ins(ApiVersion::V1, &user_id, window.start, window.end, false);
                while let Some(page) = pages.next().await {
                    match page {
                        Ok(p) => emit(
                            &events,
                            WorkerEvent::SignInPage {
                                req,
                                page_no: p.number,
                                items: p.items,
                                has_more: p.has_more,
                            },
                        ),
                        Err(e) => return emit(&events, fail(part::SIGN_INS, e)),
                    }
                }
                emit(&events, WorkerEvent::SignInsDone { req });
            };
            futures::join!(context, window_rows);
        }
        PaneId::Risk => {
            let user = async {
                let ev = match source.risky_user(&user_id).await {
                    Ok(u) => WorkerEvent::RiskyUser {
                        req,
                        user: u.map(Box::new),
                    },
                    Err(e) => fail(part::RISKY_USER, e),
                };
                emit(&events, ev);
            };
            let history = async {
                let (items, err) = collect(source.risk_history(&user_id)).await;
                emit(&events, WorkerEvent::RiskHistory { req, items });
                if let Some(e) = err {
                    emit(&events, fail(part::RISK_HISTORY, e));
                }
            };
            let detections = async {
                let stream = source.risk_detections(&user_id, window.start, window.end);
                let (items, err) = collect(stream).await;
                emit(&events, WorkerEvent::Detections { req, items });
                if let Some(e) = err {
                    emit(&events, fail(part::DETECTIONS, e));
                }
            };
            futures::join!(user, history, detections);
        }
        PaneId::Methods => {
            let ev = match source.auth_methods(&user_id).await {
                Ok(p) => WorkerEvent::Methods {
                    req,
                    methods: p.items,
                },
                Err(e) => fail(part::METHODS, e),
            };
            emit(&events, ev);
        }
        PaneId::Grants => {
            let (grants, err) = collect(source.grants(&user_id)).await;
            let principals = resolve_principals(source.clone(), &grants).await;
            emit(
                &events,
                WorkerEvent::Grants {
                    req,
                    grants,
                    principals,
                },
            );
            if let Some(e) = err {
                emit(&events, fail(part::GRANTS, e));
            }
        }
        PaneId::Rules => investigation::load_rules(source, events, req, user_id).await,
        PaneId::Audit => investigation::load_audit(source, events, req, user_id, window).await,
        PaneId::Timeline | PaneId::Indicators => {}
    }
}

/// All items of a page stream, and the error that ended it early, if any.
async fn collect<T: Send + 'static>(mut pages: PageStream<T>) -> (Vec<T>, Option<SourceError>) {
    let mut items = Vec::new();
    loop {
        match pages.try_next().await {
            Ok(Some(p)) => items.extend(p.items),
            Ok(None) => return (items, None),
            Err(e) => return (items, Some(e)),
        }
    }
}

/// Looks up each distinct client and resource service principal once. One that cannot be read
/// (deleted app, no permission) is left out: the pane then shows its object id.
async fn resolve_principals(
    source: Arc<dyn TenantSource>,
    grants: &[OAuth2PermissionGrant],
) -> Vec<ServicePrincipal> {
    let ids: BTreeSet<String> = grants
        .iter()
        .flat_map(|g| [g.client_id.clone(), g.resource_id.clone()])
        .filter(|id| !id.trim().is_empty())
        .collect();
    let lookups = ids.into_iter().map(|id| {
        let source = source.clone();
        async move {
            let r = source.service_principal(&id).await;
            (id, r)
        }
    });
    let results: Vec<(String, Result<ServicePrincipal, SourceError>)> =
        futures::stream::iter(lookups)
            .buffer_unordered(SP_CONCURRENCY)
            .collect()
            .await;
    let mut found: Vec<ServicePrincipal> = Vec::with_capacity(results.len());
    for (id, r) in results {
        match r {
            Ok(sp) => found.push(sp),
            Err(e) => tracing::warn!("service principal {id}: {e}"),
        }
    }
    found
}
