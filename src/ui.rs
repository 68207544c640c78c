//! Drawing: `render(&App, &mut Frame)` reads state and never changes it. Every tenant string
//! reaches a cell through the sanitiser (`TenantText::safe`, `sanitize::line`), never raw.
//!
//! ```text
//!  entra-triage · contoso.com · analyst@contoso.com                              READ-ONLY   title
//!  Alice Example  alice@contoso.com  3f2a…c91e  enabled  risk HIGH (atRisk)                  header
//!  created 2024-03-01 · pwd set 2026-10-02 · cloud-only · Finance Manager · NL                 "
//!  7 d: 412 ok · 37 failed · 4 countries · 3 methods (+1 in window) · 2 grants             summary
//!  1 Sign-ins │ 2 Risk │ 3 Methods │ 4 Grants                                                tabs
//!  time (UTC)      status  ip             location        app         risk                   body
//!  11-21 09:14:02  ok      203.0.113.7    Lagos, NG       OfficeHome  high                    …
//!  ⠋ page 3 · 2,000 sign-ins                           2026-11-13 12:00 → 2026-11-20 12:00   status
//!  j/k move · enter detail · tab pane · r reload · u user · ? help · q quit                  footer
//! ```

pub mod audit;
pub mod chart;
pub mod chrome;
pub mod find;
pub mod grants;
pub mod indicators;
pub mod map;
pub mod methods;
pub mod playbook;
pub mod preflight;
pub mod risk;
pub mod rules;
pub mod sign_in;
pub mod sign_ins;
pub mod table;
pub mod text;
pub mod theme;
pub mod timeline;

#[cfg(test)]
mod inv_screens;
#[cfg(test)]
mod sign_in_tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin};

use crate::app::App;
use crate::overlay::{self, Overlay};
use crate::protocol::PaneId;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    if let Some(view) = app.signin.view.as_ref()
        && view.mode == crate::app::sign_in::SignInMode::Start
    {
        return sign_in::screen(app, frame, view);
    }
    let area = frame.area();
    let [title, header, summary, tabs, body, status, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let body = body.inner(Margin::new(1, 0));
    let body = find::bar(app, frame, body);
    chrome::title(app, frame, title);
    chrome::header(app, frame, header);
    chrome::summary(app, frame, summary);
    chrome::tabs(app, frame, tabs);
    match app.focus {
        pane if app.preflight.skipped(pane).is_some() => preflight::skipped(
            app,
            frame,
            body,
            app.preflight.skipped(pane).unwrap_or_default(),
        ),
        PaneId::SignIns => sign_ins::render(app, frame, body),
        PaneId::Risk => risk::render(app, frame, body),
        PaneId::Methods => methods::render(app, frame, body),
        PaneId::Grants => grants::render(app, frame, body),
        PaneId::Rules => rules::render(app, frame, body),
        PaneId::Audit => audit::render(app, frame, body),
        PaneId::Timeline => timeline::render(app, frame, body),
        PaneId::Indicators => indicators::render(app, frame, body),
    }
    chrome::status(app, frame, status);
    chrome::footer(app, frame, footer);
    for o in &app.overlays {
        match o {
            Overlay::Help { scroll } => overlay::help::render(frame, area, &app.theme, *scroll),
            Overlay::Detail(d) => overlay::detail::render(frame, area, &app.theme, d),
            Overlay::Error(e) => overlay::error::render(frame, area, &app.theme, e),
            Overlay::Prompt(p) => overlay::prompt::render(frame, area, &app.theme, p),
            Overlay::Filter(p) => overlay::filter_prompt::render(frame, area, &app.theme, p),
            Overlay::Command(c) => overlay::command_line::render(frame, area, &app.theme, c),
            Overlay::Picture(p) => find::picture(app, frame, area, *p),
            Overlay::Pivot(p) => overlay::pivot::render(frame, area, &app.theme, p, app.spinner),
            Overlay::Confirm(c) => overlay::confirm::render(frame, area, &app.theme, c),
            Overlay::Secret(s) => overlay::secret::render(frame, area, &app.theme, s),
            Overlay::Actions(v) => playbook::render_actions(frame, area, &app.theme, v),
            Overlay::Playbook => playbook::render(app, frame, area),
            Overlay::ReportPreview(v) => {
                overlay::report_preview::render(frame, area, &app.theme, v)
            }
        }
    }
    if let Some(why) = &app.preflight.refused {
        preflight::refused(app, frame, why);
    }
    if let Some(view) = &app.signin.view {
        sign_in::overlay(app, frame, view);
    }
}
