//! `impossible_travel`: geo-velocity between consecutive successful sign-ins that carry
//! coordinates. Same network, a trusted/VPN range on either side, or two networks the user
//! already used before the window is not travel.

use super::baseline::{Baseline, country};
use super::geo::{duration_label, haversine_km, speed_label, thousands};
use super::net::{NetKey, trusted_label};
use super::{EvidenceRef, Finding, ObjectType, Severity, Thresholds, one_line, place};
use crate::graph::models::SignIn;
use crate::window::Window;

pub fn find(rows: &[&SignIn], window: &Window, base: &Baseline, cfg: &Thresholds) -> Vec<Finding> {
    let ranges = cfg.trusted_ranges();
    let located: Vec<(&SignIn, (f64, f64))> = rows
        .iter()
        .filter(|s| s.succeeded())
        .filter_map(|s| s.location.coordinates().map(|c| (*s, c)))
        .collect();
    let mut hops = Vec::new();
    for pair in located.windows(2) {
        let [(a, pa), (b, pb)] = pair else { continue };
        let (Some(ta), Some(tb)) = (a.created_date_time, b.created_date_time) else {
            continue;
        };
        if !window.contains(tb) {
            continue;
        }
        let (na, nb) = (
            NetKey::of(a.ip_address.raw()),
            NetKey::of(b.ip_address.raw()),
        );
        let same_asn = a.autonomous_system_number.is_some()
            && a.autonomous_system_number == b.autonomous_system_number;
        if (na.is_some() && na == nb)
            || same_asn
            || trusted_label(a.ip_address.raw(), &ranges).is_some()
            || trusted_label(b.ip_address.raw(), &ranges).is_some()
            || (base.knew_before(a) && base.knew_before(b))
        {
            continue;
        }
        let km = haversine_km(*pa, *pb);
        if km < cfg.travel_min_distance_km {
            continue;
        }
        let secs = (tb - ta).num_seconds().max(0);
        let kmh = if secs == 0 {
            f64::INFINITY
        } else {
            km / (secs as f64 / 3600.0)
        };
        if kmh <= cfg.travel_speed_kmh {
            continue;
        }
        hops.push(Hop {
            a,
            b,
            km,
            secs,
            kmh,
        });
    }
    group(hops, base)
}

/// One too-fast move between two consecutive sign-ins.
struct Hop<'a> {
    a: &'a SignIn,
    b: &'a SignIn,
    km: f64,
    secs: i64,
    kmh: f64,
}

/// One finding per pair of places: a replayed token alternating with the real user makes
/// dozens of hops between the same two places, and the analyst needs one line, not forty.
/// In each hop the side the user's baseline does not know is flagged (the foreign sign-in,
/// even when it came first); when both or neither are known, the later one is.
fn group(hops: Vec<Hop<'_>>, base: &Baseline) -> Vec<Finding> {
    let familiar = |s: &SignIn| base.countries.contains(&country(s)) || base.knows_network(s);
    let mut order: Vec<(String, String)> = Vec::new();
    let mut groups: std::collections::HashMap<(String, String), Vec<Hop<'_>>> =
        std::collections::HashMap::new();
    for h in hops {
        let (pa, pb) = (place(h.a), place(h.b));
        let key = if pa <= pb { (pa, pb) } else { (pb, pa) };
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(h);
    }
    let mut out = Vec::new();
    for key in order {
        let Some(hops) = groups.remove(&key) else {
            continue;
        };
        let Some(first) = hops.first() else { continue };
        let fastest = hops.iter().map(|h| h.kmh).fold(0.0_f64, f64::max);
        let mut summary = format!(
            "{} → {}: {} km in {} ({})",
            place(first.a),
            place(first.b),
            thousands(first.km.round() as u64),
            duration_label(first.secs / 60),
            speed_label(first.kmh)
        );
        if hops.len() > 1 {
            summary.push_str(&format!(
                " — {} hops between these places, fastest {}",
                hops.len(),
                speed_label(fastest)
            ));
        }
        let mut evidence: Vec<EvidenceRef> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut at = None;
        for h in &hops {
            let (ctx, flag) = if familiar(h.b) && !familiar(h.a) {
                (h.b, h.a)
            } else {
                (h.a, h.b)
            };
            if at.is_none() {
                at = flag.created_date_time;
            }
            push_ref(
                &mut evidence,
                &mut index,
                EvidenceRef::context(ObjectType::SignIn, ctx.id.clone()),
            );
            push_ref(
                &mut evidence,
                &mut index,
                EvidenceRef::flagged(ObjectType::SignIn, flag.id.clone()),
            );
        }
        out.push(Finding {
            indicator: "impossible_travel",
            severity: Severity::High,
            summary: one_line(summary),
            evidence,
            at,
        });
    }
    out
}

/// Adds `r` once; a row flagged in any hop stays flagged.
/// Adds `r` once per id (`index`: id → position in `list`, so a group of many hops stays
/// linear); a flagged mention wins over context.
fn push_ref(
    list: &mut Vec<EvidenceRef>,
    index: &mut std::collections::HashMap<String, usize>,
    r: EvidenceRef,
) {
    match index.get(&r.id) {
        Some(&i) => {
            if r.role == super::Role::Flagged {
                list[i].role = super::Role::Flagged;
            }
        }
        None => {
            index.insert(r.id.clone(), list.len());
            list.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Role, VpnEgress, analyse};
    use super::*;
    use crate::evidence::Evidence;

    fn travel(ev: &Evidence, cfg: &Thresholds) -> Vec<Finding> {
        analyse(ev, cfg)
            .findings
            .into_iter()
            .filter(|f| f.indicator == "impossible_travel")
            .collect()
    }

    fn ams(id: &str, h: i64, m: i64) -> SignIn {
        located(
            ok(id, tm(1, h, m), "192.0.2.10", "NL"),
            "Amsterdam",
            52.37,
            4.90,
        )
    }

    #[test]
    fn amsterdam_to_lagos_in_41_minutes() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            ams("a", 9, 0),
            located(
                ok("b", tm(1, 9, 41), "203.0.113.7", "NG"),
                "Lagos",
                6.45,
                3.39,
            ),
        ];
        let f = travel(&ev, &Thresholds::default());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].evidence[0].id, "a");
        assert_eq!(f[0].evidence[0].role, Role::Context);
        assert_eq!(f[0].evidence[1].id, "b");
        assert_eq!(f[0].evidence[1].role, Role::Flagged);
        assert!(
            f[0].summary.starts_with("Amsterdam, NL → Lagos, NG: 5,"),
            "{}",
            f[0].summary
        );
        assert!(f[0].summary.contains("in 41 min (7,"), "{}", f[0].summary);
    }

    #[test]
    fn a_plausible_flight_is_not_travel() {
        let mut ev = evidence();
        // Amsterdam → New York (5,850 km) in 9 hours: 650 km/h.
        ev.sign_ins = vec![
            ams("a", 8, 0),
            located(
                ok("b", tm(1, 17, 0), "198.51.100.7", "US"),
                "New York",
                40.71,
                -74.0,
            ),
        ];
        assert!(travel(&ev, &Thresholds::default()).is_empty());
    }

    #[test]
    fn short_hops_same_network_failures_and_missing_coordinates_are_not_travel() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            ams("a", 9, 0),
            // 57 km in 1 min: below the minimum distance.
            located(
                ok("b", tm(1, 9, 1), "203.0.113.1", "NL"),
                "Rotterdam",
                51.92,
                4.48,
            ),
            // Same /24 as b, far away (geo-IP noise).
            located(
                ok("c", tm(1, 9, 2), "203.0.113.2", "US"),
                "Dallas",
                32.8,
                -96.8,
            ),
            // A failure far away is not travel.
            located(
                fail("d", tm(1, 9, 3), "100.64.0.1", "JP", 50126),
                "Tokyo",
                35.7,
                139.7,
            ),
            // No coordinates: skipped, not compared.
            ok("e", tm(1, 9, 4), "100.65.0.1", "AU"),
        ];
        assert!(travel(&ev, &Thresholds::default()).is_empty());
    }

    #[test]
    fn vpn_on_either_side_is_not_travel() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            ams("a", 9, 0),
            located(
                ok("b", tm(1, 9, 20), "198.51.100.7", "US"),
                "Ashburn",
                39.04,
                -77.49,
            ),
        ];
        assert_eq!(travel(&ev, &Thresholds::default()).len(), 1);
        let cfg = Thresholds {
            vpn_egresses: vec![VpnEgress {
                name: "Corp VPN".into(),
                cidr: "198.51.100.0/24".into(),
            }],
            ..Thresholds::default()
        };
        assert!(travel(&ev, &cfg).is_empty());
    }

    #[test]
    fn switching_between_two_baseline_networks_is_not_travel() {
        let mut ev = evidence();
        ev.sign_ins = baseline_nl(10);
        ev.sign_ins.push(located(
            ok("vpn-old", t(-2, 9), "198.51.100.7", "US"),
            "Ashburn",
            39.04,
            -77.49,
        ));
        ev.sign_ins.push(ams("a", 9, 0));
        ev.sign_ins.push(located(
            ok("b", tm(1, 9, 20), "198.51.100.8", "US"),
            "Ashburn",
            39.04,
            -77.49,
        ));
        assert!(travel(&ev, &Thresholds::default()).is_empty());
    }

    #[test]
    fn a_thin_history_does_not_excuse_travel() {
        let mut ev = evidence();
        let lagos = |id: &str, h, m| {
            located(
                ok(id, tm(1, h, m), "203.0.113.7", "NG"),
                "Lagos",
                6.45,
                3.39,
            )
        };
        // Window only: the top-up takes "a" and "x", the attacker's first sign-in.
        ev.sign_ins = vec![
            ams("a", 9, 0),
            lagos("x", 9, 41),
            ams("y", 10, 30),
            lagos("z", 11, 0),
        ];
        let f = travel(&ev, &Thresholds::default());
        assert_eq!(f.len(), 1, "one finding for the Amsterdam–Lagos pair");
        assert!(f[0].summary.contains("3 hops"), "{}", f[0].summary);
        let flagged: Vec<_> = f[0]
            .evidence
            .iter()
            .filter(|e| e.role == Role::Flagged)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(flagged, vec!["x", "y", "z"]);
    }

    #[test]
    fn the_foreign_side_is_flagged_even_when_it_comes_first() {
        let mut ev = evidence();
        ev.sign_ins = baseline_nl(12);
        ev.sign_ins.push(located(
            ok("x", tm(1, 9, 0), "203.0.113.7", "NG"),
            "Lagos",
            6.45,
            3.39,
        ));
        ev.sign_ins.push(ams("home", 9, 30));
        let f = travel(&ev, &Thresholds::default());
        assert_eq!(f.len(), 1);
        let flagged: Vec<_> = f[0]
            .evidence
            .iter()
            .filter(|e| e.role == Role::Flagged)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(flagged, vec!["x"]);
    }

    #[test]
    fn pairs_before_the_window_are_not_reported() {
        let mut ev = evidence();
        ev.sign_ins = vec![
            located(
                ok("a", t(-3, 9), "192.0.2.10", "NL"),
                "Amsterdam",
                52.37,
                4.90,
            ),
            located(
                ok("b", tm(-3, 9, 30), "203.0.113.7", "NG"),
                "Lagos",
                6.45,
                3.39,
            ),
        ];
        assert!(travel(&ev, &Thresholds::default()).is_empty());
    }
}
