//! The Indicators pane (the analysis' findings: severity, indicator, when, one line), the
//! suspect summary strip built from the same analysis, and the tab marks and status line of
//! the derived panes (Timeline, Indicators).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::table::{self, Column};
use super::text::{count, fit, plural, short_time, spinner};
use crate::analysis::Severity;
use crate::app::App;
use crate::graph::models::RiskLevel;
use crate::protocol::PaneId;
use crate::sanitize;

const COLUMNS: [Column; 4] = [
    Column {
        title: "severity",
        width: 8,
        priority: 0,
        grow: false,
    },
    Column {
        title: "indicator",
        width: 22,
        priority: 0,
        grow: false,
    },
    Column {
        title: "when (UTC)",
        width: 14,
        priority: 2,
        grow: false,
    },
    Column {
        title: "what",
        width: 36,
        priority: 1,
        grow: true,
    },
];

/// The style level of a severity.
pub fn level(s: Severity) -> RiskLevel {
    match s {
        Severity::High => RiskLevel::High,
        Severity::Medium => RiskLevel::Medium,
        Severity::Low => RiskLevel::Low,
        Severity::Info => RiskLevel::None,
    }
}

fn waiting(app: &App, frame: &mut Frame, area: Rect, text: String) {
    let para = Paragraph::new(Line::from(Span::styled(text, app.theme.label())))
        .wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}

/// Draws the Indicators pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // After pre-flight, the pane summary (complete / partial / failed / skipped) sits below.
    let area = if app.preflight.info.is_some() {
        let block = super::preflight::coverage_lines(app);
        let h = u16::try_from(block.len() + 1).unwrap_or(u16::MAX);
        let [top, bottom] = area.layout(&ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Fill(1),
            ratatui::layout::Constraint::Length(h),
        ]));
        frame.render_widget(
            Paragraph::new(block)
                .block(ratatui::widgets::Block::new().padding(ratatui::widgets::Padding::top(1))),
            bottom,
        );
        top
    } else {
        area
    };
    let busy = app.panes.any_loading();
    let Some(an) = app.panes.inv.analysis.as_ref() else {
        let text = match app.suspect {
            crate::app::Suspect::Found(_) => {
                format!("{} analysing as data arrives…", spinner(app.spinner))
            }
            _ => "no suspect yet · press u to pick one".into(),
        };
        return waiting(app, frame, area, text);
    };
    if an.findings.is_empty() {
        let text = if busy {
            format!(
                "{} no indicator so far · still loading",
                spinner(app.spinner)
            )
        } else if app.panes.inv.gaps.is_empty() {
            "no indicator fired on this suspect's evidence".into()
        } else {
            "no indicator fired · evidence incomplete (see the summary line)".into()
        };
        return waiting(app, frame, area, text);
    }
    let t = &app.theme;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let rows: Vec<Row> = an
        .findings
        .iter()
        .map(|f| {
            let cells = fitted.iter().map(|&(col, w)| {
                let w = usize::from(w);
                match col {
                    0 => Cell::from(Span::styled(
                        fit(&format!("⚠ {}", f.severity.as_str()), w),
                        t.risk(&level(f.severity)),
                    )),
                    1 => Cell::from(fit(f.indicator, w)),
                    2 => Cell::from(short_time(f.at)),
                    _ => Cell::from(fit(&sanitize::line(&f.summary), w)),
                }
            });
            Row::new(cells.collect::<Vec<_>>())
        })
        .collect();
    table::draw(
        app,
        frame,
        area,
        &COLUMNS,
        &fitted,
        rows,
        Some(&app.panes.inv.indicators_view),
    );
}

/// The tab mark of a pane this module or the investigation owns.
pub fn tab_mark(app: &App, pane: PaneId) -> &'static str {
    let p = &app.panes;
    match pane {
        PaneId::Rules => super::chrome::pane_mark(app, &p.inv.rules.state),
        PaneId::Audit => super::chrome::pane_mark(app, &p.inv.audit.state),
        PaneId::Indicators => match p.inv.max_severity {
            Some(Severity::High | Severity::Medium) => "⚠",
            _ => "",
        },
        _ => "",
    }
}

/// The status line of a derived pane.
pub fn status(app: &App, pane: PaneId, len: usize) -> (String, bool) {
    let noun = if pane == PaneId::Timeline {
        "event"
    } else {
        "finding"
    };
    let mut s = if app.panes.any_loading() {
        format!("{} loading · {}", spinner(app.spinner), plural(len, noun))
    } else {
        plural(len, noun)
    };
    let gaps = &app.panes.inv.gaps;
    if !gaps.is_empty() {
        let parts: Vec<String> = gaps
            .iter()
            .map(|g| sanitize::line_capped(&g.part, 40))
            .collect();
        s.push_str(&format!(" · incomplete: {} unreadable", parts.join(", ")));
    }
    if pane == PaneId::Indicators && len > 0 {
        s.push_str(" · e: evidence rows");
    }
    (s, !gaps.is_empty())
}

/// The suspect summary strip, once an analysis exists:
/// `7 d: 412 ok · 37 failed · 4 countries · +1 method · +1 grant · 2 risky rules · incomplete · ⚠ …`.
pub fn summary_line(app: &App, width: usize) -> Option<Line<'static>> {
    let an = app.panes.inv.analysis.as_ref()?;
    let t = &app.theme;
    let s = &an.summary;
    let sep = || Span::styled(" · ", t.label());
    let mut spans = vec![Span::styled(
        format!(" {:.0} d:", app.window.days()),
        t.label(),
    )];
    let no_sign_ins = matches!(
        &app.panes.sign_ins.state,
        crate::app::Loadable::Failed { data, .. } if data.is_empty()
    );
    let sign_ins_loading = matches!(
        &app.panes.sign_ins.state,
        crate::app::Loadable::Loading { data, .. } if data.is_empty()
    );
    if no_sign_ins {
        spans.push(Span::styled(" sign-ins unavailable", t.error()));
    } else if sign_ins_loading {
        spans.push(Span::styled(
            format!(" {} sign-ins loading", spinner(app.spinner)),
            t.label(),
        ));
    } else {
        spans.push(Span::styled(
            format!(" {} ok", count(s.sign_ins_succeeded)),
            t.ok(),
        ));
        spans.push(sep());
        let style = if s.sign_ins_failed > 0 {
            t.fail()
        } else {
            t.text()
        };
        spans.push(Span::styled(
            format!("{} failed", count(s.sign_ins_failed)),
            style,
        ));
        spans.push(sep());
        spans.push(Span::styled(countries(&s.countries), t.text()));
    }
    // Only what happened: zero counts would crowd out the indicators at 80 columns.
    for (n, text) in [
        (
            s.new_methods,
            format!("+{}", plural(s.new_methods, "method")),
        ),
        (s.new_grants, format!("+{}", plural(s.new_grants, "grant"))),
        (s.risky_rules, plural(s.risky_rules, "risky rule")),
    ] {
        if n > 0 {
            spans.push(sep());
            spans.push(Span::styled(text, t.warn()));
        }
    }
    if !app.panes.inv.gaps.is_empty() {
        spans.push(sep());
        spans.push(Span::styled("incomplete", t.error()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if !s.top_indicators.is_empty() && used + 8 < width {
        spans.push(sep());
        let list: Vec<String> = s
            .top_indicators
            .iter()
            .map(|c| {
                if c.count > 1 {
                    format!("{} ×{}", c.indicator, c.count)
                } else {
                    c.indicator.to_owned()
                }
            })
            .collect();
        let room = width.saturating_sub(used + 3);
        let top = s.top_indicators[0].severity;
        spans.push(Span::styled(
            fit(&format!("⚠ {}", list.join(", ")), room),
            t.risk(&level(top)),
        ));
    }
    Some(Line::from(spans))
}

/// `2 countries (NG NL)`; the list only when short.
fn countries(list: &[String]) -> String {
    let n = plural(list.len(), "country");
    if list.is_empty() || list.len() > 3 {
        return n;
    }
    let codes: Vec<String> = list.iter().map(|c| sanitize::line_capped(c, 4)).collect();
    format!("{n} ({})", codes.join(" "))
}

/// `"⚠ "` when some finding flags the object, else `""` (for panes without a marker column).
pub fn flag_prefix(app: &App, kind: crate::analysis::ObjectType, id: &str) -> &'static str {
    if app.panes.inv.is_flagged(kind, id) {
        "⚠ "
    } else {
        ""
    }
}

/// The row styled as highlighted when the last jump to evidence selected it.
pub fn highlighted<'a>(app: &App, pane: PaneId, id: &str, row: Row<'a>) -> Row<'a> {
    if app.panes.inv.is_highlighted(pane, id) {
        row.style(app.theme.warn())
    } else {
        row
    }
}
