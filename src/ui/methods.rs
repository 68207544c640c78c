//! The Methods pane: every registered authentication method, methods added inside the
//! investigation window flagged with ⚠.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::chrome::when;
use super::table::{self, Column};
use super::text::{fit, fit_safe};
use crate::app::App;
use crate::panes::methods::added_in;

const COLUMNS: [Column; 4] = [
    Column {
        title: "type",
        width: 22,
        priority: 0,
        grow: false,
    },
    Column {
        title: "detail",
        width: 20,
        priority: 1,
        grow: true,
    },
    Column {
        title: "created (UTC)",
        width: 18,
        priority: 0,
        grow: false,
    },
    Column {
        title: "",
        width: 15,
        priority: 2,
        grow: false,
    },
];

/// Draws the Methods pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.methods;
    let Some(data) = table::ready(
        app,
        frame,
        area,
        &slot.state,
        |d| d.is_empty(),
        "authentication methods",
        "no authentication methods registered",
    ) else {
        return;
    };
    let t = &app.theme;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let pane = crate::protocol::PaneId::Methods;
    let shown = table::shown(app, pane, &data.methods);
    let rows = shown.map(|m| {
        let new = added_in(m, &app.window)
            || app
                .panes
                .inv
                .is_flagged(crate::analysis::ObjectType::AuthenticationMethod, &m.id);
        let row = Row::new(
            fitted
                .iter()
                .map(|&(col, w)| {
                    let w = usize::from(w);
                    match col {
                        0 => Cell::from(fit(m.type_label(), w)),
                        1 => Cell::from(fit_safe(&m.detail(), w)),
                        2 if new => Cell::from(Line::from(vec![Span::styled(
                            format!("⚠ {}", when(m.created_date_time)),
                            t.warn(),
                        )])),
                        2 => Cell::from(format!("  {}", when(m.created_date_time))),
                        _ if new => Cell::from(Span::styled(fit("added in window", w), t.warn())),
                        _ => Cell::from(""),
                    }
                })
                .collect::<Vec<_>>(),
        );
        super::indicators::highlighted(app, crate::protocol::PaneId::Methods, &m.id, row)
    });
    table::draw_sorted(
        app,
        frame,
        area,
        &COLUMNS,
        &fitted,
        rows.collect(),
        Some(&slot.view),
        app.find.sort(pane).map(|s| (s.column, s.reverse)),
    );
}
