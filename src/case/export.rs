//! Exports of a console view as CSV or JSON Lines, written to
//! `<case>/exports/<view>-<UTC timestamp>.csv|jsonl` (never overwriting).
//!
//! Every tenant string goes through `crate::sanitize::line` (no control, bidi or zero-width
//! characters; one line). Timestamps are UTC ISO 8601 with `Z`. In CSV, a text cell that would
//! start with `=`, `+`, `-`, `@`, tab or CR (also after leading spaces, and their full-width
//! forms) is prefixed with `'` so a spreadsheet never evaluates it as a formula. JSON Lines is
//! not opened by spreadsheets as formulas, so it keeps the text as is (sanitised only); whoever
//! converts it to a spreadsheet must neutralise there. Rows shorter than the header are padded
//! with empty cells; cells beyond the header are dropped.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::fsio;
use super::{CaseError, Result};

/// One cell of a view.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from the tenant (attacker-influenced).
    Text(String),
    Time(DateTime<Utc>),
    Int(i64),
    Bool(bool),
    Empty,
}

/// The view as the console shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// File format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
        }
    }
}

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The sanitised text of a CSV cell, formula-neutralised.
pub fn csv_text(raw: &str) -> String {
    let s = crate::sanitize::line(raw);
    let first = s.trim_start_matches(' ').chars().next();
    let dangerous = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
    ) || raw.starts_with(['\t', '\r']);
    if dangerous { format!("'{s}") } else { s }
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_text(s),
        Cell::Time(t) => time(t),
        Cell::Int(i) => i.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Empty => String::new(),
    }
}

fn json_cell(c: &Cell) -> Value {
    match c {
        Cell::Text(s) => Value::String(crate::sanitize::line(s)),
        Cell::Time(t) => Value::String(time(t)),
        Cell::Int(i) => Value::from(*i),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Empty => Value::Null,
    }
}

fn row_cells(table: &ExportTable, row: &[Cell]) -> impl Iterator<Item = Cell> {
    (0..table.columns.len()).map(move |i| row.get(i).cloned().unwrap_or(Cell::Empty))
}

/// Writes `table` as CSV (header row first, RFC 4180 quoting by the `csv` crate).
pub fn export_csv(table: &ExportTable, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    w.write_record(table.columns.iter().map(|c| csv_text(c)))
        .map_err(std::io::Error::other)?;
    for row in &table.rows {
        w.write_record(row_cells(table, row).map(|c| csv_cell(&c)))
            .map_err(std::io::Error::other)?;
    }
    w.flush()
}

/// Writes `table` as JSON Lines: one object per row keyed by (sanitised) column name.
pub fn export_jsonl(table: &ExportTable, out: &mut impl Write) -> std::io::Result<()> {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| crate::sanitize::line(c))
        .collect();
    for row in &table.rows {
        let mut obj = Map::new();
        for (name, cell) in names.iter().zip(row_cells(table, row)) {
            obj.insert(name.clone(), json_cell(&cell));
        }
        serde_json::to_writer(&mut *out, &Value::Object(obj))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes `table` to `<exports_dir>/<view>-<YYYYMMDDTHHMMSSZ>.<ext>` (or `-2`, `-3`… when
/// taken), synced; returns the path.
pub fn write_export(
    exports_dir: &Path,
    view: &str,
    format: ExportFormat,
    table: &ExportTable,
    now: DateTime<Utc>,
) -> Result<PathBuf> {
    fsio::create_private_dir_all(exports_dir).map_err(|e| CaseError::io(exports_dir, e))?;
    let stem = format!(
        "{}-{}",
        fsio::safe_component(view, 48),
        now.format("%Y%m%dT%H%M%SZ")
    );
    let ext = format!(".{}", format.extension());
    let (path, file) = fsio::create_unique_file(exports_dir, &stem, &ext)
        .map_err(|e| CaseError::io(exports_dir, e))?;
    let mut w = std::io::BufWriter::new(file);
    let written = match format {
        ExportFormat::Csv => export_csv(table, &mut w),
        ExportFormat::Jsonl => export_jsonl(table, &mut w),
    };
    written
        .and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.sync_all())
        .map_err(|e| CaseError::io(&path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas() {
        assert_eq!(csv_text("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("-1"), "'-1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("  =1"), "'  =1");
        assert!(csv_text("\t=1").starts_with('\''));
        assert!(csv_text("\r=1").starts_with('\''));
        assert_eq!(csv_text("Alice"), "Alice");
    }
}
