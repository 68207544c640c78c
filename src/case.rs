//! The case folder of one incident: `cases/<YYYY-MM-DD>-<upn>/` under the data directory, with
//! its journal (`journal.jsonl`), evidence snapshots (`evidence/…`) and exports (`exports/…`).
//!
//! Everything here is synchronous std IO (callers run it in `spawn_blocking`), keeps no global
//! state and never reads the clock: the date or instant is always passed in. Folder names are
//! derived from tenant text, so they are made filesystem-safe and can never leave `cases_dir`.

pub mod evidence;
pub mod export;
mod fsio;
pub mod journal;
pub mod redact;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

pub use evidence::{Snapshot, SnapshotMeta, VerifyReport, snapshot, verify_snapshot};
pub use export::{Cell, ExportFormat, ExportTable, export_csv, export_jsonl, write_export};
pub use journal::{
    Entry, EntryKind, Journal, NewEntry, RequestRecord, Target, VerifyOutcome, verify, verify_cli,
};

/// Longest filesystem-safe UPN part of a case folder name, in characters.
pub const MAX_UPN_CHARS: usize = 64;

/// Anything that went wrong reading or writing the case folder.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot serialise: {0}")]
    Json(#[from] serde_json::Error),
}

impl CaseError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, CaseError>;

/// One incident's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    root: PathBuf,
    name: String,
}

impl Case {
    /// Opens `<cases_dir>/<today>-<safe upn>/`, creating it (private to the owner) if missing.
    pub fn open_or_create(cases_dir: &Path, upn: &str, today: NaiveDate) -> Result<Case> {
        let name = folder_name(upn, today);
        let root = cases_dir.join(&name);
        fsio::create_private_dir_all(cases_dir).map_err(|e| CaseError::io(cases_dir, e))?;
        match std::fs::symlink_metadata(&root) {
            Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
                return Err(CaseError::invalid(
                    &root,
                    "exists but is not a plain directory; refusing to use it as a case folder",
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match fsio::create_private_dir(&root) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(CaseError::io(&root, e)),
                }
                fsio::sync_dir(cases_dir).map_err(|e| CaseError::io(cases_dir, e))?;
            }
            Err(e) => return Err(CaseError::io(&root, e)),
        }
        Ok(Case { root, name })
    }

    /// The case folder (for display and `entra-triage info`).
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The folder's name, `<YYYY-MM-DD>-<safe upn>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<case>/journal.jsonl`.
    pub fn journal_path(&self) -> PathBuf {
        self.root.join("journal.jsonl")
    }

    /// `<case>/evidence/` (created at first snapshot).
    pub fn evidence_dir(&self) -> PathBuf {
        self.root.join("evidence")
    }

    /// `<case>/exports/` (created at first export).
    pub fn exports_dir(&self) -> PathBuf {
        self.root.join("exports")
    }

    /// Opens (or starts) this case's journal; see [`Journal::open`].
    pub fn open_journal(&self, now: DateTime<Utc>, analyst: &str) -> Result<Journal> {
        Journal::open(&self.journal_path(), now, analyst)
    }

    /// Saves a new evidence snapshot in this case; see [`snapshot`].
    pub fn snapshot(
        &self,
        meta: &SnapshotMeta,
        pages: &[(String, serde_json::Value)],
        now: DateTime<Utc>,
    ) -> Result<Snapshot> {
        snapshot(&self.evidence_dir(), meta, pages, now)
    }

    /// Writes an export of a view into this case; see [`write_export`].
    pub fn export(
        &self,
        view: &str,
        format: ExportFormat,
        table: &ExportTable,
        now: DateTime<Utc>,
    ) -> Result<PathBuf> {
        write_export(&self.exports_dir(), view, format, table, now)
    }
}

/// `<YYYY-MM-DD>-<safe upn>`: the case folder's name, a single safe path component.
pub fn folder_name(upn: &str, today: NaiveDate) -> String {
    format!("{}-{}", today.format("%Y-%m-%d"), safe_upn(upn))
}

/// The UPN made filesystem-safe: lower-case, only `[a-z0-9._@-]` (everything else `_`), no
/// leading dot, at most [`MAX_UPN_CHARS`]; a longer one is cut and given a hash suffix so two
/// long UPNs sharing a prefix still get different folders.
pub fn safe_upn(upn: &str) -> String {
    let mapped: String = upn
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '@' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // `..` is harmless behind the date prefix, but never let it look like a path step.
    let mut s = mapped.replace("..", "_.");
    if s.starts_with('.') {
        s.replace_range(0..1, "_");
    }
    if s.is_empty() {
        return "unknown".to_owned();
    }
    if s.chars().count() <= MAX_UPN_CHARS {
        return s;
    }
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(upn.as_bytes()));
    let head: String = s.chars().take(MAX_UPN_CHARS - 9).collect();
    format!("{head}-{}", &digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(
            folder_name("Alice@Contoso.com", day()),
            "2026-11-26-alice@contoso.com"
        );
        let hostile = folder_name("../../etc", day());
        assert!(!hostile.contains('/'));
        assert!(!hostile.contains(".."));
        assert_eq!(safe_upn("  "), "unknown");
        assert_eq!(
            safe_upn("ÄNNE/x\u{202e}@c.com"),
            "änne_x_@c.com".replace('ä', "_")
        );
        let long = "a".repeat(500) + "@contoso.com";
        let s = safe_upn(&long);
        assert_eq!(s.chars().count(), MAX_UPN_CHARS);
        assert_ne!(s, safe_upn(&("a".repeat(501) + "@contoso.com")));
    }

    #[test]
    fn open_or_create_is_idempotent_and_stays_inside() {
        let d = tempfile::tempdir().unwrap();
        let cases = d.path().join("cases");
        let a = Case::open_or_create(&cases, "../../etc/passwd", day()).unwrap();
        assert_eq!(a.path().parent().unwrap(), cases);
        assert!(a.path().is_dir());
        let b = Case::open_or_create(&cases, "../../etc/passwd", day()).unwrap();
        assert_eq!(a, b);
    }
}
