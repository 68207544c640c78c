//! The `entra-triage` binary: parse the command line, log to a file, run the command.
//! Nothing is printed to stdout/stderr while the console's alternate screen is up.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;
use entra_triage::cli::{Cli, Command, JournalCommand};
use entra_triage::commands::{self, Context, Failure};
use entra_triage::sim::{self, SimOptions, ThrottleMode};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match Context::load(cli.global.clone()) {
        Ok(c) => c,
        Err(f) => return fail(f),
    };
    init_logging(&ctx);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return fail(Failure::new(
                1,
                format!("cannot start the async runtime: {e}"),
            ));
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(ctx, cli) => r,
            never = injected_panic() => match never {},
        }
    });
    // Do not wait for background tasks (e.g. an in-process simulator) to wind down.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(f),
    }
}

async fn run(ctx: Context, cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => commands::console(&ctx, cli.console).await,
        Some(Command::Simulate(a)) => {
            let opts = SimOptions {
                listen: a.listen,
                tenant_dir: a.tenant_dir,
                scale: a.scale,
                scale_user: a.scale_user,
                latency_ms: a.latency_ms,
                throttle: match a.throttle {
                    entra_triage::cli::Throttle::Microsoft => ThrottleMode::Microsoft,
                    entra_triage::cli::Throttle::Off => ThrottleMode::Off,
                },
                request_log: a.request_log,
                rebase_to: None,
                app_certificate: a.app_certificate,
            };
            let opts = if opts.tenant_dir.is_none() {
                SimOptions {
                    rebase_to: SimOptions::demo().rebase_to,
                    ..opts
                }
            } else {
                opts
            };
            sim::run_cli(opts)
                .await
                .map_err(|e| Failure::new(1, e.to_string()))
        }
        Some(Command::Report(a)) => commands::report(&ctx, a).await,
        Some(Command::Info) => {
            info(&ctx);
            Ok(())
        }
        Some(Command::Login) => commands::login(&ctx).await,
        Some(Command::Logout) => commands::logout(&ctx),
        Some(Command::Whoami) => commands::whoami(&ctx).await,
        Some(Command::Journal {
            command: JournalCommand::Verify { path },
        }) => commands::journal_verify(&path),
        Some(Command::Open(a)) => commands::open(&ctx, a).await,
    }
}

/// Test hook, debug builds only: when `ENTRA_TRIAGE_TEST_PANIC_FILE` names a file, the command
/// panics on the main thread as soon as that file exists — with everything it holds (tokens,
/// a secret on screen) still alive — so tests/secrets_sweep.rs can check what a crash prints.
/// Release builds never panic here.
async fn injected_panic() -> std::convert::Infallible {
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("ENTRA_TRIAGE_TEST_PANIC_FILE") {
        let path = std::path::PathBuf::from(path);
        loop {
            if path.exists() {
                panic!("injected panic (test hook {})", path.display());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    std::future::pending().await
}

fn info(ctx: &Context) {
    let p = &ctx.paths;
    println!("config:      {}", p.config_file.display());
    println!("data:        {}", p.data_dir.display());
    println!("logs:        {}", p.log_file.display());
    println!("cases:       {}", p.cases_dir.display());
    println!("token cache: {}", p.token_cache_dir.display());
    println!("profile:     {}", ctx.profile_name);
    match ctx.graph_url() {
        Ok(g) => println!("graph:       {g}"),
        Err(f) => println!("graph:       ({})", f.message),
    }
}

fn init_logging(ctx: &Context) {
    let path = &ctx.paths.log_file;
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ENTRA_TRIAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}

fn fail(f: Failure) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "entra-triage: {}", f.message);
    ExitCode::from(f.status.max(1))
}
