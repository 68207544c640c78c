//! The Risk pane: the Identity Protection record on top, then the risk detections and the
//! risk history. Each of the three parts shows its own loading or failure.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::chrome::{or_dash, risk_label, when};
use super::table::{self, Column};
use super::text::{fit, fit_safe, spinner};
use crate::app::{App, ListView};
use crate::overlay::error::error_lines;
use crate::panes::Risk;
use crate::panes::risk::RiskPart;
use crate::sanitize;

const DETECTIONS: [Column; 7] = [
    Column {
        title: "detected (UTC)",
        width: 16,
        priority: 0,
        grow: false,
    },
    Column {
        title: "type",
        width: 22,
        priority: 0,
        grow: true,
    },
    Column {
        title: "level",
        width: 6,
        priority: 1,
        grow: false,
    },
    Column {
        title: "state",
        width: 14,
        priority: 2,
        grow: false,
    },
    Column {
        title: "timing",
        width: 8,
        priority: 4,
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
        width: 16,
        priority: 3,
        grow: true,
    },
];

const HISTORY: [Column; 5] = [
    Column {
        title: "updated (UTC)",
        width: 16,
        priority: 0,
        grow: false,
    },
    Column {
        title: "level",
        width: 6,
        priority: 0,
        grow: false,
    },
    Column {
        title: "state",
        width: 20,
        priority: 1,
        grow: false,
    },
    Column {
        title: "detail",
        width: 24,
        priority: 2,
        grow: true,
    },
    Column {
        title: "by",
        width: 14,
        priority: 3,
        grow: false,
    },
];

fn e(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        sanitize::line_capped(s, 40)
    }
}

/// `403 Authorization_RequestDenied` (the message is in the status line and the record).
fn status_code(err: &crate::worker::source::SourceError) -> String {
    let status = err.status.map(|s| s.to_string()).unwrap_or_default();
    let code = err
        .code
        .as_deref()
        .map(|c| sanitize::line_capped(c, 60))
        .unwrap_or_default();
    let s = format!("{status} {code}").trim().to_owned();
    if s.is_empty() {
        sanitize::line_capped(&err.message, 80)
    } else {
        s
    }
}

fn record_lines(app: &App, r: &Risk) -> Vec<Line<'static>> {
    let t = &app.theme;
    if let Some(err) = r.error(RiskPart::User) {
        let mut l = vec![Line::from(Span::styled(
            format!("risky user record unavailable: {}", status_code(err)),
            t.error(),
        ))];
        l.extend(
            error_lines(t, err)
                .into_iter()
                .skip(1)
                .take(1)
                .map(|line| line.patch_style(t.label())),
        );
        return l;
    }
    if !r.is_done(RiskPart::User) {
        return vec![Line::from(Span::styled(
            format!("{} loading risky user…", spinner(app.spinner)),
            t.label(),
        ))];
    }
    match &r.user {
        None => vec![Line::from(Span::styled(
            "no Identity Protection record: this user was never flagged risky",
            t.label(),
        ))],
        Some(u) => vec![
            Line::from(vec![
                Span::styled("risk ", t.label()),
                Span::styled(
                    risk_label(&u.risk_level).to_uppercase(),
                    t.risk(&u.risk_level),
                ),
                Span::styled(" · state ", t.label()),
                Span::styled(e(u.risk_state.as_str()), t.text()),
                Span::styled(" · detail ", t.label()),
                Span::styled(e(u.risk_detail.as_str()), t.text()),
            ]),
            Line::from(vec![
                Span::styled("last updated ", t.label()),
                Span::styled(when(u.risk_last_updated_date_time), t.text()),
                Span::styled(" · ", t.label()),
                Span::styled(or_dash(&u.user_principal_name), t.text()),
            ]),
        ],
    }
}

fn section(app: &App, title: String, r: &Risk, part: RiskPart, n: usize) -> Line<'static> {
    let t = &app.theme;
    let mut spans = vec![Span::styled(format!("{title} ({n})"), t.name())];
    if let Some(err) = r.error(part) {
        spans.push(Span::styled(
            format!("  incomplete: {}", status_code(err)),
            t.error(),
        ));
    } else if !r.is_done(part) {
        spans.push(Span::styled(
            format!("  {} loading…", spinner(app.spinner)),
            t.label(),
        ));
    }
    Line::from(spans)
}

/// Draws the Risk pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.risk;
    if table::placeholder(app, frame, area, &slot.state, |_| false, "risk", "") {
        return;
    }
    let Some(r) = slot.state.data() else {
        return;
    };
    let t = &app.theme;
    let [record, d_title, d_body, h_title, h_body] = area.layout(&Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Fill(3),
        Constraint::Length(1),
        Constraint::Fill(2),
    ]));
    frame.render_widget(Paragraph::new(record_lines(app, r)), record);
    let sel = slot.view.selected;
    let nd = r.detections.len();

    frame.render_widget(
        Paragraph::new(section(
            app,
            "Risk detections".into(),
            r,
            RiskPart::Detections,
            nd,
        )),
        d_title,
    );
    if nd == 0 {
        if r.is_done(RiskPart::Detections) && r.error(RiskPart::Detections).is_none() {
            frame.render_widget(
                Paragraph::new(Span::styled("no risk detections in this window", t.label())),
                d_body,
            );
        }
    } else {
        let fitted = table::fit_columns(&DETECTIONS, d_body.width);
        let rows = r.detections.iter().map(|d| {
            let flag = super::indicators::flag_prefix(
                app,
                crate::analysis::ObjectType::RiskDetection,
                &d.id,
            );
            let row = Row::new(
                fitted
                    .iter()
                    .map(|&(col, w)| {
                        let w = usize::from(w);
                        match col {
                            0 => Cell::from(when(d.detected_date_time.or(d.activity_date_time))),
                            1 => Cell::from(fit(&format!("{flag}{}", d.risk_event_type.safe()), w)),
                            2 => Cell::from(Span::styled(
                                fit(&risk_label(&d.risk_level), w),
                                t.risk(&d.risk_level),
                            )),
                            3 => Cell::from(fit(&e(d.risk_state.as_str()), w)),
                            4 => Cell::from(fit_safe(&d.detection_timing_type, w)),
                            5 => Cell::from(fit_safe(&d.ip_address, w)),
                            _ => {
                                let l = &d.location;
                                let s = if l.city.is_empty() {
                                    or_dash(&l.country_or_region)
                                } else {
                                    format!("{}, {}", l.city.safe(), l.country_or_region.safe())
                                };
                                Cell::from(fit(&s, w))
                            }
                        }
                    })
                    .collect::<Vec<_>>(),
            );
            super::indicators::highlighted(app, crate::protocol::PaneId::Risk, &d.id, row)
        });
        let view = (sel < nd).then_some(ListView {
            selected: sel,
            offset: 0,
        });
        table::draw(
            app,
            frame,
            d_body,
            &DETECTIONS,
            &fitted,
            rows.collect(),
            view.as_ref(),
        );
    }

    let nh = r.history.len();
    frame.render_widget(
        Paragraph::new(section(
            app,
            "Risk history".into(),
            r,
            RiskPart::History,
            nh,
        )),
        h_title,
    );
    if nh == 0 {
        if r.is_done(RiskPart::History) && r.error(RiskPart::History).is_none() {
            frame.render_widget(
                Paragraph::new(Span::styled("no risk history", t.label())),
                h_body,
            );
        }
    } else {
        let fitted = table::fit_columns(&HISTORY, h_body.width);
        let rows = r.history.iter().map(|h| {
            Row::new(
                fitted
                    .iter()
                    .map(|&(col, w)| {
                        let w = usize::from(w);
                        match col {
                            0 => Cell::from(when(h.risk_last_updated_date_time)),
                            1 => Cell::from(Span::styled(
                                fit(&risk_label(&h.risk_level), w),
                                t.risk(&h.risk_level),
                            )),
                            2 => Cell::from(fit(&e(h.risk_state.as_str()), w)),
                            3 => Cell::from(fit(&e(h.risk_detail.as_str()), w)),
                            _ => Cell::from(fit(&e(h.initiated_by.as_deref().unwrap_or("")), w)),
                        }
                    })
                    .collect::<Vec<_>>(),
            )
        });
        let view = (sel >= nd).then(|| ListView {
            selected: sel - nd,
            offset: 0,
        });
        table::draw(
            app,
            frame,
            h_body,
            &HISTORY,
            &fitted,
            rows.collect(),
            view.as_ref(),
        );
    }
}
