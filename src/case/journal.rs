//! The case journal: append-only JSON Lines (`<case>/journal.jsonl`), one entry per line,
//! hash-chained so that any edit, deletion or reordering is evident.
//!
//! Canonical form: an entry's `hash` is the SHA-256 (hex) of the compact `serde_json`
//! serialisation of [`EntryBody`] — every field of [`Entry`] except `hash`, in struct order —
//! and the stored line must be exactly the compact serialisation of [`Entry`]. `prevHash` is the
//! previous entry's hash (genesis: 64 zeros). Because `hash` is the last field, an auditor can
//! recompute it without this tool: SHA-256 of the line with its trailing `,"hash":"…"` removed
//! (`sed 's/,"hash":"[0-9a-f]*"}$/}/' | sha256sum`, line by line). Every entry is redacted ([`super::redact`]) and its
//! tenant strings sanitised before it is hashed, written with one `write_all` and `sync_data`'d
//! before `append` returns.
//!
//! A crash can leave a torn last line (partial JSON, no newline). Reopening keeps those bytes
//! as they are (nothing is ever truncated), ends them with a newline and appends a `note` entry
//! with `action: "journal.repair"` whose `torn` lists every line after the last whole entry
//! (number, length, SHA-256) — usually one, more if the repair itself was interrupted. The
//! chain continues from the last whole entry. `verify` accepts unreadable lines only when the
//! very next readable line is such a repair note listing exactly them.

mod check;
mod clean;

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::fsio;
use super::{CaseError, Result};
use clean::clean;

pub use check::{BrokenLink, VerifyOutcome, verify, verify_bytes, verify_cli};

/// `prevHash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The `action` of the note that records a torn line found on reopening.
pub const REPAIR_ACTION: &str = "journal.repair";

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// About to send a change (written before the request).
    Intent,
    /// What the change did (written after the request and its verification read).
    Outcome,
    /// Free text by the analyst or the tool.
    Note,
    /// An evidence snapshot was saved.
    Evidence,
}

/// The object an action is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub display_name: String,
}

/// The Graph request an action sends (body with secrets masked).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
}

/// One torn line that a repair note accounts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Repair {
    /// 1-based line number of the torn line.
    pub line: usize,
    /// Its length in bytes (without the newline added on repair).
    pub bytes: usize,
    /// SHA-256 (hex) of those bytes.
    pub sha256: String,
}

/// What the caller gives to [`Journal::append`]; the journal adds seq, prevHash and hash.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub ts: DateTime<Utc>,
    pub analyst: String,
    pub kind: EntryKind,
    pub action: String,
    pub target: Option<Target>,
    pub request: Option<RequestRecord>,
    /// `done-verified`, `done-unverifiable`, `failed`, `unknown`, …
    pub outcome: Option<String>,
    /// Graph's `request-id` of the answer.
    pub request_id: Option<String>,
    pub detail: Option<String>,
}

impl NewEntry {
    /// A bare entry of `kind`/`action`; fill the other fields as needed.
    pub fn new(ts: DateTime<Utc>, analyst: &str, kind: EntryKind, action: &str) -> Self {
        Self {
            ts,
            analyst: analyst.to_owned(),
            kind,
            action: action.to_owned(),
            target: None,
            request: None,
            outcome: None,
            request_id: None,
            detail: None,
        }
    }
}

/// One stored line. Field order here IS the canonical order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    pub seq: u64,
    pub ts: DateTime<Utc>,
    pub analyst: String,
    pub kind: EntryKind,
    pub action: String,
    pub target: Option<Target>,
    pub request: Option<RequestRecord>,
    pub outcome: Option<String>,
    pub request_id: Option<String>,
    pub detail: Option<String>,
    /// Only on repair notes: the torn lines they account for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub torn: Vec<Repair>,
    pub prev_hash: String,
    pub hash: String,
}

/// [`Entry`] without `hash`: what the hash covers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryBody<'a> {
    seq: u64,
    ts: &'a DateTime<Utc>,
    analyst: &'a str,
    kind: EntryKind,
    action: &'a str,
    target: &'a Option<Target>,
    request: &'a Option<RequestRecord>,
    outcome: &'a Option<String>,
    request_id: &'a Option<String>,
    detail: &'a Option<String>,
    #[serde(skip_serializing_if = "<[Repair]>::is_empty")]
    torn: &'a [Repair],
    prev_hash: &'a str,
}

impl Entry {
    /// SHA-256 hex of the canonical serialisation of everything but `hash`.
    pub fn compute_hash(&self) -> String {
        let body = EntryBody {
            seq: self.seq,
            ts: &self.ts,
            analyst: &self.analyst,
            kind: self.kind,
            action: &self.action,
            target: &self.target,
            request: &self.request,
            outcome: &self.outcome,
            request_id: &self.request_id,
            detail: &self.detail,
            torn: &self.torn,
            prev_hash: &self.prev_hash,
        };
        // Serialising plain structs, strings and `Value`s cannot fail.
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// The canonical line (without newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An open journal, positioned after its last entry.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    next_seq: u64,
    last_hash: String,
    repaired: Vec<Repair>,
    integrity: VerifyOutcome,
    poisoned: bool,
}

impl Journal {
    /// Opens (or creates) the journal at `path` and continues its chain. A torn last line is
    /// kept and recorded by a repair note (by `analyst` at `now`); see [`Journal::repaired`].
    pub fn open(path: &Path, now: DateTime<Utc>, analyst: &str) -> Result<Journal> {
        let existed = path.exists();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(CaseError::io(path, e)),
        };
        let mut file = fsio::append_options()
            .open(path)
            .map_err(|e| CaseError::io(path, e))?;
        if !existed && let Some(dir) = path.parent() {
            fsio::sync_dir(dir).map_err(|e| CaseError::io(dir, e))?;
        }
        let (next_seq, last_hash, tail) = check::resume_point(&bytes);
        let mut j = Journal {
            path: path.to_path_buf(),
            file: file.try_clone().map_err(|e| CaseError::io(path, e))?,
            next_seq,
            last_hash,
            repaired: Vec::new(),
            integrity: VerifyOutcome::default(),
            poisoned: false,
        };
        if tail.needs_newline {
            // Finish the last line, whole entry or torn, so the next entry starts on its own.
            file.write_all(b"\n")
                .and_then(|()| file.sync_data())
                .map_err(|e| CaseError::io(path, e))?;
        }
        if !tail.torn.is_empty() {
            let lines: Vec<String> = tail.torn.iter().map(|r| r.line.to_string()).collect();
            let mut note = NewEntry::new(now, analyst, EntryKind::Note, REPAIR_ACTION);
            note.detail = Some(format!(
                "line(s) {} were cut short by an interrupted write; they are kept unchanged \
                 (lengths and SHA-256 in `torn`) and the chain continues from seq {}",
                lines.join(", "),
                next_seq.saturating_sub(1)
            ));
            j.write_entry(clean(note), tail.torn.clone())?;
            j.repaired = tail.torn;
        }
        // Report the chain as it stands after any repair.
        j.integrity = verify(path)?;
        Ok(j)
    }

    /// Appends one entry (redacted, sanitised, hash-chained), synced to disk; returns its hash.
    pub fn append(&mut self, entry: NewEntry) -> Result<String> {
        if self.poisoned {
            // A previous write failed part-way: re-read the file and repair before going on.
            let analyst = entry.analyst.clone();
            let reopened = Journal::open(&self.path, entry.ts, &analyst)?;
            *self = reopened;
        }
        self.write_entry(clean(entry), Vec::new())
    }

    fn write_entry(&mut self, e: NewEntry, torn: Vec<Repair>) -> Result<String> {
        let mut entry = Entry {
            seq: self.next_seq,
            ts: e.ts,
            analyst: e.analyst,
            kind: e.kind,
            action: e.action,
            target: e.target,
            request: e.request,
            outcome: e.outcome,
            request_id: e.request_id,
            detail: e.detail,
            torn,
            prev_hash: self.last_hash.clone(),
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        let mut line = entry.to_line();
        line.push('\n');
        if let Err(e) = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
        {
            self.poisoned = true;
            return Err(CaseError::io(&self.path, e));
        }
        self.next_seq += 1;
        self.last_hash = entry.hash.clone();
        Ok(entry.hash)
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hash of the last entry (genesis when empty).
    pub fn last_hash(&self) -> &str {
        &self.last_hash
    }

    /// The seq the next entry will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The torn lines repaired when this journal was opened (empty normally; tell the analyst).
    pub fn repaired(&self) -> &[Repair] {
        &self.repaired
    }

    /// The chain check of the file once opened and repaired (a break is shown to the analyst).
    pub fn integrity(&self) -> &VerifyOutcome {
        &self.integrity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn a_float_that_does_not_round_trip_still_verifies() {
        // Found by the property below: serde_json reads this back as a different f64.
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("journal.jsonl");
        let ts = Utc.timestamp_opt(0, 0).unwrap();
        let mut j = Journal::open(&path, ts, "a").unwrap();
        let mut e = NewEntry::new(ts, "a", EntryKind::Note, "x");
        e.request = Some(RequestRecord {
            method: "PATCH".into(),
            path: "/x".into(),
            body: Some(serde_json::json!({"": [6.918845095792159e47]})),
        });
        j.append(e).unwrap();
        assert!(verify(&path).unwrap().is_intact());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_entry_round_trips_and_verifies(
            analyst in any::<String>(),
            action in any::<String>(),
            name in any::<String>(),
            detail in any::<String>(),
            body in arb_json(),
            secs in 0i64..4_000_000_000,
            nanos in 0u32..1_000_000_000,
        ) {
            let d = tempfile::tempdir().unwrap();
            let path = d.path().join("journal.jsonl");
            let ts = Utc.timestamp_opt(secs, nanos).unwrap();
            let mut j = Journal::open(&path, ts, "a").unwrap();
            let mut e = NewEntry::new(ts, &analyst, EntryKind::Note, &action);
            e.target = Some(Target { id: name.clone(), display_name: name });
            e.request = Some(RequestRecord { method: "PATCH".into(), path: "/x".into(), body: Some(body) });
            e.detail = Some(detail);
            j.append(e.clone()).unwrap();
            j.append(e).unwrap();
            let out = verify(&path).unwrap();
            prop_assert!(out.is_intact(), "{:?}", out);
            prop_assert_eq!(out.entries, 2);
        }

        #[test]
        fn verify_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = verify_bytes(&bytes);
            let _ = check::resume_point(&bytes);
        }
    }
}
