//! The suspect prompt: one input line (ratatui-textarea) for a UPN, mail or object id.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::TextArea;

use crate::ui::theme::Theme;

/// The input line and a hint or complaint below it.
#[derive(Debug)]
pub struct PromptView {
    /// The input line.
    pub input: TextArea<'static>,
    /// Why the last submit was refused (safe text).
    pub complaint: Option<String>,
}

impl Default for PromptView {
    fn default() -> Self {
        let mut input = TextArea::default();
        input.set_placeholder_text("alice@contoso.com or object id");
        input.set_cursor_line_style(ratatui::style::Style::new());
        Self {
            input,
            complaint: None,
        }
    }
}

impl PromptView {
    /// The text typed so far, trimmed (one line: Enter submits).
    pub fn value(&self) -> String {
        self.input.lines().join("").trim().to_owned()
    }
}

/// Draws the prompt.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &PromptView) {
    let area = super::popup(area, 64, 5);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Investigate which user? ")
        .border_style(theme.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [input, note] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    frame.render_widget(&view.input, input);
    let note_line = match &view.complaint {
        Some(c) => Line::from(Span::styled(c.as_str(), theme.error())),
        None => Line::from(Span::styled(
            "UPN, mail or object id · enter to look up · esc to cancel",
            theme.label(),
        )),
    };
    frame.render_widget(Paragraph::new(note_line), note);
}
