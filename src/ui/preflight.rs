//! Drawing what pre-flight decided: the reason a skipped pane shows instead of rows, a refused
//! containment action (in a box above the footer, until the next key), and the pane summary of
//! the Indicators pane (complete / partial / failed / skipped, with why).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::sign_in::wrapped_rows;
use crate::app::App;
use crate::app::preflight::Coverage;
use crate::protocol::PaneId;
use crate::sanitize;

/// What a pane skipped by pre-flight shows instead of rows.
pub fn skipped(app: &App, frame: &mut Frame, area: Rect, why: &str) {
    let t = &app.theme;
    let para = Paragraph::new(vec![
        Line::from(Span::styled(sanitize::line(why), t.warn())),
        Line::from(Span::styled(
            "nothing was requested from Graph for this pane",
            t.label(),
        )),
    ])
    .wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}

/// A refused containment action, in a box above the footer (until the next key).
pub fn refused(app: &App, frame: &mut Frame, why: &str) {
    let area = frame.area();
    let line = Line::from(Span::styled(sanitize::line(why), app.theme.error()));
    let rows = wrapped_rows(&line, usize::from(area.width.saturating_sub(4)).max(1));
    let h = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
    if area.height < h.saturating_add(1) {
        return;
    }
    let rect = Rect::new(area.x, area.y + area.height - h - 1, area.width, h);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" not permitted ")
        .border_style(app.theme.error())
        .padding(ratatui::widgets::Padding::horizontal(1));
    frame.render_widget(
        Paragraph::new(line).wrap(Wrap { trim: false }).block(block),
        rect,
    );
}

/// The pane summary: per loaded pane, complete / partial / failed / skipped (and why).
pub fn coverage_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = vec![Line::from(Span::styled("Data per pane", t.heading()))];
    if let Some(note) = app.preflight.off_note() {
        out.push(Line::from(Span::styled(sanitize::line(note), t.warn())));
    }
    for pane in PaneId::ALL.into_iter().filter(|p| p.loads()) {
        let Some(c) = app.coverage(pane) else {
            continue;
        };
        let (text, style) = match c {
            Coverage::NotLoaded => ("not loaded".to_owned(), t.label()),
            Coverage::Loading => ("loading…".to_owned(), t.label()),
            Coverage::Complete(n) => (format!("complete · {n}"), t.ok()),
            Coverage::Partial(n, e) => (format!("partial · {n} · {e}"), t.warn()),
            Coverage::Failed(e) => (format!("failed · {e}"), t.error()),
            Coverage::Skipped(why) => (why, t.warn()),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {:<9}", pane.title()), t.text()),
            Span::styled(sanitize::line(&text), style),
        ]));
    }
    out
}
