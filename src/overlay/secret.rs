//! The one-time secret dialog: a generated password or Temporary Access Pass, shown once.
//! `c` copies it with OSC 52 (the app hands the runtime a copy request; nothing is logged).
//! Closing the dialog drops the `Secret`, whose buffer is zeroized.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::contain::Secret;
use crate::contain::secret::SecretKind;
use crate::sanitize;
use crate::ui::theme::Theme;

/// The dialog's state. `Debug` shows no secret (see `Secret`).
#[derive(Debug)]
pub struct SecretView {
    /// The secret.
    pub secret: Secret,
    /// Whose secret (display name and UPN, sanitised).
    pub for_whom: String,
    /// A copy was requested.
    pub copied: bool,
}

/// Draws the dialog.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &SecretView) {
    let popup = super::popup(area, 72, 11);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(format!(" One-time {} ", view.secret.kind().label()))
        .title_bottom(Line::from(" c copy · esc close and wipe ").right_aligned())
        .border_style(theme.warn());
    let lines = vec![
        Line::from(vec![
            Span::styled("for ", theme.label()),
            Span::styled(sanitize::line_capped(&view.for_whom, 60), theme.name()),
        ]),
        Line::default(),
        Line::from(Span::styled(
            format!("   {}", view.secret.expose()),
            theme.title(),
        ))
        .centered(),
        Line::default(),
        Line::from(Span::styled(
            match view.secret.kind() {
                SecretKind::Password => {
                    "Shown once: it is not logged, journaled or saved anywhere. Hand it over \
                     through a trusted channel; the user must change it at first sign-in."
                }
                SecretKind::TemporaryAccessPass => {
                    "Shown once: it is not logged, journaled or saved anywhere. Hand it over \
                     through a trusted channel; it lets the user register new methods until it \
                     expires."
                }
            },
            theme.text(),
        )),
        Line::from(Span::styled(
            if view.copied {
                "copied to the terminal clipboard (OSC 52)"
            } else {
                ""
            },
            theme.ok(),
        )),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
