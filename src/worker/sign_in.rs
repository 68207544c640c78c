//! Signing in from inside the console: the token slot the Graph client reads through
//! ([`SessionToken`], empty until the analyst has signed in), what the sign-in needs
//! ([`SignInService`]: the profile's configuration), and the device-code task that the worker
//! runs on `Command::SignIn`, reporting each step as a `WorkerEvent::SignIn`.
//!
//! Secrets stay here: the `device_code` never leaves `auth::device`, tokens never leave the
//! token sources, and every `Debug` is redacted. Events carry the user code (meant to be shown)
//! and texts for the analyst only.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use crate::auth::{AuthConfig, AuthError, CachedDelegated, DeviceProgress};
use crate::graph::{GraphError, TokenSource};
use crate::protocol::WorkerEvent;

/// What the Graph client is told while nobody is signed in.
pub const NOT_SIGNED_IN: &str = "not signed in: approve the device code shown in the console";

/// The token source of a console that can sign in by itself: empty until a sign-in succeeds,
/// then the profile's cached delegated sign-in (silent refresh included).
pub struct SessionToken {
    inner: RwLock<Option<Arc<dyn TokenSource>>>,
}

impl SessionToken {
    /// A slot holding `initial` (`None`: not signed in yet).
    pub fn new(initial: Option<Arc<dyn TokenSource>>) -> Arc<Self> {
        Arc::new(Self {
            inner: RwLock::new(initial),
        })
    }

    /// Replaces the token source (after a sign-in).
    pub fn install(&self, source: Arc<dyn TokenSource>) {
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = Some(source);
    }

    /// A source is installed.
    pub fn is_signed_in(&self) -> bool {
        self.current().is_some()
    }

    fn current(&self) -> Option<Arc<dyn TokenSource>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionToken(signed_in: {})", self.is_signed_in())
    }
}

impl TokenSource for SessionToken {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        let current = self.current();
        Box::pin(async move {
            match current {
                Some(source) => source.token().await,
                None => Err(GraphError::auth(NOT_SIGNED_IN)),
            }
        })
    }

    fn invalidate(&self) -> BoxFuture<'_, ()> {
        let current = self.current();
        Box::pin(async move {
            if let Some(source) = current {
                source.invalidate().await;
            }
        })
    }
}

/// Everything an in-console sign-in needs: the profile's configuration and the token slot the
/// Graph client reads through.
#[derive(Clone)]
pub struct SignInService {
    /// The profile (tenant, client id, cloud, cache).
    pub cfg: AuthConfig,
    /// Where the new sign-in is installed.
    pub token: Arc<SessionToken>,
}

impl std::fmt::Debug for SignInService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInService")
            .field("profile", &self.cfg.profile)
            .field("tenant", &self.cfg.tenant)
            .field("token", &self.token)
            .finish()
    }
}

impl SignInService {
    /// What the sign-in screen says about where the analyst signs in.
    pub fn about(&self) -> SignInAbout {
        SignInAbout {
            profile: self.cfg.profile.clone(),
            tenant: self.cfg.tenant.clone(),
            cloud: self.cfg.cloud.name().to_owned(),
        }
    }
}

/// Profile, tenant and cloud of the sign-in (configuration, not tenant data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInAbout {
    /// Profile name.
    pub profile: String,
    /// Tenant id or domain as configured.
    pub tenant: String,
    /// Cloud name (`global`, `usgov`…).
    pub cloud: String,
}

/// UI → worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInCommand {
    /// Request a device code and wait for its approval (replaces a running sign-in).
    Start,
    /// Stop waiting (the analyst closed the sign-in).
    Cancel,
}

/// How a sign-in ended without a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInFailure {
    /// The code expired before it was approved.
    Expired,
    /// The analyst (or an admin policy) declined on the verification page.
    Declined,
    /// Conditional Access blocked the device-code flow; the text is Entra's, verbatim, with
    /// the alternatives.
    Blocked(String),
    /// Any other refusal or failure (AADSTS text verbatim, with a hint when one is known).
    Error(String),
    /// No sign-in is possible from here (`ENTRA_TRIAGE_TOKEN`, a fixed token).
    Unavailable(String),
}

/// Worker → UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInEvent {
    /// A code to show.
    Code {
        /// What the analyst types at the verification page.
        user_code: String,
        /// Where to type it.
        verification_uri: String,
        /// Seconds until the code expires.
        left_secs: u64,
    },
    /// Still waiting (`authorization_pending`).
    Waiting {
        /// Seconds until the code expires.
        left_secs: u64,
    },
    /// The service asked to poll less often (`slow_down`).
    SlowDown {
        /// The new poll interval, seconds.
        interval_secs: u64,
        /// Seconds until the code expires.
        left_secs: u64,
    },
    /// A poll failed on the network; retried.
    Retrying {
        /// Failures in a row.
        failures: u32,
        /// Seconds until the code expires.
        left_secs: u64,
    },
    /// Signed in: the token is cached and installed.
    SignedIn {
        /// The account, when the token names it.
        account: Option<String>,
    },
    /// The sign-in ended without a token.
    Failed(SignInFailure),
}

fn secs(d: Duration) -> u64 {
    d.as_secs()
}

/// The event for one step of the device flow.
pub fn progress_event(p: DeviceProgress) -> SignInEvent {
    match p {
        DeviceProgress::Code(prompt) => SignInEvent::Code {
            left_secs: u64::try_from((prompt.expires_at - chrono::Utc::now()).num_seconds())
                .unwrap_or(0),
            user_code: prompt.user_code,
            verification_uri: prompt.verification_uri,
        },
        DeviceProgress::Pending { left } => SignInEvent::Waiting {
            left_secs: secs(left),
        },
        DeviceProgress::SlowDown { interval, left } => SignInEvent::SlowDown {
            interval_secs: secs(interval),
            left_secs: secs(left),
        },
        DeviceProgress::Retrying { failures, left } => SignInEvent::Retrying {
            failures,
            left_secs: secs(left),
        },
    }
}

/// What the analyst reads when a sign-in fails (Entra's text verbatim; `run entra-triage
/// login` advice is replaced by the console's key).
pub fn failure(e: &AuthError) -> SignInFailure {
    match e {
        AuthError::Expired { .. } => SignInFailure::Expired,
        AuthError::Declined => SignInFailure::Declined,
        AuthError::ConditionalAccess { .. } => SignInFailure::Blocked(e.to_string()),
        other => SignInFailure::Error(other.to_string()),
    }
}

/// Runs one device-code sign-in for the console; on success installs the profile's cached
/// sign-in into the session token. Every step is reported to the UI. True when signed in.
pub async fn run(service: SignInService, events: UnboundedSender<WorkerEvent>) -> bool {
    let send = |ev: SignInEvent| {
        if events.send(WorkerEvent::SignIn(ev)).is_err() {
            tracing::debug!("sign-in event dropped: UI channel closed");
        }
    };
    let result = crate::auth::login_with_progress(&service.cfg, |p| send(progress_event(p))).await;
    let ev = match result {
        Ok(session) => match CachedDelegated::open(&service.cfg) {
            Ok(source) => {
                service.token.install(Arc::new(source));
                tracing::info!("console sign-in succeeded");
                SignInEvent::SignedIn {
                    account: session.account,
                }
            }
            Err(e) => SignInEvent::Failed(failure(&e)),
        },
        Err(e) => {
            tracing::warn!("console sign-in failed: {e}");
            SignInEvent::Failed(failure(&e))
        }
    };
    let ok = matches!(ev, SignInEvent::SignedIn { .. });
    send(ev);
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Fixed(&'static str);
    impl TokenSource for Fixed {
        fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
            let t = self.0.to_owned();
            Box::pin(async move { Ok(t) })
        }
    }

    #[tokio::test]
    async fn the_slot_refuses_until_a_source_is_installed() {
        let slot = SessionToken::new(None);
        let err = slot.token().await.unwrap_err();
        assert_eq!(err.kind, crate::graph::ErrorKind::Auth);
        assert!(err.message.contains("not signed in"), "{err}");
        slot.install(Arc::new(Fixed("tok-123")));
        assert_eq!(slot.token().await.unwrap(), "tok-123");
        let shown = format!("{slot:?}");
        assert!(!shown.contains("tok-123"), "{shown}");
    }

    #[test]
    fn failures_keep_entra_text_and_name_expiry_and_decline() {
        assert_eq!(
            failure(&AuthError::Expired {
                user_code: "ABC".into(),
                minutes: 15
            }),
            SignInFailure::Expired
        );
        assert_eq!(failure(&AuthError::Declined), SignInFailure::Declined);
        let other = failure(&AuthError::Protocol("AADSTS700016: app not found".into()));
        assert!(matches!(other, SignInFailure::Error(t) if t.contains("AADSTS700016")));
    }
}
