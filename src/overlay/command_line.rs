//! The `:` command line: one input line (ratatui-textarea) at the bottom of the screen, with
//! the session's history (↑/↓) and a complaint or completion candidates under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use crate::ui::theme::Theme;

/// The command line's state.
#[derive(Debug)]
pub struct CommandLine {
    /// The input line.
    pub input: TextArea<'static>,
    /// Why the last command was refused, or completion candidates (safe text).
    pub complaint: Option<String>,
    /// Which history entry is shown (index into the history), while recalling.
    pub recall: Option<usize>,
    /// What was typed before recalling started.
    pub draft: String,
}

impl Default for CommandLine {
    fn default() -> Self {
        Self {
            input: line(""),
            complaint: None,
            recall: None,
            draft: String::new(),
        }
    }
}

fn line(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_owned()]);
    input.set_placeholder_text("signins · user UPN · days N · filter EXPR · sort COLUMN · help");
    input.set_cursor_line_style(ratatui::style::Style::new());
    input.move_cursor(CursorMove::End);
    input
}

impl CommandLine {
    /// The text typed so far (one line).
    pub fn value(&self) -> String {
        self.input.lines().join("")
    }

    /// Replaces the text (cursor at the end).
    pub fn set(&mut self, text: &str) {
        self.input = line(text);
    }
}

/// Draws the command line above the status line.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &CommandLine) {
    let h = 4.min(area.height);
    let rect = Rect {
        x: area.x,
        y: area.bottom().saturating_sub(h + 2).max(area.y),
        width: area.width,
        height: h,
    };
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" Command ")
        .border_style(theme.border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input_line, note] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let [sigil, input] = input_line.layout(&Layout::horizontal([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    frame.render_widget(Paragraph::new(Span::styled(":", theme.key())), sigil);
    frame.render_widget(&view.input, input);
    let note_line = match &view.complaint {
        Some(c) => Line::from(Span::styled(c.as_str(), theme.error())),
        None => Line::from(Span::styled(
            "tab completes · ↑/↓ history · :help lists keys · esc cancels",
            theme.label(),
        )),
    };
    frame.render_widget(Paragraph::new(note_line), note);
}
