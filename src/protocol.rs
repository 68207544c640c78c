//! The only vocabulary shared by the UI and the worker: request ids, the `Command`s the UI
//! asks for and the `WorkerEvent`s the worker answers with. Data travels inside these
//! messages; nothing here performs IO or holds shared state.

use crate::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, Organization,
    RiskDetection, RiskyUser, RiskyUserHistoryItem, ServicePrincipal, SignIn, SignInPreferences,
    TenantText, User,
};
use crate::window::Window;
use crate::worker::source::SourceError;

/// Identifies one request of the UI; a reply carrying an id the UI no longer waits for is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// The panes of the console, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    /// The sign-in timeline.
    SignIns,
    /// Identity Protection: risky user record, risk history and risk detections.
    Risk,
    /// Registered authentication methods.
    Methods,
    /// Delegated OAuth permission grants.
    Grants,
    /// Inbox rules of the suspect's mailbox.
    Rules,
    /// Directory audit events naming the suspect.
    Audit,
    /// Merged chronology of everything loaded (derived; never loaded itself).
    Timeline,
    /// The analysis' findings (derived; never loaded itself).
    Indicators,
}

impl PaneId {
    /// Every pane, in tab order.
    pub const ALL: [PaneId; 8] = [
        Self::SignIns,
        Self::Risk,
        Self::Methods,
        Self::Grants,
        Self::Rules,
        Self::Audit,
        Self::Timeline,
        Self::Indicators,
    ];

    /// Position in the tab bar (0-based).
    pub fn index(self) -> usize {
        match self {
            Self::SignIns => 0,
            Self::Risk => 1,
            Self::Methods => 2,
            Self::Grants => 3,
            Self::Rules => 4,
            Self::Audit => 5,
            Self::Timeline => 6,
            Self::Indicators => 7,
        }
    }

    /// The tab title.
    pub fn title(self) -> &'static str {
        match self {
            Self::SignIns => "Sign-ins",
            Self::Risk => "Risk",
            Self::Methods => "Methods",
            Self::Grants => "Grants",
            Self::Rules => "Rules",
            Self::Audit => "Audit",
            Self::Timeline => "Timeline",
            Self::Indicators => "Indicators",
        }
    }

    /// The pane is loaded by the worker (Timeline and Indicators are derived from the others).
    pub fn loads(self) -> bool {
        !matches!(self, Self::Timeline | Self::Indicators)
    }
}

/// What the UI asks the worker to do (UI → worker).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Look up a suspect by UPN, mail or object id; cancels all work for the previous suspect.
    LoadSuspect {
        /// Id the `SuspectLoaded` / `SuspectFailed` reply will carry.
        req: RequestId,
        /// What the analyst typed (UPN, mail or object id).
        query: String,
        /// The investigation window.
        window: Window,
    },
    /// (Re)load one pane of the current suspect; cancels that pane's outstanding load.
    LoadPane {
        /// Id every reply for this load carries.
        req: RequestId,
        /// Which pane.
        pane: PaneId,
        /// The suspect's object id.
        user_id: String,
        /// The investigation window.
        window: Window,
    },
    /// Stop all work and end the worker.
    Quit,
    /// Everyone's sign-ins from `ip` inside the window (pivot); cancels the previous pivot.
    Pivot {
        /// Id the `PivotSignIns` reply carries.
        req: RequestId,
        /// The IP address.
        ip: String,
        /// The investigation window.
        window: Window,
    },
    /// Containment: a confirmed change, or the reads containment needs.
    Contain(crate::contain::task::ContainCommand),
    /// Case file: evidence snapshot, export of a pane, incident report.
    Case(crate::worker::case_io::CaseCommand),
    /// Device-code sign-in from inside the console (start or cancel).
    SignIn(crate::worker::sign_in::SignInCommand),
}

/// What the worker reports (worker → UI).
#[derive(Debug, Clone)]
pub enum WorkerEvent {
    /// Tenant and analyst context for the title line (fetched once at start).
    Header {
        /// The organisation's display name, when it could be read.
        tenant: Option<TenantText>,
        /// The signed-in analyst's UPN, when it could be read.
        analyst: Option<TenantText>,
    },
    /// The suspect was found.
    SuspectLoaded {
        /// The `LoadSuspect` request this answers.
        req: RequestId,
        /// The directory user.
        user: Box<User>,
    },
    /// The suspect could not be looked up (not found, forbidden, transport…).
    SuspectFailed {
        /// The `LoadSuspect` request this answers.
        req: RequestId,
        /// What went wrong.
        error: SourceError,
    },
    /// One page of sign-ins arrived (pages arrive in order).
    SignInPage {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// 1-based page number.
        page_no: usize,
        /// The sign-ins of this page.
        items: Vec<SignIn>,
        /// More pages follow.
        has_more: bool,
    },
    /// The sign-in stream ended without error.
    SignInsDone {
        /// The `LoadPane` request this answers.
        req: RequestId,
    },
    /// The Identity Protection record (`None`: the user was never risky).
    RiskyUser {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// The record, if any.
        user: Option<Box<RiskyUser>>,
    },
    /// The whole risk history (all pages).
    RiskHistory {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// History items as Graph returned them.
        items: Vec<RiskyUserHistoryItem>,
    },
    /// The risk detections inside the window (all pages).
    Detections {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// Detections as Graph returned them.
        items: Vec<RiskDetection>,
    },
    /// The registered authentication methods.
    Methods {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// Methods as Graph returned them.
        methods: Vec<AuthMethod>,
    },
    /// The delegated grants, with every distinct client/resource service principal resolved.
    Grants {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// The user's grants.
        grants: Vec<OAuth2PermissionGrant>,
        /// The service principals that could be resolved (each looked up once).
        principals: Vec<ServicePrincipal>,
    },
    /// One part of a pane's load failed; data already delivered stays valid but incomplete.
    Failed {
        /// The request this answers.
        req: RequestId,
        /// The pane whose load failed.
        pane: PaneId,
        /// Which part failed (e.g. "risk history"), for the status line.
        part: &'static str,
        /// What went wrong.
        error: SourceError,
    },
    /// The inbox rules and the mail folders (to name `moveToFolder` targets).
    Rules {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// Inbox rules as Graph returned them.
        rules: Vec<MessageRule>,
        /// Mail folders (empty when they could not be read).
        folders: Vec<MailFolder>,
    },
    /// Directory audit events naming the suspect as target or initiator in the window.
    Audits {
        /// The `LoadPane` request this answers.
        req: RequestId,
        /// Audit events as Graph returned them.
        items: Vec<DirectoryAudit>,
    },
    /// What the analysis needs beside the window's sign-ins, loaded with the Sign-ins pane:
    /// the baseline before the window, beta non-interactive sign-ins, sign-in preferences and
    /// the organisation (verified domains).
    SignInContext {
        /// The Sign-ins `LoadPane` request this answers.
        req: RequestId,
        /// Interactive sign-ins of the baseline period before the window.
        baseline: Vec<SignIn>,
        /// Beta non-interactive sign-ins (baseline and window).
        non_interactive: Vec<SignIn>,
        /// The default MFA method, when readable.
        preferences: Option<SignInPreferences>,
        /// The organisation, when readable.
        tenant: Option<Box<Organization>>,
        /// Parts that could not be read: (part, error).
        errors: Vec<(&'static str, SourceError)>,
    },
    /// Everyone's sign-ins from one IP (pivot).
    PivotSignIns {
        /// The `Pivot` request this answers.
        req: RequestId,
        /// The IP asked about.
        ip: String,
        /// The sign-ins that arrived.
        items: Vec<SignIn>,
        /// The error that ended the read early, if any.
        error: Option<SourceError>,
    },
    /// Containment progress: each action's outcome, targets, evidence.
    Contain(crate::contain::task::ContainEvent),
    /// A case-file command finished (or failed).
    Case(crate::worker::case_io::CaseEvent),
    /// A step of the in-console sign-in (code, waiting, slow_down, signed in, failed).
    SignIn(crate::worker::sign_in::SignInEvent),
    /// What the token may do and what the tenant is licensed for (before panes load).
    Preflight(crate::worker::preflight::Preflight),
}
