//! `entra-triage [USER]`: the console, on a tenant or on the built-in simulated tenant
//! (`--demo` starts the simulator in-process and points the same client at it). Signing in
//! happens inside the console (device code on its sign-in screen), never before it.

use std::sync::Arc;

use crate::cli::ConsoleArgs;
use crate::graph::{GraphClient, StaticToken, TokenSource};
use crate::runtime::{self, RunOptions};
use crate::sim::{self, SimOptions};
use crate::window::Window;
use crate::worker::Session;
use crate::worker::sign_in::{SessionToken, SignInService};

use super::{Context, Failure};

/// Runs the console until the analyst quits.
pub async fn console(ctx: &Context, args: ConsoleArgs) -> Result<(), Failure> {
    let window = Window::from_options(
        args.window.days,
        args.window.from.as_deref(),
        args.window.to.as_deref(),
        ctx.config.console.default_days,
        chrono::Utc::now(),
    )
    .map_err(|e| Failure::new(2, e.to_string()))?;

    // Keep the simulator alive for the whole session when it serves the demo.
    let mut _sim = None;
    let (client, session): (GraphClient, Session) = if args.demo {
        let handle = sim::start(SimOptions::demo())
            .await
            .map_err(|e| Failure::new(1, format!("cannot start the simulated tenant: {e}")))?;
        tracing::info!(graph = %handle.graph_url, "demo: simulated tenant started");
        let client = ctx.client_with(
            handle.graph_url.clone(),
            Arc::new(StaticToken::new(handle.token.clone())),
        )?;
        _sim = Some(handle);
        let session = Session {
            sign_in: None,
            preflight: true,
        };
        (client, session)
    } else {
        let (tokens, session) = console_session(ctx)?;
        (ctx.client_with(ctx.graph_url()?, tokens)?, session)
    };
    let subject = match (&args.user, args.demo) {
        (Some(u), _) => Some(u.clone()),
        (None, true) => Some("alice@contoso.com".to_owned()),
        (None, false) => None,
    };
    // Always ready: `:contain` / `C` can turn containment on later. Nothing reaches it
    // without a confirmed plan, and the action log file appears only with the first entry.
    // The journal lives in the suspect's case folder (`cases/<date>-<upn>/journal.jsonl`),
    // hash-chained and fsynced; it is created with the first entry.
    tracing::info!(cases = %ctx.paths.cases_dir.display(), contain = args.contain, dry_run = args.dry_run, "containment journal");
    let analyst = std::env::var("USER").unwrap_or_else(|_| "analyst".to_owned());
    let log = crate::contain::case_log::CaseLog::new(ctx.paths.cases_dir.clone(), analyst);
    let executor = Some(crate::contain::Executor::new(
        client.clone(),
        Box::new(log),
        args.dry_run,
    ));
    let opts = RunOptions {
        subject,
        window,
        no_color: std::env::var_os("NO_COLOR").is_some(),
        thresholds: ctx.thresholds()?,
        contain: args.contain,
        dry_run: args.dry_run,
        executor,
        cases_dir: Some(ctx.paths.cases_dir.clone()),
    };
    // The suspect's mailbox through the app-only credential when one is configured.
    let mailbox = if args.demo {
        None
    } else {
        ctx.app_only_client()?
    };
    let source: Arc<dyn crate::worker::source::TenantSource> = match mailbox {
        Some(m) => Arc::new(crate::worker::mailbox_source::MailboxSplit::new(
            Arc::new(client),
            Arc::new(m),
        )),
        None => Arc::new(client),
    };
    runtime::run_session(source, opts, session)
        .await
        .map_err(|e| Failure::new(1, e.to_string()))
}

/// The token the console reads with, and how it signs in: `ENTRA_TRIAGE_TOKEN` as is (no
/// sign-in from the console), else the profile's cached sign-in behind a session slot that
/// the console's own device-code sign-in fills — empty when nobody is signed in yet, and the
/// console then starts on its sign-in screen (no prompt is printed before the screen).
fn console_session(ctx: &Context) -> Result<(Arc<dyn TokenSource>, Session), Failure> {
    use std::io::IsTerminal;
    let cfg = ctx.auth_config()?;
    if let Some(token) = crate::auth::env_token() {
        let tokens: Arc<dyn TokenSource> = Arc::new(crate::auth::EnvToken::new(token));
        let session = Session {
            sign_in: None,
            preflight: true,
        };
        return Ok((tokens, session));
    }
    let cached: Option<Arc<dyn TokenSource>> = match crate::auth::CachedDelegated::open(&cfg) {
        Ok(c) => Some(Arc::new(c)),
        Err(crate::auth::AuthError::NotSignedIn { .. }) if std::io::stdin().is_terminal() => None,
        Err(e) => return Err(Failure::new(4, e.to_string())),
    };
    let token = SessionToken::new(cached);
    let session = Session {
        sign_in: Some(SignInService {
            cfg,
            token: token.clone(),
        }),
        preflight: true,
    };
    Ok((token, session))
}
