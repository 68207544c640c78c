//! When and how long to wait before re-sending an idempotent read: which statuses are
//! retryable, `Retry-After` parsing (seconds, fractional seconds, HTTP-date) and exponential
//! backoff with full jitter. Pure except for the random draw; never sleeps itself.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// First backoff ceiling.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);
/// Largest backoff ceiling.
pub const BACKOFF_CAP: Duration = Duration::from_secs(60);
/// A `Retry-After` longer than this is clamped (a hostile or broken server cannot park us).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// Least wait after a 429 without `Retry-After` (Identity Protection sends none, 1 req/s).
pub const MIN_THROTTLE_WAIT: Duration = Duration::from_secs(1);

/// Statuses after which a GET is re-sent.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// Parses a `Retry-After` value: `"5"`, `"2.128"` or an HTTP-date (relative to `now`).
/// Negative, NaN and unparsable values give `None`; dates in the past give zero.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(secs) = v.parse::<f64>() {
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::from_secs_f64(
            secs.min(MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    let wait = (at - now).to_std().unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

/// The backoff ceiling before retry number `attempt` (0-based): `min(cap, base · 2^attempt)`.
pub fn backoff_ceiling(attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.min(16));
    BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_CAP)
}

/// Full jitter with an explicit draw `unit` in `[0, 1]`: `ceiling · unit`.
pub fn backoff_with(attempt: u32, unit: f64) -> Duration {
    let unit = if unit.is_finite() {
        unit.clamp(0.0, 1.0)
    } else {
        1.0
    };
    backoff_ceiling(attempt).mul_f64(unit)
}

/// Full-jitter exponential backoff before retry number `attempt` (0-based).
pub fn backoff(attempt: u32) -> Duration {
    use rand::Rng;
    let unit: f64 = rand::rng().random_range(0.0..=1.0);
    backoff_with(attempt, unit)
}

/// How long to wait before retrying after `status`, given a parsed `Retry-After`.
pub fn delay_for(status: Option<u16>, retry_after: Option<Duration>, attempt: u32) -> Duration {
    match (status, retry_after) {
        (_, Some(ra)) => ra,
        (Some(429), None) => backoff(attempt).max(MIN_THROTTLE_WAIT),
        _ => backoff(attempt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2015, 10, 21, 7, 28, 0).unwrap()
    }

    #[test]
    fn retry_after_seconds_fraction_and_date() {
        assert_eq!(parse_retry_after("5", now()), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_retry_after(" 2.128 ", now()),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(parse_retry_after("0", now()), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now()),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now()),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-1", now()), None);
        assert_eq!(parse_retry_after("NaN", now()), None);
        assert_eq!(parse_retry_after("soon", now()), None);
        assert_eq!(parse_retry_after("", now()), None);
        assert_eq!(parse_retry_after("99999", now()), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn backoff_bounds() {
        assert_eq!(backoff_ceiling(0), Duration::from_secs(1));
        assert_eq!(backoff_ceiling(1), Duration::from_secs(2));
        assert_eq!(backoff_ceiling(5), Duration::from_secs(32));
        assert_eq!(backoff_ceiling(6), BACKOFF_CAP);
        assert_eq!(backoff_ceiling(u32::MAX), BACKOFF_CAP);
        assert_eq!(backoff_with(3, 0.0), Duration::ZERO);
        assert_eq!(backoff_with(3, 1.0), Duration::from_secs(8));
        assert_eq!(backoff_with(2, 0.5), Duration::from_secs(2));
        assert_eq!(backoff_with(2, f64::NAN), Duration::from_secs(4));
        for attempt in 0..10 {
            for _ in 0..50 {
                assert!(backoff(attempt) <= backoff_ceiling(attempt));
            }
        }
    }

    #[test]
    fn throttle_without_retry_after_waits_at_least_a_second() {
        for _ in 0..50 {
            assert!(delay_for(Some(429), None, 0) >= MIN_THROTTLE_WAIT);
        }
        assert_eq!(
            delay_for(Some(429), Some(Duration::from_millis(100)), 0),
            Duration::from_millis(100)
        );
        assert!(delay_for(Some(503), None, 0) <= Duration::from_secs(1));
        assert!(is_retryable_status(429) && is_retryable_status(503) && is_retryable_status(504));
        assert!(!is_retryable_status(500) && !is_retryable_status(403));
    }
}
