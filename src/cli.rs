//! Command-line interface (clap). Parsing only: what each command does lives in `main.rs`
//! and the modules it calls. Options shared by every command that talks to Graph are global.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Investigate and contain a possibly compromised Microsoft Entra ID account.
#[derive(Debug, Parser)]
#[command(
    name = "entra-triage",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub console: ConsoleArgs,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options for every command that reaches a tenant.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Configuration file (default: the user's config directory, see `entra-triage info`).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Tenant profile from the configuration file.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Graph root to talk to instead of the cloud's (e.g. http://127.0.0.1:38111).
    #[arg(long, global = true, value_name = "URL")]
    pub graph_url: Option<String>,
    /// Sign-in host to use instead of the cloud's (…/{tenant}/oauth2/v2.0/… is appended).
    #[arg(long, global = true, value_name = "URL")]
    pub authority_url: Option<String>,
    /// Tenant id or verified domain to sign in to.
    #[arg(long, global = true, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Application (client) id of the app registration.
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// National cloud: global, usgov, usgovdod, china.
    #[arg(long, global = true, value_name = "CLOUD")]
    pub cloud: Option<String>,
    /// App-only certificate credential: PEM with the certificate and (unless --app-only-key)
    /// the private key, mode 0600; used only for reads delegated permissions cannot reach.
    #[arg(long, global = true, value_name = "PEM")]
    pub app_only_certificate: Option<PathBuf>,
    /// PEM with the private key of --app-only-certificate, when it is a separate file.
    #[arg(
        long,
        global = true,
        value_name = "PEM",
        requires = "app_only_certificate"
    )]
    pub app_only_key: Option<PathBuf>,
    /// Application (client) id of a separate app registration for app-only (default:
    /// --client-id).
    #[arg(long, global = true, value_name = "ID")]
    pub app_only_client_id: Option<String>,
}

/// The investigation window: `--days N` ending now, or `--from T [--to T]` in UTC.
#[derive(Debug, Clone, Args, Default)]
pub struct WindowArgs {
    /// Days to look back from now (default 7, from the configuration).
    #[arg(long, value_name = "N", conflicts_with = "from")]
    pub days: Option<i64>,
    /// Window start, UTC: 2026-10-21 or 2026-10-21T08:00:00Z.
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// Window end, UTC (default: now).
    #[arg(long, value_name = "T", requires = "from")]
    pub to: Option<String>,
}

/// Running the console (no subcommand).
#[derive(Debug, Clone, Args, Default)]
pub struct ConsoleArgs {
    /// The suspect: UPN, mail or object id.
    #[arg(value_name = "USER")]
    pub user: Option<String>,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Run against the built-in simulated tenant (a Graph server on 127.0.0.1).
    #[arg(long)]
    pub demo: bool,
    /// Enable containment actions for this session (the console starts read-only).
    #[arg(long)]
    pub contain: bool,
    /// Show and record every change the playbook would make, and send none.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the simulated tenant standalone (prints `graph:` and `token:` lines, then serves).
    Simulate(SimulateArgs),
    /// Collect, analyse and write the incident report without the console.
    Report(ReportArgs),
    /// Print every path the tool uses (config, data, logs, cases, token cache).
    Info,
    /// Sign in with the device code flow and cache the token.
    Login,
    /// Forget the cached token of the profile.
    Logout,
    /// Show who is signed in, to which tenant, with which scopes, until when.
    Whoami,
    /// Work with a case journal.
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
    /// Analyse sign-in logs exported earlier, with no tenant at all.
    Open(OpenArgs),
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Check the hash chain of a journal and report the first broken link.
    Verify {
        /// The journal file (journal.jsonl in a case folder).
        path: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Throttle {
    /// Microsoft's published limits.
    #[default]
    Microsoft,
    /// No throttling.
    Off,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Serve this tenant directory instead of the built-in demo (contracts.md §3 layout).
    #[arg(long, value_name = "DIR")]
    pub tenant_dir: Option<PathBuf>,
    /// Add N generated sign-ins, deterministically.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub scale: usize,
    /// The user who receives the generated sign-ins (with --tenant-dir).
    #[arg(long, value_name = "UPN")]
    pub scale_user: Option<String>,
    /// Delay every response by N milliseconds.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,
    /// Throttling: Microsoft's published limits, or off.
    #[arg(long, value_enum, default_value_t = Throttle::Microsoft)]
    pub throttle: Throttle,
    /// Append one JSON line per answered request to FILE.
    #[arg(long, value_name = "FILE")]
    pub request_log: Option<PathBuf>,
    /// Register this PEM certificate on the sign-in app for app-only client assertions
    /// (application permission MailboxSettings.Read).
    #[arg(long, value_name = "PEM")]
    pub app_certificate: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The suspect: UPN, mail or object id.
    pub user: String,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write to FILE instead of stdout (written whole, or not at all).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Exported sign-in logs: Graph JSON, JSON Lines, or the admin center's JSON/CSV.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent_and_parses_contract_forms() {
        Cli::command().debug_assert();
        let c = Cli::try_parse_from(["entra-triage", "--demo"]).unwrap();
        assert!(c.console.demo && c.command.is_none());
        let c = Cli::try_parse_from([
            "entra-triage",
            "report",
            "alice@contoso.com",
            "--from",
            "2026-10-21",
            "--to",
            "2026-10-22T08:00:00Z",
            "--format",
            "json",
            "--out",
            "r.json",
            "--graph-url",
            "http://127.0.0.1:1",
        ])
        .unwrap();
        assert_eq!(c.global.graph_url.as_deref(), Some("http://127.0.0.1:1"));
        assert!(matches!(
            c.command,
            Some(Command::Report(ReportArgs {
                format: ReportFormat::Json,
                ..
            }))
        ));
        let c = Cli::try_parse_from([
            "entra-triage",
            "simulate",
            "--listen",
            "127.0.0.1:0",
            "--throttle",
            "off",
        ])
        .unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Simulate(SimulateArgs {
                throttle: Throttle::Off,
                ..
            }))
        ));
        assert!(
            Cli::try_parse_from(["entra-triage", "bob", "--days", "3", "--from", "2026-01-01"])
                .is_err()
        );
    }
}
