//! The error overlay: what failed, with Graph's status, code, message and request-id, all
//! sanitised (Graph messages can echo tenant input).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::sanitize;
use crate::ui::theme::Theme;
use crate::worker::source::SourceError;

/// An error to show.
#[derive(Debug, Clone)]
pub struct ErrorView {
    /// What was being done (safe text).
    pub title: String,
    /// The failure.
    pub error: SourceError,
}

/// The lines describing an error (also used by panes in their Failed state).
pub fn error_lines(theme: &Theme, error: &SourceError) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let status = match (error.status, &error.code) {
        (Some(s), Some(c)) => format!("{s} {}", sanitize::line_capped(c, 80)),
        (Some(s), None) => s.to_string(),
        (None, Some(c)) => sanitize::line_capped(c, 80),
        (None, None) => "no answer from Graph".into(),
    };
    out.push(Line::from(Span::styled(status, theme.error())));
    out.push(Line::from(Span::styled(
        sanitize::line(&error.message),
        theme.text(),
    )));
    if let Some(r) = &error.request_id {
        out.push(Line::from(vec![
            Span::styled("request-id ", theme.label()),
            Span::styled(sanitize::line_capped(r, 80), theme.text()),
        ]));
    }
    out
}

/// Draws the error overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &ErrorView) {
    let area = super::popup(area, 70, 8);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ", view.title))
        .border_style(theme.error());
    let para = Paragraph::new(error_lines(theme, &view.error))
        .wrap(Wrap { trim: false })
        .block(block);
    frame.render_widget(para, area);
}
