//! `CaseLog`: the executor's `ActionLog` on the case folder of the suspect — the hash-chained,
//! fsynced journal (`cases/<date>-<upn>/journal.jsonl`) for intents and outcomes, and a
//! `before/` folder holding each object as Graph returned it just before it was changed.
//! The case opens at the first entry, so a session that changes nothing leaves no folder.

use std::io;
use std::path::PathBuf;

use chrono::Utc;
use serde_json::Value;

use super::log::{ActionLog, ActionRecordOut};
use crate::case::{Case, EntryKind, Journal, NewEntry, RequestRecord, Target};

/// The journal and "before" objects of one suspect's case.
pub struct CaseLog {
    cases_dir: PathBuf,
    analyst: String,
    open: Option<(String, Case, Journal)>,
}

impl CaseLog {
    pub fn new(cases_dir: PathBuf, analyst: impl Into<String>) -> Self {
        Self {
            cases_dir,
            analyst: analyst.into(),
            open: None,
        }
    }

    /// The case and journal of `upn`, opened (or created) once per suspect.
    fn case_for(&mut self, upn: &str) -> io::Result<&mut (String, Case, Journal)> {
        let key = upn.to_ascii_lowercase();
        if self.open.as_ref().is_none_or(|(k, _, _)| *k != key) {
            let now = Utc::now();
            let case = Case::open_or_create(&self.cases_dir, upn, now.date_naive())
                .map_err(io::Error::other)?;
            let journal = case
                .open_journal(now, &self.analyst)
                .map_err(io::Error::other)?;
            self.open = Some((key, case, journal));
        }
        self.open
            .as_mut()
            .ok_or_else(|| io::Error::other("case not open"))
    }

    fn entry(&mut self, kind: EntryKind, rec: &ActionRecordOut) -> io::Result<()> {
        let analyst = self.analyst.clone();
        let (_, _, journal) = self.case_for(&rec.target_upn)?;
        let mut e = NewEntry::new(Utc::now(), &analyst, kind, &rec.action);
        e.target = Some(Target {
            id: rec.target_id.clone(),
            display_name: rec.target_upn.clone(),
        });
        let (method, path) = rec
            .request
            .split_once(' ')
            .unwrap_or(("", rec.request.as_str()));
        e.request = Some(RequestRecord {
            method: method.to_owned(),
            path: path.to_owned(),
            body: rec
                .body
                .as_deref()
                .map(|b| serde_json::from_str(b).unwrap_or_else(|_| Value::String(b.to_owned()))),
        });
        e.outcome = rec
            .outcome
            .clone()
            .or_else(|| rec.dry_run.then(|| "dry_run".to_owned()));
        e.request_id = rec.request_id.clone();
        let mut detail = rec.detail.clone().unwrap_or_default();
        if let Some(code) = &rec.code {
            detail = format!(
                "{} {code}: {detail}",
                rec.status.map(|s| s.to_string()).unwrap_or_default()
            );
        }
        if let Some(c) = &rec.client_request_id {
            detail = format!("{detail} (client-request-id {c})");
        }
        e.detail = Some(detail.trim().to_owned()).filter(|d| !d.is_empty());
        journal.append(e).map(|_| ()).map_err(io::Error::other)
    }
}

impl ActionLog for CaseLog {
    fn save_evidence(
        &mut self,
        subject: &super::Subject,
        pages: &[(String, Value)],
    ) -> io::Result<()> {
        let analyst = self.analyst.clone();
        let upn = subject.upn.raw().to_owned();
        let (_, case, journal) = self.case_for(&upn)?;
        let now = Utc::now();
        let meta = crate::case::SnapshotMeta {
            subject_id: subject.id.clone(),
            subject_upn: upn,
            // The reads of a pre-change snapshot are current state, not windowed: the last
            // 30 days is what Graph's sign-in retention covers.
            window: crate::window::Window {
                start: now - chrono::Duration::days(30),
                end: now,
            },
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let snap = case.snapshot(&meta, pages, now).map_err(io::Error::other)?;
        let mut e = NewEntry::new(now, &analyst, EntryKind::Evidence, "evidence");
        e.target = Some(Target {
            id: subject.id.clone(),
            display_name: subject.upn.raw().to_owned(),
        });
        e.detail = Some(format!(
            "evidence snapshot saved to {} with a SHA-256 manifest",
            snap.dir
                .strip_prefix(case.path())
                .unwrap_or(&snap.dir)
                .display()
        ));
        journal.append(e).map(|_| ()).map_err(io::Error::other)
    }

    fn intent(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.entry(EntryKind::Intent, rec)
    }

    fn outcome(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.entry(EntryKind::Outcome, rec)
    }

    fn save_before(&mut self, action: &str, object: &Value) -> io::Result<()> {
        let upn = object
            .get("userPrincipalName")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| self.open.as_ref().map(|(k, _, _)| k.clone()))
            .unwrap_or_else(|| "unknown-subject".to_owned());
        let analyst = self.analyst.clone();
        let (_, case, journal) = self.case_for(&upn)?;
        let dir = case.path().join("before");
        std::fs::create_dir_all(&dir)?;
        let now = Utc::now();
        let mut n = 0;
        let path = loop {
            let p = dir.join(format!(
                "{}-{action}-{n}.json",
                now.format("%Y%m%dT%H%M%S%.3fZ")
            ));
            if !p.exists() {
                break p;
            }
            n += 1;
        };
        let mut clean = object.clone();
        crate::case::redact::redact_value(&mut clean);
        let bytes = serde_json::to_vec_pretty(&clean).map_err(io::Error::other)?;
        {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        let digest = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&bytes))
        };
        let mut e = NewEntry::new(now, &analyst, EntryKind::Evidence, action);
        e.detail = Some(format!(
            "object before the change saved to {} (sha256 {digest})",
            path.strip_prefix(case.path()).unwrap_or(&path).display()
        ));
        journal.append(e).map(|_| ()).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intents_outcomes_and_before_objects_land_in_a_verifiable_case_journal() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = CaseLog::new(dir.path().to_path_buf(), "analyst@contoso.com");
        let rec = ActionRecordOut {
            time: "2026-11-20T12:00:00Z".into(),
            action: "reset_password".into(),
            target_id: "u1".into(),
            target_upn: "alice@contoso.com".into(),
            request: "POST /v1.0/users/u1/authentication/methods/x/resetPassword".into(),
            body: Some(r#"{"newPassword":"<masked>"}"#.into()),
            dry_run: false,
            outcome: None,
            detail: None,
            status: None,
            code: None,
            request_id: None,
            client_request_id: Some("c1".into()),
        };
        log.save_before("reset_password", &serde_json::json!({"id": "u1", "userPrincipalName": "alice@contoso.com", "password": "hunter2"})).unwrap();
        log.intent(&rec).unwrap();
        let done = ActionRecordOut {
            outcome: Some("verified".into()),
            request_id: Some("r1".into()),
            ..rec
        };
        log.outcome(&done).unwrap();
        let case = std::fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let journal = case.join("journal.jsonl");
        let v = crate::case::verify(&journal).unwrap();
        assert!(v.broken.is_none());
        assert_eq!(v.entries, 3);
        let text = std::fs::read_to_string(&journal).unwrap();
        assert!(text.contains("\"intent\"") && text.contains("verified") && text.contains("r1"));
        let before = std::fs::read_dir(case.join("before"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let saved = std::fs::read_to_string(before).unwrap();
        assert!(
            !saved.contains("hunter2"),
            "secrets are redacted in saved objects"
        );
    }
}
