//! Offline analysis input: sign-in logs exported earlier, loaded from files with no tenant.
//!
//! Supported, detected from the content (never the extension): Graph JSON as the API returns it
//! (`{"value": […]}` — one page, a JSON array of pages, or concatenated pages), a bare JSON array
//! of signIn objects (also the Entra admin center's JSON download and PowerShell's
//! `ConvertTo-Json` with PascalCase keys), JSON Lines (one signIn per line) and the admin
//! center's CSV download (columns mapped by header name). Malformed records are reported with
//! their line or record number and the rest still loads; a truncated JSON file keeps every
//! sign-in that was whole. Sign-ins are deduplicated by id across files and sorted newest
//! first. Never panics, whatever the bytes.

mod csv_log;
mod json;
mod record;
mod source;

pub use source::OfflineSource;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::graph::models::SignIn;

/// Largest file read, in bytes (a million sign-ins in Graph JSON is well below this).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// 1-based line (and, for JSON syntax errors, column).
    Line { line: usize, column: Option<usize> },
    /// 1-based record number (sign-in object in the order met).
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File => f.write_str("file"),
            Self::Line { line, column: None } => write!(f, "line {line}"),
            Self::Line {
                line,
                column: Some(c),
            } => write!(f, "line {line}, column {c}"),
            Self::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// Something that did not load (the rest of the file still did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    pub file: PathBuf,
    pub location: Location,
    /// Already sanitised for display.
    pub message: String,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            crate::sanitize::line(&self.file.display().to_string()),
            self.location,
            self.message
        )
    }
}

/// The format a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Graph collection pages (`{"value": […]}`), one or several.
    GraphPages,
    /// A bare JSON array of signIn objects (Graph or admin-center JSON download).
    JsonArray,
    /// One signIn object per line.
    JsonLines,
    /// The Entra admin center's CSV download.
    EntraCsv,
    /// Nothing recognisable.
    Unknown,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Self::GraphPages => "Graph JSON pages",
            Self::JsonArray => "JSON array of sign-ins",
            Self::JsonLines => "JSON Lines",
            Self::EntraCsv => "Entra admin center CSV",
            Self::Unknown => "unrecognised",
        }
    }
}

/// What one file contributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    pub format: Format,
    /// Sign-ins taken from this file (after deduplication).
    pub count: usize,
    /// Sign-ins skipped because an earlier file (or record) had the same id.
    pub duplicates: usize,
}

/// Everything loaded from a set of files.
#[derive(Debug, Clone, Default)]
pub struct LoadResult {
    /// Unique by id, newest first.
    pub sign_ins: Vec<SignIn>,
    pub problems: Vec<LoadProblem>,
    pub files: Vec<FileSummary>,
}

/// One file's parse, before deduplication.
pub(crate) struct Parsed {
    pub format: Format,
    pub sign_ins: Vec<SignIn>,
    pub problems: Vec<(Location, String)>,
}

/// Loads every file in `paths`; unreadable files become problems.
pub fn load_files<P: AsRef<Path>>(paths: &[P]) -> LoadResult {
    let mut out = LoadResult::default();
    let mut seen = HashSet::new();
    for p in paths {
        let path = p.as_ref();
        let parsed = match read_capped(path) {
            Ok(bytes) => parse_bytes(&bytes),
            Err(msg) => Parsed {
                format: Format::Unknown,
                sign_ins: Vec::new(),
                problems: vec![(Location::File, msg)],
            },
        };
        merge(&mut out, &mut seen, path, parsed);
    }
    out.sign_ins
        .sort_by_key(|s| std::cmp::Reverse(s.created_date_time));
    out
}

/// Loads sign-ins from bytes already in memory (`label` names them in problems).
pub fn load_bytes(label: &Path, bytes: &[u8]) -> LoadResult {
    let mut out = LoadResult::default();
    merge(&mut out, &mut HashSet::new(), label, parse_bytes(bytes));
    out.sign_ins
        .sort_by_key(|s| std::cmp::Reverse(s.created_date_time));
    out
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} bytes; the limit is {MAX_FILE_BYTES}",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

fn merge(out: &mut LoadResult, seen: &mut HashSet<String>, path: &Path, parsed: Parsed) {
    let mut summary = FileSummary {
        path: path.to_path_buf(),
        format: parsed.format,
        count: 0,
        duplicates: 0,
    };
    for s in parsed.sign_ins {
        if seen.insert(s.id.to_string()) {
            summary.count += 1;
            out.sign_ins.push(s);
        } else {
            summary.duplicates += 1;
        }
    }
    out.problems.extend(
        parsed
            .problems
            .into_iter()
            .map(|(location, message)| LoadProblem {
                file: path.to_path_buf(),
                location,
                message: crate::sanitize::line(&message),
            }),
    );
    out.files.push(summary);
}

/// Text behind a UTF-16 byte-order mark, as UTF-8 (unpaired surrogates replaced).
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (rest, little) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|c| {
            let pair = [c[0], c[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// Detects the format from the content and parses it.
pub(crate) fn parse_bytes(bytes: &[u8]) -> Parsed {
    // Windows PowerShell 5's `Out-File` writes UTF-16 with a byte-order mark.
    if let Some(utf16) = decode_utf16(bytes) {
        return parse_bytes(utf16.as_bytes());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            problems.push((
                Location::Line { line, column: None },
                "not valid UTF-8; unreadable bytes were replaced".to_owned(),
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let mut parsed = match text.trim_start().chars().next() {
        None => Parsed {
            format: Format::Unknown,
            sign_ins: Vec::new(),
            problems: vec![(Location::File, "empty file".to_owned())],
        },
        Some('[') | Some('{') => json::parse(&text),
        Some(_) => csv_log::parse(&text),
    };
    problems.append(&mut parsed.problems);
    parsed.problems = problems;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PAGES: &str = r#"[{"value":[{"id":"a","createdDateTime":"2026-11-20T10:00:00Z"},
{"id":"b","createdDateTime":"2026-11-20T09:00:00Z","status":{"errorCode":1}}]},
{"value":[{"id":"c","createdDateTime":"2026-11-20T08:00:00Z"}]}]"#;

    fn ids(r: &LoadResult) -> Vec<String> {
        r.sign_ins.iter().map(|s| s.id.to_string()).collect()
    }

    #[test]
    fn empty_and_blank_files_are_problems() {
        for b in [&b""[..], b"   \n", b"\xEF\xBB\xBF"] {
            let r = load_bytes(Path::new("x"), b);
            assert!(r.sign_ins.is_empty());
            assert_eq!(r.problems.len(), 1);
        }
    }

    #[test]
    fn utf16_powershell_output_loads() {
        let text = r#"[{"Id":"w1","CreatedDateTime":"2026-11-20T10:00:00Z"}]"#;
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(ids(&load_bytes(Path::new("x"), &le)), ["w1"]);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(ids(&load_bytes(Path::new("x"), &be)), ["w1"]);
    }

    #[test]
    fn invalid_utf8_is_reported_and_the_rest_loads() {
        let r = load_bytes(
            Path::new("x"),
            b"{\"id\":\"a\",\"userDisplayName\":\"\xff\"}\n",
        );
        assert_eq!(ids(&r), ["a"]);
        assert_eq!(r.problems.len(), 1);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = load_bytes(Path::new("fuzz"), &bytes);
        }

        #[test]
        fn json_like_text_never_panics(s in r#"[\[\]{}",:0-9a-z \n\\.eE+-]{0,400}"#) {
            let _ = load_bytes(Path::new("fuzz"), s.as_bytes());
            let _ = load_bytes(Path::new("fuzz"), format!("{{\"value\":[{s}").as_bytes());
        }

        #[test]
        fn csv_like_text_never_panics(s in r#"[a-zA-Z0-9 ,"\r\n()/:-]{0,400}"#) {
            let text = format!("Date (UTC),Request ID,Location,Status\n{s}");
            let _ = load_bytes(Path::new("fuzz"), text.as_bytes());
        }

        #[test]
        fn any_truncation_keeps_a_prefix_and_says_so(cut in 0usize..PAGES.len()) {
            let r = load_bytes(Path::new("cut"), &PAGES.as_bytes()[..cut]);
            let got = ids(&r);
            let all = ["a", "b", "c"];
            prop_assert!(got.len() <= 3);
            for id in &got {
                prop_assert!(all.contains(&id.as_str()));
            }
            prop_assert!(!r.problems.is_empty() || got.len() == 3);
        }
    }
}
