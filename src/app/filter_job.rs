//! One pane's filter and sort, computed in slices so a million rows never block input: the
//! runtime hands the app one `Msg::Work` per turn while a job runs, and each turn does a
//! bounded amount of work (`Budget`). Phases: scan the rows (compiled predicate, and the sort
//! key of each match), rank the text keys, a stable LSD radix sort of (key, row) by the bytes
//! that differ, and — when only new rows arrived — a merge into the rows already shown.
//! Pure computation over `Panes`; no IO, no clock.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::{Panes, Sort, schema, visit};
use crate::filter::{Compiled, Filter, Filterable, KeyMaker};
use crate::protocol::{PaneId, RequestId};

/// How much one turn computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Work under this many rows is done at once, inside the update that asked for it.
    pub sync_rows: usize,
    /// Rows filtered (and keyed) per turn.
    pub scan: usize,
    /// Keys moved per turn (radix sort passes, merging).
    pub moves: usize,
}

impl Default for Budget {
    /// Sized for a few milliseconds per turn on a slow shared core (see benches/query.rs).
    fn default() -> Self {
        Self {
            sync_rows: 20_000,
            scan: 32_768,
            moves: 262_144,
        }
    }
}

/// Which rows a result (or a running job) was computed from: the load, the layout of the
/// Sign-ins pane and its first `len` rows, known by the last of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    /// The request whose rows these are.
    pub req: Option<RequestId>,
    /// Non-interactive sign-ins were merged in.
    pub merged: bool,
    /// Rows covered.
    pub len: usize,
    /// Id and time of row `len - 1`.
    pub last: Option<(String, Option<DateTime<Utc>>)>,
}

/// Identity of row `i` of `pane` (Sign-ins only: the pane that grows page by page).
fn row_id(panes: &Panes, pane: PaneId, i: usize) -> Option<(String, Option<DateTime<Utc>>)> {
    if pane != PaneId::SignIns {
        return None;
    }
    let d = panes.sign_ins.state.data()?;
    let (s, _) = panes.inv.sign_in_at(d, i)?;
    Some((s.id.clone(), s.created_date_time))
}

impl Stamp {
    /// The first `len` rows of `pane` as they are now.
    pub fn of(panes: &Panes, pane: PaneId, len: usize) -> Self {
        Self {
            req: (pane == PaneId::SignIns)
                .then_some(panes.sign_ins.req)
                .flatten(),
            merged: pane == PaneId::SignIns && panes.inv.show_non_interactive,
            len,
            last: len.checked_sub(1).and_then(|i| row_id(panes, pane, i)),
        }
    }

    /// The pane still starts with these rows (rows may have been appended after them). Only
    /// the Sign-ins pane grows in place; every other pane is recomputed on any change.
    pub fn still_holds(&self, panes: &Panes, pane: PaneId) -> bool {
        pane == PaneId::SignIns
            && panes.len(pane) >= self.len
            && *self == Self::of(panes, pane, self.len)
    }
}

/// Rows shown by a filtered or sorted pane.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    /// Positions in the pane's data, in the order shown.
    pub order: Vec<u32>,
    /// Sort keys of `order` (empty when not sorted).
    pub keys: Vec<u64>,
    /// What made `keys` (kept so rows arriving later get comparable keys).
    pub maker: Option<KeyMaker>,
    /// The rows this was computed from.
    pub stamp: Stamp,
}

#[derive(Debug, Clone)]
enum Phase {
    /// Filtering (and keying) rows `cursor..` of the pane.
    Scan,
    /// Counting key bytes for the radix sort.
    Count {
        pos: usize,
        counts: Box<[[u32; 256]; 8]>,
    },
    /// Radix pass `at` of `bytes`, `pos` keys moved into `to`.
    Pass {
        counts: Box<[[u32; 256]; 8]>,
        bytes: Vec<u8>,
        at: usize,
        pos: usize,
        next: Box<[usize; 256]>,
        to: Vec<(u64, u32)>,
    },
    /// Merging the sorted new rows into the shown ones.
    Merge {
        i: usize,
        j: usize,
        order: Vec<u32>,
        keys: Vec<u64>,
    },
    /// Finished: the result is ready.
    Done,
}

/// A filter and sort of one pane being computed.
#[derive(Debug, Clone)]
pub struct Job {
    /// The pane.
    pub pane: PaneId,
    /// The filter being applied.
    pub filter: Option<Filter>,
    /// The sort being applied.
    pub sort: Option<Sort>,
    /// The analyst asked for it (progress is shown); false: new rows arrived.
    pub asked: bool,
    /// Move the selection to the top when done (a new filter).
    pub reset_view: bool,
    pred: Option<Compiled>,
    maker: Option<KeyMaker>,
    /// Rows already in the result this job merges into (0: a fresh result).
    base: usize,
    /// Scanned rows `0..cursor` (from `base`), and the identity of the last one.
    scanned: Stamp,
    found: Vec<(u64, u32)>,
    /// The other buffer of the radix passes.
    spare: Vec<(u64, u32)>,
    phase: Phase,
    /// Progress shown, 0–100.
    pub percent: u8,
    result: Option<Shown>,
}

impl Job {
    /// A job computing `filter` and `sort` of `pane` from scratch.
    pub fn new(pane: PaneId, filter: Option<Filter>, sort: Option<Sort>, panes: &Panes) -> Self {
        let fields = schema(pane).map_or(&[][..], |s| s.fields);
        let pred = filter.as_ref().and_then(|f| f.compile(fields));
        let maker = sort.and_then(|s| sort_field(pane, s)).map(KeyMaker::new);
        Self {
            pane,
            filter,
            sort,
            asked: true,
            reset_view: false,
            pred,
            maker,
            base: 0,
            scanned: Stamp::of(panes, pane, 0),
            found: Vec::new(),
            spare: Vec::new(),
            phase: Phase::Scan,
            percent: 0,
            result: None,
        }
    }

    /// A job adding the rows that arrived after `shown` (same filter and sort).
    pub fn append(
        pane: PaneId,
        filter: Option<Filter>,
        sort: Option<Sort>,
        shown: &Shown,
        panes: &Panes,
    ) -> Self {
        let mut job = Self::new(pane, filter, sort, panes);
        job.asked = false;
        job.base = shown.stamp.len;
        job.scanned = shown.stamp.clone();
        if job.maker.is_some() {
            job.maker = shown.maker.clone();
        }
        job
    }

    /// Rows left to scan.
    pub fn rows_left(&self, panes: &Panes) -> usize {
        panes.len(self.pane).saturating_sub(self.scanned.len)
    }

    /// Rows of the shown result this job merges into.
    pub fn base(&self) -> usize {
        self.base
    }

    /// The rows scanned so far are still the pane's first rows.
    pub fn still_valid(&self, panes: &Panes) -> bool {
        if self.scanned.len == 0 {
            self.scanned == Stamp::of(panes, self.pane, 0)
        } else {
            self.scanned.still_holds(panes, self.pane)
        }
    }

    /// Computes one turn's worth (`budget`); `base` is the result shown now (appends merge
    /// into it). True when the job is finished (`take_result`).
    pub fn step(&mut self, panes: &Panes, base: Option<&Shown>, budget: &Budget) -> bool {
        let mut left = budget.moves;
        loop {
            let done = match &mut self.phase {
                Phase::Done => return true,
                Phase::Scan => {
                    self.scan(panes, budget.scan);
                    if self.scanned.len < panes.len(self.pane) {
                        self.update_percent(panes);
                        return false;
                    }
                    self.after_scan();
                    left = left.saturating_sub(budget.moves / 2);
                    matches!(self.phase, Phase::Done)
                }
                _ => {
                    let used = self.sort_step(base, left);
                    left = left.saturating_sub(used.max(1));
                    matches!(self.phase, Phase::Done)
                }
            };
            if done {
                self.finish(base);
                return true;
            }
            self.update_percent(panes);
            if left == 0 {
                return false;
            }
        }
    }

    /// The finished result.
    pub fn take_result(&mut self) -> Option<Shown> {
        self.result.take()
    }

    fn scan(&mut self, panes: &Panes, rows: usize) {
        let from = self.scanned.len;
        let to = panes.len(self.pane).min(from + rows.max(1));
        let (pred, maker, found) = (&self.pred, &mut self.maker, &mut self.found);
        if self.pane == PaneId::SignIns {
            // Concrete rows: the compiled filter and the keys inline their field reads.
            if let Some(d) = panes.sign_ins.state.data() {
                for i in from..to {
                    if let Some((s, _)) = panes.inv.sign_in_at(d, i)
                        && pred.as_ref().is_none_or(|p| p.matches(s))
                    {
                        let key = maker.as_mut().map_or(0, |m| m.key(s));
                        found.push((key, i as u32));
                    }
                }
            }
        } else {
            visit_range(panes, self.pane, from..to, &mut |i, row| {
                if pred.as_ref().is_none_or(|p| p.matches(row)) {
                    let key = maker.as_mut().map_or(0, |m| m.key(row));
                    found.push((key, i as u32));
                }
            });
        }
        self.scanned = Stamp::of(panes, self.pane, to);
    }

    fn after_scan(&mut self) {
        self.phase = match &mut self.maker {
            Some(m) if !self.found.is_empty() => {
                m.rank();
                Phase::Count {
                    pos: 0,
                    counts: Box::new([[0; 256]; 8]),
                }
            }
            _ => Phase::Done,
        };
    }

    fn sort_key(&self, key: u64) -> u64 {
        let k = self.maker.as_ref().map_or(key, |m| m.order_key(key));
        if self.sort.is_some_and(|s| s.reverse) {
            !k
        } else {
            k
        }
    }

    /// One bounded step of counting, a radix pass or the merge; returns keys touched.
    fn sort_step(&mut self, base: Option<&Shown>, left: usize) -> usize {
        let n = self.found.len();
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        let (next, used) = match phase {
            Phase::Count { pos, mut counts } => {
                let end = n.min(pos + left.max(1));
                for &(k, _) in &self.found[pos..end] {
                    let k = self.sort_key(k);
                    for (b, c) in counts.iter_mut().enumerate() {
                        c[((k >> (8 * b)) & 0xff) as usize] += 1;
                    }
                }
                let next = if end < n {
                    Phase::Count { pos: end, counts }
                } else {
                    let bytes: Vec<u8> = (0..8u8)
                        .filter(|b| counts[*b as usize].iter().all(|c| (*c as usize) < n))
                        .collect();
                    self.start_pass(counts, bytes, 0, base)
                };
                (next, end - pos)
            }
            Phase::Pass {
                counts,
                bytes,
                at,
                pos,
                mut next,
                mut to,
            } => {
                let end = n.min(pos + left.max(1));
                let shift = 8 * u32::from(bytes[at]);
                for &(k, i) in &self.found[pos..end] {
                    let b = ((self.sort_key(k) >> shift) & 0xff) as usize;
                    to[next[b]] = (k, i);
                    next[b] += 1;
                }
                let phase = if end < n {
                    Phase::Pass {
                        counts,
                        bytes,
                        at,
                        pos: end,
                        next,
                        to,
                    }
                } else {
                    std::mem::swap(&mut self.found, &mut to);
                    self.spare = to;
                    self.start_pass(counts, bytes, at + 1, base)
                };
                (phase, end - pos)
            }
            Phase::Merge {
                mut i,
                mut j,
                mut order,
                mut keys,
            } => {
                let (bo, bk) = base.map_or((&[][..], &[][..]), |b| (&b.order[..], &b.keys[..]));
                let mut moved = 0;
                while moved < left.max(1) && (i < bo.len() || j < n) {
                    let from_base = j == n
                        || (i < bo.len() && self.sort_key(bk[i]) <= self.sort_key(self.found[j].0));
                    if from_base {
                        order.push(bo[i]);
                        keys.push(bk[i]);
                        i += 1;
                    } else {
                        order.push(self.found[j].1);
                        keys.push(self.found[j].0);
                        j += 1;
                    }
                    moved += 1;
                }
                let phase = if i < bo.len() || j < n {
                    Phase::Merge { i, j, order, keys }
                } else {
                    self.result = Some(Shown {
                        order,
                        keys,
                        maker: None,
                        stamp: Stamp::default(),
                    });
                    Phase::Done
                };
                (phase, moved)
            }
            other => (other, 0),
        };
        self.phase = next;
        used
    }

    fn start_pass(
        &mut self,
        counts: Box<[[u32; 256]; 8]>,
        bytes: Vec<u8>,
        at: usize,
        base: Option<&Shown>,
    ) -> Phase {
        if let Some(&b) = bytes.get(at) {
            let mut next = Box::new([0usize; 256]);
            let mut sum = 0;
            for (v, c) in counts[b as usize].iter().enumerate() {
                next[v] = sum;
                sum += *c as usize;
            }
            let mut to = std::mem::take(&mut self.spare);
            to.clear();
            to.resize(self.found.len(), (0, 0));
            return Phase::Pass {
                counts,
                bytes,
                at,
                pos: 0,
                next,
                to,
            };
        }
        // Sorted: merge into the shown rows when only new rows were scanned.
        if self.base > 0 && base.is_some_and(|b| !b.keys.is_empty() || b.order.is_empty()) {
            let cap = base.map_or(0, |b| b.order.len()) + self.found.len();
            Phase::Merge {
                i: 0,
                j: 0,
                order: Vec::with_capacity(cap),
                keys: Vec::with_capacity(cap),
            }
        } else {
            Phase::Done
        }
    }

    /// Builds the result (merges unsorted appends, which only extend).
    fn finish(&mut self, base: Option<&Shown>) {
        let mut shown = match self.result.take() {
            Some(merged) => merged,
            None => {
                let (mut order, mut keys) = if self.base > 0
                    && let Some(b) = base
                {
                    (b.order.clone(), b.keys.clone())
                } else {
                    (Vec::new(), Vec::new())
                };
                order.reserve(self.found.len());
                order.extend(self.found.iter().map(|(_, i)| *i));
                if self.maker.is_some() {
                    keys.extend(self.found.iter().map(|(k, _)| *k));
                }
                Shown {
                    order,
                    keys,
                    maker: None,
                    stamp: Stamp::default(),
                }
            }
        };
        shown.maker = self.maker.take();
        shown.stamp = self.scanned.clone();
        self.found = Vec::new();
        self.spare = Vec::new();
        self.percent = 100;
        self.result = Some(shown);
    }

    fn update_percent(&mut self, panes: &Panes) {
        let sorted = self.maker.is_some();
        let scan_share = if sorted { 60.0 } else { 100.0 };
        let rows = panes.len(self.pane).saturating_sub(self.base).max(1) as f64;
        let scanned = self.scanned.len.saturating_sub(self.base) as f64;
        let n = self.found.len().max(1) as f64;
        let p = match &self.phase {
            Phase::Scan => scan_share * scanned / rows,
            Phase::Count { pos, .. } => 60.0 + 5.0 * *pos as f64 / n,
            Phase::Pass { bytes, at, pos, .. } => {
                65.0 + 30.0 * (*at as f64 + *pos as f64 / n) / bytes.len().max(1) as f64
            }
            Phase::Merge { i, j, .. } => {
                let total = (self.base as f64 + n).max(1.0);
                95.0 + 5.0 * (*i + *j) as f64 / total
            }
            Phase::Done => 100.0,
        };
        self.percent = self.percent.max((p as u8).min(99));
    }
}

/// The field a sort orders by (its position in the pane's fields).
fn sort_field(pane: PaneId, s: Sort) -> Option<usize> {
    let sc = schema(pane)?;
    let name = sc.columns.iter().find(|(c, _)| *c == s.column)?.1;
    sc.fields.iter().position(|f| f.name == name)
}

/// Calls `f` with rows `range` of `pane` (natural order) and their positions.
fn visit_range(
    panes: &Panes,
    pane: PaneId,
    range: Range<usize>,
    f: &mut dyn FnMut(usize, &dyn Filterable),
) {
    let mut i = 0;
    visit(panes, pane, &mut |row| {
        if range.contains(&i) {
            f(i, row);
        }
        i += 1;
    });
}
