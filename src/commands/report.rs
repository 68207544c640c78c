//! `entra-triage report USER`: collect, analyse and write the incident report without the
//! console — for tickets and scripts. Progress goes to stderr, the report to stdout or to
//! `--out` (written whole through a temporary file and a rename, or not at all).
//!
//! Exit status: 0 written (whatever it found) · 2 bad arguments · 3 suspect not found ·
//! 4 not signed in / not allowed · 5 Graph or network failure · 6 cannot write the output.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::analysis;
use crate::cli::{ReportArgs, ReportFormat};
use crate::collect;
use crate::graph::{ErrorKind, GraphError};
use crate::report::{self, ReportMeta};
use crate::window::Window;

use super::{Context, Failure};

/// Documented exit statuses of `report`.
pub struct ExitStatus;

impl ExitStatus {
    pub const USAGE: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const AUTH: u8 = 4;
    pub const GRAPH: u8 = 5;
    pub const OUTPUT: u8 = 6;
}

/// Runs the headless report.
pub async fn report(ctx: &Context, args: ReportArgs) -> Result<(), Failure> {
    let now = chrono::Utc::now();
    let window = Window::from_options(
        args.window.days,
        args.window.from.as_deref(),
        args.window.to.as_deref(),
        ctx.config.console.default_days,
        now,
    )
    .map_err(|e| Failure::new(ExitStatus::USAGE, e.to_string()))?;
    let thresholds = ctx.thresholds()?;
    let client = ctx.graph_client()?;
    let mailbox = ctx.app_only_client()?;
    let tty = std::io::stderr().is_terminal();
    let progress = move |msg: &str| {
        let mut err = std::io::stderr().lock();
        if tty {
            let _ = write!(err, "\r\x1b[2K{msg}");
        } else {
            let _ = writeln!(err, "{msg}");
        }
    };
    let (me, collected) = tokio::join!(
        client.me(),
        collect::collect_with(&client, mailbox.as_ref(), &args.user, window, &progress)
    );
    if tty {
        eprintln!();
    }
    let (evidence, _raw) = collected.map_err(|e| graph_failure(&args.user, &e))?;
    for g in &evidence.gaps {
        eprintln!("incomplete: {}: {}", g.part, g.reason);
    }
    let an = analysis::analyse(&evidence, &thresholds);
    let meta = ReportMeta {
        generated_at: now,
        analyst: me
            .ok()
            .map(|u| u.user_principal_name.raw().to_owned())
            .filter(|s| !s.is_empty()),
        tenant: evidence.tenant.as_ref().map(|t| {
            if t.display_name.is_empty() {
                t.id.clone()
            } else {
                format!("{} ({})", t.display_name.raw(), t.id)
            }
        }),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        actions: Vec::new(),
    };
    let rep = report::build(&evidence, &an, &meta);
    let text = match args.format {
        ReportFormat::Json => report::to_json(&rep),
        ReportFormat::Md => report::to_markdown(&rep),
    };
    eprintln!("{} findings", an.findings.len());
    match &args.out {
        Some(path) => write_whole(path, text.as_bytes()).map_err(|e| {
            Failure::new(
                ExitStatus::OUTPUT,
                format!("cannot write {}: {e}", path.display()),
            )
        }),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| {
                    if text.ends_with('\n') {
                        Ok(())
                    } else {
                        out.write_all(b"\n")
                    }
                })
                .and_then(|_| out.flush())
                .map_err(|e| {
                    Failure::new(ExitStatus::OUTPUT, format!("cannot write the report: {e}"))
                })
        }
    }
}

fn graph_failure(who: &str, e: &GraphError) -> Failure {
    let who = crate::sanitize::line(who);
    if e.is_not_found() {
        return Failure::new(
            ExitStatus::NOT_FOUND,
            format!("no user {who} in this tenant ({e})"),
        );
    }
    if e.kind == ErrorKind::Auth || matches!(e.status, Some(401) | Some(403)) {
        return Failure::new(ExitStatus::AUTH, format!("cannot read {who}: {e}"));
    }
    Failure::new(ExitStatus::GRAPH, format!("cannot read {who}: {e}"))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a report and a failure leaves nothing at `path`.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
