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
        let reason = match validate(l.text, out.entries + 1, &out.last_hash) {
            Ok(e) if e.torn.is_empty() => {
                out.entries += 1;
                out.last_hash = e.hash;
                i += 1;
                continue;
            }
            Ok(_) => {
                "repair note, but the lines before it are not the torn lines it names".to_owned()
            }
            Err(reason) => reason,
        };
        // Unreadable lines are acceptable only as the torn lines of the repair note after them.
        let mut j = i;
        while ls
            .get(j)
            .is_some_and(|x| validate(x.text, out.entries + 1, &out.last_hash).is_err())
        {
            j += 1;
        }
        let run = &ls[i..j];
        let note = ls
            .get(j)
            .and_then(|n| validate(n.text, out.entries + 1, &out.last_hash).ok());
        if let Some(note) = note
            && !run.is_empty()
            && note.action == REPAIR_ACTION
            && run.iter().all(|x| x.terminated)
            && note.torn
                == run
                    .iter()
                    .map(|x| repair_for(x.text, x.no))
                    .collect::<Vec<_>>()
        {
            out.repaired.extend(run.iter().map(|x| x.no));
            out.entries += 1;
            out.last_hash = note.hash;
            i = j + 1;
            continue;
        }
        let reason = if l.terminated {
            reason
        } else {
            "incomplete last line (an interrupted write); opening the case again keeps it and \
             records a repair note"
                .to_owned()
        };
        out.broken = Some(BrokenLink { line: l.no, reason });
        return out;
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
pub(super) struct Tail {
    /// The last line has no newline (a whole entry or a torn one).
    pub needs_newline: bool,
    /// Lines after the last whole entry that are not entries: to be named by a repair note.
    pub torn: Vec<Repair>,
}

/// The seq and prevHash the next entry continues from (after the last whole entry), and how
/// the file ends.
pub(super) fn resume_point(bytes: &[u8]) -> (u64, String, Tail) {
    let mut last: Option<(u64, String)> = None;
    let mut tail = Tail {
        needs_newline: false,
        torn: Vec::new(),
    };
    for l in lines(bytes) {
        let (seq, prev) = match &last {
            Some((s, h)) => (s + 1, h.clone()),
            None => (1, GENESIS.to_owned()),
        };
        // A complete line only needs to be an entry; the unterminated last one must also link.
        let entry = if l.terminated {
            serde_json::from_slice::<Entry>(l.text).ok()
        } else {
            tail.needs_newline = true;
            validate(l.text, seq, &prev).ok()
        };
        match entry {
            Some(e) => {
                last = Some((e.seq, e.hash));
                tail.torn.clear();
            }
            None => tail.torn.push(repair_for(l.text, l.no)),
        }
    }
    match last {
        Some((seq, hash)) => (seq + 1, hash, tail),
        None => (1, GENESIS.to_owned(), tail),
    }
}
