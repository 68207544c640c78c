//! The investigation window: `--days N` (ending now) or `--from T --to T` (UTC dates or
//! date-times, contracts.md §4). Pure: "now" is passed in.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Longest window the console asks Graph for (sign-in retention with P1/P2).
pub const MAX_DAYS: i64 = 30;

/// A closed time range `[start, end]` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A window the analyst asked for that makes no sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("cannot read {0:?} as a UTC date (2026-10-21) or date-time (2026-10-21T08:00:00Z)")]
    BadTime(String),
    #[error("--from must be before --to")]
    Reversed,
    #[error("--days must be between 1 and 365")]
    BadDays,
    #[error("--to needs --from (or use --days)")]
    ToWithoutFrom,
}

impl Window {
    /// The last `days` days ending at `now`.
    pub fn last_days(days: i64, now: DateTime<Utc>) -> Result<Self, WindowError> {
        if !(1..=365).contains(&days) {
            return Err(WindowError::BadDays);
        }
        Ok(Self {
            start: now - Duration::days(days),
            end: now,
        })
    }

    /// Builds the window from the CLI options; `--from`/`--to` win over `--days`.
    pub fn from_options(
        days: Option<i64>,
        from: Option<&str>,
        to: Option<&str>,
        default_days: i64,
        now: DateTime<Utc>,
    ) -> Result<Self, WindowError> {
        match (from, to) {
            (Some(f), t) => {
                let start = parse_bound(f, false)?;
                let end = match t {
                    Some(t) => parse_bound(t, true)?,
                    None => now,
                };
                if start >= end {
                    return Err(WindowError::Reversed);
                }
                Ok(Self { start, end })
            }
            (None, Some(_)) => Err(WindowError::ToWithoutFrom),
            (None, None) => Self::last_days(days.unwrap_or(default_days), now),
        }
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.start && t <= self.end
    }

    pub fn days(&self) -> f64 {
        (self.end - self.start).num_seconds() as f64 / 86_400.0
    }

    /// `2026-11-13 12:00 → 2026-11-20 12:00 UTC`.
    pub fn label(&self) -> String {
        format!(
            "{} → {} UTC",
            self.start.format("%Y-%m-%d %H:%M"),
            self.end.format("%Y-%m-%d %H:%M")
        )
    }
}

/// Parses a date (start of day, or end of day for an upper bound) or an RFC 3339 date-time.
pub fn parse_bound(s: &str, upper: bool) -> Result<DateTime<Utc>, WindowError> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Ok(n.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if upper {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        if let Some(t) = t {
            return Ok(t.and_utc());
        }
    }
    Err(WindowError::BadTime(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        parse_bound("2026-11-20T12:00:00Z", false).unwrap()
    }

    #[test]
    fn days_and_explicit_bounds() {
        let w = Window::from_options(Some(7), None, None, 7, now()).unwrap();
        assert_eq!(w.days(), 7.0);
        let w =
            Window::from_options(None, Some("2026-10-21"), Some("2026-10-22"), 7, now()).unwrap();
        assert_eq!(w.start.to_rfc3339(), "2026-10-21T00:00:00+00:00");
        assert_eq!(w.end.to_rfc3339(), "2026-10-22T23:59:59+00:00");
        let w = Window::from_options(None, Some("2026-10-21T08:00:00Z"), None, 7, now()).unwrap();
        assert_eq!(w.end, now());
        assert_eq!(
            Window::from_options(None, Some("2026-10-22"), Some("2026-10-21"), 7, now()),
            Err(WindowError::Reversed)
        );
        assert!(Window::from_options(None, Some("yesterday"), None, 7, now()).is_err());
        assert_eq!(
            Window::from_options(None, None, Some("2026-10-21"), 7, now()),
            Err(WindowError::ToWithoutFrom)
        );
    }
}
