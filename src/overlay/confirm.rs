//! The confirmation dialog and `Confirmed`, the only value the worker's mutate path accepts.
//! `Confirmed` can be built nowhere but here (its field is private and this module has no
//! other constructor), so the compiler guarantees that every change passed this dialog.
//! The dialog names the target by display name and object id, shows the exact Graph requests
//! (secrets masked), what they break and whether they can be undone, starts focused on
//! Cancel, and for grave plans keeps Confirm disabled until the suspect's UPN is typed.
//! It performs no side effect: `decide` hands the app a `Decision`.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use crate::contain::{Plan, Step};
use crate::sanitize;
use crate::ui::theme::Theme;

/// A plan that passed the dialog. Not constructible outside this module.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmed {
    plan: Plan,
}

impl Confirmed {
    /// The confirmed plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Consumes the confirmation (the executor runs it once).
    pub fn into_plan(self) -> Plan {
        self.plan
    }
}

/// The two buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Leave without changing anything (the initial focus).
    Cancel,
    /// Go ahead.
    Confirm,
}

/// What the dialog asks about.
#[derive(Debug)]
pub enum Question {
    /// A plan of changes.
    Plan(Plan),
    /// Turning containment on for this session.
    EnableContainment,
}

/// What Enter on the dialog decided.
#[derive(Debug)]
pub enum Decision {
    /// Cancel was chosen.
    Cancelled,
    /// Confirm was chosen for a plan.
    Confirmed(Confirmed),
    /// Confirm was chosen for enabling containment.
    EnableContainment,
    /// Confirm is not possible yet (why); the dialog stays.
    NotYet(String),
}

/// The dialog's state.
#[derive(Debug)]
pub struct ConfirmView {
    /// The question.
    pub question: Question,
    /// The playbook step this plan belongs to, if any.
    pub step: Option<Step>,
    focus: Button,
    upn: Option<TextArea<'static>>,
    /// Why the last Enter did not confirm.
    pub complaint: Option<String>,
    /// First line of the plan text shown (long bulk plans scroll with PgUp/PgDn).
    pub scroll: usize,
}

impl ConfirmView {
    /// A dialog for `plan`, focused on Cancel; grave plans get the UPN field.
    pub fn for_plan(plan: Plan, step: Option<Step>) -> Self {
        let upn = plan.grave().then(|| {
            let mut t = TextArea::default();
            t.set_placeholder_text("type the UPN shown above");
            t.set_cursor_line_style(ratatui::style::Style::new());
            t
        });
        Self {
            question: Question::Plan(plan),
            step,
            focus: Button::Cancel,
            upn,
            complaint: None,
            scroll: 0,
        }
    }

    /// The dialog that turns containment on.
    pub fn enable_containment() -> Self {
        Self {
            question: Question::EnableContainment,
            step: None,
            focus: Button::Cancel,
            upn: None,
            complaint: None,
            scroll: 0,
        }
    }

    /// The focused button.
    pub fn focus(&self) -> Button {
        self.focus
    }

    /// Whether the UPN must be typed.
    pub fn needs_upn(&self) -> bool {
        self.upn.is_some()
    }

    /// The typed text matches the suspect's UPN (case-insensitive, trimmed).
    pub fn upn_matches(&self) -> bool {
        match (&self.upn, &self.question) {
            (None, _) => true,
            (Some(t), Question::Plan(p)) => {
                let typed = t.lines().join("");
                let want = p.subject.upn.raw().trim();
                !want.is_empty() && typed.trim().eq_ignore_ascii_case(want)
            }
            (Some(_), Question::EnableContainment) => false,
        }
    }

    /// Confirm is possible now.
    pub fn can_confirm(&self) -> bool {
        self.upn_matches()
    }

    /// Moves focus to the other button.
    pub fn toggle(&mut self) {
        self.focus = match self.focus {
            Button::Cancel => Button::Confirm,
            Button::Confirm => Button::Cancel,
        };
    }

    /// A key typed into the UPN field; false when there is no field.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        match &mut self.upn {
            Some(t) => {
                self.complaint = None;
                t.input(key)
            }
            None => false,
        }
    }

    /// Types `text` into the UPN field (tests and paste).
    pub fn type_text(&mut self, text: &str) {
        if let Some(t) = &mut self.upn {
            t.insert_str(text);
        }
    }

    /// Enter: what the focused button decides.
    pub fn decide(&mut self) -> Decision {
        if self.focus == Button::Cancel {
            return Decision::Cancelled;
        }
        if !self.can_confirm() {
            let why = "type the suspect's UPN exactly to confirm".to_owned();
            self.complaint = Some(why.clone());
            return Decision::NotYet(why);
        }
        match &self.question {
            Question::Plan(p) => Decision::Confirmed(Confirmed { plan: p.clone() }),
            Question::EnableContainment => Decision::EnableContainment,
        }
    }
}

fn plan_lines(theme: &Theme, p: &Plan) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let s = &p.subject;
    out.push(Line::from(vec![
        Span::styled("Target  ", theme.label()),
        Span::styled(s.display_name.safe(), theme.name()),
        Span::styled("  ", theme.text()),
        Span::styled(s.upn.safe(), theme.text()),
    ]));
    out.push(Line::from(vec![
        Span::styled("        object id ", theme.label()),
        Span::styled(sanitize::line_capped(&s.id, 64), theme.text()),
    ]));
    if p.dry_run {
        out.push(Line::from(Span::styled(
            "DRY RUN: every request is recorded and shown; nothing is sent.",
            theme.warn(),
        )));
    }
    let bulk = p.actions.len() > 1;
    if bulk {
        out.push(Line::from(Span::styled(
            format!(
                "{} requests, sent one by one in this order:",
                p.actions.len()
            ),
            theme.warn(),
        )));
    }
    let mut explained: Vec<&str> = Vec::new();
    for a in &p.actions {
        if !bulk {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(
            sanitize::line_capped(&a.title(), 120),
            theme.heading(),
        )));
        let (req, body) = a.shown_request(s);
        // Method on one line, the path alone on the next: a long path then wraps exactly
        // at the edge instead of pushing the method onto a row of its own.
        let (method, path) = req.split_once(' ').unwrap_or((req.as_str(), ""));
        out.push(Line::from(vec![
            Span::styled("  request ", theme.label()),
            Span::styled(method.to_owned(), theme.key()),
        ]));
        out.push(Line::from(Span::styled(
            sanitize::line_capped(path, 300),
            theme.key(),
        )));
        if let Some(b) = body {
            out.push(Line::from(vec![
                Span::styled("  body    ", theme.label()),
                Span::styled(sanitize::line_capped(&b, 300), theme.text()),
            ]));
        }
        if explained.contains(&a.name()) {
            continue;
        }
        explained.push(a.name());
        out.push(Line::from(vec![
            Span::styled("  breaks  ", theme.label()),
            Span::styled(a.breaks(s), theme.text()),
        ]));
        let (undoable, how) = a.undo();
        out.push(Line::from(vec![
            Span::styled("  undo    ", theme.label()),
            Span::styled(how, if undoable { theme.text() } else { theme.warn() }),
        ]));
    }
    for n in &p.notes {
        out.push(Line::from(Span::styled(
            format!("note: {}", sanitize::line_capped(n, 200)),
            theme.warn(),
        )));
    }
    out
}

fn enable_lines(theme: &Theme) -> Vec<Line<'static>> {
    vec![
        Line::from(Span::styled(
            "Turn containment on for this session?",
            theme.heading(),
        )),
        Line::default(),
        Line::from(Span::styled(
            "Containment keys then change the tenant (each still asks for confirmation). \
             The title bar shows CONTAINMENT ON until the console closes.",
            theme.text(),
        )),
    ]
}

/// Draws the dialog.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &ConfirmView) {
    let (title, body) = match &view.question {
        Question::Plan(p) => (
            format!(" Confirm: {} ", sanitize::line_capped(&p.title(), 60)),
            plan_lines(theme, p),
        ),
        Question::EnableContainment => (" Enable containment ".to_owned(), enable_lines(theme)),
    };
    let inner_w = usize::from(area.width.min(96).saturating_sub(2)).max(1);
    // Word wrapping loses up to a word per row: estimate with a margin.
    let wrap_w = inner_w.saturating_sub(10).max(1);
    let rows: usize = body
        .iter()
        .map(|l| {
            let w = l.width();
            let one_word = !l.spans.iter().any(|s| s.content.trim().contains(' '));
            match (w <= inner_w, one_word) {
                (true, _) => 1,
                (false, true) => w.div_ceil(inner_w),
                (false, false) => w.div_ceil(wrap_w),
            }
        })
        .sum();
    let want_h = rows as u16 + 4 + if view.needs_upn() { 3 } else { 0 };
    let popup = super::popup(area, 96, want_h.max(10));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(" tab switch · enter choose · esc cancel ").right_aligned())
        .border_style(theme.error());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let upn_h = if view.needs_upn() { 3 } else { 0 };
    let [text, upn, note, buttons] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(upn_h),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let hidden = rows.saturating_sub(usize::from(text.height));
    let scroll = view.scroll.min(hidden);
    let [text, more] = if hidden > 0 {
        text.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(1),
        ]))
    } else {
        [text, Rect::default()]
    };
    frame.render_widget(
        Paragraph::new(body)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        text,
    );
    if hidden > 0 {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "… more below: PgDn / PgUp scroll the plan",
                theme.warn(),
            )),
            more,
        );
    }
    if let (Some(t), Question::Plan(p)) = (&view.upn, &view.question) {
        let [label, input, _] = upn.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Type ", theme.label()),
                Span::styled(p.subject.upn.safe(), theme.name()),
                Span::styled(" to enable Confirm:", theme.label()),
            ])),
            label,
        );
        frame.render_widget(t, input);
    }
    if let Some(c) = &view.complaint {
        frame.render_widget(
            Paragraph::new(Span::styled(c.as_str(), theme.error())),
            note,
        );
    }
    let button = |label: &'static str, b: Button, enabled: bool| {
        let style = if view.focus == b {
            theme.selected()
        } else if enabled {
            theme.text()
        } else {
            theme.label()
        };
        Span::styled(
            format!(
                "{}[ {label} ]{}",
                if view.focus == b { "▶" } else { " " },
                " "
            ),
            style,
        )
    };
    let line = Line::from(vec![
        button("Cancel", Button::Cancel, true),
        Span::raw("   "),
        button("Confirm", Button::Confirm, view.can_confirm()),
    ])
    .centered();
    frame.render_widget(Paragraph::new(line), buttons);
}
