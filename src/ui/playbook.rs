//! The containment views: the playbook (steps in recommended order with their state, the
//! latest outcomes, the residual risks containment does not end) and the list of
//! containment actions. Reads state only.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::contain::Mode;
use crate::app::contain_menu::{ActionsView, Entry};
use crate::app::{App, Suspect};
use crate::contain::playbook::RESIDUAL_RISKS;
use crate::contain::{Outcome, Step, StepState};
use crate::overlay::popup;
use crate::sanitize;
use crate::ui::theme::Theme;

/// How many recent outcomes the playbook shows.
const RECENT: usize = 3;

fn state_style(t: &Theme, s: &StepState) -> Style {
    match s {
        StepState::Pending => t.label(),
        StepState::Running => t.warn(),
        StepState::Done(_) => t.ok(),
        StepState::Skipped => t.label(),
        StepState::Failed(_) => t.error(),
    }
}

fn outcome_style(t: &Theme, o: &Outcome) -> Style {
    match o {
        Outcome::Verified(_) => t.ok(),
        Outcome::NotVerifiable(_) | Outcome::DryRun => t.warn(),
        Outcome::Failed { .. } | Outcome::Unknown(_) | Outcome::NotSent(_) => t.error(),
    }
}

/// Draws the playbook.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let c = &app.contain;
    let who = match &app.suspect {
        Suspect::Found(u) => u.display_name.safe(),
        _ => "no suspect".into(),
    };
    let mode = match c.mode {
        Mode::DryRun => " · DRY RUN",
        _ => "",
    };
    let mut lines = Vec::new();
    for (i, step) in Step::ALL.iter().enumerate() {
        let st = &c.steps[i];
        let sel = i == c.selected;
        let name_style = if sel { t.selected() } else { t.text() };
        let mut spans = vec![
            Span::styled(if sel { "▶ " } else { "  " }, t.key()),
            Span::styled(format!("{}. {:<30}", i + 1, step.title()), name_style),
            Span::styled(format!("{:<8}", st.word()), state_style(t, st)),
        ];
        if let StepState::Done(d) | StepState::Failed(d) = st {
            spans.push(Span::styled(
                format!(" {}", sanitize::line_capped(d, 60)),
                t.label(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if let Some(s) = &c.status {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            sanitize::line_capped(s, 200),
            t.text(),
        )));
    }
    if !c.reports.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Latest outcomes", t.heading())));
        for r in c.reports.iter().rev().take(RECENT) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {}: ", sanitize::line_capped(&r.action.title(), 50)),
                    t.text(),
                ),
                Span::styled(
                    sanitize::line_capped(&r.outcome.summary(), 160),
                    outcome_style(t, &r.outcome),
                ),
            ]));
            lines.push(Line::from(Span::styled(
                format!("    {}", sanitize::line_capped(&r.request, 120)),
                t.label(),
            )));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "What containment does not end",
        t.heading(),
    )));
    for r in RESIDUAL_RISKS {
        lines.push(Line::from(Span::styled(format!("  • {r}"), t.text())));
    }
    let h = lines.len() as u16 + 2;
    let area = popup(area, 100, h);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(
            " Playbook · {}{mode} ",
            sanitize::line_capped(&who, 40)
        ))
        .title_bottom(Line::from(" enter run step · s skip · esc close ").right_aligned())
        .border_style(t.border());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

/// Draws the list of containment actions.
pub fn render_actions(frame: &mut Frame, area: Rect, t: &Theme, v: &ActionsView) {
    let rows = usize::from(area.height.saturating_sub(4)).max(1);
    let offset = v.selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = v
        .entries
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, e)| {
            let sel = i == v.selected;
            match e {
                Entry::Plan { label, plan, .. } => {
                    let mark = if plan.grave() { " ⚠" } else { "" };
                    Line::from(vec![
                        Span::styled(if sel { "▶ " } else { "  " }, t.key()),
                        Span::styled(
                            format!("{}{mark}", sanitize::line_capped(label, 80)),
                            if sel { t.selected() } else { t.text() },
                        ),
                    ])
                }
                Entry::Info(s) => Line::from(Span::styled(
                    format!("  {}", sanitize::line_capped(s, 160)),
                    if sel { t.selected() } else { t.label() },
                )),
            }
        })
        .collect();
    let h = lines.len() as u16 + 2;
    let area = popup(area, 90, h);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(" Containment actions ")
        .title_bottom(
            Line::from(" enter open dialog · esc close · ⚠ asks for the UPN ").right_aligned(),
        )
        .border_style(t.border());
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
