//! The user's own baseline: what their successful sign-ins looked like before the window
//! (countries, cities, networks, ASNs, device combinations). A thin history is topped up with
//! the earliest successful sign-ins of the window, which are then never flagged themselves.

use std::collections::HashSet;

use super::Thresholds;
use super::net::NetKey;
use crate::graph::models::SignIn;
use crate::window::Window;

/// What is familiar for this user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baseline {
    /// Ids of the sign-ins the baseline was made of.
    pub ids: HashSet<String>,
    /// How many of those came from inside the window (top-up of a thin history).
    pub topped_up: usize,
    /// Fewer than `min_baseline` sign-ins before the window: too thin to judge cities,
    /// networks and devices (countries are still judged).
    pub thin: bool,
    /// Upper-case country codes.
    pub countries: HashSet<String>,
    /// (upper-case country, lower-case city).
    pub cities: HashSet<(String, String)>,
    /// (network, upper-case country): a network is familiar where it was seen — the same
    /// /24 geolocated elsewhere (a hosting range shared with a hotel) is not.
    pub networks: HashSet<(NetKey, String)>,
    /// Networks seen before the window only (not from the top-up).
    pub prior_networks: HashSet<(NetKey, String)>,
    /// ASNs seen before the window only.
    pub prior_asns: HashSet<i64>,
    pub asns: HashSet<i64>,
    /// (operating system, browser), versions stripped, lower-case.
    pub devices: HashSet<(String, String)>,
    /// Entra device ids (lower-case) the user signed in from.
    pub device_ids: HashSet<String>,
}

impl Baseline {
    /// Builds the baseline from `rows` (oldest first, see `analysis::all_sign_ins`).
    pub fn build(rows: &[&SignIn], window: &Window, cfg: &Thresholds) -> Self {
        let mut b = Self::default();
        let mut before = 0usize;
        for s in rows.iter().filter(|s| s.succeeded()) {
            if s.created_date_time.is_some_and(|t| t < window.start) {
                b.add(s);
                before += 1;
                if let Some(n) = net(s) {
                    b.prior_networks.insert(n);
                }
                if let Some(a) = s.autonomous_system_number {
                    b.prior_asns.insert(a);
                }
            }
        }
        b.thin = before < cfg.min_baseline;
        if b.thin {
            let inside: Vec<&&SignIn> = rows
                .iter()
                .filter(|s| {
                    s.succeeded() && s.created_date_time.is_some_and(|t| window.contains(t))
                })
                .collect();
            let take = (cfg.min_baseline - before).min(inside.len() / 2);
            for s in inside.into_iter().take(take) {
                b.add(s);
                b.topped_up += 1;
            }
        }
        b
    }

    fn add(&mut self, s: &SignIn) {
        self.ids.insert(s.id.to_string());
        let cc = country(s);
        if !cc.is_empty() {
            let c = city(s);
            if !c.is_empty() {
                self.cities.insert((cc.clone(), c));
            }
            self.countries.insert(cc);
        }
        if let Some(n) = net(s) {
            self.networks.insert(n);
        }
        if let Some(a) = s.autonomous_system_number {
            self.asns.insert(a);
        }
        if let Some(d) = device_key(s) {
            self.devices.insert(d);
        }
        let id = s.device_detail.device_id.raw().trim().to_ascii_lowercase();
        if !id.is_empty() {
            self.device_ids.insert(id);
        }
    }

    /// Number of sign-ins in the baseline.
    pub fn size(&self) -> usize {
        self.ids.len()
    }

    /// Whether `s` is one of the baseline rows (never flagged for familiarity).
    pub fn contains(&self, s: &SignIn) -> bool {
        self.ids.contains(s.id.as_str())
    }

    /// Whether the network of `s` (its /24 or /48, or its ASN when known) is familiar.
    pub fn knows_network(&self, s: &SignIn) -> bool {
        net(s).is_some_and(|n| self.networks.contains(&n))
            || s.autonomous_system_number
                .is_some_and(|a| self.asns.contains(&a))
    }
}

impl Baseline {
    /// Whether the network of `s` was already used before the window (the top-up of a thin
    /// history does not count: it may hold the attacker's first sign-ins).
    pub fn knew_before(&self, s: &SignIn) -> bool {
        net(s).is_some_and(|n| self.prior_networks.contains(&n))
            || s.autonomous_system_number
                .is_some_and(|a| self.prior_asns.contains(&a))
    }
}

/// The sign-in's network together with the country it geolocates to.
fn net(s: &SignIn) -> Option<(NetKey, String)> {
    NetKey::of(s.ip_address.raw()).map(|n| (n, country(s)))
}

/// Upper-case, trimmed country code of a sign-in.
pub fn country(s: &SignIn) -> String {
    s.location
        .country_or_region
        .raw()
        .trim()
        .to_ascii_uppercase()
}

/// Lower-case, trimmed city of a sign-in.
pub fn city(s: &SignIn) -> String {
    s.location.city.raw().trim().to_lowercase()
}

/// (OS, browser) with versions removed: `Windows 10`/`Edge 120.0` → (`windows`, `edge`).
pub fn device_key(s: &SignIn) -> Option<(String, String)> {
    let strip = |v: &str| {
        v.split_whitespace()
            .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let os = strip(s.device_detail.operating_system.raw());
    let br = strip(s.device_detail.browser.raw());
    (!os.is_empty() || !br.is_empty()).then_some((os, br))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn baseline_from_history() {
        let rows = baseline_nl(12);
        let refs: Vec<&SignIn> = rows.iter().collect();
        let b = Baseline::build(&refs, &window(), &Thresholds::default());
        assert_eq!(b.size(), 12);
        assert_eq!(b.topped_up, 0);
        assert!(!b.thin);
        assert!(b.countries.contains("NL"));
        assert!(b.cities.contains(&("NL".into(), "amsterdam".into())));
        assert!(b.devices.contains(&("windows".into(), "edge".into())));
    }

    #[test]
    fn thin_history_is_topped_up_with_at_most_half_the_window() {
        let mut rows = baseline_nl(2);
        for i in 0..6 {
            rows.push(ok(&format!("w{i}"), t(1, i), "198.51.100.1", "DE"));
        }
        rows.push(fail("f", t(0, 1), "203.0.113.1", "NG", 50126));
        let refs: Vec<&SignIn> = rows.iter().collect();
        let b = Baseline::build(&refs, &window(), &Thresholds::default());
        // needs 8 more, but only half of the 6 window successes may be used
        assert_eq!(b.topped_up, 3);
        assert!(b.thin);
        assert!(b.ids.contains("w0") && b.ids.contains("w2") && !b.ids.contains("w3"));
        assert!(
            !b.countries.contains("NG"),
            "failures never enter the baseline"
        );
        assert!(b.countries.contains("DE"));
    }

    #[test]
    fn device_keys_ignore_versions() {
        let a = device(ok("a", t(0, 0), "", ""), "Windows 10", "Chrome 120.0.1");
        let b = device(ok("b", t(0, 0), "", ""), "Windows 11", "Chrome 121");
        assert_eq!(device_key(&a), device_key(&b));
        let c = device(ok("c", t(0, 0), "", ""), "Linux", "Firefox 115");
        assert_ne!(device_key(&a), device_key(&c));
        assert_eq!(device_key(&ok("d", t(0, 0), "", "")), None);
    }
}
