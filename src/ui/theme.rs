//! Every `Style` of the console, in one place. With `NO_COLOR` the theme carries meaning with
//! bold, reverse, underline and dim only; with colour it sticks to the 16 ANSI colours so a
//! terminal's palette (and colour-blind settings) apply.

use ratatui::style::{Color, Modifier, Style};

use crate::graph::models::RiskLevel;

/// The console's styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// With the 16 ANSI colours.
    pub const fn colored() -> Self {
        Self { color: true }
    }

    /// Without any colour (`NO_COLOR`).
    pub const fn plain() -> Self {
        Self { color: false }
    }

    /// Honours `NO_COLOR` (any non-empty value), per no-color.org.
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::plain(),
            _ => Self::colored(),
        }
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// The tool name in the title line.
    pub fn title(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The READ-ONLY badge.
    pub fn badge(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Green)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The suspect's display name.
    pub fn name(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Field labels and secondary text.
    pub fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    /// Ordinary text.
    pub fn text(&self) -> Style {
        Style::new()
    }

    /// A success.
    pub fn ok(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// A failure.
    pub fn fail(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Red),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Something the analyst should look at (⚠ marks).
    pub fn warn(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// An error message.
    pub fn error(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// A risk level.
    pub fn risk(&self, level: &RiskLevel) -> Style {
        match level {
            RiskLevel::High => self.pick(
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ),
            RiskLevel::Medium => self.pick(
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            RiskLevel::Low => self.pick(Style::new().fg(Color::Yellow), Style::new()),
            _ => self.label(),
        }
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Rows matching the search (`f`, `n`/`N`): bold, so it shows without colour too.
    pub fn search_hit(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Table headings.
    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// The focused tab.
    pub fn tab_active(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    /// Other tabs.
    pub fn tab(&self) -> Style {
        Style::new()
    }

    /// Keys in the footer and the help.
    pub fn key(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Overlay borders and titles.
    pub fn border(&self) -> Style {
        self.pick(Style::new().fg(Color::Cyan), Style::new())
    }
}
