//! Drawing the device-code sign-in: the whole screen when the console starts signed out, a
//! popup over the panes when the token could not be renewed mid-session (the panes stay drawn
//! underneath); the verification URI, the user code large and spaced, the time left, profile /
//! tenant / cloud, and a status line (waiting, slow_down, retrying, expired, declined, or the
//! sign-in service's text verbatim with advice).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::sign_in::{SignInMode, SignInStep, SignInView};
use crate::sanitize;
use crate::ui::theme::Theme;
use crate::worker::sign_in::SignInFailure;

/// `14:32` (minutes:seconds).
fn clock(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// `ABCD-2345X` → `A B C D - 2 3 4 5 X`: easy to read aloud and to type.
fn spaced(code: &str) -> String {
    let mut out = String::new();
    for (i, ch) in sanitize::line_capped(code, 40).chars().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The lines that say where the flow stands.
fn status_lines(t: &Theme, view: &SignInView) -> Vec<Line<'static>> {
    let again = "press r for a new code · q quits";
    let mut out = Vec::new();
    match &view.step {
        SignInStep::Requesting => out.push(Line::from(Span::styled(
            "requesting a code from the sign-in service…",
            t.label(),
        ))),
        SignInStep::Waiting => {
            out.push(Line::from(Span::styled(
                "waiting for the code to be approved in a browser…",
                t.text(),
            )));
            if let Some(s) = view.slowed_to {
                out.push(Line::from(Span::styled(
                    format!("the sign-in service asked to slow down: polling every {s} s"),
                    t.warn(),
                )));
            }
        }
        SignInStep::Retrying { failures } => out.push(Line::from(Span::styled(
            format!(
                "cannot reach the sign-in service ({failures} failed poll{}); retrying…",
                if *failures == 1 { "" } else { "s" }
            ),
            t.warn(),
        ))),
        SignInStep::Failed(f) => {
            let (head, body): (Option<&str>, Option<&str>) = match f {
                SignInFailure::Expired => (Some("the code expired before it was approved"), None),
                SignInFailure::Declined => (
                    Some("the sign-in was declined on the verification page"),
                    None,
                ),
                // The service's text verbatim (AADSTS codes, advice), line by line.
                SignInFailure::Blocked(text) | SignInFailure::Error(text) => (None, Some(text)),
                SignInFailure::Unavailable(text) => {
                    (Some("sign-in is not possible here"), Some(text))
                }
            };
            if let Some(head) = head {
                out.push(Line::from(Span::styled(head.to_owned(), t.error())));
            }
            for (i, l) in body.into_iter().flat_map(|b| b.lines()).enumerate() {
                let style = if i == 0 && head.is_none() {
                    t.error()
                } else {
                    t.text()
                };
                out.push(Line::from(Span::styled(sanitize::line(l), style)));
            }
            out.push(Line::default());
            out.push(Line::from(Span::styled(again, t.key())));
        }
    }
    out
}

/// Every line of the sign-in box.
fn lines(app: &App, view: &SignInView) -> Vec<Line<'static>> {
    let t = &app.theme;
    let about = &app.signin.about;
    let mut out = Vec::new();
    if view.mode == SignInMode::Resume {
        out.push(Line::from(Span::styled(
            "The saved sign-in can no longer be renewed. What is on screen stays; the loads that failed are retried once you are signed in.",
            t.warn(),
        )));
        out.push(Line::default());
    }
    out.push(Line::from(vec![
        Span::styled("profile ", t.label()),
        Span::styled(sanitize::line_capped(&about.profile, 40), t.text()),
        Span::styled(" · tenant ", t.label()),
        Span::styled(sanitize::line_capped(&about.tenant, 60), t.text()),
        Span::styled(" · cloud ", t.label()),
        Span::styled(sanitize::line_capped(&about.cloud, 20), t.text()),
    ]));
    out.push(Line::default());
    let failed = matches!(view.step, SignInStep::Failed(_));
    if let (Some(uri), Some(code)) = (&view.verification_uri, &view.user_code)
        && !failed
    {
        out.push(Line::from(vec![
            Span::styled("1. open   ", t.label()),
            Span::styled(sanitize::line_capped(uri, 200), t.key()),
        ]));
        out.push(Line::from(Span::styled("2. enter the code", t.label())));
        out.push(Line::default());
        out.push(
            Line::from(Span::styled(format!("  {}  ", spaced(code)), t.selected())).centered(),
        );
        out.push(Line::default());
        let mut when = vec![Span::styled(
            format!("code {} · ", sanitize::line_capped(code, 40)),
            t.label(),
        )];
        if let Some(left) = view.left_secs {
            when.push(Span::styled(
                format!("expires in {} · ", clock(left)),
                t.text(),
            ));
        }
        when.push(Span::styled(
            if view.copied { "copied" } else { "y copies it" },
            t.key(),
        ));
        out.push(Line::from(when));
        out.push(Line::default());
    }
    out.extend(status_lines(t, view));
    out
}

/// Width of the sign-in box.
const BOX_WIDTH: u16 = 84;

/// Rows `line` takes when word-wrapped at `width` columns.
pub(crate) fn wrapped_rows(line: &Line, width: usize) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let mut rows = 1;
    let mut used = 0usize;
    for word in text.split(' ') {
        let w = word.chars().count();
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else {
            // A word longer than the line is broken over several rows.
            rows += usize::from(used > 0) + w.saturating_sub(1) / width;
            used = match w % width {
                0 => width,
                rest => rest,
            };
        }
    }
    rows
}

/// Draws the sign-in box in `area` (screen or popup).
fn draw_box(app: &App, frame: &mut Frame, area: Rect, view: &SignInView) {
    let t = &app.theme;
    let title = match view.mode {
        SignInMode::Start => " Sign in (device code) ",
        SignInMode::Resume => " Sign in again (device code) ",
    };
    let body = lines(app, view);
    let inner = usize::from(area.width.min(BOX_WIDTH).saturating_sub(4)).max(1);
    let rows: usize = body.iter().map(|l| wrapped_rows(l, inner)).sum();
    let h = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
    let area = crate::overlay::popup(area, BOX_WIDTH, h);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(title)
        .border_style(t.key())
        .padding(ratatui::widgets::Padding::horizontal(1));
    let para = Paragraph::new(body).wrap(Wrap { trim: false }).block(block);
    frame.render_widget(para, area);
}

/// The whole screen while the console starts signed out: title, the sign-in box, footer.
pub fn screen(app: &App, frame: &mut Frame, view: &SignInView) {
    let [title, body, footer] = frame.area().layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    super::chrome::title(app, frame, title);
    draw_box(app, frame, body, view);
    super::chrome::footer(app, frame, footer);
}

/// The popup over the panes (mid-session).
pub fn overlay(app: &App, frame: &mut Frame, view: &SignInView) {
    draw_box(app, frame, frame.area(), view);
}
