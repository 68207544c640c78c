//! Configuration: the TOML file (every key documented in config.example.toml), the paths the
//! tool uses, and how CLI flags override the file. No network, no terminal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Environment variable that moves the data directory (cases, logs, token cache).
pub const DATA_DIR_ENV: &str = "ENTRA_TRIAGE_DATA_DIR";
/// Environment variable that names the configuration file.
pub const CONFIG_ENV: &str = "ENTRA_TRIAGE_CONFIG";

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    /// Tenant profiles by name.
    pub profiles: BTreeMap<String, Profile>,
    pub console: ConsoleConfig,
    /// Indicator thresholds and trusted networks (see docs/indicators.md).
    pub analysis: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            default_profile: None,
            profiles: BTreeMap::new(),
            console: ConsoleConfig::default(),
            analysis: toml::Table::new(),
        }
    }
}

/// One tenant the analyst works on.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Tenant id or verified domain (`organizations` if unset).
    pub tenant: Option<String>,
    /// Application (client) id of the public-client app registration.
    pub client_id: Option<String>,
    /// `global` (default), `usgov`, `usgovdod` or `china`.
    pub cloud: Option<String>,
    /// Graph root override (e.g. a simulator).
    pub graph_url: Option<String>,
    /// Sign-in host override.
    pub authority_url: Option<String>,
    /// Name of the environment variable holding an app-only client secret.
    pub client_secret_env: Option<String>,
    /// App-only certificate credential: PEM with the certificate and (unless `app_only_key`)
    /// the private key; the key file must be mode 0600. Wins over the client secret.
    pub app_only_certificate: Option<PathBuf>,
    /// PEM with the private key of `app_only_certificate`, when it is a separate file.
    pub app_only_key: Option<PathBuf>,
    /// Application (client) id of a separate app registration for app-only (default:
    /// `client_id`).
    pub app_only_client_id: Option<String>,
}

/// Console behaviour.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Window length when neither `--days` nor `--from` is given.
    pub default_days: i64,
    /// Per-request timeout in seconds.
    pub request_timeout_secs: u64,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            default_days: 7,
            request_timeout_secs: 60,
        }
    }
}

/// A configuration problem, said plainly with the file it came from.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("no profile named {0:?} in the configuration (known: {1})")]
    UnknownProfile(String, String),
    #[error("cannot find a home directory to keep data in; set {DATA_DIR_ENV}")]
    NoHome,
}

impl Config {
    /// Loads `path` (or the default file if it exists; a missing default file is fine).
    pub fn load(explicit: Option<&Path>, paths: &Paths) -> Result<Self, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match std::env::var_os(CONFIG_ENV) {
                Some(p) => (PathBuf::from(p), true),
                None => (paths.config_file.clone(), false),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        Self::parse(&text).map_err(|message| ConfigError::Parse { path, message })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The chosen profile (`--profile`, else `default_profile`, else the only one, else empty).
    pub fn profile(&self, name: Option<&str>) -> Result<(String, Profile), ConfigError> {
        let wanted = name
            .map(str::to_owned)
            .or_else(|| self.default_profile.clone());
        match wanted {
            Some(n) => match self.profiles.get(&n) {
                Some(p) => Ok((n, p.clone())),
                None => Err(ConfigError::UnknownProfile(
                    n,
                    self.profiles.keys().cloned().collect::<Vec<_>>().join(", "),
                )),
            },
            None if self.profiles.len() == 1 => {
                let (n, p) = self
                    .profiles
                    .iter()
                    .next()
                    .map(|(n, p)| (n.clone(), p.clone()))
                    .unwrap_or_default();
                Ok((n, p))
            }
            None => Ok(("default".to_owned(), Profile::default())),
        }
    }
}

/// Every path the tool reads or writes.
#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    pub log_file: PathBuf,
    pub cases_dir: PathBuf,
    pub token_cache_dir: PathBuf,
}

impl Paths {
    /// Platform directories (XDG on Linux), or `$ENTRA_TRIAGE_DATA_DIR` for the data.
    pub fn discover() -> Result<Self, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "entra-triage");
        let data_dir = match std::env::var_os(DATA_DIR_ENV) {
            Some(d) => PathBuf::from(d),
            None => dirs
                .as_ref()
                .ok_or(ConfigError::NoHome)?
                .data_dir()
                .to_path_buf(),
        };
        let config_file = match &dirs {
            Some(d) => d.config_dir().join("config.toml"),
            None => data_dir.join("config.toml"),
        };
        Ok(Self::under(config_file, data_dir))
    }

    pub fn under(config_file: PathBuf, data_dir: PathBuf) -> Self {
        Self {
            config_file,
            log_file: data_dir.join("logs").join("entra-triage.log"),
            cases_dir: data_dir.join("cases"),
            token_cache_dir: data_dir.join("tokens"),
            data_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_and_profiles_resolve() {
        let text = include_str!("../config.example.toml");
        let c = Config::parse(text).unwrap();
        let (name, p) = c.profile(None).unwrap();
        assert_eq!(name, "contoso");
        assert!(p.client_id.is_some());
        assert!(c.profile(Some("nope")).is_err());
        assert!(Config::parse("bogus_key = 1").is_err());
    }

    #[test]
    fn example_app_only_lines_parse_when_uncommented() {
        let text = include_str!("../config.example.toml")
            .replace("# app_only_certificate =", "app_only_certificate =")
            .replace("# app_only_key =", "app_only_key =");
        let (_, p) = Config::parse(&text).unwrap().profile(None).unwrap();
        assert_eq!(
            p.app_only_certificate.as_deref(),
            Some(Path::new("~/.config/entra-triage/app-only.pem"))
        );
        assert!(p.app_only_key.is_some());
    }
}
