//! The find bar over a pane (active filter, "n of m rows", sort, search, notes) and the
//! placement of the pictures (chart, map) over the pane area.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::app::App;
use crate::app::filter::schema;
use crate::app::pictures::Picture;
use crate::sanitize;

/// Draws the find bar when the focused pane is filtered, sorted or searched (or a note is
/// pending); returns the area left for the pane.
pub fn bar(app: &App, frame: &mut Frame, area: Rect) -> Rect {
    let pane = app.focus;
    // While a filter or sort is computed, the bar shows it with its progress (the rows below
    // are still the previous result).
    let job = app.find.progress(pane);
    let (filter, sort) = app.find.wanted(pane);
    let search = app.find.search_for(pane);
    let note = app.find.message.as_deref();
    if (filter.is_none() && sort.is_none() && search.is_none() && note.is_none() && job.is_none())
        || area.height < 3
    {
        return area;
    }
    let t = &app.theme;
    let mut spans: Vec<Span> = Vec::new();
    let sep = |spans: &mut Vec<Span<'static>>| {
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", t.label()));
        }
    };
    if let Some(f) = filter {
        let total = app.panes.len(pane);
        spans.push(Span::styled("filter ", t.label()));
        spans.push(Span::styled(sanitize::line_capped(&f.text, 60), t.text()));
        if job.is_none() {
            spans.push(Span::styled(
                format!(" · {} of {} rows", app.visible_len(pane), total),
                t.label(),
            ));
        }
    }
    if let Some(s) = sort {
        sep(&mut spans);
        let field = schema(pane)
            .and_then(|sc| sc.columns.iter().find(|(c, _)| *c == s.column))
            .map_or("?", |(_, f)| *f);
        let arrow = if s.reverse {
            "▼ descending"
        } else {
            "▲ ascending"
        };
        spans.push(Span::styled(
            format!("sorted by {field} {arrow}"),
            t.label(),
        ));
    }
    if let Some(j) = job {
        sep(&mut spans);
        let verb = if j.filter.is_some() {
            "filtering"
        } else {
            "sorting"
        };
        spans.push(Span::styled(
            format!("{verb}… {}% (esc stops)", j.percent),
            t.warn(),
        ));
    }
    if let Some(s) = search {
        sep(&mut spans);
        spans.push(Span::styled("search ", t.label()));
        spans.push(Span::styled(sanitize::line_capped(&s.text, 40), t.text()));
        spans.push(Span::styled(" (n/N)", t.label()));
    }
    if let Some(n) = note {
        sep(&mut spans);
        spans.push(Span::styled(sanitize::line(n), t.warn()));
    }
    let line_area = Rect { height: 1, ..area };
    frame.render_widget(Paragraph::new(Line::from(spans)), line_area);
    Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    }
}

/// Draws `picture` over the pane area (between the tabs and the status line).
pub fn picture(app: &App, frame: &mut Frame, area: Rect, picture: Picture) {
    let top = 5.min(area.height);
    let rect = Rect {
        x: area.x,
        y: area.y + top,
        width: area.width,
        height: area.height.saturating_sub(top + 2),
    };
    if rect.height < 3 || rect.width < 10 {
        return;
    }
    frame.render_widget(Clear, rect);
    match picture {
        Picture::Chart => super::chart::render(app, frame, rect),
        Picture::Map => super::map::render(app, frame, rect),
    }
}

#[cfg(test)]
#[path = "find_tests.rs"]
mod tests;
