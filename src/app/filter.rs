//! Filtering, sorting and search of the focused pane, applied locally to rows already
//! loaded (the filter text never reaches Graph). Which panes opt in, and which of their
//! table columns sort by which field, is one table (`schema`); a pane opts in by adding a row
//! there and a row visitor in `visit`.

use std::collections::HashMap;

use crossterm::event::KeyEvent;

use super::{App, Panes};
use crate::analysis::Thresholds;
use crate::filter::{
    FieldSpec, FieldValue, Filter, Filterable, GRANT_FIELDS, GrantRow, METHOD_FIELDS,
    SIGN_IN_FIELDS, compare_values,
};
use crate::keymap::Intent;
use crate::overlay::Overlay;
use crate::overlay::filter_prompt::{FilterPrompt, PromptMode};
use crate::protocol::{Command, PaneId};

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
                (0, "time"),
                (1, "status"),
                (2, "ip"),
                (3, "location"),
                (4, "app"),
                (5, "client"),
                (6, "browser"),
                (7, "ca"),
                (8, "risk"),
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
            for r in panes.sign_ins.state.data().map_or(&[][..], |d| &d.rows) {
                f(r);
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

impl App {
    /// Rows shown in `pane` (after its filter).
    pub fn visible_len(&self, pane: PaneId) -> usize {
        self.find.shown(pane, self.panes.len(pane))
    }

    /// Position in the pane's data of shown row `pos`.
    pub fn row_index(&self, pane: PaneId, pos: usize) -> usize {
        self.find.index(pane, pos)
    }

    /// Positions in the pane's data of every row matching the last search.
    pub fn search_hits(&self, pane: PaneId) -> Vec<usize> {
        let Some(search) = self.find.search_for(pane) else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut i = 0;
        visit(&self.panes, pane, &mut |row| {
            if search.matches(row) {
                hits.push(i);
            }
            i += 1;
        });
        hits
    }

    pub(super) fn on_find(&mut self, intent: Intent) -> (bool, Vec<Command>) {
        self.find.message = None;
        match intent {
            Intent::FilterPrompt => self.open_filter(PromptMode::Filter),
            Intent::SearchPrompt => self.open_filter(PromptMode::Search),
            Intent::SearchNext => (self.search_jump(true), Vec::new()),
            Intent::SearchPrev => (self.search_jump(false), Vec::new()),
            Intent::SortNext => (self.sort_step(false), Vec::new()),
            Intent::SortReverse => (self.sort_step(true), Vec::new()),
            Intent::ApplyFilter => (self.apply_prompt(), Vec::new()),
            Intent::Charts => (
                self.show_picture(super::pictures::Picture::Chart),
                Vec::new(),
            ),
            Intent::Map => (self.show_picture(super::pictures::Picture::Map), Vec::new()),
            _ => self.on_command_intent(intent),
        }
    }

    /// Keys the keymap does not bind, typed into the filter prompt or command line.
    pub(super) fn type_into_line(&mut self, key: KeyEvent) -> Option<(bool, Vec<Command>)> {
        match self.overlays.last_mut()? {
            Overlay::Filter(p) => {
                let changed = p.input.input(key);
                if changed {
                    p.validate();
                }
                Some((changed, Vec::new()))
            }
            Overlay::Command(c) => {
                let changed = c.input.input(key);
                if changed {
                    c.complaint = None;
                    c.recall = None;
                }
                Some((changed, Vec::new()))
            }
            _ => None,
        }
    }

    fn open_filter(&mut self, mode: PromptMode) -> (bool, Vec<Command>) {
        let Some(s) = schema(self.focus) else {
            self.find.message = Some(format!(
                "the {} pane cannot be filtered yet",
                self.focus.title()
            ));
            return (true, Vec::new());
        };
        let text = match mode {
            PromptMode::Filter => self
                .find
                .query(self.focus)
                .and_then(|q| q.filter.as_ref())
                .map(|f| f.text.clone()),
            PromptMode::Search => self.find.search.as_ref().map(|s| s.filter.text.clone()),
        };
        let prompt = FilterPrompt::new(mode, self.focus, s.fields, text.as_deref().unwrap_or(""));
        self.overlays.push(Overlay::Filter(Box::new(prompt)));
        (true, Vec::new())
    }

    fn apply_prompt(&mut self) -> bool {
        let Some(Overlay::Filter(p)) = self.overlays.last_mut() else {
            return false;
        };
        let (mode, pane, text) = (p.mode, p.pane, p.value());
        let result = match mode {
            PromptMode::Filter => self.set_filter(pane, &text),
            PromptMode::Search => self.set_search(pane, &text),
        };
        match result {
            Ok(()) => {
                self.overlays.pop();
            }
            Err(e) => {
                if let Some(Overlay::Filter(p)) = self.overlays.last_mut() {
                    p.error = Some(e);
                }
            }
        }
        true
    }

    /// Applies `text` as the filter of `pane` (empty clears it); the error as shown.
    pub fn set_filter(&mut self, pane: PaneId, text: &str) -> Result<(), String> {
        let s = schema(pane)
            .ok_or_else(|| format!("the {} pane cannot be filtered yet", pane.title()))?;
        let filter = Filter::new(text, s.fields).map_err(|e| e.to_string())?;
        let q = self.find.queries.entry(pane).or_default();
        q.filter = filter.expr.is_some().then_some(filter);
        *self.panes.view_mut(pane) = super::ListView::default();
        self.find.refresh(&mut self.panes);
        Ok(())
    }

    /// Makes `text` the search and jumps to the first match at or after the selection.
    pub fn set_search(&mut self, pane: PaneId, text: &str) -> Result<(), String> {
        let s = schema(pane)
            .ok_or_else(|| format!("the {} pane cannot be searched yet", pane.title()))?;
        let filter = Filter::new(text, s.fields).map_err(|e| e.to_string())?;
        if filter.expr.is_none() {
            self.find.search = None;
            return Ok(());
        }
        self.find.search = Some(Search { pane, filter });
        let sel = self.panes.view(pane).selected;
        if !self.search_jump_from(pane, true, sel) {
            self.find.message = Some("no row matches the search".into());
        }
        Ok(())
    }

    fn search_jump(&mut self, forward: bool) -> bool {
        let pane = self.focus;
        if self.find.search_for(pane).is_none() {
            self.find.message = Some("no search yet · press f to search".into());
            return true;
        }
        let sel = self.panes.view(pane).selected;
        let start = if forward { sel + 1 } else { sel };
        if !self.search_jump_from(pane, forward, start) {
            self.find.message = Some("no other row matches the search".into());
        }
        true
    }

    /// Moves the selection to the next (or previous) shown row matching the search, starting
    /// at shown position `start` (forward) or before it (backward), wrapping around.
    fn search_jump_from(&mut self, pane: PaneId, forward: bool, start: usize) -> bool {
        let hits = self.search_hits(pane);
        let shown = self.visible_len(pane);
        if hits.is_empty() || shown == 0 {
            return false;
        }
        let is_hit = |pos: usize| hits.binary_search(&self.row_index(pane, pos)).is_ok();
        let found = (0..shown)
            .map(|k| {
                if forward {
                    (start + k) % shown
                } else {
                    (start + shown * 2 - 1 - k) % shown
                }
            })
            .find(|&p| is_hit(p));
        let Some(pos) = found else {
            return false;
        };
        let rows = self.body_rows();
        let view = self.panes.view_mut(pane);
        let before = view.selected;
        view.apply(super::Move::By(pos as isize - before as isize), shown, rows);
        true
    }

    /// `s`: the next sortable column (after the last: natural order); `S`: reverse.
    fn sort_step(&mut self, reverse: bool) -> bool {
        let pane = self.focus;
        let Some(s) = schema(pane) else {
            self.find.message = Some(format!("the {} pane cannot be sorted yet", pane.title()));
            return true;
        };
        let q = self.find.queries.entry(pane).or_default();
        q.sort = match (q.sort, reverse) {
            (None, false) => s.columns.first().map(|(c, _)| Sort {
                column: *c,
                reverse: false,
            }),
            (None, true) => s.columns.first().map(|(c, _)| Sort {
                column: *c,
                reverse: true,
            }),
            (Some(cur), true) => Some(Sort {
                reverse: !cur.reverse,
                ..cur
            }),
            (Some(cur), false) => {
                let at = s.columns.iter().position(|(c, _)| *c == cur.column);
                at.and_then(|i| s.columns.get(i + 1)).map(|(c, _)| Sort {
                    column: *c,
                    reverse: false,
                })
            }
        };
        self.find.refresh(&mut self.panes);
        true
    }

    /// Sorts `pane` by the column titled or fielded `name` (`none` clears).
    pub fn set_sort(&mut self, pane: PaneId, name: &str, reverse: bool) -> Result<(), String> {
        let s = schema(pane)
            .ok_or_else(|| format!("the {} pane cannot be sorted yet", pane.title()))?;
        let q = self.find.queries.entry(pane).or_default();
        if name.eq_ignore_ascii_case("none") {
            q.sort = None;
        } else {
            let spec = crate::filter::resolve(s.fields, name);
            let column = s
                .columns
                .iter()
                .find(|(_, f)| {
                    spec.is_some_and(|spec| spec.name == *f) || f.eq_ignore_ascii_case(name)
                })
                .map(|(c, _)| *c)
                .ok_or_else(|| {
                    let names: Vec<&str> = s.columns.iter().map(|(_, f)| *f).collect();
                    format!(
                        "cannot sort by '{}' (columns: {})",
                        crate::sanitize::line_capped(name, 20),
                        names.join(", ")
                    )
                })?;
            q.sort = Some(Sort { column, reverse });
        }
        self.find.refresh(&mut self.panes);
        Ok(())
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
