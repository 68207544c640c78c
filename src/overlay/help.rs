//! The help overlay: every binding of every context, straight from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::{self, Context};
use crate::ui::theme::Theme;

/// The help text, one line per binding, grouped by context.
pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in [
        Context::Pane,
        Context::Detail,
        Context::Help,
        Context::Error,
        Context::Prompt,
    ] {
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(ctx.title(), theme.heading())));
        for b in keymap::help(ctx) {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<8}", b.keys_label), theme.key()),
                Span::styled(b.label, theme.text()),
            ]));
        }
    }
    out
}

/// Number of help lines (for scroll bounds).
pub fn len() -> usize {
    lines(&Theme::plain()).len()
}

/// Draws the help overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, scroll: usize) {
    let text = lines(theme);
    let h = (text.len() as u16).saturating_add(2);
    let area = super::popup(area, 44, h);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Keys ")
        .title_bottom(Line::from(" j/k scroll · esc close ").right_aligned())
        .border_style(theme.border());
    let para = Paragraph::new(text)
        .block(block)
        .scroll((scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(para, area);
}
