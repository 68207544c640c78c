//! The console's case-file commands: `:evidence` (a snapshot of everything loaded),
//! `:export csv|jsonl` (the focused pane's rows as shown), `:report` (Markdown and JSON
//! incident report from the console's own Evidence and Analysis) and `:report preview` / `w`
//! (the report's Markdown in a scrollable overlay). Pure: each builds one `Command::Case`
//! carrying its data; the worker writes the files and answers with `WorkerEvent::Case`,
//! shown as a one-line note; the case folder is remembered once known.
//!
//! Evidence: the panes keep typed models, not Graph's raw pages, so `:evidence` serialises the
//! loaded models of each part with serde, one `{"value": [...]}` page per part.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::{App, Suspect};
use crate::case::{Cell, ExportFormat, ExportTable};
use crate::evidence::Evidence;
use crate::filter::FieldValue;
use crate::overlay::Overlay;
use crate::overlay::report_preview::ReportPreview;
use crate::protocol::{Command, PaneId};
use crate::report::{ActionRecord, Report, ReportMeta};
use crate::worker::case_io::{CaseCommand, CaseEvent};

/// What the console knows about the suspect's case folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseState {
    /// The case folder, once a case command has used it.
    pub folder: Option<PathBuf>,
    /// The last case message (path written, or the error).
    pub status: Option<String>,
}

impl App {
    fn suspect_upn(&self) -> Result<(String, String), String> {
        match &self.suspect {
            Suspect::Found(u) => {
                let upn = u.user_principal_name.raw();
                let upn = if upn.trim().is_empty() { &u.id } else { upn };
                Ok((upn.to_owned(), u.id.clone()))
            }
            _ => Err("no suspect loaded yet: open one with :user UPN".into()),
        }
    }

    fn loaded_evidence(&self) -> Result<Evidence, String> {
        super::inspect::evidence(self).ok_or_else(|| "no suspect loaded yet".to_owned())
    }

    /// `:evidence`: a snapshot of everything loaded, into the case folder.
    pub(super) fn case_evidence(&mut self) -> Result<Vec<Command>, String> {
        let (upn, subject_id) = self.suspect_upn()?;
        let ev = self.loaded_evidence()?;
        let pages = evidence_pages(&ev).map_err(|e| format!("cannot serialise evidence: {e}"))?;
        Ok(vec![Command::Case(CaseCommand::Evidence {
            upn,
            subject_id,
            window: self.window,
            pages,
            analyst: self.analyst_name(),
        })])
    }

    /// `:export csv|jsonl`: the focused pane's rows as shown.
    pub(super) fn case_export(&mut self, arg: &str) -> Result<Vec<Command>, String> {
        let format = match arg.trim().to_ascii_lowercase().as_str() {
            "csv" | "" => ExportFormat::Csv,
            "jsonl" | "json" => ExportFormat::Jsonl,
            other => {
                return Err(format!(
                    "cannot export as '{}': use :export csv or :export jsonl",
                    crate::sanitize::line_capped(other, 16)
                ));
            }
        };
        let (upn, _) = self.suspect_upn()?;
        let table = self.export_table(self.focus)?;
        Ok(vec![Command::Case(CaseCommand::Export {
            upn,
            view: self.focus.title().to_ascii_lowercase(),
            format,
            table,
        })])
    }

    /// `:report` (write) or `:report preview` (overlay).
    pub(super) fn case_report(&mut self, arg: &str) -> Result<Vec<Command>, String> {
        match arg.trim().to_ascii_lowercase().as_str() {
            "" | "write" | "save" => {
                let (upn, _) = self.suspect_upn()?;
                let report = self.build_report()?;
                Ok(vec![Command::Case(CaseCommand::Report {
                    upn,
                    report: Box::new(report),
                })])
            }
            "preview" | "show" => self.report_preview().map(|()| Vec::new()),
            _ => Err("usage: :report [preview]".into()),
        }
    }

    /// Opens the report preview overlay (`w`, `:report preview`).
    pub(super) fn report_preview(&mut self) -> Result<(), String> {
        let report = self.build_report()?;
        let md = crate::report::to_markdown(&report);
        self.overlays
            .push(Overlay::ReportPreview(ReportPreview::new(&md)));
        Ok(())
    }

    /// The report of the SAME Evidence and Analysis the console shows. Its time is the
    /// window's end (the app reads no clock); the worker stamps the real time when writing.
    /// Containment outcomes of the session become its actions (their time is the report's:
    /// the journal holds the exact times).
    fn build_report(&self) -> Result<Report, String> {
        let (upn, _) = self.suspect_upn()?;
        let ev = self.loaded_evidence()?;
        let an = self
            .panes
            .inv
            .analysis
            .as_ref()
            .ok_or("no analysis yet: wait until a pane has loaded")?;
        let at = self.window.end;
        let actions = self
            .contain
            .reports
            .iter()
            .map(|r| ActionRecord {
                time: at,
                action: r.action.name().to_owned(),
                target: upn.clone(),
                outcome: r.outcome.summary(),
                request_id: match &r.outcome {
                    crate::contain::executor::Outcome::Failed { request_id, .. } => {
                        request_id.clone()
                    }
                    _ => None,
                },
                detail: Some(r.request.clone()),
            })
            .collect();
        let meta = ReportMeta {
            generated_at: at,
            analyst: self.analyst.as_ref().map(|a| a.raw().to_owned()),
            tenant: self.tenant.as_ref().map(|t| t.raw().to_owned()),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            actions,
        };
        Ok(crate::report::build(&ev, an, &meta))
    }

    fn analyst_name(&self) -> String {
        self.analyst
            .as_ref()
            .map(|a| a.raw().to_owned())
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| "analyst".to_owned())
    }

    /// Shows the worker's answer as a one-line note and remembers the case folder.
    pub(super) fn case_event(&mut self, ev: CaseEvent) -> (bool, Vec<Command>) {
        let line = match ev {
            CaseEvent::Done { case_dir, message } => {
                self.case.folder = Some(case_dir);
                message
            }
            CaseEvent::Failed { message } => message,
        };
        let line = crate::sanitize::line(&line);
        self.case.status = Some(line.clone());
        self.find.message = Some(line);
        (true, Vec::new())
    }

    /// The rows of `pane` as shown (filtered, sorted) with its columns, in plain text.
    pub fn export_table(&self, pane: PaneId) -> Result<ExportTable, String> {
        let (columns, rows) = self.pane_cells(pane)?;
        let shown = (0..self.visible_len(pane))
            .filter_map(|pos| rows.get(self.row_index(pane, pos)).cloned())
            .collect();
        Ok(ExportTable {
            columns: columns.into_iter().map(str::to_owned).collect(),
            rows: shown,
        })
    }

    /// Every row of `pane` in its natural order.
    fn pane_cells(&self, pane: PaneId) -> Result<(Vec<&'static str>, Vec<Vec<Cell>>), String> {
        if let Some(schema) = super::filter::schema(pane) {
            let names: Vec<&'static str> = schema.columns.iter().map(|(_, n)| *n).collect();
            let mut rows = Vec::new();
            super::filter::visit(&self.panes, pane, &mut |row| {
                rows.push(names.iter().map(|n| field_cell(row.field(n))).collect());
            });
            return Ok((names, rows));
        }
        let p = &self.panes;
        let text = |s: &str| Cell::Text(s.to_owned());
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or(Cell::Empty, Cell::Time);
        let out = match pane {
            PaneId::Rules => {
                let rows = p.inv.rules.state.data().map_or_else(Vec::new, |d| {
                    d.rules
                        .iter()
                        .map(|r| {
                            vec![
                                text(r.display_name.raw()),
                                r.is_enabled.map_or(Cell::Empty, Cell::Bool),
                                text(&crate::panes::rules::conditions(r)),
                                text(&d.actions(r, &p.inv.domains).0),
                            ]
                        })
                        .collect()
                });
                (vec!["rule", "enabled", "conditions", "actions"], rows)
            }
            PaneId::Audit => {
                let rows = p.inv.audit.state.data().map_or_else(Vec::new, |d| {
                    d.rows
                        .iter()
                        .map(|a| {
                            vec![
                                time(a.activity_date_time),
                                text(a.activity_display_name.raw()),
                                text(a.result.as_str()),
                                text(&crate::panes::audit::initiator(a)),
                                text(&crate::panes::audit::targets(a)),
                            ]
                        })
                        .collect()
                });
                (
                    vec!["time", "activity", "result", "initiator", "targets"],
                    rows,
                )
            }
            PaneId::Timeline => {
                let rows = p
                    .inv
                    .timeline
                    .rows
                    .iter()
                    .map(|r| vec![time(r.at), text(r.kind.label()), text(&r.what)])
                    .collect();
                (vec!["time", "kind", "what"], rows)
            }
            PaneId::Indicators => {
                let rows = p.inv.analysis.as_ref().map_or_else(Vec::new, |an| {
                    an.findings
                        .iter()
                        .map(|f| {
                            vec![
                                text(f.severity.as_str()),
                                text(f.indicator),
                                time(f.at),
                                text(&f.summary),
                            ]
                        })
                        .collect()
                });
                (vec!["severity", "indicator", "time", "summary"], rows)
            }
            other => {
                return Err(format!("the {} pane cannot be exported yet", other.title()));
            }
        };
        Ok(out)
    }
}

fn field_cell(v: Option<FieldValue<'_>>) -> Cell {
    match v {
        None => Cell::Empty,
        Some(FieldValue::Time(t)) => t.map_or(Cell::Empty, Cell::Time),
        Some(FieldValue::Bool(b)) => b.map_or(Cell::Empty, Cell::Bool),
        Some(FieldValue::Number(n)) => n.map_or(Cell::Empty, Cell::Int),
        Some(other) => Cell::Text(other.as_text().into_owned()),
    }
}

/// The loaded models of each part as `(part, {"value": [...]})` pages.
pub fn evidence_pages(ev: &Evidence) -> serde_json::Result<Vec<(String, Value)>> {
    let page = |v: Value| match v {
        Value::Array(_) => json!({ "value": v }),
        Value::Null => json!({ "value": [] }),
        other => json!({ "value": [other] }),
    };
    let mut out = Vec::new();
    let mut add = |part: &str, v: serde_json::Result<Value>| -> serde_json::Result<()> {
        out.push((part.to_owned(), page(v?)));
        Ok(())
    };
    add("user", serde_json::to_value(&ev.user))?;
    add("organization", serde_json::to_value(&ev.tenant))?;
    add("signIns", serde_json::to_value(&ev.sign_ins))?;
    add(
        "nonInteractiveSignIns",
        serde_json::to_value(&ev.non_interactive),
    )?;
    add("riskyUser", serde_json::to_value(&ev.risky_user))?;
    add("riskHistory", serde_json::to_value(&ev.risk_history))?;
    add("riskDetections", serde_json::to_value(&ev.risk_detections))?;
    add("authenticationMethods", serde_json::to_value(&ev.methods))?;
    add(
        "signInPreferences",
        serde_json::to_value(&ev.sign_in_preferences),
    )?;
    add("oauth2PermissionGrants", serde_json::to_value(&ev.grants))?;
    add(
        "servicePrincipals",
        serde_json::to_value(&ev.service_principals),
    )?;
    add("messageRules", serde_json::to_value(&ev.rules))?;
    add("mailFolders", serde_json::to_value(&ev.mail_folders))?;
    add("directoryAudits", serde_json::to_value(&ev.audits))?;
    Ok(out)
}

impl App {
    /// `w`: the report preview, or why there is none yet.
    pub(super) fn preview_intent(&mut self) -> (bool, Vec<Command>) {
        if let Err(why) = self.report_preview() {
            self.find.message = Some(why);
        }
        (true, Vec::new())
    }

    /// Keys the preview swallows: its context is the detail view's, whose `e` (jump to
    /// evidence) means nothing over a report.
    pub(super) fn preview_key(
        &mut self,
        key: &crossterm::event::KeyEvent,
    ) -> Option<(bool, Vec<Command>)> {
        let over_preview = matches!(self.overlays.last(), Some(Overlay::ReportPreview(_)));
        (over_preview && key.code == crossterm::event::KeyCode::Char('e'))
            .then(|| (false, Vec::new()))
    }
}

#[cfg(test)]
#[path = "case_cmd_tests.rs"]
mod tests;
