//! The pivot overlay: the other users who signed in from one IP inside the window, with how
//! often and how recently; Enter opens the selected one as the new suspect (`b` comes back).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use super::error::error_lines;
use crate::app::{ListView, Loadable, Move};
use crate::graph::models::{SignIn, TenantText};
use crate::protocol::RequestId;
use crate::sanitize;
use crate::ui::text::{fit, short_time, spinner};
use crate::ui::theme::Theme;
use crate::worker::source::SourceError;

/// One other user seen on the IP.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PivotUser {
    /// Object id (opened on Enter).
    pub user_id: String,
    /// UPN (tenant text).
    pub upn: TenantText,
    /// Display name (tenant text).
    pub name: TenantText,
    /// Sign-ins from the IP.
    pub sign_ins: usize,
    /// Of which failed.
    pub failed: usize,
    /// The latest one.
    pub last: Option<DateTime<Utc>>,
}

/// The overlay's state.
#[derive(Debug, Clone)]
pub struct PivotView {
    /// The IP (raw; sanitised on display).
    pub ip: String,
    /// The request whose answer fills it.
    pub req: RequestId,
    /// The suspect's id, left out of the list.
    pub exclude: String,
    /// The users.
    pub state: Loadable<Vec<PivotUser>>,
    /// Selection.
    pub view: ListView,
}

impl PivotView {
    /// A pivot waiting for its answer.
    pub fn new(ip: String, req: RequestId, exclude: String) -> Self {
        Self {
            ip,
            req,
            exclude,
            state: Loadable::loading(),
            view: ListView::default(),
        }
    }

    /// Folds the answer in (a failure keeps the users found before it).
    pub fn fill(&mut self, items: &[SignIn], error: Option<SourceError>) {
        let mut by: HashMap<&str, PivotUser> = HashMap::new();
        for s in items.iter().filter(|s| s.user_id != self.exclude) {
            let u = by.entry(s.user_id.as_str()).or_insert_with(|| PivotUser {
                user_id: s.user_id.to_string(),
                upn: s.user_principal_name.clone(),
                name: s.user_display_name.clone(),
                ..PivotUser::default()
            });
            u.sign_ins += 1;
            if !s.succeeded() {
                u.failed += 1;
            }
            u.last = u.last.max(s.created_date_time);
        }
        let mut users: Vec<PivotUser> =
            by.into_values().filter(|u| !u.user_id.is_empty()).collect();
        users.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.user_id.cmp(&b.user_id)));
        self.state = match error {
            Some(error) => Loadable::Failed { data: users, error },
            None => Loadable::Ready(users),
        };
        self.view = ListView::default();
    }

    /// The selected user, if any.
    pub fn selected_user(&self) -> Option<&PivotUser> {
        self.state.data()?.get(self.view.selected)
    }

    /// Moves the selection.
    pub fn movement(&mut self, m: Move, rows: usize) -> bool {
        let len = self.state.data().map_or(0, Vec::len);
        let before = self.view;
        self.view.apply(m, len, rows);
        before != self.view
    }
}

/// Draws the overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &PivotView, spin: usize) {
    let area = super::popup(area, 90, 16);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(
            " Other users from {} ",
            sanitize::line_capped(&view.ip, 45)
        ))
        .title_bottom(Line::from(" enter open as suspect · esc close ").right_aligned())
        .border_style(theme.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let users = view.state.data().map_or(&[][..], |u| &u[..]);
    let mut note: Vec<Line> = Vec::new();
    match &view.state {
        Loadable::Loading { .. } | Loadable::Idle => note.push(Line::from(Span::styled(
            format!("{} reading sign-ins from this IP…", spinner(spin)),
            theme.label(),
        ))),
        Loadable::Ready(u) if u.is_empty() => note.push(Line::from(Span::styled(
            "no other user signed in from this IP in the window",
            theme.label(),
        ))),
        Loadable::Failed { error, .. } => {
            note.push(Line::from(Span::styled(
                if users.is_empty() {
                    "could not read sign-ins from this IP"
                } else {
                    "incomplete: the read failed part way"
                },
                theme.error(),
            )));
            note.extend(error_lines(theme, error));
        }
        Loadable::Ready(_) => {}
    }
    if users.is_empty() {
        frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: false }), inner);
        return;
    }
    let w = usize::from(inner.width);
    let name_w = w.saturating_sub(14 + 8 + 7 + 3).max(8);
    let rows: Vec<Row> = users
        .iter()
        .map(|u| {
            let who = if u.name.is_empty() {
                u.upn.safe()
            } else {
                format!("{} · {}", u.name.safe(), u.upn.safe())
            };
            Row::new(vec![
                Cell::from(fit(&who, name_w)),
                Cell::from(format!("{:>6}", u.sign_ins)),
                Cell::from(Span::styled(
                    format!("{:>6}", u.failed),
                    if u.failed > 0 {
                        theme.fail()
                    } else {
                        theme.text()
                    },
                )),
                Cell::from(short_time(u.last)),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Span::styled("user", theme.heading()),
        Span::styled(" total", theme.heading()),
        Span::styled("failed", theme.heading()),
        Span::styled("last (UTC)", theme.heading()),
    ]);
    let table = Table::new(
        rows,
        [
            Constraint::Length(name_w as u16),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(14),
        ],
    )
    .header(header)
    .column_spacing(1)
    .row_highlight_style(theme.selected());
    let mut state = TableState::default()
        .with_offset(view.view.offset)
        .with_selected(Some(view.view.selected));
    let mut table_area = inner;
    if !note.is_empty() {
        let h = (note.len() as u16).min(inner.height / 2);
        frame.render_widget(Paragraph::new(note), Rect { height: h, ..inner });
        table_area.y += h;
        table_area.height = table_area.height.saturating_sub(h);
    }
    frame.render_stateful_widget(table, table_area, &mut state);
}
