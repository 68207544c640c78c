//! The terminal guard: raw mode and the alternate screen on `init`, restored on drop and —
//! through a chained panic hook — before any panic message is printed, so a crash never
//! leaves the analyst's shell unusable. Nothing else writes to the terminal.

use std::io::{self, Stdout};
use std::sync::Once;

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The console's terminal.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the console runs; restores it when dropped.
pub struct TerminalGuard {
    terminal: Term,
}

impl TerminalGuard {
    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut Term {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if let Err(e) = restore() {
            tracing::warn!("restoring the terminal: {e}");
        }
    }
}

/// Enters raw mode and the alternate screen (installing the panic hook first).
pub fn init() -> io::Result<TerminalGuard> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen) {
        let _ = disable_raw_mode();
        return Err(e);
    }
    let terminal = match Terminal::new(CrosstermBackend::new(out)) {
        Ok(t) => t,
        Err(e) => {
            let _ = restore();
            return Err(e);
        }
    };
    let mut guard = TerminalGuard { terminal };
    guard.terminal.hide_cursor()?;
    guard.terminal.clear()?;
    Ok(guard)
}

/// Leaves the alternate screen and raw mode, shows the cursor. Safe to call twice.
pub fn restore() -> io::Result<()> {
    let raw = disable_raw_mode();
    execute!(io::stdout(), LeaveAlternateScreen, Show)?;
    raw
}

/// Chains a hook that restores the terminal before the previous hook prints the panic.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = restore();
            previous(info);
        }));
    });
}
