//! The error overlay: what failed, with Graph's status, code, message and request-id, all
//! sanitised (Graph messages can echo tenant input).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::sanitize;
use crate::ui::theme::Theme;
use crate::worker::source::SourceError;

/// An error to show.
#[derive(Debug, Clone)]
pub struct ErrorView {
    /// What was being done (safe text).
    pub title: String,
    /// The failure.
    pub error: SourceError,
}

/// The lines describing an error (also used by panes in their Failed state).
pub fn error_lines(theme: &Theme, error: &SourceError) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let status = match (error.status, &error.code) {
        (Some(s), Some(c)) => format!("{s} {}", sanitize::line_capped(c, 80)),
        (Some(s), None) => s.to_string(),
        (None, Some(c)) => sanitize::line_capped(c, 80),
        (None, None) => "no answer from Graph".into(),
    };
    out.push(Line::from(Span::styled(status, theme.error())));
    if let Some(h) = hint(error) {
        out.push(Line::from(Span::styled(h, theme.warn())));
    }
    out.push(Line::from(Span::styled(
        sanitize::line(&error.message),
        theme.text(),
    )));
    if let Some(r) = &error.request_id {
        out.push(Line::from(vec![
            Span::styled("request-id ", theme.label()),
            Span::styled(sanitize::line_capped(r, 80), theme.text()),
        ]));
    }
    out
}

/// What a Graph error means for the analyst: skipped for a licence or a permission (naming
/// what would unlock it), or what to do next. Decided on the error code, never the message,
/// except Identity Protection's undocumented licence refusal.
pub fn hint(error: &SourceError) -> Option<&'static str> {
    let code = error.code.as_deref().unwrap_or("");
    let msg = error.message.to_ascii_lowercase();
    Some(match code {
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant" => {
            "skipped — licence: this data needs Microsoft Entra ID P1 or P2 in the tenant"
        }
        "Forbidden" if msg.contains("licen") => {
            "skipped — licence: Identity Protection needs Microsoft Entra ID P2"
        }
        "AadPremiumLicenseRequired" => "skipped — licence: needs Microsoft Entra ID P2",
        "Authentication_MSGraphPermissionMissing" => {
            "skipped — permission: the app needs AuditLog.Read.All (admin consent)"
        }
        "Authorization_RequestDenied" => {
            "skipped — permission: the token lacks the scope or the analyst the Entra role (entra-triage whoami lists both)"
        }
        "ErrorAccessDenied" | "accessDenied" => {
            "skipped — permission: another user's mailbox needs the application permission MailboxSettings.Read (admin consent)"
        }
        "InvalidAuthenticationToken" => {
            "sign in again: entra-triage login (or a fresh ENTRA_TRIAGE_TOKEN), then r"
        }
        "TooManyRequests" | "activityLimitReached" => "throttled by Graph: r reloads once it eases",
        _ => return None,
    })
}

/// Draws the error overlay.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, view: &ErrorView) {
    let area = super::popup(area, 70, 8);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ", view.title))
        .border_style(theme.error());
    let para = Paragraph::new(error_lines(theme, &view.error))
        .wrap(Wrap { trim: false })
        .block(block);
    frame.render_widget(para, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str, message: &str) -> SourceError {
        SourceError {
            status: Some(403),
            code: Some(code.into()),
            message: message.into(),
            request_id: None,
        }
    }

    #[test]
    fn licence_and_permission_refusals_say_what_would_unlock_them() {
        let h = hint(&err(
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "x",
        ))
        .unwrap();
        assert!(h.contains("licence") && h.contains("P1 or P2"));
        let h = hint(&err(
            "Forbidden",
            "Your tenant is not licensed for this feature.",
        ))
        .unwrap();
        assert!(h.contains("P2"));
        assert!(hint(&err("Forbidden", "something else")).is_none());
        assert!(
            hint(&err("Authorization_RequestDenied", "x"))
                .unwrap()
                .contains("permission")
        );
        assert!(hint(&err("Request_ResourceNotFound", "x")).is_none());
    }
}
