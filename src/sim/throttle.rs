//! Microsoft's published Graph limits (graph-api.md §2.2): identity-and-access reports 5
//! requests / 10 s sliding window per app, Identity Protection 1 request / s per tenant (429
//! without Retry-After), directory token bucket 3,500 units / 10 s per app (writes 3,000 /
//! 150 s), Outlook 4 concurrent requests per mailbox. The clock is passed in (`now`), so tests
//! drive it without sleeping.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Which limit a request falls under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    Reports,
    IdentityProtection,
    Directory { cost: u32, write: bool },
    Outlook { mailbox: String },
}

/// The configured limits.
#[derive(Debug, Clone)]
pub struct Limits {
    pub reports: (usize, Duration),
    pub identity_protection: (usize, Duration),
    pub directory: (f64, Duration),
    pub directory_writes: (f64, Duration),
    pub outlook_concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            reports: (5, Duration::from_secs(10)),
            identity_protection: (1, Duration::from_secs(1)),
            directory: (3500.0, Duration::from_secs(10)),
            directory_writes: (3000.0, Duration::from_secs(150)),
            outlook_concurrent: 4,
        }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Why a request was refused: `retry_after` None = send no Retry-After header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Option<u64>,
}

/// Throttling state of one simulator.
#[derive(Debug, Default)]
pub struct Throttle {
    pub limits: Limits,
    reports: HashMap<String, VecDeque<Instant>>,
    identity_protection: VecDeque<Instant>,
    directory: HashMap<(String, bool), Bucket>,
    outlook: HashMap<String, usize>,
}

fn ceil_secs(d: Duration) -> u64 {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    s.max(1)
}

fn window(
    q: &mut VecDeque<Instant>,
    limit: usize,
    len: Duration,
    now: Instant,
) -> Option<Duration> {
    while q
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= len)
    {
        q.pop_front();
    }
    if q.len() >= limit {
        let oldest = q.front().copied().unwrap_or(now);
        return Some((oldest + len).saturating_duration_since(now));
    }
    q.push_back(now);
    None
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Throttle {
            limits,
            ..Throttle::default()
        }
    }

    /// Counts a request arriving at `now` for app `app`; Outlook requests also take a
    /// concurrency slot that must be given back with [`Throttle::release_outlook`].
    pub fn admit(&mut self, class: &Class, app: &str, now: Instant) -> Result<(), Throttled> {
        match class {
            Class::Reports => {
                let (limit, len) = self.limits.reports;
                let q = self.reports.entry(app.to_string()).or_default();
                match window(q, limit, len, now) {
                    Some(wait) => Err(Throttled {
                        retry_after: Some(ceil_secs(wait)),
                    }),
                    None => Ok(()),
                }
            }
            Class::IdentityProtection => {
                let (limit, len) = self.limits.identity_protection;
                match window(&mut self.identity_protection, limit, len, now) {
                    Some(_) => Err(Throttled { retry_after: None }),
                    None => Ok(()),
                }
            }
            Class::Directory { cost, write } => {
                let (cap, len) = if *write {
                    self.limits.directory_writes
                } else {
                    self.limits.directory
                };
                let rate = cap / len.as_secs_f64();
                let b = self
                    .directory
                    .entry((app.to_string(), *write))
                    .or_insert(Bucket {
                        tokens: cap,
                        at: now,
                    });
                let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
                b.tokens = (b.tokens + elapsed * rate).min(cap);
                b.at = now;
                let cost = f64::from(*cost);
                if b.tokens >= cost {
                    b.tokens -= cost;
                    Ok(())
                } else {
                    let wait = Duration::from_secs_f64((cost - b.tokens) / rate);
                    Err(Throttled {
                        retry_after: Some(ceil_secs(wait)),
                    })
                }
            }
            Class::Outlook { mailbox } => {
                let n = self
                    .outlook
                    .entry(mailbox.to_ascii_lowercase())
                    .or_default();
                if *n >= self.limits.outlook_concurrent {
                    Err(Throttled {
                        retry_after: Some(1),
                    })
                } else {
                    *n += 1;
                    Ok(())
                }
            }
        }
    }

    /// Gives back an Outlook concurrency slot.
    pub fn release_outlook(&mut self, mailbox: &str) {
        if let Some(n) = self.outlook.get_mut(&mailbox.to_ascii_lowercase()) {
            *n = n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_sliding_window() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(
                t.admit(&Class::Reports, "app", t0 + Duration::from_secs(i))
                    .is_ok()
            );
        }
        let e = t
            .admit(&Class::Reports, "app", t0 + Duration::from_millis(5500))
            .unwrap_err();
        assert_eq!(e.retry_after, Some(5));
        // another app has its own window
        assert!(t.admit(&Class::Reports, "other", t0).is_ok());
        // the first slot frees at t0+10s
        assert!(
            t.admit(&Class::Reports, "app", t0 + Duration::from_secs(10))
                .is_ok()
        );
        let e = t
            .admit(&Class::Reports, "app", t0 + Duration::from_millis(10_100))
            .unwrap_err();
        assert_eq!(e.retry_after, Some(1));
    }

    #[test]
    fn identity_protection_without_retry_after() {
        let mut t = Throttle::default();
        let t0 = Instant::now();
        assert!(t.admit(&Class::IdentityProtection, "a", t0).is_ok());
        let e = t
            .admit(
                &Class::IdentityProtection,
                "b",
                t0 + Duration::from_millis(400),
            )
            .unwrap_err();
        assert_eq!(e.retry_after, None);
        assert!(
            t.admit(
                &Class::IdentityProtection,
                "a",
                t0 + Duration::from_millis(1000)
            )
            .is_ok()
        );
    }

    #[test]
    fn directory_bucket_and_outlook() {
        let mut t = Throttle::new(Limits {
            directory: (3.0, Duration::from_secs(3)),
            ..Limits::default()
        });
        let t0 = Instant::now();
        let c = Class::Directory {
            cost: 1,
            write: false,
        };
        for _ in 0..3 {
            assert!(t.admit(&c, "a", t0).is_ok());
        }
        assert_eq!(t.admit(&c, "a", t0).unwrap_err().retry_after, Some(1));
        assert!(t.admit(&c, "a", t0 + Duration::from_secs(1)).is_ok());
        let o = Class::Outlook {
            mailbox: "M".into(),
        };
        for _ in 0..4 {
            assert!(t.admit(&o, "a", t0).is_ok());
        }
        assert!(t.admit(&o, "a", t0).is_err());
        t.release_outlook("m");
        assert!(t.admit(&o, "a", t0).is_ok());
    }
}
