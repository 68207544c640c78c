//! The filter / search prompt: one input line (ratatui-textarea) under the pane, validated as
//! the analyst types (the error and its position appear under the line).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use crate::filter::{FieldSpec, Filter};
use crate::protocol::PaneId;
use crate::ui::theme::Theme;

/// Filter hides the rows that do not match; search keeps every row and jumps between matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptMode {
    /// `/`: show only matching rows.
    Filter,
    /// `f`: jump to matching rows (`n`/`N`), hide nothing.
    Search,
}

/// The prompt's state.
#[derive(Debug)]
pub struct FilterPrompt {
    /// Filter or search.
    pub mode: PromptMode,
    /// The pane it applies to.
    pub pane: PaneId,
    /// That pane's fields (for live validation).
    pub fields: &'static [FieldSpec],
    /// The input line.
    pub input: TextArea<'static>,
    /// Why the text does not parse (already formatted with its position).
    pub error: Option<String>,
}

impl FilterPrompt {
    /// A prompt for `pane`, pre-filled with `text`.
    pub fn new(mode: PromptMode, pane: PaneId, fields: &'static [FieldSpec], text: &str) -> Self {
        let mut input = TextArea::new(vec![text.to_owned()]);
        input.set_placeholder_text("e.g. country != NL and status = failure");
        input.set_cursor_line_style(ratatui::style::Style::new());
        input.move_cursor(CursorMove::End);
        let mut p = Self {
            mode,
            pane,
            fields,
            input,
            error: None,
        };
        p.validate();
        p
    }

    /// The text typed so far (one line).
    pub fn value(&self) -> String {
        self.input.lines().join("")
    }

    /// Re-parses the text and keeps the error, if any.
    pub fn validate(&mut self) {
        self.error = Filter::new(&self.value(), self.fields)
            .err()
            .map(|e| e.to_string());
    }
}

/// Draws the prompt above the status line.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &FilterPrompt) {
    let h = 4.min(area.height);
    let rect = Rect {
        x: area.x,
        y: area.bottom().saturating_sub(h + 2).max(area.y),
        width: area.width,
        height: h,
    };
    frame.render_widget(Clear, rect);
    let title = match view.mode {
        PromptMode::Filter => format!(
            " Filter {} (local, never sent to Graph) ",
            view.pane.title()
        ),
        PromptMode::Search => format!(" Search {} (n/N jump) ", view.pane.title()),
    };
    let block = Block::bordered().title(title).border_style(theme.border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [line, note] = inner.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let [sigil, input] = line.layout(&Layout::horizontal([
        Constraint::Length(2),
        Constraint::Fill(1),
    ]));
    let mark = match view.mode {
        PromptMode::Filter => "/",
        PromptMode::Search => "f",
    };
    frame.render_widget(Paragraph::new(Span::styled(mark, theme.key())), sigil);
    frame.render_widget(&view.input, input);
    let note_line = match &view.error {
        Some(e) => Line::from(Span::styled(crate::sanitize::line(e), theme.error())),
        None => Line::from(Span::styled(
            "field op value · = != ~ !~ < <= > >= · and or not ( ) · empty clears",
            theme.label(),
        )),
    };
    frame.render_widget(Paragraph::new(note_line), note);
}
