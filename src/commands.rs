//! What each command of the binary does, on top of the library. `main.rs` only parses and
//! dispatches; everything that resolves profiles, flags and environment into a Graph client
//! lives here so the console, `report` and `whoami` reach Graph the same way.

mod console;
mod report;
mod session;

pub use console::console;
pub use report::{ExitStatus, report, write_whole};
pub use session::{login, logout, whoami};

use std::sync::Arc;
use std::time::Duration;

use crate::analysis::Thresholds;
use crate::auth::{self, AuthConfig, Cloud};
use crate::cli::GlobalArgs;
use crate::config::{Config, Paths, Profile};
use crate::graph::{ClientConfig, GraphClient, TokenSource};

/// Everything resolved from the configuration file, the profile and the global flags.
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    pub config: Config,
    pub profile_name: String,
    pub profile: Profile,
    pub global: GlobalArgs,
}

/// A failure with the message to print and the process exit status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl Failure {
    pub fn new(status: u8, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl Context {
    pub fn load(global: GlobalArgs) -> Result<Self, Failure> {
        let paths = Paths::discover().map_err(|e| Failure::new(1, e.to_string()))?;
        let config = Config::load(global.config.as_deref(), &paths)
            .map_err(|e| Failure::new(1, e.to_string()))?;
        let (profile_name, profile) = config
            .profile(global.profile.as_deref())
            .map_err(|e| Failure::new(1, e.to_string()))?;
        Ok(Self {
            paths,
            config,
            profile_name,
            profile,
            global,
        })
    }

    /// Sign-in settings: flags win over the profile, the profile over defaults.
    pub fn auth_config(&self) -> Result<AuthConfig, Failure> {
        let cloud_name = self
            .global
            .cloud
            .clone()
            .or_else(|| self.profile.cloud.clone());
        let cloud = match cloud_name {
            Some(c) => c
                .parse::<Cloud>()
                .map_err(|e| Failure::new(2, e.to_string()))?,
            None => Cloud::Global,
        };
        let tenant = self
            .global
            .tenant
            .clone()
            .or_else(|| self.profile.tenant.clone())
            .unwrap_or_else(|| "organizations".to_owned());
        let client_id = self
            .global
            .client_id
            .clone()
            .or_else(|| self.profile.client_id.clone())
            .unwrap_or_default();
        let mut cfg = AuthConfig::new(tenant, client_id, self.paths.token_cache_dir.clone());
        cfg.cloud = cloud;
        cfg.profile = self.profile_name.clone();
        cfg.authority_url = self
            .global
            .authority_url
            .clone()
            .or_else(|| self.profile.authority_url.clone());
        cfg.graph_url = self
            .global
            .graph_url
            .clone()
            .or_else(|| self.profile.graph_url.clone());
        cfg.client_secret_env = self.profile.client_secret_env.clone();
        Ok(cfg)
    }

    /// The Graph root after cloud defaults and overrides.
    pub fn graph_url(&self) -> Result<String, Failure> {
        let cfg = self.auth_config()?;
        let ep = cfg
            .endpoints()
            .map_err(|e| Failure::new(2, e.to_string()))?;
        Ok(ep.graph)
    }

    /// A client for the tenant: `ENTRA_TRIAGE_TOKEN` if set, else the cached sign-in.
    pub fn graph_client(&self) -> Result<GraphClient, Failure> {
        let cfg = self.auth_config()?;
        let tokens = auth::token_source(&cfg).map_err(|e| Failure::new(4, e.to_string()))?;
        self.client_with(self.graph_url()?, tokens)
    }

    pub fn client_with(
        &self,
        graph_url: String,
        tokens: Arc<dyn TokenSource>,
    ) -> Result<GraphClient, Failure> {
        let cfg = ClientConfig {
            graph_url,
            timeout: Duration::from_secs(self.config.console.request_timeout_secs.max(1)),
            ..ClientConfig::default()
        };
        GraphClient::new(cfg, tokens).map_err(|e| Failure::new(1, e.to_string()))
    }

    /// Indicator thresholds from `[analysis]` (defaults for every key not given).
    pub fn thresholds(&self) -> Result<Thresholds, Failure> {
        toml::Value::Table(self.config.analysis.clone())
            .try_into::<Thresholds>()
            .map_err(|e| Failure::new(1, format!("[analysis] in the configuration: {e}")))
    }
}

/// `journal verify PATH` (filled in with the case module).
pub fn journal_verify(_path: &std::path::Path) -> Result<(), Failure> {
    Err(Failure::new(
        1,
        "journal verification is not in this build yet",
    ))
}

/// `open FILE…` (filled in with the offline loader).
pub async fn open(_ctx: &Context, _args: crate::cli::OpenArgs) -> Result<(), Failure> {
    Err(Failure::new(1, "offline analysis is not in this build yet"))
}
