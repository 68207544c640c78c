//! The Map view: ratatui's canvas world map (high resolution when there is room) with the
//! sign-in places labelled by country code, lines between consecutive successful sign-in
//! places, and the legs faster than the configured travel speed marked `!` (as well as
//! coloured) and listed under the map, so the picture reads without colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine, Map, MapResolution};
use ratatui::widgets::{Block, Paragraph};

use crate::analysis::geo::{duration_label, speed_label, thousands};
use crate::app::App;
use crate::app::pictures::{legs, places};
use crate::sanitize;

fn color(s: Style) -> Color {
    s.fg.unwrap_or(Color::Reset)
}

/// Draws the map into `area`.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = app.shown_sign_ins();
    let cfg = &app.find.thresholds;
    let places = places(rows.iter().copied());
    let legs = legs(rows.iter().copied(), cfg);
    let impossible: Vec<_> = legs.iter().filter(|l| l.impossible).collect();
    let title = format!(
        " Sign-in map · {} places · {} legs · {} impossible ",
        places.len(),
        legs.len(),
        impossible.len()
    );
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(" c chart · m map · esc close ").right_aligned())
        .border_style(t.border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let listed = impossible.len().min(usize::from(inner.height / 4));
    let [map_area, notes] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1 + listed as u16),
    ]));
    let resolution = if map_area.width >= 100 && map_area.height >= 24 {
        MapResolution::High
    } else {
        MapResolution::Low
    };
    let (outline, normal, danger, place) =
        (color(t.label()), color(t.text()), color(t.fail()), t.name());
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([-180.0, 180.0])
        .y_bounds([-90.0, 90.0])
        .paint(|ctx| {
            ctx.draw(&Map {
                resolution,
                color: outline,
            });
            ctx.layer();
            for l in &legs {
                ctx.draw(&CanvasLine {
                    x1: l.from.1,
                    y1: l.from.0,
                    x2: l.to.1,
                    y2: l.to.0,
                    color: if l.impossible { danger } else { normal },
                });
            }
            ctx.layer();
            for l in legs.iter().filter(|l| l.impossible) {
                let mid = ((l.from.1 + l.to.1) / 2.0, (l.from.0 + l.to.0) / 2.0);
                ctx.print(mid.0, mid.1, Span::styled("!", t.fail()));
            }
            for p in &places {
                let cc = sanitize::line_capped(&p.country, 3);
                let label = if cc.is_empty() {
                    "•".to_owned()
                } else {
                    format!("•{cc}")
                };
                ctx.print(p.at.1, p.at.0, Span::styled(label, place));
            }
        });
    frame.render_widget(canvas, map_area);
    let mut lines = vec![Line::from(vec![
        Span::styled("•CC", place),
        Span::styled(
            " place · lines: successive successful sign-ins · ",
            t.label(),
        ),
        Span::styled("!", t.fail()),
        Span::styled(
            format!(" over {}", speed_label(cfg.travel_speed_kmh)),
            t.label(),
        ),
    ])];
    for l in impossible.iter().take(listed) {
        lines.push(Line::from(Span::styled(
            format!(
                "! {} → {}  {} km in {} ({})",
                sanitize::line_capped(&l.countries.0, 3),
                sanitize::line_capped(&l.countries.1, 3),
                thousands(l.km.round() as u64),
                duration_label(l.minutes),
                speed_label(l.kmh)
            ),
            t.fail(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), notes);
}
