//! Filtering, sorting and search of the focused pane, applied locally to rows already
//! loaded (the filter text never reaches Graph). Which panes opt in, and which of their
//! table columns sort by which field, is one table (`schema`); a pane opts in by adding a row
//! there and a row visitor in `visit`.

#[path = "filter_keys.rs"]
mod keys;

use std::collections::HashMap;

use super::Panes;
use crate::analysis::Thresholds;
use crate::filter::{
    FieldSpec, FieldValue, Filter, Filterable, GRANT_FIELDS, GrantRow, METHOD_FIELDS,
    SIGN_IN_FIELDS, compare_values,
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

/// Filter and sort of one pane, and the resulting row order.
#[derive(Debug, Clone, Default)]
pub struct PaneQuery {
    /// The applied filter.
    pub filter: Option<Filter>,
    /// The applied sort.
    pub sort: Option<Sort>,
    /// Positions of the shown rows in the pane's data (`None`: all rows, natural order).
    pub order: Option<Vec<usize>>,
    /// Rows in the pane's data when the order was computed.
    pub total: usize,
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

    /// Recomputes every pane's row order (after data arrived or a query changed) and keeps
    /// each selection inside the shown rows.
    pub fn refresh(&mut self, panes: &mut Panes) {
        for (pane, q) in &mut self.queries {
            q.order = order(panes, *pane, q);
            q.total = panes.len(*pane);
            let shown = q.order.as_ref().map_or(q.total, Vec::len);
            let view = panes.view_mut(*pane);
            view.selected = view.selected.min(shown.saturating_sub(1));
            view.offset = view.offset.min(view.selected);
        }
    }

    /// Rows shown in `pane` out of `total`.
    pub fn shown(&self, pane: PaneId, total: usize) -> usize {
        self.query(pane)
            .and_then(|q| q.order.as_ref())
            .map_or(total, Vec::len)
    }

    /// Position in the pane's data of shown row `pos`.
    pub fn index(&self, pane: PaneId, pos: usize) -> usize {
        self.query(pane)
            .and_then(|q| q.order.as_ref())
            .map_or(pos, |o| o.get(pos).copied().unwrap_or(usize::MAX))
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

fn owned(v: FieldValue<'_>) -> FieldValue<'static> {
    match v {
        FieldValue::Text(t) => FieldValue::Text(t.into_owned().into()),
        FieldValue::Risk(r) => FieldValue::Risk(r),
        FieldValue::Time(t) => FieldValue::Time(t),
        FieldValue::Bool(b) => FieldValue::Bool(b),
        FieldValue::Status(s) => FieldValue::Status(s),
        FieldValue::Number(n) => FieldValue::Number(n),
    }
}

/// The shown rows of `pane` under `q`, or `None` when nothing is filtered or sorted.
fn order(panes: &Panes, pane: PaneId, q: &PaneQuery) -> Option<Vec<usize>> {
    if q.filter.as_ref().is_none_or(|f| f.expr.is_none()) && q.sort.is_none() {
        return None;
    }
    let field = q.sort.and_then(|s| {
        schema(pane)?
            .columns
            .iter()
            .find(|(c, _)| *c == s.column)
            .map(|(_, f)| *f)
    });
    let mut keyed: Vec<(usize, Option<FieldValue<'static>>)> = Vec::new();
    let mut i = 0;
    visit(panes, pane, &mut |row| {
        if q.filter.as_ref().is_none_or(|f| f.matches(row)) {
            keyed.push((i, field.and_then(|f| row.field(f)).map(owned)));
        }
        i += 1;
    });
    if field.is_some() {
        let reverse = q.sort.is_some_and(|s| s.reverse);
        keyed.sort_by(|(_, a), (_, b)| {
            let o = match (a, b) {
                (Some(a), Some(b)) => compare_values(a, b),
                _ => a.is_some().cmp(&b.is_some()),
            };
            if reverse { o.reverse() } else { o }
        });
    }
    Some(keyed.into_iter().map(|(i, _)| i).collect())
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
