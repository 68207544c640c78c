//! Tests of the familiarity indicators.
use super::super::testkit::*;
use super::super::{Role, Thresholds, VpnEgress, analyse};
use super::*;

fn ids(f: &Finding) -> Vec<&str> {
    f.evidence.iter().map(|e| e.id.as_str()).collect()
}

fn only(ev: &Evidence, cfg: &Thresholds, indicator: &str) -> Vec<Finding> {
    analyse(ev, cfg)
        .findings
        .into_iter()
        .filter(|f| f.indicator == indicator)
        .collect()
}

#[test]
fn new_country_is_flagged_once_with_all_its_rows() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(ok("home", t(1, 9), "192.0.2.50", "NL"));
    ev.sign_ins.push(ok("ng1", t(2, 9), "203.0.113.7", "NG"));
    ev.sign_ins.push(ok("ng2", t(2, 10), "203.0.113.9", "NG"));
    ev.sign_ins
        .push(fail("ngf", t(2, 8), "203.0.113.7", "NG", 50126));
    let f = only(&ev, &Thresholds::default(), "unfamiliar_country");
    assert_eq!(f.len(), 1);
    assert_eq!(ids(&f[0]), vec!["ng1", "ng2"]);
    assert!(f[0].evidence.iter().all(|e| e.role == Role::Flagged));
    assert_eq!(f[0].severity, Severity::Medium);
    assert!(f[0].summary.contains("country NG"), "{}", f[0].summary);
    assert_eq!(f[0].at, Some(t(2, 9)));
    // A known /24 that now geolocates to a new country is judged where it is: a hosting range
    // can share a /24 with a hotel the user once stayed at.
    ev.sign_ins
        .push(ok("nl-net-abroad", t(3, 9), "192.0.2.77", "BE"));
    let f = only(&ev, &Thresholds::default(), "unfamiliar_country");
    assert_eq!(f.len(), 2);
}

#[test]
fn trusted_country_and_vpn_egress_are_never_flagged() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(ok("us", t(2, 9), "198.51.100.4", "US"));
    ev.sign_ins.push(ok("de", t(2, 9), "100.64.1.1", "DE"));
    let cfg = Thresholds {
        trusted_countries: vec!["de".into()],
        vpn_egresses: vec![VpnEgress {
            name: "Corp VPN Ashburn".into(),
            cidr: "198.51.100.0/24".into(),
        }],
        ..Thresholds::default()
    };
    assert!(only(&ev, &cfg, "unfamiliar_country").is_empty());
    assert_eq!(
        only(&ev, &Thresholds::default(), "unfamiliar_country").len(),
        2
    );
}

#[test]
fn vpn_egress_abroad_used_in_baseline_is_familiar() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(10);
    ev.sign_ins
        .push(ok("vpn-old", t(-3, 9), "198.51.100.4", "US"));
    ev.sign_ins
        .push(ok("vpn-new", t(2, 9), "198.51.100.99", "US"));
    let an = analyse(&ev, &Thresholds::default());
    assert!(
        an.findings
            .iter()
            .all(|f| !f.indicator.starts_with("unfamiliar")),
        "{:?}",
        an.findings
    );
}

#[test]
fn thin_baseline_rows_are_not_flagged_but_first_ever_country_is() {
    let mut ev = evidence();
    ev.sign_ins = vec![
        ok("w1", t(0, 9), "192.0.2.1", "NL"),
        ok("w2", t(0, 10), "192.0.2.1", "NL"),
        ok("w3", t(1, 10), "203.0.113.1", "NG"),
        ok("w4", t(1, 11), "203.0.113.1", "NG"),
    ];
    let f = only(&ev, &Thresholds::default(), "unfamiliar_country");
    assert_eq!(f.len(), 1);
    assert_eq!(ids(&f[0]), vec!["w3", "w4"]);
    // With no history and a single sign-in, it is first-ever: flagged.
    ev.sign_ins = vec![ok("solo", t(0, 9), "192.0.2.1", "NL")];
    assert_eq!(
        only(&ev, &Thresholds::default(), "unfamiliar_country").len(),
        1
    );
}

#[test]
fn city_asn_and_ip_in_familiar_country() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(located(
        ok("rtm", t(1, 9), "203.0.113.5", "NL"),
        "Rotterdam",
        51.9,
        4.5,
    ));
    ev.sign_ins.push(located(
        ok("ams-new-net", t(1, 10), "198.51.100.5", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    let an = analyse(&ev, &Thresholds::default());
    let by = |i: &str| {
        an.findings
            .iter()
            .filter(|f| f.indicator == i)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(by("unfamiliar_city")[0]), vec!["rtm"]);
    assert_eq!(by("unfamiliar_city")[0].severity, Severity::Low);
    assert_eq!(ids(by("unfamiliar_ip")[0]), vec!["ams-new-net"]);
    assert!(
        by("unfamiliar_asn").is_empty(),
        "no ASN data, no ASN finding"
    );
}

#[test]
fn asn_replaces_prefix_when_present() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    for s in &mut ev.sign_ins {
        s.autonomous_system_number = Some(1136);
    }
    let mut same_asn = located(
        ok("same", t(1, 9), "198.51.100.5", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    );
    same_asn.autonomous_system_number = Some(1136);
    let mut new_asn = located(
        ok("new", t(1, 10), "198.51.101.5", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    );
    new_asn.autonomous_system_number = Some(64500);
    ev.sign_ins.extend([same_asn, new_asn]);
    let an = analyse(&ev, &Thresholds::default());
    let asn: Vec<_> = an
        .findings
        .iter()
        .filter(|f| f.indicator == "unfamiliar_asn")
        .collect();
    assert_eq!(asn.len(), 1);
    assert_eq!(ids(asn[0]), vec!["new"]);
    assert!(asn[0].summary.contains("AS64500"));
    assert!(an.findings.iter().all(|f| f.indicator != "unfamiliar_ip"));
}

#[test]
fn mobile_address_change_inside_the_same_48_is_familiar() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(located(
        ok("v6a", t(-1, 9), "2001:db8:aa:1::5", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    ev.sign_ins.push(located(
        ok("v6b", t(1, 9), "2001:db8:aa:ff::9", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    assert!(only(&ev, &Thresholds::default(), "unfamiliar_ip").is_empty());
    ev.sign_ins.push(located(
        ok("v6c", t(1, 10), "2001:db8:bb::9", "NL"),
        "Amsterdam",
        52.37,
        4.9,
    ));
    assert_eq!(
        ids(&only(&ev, &Thresholds::default(), "unfamiliar_ip")[0]),
        vec!["v6c"]
    );
}

#[test]
fn new_device_combination() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12);
    ev.sign_ins.push(device(
        ok("same", t(1, 9), "192.0.2.9", "NL"),
        "Windows 11",
        "Edge 121",
    ));
    ev.sign_ins.push(device(
        ok("lin", t(1, 10), "192.0.2.9", "NL"),
        "Linux",
        "Firefox 115",
    ));
    ev.sign_ins.push(device(
        fail("linf", t(1, 8), "192.0.2.9", "NL", 50126),
        "Linux",
        "Python",
    ));
    let f = only(&ev, &Thresholds::default(), "new_device");
    assert_eq!(f.len(), 1);
    assert_eq!(ids(&f[0]), vec!["lin"]);
    assert!(
        f[0].summary.contains("Linux / Firefox 115"),
        "{}",
        f[0].summary
    );
}

#[test]
fn distinct_caps_at_three() {
    let v = ["a", "b", "a", "c", "d", "e"].iter().map(|s| s.to_string());
    assert_eq!(distinct(v), "a, b, c +2 more");
}

#[test]
fn a_trip_on_the_users_own_device_is_not_unfamiliar() {
    let mut ev = evidence();
    ev.sign_ins = baseline_nl(12)
        .into_iter()
        .map(|s| {
            located(
                device(s, "Windows 10", "Edge 131.0"),
                "Amsterdam",
                52.37,
                4.90,
            )
        })
        .collect();
    // Amsterdam 07:00 → Toronto 18:00: 6,000 km in 11 h on her own laptop.
    ev.sign_ins.push(located(
        device(
            ok("home", t(1, 7), "192.0.2.50", "NL"),
            "Windows 10",
            "Edge 131.0",
        ),
        "Amsterdam",
        52.37,
        4.90,
    ));
    ev.sign_ins.push(located(
        device(
            ok("toronto", t(1, 18), "198.51.100.9", "CA"),
            "Windows 10",
            "Edge 131.2",
        ),
        "Toronto",
        43.65,
        -79.38,
    ));
    assert!(only(&ev, &Thresholds::default(), "unfamiliar_country").is_empty());
    // The same trip on a device never seen before is an unfamiliar country.
    ev.sign_ins.push(located(
        device(
            ok("toronto-linux", t(1, 19), "198.51.100.10", "CA"),
            "Linux",
            "Chrome 131",
        ),
        "Toronto",
        43.65,
        -79.38,
    ));
    let f = only(&ev, &Thresholds::default(), "unfamiliar_country");
    assert_eq!(f.len(), 1);
    assert_eq!(ids(&f[0]), vec!["toronto-linux"]);
}
