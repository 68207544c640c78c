//! Filtering, sorting and search of the focused pane, applied locally to rows already
//! loaded (the filter text never reaches Graph). Which panes opt in, and which of their
//! table columns sort by which field, is one table (`schema`); a pane opts in by adding a row
//! there and a row visitor in `visit`.

#[path = "filter_columns.rs"]
mod columns;
#[path = "filter_job.rs"]
mod job;
#[path = "filter_keys.rs"]
mod keys;

pub use columns::{Column, Columns};
pub use job::{Budget, Job, Shown, Stamp};

use std::collections::HashMap;

use super::Panes;
use crate::analysis::Thresholds;
use crate::filter::{
    FieldSpec, Filter, Filterable, GRANT_FIELDS, GrantRow, METHOD_FIELDS, SIGN_IN_FIELDS,
};
use crate::protocol::PaneId;

/// What a pane offers to the filter language: its fields, and its sortable table columns as
/// (column index in the pane's table, field name).
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Fields of one row.
    pub fields: &'static [FieldSpec],
    /// Sortable columns: (table column index, field name).
    pub columns: &'static [(usize, &'static str)],
}

/// The panes that can be filtered and sorted.
pub fn schema(pane: PaneId) -> Option<Schema> {
    match pane {
        PaneId::SignIns => Some(Schema {
            fields: SIGN_IN_FIELDS,
            columns: &[
                // Column 0 is the ⚠/n marker column.
                (1, "time"),
                (2, "status"),
                (3, "ip"),
                (4, "location"),
                (5, "app"),
                (6, "client"),
                (7, "browser"),
                (8, "ca"),
                (9, "risk"),
            ],
        }),
        PaneId::Methods => Some(Schema {
            fields: METHOD_FIELDS,
            columns: &[(0, "type"), (1, "detail"), (2, "created")],
        }),
        PaneId::Grants => Some(Schema {
            fields: GRANT_FIELDS,
            columns: &[
                (0, "app"),
                (1, "publisher"),
                (2, "consent"),
                (3, "api"),
                (4, "scope"),
            ],
        }),
        _ => None,
    }
}

/// Calls `f` with every row of `pane` in its natural order; false if the pane cannot be visited.
pub fn visit(panes: &Panes, pane: PaneId, f: &mut dyn FnMut(&dyn Filterable)) -> bool {
    match pane {
        PaneId::SignIns => {
            // The rows as the pane shows them: with non-interactive ones when toggled on.
            if let Some(d) = panes.sign_ins.state.data() {
                for i in 0..panes.inv.sign_in_len(d) {
                    if let Some((s, _)) = panes.inv.sign_in_at(d, i) {
                        f(s);
                    }
                }
            }
        }
        PaneId::Methods => {
            for m in panes.methods.state.data().map_or(&[][..], |d| &d.methods) {
                f(m);
            }
        }
        PaneId::Grants => {
            if let Some(d) = panes.grants.state.data() {
                for g in &d.grants {
                    f(&GrantRow {
                        grant: g,
                        client: d.principal(&g.client_id),
                        resource: d.principal(&g.resource_id),
                    });
                }
            }
        }
        _ => return false,
    }
    true
}

/// A sort: which table column, which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Index in the pane's table columns.
    pub column: usize,
    /// Descending.
    pub reverse: bool,
}

/// Filter and sort of one pane as shown, and the resulting row order.
#[derive(Debug, Clone, Default)]
pub struct PaneQuery {
    /// The applied filter.
    pub filter: Option<Filter>,
    /// The applied sort.
    pub sort: Option<Sort>,
    /// The shown rows (`None`: all rows, natural order).
    pub shown: Option<Shown>,
}

impl PaneQuery {
    fn is_plain(&self) -> bool {
        self.filter.as_ref().is_none_or(|f| f.expr.is_none()) && self.sort.is_none()
    }
}

/// The last search: its text and the pane it was typed for.
#[derive(Debug, Clone)]
pub struct Search {
    /// Pane the search was compiled for.
    pub pane: PaneId,
    /// The search expression.
    pub filter: Filter,
}

/// Session state of finding things.
#[derive(Debug, Clone, Default)]
pub struct Finder {
    /// Per-pane filter and sort.
    pub queries: HashMap<PaneId, PaneQuery>,
    /// The last search (`n`/`N`).
    pub search: Option<Search>,
    /// Commands run this session, oldest first.
    pub history: Vec<String>,
    /// A one-line note for the analyst (e.g. "no row matches").
    pub message: Option<String>,
    /// Travel thresholds used by the map.
    pub thresholds: Thresholds,
    /// Filters and sorts being computed, per pane (the old order stays shown meanwhile).
    pub jobs: HashMap<PaneId, Job>,
    /// How much of a job one turn computes.
    pub budget: Budget,
    /// Columns of the Sign-ins pane read by filters and sorts.
    pub columns: Columns,
}

impl Finder {
    /// The query of `pane`, if any.
    pub fn query(&self, pane: PaneId) -> Option<&PaneQuery> {
        self.queries.get(&pane)
    }

    /// The sort of `pane` as (table column, descending).
    pub fn sort(&self, pane: PaneId) -> Option<Sort> {
        self.query(pane).and_then(|q| q.sort)
    }

    /// Brings every pane's row order up to date after data arrived: nothing when the rows
    /// are the same, only the new rows when rows were appended (Sign-ins, page by page), else
    /// from scratch. Small panes are done at once; large ones become jobs (`work`).
    pub fn refresh(&mut self, panes: &mut Panes) {
        let with_query: Vec<PaneId> = self.queries.keys().copied().collect();
        for pane in with_query {
            self.refresh_pane(pane, panes);
        }
    }

    fn refresh_pane(&mut self, pane: PaneId, panes: &mut Panes) {
        if let Some(job) = self.jobs.get(&pane) {
            if !job.still_valid(panes) {
                let (filter, sort, asked, reset) =
                    (job.filter.clone(), job.sort, job.asked, job.reset_view);
                self.start(pane, panes, filter, sort, reset);
                if let Some(j) = self.jobs.get_mut(&pane) {
                    j.asked = asked;
                }
            }
            return;
        }
        let Some(q) = self.queries.get(&pane) else {
            return;
        };
        if q.is_plain() {
            self.queries.entry(pane).or_default().shown = None;
            clamp(pane, panes, panes.len(pane));
            return;
        }
        let (filter, sort) = (q.filter.clone(), q.sort);
        match &q.shown {
            Some(shown) if shown.stamp.still_holds(panes, pane) => {
                if shown.stamp.len < panes.len(pane) {
                    let job = Job::append(pane, filter, sort, shown, panes);
                    self.run(job, panes);
                }
            }
            _ => self.start(pane, panes, filter, sort, false),
        }
    }

    /// Starts computing `filter` and `sort` of `pane` (superseding any job of that pane);
    /// done at once when the pane is small. The shown order changes when it is done.
    pub fn start(
        &mut self,
        pane: PaneId,
        panes: &mut Panes,
        filter: Option<Filter>,
        sort: Option<Sort>,
        reset_view: bool,
    ) {
        self.jobs.remove(&pane);
        let filter = filter.filter(|f| f.expr.is_some());
        if filter.is_none() && sort.is_none() {
            let q = self.queries.entry(pane).or_default();
            (q.filter, q.sort, q.shown) = (None, None, None);
            if reset_view {
                *panes.view_mut(pane) = super::ListView::default();
            }
            clamp(pane, panes, panes.len(pane));
            return;
        }
        let mut job = Job::new(pane, filter, sort, panes);
        job.reset_view = reset_view;
        self.run(job, panes);
    }

    /// Runs `job` to the end now when it is small, else keeps it for `work`.
    fn run(&mut self, mut job: Job, panes: &mut Panes) {
        let pane = job.pane;
        let base = self.queries.get(&pane).and_then(|q| q.shown.as_ref());
        // Appending to a sorted result merges it whole; unsorted results only extend.
        let merge = if job.base() > 0 && job.sort.is_some() {
            base.map_or(0, |b| b.order.len())
        } else {
            0
        };
        if job.rows_left(panes) + merge < self.budget.sync_rows {
            let budget = Budget {
                scan: usize::MAX / 2,
                moves: usize::MAX / 2,
                ..self.budget
            };
            self.columns.check(panes);
            while !job.step(panes, &mut self.columns, base, &budget) {}
            self.install(job, panes);
        } else {
            self.jobs.insert(pane, job);
        }
    }

    /// A job is running (the runtime keeps sending `Msg::Work`).
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// One turn of the running jobs; true when something shown changed (progress or order).
    pub fn work(&mut self, panes: &mut Panes) -> bool {
        let running: Vec<PaneId> = self.jobs.keys().copied().collect();
        let mut changed = false;
        for pane in running {
            let Some(mut job) = self.jobs.remove(&pane) else {
                continue;
            };
            let before = job.percent;
            let base = self.queries.get(&pane).and_then(|q| q.shown.as_ref());
            self.columns.check(panes);
            if job.step(panes, &mut self.columns, base, &self.budget) {
                self.install(job, panes);
                // Rows that arrived meanwhile.
                self.refresh_pane(pane, panes);
                changed = true;
            } else {
                changed |= job.asked && job.percent != before;
                self.jobs.insert(pane, job);
            }
        }
        changed
    }

    /// Stops the analyst's running filter or sort (the shown order stays); false if none.
    pub fn cancel(&mut self) -> bool {
        let before = self.jobs.len();
        self.jobs.retain(|_, j| !j.asked);
        self.jobs.len() != before
    }

    /// Progress of the analyst's filter or sort of `pane`, 0–100.
    pub fn progress(&self, pane: PaneId) -> Option<&Job> {
        self.jobs.get(&pane).filter(|j| j.asked)
    }

    /// The filter and sort of `pane` as last asked for (running or shown).
    pub fn wanted(&self, pane: PaneId) -> (Option<&Filter>, Option<Sort>) {
        match self.jobs.get(&pane) {
            Some(j) => (j.filter.as_ref(), j.sort),
            None => self
                .query(pane)
                .map_or((None, None), |q| (q.filter.as_ref(), q.sort)),
        }
    }

    fn install(&mut self, mut job: Job, panes: &mut Panes) {
        let pane = job.pane;
        let shown = job.take_result();
        let q = self.queries.entry(pane).or_default();
        q.filter = job.filter.take();
        q.sort = job.sort;
        q.shown = shown;
        if job.reset_view {
            *panes.view_mut(pane) = super::ListView::default();
        }
        let n = self.shown(pane, panes.len(pane));
        clamp(pane, panes, n);
    }

    /// Rows shown in `pane` out of `total`.
    pub fn shown(&self, pane: PaneId, total: usize) -> usize {
        self.query(pane)
            .and_then(|q| q.shown.as_ref())
            .map_or(total, |s| s.order.len())
    }

    /// Position in the pane's data of shown row `pos`.
    pub fn index(&self, pane: PaneId, pos: usize) -> usize {
        self.query(pane)
            .and_then(|q| q.shown.as_ref())
            .map_or(pos, |s| {
                s.order.get(pos).map_or(usize::MAX, |i| *i as usize)
            })
    }

    /// The search applies to `pane` (compiled again if it was typed for another pane).
    pub fn search_for(&self, pane: PaneId) -> Option<Filter> {
        let s = self.search.as_ref()?;
        if s.pane == pane {
            return Some(s.filter.clone());
        }
        Filter::new(&s.filter.text, schema(pane)?.fields).ok()
    }
}

/// Keeps the selection of `pane` inside its `shown` rows.
fn clamp(pane: PaneId, panes: &mut Panes, shown: usize) {
    let view = panes.view_mut(pane);
    view.selected = view.selected.min(shown.saturating_sub(1));
    view.offset = view.offset.min(view.selected);
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "filter_job_tests.rs"]
mod job_tests;
