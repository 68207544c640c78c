//! The Audit pane: directory audit events naming the suspect, newest first — time, activity,
//! result, initiator and targets; modified properties are in the detail view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::table::{self, Column};
use super::text::{fit, short_time};
use crate::analysis::ObjectType;
use crate::app::App;
use crate::graph::models::OperationResult;
use crate::panes::audit::{initiator, targets};
use crate::protocol::PaneId;
use crate::sanitize;

const COLUMNS: [Column; 6] = [
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
        title: "activity",
        width: 24,
        priority: 0,
        grow: true,
    },
    Column {
        title: "result",
        width: 7,
        priority: 1,
        grow: false,
    },
    Column {
        title: "initiator",
        width: 20,
        priority: 2,
        grow: true,
    },
    Column {
        title: "targets",
        width: 18,
        priority: 3,
        grow: true,
    },
];

/// Draws the Audit pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.inv.audit;
    let Some(data) = table::ready(
        app,
        frame,
        area,
        &slot.state,
        |d| d.is_empty(),
        "directory audits",
        "no directory audit event names this user in the window",
    ) else {
        return;
    };
    let t = &app.theme;
    let inv = &app.panes.inv;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let rows: Vec<Row> = data
        .rows
        .iter()
        .map(|a| {
            let flagged = inv.is_flagged(ObjectType::DirectoryAudit, &a.id);
            let cells = fitted.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    0 if flagged => Cell::from(Span::styled("⚠", t.warn())),
                    0 => Cell::from(" "),
                    1 => Cell::from(short_time(a.activity_date_time)),
                    2 => Cell::from(fit(&a.activity_display_name.safe(), w)),
                    3 => match &a.result {
                        OperationResult::Success => Cell::from(Span::styled("ok", t.ok())),
                        other => Cell::from(Span::styled(
                            fit(&sanitize::line_capped(other.as_str(), 12), w),
                            t.fail(),
                        )),
                    },
                    4 => Cell::from(fit(&initiator(a), w)),
                    _ => Cell::from(fit(&targets(a), w)),
                }
            });
            let row = Row::new(cells.collect::<Vec<_>>());
            if inv.is_highlighted(PaneId::Audit, &a.id) {
                row.style(t.warn())
            } else {
                row
            }
        })
        .collect();
    table::draw(app, frame, area, &COLUMNS, &fitted, rows, Some(&slot.view));
}
