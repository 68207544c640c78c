//! One pane's filter and sort, computed in slices so a million rows never block input: the
//! runtime hands the app one `Msg::Work` per turn while a job runs, and each turn does a
//! bounded amount of work (`Budget`). Phases: scan the rows (compiled predicate, and the sort
//! key of each match), rank the text keys, a stable LSD radix sort of (key, row) by the bytes
//! that differ, and — when only new rows arrived — a merge into the rows already shown.
//! Pure computation over `Panes`; no IO, no clock.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::columns::Columns;
use super::{Panes, Sort, schema, visit};
use crate::filter::{Compiled, Filter, Filterable, KeyMaker, text_holds};
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
    pub last: Option<(crate::graph::models::Id, Option<DateTime<Utc>>)>,
}

/// Identity of row `i` of `pane` (Sign-ins only: the pane that grows page by page).
fn row_id(
    panes: &Panes,
    pane: PaneId,
    i: usize,
) -> Option<(crate::graph::models::Id, Option<DateTime<Utc>>)> {
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
    /// Reading the columns the filter and sort need (Sign-ins).
    Index,
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
    /// Keys of the sort when the pane has no columns.
    maker: Option<KeyMaker>,
    /// The columns the job reads (Sign-ins): the text fields filtered, and the sort field.
    fields: Vec<usize>,
    /// The sort field, read from its column.
    col_sort: Option<usize>,
    /// Per text comparison: (slot, field, answer per key of the field's column).
    tests: Vec<(usize, usize, Vec<bool>)>,
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
        let by = sort.and_then(|s| sort_field(pane, s));
        let columns = pane == PaneId::SignIns;
        let mut needed: Vec<usize> = Vec::new();
        if columns {
            needed.extend(pred.iter().flat_map(|p| p.text_tests()).map(|t| t.1));
            needed.extend(by);
            needed.sort_unstable();
            needed.dedup();
        }
        Self {
            pane,
            filter,
            sort,
            asked: true,
            reset_view: false,
            pred,
            maker: if columns { None } else { by.map(KeyMaker::new) },
            fields: needed,
            col_sort: if columns { by } else { None },
            tests: Vec::new(),
            base: 0,
            scanned: Stamp::of(panes, pane, 0),
            found: Vec::new(),
            spare: Vec::new(),
            phase: if columns { Phase::Index } else { Phase::Scan },
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
    pub fn step(
        &mut self,
        panes: &Panes,
        cols: &mut Columns,
        base: Option<&Shown>,
        budget: &Budget,
    ) -> bool {
        let mut left = budget.moves;
        loop {
            let done = match &mut self.phase {
                Phase::Done => return true,
                Phase::Index => {
                    let len = panes.len(self.pane);
                    // A row read into a column may cost a new distinct value (an allocation
                    // and a hash insert): fewer rows per turn than a scan.
                    let quota = (budget.scan / 4).max(1);
                    let mut rows = quota;
                    for f in &self.fields {
                        rows = rows.saturating_sub(cols.extend(panes, *f, len, rows));
                    }
                    if self.fields.iter().any(|f| cols.len(*f) < len) {
                        self.update_percent(panes, cols);
                        return false;
                    }
                    self.phase = Phase::Scan;
                    left = left.saturating_sub(quota - rows);
                    false
                }
                Phase::Scan => {
                    // Rows read through columns only are cheap: more of them per turn.
                    let rows = if self.pred.as_ref().is_none_or(Compiled::only_text_tests)
                        && !self.fields.is_empty()
                    {
                        budget.moves
                    } else {
                        budget.scan
                    };
                    self.scan(panes, cols, rows);
                    if self.scanned.len < panes.len(self.pane) {
                        self.update_percent(panes, cols);
                        return false;
                    }
                    self.after_scan(cols);
                    left = left.saturating_sub(budget.moves / 2);
                    matches!(self.phase, Phase::Done)
                }
                _ => {
                    let used = self.sort_step(cols, base, left);
                    left = left.saturating_sub(used.max(1));
                    matches!(self.phase, Phase::Done)
                }
            };
            if done {
                self.finish(base);
                return true;
            }
            self.update_percent(panes, cols);
            if left == 0 {
                return false;
            }
        }
    }

    /// The finished result.
    pub fn take_result(&mut self) -> Option<Shown> {
        self.result.take()
    }

    fn scan(&mut self, panes: &Panes, cols: &mut Columns, rows: usize) {
        let from = self.scanned.len;
        let to = panes.len(self.pane).min(from + rows.max(1));
        if self.pane == PaneId::SignIns {
            self.scan_sign_ins(panes, cols, from, to);
        } else {
            let (pred, maker, found) = (&self.pred, &mut self.maker, &mut self.found);
            visit_range(panes, self.pane, from..to, &mut |i, row| {
                if pred.as_ref().is_none_or(|p| p.matches(row)) {
                    let key = maker.as_mut().map_or(0, |m| m.key(row));
                    found.push((key, i as u32));
                }
            });
        }
        self.scanned = Stamp::of(panes, self.pane, to);
    }

    /// Sign-ins through their columns: each distinct text is tested once, then each row is
    /// a look-up in dense arrays (its fields are read only for other comparisons).
    fn scan_sign_ins(&mut self, panes: &Panes, cols: &mut Columns, from: usize, to: usize) {
        for f in &self.fields {
            // Rows that arrived after the columns were read.
            cols.extend(panes, *f, to, usize::MAX);
        }
        // The answer of each text comparison for each distinct text (kept across turns;
        // only texts first seen since are tested).
        let mut tests = std::mem::take(&mut self.tests);
        if let Some(p) = &self.pred {
            for (n, (slot, field, op, needle)) in p.text_tests().into_iter().enumerate() {
                let Some(col) = cols.get(field) else {
                    continue;
                };
                if tests.len() <= n {
                    // Key 0: the row lacks the field (never, for sign-ins): it fails.
                    tests.push((slot, field, vec![false]));
                }
                let ok = &mut tests[n].2;
                for k in ok.len()..=col.maker.texts() {
                    let t = col.maker.text(k as u64);
                    ok.push(t.is_some_and(|t| text_holds(t, op, needle)));
                }
            }
        }
        self.tests = tests;
        let keyed: Vec<(usize, &[u64], &[bool])> = self
            .tests
            .iter()
            .filter_map(|(slot, f, ok)| Some((*slot, &cols.get(*f)?.keys[..], &ok[..])))
            .collect();
        let sort_keys = self.col_sort.and_then(|f| cols.get(f)).map(|c| &c.keys[..]);
        let Some(d) = panes.sign_ins.state.data() else {
            return;
        };
        for i in from..to {
            let Some((s, _)) = panes.inv.sign_in_at(d, i) else {
                continue;
            };
            let hit = self.pred.as_ref().is_none_or(|p| {
                p.matches_with(s, &|slot| {
                    keyed
                        .iter()
                        .find(|(sl, ..)| *sl == slot)
                        .and_then(|(_, keys, ok)| ok.get(*keys.get(i)? as usize).copied())
                })
            });
            if hit {
                let key = sort_keys.and_then(|k| k.get(i).copied()).unwrap_or(0);
                self.found.push((key, i as u32));
            }
        }
    }

    fn after_scan(&mut self, cols: &mut Columns) {
        let sorted = match self.col_sort {
            Some(f) => cols.get_mut(f).map(|c| c.maker.rank()).is_some(),
            None => self.maker.as_mut().map(KeyMaker::rank).is_some(),
        };
        self.phase = if sorted && !self.found.is_empty() {
            Phase::Count {
                pos: 0,
                counts: Box::new([[0; 256]; 8]),
            }
        } else {
            Phase::Done
        };
    }

    fn sorted(&self) -> bool {
        self.maker.is_some() || self.col_sort.is_some()
    }

    /// One bounded step of counting, a radix pass or the merge; returns keys touched.
    fn sort_step(&mut self, cols: &Columns, base: Option<&Shown>, left: usize) -> usize {
        let n = self.found.len();
        let own = self.maker.take();
        let maker = match self.col_sort {
            Some(f) => cols.get(f).map(|c| &c.maker),
            None => own.as_ref(),
        };
        let reverse = self.sort.is_some_and(|s| s.reverse);
        let sort_key = |key: u64| {
            let k = maker.map_or(key, |m| m.order_key(key));
            if reverse { !k } else { k }
        };
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        let (next, used) = match phase {
            Phase::Count { pos, mut counts } => {
                let end = n.min(pos + left.max(1));
                for &(k, _) in &self.found[pos..end] {
                    let k = sort_key(k);
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
                    let b = ((sort_key(k) >> shift) & 0xff) as usize;
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
                    let from_base =
                        j == n || (i < bo.len() && sort_key(bk[i]) <= sort_key(self.found[j].0));
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
        self.maker = own;
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
                if self.sorted() {
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

    fn update_percent(&mut self, panes: &Panes, cols: &Columns) {
        let sorted = self.sorted();
        let scan_share = if sorted { 60.0 } else { 100.0 };
        let len = panes.len(self.pane);
        let rows = len.saturating_sub(self.base).max(1) as f64;
        let scanned = self.scanned.len.saturating_sub(self.base) as f64;
        let n = self.found.len().max(1) as f64;
        let p = match &self.phase {
            Phase::Index => {
                // Reading the columns is most of the work when they are new.
                let need = (len * self.fields.len()).max(1) as f64;
                let read: usize = self.fields.iter().map(|f| cols.len(*f).min(len)).sum();
                scan_share * 0.9 * read as f64 / need
            }
            Phase::Scan if self.fields.is_empty() => scan_share * scanned / rows,
            Phase::Scan => scan_share * (0.9 + 0.1 * scanned / rows),
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
