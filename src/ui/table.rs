//! Shared pieces of the pane views: choosing which columns fit the width (lower-priority
//! columns are hidden first), and the Idle / Loading / Empty / Failed placeholders.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::text::{fit, spinner};
use crate::app::{App, ListView, Loadable};
use crate::overlay::error::error_lines;

/// A column of a pane table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Heading.
    pub title: &'static str,
    /// Preferred width.
    pub width: u16,
    /// 0 is always shown first; higher numbers are hidden first when space runs out.
    pub priority: u8,
    /// Takes any width left over.
    pub grow: bool,
}

/// Picks the columns that fit `width` (by priority), in their natural order, with widths.
pub fn fit_columns(cols: &[Column], width: u16) -> Vec<(usize, u16)> {
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|&i| cols[i].priority);
    let mut chosen: Vec<usize> = Vec::new();
    let mut used: u16 = 0;
    for i in order {
        let extra = cols[i].width + u16::from(!chosen.is_empty());
        if used + extra <= width {
            used += extra;
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    let mut out: Vec<(usize, u16)> = chosen.iter().map(|&i| (i, cols[i].width)).collect();
    let spare = width.saturating_sub(used);
    let growers = out.iter().filter(|(i, _)| cols[*i].grow).count() as u16;
    if let Some(share) = spare.checked_div(growers) {
        for (i, w) in out.iter_mut() {
            if cols[*i].grow {
                *w += share;
            }
        }
    }
    out
}

/// Draws a table of pre-fitted rows with the selection.
pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    cols: &[Column],
    fitted: &[(usize, u16)],
    rows: Vec<Row<'static>>,
    view: Option<&ListView>,
) {
    draw_sorted(app, frame, area, cols, fitted, rows, view, None);
}

/// Draws a table like `draw`, with `▲`/`▼` after the title of the sorted column
/// (`sort`: column index, descending).
#[allow(clippy::too_many_arguments)]
pub fn draw_sorted(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    cols: &[Column],
    fitted: &[(usize, u16)],
    rows: Vec<Row<'static>>,
    view: Option<&ListView>,
    sort: Option<(usize, bool)>,
) {
    let header = Row::new(fitted.iter().map(|(i, w)| {
        let title = match sort {
            Some((c, desc)) if c == *i => {
                format!("{} {}", cols[*i].title, if desc { '▼' } else { '▲' })
            }
            _ => cols[*i].title.to_owned(),
        };
        Span::styled(fit(&title, usize::from(*w)), app.theme.heading())
    }));
    let widths: Vec<Constraint> = fitted.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(app.theme.selected());
    let mut state = TableState::default();
    if let Some(v) = view {
        state = state.with_offset(v.offset).with_selected(Some(v.selected));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

/// What a pane shows instead of rows, if anything: Idle, Loading with nothing yet, Empty,
/// or Failed with nothing to show.
/// The pane's data when it is ready and not empty; otherwise draws the placeholder
/// (loading, empty, failed) and returns `None`.
pub fn ready<'a, T: Default>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    state: &'a Loadable<T>,
    is_empty: impl Fn(&T) -> bool,
    what: &str,
    empty: &str,
) -> Option<&'a T> {
    if placeholder(app, frame, area, state, is_empty, what, empty) {
        return None;
    }
    state.data()
}

/// The rows of `items` in the order the pane shows them (its filter and sort applied).
pub fn shown<'a, T>(
    app: &'a App,
    pane: crate::protocol::PaneId,
    items: &'a [T],
) -> impl Iterator<Item = &'a T> + 'a {
    (0..app.visible_len(pane)).filter_map(move |pos| items.get(app.row_index(pane, pos)))
}

pub fn placeholder<T: Default>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    state: &Loadable<T>,
    is_empty: impl Fn(&T) -> bool,
    what: &str,
    empty: &str,
) -> bool {
    let theme = &app.theme;
    let lines: Vec<Line> = match state {
        Loadable::Idle => vec![Line::from(Span::styled(
            "no suspect yet · press u to pick one",
            theme.label(),
        ))],
        Loadable::Loading { data, .. } if is_empty(data) => vec![Line::from(Span::styled(
            format!("{} loading {what}…", spinner(app.spinner)),
            theme.label(),
        ))],
        Loadable::Ready(data) if is_empty(data) => {
            vec![Line::from(Span::styled(empty.to_owned(), theme.label()))]
        }
        Loadable::Failed { data, error } if is_empty(data) => {
            let mut l = vec![Line::from(Span::styled(
                format!("could not load {what}"),
                theme.error(),
            ))];
            l.extend(error_lines(theme, error));
            l
        }
        _ => return false,
    };
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    frame.render_widget(para, area);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_low_priority_columns_first() {
        let cols = [
            Column {
                title: "a",
                width: 10,
                priority: 0,
                grow: false,
            },
            Column {
                title: "b",
                width: 10,
                priority: 2,
                grow: false,
            },
            Column {
                title: "c",
                width: 10,
                priority: 1,
                grow: true,
            },
        ];
        assert_eq!(fit_columns(&cols, 25), vec![(0, 10), (2, 14)]);
        assert_eq!(fit_columns(&cols, 40), vec![(0, 10), (1, 10), (2, 18)]);
        assert_eq!(fit_columns(&cols, 3), vec![]);
    }
}
