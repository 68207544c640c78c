//! The detail view of one row: every field of the object as `path: value` lines, built from
//! `serde_json::to_value(model)`. Keys and values are sanitised when the view is built, so
//! render only ever sees safe text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::sanitize;
use crate::ui::theme::Theme;

/// The flattened object being shown.
#[derive(Debug, Clone)]
pub struct DetailView {
    /// Sanitised title.
    pub title: String,
    /// Sanitised `(path, value)` lines.
    pub lines: Vec<(String, String)>,
    /// First line shown.
    pub scroll: usize,
}

impl DetailView {
    /// A view of `value` titled `title` (`title` must already be safe).
    pub fn new(title: String, value: &serde_json::Value) -> Self {
        let mut lines = Vec::new();
        flatten("", value, &mut lines);
        Self {
            title,
            lines,
            scroll: 0,
        }
    }
}

/// Flattens JSON into `a.b[0].c: value` lines; nulls and empty strings are left out, and every key and value
/// passes the sanitiser.
pub fn flatten(path: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                let k = sanitize::line_capped(k, 80);
                let p = if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), v, out);
            }
        }
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => out.push((path.to_owned(), sanitize::line(s))),
        other => out.push((path.to_owned(), sanitize::line(&other.to_string()))),
    }
}

/// Draws the detail overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &DetailView) {
    // Full width so the panes behind do not bleed in; title and footer stay visible.
    let area = super::popup(area, area.width, area.height.saturating_sub(2).max(1));
    frame.render_widget(Clear, area);
    let key_w = view
        .lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let text: Vec<Line> = view
        .lines
        .iter()
        .skip(view.scroll)
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{k:<key_w$}  "), theme.label()),
                Span::styled(v.as_str(), theme.text()),
            ])
        })
        .collect();
    let pos = format!(
        " {}/{} ",
        (view.scroll + 1).min(view.lines.len()),
        view.lines.len()
    );
    let block = Block::bordered()
        .title(format!(" {} ", view.title))
        .title_bottom(Line::from(pos).right_aligned())
        .border_style(theme.border());
    // Long values (user agents, scopes) wrap rather than vanish at the edge.
    let para = Paragraph::new(text).block(block).wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_paths_and_sanitises() {
        let v = serde_json::json!({
            "id": "1",
            "location": {"city": "Lagos\u{202e}", "geo": null},
            "tags": ["a", 2],
            "evil\u{1b}key": true
        });
        let mut out = Vec::new();
        flatten("", &v, &mut out);
        assert_eq!(
            out,
            vec![
                ("id".into(), "1".into()),
                ("location.city".into(), "Lagos\\u{202e}".into()),
                ("tags[0]".into(), "a".into()),
                ("tags[1]".into(), "2".into()),
                ("evil\\x1bkey".into(), "true".into()),
            ]
        );
    }
}
