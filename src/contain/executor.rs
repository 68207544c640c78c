//! The executor: runs a `Confirmed` plan against Graph, one action at a time. Per action:
//! read and save the object (`ActionLog::save_before`), record the intent, send once
//! (`GraphClient::send`, never retried), poll a long-running reset, read again and decide the
//! outcome — verified, not verifiable (why), failed (status, code, message, request-id) or
//! unknown (may have been applied; only a read decides, never a re-send). Secrets returned by
//! Graph or generated here leave only inside a `Secret`, never in a record or an error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use zeroize::Zeroize;

use super::action::{DangerousAction, Plan, Subject};
use super::log::{ActionLog, ActionRecordOut};
use super::secret::{Secret, SecretKind, generate_password};
use super::verify::{Read, Verdict, verdict};
use crate::graph::{ApiVersion, GraphClient, GraphError, MutationResponse};
use crate::overlay::confirm::Confirmed;

/// How many times a password-reset operation is polled before giving up.
const MAX_POLLS: u32 = 15;

/// The outcome of one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Done, and the read after shows it (what shows it).
    Verified(String),
    /// Graph accepted it, but the read cannot show it (why).
    NotVerifiable(String),
    /// Graph refused it (nothing changed).
    Failed {
        /// HTTP status, when Graph answered.
        status: Option<u16>,
        /// Graph error code.
        code: Option<String>,
        /// Graph message or transport description.
        message: String,
        /// Graph `request-id`.
        request_id: Option<String>,
    },
    /// It may have been applied (answer lost); not re-sent (what the read showed).
    Unknown(String),
    /// Dry run: recorded and shown, not sent.
    DryRun,
    /// Not sent (why), e.g. the journal could not record the intent.
    NotSent(String),
}

impl Outcome {
    /// Stable name for the journal.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Verified(_) => "verified",
            Self::NotVerifiable(_) => "not_verifiable",
            Self::Failed { .. } => "failed",
            Self::Unknown(_) => "unknown",
            Self::DryRun => "dry_run",
            Self::NotSent(_) => "not_sent",
        }
    }

    /// One line for the analyst.
    pub fn summary(&self) -> String {
        match self {
            Self::Verified(d) => format!("done (verified: {d})"),
            Self::NotVerifiable(d) => format!("done (not verifiable: {d})"),
            Self::Failed {
                status,
                code,
                message,
                request_id,
            } => {
                let mut s = String::from("failed:");
                if let Some(st) = status {
                    s.push_str(&format!(" {st}"));
                }
                if let Some(c) = code {
                    s.push_str(&format!(" {c}"));
                }
                s.push_str(&format!(" — {message}"));
                if let Some(r) = request_id {
                    s.push_str(&format!(" (request-id {r})"));
                }
                crate::sanitize::line_capped(&s, 400)
            }
            Self::Unknown(d) => format!("unknown: {d}"),
            Self::DryRun => "dry run: recorded, not sent".into(),
            Self::NotSent(d) => format!("not sent: {d}"),
        }
    }

    /// The change is in place (verified or accepted).
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Verified(_) | Self::NotVerifiable(_))
    }

    fn detail(&self) -> Option<String> {
        match self {
            Self::Verified(d) | Self::NotVerifiable(d) | Self::Unknown(d) | Self::NotSent(d) => {
                Some(d.clone())
            }
            Self::Failed { message, .. } => Some(message.clone()),
            Self::DryRun => None,
        }
    }
}

/// What happened to one action of a plan (no secret inside).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionReport {
    /// The action.
    pub action: DangerousAction,
    /// `POST /v1.0/…` as sent.
    pub request: String,
    /// Body as shown (secrets masked).
    pub body: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
}

/// Runs confirmed plans. Cheap to clone; clones share the log and run one action at a time.
#[derive(Clone)]
pub struct Executor {
    client: GraphClient,
    log: Arc<Mutex<Box<dyn ActionLog>>>,
    serial: Arc<tokio::sync::Mutex<()>>,
    dry_run: bool,
    /// Subjects whose evidence was saved before their first change.
    evidence_saved: Arc<Mutex<std::collections::HashSet<String>>>,
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executor")
            .field("client", &self.client)
            .field("dry_run", &self.dry_run)
            .finish_non_exhaustive()
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Executor {
    /// An executor sending through `client` and recording into `log`. With `dry_run`, no
    /// plan is ever sent, whatever the plan says.
    pub fn new(client: GraphClient, log: Box<dyn ActionLog>, dry_run: bool) -> Self {
        Self {
            client,
            log: Arc::new(Mutex::new(log)),
            serial: Arc::new(tokio::sync::Mutex::new(())),
            dry_run,
            evidence_saved: Arc::default(),
        }
    }

    /// The Graph client (the worker's containment reads use it too).
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    fn with_log<T>(
        &self,
        f: impl FnOnce(&mut dyn ActionLog) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let mut guard = self.log.lock().unwrap_or_else(|p| p.into_inner());
        f(guard.as_mut())
    }

    /// Runs every action of the confirmed plan in order, reporting each as it ends.
    pub async fn run(
        &self,
        confirmed: Confirmed,
        mut report: impl FnMut(usize, ActionReport, Option<Secret>),
    ) {
        let _one_at_a_time = self.serial.lock().await;
        let plan = confirmed.into_plan();
        let dry = plan.dry_run || self.dry_run;
        if !dry {
            self.evidence_first(&plan.subject).await;
        }
        for (i, action) in plan.actions.iter().enumerate() {
            let (r, secret) = self.one(&plan, action, dry).await;
            report(i, r, secret);
        }
    }

    async fn read_all(&self, paths: &[String]) -> Vec<Read> {
        let mut out = Vec::with_capacity(paths.len());
        for p in paths {
            out.push(
                self.client
                    .get_value(ApiVersion::V1, p)
                    .await
                    .map(|(v, _)| v),
            );
        }
        out
    }

    fn record(&self, subject: &Subject, action: &DangerousAction, dry: bool) -> ActionRecordOut {
        let (request, body) = action.shown_request(subject);
        ActionRecordOut {
            time: now(),
            action: action.name().into(),
            target_id: subject.id.clone(),
            target_upn: subject.upn.raw().to_owned(),
            request,
            body,
            dry_run: dry,
            outcome: None,
            detail: None,
            status: None,
            code: None,
            request_id: None,
            client_request_id: None,
        }
    }

    async fn one(
        &self,
        plan: &Plan,
        action: &DangerousAction,
        dry: bool,
    ) -> (ActionReport, Option<Secret>) {
        let s = &plan.subject;
        let mut rec = self.record(s, action, dry);
        let report = |outcome: Outcome, rec: &ActionRecordOut| ActionReport {
            action: action.clone(),
            request: rec.request.clone(),
            body: rec.body.clone(),
            outcome,
        };
        let reads = action.reads(s);
        let before = if dry {
            Vec::new()
        } else {
            self.read_all(&reads).await
        };
        for (path, r) in reads.iter().zip(&before) {
            let obj = match r {
                Ok(v) => v.clone(),
                Err(e) => json!({"path": path, "readError": e.to_string()}),
            };
            if let Err(e) = self.with_log(|l| l.save_before(action.name(), &obj)) {
                let o = Outcome::NotSent(format!("the object could not be saved first: {e}"));
                return (report(o, &rec), None);
            }
        }
        if let Err(e) = self.with_log(|l| l.intent(&rec)) {
            let o = Outcome::NotSent(format!("the journal could not record the intent: {e}"));
            return (report(o, &rec), None);
        }
        let (outcome, secret) = if dry {
            (Outcome::DryRun, None)
        } else {
            self.send(s, action, &reads, &before, &mut rec).await
        };
        rec.time = now();
        rec.outcome = Some(outcome.name().into());
        rec.detail = outcome.detail();
        if let Err(e) = self.with_log(|l| l.outcome(&rec)) {
            tracing::error!("journal: outcome of {} not recorded: {e}", action.name());
        }
        (report(outcome, &rec), secret)
    }

    async fn send(
        &self,
        s: &Subject,
        action: &DangerousAction,
        reads: &[String],
        before: &[Read],
        rec: &mut ActionRecordOut,
    ) -> (Outcome, Option<Secret>) {
        let mut req = action.request(s);
        let mut generated = None;
        if matches!(action, DangerousAction::ResetPasswordProfile { .. }) {
            let pw = generate_password();
            if let Some(slot) = req
                .body
                .as_mut()
                .and_then(|b| b.pointer_mut("/passwordProfile/password"))
            {
                *slot = Value::String(pw.as_str().to_owned());
            }
            generated = Some(pw);
        }
        let sent = self.client.send(&req).await;
        if let Some(Value::String(p)) = req
            .body
            .as_mut()
            .and_then(|b| b.pointer_mut("/passwordProfile/password"))
        {
            p.zeroize();
        }
        let secret_of_ours = |g: &Option<zeroize::Zeroizing<String>>| {
            g.as_ref()
                .map(|p| Secret::new(SecretKind::Password, p.as_str().to_owned()))
        };
        match sent {
            Ok(mut resp) => {
                rec.status = Some(resp.status);
                rec.request_id.clone_from(&resp.request_id);
                rec.client_request_id = Some(resp.client_request_id.clone());
                let (secret, created_id) = take_secret(action, &mut resp);
                let secret = secret.or_else(|| secret_of_ours(&generated));
                if matches!(action, DangerousAction::ResetPassword)
                    && let Err(o) = self.poll(&resp).await
                {
                    // A failed reset leaves the old password: the generated one is useless.
                    let keep = if matches!(o, Outcome::Failed { .. }) {
                        None
                    } else {
                        secret
                    };
                    return (o, keep);
                }
                let after = self.read_all(reads).await;
                let o = match verdict(action, before, &after, created_id.as_deref()) {
                    Verdict::Applied(d) => Outcome::Verified(d),
                    Verdict::NotApplied(d) => Outcome::NotVerifiable(format!(
                        "Graph accepted it but the read shows {d}; changes can take minutes to show"
                    )),
                    Verdict::CannotTell(d) => Outcome::NotVerifiable(d),
                };
                (o, secret)
            }
            Err(e) if e.maybe_applied => {
                rec.status = e.status;
                rec.code.clone_from(&e.code);
                rec.request_id.clone_from(&e.request_id);
                rec.client_request_id.clone_from(&e.client_request_id);
                let after = self.read_all(reads).await;
                let why = crate::sanitize::line_capped(&e.to_string(), 200);
                let o = match verdict(action, before, &after, None) {
                    Verdict::Applied(d) => {
                        Outcome::Verified(format!("{d} (the answer was lost: {why})"))
                    }
                    Verdict::NotApplied(d) | Verdict::CannotTell(d) => Outcome::Unknown(format!(
                        "{why}; the request may have been applied and was not re-sent; the read shows: {d}"
                    )),
                };
                // Our own password may now be set: the analyst must still see it.
                (o, secret_of_ours(&generated))
            }
            Err(e) => {
                rec.status = e.status;
                rec.code.clone_from(&e.code);
                rec.request_id.clone_from(&e.request_id);
                rec.client_request_id.clone_from(&e.client_request_id);
                (failed(&e), None)
            }
        }
    }

    /// Polls the `Location` of a resetPassword answer until the operation ends.
    async fn poll(&self, resp: &MutationResponse) -> Result<(), Outcome> {
        let Some(loc) = resp.location.as_deref() else {
            return Err(Outcome::NotVerifiable(
                "Graph sent no Location to poll the reset operation".into(),
            ));
        };
        let root = self.client.graph_url();
        let Some(path) = loc
            .strip_prefix(root)
            .and_then(|p| p.strip_prefix("/v1.0"))
            .filter(|p| p.starts_with('/'))
        else {
            return Err(Outcome::NotVerifiable(
                "the reset operation lives outside the Graph root; not followed".into(),
            ));
        };
        let mut wait = resp.retry_after.unwrap_or(1.0);
        for _ in 0..MAX_POLLS {
            tokio::time::sleep(Duration::from_secs_f64(wait.clamp(0.2, 5.0))).await;
            match self.client.get_value(ApiVersion::V1, path).await {
                Ok((v, rid)) => match v.get("status").and_then(Value::as_str).unwrap_or("") {
                    s if s.eq_ignore_ascii_case("succeeded") => return Ok(()),
                    s if s.eq_ignore_ascii_case("failed") => {
                        let detail = v.get("statusDetail").and_then(Value::as_str).unwrap_or("");
                        return Err(Outcome::Failed {
                            status: None,
                            code: Some("operationFailed".into()),
                            message: crate::sanitize::line_capped(
                                &format!("the reset operation failed {detail}"),
                                300,
                            ),
                            request_id: rid,
                        });
                    }
                    _ => wait = 1.0,
                },
                Err(e) => {
                    return Err(Outcome::NotVerifiable(format!(
                        "the reset operation could not be read: {e}"
                    )));
                }
            }
        }
        Err(Outcome::NotVerifiable(format!(
            "the reset operation was still running after {MAX_POLLS} polls"
        )))
    }

    /// Before the first change to a subject in this session, its evidence is saved.
    async fn evidence_first(&self, s: &Subject) {
        let saved = self
            .evidence_saved
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&s.id.to_ascii_lowercase());
        if !saved && let Err(e) = self.save_evidence(s).await {
            tracing::error!("evidence before the first change: {e}");
        }
    }

    /// Saves the suspect's current state (user, methods, grants, rules) before the first
    /// change. Returns how many objects were saved; parts Graph refused are saved as errors.
    pub async fn save_evidence(&self, s: &Subject) -> Result<usize, String> {
        let user = format!("/users/{}", crate::graph::odata::segment(&s.id));
        let paths = [
            user.clone(),
            format!("{user}/authentication/methods"),
            format!("{user}/oauth2PermissionGrants"),
            format!("{user}/mailFolders/inbox/messageRules"),
        ];
        let reads = self.read_all(&paths).await;
        let pages: Vec<(String, serde_json::Value)> = paths
            .iter()
            .zip(reads)
            .map(|(p, r)| {
                let obj = match r {
                    Ok(v) => v,
                    Err(e) => json!({"path": p, "readError": e.to_string()}),
                };
                (p.clone(), obj)
            })
            .collect();
        let n = pages.len();
        self.with_log(|l| l.save_evidence(s, &pages))
            .map_err(|e| format!("evidence not saved: {e}"))?;
        self.evidence_saved
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(s.id.to_ascii_lowercase());
        Ok(n)
    }
}

fn failed(e: &GraphError) -> Outcome {
    Outcome::Failed {
        status: e.status,
        code: e.code.clone(),
        message: crate::sanitize::line_capped(&e.message, 300),
        request_id: e.request_id.clone(),
    }
}

/// Moves the secret out of the answer body (password or TAP) and returns it with the id of
/// a created object. The body keeps no copy.
fn take_secret(
    action: &DangerousAction,
    resp: &mut MutationResponse,
) -> (Option<Secret>, Option<String>) {
    let Some(body) = resp.body.as_mut() else {
        return (None, None);
    };
    let created = body.get("id").and_then(Value::as_str).map(str::to_owned);
    let (field, kind) = match action {
        DangerousAction::ResetPassword => ("newPassword", SecretKind::Password),
        DangerousAction::IssueTap { .. } => {
            ("temporaryAccessPass", SecretKind::TemporaryAccessPass)
        }
        _ => return (None, created),
    };
    let secret = match body.get_mut(field).map(Value::take) {
        Some(Value::String(s)) if !s.is_empty() => Some(Secret::new(kind, s)),
        _ => None,
    };
    (secret, created)
}
