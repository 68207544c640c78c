//! The sign-in timeline: newest first, rows appearing as pages arrive. Columns are hidden by
//! priority on narrow terminals (80×24 keeps time, status, ip, location, app, risk).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::chrome::risk_label;
use super::table::{self, Column};
use super::text::{fit, fit_safe, short_time};
use crate::app::App;
use crate::graph::models::{ConditionalAccessStatus, SignIn};
use crate::sanitize;

const COLUMNS: [Column; 10] = [
    Column {
        title: "",
        width: 2,
        priority: 0,
        grow: false,
    },
    Column {
        title: "time (UTC)",
        width: 14,
        priority: 0,
        grow: false,
    },
    Column {
        title: "status",
        width: 6,
        priority: 0,
        grow: false,
    },
    Column {
        title: "ip",
        width: 15,
        priority: 1,
        grow: false,
    },
    Column {
        title: "location",
        width: 15,
        priority: 1,
        grow: true,
    },
    Column {
        title: "app",
        width: 14,
        priority: 2,
        grow: true,
    },
    Column {
        title: "client",
        width: 12,
        priority: 4,
        grow: false,
    },
    Column {
        title: "browser / OS",
        width: 18,
        priority: 5,
        grow: true,
    },
    Column {
        title: "CA",
        width: 7,
        priority: 4,
        grow: false,
    },
    Column {
        title: "risk",
        width: 6,
        priority: 3,
        grow: false,
    },
];

fn location(s: &SignIn) -> String {
    let l = &s.location;
    match (l.city.is_empty(), l.country_or_region.is_empty()) {
        (false, false) => format!("{}, {}", l.city.safe(), l.country_or_region.safe()),
        (true, false) => l.country_or_region.safe(),
        (false, true) => l.city.safe(),
        (true, true) => "—".into(),
    }
}

fn device(s: &SignIn) -> String {
    let d = &s.device_detail;
    let parts: Vec<String> = [&d.browser, &d.operating_system, &d.display_name]
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(|t| t.safe())
        .collect();
    if parts.is_empty() {
        s.user_agent.safe()
    } else {
        parts.join(" / ")
    }
}

fn ca(s: &ConditionalAccessStatus) -> String {
    match s {
        ConditionalAccessStatus::Success => "ok".into(),
        ConditionalAccessStatus::Failure => "failed".into(),
        ConditionalAccessStatus::NotApplied => "none".into(),
        ConditionalAccessStatus::Missing => "—".into(),
        other => sanitize::line_capped(other.as_str(), 16),
    }
}

/// Draws the sign-in pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.sign_ins;
    let Some(data) = table::ready(
        app,
        frame,
        area,
        &slot.state,
        |d| d.is_empty(),
        "sign-ins",
        "no sign-ins in this window",
    ) else {
        return;
    };
    let t = &app.theme;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let visible = usize::from(area.height.saturating_sub(1));
    // Only the rows on screen are built: a million sign-ins cost nothing to draw.
    let pane = crate::protocol::PaneId::SignIns;
    let inv = &app.panes.inv;
    let shown = app.visible_len(pane);
    let first = slot.view.offset.min(shown);
    let hits = app.search_hits(pane);
    let take = visible.max(1) + slot.view.selected.saturating_sub(first);
    let rows: Vec<Row> = (first..shown.min(first + take))
        .filter_map(|pos| {
            let i = app.row_index(pane, pos);
            inv.sign_in_at(data, i)
                .map(|(s, ni)| (s, ni, hits.binary_search(&i).is_ok()))
        })
        .map(|(s, ni, hit)| {
            let flagged = inv.is_flagged(crate::analysis::ObjectType::SignIn, &s.id);
            let cells = fitted.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    0 => Cell::from(Span::styled(
                        format!(
                            "{}{}",
                            if flagged { "⚠" } else { " " },
                            if ni { "n" } else { " " }
                        ),
                        t.warn(),
                    )),
                    1 => Cell::from(Span::styled(short_time(s.created_date_time), t.text())),
                    2 if s.succeeded() => Cell::from(Span::styled("ok", t.ok())),
                    2 => Cell::from(Span::styled(
                        fit(&s.status.error_code.to_string(), w),
                        t.fail(),
                    )),
                    3 => Cell::from(fit_safe(&s.ip_address, w)),
                    4 => Cell::from(fit(&location(s), w)),
                    5 => Cell::from(fit_safe(&s.app_display_name, w)),
                    6 => Cell::from(fit_safe(&s.client_app_used, w)),
                    7 => Cell::from(fit(&device(s), w)),
                    8 => Cell::from(fit(&ca(&s.conditional_access_status), w)),
                    // Rows marked for a containment risk action carry a flag.
                    _ if app.contain.marked.contains(s.id.as_str()) => Cell::from(Span::styled(
                        fit(&format!("⚑{}", risk_label(s.risk())), w),
                        t.warn(),
                    )),
                    _ => Cell::from(Span::styled(
                        fit(&risk_label(s.risk()), w),
                        t.risk(s.risk()),
                    )),
                }
            });
            let row = Row::new(cells.collect::<Vec<_>>());
            if inv.is_highlighted(crate::protocol::PaneId::SignIns, &s.id) {
                row.style(t.warn())
            } else if hit {
                row.style(t.search_hit())
            } else {
                row
            }
        })
        .collect();
    let view = crate::app::ListView {
        selected: slot.view.selected.saturating_sub(first),
        offset: 0,
    };
    let sort = app.find.sort(pane).map(|s| (s.column, s.reverse));
    table::draw_sorted(app, frame, area, &COLUMNS, &fitted, rows, Some(&view), sort);
}
