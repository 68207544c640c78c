//! The Rules pane: each inbox rule with its state, conditions and actions in words, target
//! folders named, external recipients and flagged rules marked. A 403 from Exchange says
//! why (delegated scopes reach only the analyst's own mailbox) and what permission works.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::table::{self, Column};
use super::text::fit;
use crate::analysis::ObjectType;
use crate::app::{App, Loadable};
use crate::overlay::error::error_lines;
use crate::panes::rules::conditions;
use crate::protocol::PaneId;
use crate::worker::source::SourceError;

const COLUMNS: [Column; 5] = [
    Column {
        title: "",
        width: 1,
        priority: 0,
        grow: false,
    },
    Column {
        title: "rule",
        width: 16,
        priority: 0,
        grow: false,
    },
    Column {
        title: "on",
        width: 3,
        priority: 1,
        grow: false,
    },
    Column {
        title: "when",
        width: 18,
        priority: 2,
        grow: true,
    },
    Column {
        title: "then",
        width: 30,
        priority: 0,
        grow: true,
    },
];

/// Exchange refused to read another user's mailbox settings.
pub fn is_mailbox_access_denied(e: &SourceError) -> bool {
    e.status == Some(403)
        && e.code.as_deref().is_some_and(|c| {
            c.eq_ignore_ascii_case("ErrorAccessDenied") || c.eq_ignore_ascii_case("accessDenied")
        })
}

/// What the pane says when Exchange answered 403 (graph-api.md §9).
pub fn access_denied_lines(app: &App, e: &SourceError) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut l = vec![
        Line::from(Span::styled(
            "cannot read this mailbox's inbox rules: access denied by Exchange Online",
            t.error(),
        )),
        Line::from(Span::styled(
            "Why: delegated permissions (your sign-in) reach only your own mailbox; \
             MailboxSettings.Read has no .Shared variant for other users' mailboxes.",
            t.text(),
        )),
        Line::from(Span::styled(
            "What works: the application permission MailboxSettings.Read with admin consent \
             (it can be fenced with an Exchange application access policy), or Exchange Online \
             PowerShell (Get-InboxRule).",
            t.text(),
        )),
        Line::default(),
    ];
    l.extend(error_lines(t, e));
    l
}

/// Draws the Rules pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.inv.rules;
    if let Loadable::Failed { data, error } = &slot.state
        && data.is_empty()
        && is_mailbox_access_denied(error)
    {
        let para = Paragraph::new(access_denied_lines(app, error)).wrap(Wrap { trim: false });
        frame.render_widget(para, area);
        return;
    }
    let Some(data) = table::ready(
        app,
        frame,
        area,
        &slot.state,
        |d| d.is_empty(),
        "inbox rules",
        "no inbox rules in this mailbox",
    ) else {
        return;
    };
    let t = &app.theme;
    let inv = &app.panes.inv;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let rows: Vec<Row> = data
        .rules
        .iter()
        .map(|r| {
            let flagged = inv.is_flagged(ObjectType::MessageRule, &r.id);
            let (then, external) = data.actions(r, &inv.domains);
            let cells = fitted.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    0 if flagged => Cell::from(Span::styled("⚠", t.warn())),
                    0 => Cell::from(" "),
                    1 => Cell::from(fit(&format!("\"{}\"", r.display_name.safe()), w)),
                    2 => Cell::from(match r.is_enabled {
                        Some(true) => "on",
                        Some(false) => "off",
                        None => "?",
                    }),
                    3 => Cell::from(fit(&conditions(r), w)),
                    _ if external => Cell::from(Span::styled(fit(&then, w), t.warn())),
                    _ => Cell::from(fit(&then, w)),
                }
            });
            let row = Row::new(cells.collect::<Vec<_>>());
            if inv.is_highlighted(PaneId::Rules, &r.id) {
                row.style(t.warn())
            } else {
                row
            }
        })
        .collect();
    table::draw(app, frame, area, &COLUMNS, &fitted, rows, Some(&slot.view));
}
