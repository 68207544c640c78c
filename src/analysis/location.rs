//! Familiarity indicators against the user's own baseline: `unfamiliar_country`,
//! `unfamiliar_city`, `unfamiliar_asn`, `unfamiliar_ip` (each successful sign-in gets at most
//! the strongest of these) and `new_device`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::baseline::{Baseline, city, country, device_key};
use super::net::{NetKey, trusted_label};
use super::{EvidenceRef, Finding, ObjectType, Severity, Thresholds, one_line, when};
use crate::evidence::Evidence;
use crate::graph::models::SignIn;

/// Which familiarity indicator a row earns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Country(String),
    City(String, String),
    Asn(i64),
    Net(NetKey),
}

pub fn find(rows: &[&SignIn], ev: &Evidence, base: &Baseline, cfg: &Thresholds) -> Vec<Finding> {
    let ranges = cfg.trusted_ranges();
    let candidates: Vec<&SignIn> = rows
        .iter()
        .copied()
        .filter(|s| s.succeeded() && !base.contains(s))
        .filter(|s| s.created_date_time.is_some_and(|t| ev.window.contains(t)))
        .collect();

    let fixes = Fixes::of(rows);
    let mut groups: BTreeMap<Key, Vec<&SignIn>> = BTreeMap::new();
    for s in &candidates {
        if trusted_label(s.ip_address.raw(), &ranges).is_some() || base.knows_network(s) {
            continue;
        }
        let cc = country(s);
        if cfg.is_trusted_country(&cc) || journey(s, &fixes, base, cfg) {
            continue;
        }
        let c = city(s);
        let key = if !cc.is_empty() && !base.countries.contains(&cc) {
            Key::Country(cc)
        } else if base.thin {
            // A thin history says little about cities, networks or devices.
            continue;
        } else if !cc.is_empty() && !c.is_empty() && !base.cities.contains(&(cc.clone(), c.clone()))
        {
            Key::City(cc, c)
        } else if let Some(asn) = s.autonomous_system_number.filter(|_| !base.asns.is_empty()) {
            Key::Asn(asn)
        } else if let Some(n) = NetKey::of(s.ip_address.raw()) {
            Key::Net(n)
        } else {
            continue;
        };
        groups.entry(key).or_default().push(s);
    }

    let mut out: Vec<Finding> = groups
        .into_iter()
        .map(|(key, rows)| location_finding(&key, &rows, base))
        .collect();
    out.extend(new_devices(&candidates, base));
    out
}

/// A trip, not an intruder: the user's own device (its Entra device id, or an OS and browser
/// from the baseline), no risk raised by Entra, and a place reachable from the previous
/// successful sign-in at a plausible speed. Such a row earns no familiarity finding (an
/// attacker on the same OS and browser who waits long enough is caught by the other
/// indicators: risk, new methods, grants, rules).
fn journey(s: &SignIn, fixes: &Fixes<'_>, base: &Baseline, cfg: &Thresholds) -> bool {
    let id = s.device_detail.device_id.raw().trim().to_ascii_lowercase();
    let known_device = (!id.is_empty() && base.device_ids.contains(&id))
        || device_key(s).is_some_and(|d| base.devices.contains(&d));
    let quiet = s.risk().rank() < 2
        && !matches!(
            s.risk_state,
            crate::graph::models::RiskState::AtRisk
                | crate::graph::models::RiskState::ConfirmedCompromised
        );
    if !known_device || !quiet {
        return false;
    }
    let (Some(t), Some(here)) = (s.created_date_time, s.location.coordinates()) else {
        return false;
    };
    let Some((pt, there)) = fixes.previous(s, t) else {
        return false;
    };
    let km = super::geo::haversine_km(there, here);
    let hours = (t - pt).num_seconds().max(1) as f64 / 3600.0;
    km / hours <= cfg.travel_speed_kmh
}

/// The successful sign-ins with a time and coordinates, oldest first (ties in the order of
/// `rows`), so `journey` finds the previous one by binary search instead of a pass over all
/// rows per candidate (quadratic with a million sign-ins).
struct Fixes<'a>(Vec<(DateTime<Utc>, (f64, f64), &'a SignIn)>);

impl<'a> Fixes<'a> {
    fn of(rows: &[&'a SignIn]) -> Self {
        let mut v: Vec<_> = rows
            .iter()
            .filter(|p| p.succeeded())
            .filter_map(|p| Some((p.created_date_time?, p.location.coordinates()?, *p)))
            .collect();
        v.sort_by_key(|f| f.0);
        Self(v)
    }

    /// The latest fix at or before `t` other than `s` itself (the last in `rows` order among
    /// equal times).
    fn previous(&self, s: &SignIn, t: DateTime<Utc>) -> Option<(DateTime<Utc>, (f64, f64))> {
        let end = self.0.partition_point(|f| f.0 <= t);
        self.0[..end]
            .iter()
            .rev()
            .find(|f| !std::ptr::eq(f.2, s))
            .map(|f| (f.0, f.1))
    }
}

fn location_finding(key: &Key, rows: &[&SignIn], base: &Baseline) -> Finding {
    let first = rows.first().and_then(|s| s.created_date_time);
    let (indicator, severity, what) = match key {
        Key::Country(cc) => (
            "unfamiliar_country",
            Severity::Medium,
            format!("country {cc}"),
        ),
        Key::City(_, _) => (
            "unfamiliar_city",
            Severity::Low,
            format!(
                "city {}",
                rows.first().map(|s| super::place(s)).unwrap_or_default()
            ),
        ),
        Key::Asn(a) => ("unfamiliar_asn", Severity::Low, format!("network AS{a}")),
        Key::Net(n) => (
            "unfamiliar_ip",
            Severity::Low,
            format!("network {}", n.label()),
        ),
    };
    let mut detail = Vec::new();
    if matches!(key, Key::Country(_)) {
        let cities = distinct(rows.iter().map(|s| s.location.city.raw().trim().to_owned()));
        if !cities.is_empty() {
            detail.push(cities);
        }
    }
    detail.push(distinct(
        rows.iter().map(|s| s.ip_address.raw().trim().to_owned()),
    ));
    let n = rows.len();
    let summary = format!(
        "Unfamiliar {what}: {n} successful sign-in{} ({}), first {} — not in the baseline of {} sign-in{}",
        plural(n),
        detail.join("; "),
        when(first),
        base.size(),
        plural(base.size()),
    );
    Finding {
        indicator,
        severity,
        summary: one_line(summary),
        evidence: rows
            .iter()
            .map(|s| EvidenceRef::flagged(ObjectType::SignIn, s.id.clone()))
            .collect(),
        at: first,
    }
}

fn new_devices(candidates: &[&SignIn], base: &Baseline) -> Vec<Finding> {
    if base.thin || base.devices.is_empty() {
        return Vec::new();
    }
    let mut groups: BTreeMap<(String, String), Vec<&SignIn>> = BTreeMap::new();
    for s in candidates {
        if let Some(k) = device_key(s).filter(|k| !base.devices.contains(k)) {
            groups.entry(k).or_default().push(s);
        }
    }
    groups
        .into_values()
        .map(|rows| {
            let first = rows.first().and_then(|s| s.created_date_time);
            let label = rows.first().map_or_else(String::new, |s| {
                format!(
                    "{} / {}",
                    or_unknown(s.device_detail.operating_system.raw()),
                    or_unknown(s.device_detail.browser.raw())
                )
            });
            let n = rows.len();
            Finding {
                indicator: "new_device",
                severity: Severity::Low,
                summary: one_line(format!(
                    "New device {label}: {n} successful sign-in{} ({}), first {} — never seen in the baseline",
                    plural(n),
                    distinct(rows.iter().map(|s| super::place(s))),
                    when(first)
                )),
                evidence: rows
                    .iter()
                    .map(|s| EvidenceRef::flagged(ObjectType::SignIn, s.id.clone()))
                    .collect(),
                at: first,
            }
        })
        .collect()
}

fn or_unknown(s: &str) -> &str {
    let s = s.trim();
    if s.is_empty() { "unknown" } else { s }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Up to three distinct non-empty values, comma-separated, with "+N more".
pub(crate) fn distinct(values: impl Iterator<Item = String>) -> String {
    // The first three distinct values in order, and how many distinct values in all (a set,
    // not a scan: a million sign-ins can carry hundreds of thousands of addresses).
    let mut set: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut seen: Vec<String> = Vec::new();
    for v in values.filter(|v| !v.is_empty()) {
        if seen.len() < 3 && !set.contains(&v) {
            seen.push(v.clone());
        }
        set.insert(v);
    }
    let more = set.len().saturating_sub(3);
    let mut s = seen.join(", ");
    if more > 0 {
        s.push_str(&format!(" +{more} more"));
    }
    s
}

#[cfg(test)]
mod tests;
