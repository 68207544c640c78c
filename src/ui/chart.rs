//! The Charts view: sign-ins per hour (windows up to two days) or per day as stacked bars.
//! Successes, failures and risky sign-ins use different symbols (█ x !) as well as colours,
//! so the chart reads without colour (NO_COLOR) and on a plain 80×24 terminal.

use chrono::Timelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::App;
use crate::app::pictures::{Bucket, series};
use crate::protocol::PaneId;

/// Bar symbols: ok, failed, risky.
pub const SYMBOLS: [char; 3] = ['█', 'x', '!'];

/// Heights of the three parts of a bar of `b` in `rows` rows, scaled to `max`; a non-zero
/// part gets at least one cell, and the bar never exceeds `rows`.
pub fn heights(b: &Bucket, max: usize, rows: usize) -> [usize; 3] {
    let mut h = [b.ok, b.failed, b.risky].map(|v| {
        if v == 0 || max == 0 {
            0
        } else {
            ((v * rows + max / 2) / max).max(1)
        }
    });
    while h.iter().sum::<usize>() > rows {
        if let Some(m) = h.iter_mut().max() {
            *m -= 1;
        }
    }
    h
}

fn merge(buckets: &[Bucket], k: usize) -> Vec<Bucket> {
    buckets
        .chunks(k.max(1))
        .filter_map(|c| {
            let first = c.first()?;
            Some(c.iter().skip(1).fold(*first, |mut a, b| {
                a.ok += b.ok;
                a.failed += b.failed;
                a.risky += b.risky;
                a
            }))
        })
        .collect()
}

/// Draws the chart into `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = app.shown_sign_ins();
    let s = series(rows.iter().copied(), &app.window);
    let filtered = app
        .find
        .query(PaneId::SignIns)
        .is_some_and(|q| q.filter.is_some());
    let title = format!(
        " Sign-ins per {} · {}{} ",
        if s.hourly { "hour" } else { "day" },
        app.window.label(),
        if filtered { " · filtered" } else { "" }
    );
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(" c chart · m map · esc close ").right_aligned())
        .border_style(t.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let styles = [t.ok(), t.fail(), t.warn()];
    let (ok, failed, risky) = s.buckets.iter().fold((0, 0, 0), |(o, f, r), b| {
        (o + b.ok, f + b.failed, r + b.risky)
    });
    let legend = Line::from(vec![
        Span::styled(format!("{} ok", SYMBOLS[0]), styles[0]),
        Span::raw("   "),
        Span::styled(format!("{} failed", SYMBOLS[1]), styles[1]),
        Span::raw("   "),
        Span::styled(
            format!("{} risky (risk low or more)", SYMBOLS[2]),
            styles[2],
        ),
    ]);
    let totals = Line::from(Span::styled(
        format!(
            "{} sign-ins · {ok} ok · {failed} failed · {risky} risky",
            ok + failed + risky
        ),
        t.label(),
    ));
    if ok + failed + risky == 0 {
        let msg = Line::from(Span::styled(
            "no sign-ins to chart in this window",
            t.label(),
        ));
        frame.render_widget(Paragraph::new(vec![msg, legend]), inner);
        return;
    }
    let plot_rows = usize::from(inner.height.saturating_sub(3)).max(1);
    let max = s.buckets.iter().map(Bucket::total).max().unwrap_or(0);
    let ylab = max.to_string().len() + 1;
    let plot_w = usize::from(inner.width).saturating_sub(ylab + 1).max(1);
    let k = s.buckets.len().div_ceil(plot_w).max(1);
    let bars = merge(&s.buckets, k);
    let bw = (plot_w / bars.len().max(1)).max(1);
    let fill = if bw >= 3 { bw - 1 } else { 1 };
    let columns: Vec<[usize; 3]> = bars.iter().map(|b| heights(b, max, plot_rows)).collect();
    let mut lines: Vec<Line> = Vec::new();
    for r in 0..plot_rows {
        let level = plot_rows - r; // 1-based height of this row from the bottom
        let label = if r == 0 {
            format!("{max:>w$}", w = ylab - 1)
        } else if r + 1 == plot_rows {
            format!("{:>w$}", 0, w = ylab - 1)
        } else {
            " ".repeat(ylab - 1)
        };
        let mut spans = vec![
            Span::styled(label, t.label()),
            Span::styled(" │", t.label()),
        ];
        for h in &columns {
            let (sym, style) = part_at(h, level, &styles);
            spans.push(Span::styled(sym.to_string().repeat(fill), style));
            if bw > fill {
                spans.push(Span::raw(" ".repeat(bw - fill)));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "{}{}",
            " ".repeat(ylab + 1),
            axis_labels(&bars, s.hourly, bw, plot_w)
        ),
        t.label(),
    )));
    lines.push(legend);
    lines.push(totals);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn part_at(h: &[usize; 3], level: usize, styles: &[Style; 3]) -> (char, Style) {
    let mut top = 0;
    for (i, part) in h.iter().enumerate() {
        top += part;
        if level <= top {
            return (SYMBOLS[i], styles[i]);
        }
    }
    (' ', Style::new())
}

/// Tick labels under the bars: dates at day starts, hours every six hours, never overlapping.
fn axis_labels(bars: &[Bucket], hourly: bool, bw: usize, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for (i, b) in bars.iter().enumerate() {
        let x = i * bw;
        if x < used {
            continue;
        }
        let label = if !hourly || b.start.hour() == 0 {
            b.start.format("%m-%d").to_string()
        } else if b.start.hour() % 6 == 0 {
            b.start.format("%Hh").to_string()
        } else {
            continue;
        };
        if x + label.chars().count() > width {
            break;
        }
        out.push_str(&" ".repeat(x - used));
        out.push_str(&label);
        used = x + label.chars().count() + 1;
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn b(ok: usize, failed: usize, risky: usize) -> Bucket {
        Bucket {
            start: Utc.with_ymd_and_hms(2026, 11, 18, 0, 0, 0).unwrap(),
            ok,
            failed,
            risky,
        }
    }

    #[test]
    fn every_non_zero_part_is_visible_and_bars_fit() {
        assert_eq!(heights(&b(100, 1, 0), 101, 10), [9, 1, 0]);
        assert_eq!(heights(&b(0, 0, 0), 10, 10), [0, 0, 0]);
        assert_eq!(heights(&b(5, 5, 5), 15, 3), [1, 1, 1]);
        assert!(heights(&b(5, 5, 5), 15, 2).iter().sum::<usize>() <= 2);
    }
}
