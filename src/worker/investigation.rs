//! The worker's investigation reads beyond the first four panes: the sign-in context the
//! analysis needs (baseline before the window, beta non-interactive sign-ins, sign-in
//! preferences, the organisation), inbox rules with mail folders, directory audits, and the
//! pivot (everyone's sign-ins from one IP). Each read that fails is reported, never panics.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::source::{ApiVersion, SourceError, TenantSource};
use super::{collect, emit, part};
use crate::protocol::{PaneId, RequestId, WorkerEvent};
use crate::window::Window;

/// Days of sign-in history before the window read as the user's baseline (same as the
/// headless collection, so the console and the report analyse the same evidence).
pub const BASELINE_DAYS: i64 = crate::collect::BASELINE_DAYS;

/// Part names of the sign-in context (in `WorkerEvent::SignInContext::errors`).
pub mod context_part {
    /// Interactive sign-ins before the window.
    pub const BASELINE: &str = "baseline sign-ins";
    /// Beta non-interactive sign-ins.
    pub const NON_INTERACTIVE: &str = "non-interactive sign-ins";
    /// Beta sign-in preferences.
    pub const PREFERENCES: &str = "sign-in preferences";
    /// The organisation.
    pub const ORGANIZATION: &str = "organization";
}

/// Baseline, non-interactive sign-ins, preferences and the organisation, as one event.
pub(super) async fn load_context(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    user_id: String,
    window: Window,
) {
    let from = window.start - chrono::Duration::days(BASELINE_DAYS);
    let (baseline, ni, prefs, org) = futures::join!(
        collect(source.sign_ins(ApiVersion::V1, &user_id, from, window.start, false)),
        collect(source.sign_ins(ApiVersion::Beta, &user_id, from, window.end, true)),
        source.sign_in_preferences(&user_id),
        source.organization(),
    );
    let mut errors: Vec<(&'static str, SourceError)> = Vec::new();
    if let Some(e) = baseline.1 {
        errors.push((context_part::BASELINE, e));
    }
    if let Some(e) = ni.1 {
        errors.push((context_part::NON_INTERACTIVE, e));
    }
    let preferences = match prefs {
        Ok(p) => p,
        Err(e) => {
            errors.push((context_part::PREFERENCES, e));
            None
        }
    };
    let tenant = match org {
        Ok(o) => Some(Box::new(o)),
        Err(e) => {
            errors.push((context_part::ORGANIZATION, e));
            None
        }
    };
    emit(
        &events,
        WorkerEvent::SignInContext {
            req,
            baseline: baseline.0,
            non_interactive: ni.0,
            preferences,
            tenant,
            errors,
        },
    );
}

/// Inbox rules and mail folders. A rules failure fails the pane; a folders failure only
/// leaves folder names unresolved.
pub(super) async fn load_rules(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    user_id: String,
) {
    let ((rules, rules_err), (folders, folders_err)) = futures::join!(
        collect(source.message_rules(&user_id)),
        collect(source.mail_folders(&user_id)),
    );
    if let Some(e) = &folders_err {
        tracing::warn!("mail folders: {e}");
    }
    emit(
        &events,
        WorkerEvent::Rules {
            req,
            rules,
            folders,
        },
    );
    if let Some(error) = rules_err {
        emit(
            &events,
            WorkerEvent::Failed {
                req,
                pane: PaneId::Rules,
                part: part::RULES,
                error,
            },
        );
    }
}

/// Directory audits of the window.
pub(super) async fn load_audit(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    user_id: String,
    window: Window,
) {
    let (items, err) = collect(source.directory_audits(&user_id, window.start, window.end)).await;
    emit(&events, WorkerEvent::Audits { req, items });
    if let Some(error) = err {
        emit(
            &events,
            WorkerEvent::Failed {
                req,
                pane: PaneId::Audit,
                part: part::AUDIT,
                error,
            },
        );
    }
}

/// Everyone's sign-ins from `ip` in the window.
pub(super) async fn load_pivot(
    source: Arc<dyn TenantSource>,
    events: UnboundedSender<WorkerEvent>,
    req: RequestId,
    ip: String,
    window: Window,
) {
    let (items, error) = collect(source.sign_ins_from_ip(&ip, window.start, window.end)).await;
    emit(
        &events,
        WorkerEvent::PivotSignIns {
            req,
            ip,
            items,
            error,
        },
    );
}
