//! Text helpers for cells: fitting sanitised text to a width, formatting times and counts.
//! Every tenant string reaches a cell through `safe`/`fit_safe` (the sanitiser) — never raw.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthChar;

use crate::graph::models::TenantText;

/// Cuts already-safe text to `width` display columns, ending with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Tenant text made safe and fitted to `width`.
pub fn fit_safe(t: &TenantText, width: usize) -> String {
    fit(&t.safe(), width)
}

/// Tenant text made safe, or `—` when empty.
pub fn safe_or_dash(t: &TenantText) -> String {
    if t.is_empty() { "—".into() } else { t.safe() }
}

/// `11-21 09:14:02` (UTC).
pub fn short_time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "—".into())
}

/// `2026-11-21` (UTC).
pub fn date(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "—".into())
}

/// `2026-11-21 09:14` (UTC).
pub fn date_time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "—".into())
}

/// `2,000`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 sign-in` / `2 sign-ins` (`many` when it is not just `one` + s).
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else if let Some(stem) = one.strip_suffix('y') {
        format!("{} {stem}ies", count(n))
    } else {
        format!("{} {one}s", count(n))
    }
}

/// Braille spinner frame for tick `n`.
pub fn spinner(n: usize) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[n % FRAMES.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("Amsterdam", 20), "Amsterdam");
        assert_eq!(fit("Amsterdam", 5), "Amst…");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(count(2000), "2,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1234567), "1,234,567");
    }
}
