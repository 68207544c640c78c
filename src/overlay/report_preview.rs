//! The report preview: the incident report's Markdown, line by line, in a scrollable
//! full-width overlay (`w` or `:report preview`). Lines are sanitised when the view is
//! built, so render only ever sees safe text. Keys are those of the detail view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::sanitize;
use crate::ui::theme::Theme;

/// The report's Markdown, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPreview {
    /// Sanitised lines of the Markdown.
    pub lines: Vec<String>,
    /// First line shown.
    pub scroll: usize,
}

impl ReportPreview {
    /// A preview of `markdown`.
    pub fn new(markdown: &str) -> Self {
        Self {
            lines: markdown.lines().map(sanitize::line).collect(),
            scroll: 0,
        }
    }
}

/// Draws the preview over the whole body (title and footer stay visible).
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &ReportPreview) {
    let area = super::popup(area, area.width, area.height.saturating_sub(2).max(1));
    frame.render_widget(Clear, area);
    let text: Vec<Line> = view
        .lines
        .iter()
        .skip(view.scroll)
        .map(|l| {
            if l.starts_with('#') {
                Line::styled(l.as_str(), theme.label())
            } else {
                Line::styled(l.as_str(), theme.text())
            }
        })
        .collect();
    let pos = format!(
        " {}/{} · :report writes it ",
        (view.scroll + 1).min(view.lines.len()),
        view.lines.len()
    );
    let block = Block::bordered()
        .title(" Report preview ")
        .title_bottom(Line::from(pos).right_aligned())
        .border_style(theme.border());
    let para = Paragraph::new(text).block(block).wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn preview_snapshot() {
        let md = "# Incident report — alice@contoso.com\n\n## Verdict\n\n**compromised** \
                  (high)\n\n## Findings\n\n- impossible_travel: NL then NG in 40 min\n\
                  - new_inbox_rule: \"x\u{1b}[31m\" forwards mail outside\n";
        let mut view = ReportPreview::new(md);
        assert!(view.lines.iter().all(|l| !l.contains('\u{1b}')));
        let mut t = Terminal::new(TestBackend::new(60, 12)).unwrap();
        t.draw(|f| render(f, f.area(), &Theme::plain(), &view))
            .unwrap();
        insta::assert_snapshot!("report_preview_top", t.backend());
        view.scroll = 4;
        t.draw(|f| render(f, f.area(), &Theme::plain(), &view))
            .unwrap();
        insta::assert_snapshot!("report_preview_scrolled", t.backend());
    }
}
