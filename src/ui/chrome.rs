//! The frame around the pane: title line, suspect header, summary, tabs, status line and
//! footer of key hints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{count, date, date_time, plural, spinner};
use crate::app::{App, Loadable, Suspect};
use crate::graph::models::{RiskLevel, TenantText};
use crate::keymap;
use crate::protocol::PaneId;
use crate::sanitize;

/// `entra-triage · tenant · analyst                READ-ONLY`.
pub fn title(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let badge = crate::app::contain::badge(app);
    let [left, right] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(badge.chars().count() as u16),
    ]));
    let mut spans = vec![Span::styled(" entra-triage", t.title())];
    for part in [&app.tenant, &app.analyst].into_iter().flatten() {
        spans.push(Span::styled(" · ", t.label()));
        spans.push(Span::styled(part.safe(), t.text()));
    }
    if app.preflight.off_note().is_some() {
        spans.push(Span::styled(" · ", t.label()));
        spans.push(Span::styled("pre-flight off", t.warn()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    let badge_style = if app.contain.enabled() {
        t.error()
    } else {
        t.badge()
    };
    frame.render_widget(Paragraph::new(Span::styled(badge, badge_style)), right);
}

fn yes_no(v: Option<bool>, yes: &'static str, no: &'static str) -> &'static str {
    match v {
        Some(true) => yes,
        Some(false) => no,
        None => "?",
    }
}

fn short_id(id: &str) -> String {
    let id = sanitize::line_capped(id, 64);
    if id.chars().count() > 13 {
        let head: String = id.chars().take(4).collect();
        let tail: String = id
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}…{tail}")
    } else {
        id
    }
}

/// Two lines about the suspect.
pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let sep = || Span::styled(" · ", t.label());
    let lines: Vec<Line> = match &app.suspect {
        Suspect::None => vec![Line::from(Span::styled(
            " no suspect · press u to pick a user",
            t.label(),
        ))],
        Suspect::Looking { query, .. } => vec![Line::from(vec![Span::styled(
            format!(
                " {} looking up {}…",
                spinner(app.spinner),
                sanitize::line_capped(query, 80)
            ),
            t.label(),
        )])],
        Suspect::Failed { query, error } => vec![Line::from(vec![
            Span::styled(format!(" {} ", sanitize::line_capped(query, 80)), t.name()),
            Span::styled(
                super::text::fit(
                    &error.summary(),
                    usize::from(area.width).saturating_sub(query.chars().count() + 2),
                ),
                t.error(),
            ),
        ])],
        Suspect::Found(u) => {
            let mut first = vec![
                Span::styled(format!(" {}", u.display_name.safe()), t.name()),
                Span::raw("  "),
                Span::styled(u.user_principal_name.safe(), t.text()),
                Span::raw("  "),
                Span::styled(short_id(&u.id), t.label()),
                Span::raw("  "),
            ];
            match u.account_enabled {
                Some(false) => first.push(Span::styled("DISABLED", t.warn())),
                other => first.push(Span::styled(
                    yes_no(other, "enabled", "disabled?"),
                    t.text(),
                )),
            }
            if let Some(r) = app.panes.risk.state.data().and_then(|r| r.user.as_ref()) {
                first.push(Span::raw("  "));
                first.push(Span::styled(
                    format!(
                        "risk {} ({})",
                        sanitize::line_capped(r.risk_level.as_str(), 20).to_uppercase(),
                        sanitize::line_capped(r.risk_state.as_str(), 30)
                    ),
                    t.risk(&r.risk_level),
                ));
            }
            let mut second = vec![
                Span::styled(" created ", t.label()),
                Span::styled(date(u.created_date_time), t.text()),
                sep(),
                Span::styled("pwd set ", t.label()),
                Span::styled(date(u.last_password_change_date_time), t.text()),
                sep(),
                Span::styled(
                    if u.on_premises_sync_enabled == Some(true) {
                        "synced from AD"
                    } else {
                        "cloud-only"
                    },
                    t.text(),
                ),
            ];
            for (label, v) in [
                ("usage ", &u.usage_location),
                ("", &u.job_title),
                ("", &u.department),
            ] {
                if !v.is_empty() {
                    second.push(sep());
                    if !label.is_empty() {
                        second.push(Span::styled(label, t.label()));
                    }
                    second.push(Span::styled(v.safe(), t.text()));
                }
            }
            vec![Line::from(first), Line::from(second)]
        }
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// `7 d: 412 ok · 37 failed · 4 countries · 3 methods (+1 in window) · 2 grants`.
pub fn summary(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if !matches!(app.suspect, Suspect::Found(_)) {
        return;
    }
    if let Some(line) = super::indicators::summary_line(app, usize::from(area.width)) {
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut spans = vec![Span::styled(
        format!(" {:.0} d:", app.window.days()),
        t.label(),
    )];
    let p = &app.panes;
    if app.preflight.skipped(PaneId::SignIns).is_some() {
        spans.push(Span::styled(" sign-ins skipped (pre-flight)", t.warn()));
    } else if matches!(&p.sign_ins.state, Loadable::Failed { data, .. } if data.is_empty()) {
        spans.push(Span::styled(" sign-ins unavailable", t.error()));
    } else if let Some(s) = p.sign_ins.state.data() {
        spans.push(Span::styled(format!(" {} ok", count(s.ok)), t.ok()));
        spans.push(Span::styled(" · ", t.label()));
        let style = if s.failed > 0 { t.fail() } else { t.text() };
        spans.push(Span::styled(format!("{} failed", count(s.failed)), style));
        spans.push(Span::styled(" · ", t.label()));
        spans.push(Span::styled(plural(s.countries.len(), "country"), t.text()));
    }
    if let Loadable::Ready(m) = &p.methods.state {
        spans.push(Span::styled(" · ", t.label()));
        spans.push(Span::styled(plural(m.len(), "method"), t.text()));
        let added = m.added_in(&app.window);
        if added > 0 {
            spans.push(Span::styled(format!(" (+{added} in window ⚠)"), t.warn()));
        }
    }
    if let Loadable::Ready(g) = &p.grants.state {
        spans.push(Span::styled(" · ", t.label()));
        spans.push(Span::styled(plural(g.len(), "grant"), t.text()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(crate) fn pane_mark<T: Default>(app: &App, s: &Loadable<T>) -> &'static str {
    match s {
        Loadable::Loading { .. } => spinner(app.spinner),
        Loadable::Failed { .. } => "!",
        Loadable::Idle | Loadable::Ready(_) => "",
    }
}

/// `1 Sign-ins │ 2 Risk │ 3 Methods │ 4 Grants`.
pub fn tabs(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    // Eight tabs do not fit 80 columns with wide separators: narrow ones then.
    let wide: usize = PaneId::ALL
        .iter()
        .map(|p| p.title().chars().count() + 7)
        .sum();
    let sep = if wide > usize::from(area.width) {
        "│"
    } else {
        " │ "
    };
    let mut spans = vec![Span::raw(" ")];
    for pane in PaneId::ALL {
        if pane.index() > 0 {
            spans.push(Span::styled(sep, t.label()));
        }
        let style = if pane == app.focus {
            t.tab_active()
        } else {
            t.tab()
        };
        spans.push(Span::styled(
            format!("{} {}", pane.index() + 1, pane.title()),
            style,
        ));
        let mark = match pane {
            p if app.preflight.skipped(p).is_some() => "–",
            PaneId::SignIns => pane_mark(app, &app.panes.sign_ins.state),
            PaneId::Risk => pane_mark(app, &app.panes.risk.state),
            PaneId::Methods => pane_mark(app, &app.panes.methods.state),
            PaneId::Grants => pane_mark(app, &app.panes.grants.state),
            other => super::indicators::tab_mark(app, other),
        };
        if !mark.is_empty() {
            let style = if mark == "!" { t.error() } else { t.label() };
            let gap = if sep == "│" { "" } else { " " };
            spans.push(Span::styled(format!("{gap}{mark}"), style));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// What the status line says about `state` (`page 3 · 2,000 sign-ins`, `incomplete: …`).
pub(crate) fn pane_status<T: Default>(
    app: &App,
    state: &Loadable<T>,
    len: usize,
    noun: &str,
) -> (String, bool) {
    match state {
        Loadable::Idle => (String::new(), false),
        Loadable::Loading { progress, .. } => {
            let mut s = format!("{} loading", spinner(app.spinner));
            if progress.pages > 0 {
                s.push_str(&format!(" · page {}", progress.pages));
            }
            s.push_str(&format!(" · {}", plural(len, noun)));
            (s, false)
        }
        Loadable::Ready(_) => (plural(len, noun), false),
        Loadable::Failed { error, .. } => (
            format!(
                "incomplete: {} · {} shown",
                error.summary(),
                plural(len, noun)
            ),
            true,
        ),
    }
}

/// Progress or completeness of the focused pane, and the window on the right.
pub fn status(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let p = &app.panes;
    let len = p.len(app.focus);
    let (text, bad) = match app.focus {
        pane if app.preflight.skipped(pane).is_some() => (
            app.preflight.skipped(pane).unwrap_or_default().to_owned(),
            true,
        ),
        PaneId::SignIns => pane_status(app, &p.sign_ins.state, len, "sign-in"),
        PaneId::Risk => pane_status(app, &p.risk.state, len, "risk event"),
        PaneId::Methods => pane_status(app, &p.methods.state, len, "method"),
        PaneId::Grants => pane_status(app, &p.grants.state, len, "grant"),
        PaneId::Rules => pane_status(app, &p.inv.rules.state, len, "inbox rule"),
        PaneId::Audit => pane_status(app, &p.inv.audit.state, len, "audit event"),
        other => super::indicators::status(app, other, len),
    };
    let text = if app.focus == PaneId::SignIns && p.inv.show_non_interactive {
        format!(" {text} · incl. non-interactive (n)")
    } else {
        format!(" {text}")
    };
    let text = match &app.case.folder {
        Some(dir) => format!(
            "{text} · case {}",
            crate::sanitize::line(&dir.display().to_string())
        ),
        None => text,
    };
    let window = format!("{} ", app.window.label());
    let (tlen, wlen) = (text.chars().count(), window.chars().count());
    let style = if bad { t.error() } else { t.label() };
    if tlen + wlen + 2 > usize::from(area.width) {
        // No room for both: what the pane says matters more than the window.
        let fitted = super::text::fit(&text, usize::from(area.width));
        frame.render_widget(Paragraph::new(Span::styled(fitted, style)), area);
        return;
    }
    let [left, right] = area.layout(&Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(wlen as u16),
    ]));
    frame.render_widget(Paragraph::new(Span::styled(text, style)), left);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(window, t.label())).right_aligned()),
        right,
    );
}

/// The keys that work in the current context.
pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    let extra = crate::app::contain::extra_hints(app);
    for (i, (keys, label)) in keymap::hints(app.context()).chain(extra).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.label()));
        }
        spans.push(Span::styled(keys, t.key()));
        spans.push(Span::styled(format!(" {label}"), t.text()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The analyst-visible name of a risk level, sanitised (unknown members come from the tenant).
pub fn risk_label(level: &RiskLevel) -> String {
    match level {
        RiskLevel::Missing => "—".into(),
        other => sanitize::line_capped(other.as_str(), 16),
    }
}

/// A timestamp cell.
pub fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    date_time(t)
}

/// Tenant text or a dash.
pub fn or_dash(t: &TenantText) -> String {
    super::text::safe_or_dash(t)
}
