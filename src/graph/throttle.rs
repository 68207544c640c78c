//! Client-side pacing per Graph throttle class, so that a normal triage never meets a 429:
//! Reports (sign-ins, directory audits) 5 per 10 s sliding window plus a safety margin,
//! Identity Protection 1 per 1.1 s, Directory a token bucket well under 3,500 per 10 s,
//! Outlook at most 4 concurrent requests per mailbox. Async (tokio time, never blocks a
//! thread) and shared by every clone of the client. Decides *when*, never *whether*.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::odata;

/// Reports: requests per window.
pub const REPORTS_LIMIT: usize = 5;
/// Reports: the window Graph counts in, plus a margin because Graph counts arrivals, and
/// send-to-arrival jitter (a new connection, a loaded machine, a long path) reaches 100s of ms.
pub const REPORTS_WINDOW: Duration = Duration::from_millis(10_500);
/// Identity Protection: one request per this span (1/s per tenant, no Retry-After).
pub const IDENTITY_PROTECTION_SPAN: Duration = Duration::from_millis(1_300);
/// Directory: sustained spacing (100 requests/s = 1,000 per 10 s, well under 3,500 units).
pub const DIRECTORY_INTERVAL: Duration = Duration::from_millis(10);
/// Directory: burst allowed before spacing applies.
pub const DIRECTORY_BURST: u32 = 50;
/// Outlook: concurrent requests per mailbox.
pub const OUTLOOK_CONCURRENCY: usize = 4;

/// Which Graph throttling limit a request counts against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ThrottleClass {
    /// `/auditLogs/signIns`, `/auditLogs/directoryAudits`.
    Reports,
    /// `/identityProtection/…`.
    IdentityProtection,
    /// Users, service principals, grants, organization, authentication methods, the rest.
    Directory,
    /// Mailbox resources (`/mailFolders`, `/messageRules`, `/mailboxSettings`) of one mailbox
    /// (lower-case user id or UPN, `me` for `/me`).
    Outlook(String),
}

/// Classifies a request path (`/v1.0/…`, `/beta/…` or the part after the version; a query
/// string is ignored).
pub fn classify(path: &str) -> ThrottleClass {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let rest = ["/v1.0", "/beta"]
        .iter()
        .find_map(|v| {
            path.strip_prefix(v)
                .filter(|r| r.is_empty() || r.starts_with('/'))
        })
        .unwrap_or(&path);
    if rest.starts_with("/auditlogs/signins") || rest.starts_with("/auditlogs/directoryaudits") {
        return ThrottleClass::Reports;
    }
    if rest.starts_with("/identityprotection/") || rest == "/identityprotection" {
        return ThrottleClass::IdentityProtection;
    }
    let mailbox = ["/mailfolders", "/messagerules", "/mailboxsettings"]
        .iter()
        .any(|m| rest.contains(m));
    if mailbox {
        return ThrottleClass::Outlook(mailbox_key(rest));
    }
    ThrottleClass::Directory
}

/// The mailbox a mailbox path addresses: `/users/{key}/…`, `/users('{key}')/…` or `/me/…`.
fn mailbox_key(rest: &str) -> String {
    if rest.starts_with("/me/") {
        return "me".to_owned();
    }
    if let Some(after) = rest.strip_prefix("/users/") {
        let seg = after.split('/').next().unwrap_or("");
        return odata::decode(seg).to_lowercase();
    }
    if let Some(after) = rest.strip_prefix("/users(") {
        let key = after.split(")/").next().unwrap_or("");
        let decoded = odata::decode(key);
        return odata::unquote(&decoded).unwrap_or(decoded).to_lowercase();
    }
    rest.split('/').take(3).collect::<Vec<_>>().join("/")
}

/// At most `limit` send times in any `span` (reservations may lie in the future).
#[derive(Debug)]
struct SlidingWindow {
    limit: usize,
    span: Duration,
    slots: VecDeque<Instant>,
    blocked_until: Option<Instant>,
}

impl SlidingWindow {
    fn new(limit: usize, span: Duration) -> Self {
        Self {
            limit: limit.max(1),
            span,
            slots: VecDeque::new(),
            blocked_until: None,
        }
    }

    fn reserve(&mut self, now: Instant) -> Instant {
        let mut at = now.max(self.blocked_until.unwrap_or(now));
        if self.slots.len() >= self.limit
            && let Some(&oldest) = self.slots.get(self.slots.len() - self.limit)
        {
            at = at.max(oldest + self.span);
        }
        self.slots.push_back(at);
        while self.slots.len() > self.limit {
            self.slots.pop_front();
        }
        at
    }
}

/// Generic cell rate: one request per `interval` with a burst of `burst`.
#[derive(Debug)]
struct Bucket {
    interval: Duration,
    tolerance: Duration,
    tat: Option<Instant>,
    blocked_until: Option<Instant>,
}

impl Bucket {
    fn new(interval: Duration, burst: u32) -> Self {
        Self {
            interval,
            tolerance: interval.saturating_mul(burst.saturating_sub(1)),
            tat: None,
            blocked_until: None,
        }
    }

    fn reserve(&mut self, now: Instant) -> Instant {
        let now = now.max(self.blocked_until.unwrap_or(now));
        let tat = self.tat.unwrap_or(now).max(now);
        let at = now.max(tat.checked_sub(self.tolerance).unwrap_or(now));
        self.tat = Some(tat.max(at) + self.interval);
        at
    }
}

#[derive(Debug)]
struct Schedules {
    reports: SlidingWindow,
    identity_protection: SlidingWindow,
    directory: Bucket,
}

/// Held while a request is in flight (only Outlook holds something real).
#[derive(Debug)]
pub struct Permit {
    _mailbox: Option<OwnedSemaphorePermit>,
}

/// The pacer. Put it in an `Arc`; all clones of a client share one.
#[derive(Debug)]
pub struct Pacer {
    schedules: Mutex<Schedules>,
    mailboxes: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new()
    }
}

impl Pacer {
    /// A pacer with the limits above.
    pub fn new() -> Self {
        Self {
            schedules: Mutex::new(Schedules {
                reports: SlidingWindow::new(REPORTS_LIMIT, REPORTS_WINDOW),
                identity_protection: SlidingWindow::new(1, IDENTITY_PROTECTION_SPAN),
                directory: Bucket::new(DIRECTORY_INTERVAL, DIRECTORY_BURST),
            }),
            mailboxes: Mutex::new(HashMap::new()),
        }
    }

    /// Reserves the next send time for `class` (now or later) without waiting.
    pub fn reserve(&self, class: &ThrottleClass, now: Instant) -> Instant {
        let mut s = self
            .schedules
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match class {
            ThrottleClass::Reports => s.reports.reserve(now),
            ThrottleClass::IdentityProtection => s.identity_protection.reserve(now),
            ThrottleClass::Directory => s.directory.reserve(now),
            ThrottleClass::Outlook(_) => now,
        }
    }

    /// Waits until a request of `class` may be sent; keep the permit until its answer is read.
    pub async fn acquire(&self, class: &ThrottleClass) -> Permit {
        let mailbox = match class {
            ThrottleClass::Outlook(key) => {
                let sem = {
                    let mut map = self
                        .mailboxes
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    map.entry(key.clone())
                        .or_insert_with(|| Arc::new(Semaphore::new(OUTLOOK_CONCURRENCY)))
                        .clone()
                };
                // The semaphore is never closed, so this cannot fail; degrade to no permit.
                sem.acquire_owned().await.ok()
            }
            _ => None,
        };
        let at = self.reserve(class, Instant::now());
        tokio::time::sleep_until(at).await;
        Permit { _mailbox: mailbox }
    }

    /// Graph throttled `class` anyway: nobody of that class is sent before `until`.
    pub fn hold(&self, class: &ThrottleClass, until: Instant) {
        let mut s = self
            .schedules
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let slot = match class {
            ThrottleClass::Reports => &mut s.reports.blocked_until,
            ThrottleClass::IdentityProtection => &mut s.identity_protection.blocked_until,
            ThrottleClass::Directory => &mut s.directory.blocked_until,
            ThrottleClass::Outlook(_) => return,
        };
        *slot = Some(slot.map_or(until, |u| u.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        use ThrottleClass::*;
        assert_eq!(classify("/v1.0/auditLogs/signIns?$filter=x"), Reports);
        assert_eq!(classify("/beta/auditLogs/signIns"), Reports);
        assert_eq!(classify("/auditLogs/directoryAudits?$top=500"), Reports);
        assert_eq!(
            classify("/v1.0/identityProtection/riskyUsers/abc/history"),
            IdentityProtection
        );
        assert_eq!(
            classify("/v1.0/identityProtection/riskDetections"),
            IdentityProtection
        );
        assert_eq!(classify("/v1.0/users/abc"), Directory);
        assert_eq!(
            classify("/v1.0/users/abc/authentication/methods"),
            Directory
        );
        assert_eq!(classify("/v1.0/servicePrincipals/x"), Directory);
        assert_eq!(classify("/v1.0/organization"), Directory);
        assert_eq!(classify("/v1.0/oauth2PermissionGrants/x"), Directory);
        assert_eq!(
            classify("/v1.0/users/ABC/mailFolders/inbox/messageRules"),
            Outlook("abc".into())
        );
        assert_eq!(
            classify("/v1.0/users/abc/mailFolders?$top=10"),
            Outlook("abc".into())
        );
        assert_eq!(
            classify("/v1.0/users('%24x%40y.com')/mailFolders"),
            Outlook("$x@y.com".into())
        );
        assert_eq!(classify("/v1.0/me/mailFolders"), Outlook("me".into()));
        // A query string mentioning a class does not change it.
        assert_eq!(
            classify("/v1.0/users?$filter=x eq '/auditLogs/signIns'"),
            Directory
        );
    }

    async fn times(p: &Pacer, class: ThrottleClass, n: usize) -> Vec<Duration> {
        let start = Instant::now();
        let mut out = Vec::new();
        for _ in 0..n {
            let _permit = p.acquire(&class).await;
            out.push(Instant::now() - start);
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn reports_five_per_ten_seconds_with_margin() {
        let p = Pacer::new();
        let t = times(&p, ThrottleClass::Reports, 11).await;
        for d in &t[..5] {
            assert_eq!(*d, Duration::ZERO);
        }
        for d in &t[5..10] {
            assert_eq!(*d, REPORTS_WINDOW);
        }
        assert_eq!(t[10], REPORTS_WINDOW * 2);
        // Any 10 s window (what the server counts) holds at most 5 sends.
        for (i, a) in t.iter().enumerate() {
            let in_window = t[i..]
                .iter()
                .filter(|b| **b - *a < Duration::from_secs(10))
                .count();
            assert!(in_window <= 5, "window at {a:?} has {in_window}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn identity_protection_one_per_1_1_s_across_tasks() {
        let p = Arc::new(Pacer::new());
        let start = Instant::now();
        let mut handles = Vec::new();
        for _ in 0..3 {
            let p = p.clone();
            handles.push(tokio::spawn(async move {
                let _g = p.acquire(&ThrottleClass::IdentityProtection).await;
                Instant::now() - start
            }));
        }
        let mut got = Vec::new();
        for h in handles {
            got.push(h.await.unwrap());
        }
        got.sort();
        assert_eq!(
            got,
            vec![
                Duration::ZERO,
                IDENTITY_PROTECTION_SPAN,
                IDENTITY_PROTECTION_SPAN * 2
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn directory_bucket_bursts_then_spaces() {
        let p = Pacer::new();
        let t = times(&p, ThrottleClass::Directory, 60).await;
        assert!(t[..DIRECTORY_BURST as usize].iter().all(|d| d.is_zero()));
        assert_eq!(t[DIRECTORY_BURST as usize], DIRECTORY_INTERVAL);
        assert_eq!(t[59], DIRECTORY_INTERVAL * 10);
        // Sustained rate: 1,000 per 10 s at most after the burst.
        let long = times(&p, ThrottleClass::Directory, 1_000).await;
        assert!(long[999] >= Duration::from_secs(9));
    }

    #[tokio::test(start_paused = true)]
    async fn outlook_four_concurrent_per_mailbox() {
        let p = Arc::new(Pacer::new());
        let a = ThrottleClass::Outlook("a".into());
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(p.acquire(&a).await);
        }
        let p2 = p.clone();
        let a2 = a.clone();
        let fifth = tokio::spawn(async move {
            let _g = p2.acquire(&a2).await;
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!fifth.is_finished());
        // Another mailbox is not affected.
        let _b = tokio::time::timeout(
            Duration::from_millis(1),
            p.acquire(&ThrottleClass::Outlook("b".into())),
        )
        .await
        .expect("other mailbox must not wait");
        held.pop();
        tokio::time::timeout(Duration::from_millis(10), fifth)
            .await
            .expect("fifth proceeds once a permit is released")
            .unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn hold_after_429_delays_the_class() {
        let p = Pacer::new();
        let start = Instant::now();
        p.hold(&ThrottleClass::Reports, start + Duration::from_secs(3));
        p.hold(&ThrottleClass::Reports, start + Duration::from_secs(1));
        let _g = p.acquire(&ThrottleClass::Reports).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
        let _d = p.acquire(&ThrottleClass::Directory).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }
}
