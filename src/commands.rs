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
        let (cert, key) = match &self.global.app_only_certificate {
            Some(c) => (Some(c.clone()), self.global.app_only_key.clone()),
            None => (
                self.profile.app_only_certificate.clone(),
                self.profile.app_only_key.clone(),
            ),
        };
        cfg.app_only_certificate = cert.map(|p| expand_home(&p));
        cfg.app_only_key = key.map(|p| expand_home(&p));
        cfg.app_only_client_id = self
            .global
            .app_only_client_id
            .clone()
            .or_else(|| self.profile.app_only_client_id.clone());
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

    /// The app-only client for the reads delegated permissions cannot reach (another user's
    /// inbox rules and mail folders): `None` when no certificate or client secret is
    /// configured; an error when one is configured but unusable (unsafe or unreadable key).
    pub fn app_only_client(&self) -> Result<Option<GraphClient>, Failure> {
        let cfg = self.auth_config()?;
        if !auth::app_only_configured(&cfg) {
            return Ok(None);
        }
        let tokens = auth::app_only_source(&cfg).map_err(|e| Failure::new(4, e.to_string()))?;
        self.client_with(self.graph_url()?, tokens).map(Some)
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

/// `~/…` in a configured path means the home directory.
fn expand_home(p: &std::path::Path) -> std::path::PathBuf {
    match (p.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => p.to_path_buf(),
    }
}

/// `journal verify PATH`: checks the hash chain; the first broken link names its line.
pub fn journal_verify(path: &std::path::Path) -> Result<(), Failure> {
    let (message, code) = crate::case::verify_cli(path);
    if code == 0 {
        println!("{message}");
        Ok(())
    } else {
        Err(Failure::new(u8::try_from(code).unwrap_or(1), message))
    }
}

/// `open FILE…`: exported sign-in logs analysed in the console with no tenant at all.
pub async fn open(ctx: &Context, args: crate::cli::OpenArgs) -> Result<(), Failure> {
    let files = args.files.clone();
    let loaded = tokio::task::spawn_blocking(move || crate::offline::load_files(&files))
        .await
        .map_err(|e| Failure::new(1, format!("loading failed: {e}")))?;
    for f in &loaded.files {
        eprintln!(
            "{}: {} sign-ins ({:?})",
            f.path.display(),
            f.count,
            f.format
        );
    }
    for p in &loaded.problems {
        eprintln!("{p}");
        tracing::warn!(problem = %p, "offline load");
    }
    let source = crate::offline::OfflineSource::new(loaded.sign_ins);
    let (Some(user), Some((start, end))) = (source.main_user().cloned(), source.span()) else {
        return Err(Failure::new(
            1,
            "no sign-ins could be read from these files",
        ));
    };
    let opts = crate::runtime::RunOptions {
        subject: Some(user.user_principal_name.raw().to_owned())
            .filter(|u| !u.is_empty())
            .or(Some(user.id.clone())),
        window: crate::window::Window { start, end },
        no_color: std::env::var_os("NO_COLOR").is_some(),
        thresholds: ctx.thresholds()?,
        // Offline files have no tenant to change: containment stays off.
        contain: false,
        dry_run: false,
        executor: None,
        cases_dir: Some(ctx.paths.cases_dir.clone()),
    };
    crate::runtime::run(std::sync::Arc::new(source), opts)
        .await
        .map_err(|e| Failure::new(1, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn ctx(profile: Profile, global: GlobalArgs) -> Context {
        let dir = PathBuf::from("/nonexistent");
        Context {
            paths: Paths {
                config_file: dir.join("config.toml"),
                data_dir: dir.clone(),
                log_file: dir.join("log"),
                cases_dir: dir.join("cases"),
                token_cache_dir: dir.join("tokens"),
            },
            config: Config::default(),
            profile_name: "p".into(),
            profile,
            global,
        }
    }

    #[test]
    fn app_only_certificate_flags_win_over_the_profile_and_tilde_is_home() {
        let profile = Profile {
            app_only_certificate: Some("~/app.pem".into()),
            app_only_key: Some("~/app.key".into()),
            ..Profile::default()
        };
        let cfg = ctx(profile.clone(), GlobalArgs::default())
            .auth_config()
            .unwrap();
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(
                cfg.app_only_certificate.as_deref(),
                Some(Path::new(&home).join("app.pem").as_path())
            );
            assert_eq!(
                cfg.app_only_key.as_deref(),
                Some(Path::new(&home).join("app.key").as_path())
            );
        }
        // A certificate on the command line brings its own key (or none), never the profile's.
        let global = GlobalArgs {
            app_only_certificate: Some("/k/flag.pem".into()),
            ..GlobalArgs::default()
        };
        let cfg = ctx(profile, global).auth_config().unwrap();
        assert_eq!(
            cfg.app_only_certificate.as_deref(),
            Some(Path::new("/k/flag.pem"))
        );
        assert_eq!(cfg.app_only_key, None);
    }
}
