//! The simulated Microsoft Graph tenant: a real HTTP server (axum, http1) on a local port that
//! answers the Graph v1.0/beta requests the console makes, from a tenant directory (contracts
//! §3) or the built-in demo tenant. Public API: [`SimOptions`], [`start`], [`run_cli`].
//!
//! Request path: `server` (auth, ids, throttling, faults, latency, request log) →
//! `routes` (dispatch by path) → `routes_*` / `mutations*` (Graph semantics over `tenant`).

mod audit;
mod client_assertion;
mod demo;
mod enums;
mod errors;
mod faults;
mod filter;
mod filter_eval;
pub mod generator;
pub mod identity;
mod mutations;
mod mutations_auth;
mod query;
mod rebase;
mod request_log;
mod risk_state;
mod routes;
mod routes_auth;
mod routes_directory;
mod routes_reports;
mod routes_risk;
mod scopes;
mod server;
mod signins;
mod state;
mod tenant;
mod throttle;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

pub use demo::{DEMO_ANALYST_ID, DEMO_ANCHOR, DEMO_SUSPECT_ID};
pub use faults::{FaultEffect, MALFORMED_BODY};
pub use generator::{Generator, ScaleUser};
pub use mutations_auth::{SIM_PASSWORD_MARKER, SIM_TAP_MARKER};
pub use state::{DelayRule, FaultRule};

/// Which published Microsoft limits the simulator enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThrottleMode {
    /// Microsoft's published limits (reports 5/10 s per app, Identity Protection 1/s per
    /// tenant, directory token bucket, Outlook 4 concurrent per mailbox).
    #[default]
    Microsoft,
    /// No throttling at all.
    Off,
}

impl std::str::FromStr for ThrottleMode {
    type Err = String;
    /// `microsoft` or `off` (the `--throttle` values), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "microsoft" => Ok(ThrottleMode::Microsoft),
            "off" => Ok(ThrottleMode::Off),
            other => Err(format!(
                "unknown throttle mode '{other}' (expected microsoft or off)"
            )),
        }
    }
}

impl std::fmt::Display for ThrottleMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ThrottleMode::Microsoft => "microsoft",
            ThrottleMode::Off => "off",
        })
    }
}

/// How to start the simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Tenant directory (contracts §3); `None` = the built-in demo tenant.
    pub tenant_dir: Option<PathBuf>,
    /// Number of extra generated sign-ins for the scale user.
    pub scale: usize,
    /// UPN of the user who receives the generated sign-ins; default: the demo suspect.
    pub scale_user: Option<String>,
    /// Delay added to every response.
    pub latency_ms: u64,
    /// Throttling behaviour.
    pub throttle: ThrottleMode,
    /// Append one JSON line per answered request to this file.
    pub request_log: Option<PathBuf>,
    /// Shift every timestamp so that the data's anchor lands on this instant (whole minutes).
    pub rebase_to: Option<DateTime<Utc>>,
    /// PEM certificate registered on the sign-in app for app-only client assertions, with
    /// the application permission `MailboxSettings.Read`.
    pub app_certificate: Option<PathBuf>,
}

impl SimOptions {
    /// The built-in demo tenant on 127.0.0.1 with a free port, rebased to now.
    pub fn demo() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tenant_dir: None,
            scale: 0,
            scale_user: None,
            latency_ms: 0,
            throttle: ThrottleMode::Microsoft,
            request_log: None,
            rebase_to: Some(Utc::now()),
            app_certificate: None,
        }
    }
}

/// Everything that can stop the simulator from starting or serving.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{file}:{line}:{column}: invalid JSON: {message}")]
    TenantJson {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    TenantShape { file: String, message: String },
    #[error("cannot read {file}: {source}")]
    TenantIo {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("scale user {0} is not in users.json")]
    UnknownScaleUser(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open request log {file}: {source}")]
    RequestLog {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("app certificate {file}: {message}")]
    AppCertificate { file: String, message: String },
    #[error("simulator I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// A running simulator. Dropping it (or calling [`SimHandle::shutdown`]) stops the server.
pub struct SimHandle {
    /// Graph root, e.g. `http://127.0.0.1:38111` (no trailing slash).
    pub graph_url: String,
    /// The bearer token the simulator accepts.
    pub token: String,
    /// The bound address.
    pub addr: SocketAddr,
    state: Arc<state::SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// Stops the server and waits until it has finished.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Adds a fault-injection rule (hook for failure tests).
    pub fn add_fault(&self, rule: FaultRule) {
        self.state.add_fault(rule);
    }

    /// Adds an "apply, then answer late" rule (a timeout after the change was applied).
    pub fn add_delay_after_apply(&self, rule: DelayRule) {
        self.state.add_delay(rule);
    }

    /// Removes every fault-injection rule (and its request count).
    pub fn clear_faults(&self) {
        state::lock(&self.state.faults).clear();
    }

    /// Takes a user (id or UPN) out of the Temporary Access Pass policy's scope.
    pub fn exclude_from_tap_policy(&self, user: &str) {
        self.state.exclude_from_tap_policy(user);
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds, loads the tenant and spawns the server task.
pub async fn start(opts: SimOptions) -> Result<SimHandle, SimError> {
    let listener = tokio::net::TcpListener::bind(opts.listen)
        .await
        .map_err(|source| SimError::Bind {
            addr: opts.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    let graph_url = format!("http://{addr}");
    let state = Arc::new(state::SimState::new(&opts, graph_url.clone())?);
    let token = state.token.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let router = identity::router(state.idp.clone()).merge(server::router(state.clone()));
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!("simulator stopped: {e}");
        }
    });
    Ok(SimHandle {
        graph_url,
        token,
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Starts the simulator, prints `graph: URL` and `token: TOKEN` on stdout, serves until
/// Ctrl-C or SIGTERM.
pub async fn run_cli(opts: SimOptions) -> Result<(), SimError> {
    use std::io::Write;
    let handle = start(opts).await?;
    {
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "graph: {}\ntoken: {}\n",
            handle.graph_url, handle.token
        )?;
        out.flush()?;
    }
    wait_for_signal().await;
    handle.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_mode_parses_cli_values() {
        assert_eq!(
            "Microsoft".parse::<ThrottleMode>(),
            Ok(ThrottleMode::Microsoft)
        );
        assert_eq!("off".parse::<ThrottleMode>(), Ok(ThrottleMode::Off));
        assert!("sometimes".parse::<ThrottleMode>().is_err());
        assert_eq!(ThrottleMode::Off.to_string(), "off");
    }

    #[test]
    fn demo_options() {
        let o = SimOptions::demo();
        assert_eq!(o.listen.port(), 0);
        assert!(o.listen.ip().is_loopback());
        assert!(o.tenant_dir.is_none() && o.rebase_to.is_some());
        assert_eq!(o.throttle, ThrottleMode::Microsoft);
    }
}
