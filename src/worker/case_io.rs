//! The case-file IO of the console (`:evidence`, `:export`, `:report`): the `CaseCommand`s the
//! app sends (they carry all the data), the `CaseEvent` answers, and `handle`, which does the
//! file work in `tokio::task::spawn_blocking` inside the suspect's case folder
//! (`Case::open_or_create(cases_dir, upn, today)`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::case::{Case, EntryKind, ExportFormat, ExportTable, NewEntry, SnapshotMeta, Target};
use crate::protocol::WorkerEvent;
use crate::report::Report;
use crate::window::Window;

/// What the app asks of the case folder (UI → worker).
#[derive(Debug, Clone, PartialEq)]
pub enum CaseCommand {
    /// Save an evidence snapshot and journal it.
    Evidence {
        /// The suspect's UPN (names the case folder).
        upn: String,
        /// The suspect's object id.
        subject_id: String,
        /// The investigation window.
        window: Window,
        /// `(part, page)`: the loaded models of each part, serialised with serde.
        pages: Vec<(String, Value)>,
        /// Who saved it (the header's analyst).
        analyst: String,
    },
    /// Write the current pane's rows as shown.
    Export {
        /// The suspect's UPN.
        upn: String,
        /// The view's name (the pane title), part of the file name.
        view: String,
        /// CSV or JSON Lines.
        format: ExportFormat,
        /// Columns and rows as the console shows them.
        table: ExportTable,
    },
    /// Write the incident report (Markdown and JSON).
    Report {
        /// The suspect's UPN.
        upn: String,
        /// The report; its `generated_at` is set by the worker when written.
        report: Box<Report>,
    },
}

/// The answer to a `CaseCommand` (worker → UI).
#[derive(Debug, Clone, PartialEq)]
pub enum CaseEvent {
    /// Done: the case folder and what was written.
    Done {
        /// The suspect's case folder.
        case_dir: PathBuf,
        /// One line for the status message (the written path).
        message: String,
    },
    /// The work failed.
    Failed {
        /// One line for the status message.
        message: String,
    },
}

/// Runs `cmd` on a blocking thread and answers with `WorkerEvent::Case`.
pub fn handle(cases_dir: Option<&Path>, cmd: CaseCommand, events: UnboundedSender<WorkerEvent>) {
    let Some(dir) = cases_dir.map(Path::to_path_buf) else {
        let ev = CaseEvent::Failed {
            message: "no cases folder configured: case files are off".into(),
        };
        if events.send(WorkerEvent::Case(ev)).is_err() {
            tracing::debug!("case event dropped: UI channel closed");
        }
        return;
    };
    tokio::spawn(async move {
        let ev = match tokio::task::spawn_blocking(move || run(&dir, cmd, Utc::now())).await {
            Ok(ev) => ev,
            Err(e) => CaseEvent::Failed {
                message: format!("case file work stopped: {e}"),
            },
        };
        if events.send(WorkerEvent::Case(ev)).is_err() {
            tracing::debug!("case event dropped: UI channel closed");
        }
    });
}

/// Does `cmd` synchronously at `now` (the blocking half of `handle`).
pub fn run(cases_dir: &Path, cmd: CaseCommand, now: DateTime<Utc>) -> CaseEvent {
    let upn = match &cmd {
        CaseCommand::Evidence { upn, .. }
        | CaseCommand::Export { upn, .. }
        | CaseCommand::Report { upn, .. } => upn.clone(),
    };
    let case = match Case::open_or_create(cases_dir, &upn, now.date_naive()) {
        Ok(c) => c,
        Err(e) => {
            return CaseEvent::Failed {
                message: format!("cannot open the case folder: {e}"),
            };
        }
    };
    let done = match cmd {
        CaseCommand::Evidence {
            upn,
            subject_id,
            window,
            pages,
            analyst,
        } => evidence(&case, upn, subject_id, window, &pages, &analyst, now),
        CaseCommand::Export {
            view,
            format,
            table,
            ..
        } => case
            .export(&view, format, &table, now)
            .map(|p| format!("exported {} rows to {}", table.rows.len(), p.display()))
            .map_err(|e| format!("export failed: {e}")),
        CaseCommand::Report { report, .. } => write_report(&case, *report, now),
    };
    match done {
        Ok(message) => CaseEvent::Done {
            case_dir: case.path().to_path_buf(),
            message,
        },
        Err(message) => CaseEvent::Failed { message },
    }
}

fn evidence(
    case: &Case,
    upn: String,
    subject_id: String,
    window: Window,
    pages: &[(String, Value)],
    analyst: &str,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let meta = SnapshotMeta {
        subject_id: subject_id.clone(),
        subject_upn: upn.clone(),
        window,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let snap = case
        .snapshot(&meta, pages, now)
        .map_err(|e| format!("evidence snapshot failed: {e}"))?;
    let rel = snap.dir.strip_prefix(case.path()).unwrap_or(&snap.dir);
    let mut journal = case.open_journal(now, analyst).map_err(|e| {
        format!(
            "snapshot saved to {}, journal failed: {e}",
            snap.dir.display()
        )
    })?;
    let mut e = NewEntry::new(now, analyst, EntryKind::Evidence, "evidence");
    e.target = Some(Target {
        id: subject_id,
        display_name: upn,
    });
    e.detail = Some(format!(
        "evidence snapshot saved to {} with a SHA-256 manifest (from the console)",
        rel.display()
    ));
    journal.append(e).map_err(|e| {
        format!(
            "snapshot saved to {}, journal failed: {e}",
            snap.dir.display()
        )
    })?;
    Ok(format!("evidence saved to {}", snap.dir.display()))
}

fn write_report(case: &Case, mut report: Report, now: DateTime<Utc>) -> Result<String, String> {
    report.generated_at = crate::report::rfc3339(now);
    let stem = format!("report-{}", now.format("%Y%m%dT%H%M%SZ"));
    let md_path = case.path().join(format!("{stem}.md"));
    let json_path = case.path().join(format!("{stem}.json"));
    write_new(&md_path, crate::report::to_markdown(&report).as_bytes())?;
    write_new(&json_path, crate::report::to_json(&report).as_bytes())?;
    Ok(format!("report written to {} (+ .json)", md_path.display()))
}

/// Writes a new file (never overwriting an existing one) and syncs it.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
