//! Test builders for analysis tests: a fixed window and terse sign-in constructors.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::evidence::Evidence;
use crate::graph::models::{GeoCoordinates, SignIn, TenantText, User};
use crate::window::Window;

/// Window start: 2026-11-14 00:00 UTC; the window is 7 days long.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 14, 0, 0, 0).unwrap()
}

/// `day` days (may be negative: baseline) and `hour` hours after the window start.
pub fn t(day: i64, hour: i64) -> DateTime<Utc> {
    start() + Duration::days(day) + Duration::hours(hour)
}

/// Like [`t`] with minutes.
pub fn tm(day: i64, hour: i64, min: i64) -> DateTime<Utc> {
    t(day, hour) + Duration::minutes(min)
}

pub fn window() -> Window {
    Window {
        start: start(),
        end: start() + Duration::days(7),
    }
}

pub fn evidence() -> Evidence {
    let user = User {
        id: "u1".into(),
        display_name: TenantText::new("Alice Example"),
        user_principal_name: TenantText::new("alice@contoso.com"),
        ..Default::default()
    };
    Evidence::new(user, window())
}

/// A successful sign-in.
pub fn ok(id: &str, at: DateTime<Utc>, ip: &str, cc: &str) -> SignIn {
    let mut s = SignIn {
        id: id.into(),
        created_date_time: Some(at),
        user_id: "u1".into(),
        ip_address: TenantText::new(ip),
        ..Default::default()
    };
    s.client_app_used = TenantText::new("Browser");
    s.location.country_or_region = TenantText::new(cc);
    s
}

/// A failed sign-in with `code`.
pub fn fail(id: &str, at: DateTime<Utc>, ip: &str, cc: &str, code: i64) -> SignIn {
    let mut s = ok(id, at, ip, cc);
    s.status.error_code = code;
    s
}

/// Sets city and coordinates.
pub fn located(mut s: SignIn, name: &str, lat: f64, lon: f64) -> SignIn {
    s.location.city = TenantText::new(name);
    s.location.geo_coordinates = Some(GeoCoordinates {
        altitude: None,
        latitude: Some(lat),
        longitude: Some(lon),
    });
    s
}

/// Sets OS and browser.
pub fn device(mut s: SignIn, os: &str, browser: &str) -> SignIn {
    s.device_detail.operating_system = TenantText::new(os);
    s.device_detail.browser = TenantText::new(browser);
    s
}

/// `n` successful baseline sign-ins from Amsterdam (NL, 192.0.2.x), days before the window.
pub fn baseline_nl(n: usize) -> Vec<SignIn> {
    (0..n)
        .map(|i| {
            let s = ok(
                &format!("base{i}"),
                t(-20 + i as i64 % 19, 8 + (i as i64 % 9)),
                &format!("192.0.2.{}", 10 + i % 200),
                "NL",
            );
            device(
                located(s, "Amsterdam", 52.37, 4.90),
                "Windows 10",
                "Edge 120.0",
            )
        })
        .collect()
}
