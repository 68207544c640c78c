//! The help overlay: every binding of every context, straight from the keymap table. Two
//! columns when the terminal is wide enough, one scrolling column otherwise.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::{self, Context};
use crate::ui::theme::Theme;

const LEFT: [Context; 1] = [Context::Pane];
const RIGHT: [Context; 8] = [
    Context::Detail,
    Context::Help,
    Context::Error,
    Context::Prompt,
    Context::Pivot,
    Context::Containment,
    Context::Confirm,
    Context::Playbook,
];
const COLUMN_WIDTH: u16 = 30;

fn lines_for(theme: &Theme, contexts: &[Context]) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for &ctx in contexts {
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

/// The help text in one column, grouped by context.
pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut all = lines_for(theme, &LEFT);
    all.push(Line::default());
    all.extend(lines_for(theme, &RIGHT));
    all
}

/// Number of help lines in one column (for scroll bounds).
pub fn len() -> usize {
    lines(&Theme::plain()).len()
}

/// Draws the help overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, scroll: usize) {
    let left = lines_for(theme, &LEFT);
    let right = lines_for(theme, &RIGHT);
    let tall = left.len().max(right.len()) as u16 + 2;
    // As wide as the longest entry, so no description is cut.
    let column = left
        .iter()
        .chain(&right)
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(0)
        .max(COLUMN_WIDTH);
    let two_columns = area.width >= column * 2 + 3 && area.height >= tall;
    let block = Block::bordered()
        .title(" Keys ")
        .title_bottom(Line::from(" esc close ").right_aligned())
        .border_style(theme.border());
    let scroll = (scroll.min(u16::MAX as usize) as u16, 0);
    if two_columns {
        let popup = super::popup(area, column * 2 + 3, tall);
        frame.render_widget(Clear, popup);
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let [l, r] = inner.layout(&Layout::horizontal([
            Constraint::Length(column + 1),
            Constraint::Fill(1),
        ]));
        frame.render_widget(Paragraph::new(left), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        let text = lines(theme);
        let popup = super::popup(area, column + 2, text.len() as u16 + 2);
        frame.render_widget(Clear, popup);
        let block = block.title_bottom(Line::from(" j/k scroll ").left_aligned());
        frame.render_widget(Paragraph::new(text).block(block).scroll(scroll), popup);
    }
}
