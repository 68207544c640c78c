//! `--request-log FILE`: one JSON line per answered request (contracts §2):
//! `{"ts": "…Z" (ms, when the answer was sent), "method", "path" (with the query string as
//! received), "status", "ms"}`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::json;

use super::SimError;

/// An append-only request log.
#[derive(Debug)]
pub struct RequestLog {
    file: Mutex<File>,
}

/// One log line (without the trailing newline).
pub fn line(
    ts: chrono::DateTime<chrono::Utc>,
    method: &str,
    path: &str,
    status: u16,
    ms: u64,
) -> String {
    json!({
        "ts": ts.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "method": method,
        "path": path,
        "status": status,
        "ms": ms,
    })
    .to_string()
}

impl RequestLog {
    pub fn open(path: &Path) -> Result<RequestLog, SimError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| SimError::RequestLog {
                file: path.display().to_string(),
                source,
            })?;
        Ok(RequestLog {
            file: Mutex::new(file),
        })
    }

    /// Appends one line; a failing write is reported through tracing, not to the client.
    pub fn write(&self, method: &str, path: &str, status: u16, ms: u64) {
        let mut text = line(chrono::Utc::now(), method, path, status, ms);
        text.push('\n');
        let Ok(mut f) = self.file.lock() else {
            return;
        };
        if let Err(e) = f.write_all(text.as_bytes()) {
            tracing::warn!("request log write failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_format() {
        let ts = "2026-11-20T08:00:01.123456Z".parse().unwrap();
        let l = line(ts, "GET", "/v1.0/auditLogs/signIns?$filter=x", 200, 104);
        assert_eq!(
            l,
            r#"{"ts":"2026-11-20T08:00:01.123Z","method":"GET","path":"/v1.0/auditLogs/signIns?$filter=x","status":200,"ms":104}"#
        );
    }
}
