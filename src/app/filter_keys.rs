//! The find keys and commands of the console on `App`: the filter and search prompts, `n`/`N`,
//! `s`/`S`, and the setters the command line uses. The state lives in `Finder`.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Search, Sort, schema, visit};
use crate::app::App;
use crate::filter::Filter;
use crate::keymap::{Context, Intent};
use crate::overlay::Overlay;
use crate::overlay::filter_prompt::{FilterPrompt, PromptMode};
use crate::protocol::{Command, PaneId};

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
        let Some(pred) = schema(pane).and_then(|s| search.compile(s.fields)) else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut i = 0;
        visit(&self.panes, pane, &mut |row| {
            if pred.matches(row) {
                hits.push(i);
            }
            i += 1;
        });
        hits
    }

    /// Esc over the panes while a filter or sort is computed stops it; the rows shown stay
    /// the previous result (and the bar says so).
    pub(in crate::app) fn stop_find_key(
        &mut self,
        ctx: Context,
        key: &KeyEvent,
    ) -> Option<(bool, Vec<Command>)> {
        if ctx != Context::Pane || key.code != KeyCode::Esc || !self.find.cancel() {
            return None;
        }
        self.find.message = Some("stopped · the rows shown are the previous result".into());
        // Rows that arrived while it ran still join the shown result.
        self.find.refresh(&mut self.panes);
        Some((true, Vec::new()))
    }

    pub(in crate::app) fn on_find(&mut self, intent: Intent) -> (bool, Vec<Command>) {
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
                self.show_picture(crate::app::pictures::Picture::Chart),
                Vec::new(),
            ),
            Intent::Map => (
                self.show_picture(crate::app::pictures::Picture::Map),
                Vec::new(),
            ),
            _ => self.on_command_intent(intent),
        }
    }

    /// Keys the keymap does not bind, typed into the filter prompt or command line.
    pub(in crate::app) fn type_into_line(&mut self, key: KeyEvent) -> Option<(bool, Vec<Command>)> {
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
            PromptMode::Filter => self.find.wanted(self.focus).0.map(|f| f.text.clone()),
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
        let sort = self.find.wanted(pane).1;
        self.find
            .start(pane, &mut self.panes, Some(filter), sort, true);
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
        view.apply(
            crate::app::Move::By(pos as isize - before as isize),
            shown,
            rows,
        );
        true
    }

    /// `s`: the next sortable column (after the last: natural order); `S`: reverse.
    fn sort_step(&mut self, reverse: bool) -> bool {
        let pane = self.focus;
        let Some(s) = schema(pane) else {
            self.find.message = Some(format!("the {} pane cannot be sorted yet", pane.title()));
            return true;
        };
        let (filter, current) = self.find.wanted(pane);
        let filter = filter.cloned();
        let sort = match (current, reverse) {
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
        self.find.start(pane, &mut self.panes, filter, sort, false);
        true
    }

    /// Sorts `pane` by the column titled or fielded `name` (`none` clears).
    pub fn set_sort(&mut self, pane: PaneId, name: &str, reverse: bool) -> Result<(), String> {
        let s = schema(pane)
            .ok_or_else(|| format!("the {} pane cannot be sorted yet", pane.title()))?;
        let filter = self.find.wanted(pane).0.cloned();
        let sort = if name.eq_ignore_ascii_case("none") {
            None
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
            Some(Sort { column, reverse })
        };
        self.find.start(pane, &mut self.panes, filter, sort, false);
        Ok(())
    }
}
