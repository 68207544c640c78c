//! `--scale N`: N deterministic sign-ins for one user, materialised lazily. Item `r` (0 =
//! newest) is computed on demand from `r` and a fixed seed, so a million costs no memory.
//! Timestamps decrease strictly by slot, spread over the 30 days before the anchor.

use chrono::DateTime;
use serde_json::{Value, json};

const SEED: u64 = 0x5eed_2026_1120_0001;
const ID_PREFIX: &str = "5ca1ab1e-0000-4000-8000-";
const SPAN_MS: i64 = 30 * 24 * 3600 * 1000;

/// The user the sign-ins belong to.
#[derive(Debug, Clone)]
pub struct ScaleUser {
    pub id: String,
    pub upn: String,
    pub display_name: String,
}

/// Lazily generated sign-ins.
#[derive(Debug, Clone)]
pub struct Generator {
    pub n: usize,
    pub user: ScaleUser,
    tenant_id: String,
    anchor_ms: i64,
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const CITIES: &[(&str, &str, &str, f64, f64, &str, u64)] = &[
    (
        "Amsterdam",
        "Noord-Holland",
        "NL",
        52.3676,
        4.9041,
        "145.132",
        60,
    ),
    ("Utrecht", "Utrecht", "NL", 52.0907, 5.1214, "84.241", 12),
    (
        "Rotterdam",
        "Zuid-Holland",
        "NL",
        51.9244,
        4.4777,
        "62.45",
        8,
    ),
    ("London", "England", "GB", 51.5072, -0.1276, "81.2", 8),
    (
        "Frankfurt am Main",
        "Hessen",
        "DE",
        50.1109,
        8.6821,
        "91.64",
        6,
    ),
    ("Ashburn", "Virginia", "US", 39.0438, -77.4874, "203.0", 4),
    ("Lagos", "Lagos", "NG", 6.5244, 3.3792, "102.89", 2),
];

const APPS: &[(&str, &str)] = &[
    (
        "00000002-0000-0ff1-ce00-000000000000",
        "Office 365 Exchange Online",
    ),
    ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
    ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
    ("9199bf20-a13f-4107-85dc-02114787ef48", "One Outlook Web"),
    ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"),
];

const DEVICES: &[(&str, &str, &str)] = &[
    (
        "Windows10",
        "Chrome 130.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    ),
    (
        "Windows10",
        "Edge 130.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    ),
    (
        "MacOs",
        "Safari 17.6",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    ),
    (
        "Ios",
        "Mobile Safari 18.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    ),
    (
        "Android",
        "Chrome Mobile 130.0.0",
        "Mozilla/5.0 (Linux; Android 14; SM-A505F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    ),
];

const FAILURES: &[(i64, &str)] = &[
    (
        50126,
        "Error validating credentials due to invalid username or password.",
    ),
    (50074, "Strong Authentication is required."),
    (
        53003,
        "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
    ),
    (
        50140,
        "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
    ),
    (
        50053,
        "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
    ),
];

impl Generator {
    /// `anchor` = the newest possible sign-in instant (after rebasing).
    pub fn new(
        n: usize,
        user: ScaleUser,
        tenant_id: String,
        anchor: DateTime<chrono::Utc>,
    ) -> Self {
        Generator {
            n,
            user,
            tenant_id,
            anchor_ms: anchor.timestamp_millis(),
        }
    }

    fn rnd(&self, r: usize, field: u64) -> u64 {
        mix(SEED ^ mix(r as u64) ^ field.wrapping_mul(0x1000_0000_01b3))
    }

    /// createdDateTime of item `r` in ms (whole seconds); non-increasing in `r`.
    pub fn ts_ms(&self, r: usize) -> i64 {
        let n = self.n.max(1) as i64;
        let slot = (SPAN_MS / n).max(1);
        let base = self.anchor_ms - slot * n;
        let t = base + (n - 1 - r as i64) * slot + (self.rnd(r, 1) % slot as u64) as i64;
        t - t.rem_euclid(1000)
    }

    /// First rank whose time is ≤ `upper_ms` (items before it are newer).
    pub fn first_at_or_before(&self, upper_ms: i64) -> usize {
        partition(self.n, |r| self.ts_ms(r) > upper_ms)
    }

    /// First rank whose time is < `lower_ms` (ranks from here on are older).
    pub fn first_before(&self, lower_ms: i64) -> usize {
        partition(self.n, |r| self.ts_ms(r) >= lower_ms)
    }

    pub fn id(&self, r: usize) -> String {
        format!("{ID_PREFIX}{r:012x}")
    }

    /// The rank of a generated sign-in id.
    pub fn rank_of(&self, id: &str) -> Option<usize> {
        let hex = id.to_ascii_lowercase();
        let r = usize::from_str_radix(hex.strip_prefix(ID_PREFIX)?, 16).ok()?;
        (r < self.n).then_some(r)
    }

    /// The v1.0 signIn object of rank `r`.
    pub fn item(&self, r: usize) -> Value {
        let pick = |field: u64, len: usize| (self.rnd(r, field) % len as u64) as usize;
        let total: u64 = CITIES.iter().map(|c| c.6).sum();
        let mut roll = self.rnd(r, 2) % total;
        let mut city = CITIES[0];
        for c in CITIES {
            if roll < c.6 {
                city = *c;
                break;
            }
            roll -= c.6;
        }
        let (app_id, app_name) = APPS[pick(3, APPS.len())];
        let (os, browser, ua) = DEVICES[pick(4, DEVICES.len())];
        let client_app = match self.rnd(r, 5) % 100 {
            0..=74 => "Browser",
            75..=96 => "Mobile Apps and Desktop clients",
            97 => "IMAP4",
            98 => "Authenticated SMTP",
            _ => "Exchange ActiveSync",
        };
        let failed = self.rnd(r, 6).is_multiple_of(10);
        let (code, reason) = if failed {
            let (c, m) = FAILURES[pick(7, FAILURES.len())];
            (c, Value::String(m.into()))
        } else {
            (0, Value::Null)
        };
        let risky = self.rnd(r, 8).is_multiple_of(33);
        let (level, state, events) = if risky {
            ("medium", "atRisk", json!(["unfamiliarFeatures"]))
        } else {
            ("none", "none", json!([]))
        };
        let ip_tail = self.rnd(r, 9);
        let ip = format!(
            "{}.{}.{}",
            city.5,
            ip_tail % 250 + 1,
            (ip_tail >> 8) % 250 + 1
        );
        let created = DateTime::from_timestamp_millis(self.ts_ms(r))
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let corr = format!(
            "{:08x}-{:04x}-4{:03x}-9{:03x}-{:012x}",
            self.rnd(r, 10) as u32,
            self.rnd(r, 11) as u16,
            self.rnd(r, 12) % 0x1000,
            self.rnd(r, 13) % 0x1000,
            self.rnd(r, 14) % 0x1_0000_0000_0000
        );
        let ca = if code == 53003 {
            "failure"
        } else {
            "notApplied"
        };
        json!({
            "id": self.id(r),
            "createdDateTime": created,
            "userDisplayName": self.user.display_name,
            "userPrincipalName": self.user.upn.to_lowercase(),
            "userId": self.user.id,
            "appId": app_id,
            "appDisplayName": app_name,
            "ipAddress": ip,
            "clientAppUsed": client_app,
            "userAgent": ua,
            "correlationId": corr,
            "conditionalAccessStatus": ca,
            "isInteractive": true,
            "riskDetail": "none",
            "riskLevelAggregated": level,
            "riskLevelDuringSignIn": level,
            "riskState": state,
            "riskEventTypes": events.clone(),
            "riskEventTypes_v2": events,
            "resourceDisplayName": app_name,
            "resourceId": app_id,
            "resourceTenantId": self.tenant_id,
            "homeTenantId": self.tenant_id,
            "servicePrincipalId": "",
            "servicePrincipalName": "",
            "status": {"errorCode": code, "failureReason": reason, "additionalDetails": null},
            "deviceDetail": {"deviceId": "", "displayName": "", "operatingSystem": os,
                "browser": browser, "isCompliant": false, "isManaged": false, "trustType": ""},
            "location": {"city": city.0, "state": city.1, "countryOrRegion": city.2,
                "geoCoordinates": {"altitude": null, "latitude": city.3, "longitude": city.4}},
            "appliedConditionalAccessPolicies": [],
            "authenticationAppDeviceDetails": null,
        })
    }
}

/// First index in 0..n where `pred` turns false (pred must be true-then-false).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen_n(n: usize) -> Generator {
        let user = ScaleUser {
            id: "u1".into(),
            upn: "Alice@contoso.com".into(),
            display_name: "Alice".into(),
        };
        Generator::new(n, user, "t".into(), "2026-11-20T12:00:00Z".parse().unwrap())
    }

    #[test]
    fn deterministic_ordered_and_in_window() {
        let g = gen_n(1_000_000);
        assert_eq!(g.item(123_456), g.item(123_456));
        let anchor = g.anchor_ms;
        for r in [0, 1, 2, 500_000, 999_998, 999_999] {
            assert!(g.ts_ms(r) >= g.ts_ms(r + 1).min(g.ts_ms(r)));
            assert!(g.ts_ms(r) <= anchor && g.ts_ms(r) >= anchor - SPAN_MS - 1000);
        }
        for r in 0..2000 {
            assert!(g.ts_ms(r) >= g.ts_ms(r + 1));
        }
        assert_eq!(g.rank_of(&g.id(777)), Some(777));
        assert_eq!(g.rank_of("5ca1ab1e-0000-4000-8000-ffffffffffff"), None);
    }

    #[test]
    fn variety_and_failures() {
        let g = gen_n(2000);
        let items: Vec<Value> = (0..2000).map(|r| g.item(r)).collect();
        let failures = items
            .iter()
            .filter(|v| v["status"]["errorCode"] != 0)
            .count();
        assert!((100..300).contains(&failures), "{failures}");
        let countries: std::collections::HashSet<_> = items
            .iter()
            .map(|v| v["location"]["countryOrRegion"].clone())
            .collect();
        assert!(countries.len() >= 4);
        assert_eq!(items[0]["userPrincipalName"], "alice@contoso.com");
    }

    #[test]
    fn bounds_by_binary_search() {
        let g = gen_n(5000);
        let upper = g.ts_ms(100);
        let i = g.first_at_or_before(upper);
        assert!(i <= 100 && g.ts_ms(i) <= upper);
        let lower = g.ts_ms(4000);
        let j = g.first_before(lower);
        assert!(j > 4000 && (j == 5000 || g.ts_ms(j) < lower));
    }
}
