//! The Grants pane: delegated OAuth grants resolved to their client app, with the publisher's
//! verification, user or admin consent, and high-risk scopes marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{self, Column};
use super::text::{fit, fit_safe};
use crate::analysis::ObjectType;
use crate::app::App;
use crate::graph::models::{ConsentType, OAuth2PermissionGrant};
use crate::panes::Grants;
use crate::panes::grants::is_high_risk_scope;
use crate::protocol::PaneId;
use crate::sanitize;
use crate::ui::theme::Theme;

const COLUMNS: [Column; 5] = [
    Column {
        title: "app",
        width: 20,
        priority: 0,
        grow: true,
    },
    Column {
        title: "publisher",
        width: 16,
        priority: 1,
        grow: false,
    },
    Column {
        title: "consent",
        width: 7,
        priority: 1,
        grow: false,
    },
    Column {
        title: "api",
        width: 16,
        priority: 3,
        grow: false,
    },
    Column {
        title: "scopes",
        width: 24,
        priority: 0,
        grow: true,
    },
];

fn name(g: &Grants, id: &str, w: usize) -> String {
    match g.principal(id) {
        Some(p) if !p.name().is_empty() => fit_safe(p.name(), w),
        _ => fit(&sanitize::line_capped(id, 64), w),
    }
}

fn publisher(g: &Grants, id: &str, t: &Theme, w: usize) -> Cell<'static> {
    let Some(p) = g.principal(id) else {
        return Cell::from(Span::styled(fit("? unresolved", w), t.warn()));
    };
    if p.is_first_party() {
        return Cell::from(fit("Microsoft", w));
    }
    if p.is_verified() {
        let who = p
            .verified_publisher
            .as_ref()
            .and_then(|v| v.display_name.as_ref())
            .map(|n| n.safe())
            .unwrap_or_else(|| "verified".into());
        return Cell::from(Span::styled(fit(&format!("✓ {who}"), w), t.ok()));
    }
    Cell::from(Span::styled(fit("⚠ unverified", w), t.warn()))
}

fn scopes(grant: &OAuth2PermissionGrant, t: &Theme, w: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for s in grant.scopes() {
        let safe = sanitize::line_capped(s, 60);
        let risky = is_high_risk_scope(s);
        let text = if risky { format!("⚠{safe}") } else { safe };
        let need = text.chars().count() + usize::from(!spans.is_empty());
        if used + need > w {
            spans.push(Span::styled("…", t.label()));
            break;
        }
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        used += need;
        spans.push(Span::styled(text, if risky { t.warn() } else { t.text() }));
    }
    Line::from(spans)
}

/// Draws the Grants pane.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let slot = &app.panes.grants;
    let Some(data) = table::ready(
        app,
        frame,
        area,
        &slot.state,
        |d| d.is_empty(),
        "OAuth grants",
        "no delegated OAuth grants for this user",
    ) else {
        return;
    };
    let t = &app.theme;
    let fitted = table::fit_columns(&COLUMNS, area.width);
    let pane = crate::protocol::PaneId::Grants;
    let shown = table::shown(app, pane, &data.grants);
    let rows = shown.map(|g| {
        let flag = super::indicators::flag_prefix(app, ObjectType::OAuth2PermissionGrant, &g.id);
        let row = Row::new(
            fitted
                .iter()
                .map(|&(col, w)| {
                    let w = usize::from(w);
                    match col {
                        0 if !flag.is_empty() => Cell::from(Span::styled(
                            format!("{flag}{}", name(data, &g.client_id, w.saturating_sub(2))),
                            t.warn(),
                        )),
                        0 => Cell::from(name(data, &g.client_id, w)),
                        1 => publisher(data, &g.client_id, t, w),
                        2 => Cell::from(match &g.consent_type {
                            ConsentType::Principal => "user".to_owned(),
                            ConsentType::AllPrincipals => "admin".to_owned(),
                            other => fit(&sanitize::line_capped(other.as_str(), 20), w),
                        }),
                        3 => Cell::from(name(data, &g.resource_id, w)),
                        _ => Cell::from(scopes(g, t, w)),
                    }
                })
                .collect::<Vec<_>>(),
        );
        super::indicators::highlighted(app, PaneId::Grants, &g.id, row)
    });
    table::draw_sorted(
        app,
        frame,
        area,
        &COLUMNS,
        &fitted,
        rows.collect(),
        Some(&slot.view),
        app.find.sort(pane).map(|s| (s.column, s.reverse)),
    );
}
