//! Reading a journal back: the chain check behind `entra-triage journal verify` (first broken
//! link with its line number) and the resume point used when a journal is reopened.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Entry, GENESIS, REPAIR_ACTION, Repair};
use crate::case::{CaseError, Result};

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// 1-based line number in the file.
    pub line: usize,
    pub reason: String,
}

/// The result of checking a whole journal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyOutcome {
    /// Entries that checked out before the first break (all of them when intact).
    pub entries: u64,
    /// Hash of the last good entry (genesis when none).
    pub last_hash: String,
    /// Torn lines (1-based) that a matching repair note accounts for.
    pub repaired: Vec<usize>,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

impl VerifyOutcome {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

struct Line<'a> {
    no: usize,
    text: &'a [u8],
    terminated: bool,
}

fn lines(bytes: &[u8]) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push(Line {
                no: out.len() + 1,
                text: &bytes[start..i],
                terminated: true,
            });
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push(Line {
            no: out.len() + 1,
            text: &bytes[start..],
            terminated: false,
        });
    }
    out
}

/// Parses one line and checks it against the chain so far.
fn validate(text: &[u8], seq: u64, prev: &str) -> std::result::Result<Entry, String> {
    if text.is_empty() {
        return Err("empty line".to_owned());
    }
    let e: Entry =
        serde_json::from_slice(text).map_err(|err| format!("not a journal entry ({err})"))?;
    if e.compute_hash() != e.hash {
        return Err("hash does not match the line's content: this line was changed".to_owned());
    }
    if e.to_line().as_bytes() != text {
        return Err("line is not in canonical form: it was edited".to_owned());
    }
    if e.seq != seq {
        return Err(format!(
            "seq {} where {seq} was expected: a line before it is missing or was inserted",
            e.seq
        ));
    }
    if e.prev_hash != prev {
        return Err(
            "prevHash is not the previous entry's hash: a line before it was removed, changed or \
             reordered"
                .to_owned(),
        );
    }
    Ok(e)
}

fn repair_for(text: &[u8], no: usize) -> Repair {
    Repair {
        line: no,
        bytes: text.len(),
        sha256: hex::encode(Sha256::digest(text)),
    }
}

/// Checks every line: parses, canonical form, consecutive seq, prevHash links, hash matches.
pub fn verify_bytes(bytes: &[u8]) -> VerifyOutcome {
    let ls = lines(bytes);
    let mut out = VerifyOutcome {
        last_hash: GENESIS.to_owned(),
        ..VerifyOutcome::default()
    };
    let mut i = 0usize;
    while let Some(l) = ls.get(i) {
        match validate(l.text, out.entries + 1, &out.last_hash) {
            Ok(e) if e.repair.is_some() => {
                out.broken = Some(BrokenLink {
                    line: l.no,
                    reason: "repair note, but the line before it is not the torn line it names"
                        .to_owned(),
                });
                return out;
            }
            Ok(e) => {
                out.entries += 1;
                out.last_hash = e.hash;
                i += 1;
            }
            Err(reason) => {
                let note = ls
                    .get(i + 1)
                    .and_then(|n| validate(n.text, out.entries + 1, &out.last_hash).ok());
                if let Some(note) = note
                    && l.terminated
                    && note.action == REPAIR_ACTION
                    && note.repair.as_ref() == Some(&repair_for(l.text, l.no))
                {
                    out.repaired.push(l.no);
                    out.entries += 1;
                    out.last_hash = note.hash;
                    i += 2;
                    continue;
                }
                let reason = if l.terminated {
                    reason
                } else {
                    "incomplete last line (an interrupted write); opening the case again keeps \
                     it and records a repair note"
                        .to_owned()
                };
                out.broken = Some(BrokenLink { line: l.no, reason });
                return out;
            }
        }
    }
    out
}

/// Reads and checks the journal at `path` (an error only when it cannot be read).
pub fn verify(path: &Path) -> Result<VerifyOutcome> {
    let bytes = std::fs::read(path).map_err(|e| CaseError::io(path, e))?;
    Ok(verify_bytes(&bytes))
}

/// `entra-triage journal verify PATH`: the message to print and the exit code
/// (0 intact, 1 broken, 2 unreadable).
pub fn verify_cli(path: &Path) -> (String, i32) {
    let shown = crate::sanitize::line(&path.display().to_string());
    match verify(path) {
        Err(e) => (
            format!("cannot verify: {}", crate::sanitize::line(&e.to_string())),
            2,
        ),
        Ok(o) => match &o.broken {
            Some(b) => (
                format!(
                    "{shown}: BROKEN at line {}: {} ({} entries before it check out)",
                    b.line, b.reason, o.entries
                ),
                1,
            ),
            None => {
                let mut msg = format!(
                    "{shown}: intact, {} entries, last hash {}",
                    o.entries, o.last_hash
                );
                for l in &o.repaired {
                    msg.push_str(&format!(
                        "\n  line {l}: torn by an interrupted write, accounted for by the repair \
                         note after it"
                    ));
                }
                (msg, 0)
            }
        },
    }
}

/// How a journal ends, for reopening.
pub(super) enum Tail {
    /// Ends with a newline (or is empty).
    None,
    /// The last entry is whole and links, only its newline is missing.
    WholeEntry,
    /// The last line is a partial write: its 1-based number and bytes.
    Torn { line: usize, bytes: Vec<u8> },
}

/// The seq and prevHash the next entry continues from (after the last whole entry), and how
/// the file ends.
pub(super) fn resume_point(bytes: &[u8]) -> (u64, String, Tail) {
    let mut last: Option<(u64, String)> = None;
    let mut tail = Tail::None;
    for l in lines(bytes) {
        if l.terminated {
            if let Ok(e) = serde_json::from_slice::<Entry>(l.text) {
                last = Some((e.seq, e.hash));
            }
            continue;
        }
        let (seq, prev) = match &last {
            Some((s, h)) => (s + 1, h.clone()),
            None => (1, GENESIS.to_owned()),
        };
        match validate(l.text, seq, &prev) {
            Ok(e) => {
                last = Some((e.seq, e.hash));
                tail = Tail::WholeEntry;
            }
            Err(_) => {
                tail = Tail::Torn {
                    line: l.no,
                    bytes: l.text.to_vec(),
                }
            }
        }
    }
    match last {
        Some((seq, hash)) => (seq + 1, hash, tail),
        None => (1, GENESIS.to_owned(), tail),
    }
}
