//! The Timeline pane: sign-ins, directory audits, risk detections and method registrations
//! in one chronology, newest first, each row typed and flagged rows marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::table::{self, Column};
use super::text::{fit, short_time, spinner};
use crate::app::{App, Suspect};
use crate::panes::timeline::Kind;
use crate::protocol::PaneId;

const COLUMNS: [Column; 4] = [
    Column {
        title: "",
        width: 1,
        priority: 0,
        grow: false,
    },
    Column {
        title: "time (UTC)",
        width: 14,
        priority: 0,
        grow: false,
    },
    Column {
        title: "type",
        width: 9,
        priority: 0,
        grow: false,
    },
    Column {
        title: "what",
        width: 30,
        priority: 0,
        grow: true,
    },
];

/// Draws the Timeline pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let inv = &app.panes.inv;
    let t = &app.theme;
    if inv.timeline.is_empty() {
        let text = match (&app.suspect, app.panes.any_loading()) {
            (Suspect::Found(_), true) => format!("{} loading the timeline…", spinner(app.spinner)),
            (Suspect::Found(_), false) if !inv.gaps.is_empty() => {
                "nothing to show: the evidence could not be read (see the status line)".to_owned()
            }
            (Suspect::Found(_), false) => "nothing happened in this window".to_owned(),
            _ => "no suspect yet · press u to pick one".to_owned(),
        };
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(text, t.label()))),
            area,
        );
        return;
    }
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let first = inv.timeline_view.offset.min(inv.timeline.len());
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    let rows: Vec<Row> = inv.timeline.rows[first..]
        .iter()
        .take(visible + inv.timeline_view.selected.saturating_sub(first))
        .map(|r| {
            let flagged = inv.is_flagged(r.object, &r.id);
            let kind_style = match r.kind {
                Kind::Detection => t.warn(),
                Kind::NonInteractive => t.label(),
                _ => t.text(),
            };
            let cells = fitted.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    0 if flagged => Cell::from(Span::styled("⚠", t.warn())),
                    0 => Cell::from(" "),
                    1 => Cell::from(short_time(r.at)),
                    2 => Cell::from(Span::styled(fit(r.kind.label(), w), kind_style)),
                    _ => Cell::from(fit(&r.what, w)),
                }
            });
            let row = Row::new(cells.collect::<Vec<_>>());
            if inv.is_highlighted(PaneId::Timeline, &r.id) {
                row.style(t.warn())
            } else {
                row
            }
        })
        .collect();
    let view = crate::app::ListView {
        selected: inv.timeline_view.selected.saturating_sub(first),
        offset: 0,
    };
    table::draw(app, frame, area, &COLUMNS, &fitted, rows, Some(&view));
}
