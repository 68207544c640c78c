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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::analysis::testkit::{baseline_nl, evidence, located, ok, tm, window};
    use crate::analysis::{Thresholds, analyse};
    use crate::case::Cell;
    use crate::report::ReportMeta;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
    }

    fn done(ev: CaseEvent) -> (PathBuf, String) {
        match ev {
            CaseEvent::Done { case_dir, message } => (case_dir, message),
            CaseEvent::Failed { message } => panic!("failed: {message}"),
        }
    }

    #[test]
    fn evidence_export_and_report_land_in_the_case_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ev = evidence();
        ev.sign_ins = baseline_nl(12);
        ev.sign_ins.push(located(
            ok("a", tm(1, 9, 0), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.9,
        ));
        ev.sign_ins.push(located(
            ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
            "Lagos",
            6.45,
            3.39,
        ));
        let upn = "alice@contoso.com".to_owned();

        // Evidence: snapshot with a manifest that verifies, and a journal entry.
        let pages = crate::app::case_cmd::evidence_pages(&ev).unwrap();
        let cmd = CaseCommand::Evidence {
            upn: upn.clone(),
            subject_id: "u1".into(),
            window: window(),
            pages,
            analyst: "analyst@contoso.com".into(),
        };
        let (case_dir, msg) = done(run(tmp.path(), cmd, now()));
        assert!(case_dir.starts_with(tmp.path()));
        assert!(msg.contains("evidence saved to"), "{msg}");
        let snaps: Vec<_> = std::fs::read_dir(case_dir.join("evidence"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(snaps.len(), 1);
        assert!(crate::case::verify_snapshot(&snaps[0]).unwrap().is_intact());
        let journal = std::fs::read_to_string(case_dir.join("journal.jsonl")).unwrap();
        assert!(journal.contains("\"evidence\""), "{journal}");

        // Export: a CSV that parses, header and one row.
        let table = ExportTable {
            columns: vec!["time".into(), "app".into()],
            rows: vec![vec![Cell::Time(now()), Cell::Text("=cmd|calc".into())]],
        };
        let cmd = CaseCommand::Export {
            upn: upn.clone(),
            view: "sign-ins".into(),
            format: ExportFormat::Csv,
            table,
        };
        let (_, msg) = done(run(tmp.path(), cmd, now()));
        let path = msg.rsplit(" to ").next().unwrap();
        let mut rdr = csv::Reader::from_path(path).unwrap();
        assert_eq!(rdr.headers().unwrap(), vec!["time", "app"]);
        let rows: Vec<_> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert!(!rows[0][1].starts_with('='), "formula neutralised");

        // Report: Markdown and JSON; the JSON parses and has the finding.
        let an = analyse(&ev, &Thresholds::default());
        let meta = ReportMeta {
            generated_at: window().end,
            analyst: Some("analyst@contoso.com".into()),
            tenant: None,
            tool_version: "0".into(),
            actions: Vec::new(),
        };
        let report = crate::report::build(&ev, &an, &meta);
        let cmd = CaseCommand::Report {
            upn,
            report: Box::new(report),
        };
        let (case_dir, msg) = done(run(tmp.path(), cmd, now()));
        assert!(msg.contains("report-20261121T120000Z.md"), "{msg}");
        let json = std::fs::read_to_string(case_dir.join("report-20261121T120000Z.json")).unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert!(!v["findings"].as_array().unwrap().is_empty());
        assert_eq!(v["generatedAt"], crate::report::rfc3339(now()));
        let md = std::fs::read_to_string(case_dir.join("report-20261121T120000Z.md")).unwrap();
        assert!(md.contains("alice@contoso.com"));
    }

    #[tokio::test]
    async fn handle_answers_through_the_event_channel() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let cmd = CaseCommand::Export {
            upn: "bob@contoso.com".into(),
            view: "methods".into(),
            format: ExportFormat::Jsonl,
            table: ExportTable::default(),
        };
        handle(None, cmd.clone(), tx.clone());
        assert!(matches!(
            rx.recv().await,
            Some(WorkerEvent::Case(CaseEvent::Failed { .. }))
        ));
        let tmp = tempfile::tempdir().unwrap();
        handle(Some(tmp.path()), cmd, tx);
        let Some(WorkerEvent::Case(CaseEvent::Done { case_dir, .. })) = rx.recv().await else {
            panic!("expected Done");
        };
        assert!(case_dir.join("exports").is_dir());
    }
}
