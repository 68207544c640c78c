//! The worker side of containment: the `ContainCommand`s the UI sends, the `ContainEvent`s
//! that answer them, and `handle`, which runs each on its own task through the `Executor`.
//! A mutation arrives only as a `Confirmed` plan; nothing here builds one.

use futures::TryStreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::action::Subject;
use super::executor::{ActionReport, Executor};
use super::secret::Secret;
use crate::graph::ApiVersion;
use crate::graph::models::MessageRule;
use crate::overlay::confirm::Confirmed;
use crate::protocol::{RequestId, WorkerEvent};
use crate::worker::source::SourceError;

/// What the UI asks of containment.
#[derive(Debug, Clone, PartialEq)]
pub enum ContainCommand {
    /// Run a confirmed plan (the only way a change reaches Graph).
    Mutate {
        /// Id every `Action`/`PlanDone` reply carries.
        req: RequestId,
        /// The plan that passed the confirmation dialog.
        confirmed: Confirmed,
    },
    /// Read the suspect's Inbox rules and preferred (default) MFA method.
    LoadTargets {
        /// Id of the `Targets` reply.
        req: RequestId,
        /// The suspect's object id.
        user_id: String,
    },
    /// Save the suspect's current state to the action log before the first change.
    SaveEvidence {
        /// Id of the `EvidenceSaved` reply.
        req: RequestId,
        /// The suspect.
        subject: Subject,
    },
}

/// What containment reports back.
#[derive(Debug, Clone)]
pub enum ContainEvent {
    /// One action of a plan ended (its secret, if any, is shown once).
    Action {
        /// The `Mutate` request.
        req: RequestId,
        /// Position of the action in the plan.
        index: usize,
        /// What happened.
        report: Box<ActionReport>,
        /// Generated password or TAP, for the one-time dialog only.
        secret: Option<Secret>,
    },
    /// Every action of the plan ended.
    PlanDone {
        /// The `Mutate` request.
        req: RequestId,
    },
    /// The rules and default method arrived (or could not be read).
    Targets {
        /// The `LoadTargets` request.
        req: RequestId,
        /// The Inbox rules, or why they cannot be read (delegated scopes reach only the
        /// analyst's own mailbox).
        rules: Result<Vec<MessageRule>, SourceError>,
        /// `userPreferredMethodForSecondaryAuthentication` (beta), when readable.
        default_method: Option<String>,
    },
    /// Evidence was saved (how many objects) or not (why).
    EvidenceSaved {
        /// The `SaveEvidence` request.
        req: RequestId,
        /// Objects saved, or the reason.
        result: Result<usize, String>,
    },
}

fn emit(events: &UnboundedSender<WorkerEvent>, ev: ContainEvent) {
    if events.send(WorkerEvent::Contain(ev)).is_err() {
        tracing::debug!("containment event dropped: UI channel closed");
    }
}

/// Runs one containment command on its own task. Without an executor (containment not set
/// up for this session), every plan ends as not sent, with the reason.
pub fn handle(
    executor: Option<&Executor>,
    cmd: ContainCommand,
    events: UnboundedSender<WorkerEvent>,
) {
    let Some(ex) = executor.cloned() else {
        let why = "containment is not available in this session".to_owned();
        match cmd {
            ContainCommand::Mutate { req, confirmed } => {
                for (index, action) in confirmed.into_plan().actions.into_iter().enumerate() {
                    let report = ActionReport {
                        request: String::new(),
                        body: None,
                        outcome: super::Outcome::NotSent(why.clone()),
                        action,
                    };
                    emit(
                        &events,
                        ContainEvent::Action {
                            req,
                            index,
                            report: Box::new(report),
                            secret: None,
                        },
                    );
                }
                emit(&events, ContainEvent::PlanDone { req });
            }
            ContainCommand::LoadTargets { req, .. } => emit(
                &events,
                ContainEvent::Targets {
                    req,
                    rules: Err(SourceError::message(why)),
                    default_method: None,
                },
            ),
            ContainCommand::SaveEvidence { req, .. } => emit(
                &events,
                ContainEvent::EvidenceSaved {
                    req,
                    result: Err(why),
                },
            ),
        }
        return;
    };
    tokio::spawn(async move {
        match cmd {
            ContainCommand::Mutate { req, confirmed } => {
                ex.run(confirmed, |index, report, secret| {
                    emit(
                        &events,
                        ContainEvent::Action {
                            req,
                            index,
                            report: Box::new(report),
                            secret,
                        },
                    );
                })
                .await;
                emit(&events, ContainEvent::PlanDone { req });
            }
            ContainCommand::LoadTargets { req, user_id } => {
                let client = ex.client();
                let rules: Result<Vec<MessageRule>, SourceError> = client
                    .message_rules(&user_id)
                    .map_ok(|p| p.items)
                    .try_concat()
                    .await
                    .map_err(SourceError::from);
                let path = format!(
                    "/users/{}/authentication/signInPreferences",
                    crate::graph::odata::segment(&user_id)
                );
                let default_method = match client.get_value(ApiVersion::Beta, &path).await {
                    Ok((v, _)) => v
                        .get("userPreferredMethodForSecondaryAuthentication")
                        .and_then(|x| x.as_str())
                        .map(str::to_owned),
                    Err(e) => {
                        tracing::info!("signInPreferences: {e}");
                        None
                    }
                };
                emit(
                    &events,
                    ContainEvent::Targets {
                        req,
                        rules,
                        default_method,
                    },
                );
            }
            ContainCommand::SaveEvidence { req, subject } => {
                let result = ex.save_evidence(&subject).await;
                emit(&events, ContainEvent::EvidenceSaved { req, result });
            }
        }
    });
}
