//! `ActionLog`: where the executor records each change — the object before, an intent entry
//! before the request and an outcome entry after. The case journal (hash chain, fsync)
//! implements it at merge; `JsonlLog` is the minimal implementation (one JSON object per line,
//! flushed and, for files, synced per entry). Records never hold a secret: request bodies are
//! masked by `DangerousAction::shown_request` before they get here.

use std::io::{self, Write};

use serde::Serialize;

/// One journal record of an action (intent: `outcome` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRecordOut {
    /// RFC 3339 UTC time the record was made.
    pub time: String,
    /// Stable action name (`revoke_sessions`, …).
    pub action: String,
    /// Target user object id.
    pub target_id: String,
    /// Target UPN (raw tenant text; JSON-escaped on output).
    pub target_upn: String,
    /// `POST /v1.0/users/…`.
    pub request: String,
    /// Body with secrets masked.
    pub body: Option<String>,
    /// Nothing was sent (dry run).
    pub dry_run: bool,
    /// `verified`, `not_verifiable`, `failed`, `unknown`, `dry_run`, `not_sent`.
    pub outcome: Option<String>,
    /// What the outcome means (verification detail, error message).
    pub detail: Option<String>,
    /// Graph status of the mutation, when it answered.
    pub status: Option<u16>,
    /// Graph error code.
    pub code: Option<String>,
    /// Graph `request-id`.
    pub request_id: Option<String>,
    /// The `client-request-id` the console sent.
    pub client_request_id: Option<String>,
}

/// Where actions are recorded. Implementations must persist an entry before returning `Ok`.
pub trait ActionLog: Send {
    /// Before the request is sent; an error stops the action (nothing is sent unrecorded).
    fn intent(&mut self, rec: &ActionRecordOut) -> io::Result<()>;
    /// After the request and its verification.
    fn outcome(&mut self, rec: &ActionRecordOut) -> io::Result<()>;
    /// The object the action changes, as Graph returned it just before.
    fn save_before(&mut self, action: &str, object: &serde_json::Value) -> io::Result<()>;
    /// The evidence snapshot taken before the first change of a suspect: `(part, JSON)`.
    /// By default each part is kept like a "before" object.
    fn save_evidence(
        &mut self,
        _subject: &super::Subject,
        pages: &[(String, serde_json::Value)],
    ) -> io::Result<()> {
        for (part, page) in pages {
            self.save_before(
                "evidence",
                &serde_json::json!({"path": part, "object": page}),
            )?;
        }
        Ok(())
    }
}

/// One JSON object per line: `{"kind":"intent"|"outcome"|"before", …}`.
pub struct JsonlLog<W: Write + Send> {
    out: W,
    sync: Option<fn(&mut W) -> io::Result<()>>,
}

impl<W: Write + Send> JsonlLog<W> {
    /// Writes to any writer (tests use a `Vec<u8>` or a file).
    pub fn new(out: W) -> Self {
        Self { out, sync: None }
    }

    /// The writer (tests read what was written).
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    fn line(&mut self, v: serde_json::Value) -> io::Result<()> {
        let mut s = serde_json::to_string(&v).map_err(io::Error::other)?;
        s.push('\n');
        self.out.write_all(s.as_bytes())?;
        self.out.flush()?;
        if let Some(sync) = self.sync {
            sync(&mut self.out)?;
        }
        Ok(())
    }

    fn record(&mut self, kind: &str, rec: &ActionRecordOut) -> io::Result<()> {
        let mut v = serde_json::to_value(rec).map_err(io::Error::other)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("kind".into(), kind.into());
        }
        self.line(v)
    }
}

impl JsonlLog<std::fs::File> {
    /// Appends to `path` (created owner-only where supported), syncing after every entry.
    pub fn create(path: &std::path::Path) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        Ok(Self {
            out: opts.open(path)?,
            sync: Some(|f: &mut std::fs::File| f.sync_data()),
        })
    }
}

impl<W: Write + Send> ActionLog for JsonlLog<W> {
    fn intent(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.record("intent", rec)
    }
    fn outcome(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.record("outcome", rec)
    }
    fn save_before(&mut self, action: &str, object: &serde_json::Value) -> io::Result<()> {
        self.line(serde_json::json!({"kind": "before", "action": action, "object": object}))
    }
}

/// A `JsonlLog` on a file opened at the first entry, so a session that never acts leaves
/// no file behind.
pub struct LazyJsonlFile {
    path: std::path::PathBuf,
    log: Option<JsonlLog<std::fs::File>>,
}

impl LazyJsonlFile {
    /// Will append to `path`.
    pub fn new(path: std::path::PathBuf) -> Self {
        Self { path, log: None }
    }

    fn log(&mut self) -> io::Result<&mut JsonlLog<std::fs::File>> {
        if self.log.is_none() {
            self.log = Some(JsonlLog::create(&self.path)?);
        }
        self.log
            .as_mut()
            .ok_or_else(|| io::Error::other("action log not open"))
    }
}

impl ActionLog for LazyJsonlFile {
    fn intent(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.log()?.intent(rec)
    }
    fn outcome(&mut self, rec: &ActionRecordOut) -> io::Result<()> {
        self.log()?.outcome(rec)
    }
    fn save_before(&mut self, action: &str, object: &serde_json::Value) -> io::Result<()> {
        self.log()?.save_before(action, object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_line_per_entry() {
        let mut log = JsonlLog::new(Vec::new());
        let rec = ActionRecordOut {
            time: "2026-11-20T12:00:00Z".into(),
            action: "revoke_sessions".into(),
            target_id: "u".into(),
            target_upn: "a@b".into(),
            request: "POST /v1.0/users/u/revokeSignInSessions".into(),
            body: None,
            dry_run: false,
            outcome: None,
            detail: None,
            status: None,
            code: None,
            request_id: None,
            client_request_id: None,
        };
        log.intent(&rec).unwrap();
        log.save_before("revoke_sessions", &serde_json::json!({"id": "u"}))
            .unwrap();
        let text = String::from_utf8(log.get_ref().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("\"kind\":\"intent\""));
        assert!(lines[1].contains("\"kind\":\"before\""));
    }
}
