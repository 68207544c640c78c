//! Evidence snapshots: the raw Graph JSON of everything loaded, written into a NEW folder
//! `evidence/<UTC timestamp>-<n>/` (never overwritten; a taken name moves on to the next `n`),
//! one file per part and page (`signIns-001.json`…), plus `manifest.json` (createdAt, subject,
//! window, tool version, files with SHA-256 and size) and `manifest.sha256`
//! (`sha256sum -c` compatible, covering the page files and `manifest.json`).
//! Folders are 0o700 and files 0o600 on unix: evidence holds personal data. All data is synced.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::fsio;
use super::{CaseError, Result};
use crate::window::Window;

pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_SHA256: &str = "manifest.sha256";

/// Who and what a snapshot is about.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotMeta {
    pub subject_id: String,
    pub subject_upn: String,
    pub window: Window,
    pub tool_version: String,
}

/// The subject as written into the manifest (sanitised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestSubject {
    pub id: String,
    pub user_principal_name: String,
}

/// One file of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub created_at: DateTime<Utc>,
    pub subject: ManifestSubject,
    pub window: Window,
    pub tool_version: String,
    pub files: Vec<ManifestFile>,
}

/// A written snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

/// Writes `pages` (`(part, page)` as received) as a new snapshot under `evidence_dir`.
pub fn snapshot(
    evidence_dir: &Path,
    meta: &SnapshotMeta,
    pages: &[(String, Value)],
    now: DateTime<Utc>,
) -> Result<Snapshot> {
    fsio::create_private_dir_all(evidence_dir).map_err(|e| CaseError::io(evidence_dir, e))?;
    let dir = new_snapshot_dir(evidence_dir, now)?;
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = Vec::with_capacity(pages.len());
    for (part, page) in pages {
        let part = fsio::safe_component(part, 64);
        let n = counters.entry(part.clone()).or_insert(0);
        *n += 1;
        let name = format!("{part}-{n:03}.json");
        let bytes = serde_json::to_vec_pretty(page)?;
        let path = dir.join(&name);
        fsio::write_new_synced(&path, &bytes).map_err(|e| CaseError::io(&path, e))?;
        files.push(ManifestFile {
            path: name,
            sha256: hex::encode(Sha256::digest(&bytes)),
            bytes: bytes.len() as u64,
        });
    }
    let manifest = Manifest {
        created_at: now,
        subject: ManifestSubject {
            id: crate::sanitize::line(&meta.subject_id),
            user_principal_name: crate::sanitize::line(&meta.subject_upn),
        },
        window: meta.window,
        tool_version: crate::sanitize::line(&meta.tool_version),
        files,
    };
    let mbytes = serde_json::to_vec_pretty(&manifest)?;
    let mpath = dir.join(MANIFEST);
    fsio::write_new_synced(&mpath, &mbytes).map_err(|e| CaseError::io(&mpath, e))?;
    let mut sums = String::new();
    for f in &manifest.files {
        sums.push_str(&format!("{}  {}\n", f.sha256, f.path));
    }
    sums.push_str(&format!(
        "{}  {MANIFEST}\n",
        hex::encode(Sha256::digest(&mbytes))
    ));
    let spath = dir.join(MANIFEST_SHA256);
    fsio::write_new_synced(&spath, sums.as_bytes()).map_err(|e| CaseError::io(&spath, e))?;
    fsio::sync_dir(&dir).map_err(|e| CaseError::io(&dir, e))?;
    fsio::sync_dir(evidence_dir).map_err(|e| CaseError::io(evidence_dir, e))?;
    Ok(Snapshot { dir, manifest })
}

/// Creates `<evidence_dir>/<YYYYMMDDTHHMMSSZ>-<n>/` with the first free `n` (from 1).
fn new_snapshot_dir(evidence_dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    for n in 1..10_000u32 {
        let dir = evidence_dir.join(format!("{stamp}-{n}"));
        match fsio::create_private_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(CaseError::io(&dir, e)),
        }
    }
    Err(CaseError::invalid(
        evidence_dir,
        "no free snapshot folder name",
    ))
}

/// What `verify_snapshot` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    /// Files whose hash and size match the manifest.
    pub ok: Vec<String>,
    /// Files whose content differs from the manifest.
    pub mismatched: Vec<String>,
    /// Files the manifest lists that are not there.
    pub missing: Vec<String>,
    /// Files in the folder the manifest does not list.
    pub extra: Vec<String>,
    /// Problems with the manifest itself (`manifest.sha256` disagreeing, unsafe paths…).
    pub manifest_problems: Vec<String>,
}

impl VerifyReport {
    pub fn is_intact(&self) -> bool {
        self.mismatched.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.manifest_problems.is_empty()
    }
}

/// Recomputes every hash of the snapshot in `dir` against its manifest.
pub fn verify_snapshot(dir: &Path) -> Result<VerifyReport> {
    let mpath = dir.join(MANIFEST);
    let mbytes = std::fs::read(&mpath).map_err(|e| CaseError::io(&mpath, e))?;
    let manifest: Manifest = serde_json::from_slice(&mbytes)
        .map_err(|e| CaseError::invalid(&mpath, format!("not a snapshot manifest: {e}")))?;
    let mut report = VerifyReport::default();
    let mut listed = BTreeSet::new();
    for f in &manifest.files {
        if !is_plain_name(&f.path) {
            report.manifest_problems.push(format!(
                "unsafe path in manifest: {}",
                crate::sanitize::line(&f.path)
            ));
            continue;
        }
        listed.insert(f.path.clone());
        match std::fs::read(dir.join(&f.path)) {
            Ok(b) => {
                if hex::encode(Sha256::digest(&b)) == f.sha256.to_ascii_lowercase()
                    && b.len() as u64 == f.bytes
                {
                    report.ok.push(f.path.clone());
                } else {
                    report.mismatched.push(f.path.clone());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                report.missing.push(f.path.clone())
            }
            Err(e) => return Err(CaseError::io(&dir.join(&f.path), e)),
        }
    }
    check_sums_file(dir, &manifest, &mbytes, &mut report);
    let entries = std::fs::read_dir(dir).map_err(|e| CaseError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| CaseError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && name != MANIFEST_SHA256 && !listed.contains(&name) {
            report.extra.push(crate::sanitize::line(&name));
        }
    }
    report.extra.sort();
    Ok(report)
}

/// `manifest.sha256` must agree with `manifest.json` and cover `manifest.json` itself.
fn check_sums_file(dir: &Path, manifest: &Manifest, mbytes: &[u8], report: &mut VerifyReport) {
    let spath = dir.join(MANIFEST_SHA256);
    let Ok(text) = std::fs::read_to_string(&spath) else {
        report
            .manifest_problems
            .push(format!("{MANIFEST_SHA256} is missing or unreadable"));
        return;
    };
    let mut sums: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.split_once("  ") {
            Some((h, p)) => {
                sums.insert(p.to_owned(), h.to_ascii_lowercase());
            }
            None => report.manifest_problems.push(format!(
                "{MANIFEST_SHA256}: unreadable line {}",
                crate::sanitize::line(line)
            )),
        }
    }
    let mhash = hex::encode(Sha256::digest(mbytes));
    if sums.remove(MANIFEST).as_deref() != Some(mhash.as_str()) {
        report
            .manifest_problems
            .push(format!("{MANIFEST} does not match {MANIFEST_SHA256}"));
    }
    let expected: BTreeMap<String, String> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.to_ascii_lowercase()))
        .collect();
    if sums != expected {
        report.manifest_problems.push(format!(
            "{MANIFEST_SHA256} and {MANIFEST} list different files or hashes"
        ));
    }
}

fn is_plain_name(p: &str) -> bool {
    !p.is_empty()
        && p != "."
        && p != ".."
        && !p.contains(['/', '\\', '\0'])
        && p != MANIFEST
        && p != MANIFEST_SHA256
}
