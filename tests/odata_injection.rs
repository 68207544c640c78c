//! Injection through input: arbitrary strings as user ids, UPNs and IP addresses, passed to the
//! typed reads' path builders (`user_path`, `sign_ins_path`, `sign_ins_from_ip_path`,
//! `risk_detections_path`, `directory_audits_path`), can never change the meaning of the path
//! or the `$filter`. Each URL is parsed as a client would send it; the path must keep its
//! segment count, the query its parameters, and the filter — with every string literal
//! replaced by a placeholder — must equal the filter built from a harmless input, while each
//! literal decodes back to exactly the input.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use url::Url;

use entra_triage::graph::api::{
    directory_audits_path, risk_detections_path, sign_ins_from_ip_path, sign_ins_path, user_path,
};
use entra_triage::graph::odata::unquote;

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
}

/// The URL a client would request for `path` (version root of a Graph host).
fn url(path: &str) -> Url {
    let u = Url::parse(&format!("https://graph.microsoft.com/v1.0{path}")).unwrap();
    assert_eq!(u.host_str(), Some("graph.microsoft.com"), "{path}");
    assert!(u.fragment().is_none(), "{path}");
    u
}

fn segments(u: &Url) -> Vec<String> {
    u.path_segments().unwrap().map(str::to_owned).collect()
}

/// Query parameters, decoded.
fn params(u: &Url) -> Vec<(String, String)> {
    u.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Replaces each OData string literal of `filter` with `'?'`; returns the skeleton and the
/// literals' decoded values. Panics on an unterminated literal.
fn literals(filter: &str) -> (String, Vec<String>) {
    let mut skeleton = String::new();
    let mut found = Vec::new();
    let chars: Vec<char> = filter.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\'' {
            skeleton.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            assert!(i < chars.len(), "unterminated literal in {filter:?}");
            if chars[i] == '\'' {
                if chars.get(i + 1) == Some(&'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        let lit: String = chars[start..=i].iter().collect();
        found.push(unquote(&lit).expect("a literal"));
        skeleton.push_str("'?'");
        i += 1;
    }
    (skeleton, found)
}

/// The filter of a collection read, checked against the same read for `benign`.
fn check_filter(path: &str, benign: &str, expected_literal: &str, expected_segments: usize) {
    let (u, b) = (url(path), url(benign));
    assert_eq!(segments(&u), segments(&b), "{path}");
    assert_eq!(segments(&u).len(), expected_segments, "{path}");
    let (p, q) = (params(&u), params(&b));
    let keys = |v: &[(String, String)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&p), keys(&q), "{path}");
    let (skeleton, lits) = literals(&p[0].1);
    let (benign_skeleton, benign_lits) = literals(&q[0].1);
    assert_eq!(skeleton, benign_skeleton, "{path}");
    assert_eq!(lits.len(), benign_lits.len());
    let placeholder = |b: &str| ["x", "x@y", "192.0.2.1"].contains(&b);
    for (l, b) in lits.iter().zip(&benign_lits) {
        if placeholder(b) {
            assert_eq!(l, expected_literal, "{path}");
        } else {
            assert_eq!(l, b, "{path}");
        }
    }
    assert!(benign_lits.iter().any(|b| placeholder(b)), "{benign}");
    assert_eq!(p[1..], q[1..], "{path}");
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[' &#?=/\\\\%+@$().a-z0-9 \u{0}-\u{1f}]{0,40}",
        Just("x' or 1 eq 1 or userId eq 'y".to_owned()),
        Just("') or true or ('".to_owned()),
        Just("x&$top=1&$filter=true".to_owned()),
        Just("../../me".to_owned()),
        Just("%2e%2e".to_owned()),
        Just("$batch".to_owned()),
        Just("a#b?c=d".to_owned()),
        Just("''''".to_owned()),
    ]
}

fn check_all(input: &str) {
    // user_path: /users/{one segment} decoding back to the key, or /users('{literal}').
    let key = input.trim();
    let raw = user_path(input);
    let u = url(&raw);
    let segs = segments(&u);
    assert!(u.query().is_none(), "{input:?} → {u}");
    if let Some(lit) = raw
        .strip_prefix("/users(")
        .and_then(|s| s.strip_suffix(')'))
    {
        assert_eq!(segs.len(), 2, "{input:?} → {u}");
        let lit = entra_triage::graph::odata::decode(lit);
        assert_eq!(unquote(&lit).as_deref(), Some(key), "{input:?}");
    } else {
        assert_eq!(segs.len(), 3, "{input:?} → {u}");
        assert_eq!((segs[0].as_str(), segs[1].as_str()), ("v1.0", "users"));
        assert_eq!(
            entra_triage::graph::odata::decode(&segs[2]),
            key,
            "{input:?}"
        );
    }

    let subject = if input.contains('@') {
        input.to_lowercase()
    } else {
        input.to_owned()
    };
    let benign = if input.contains('@') { "x@y" } else { "x" };
    for non_interactive in [false, true] {
        check_filter(
            &sign_ins_path(input, t(8), t(12), non_interactive),
            &sign_ins_path(benign, t(8), t(12), non_interactive),
            &subject,
            3,
        );
    }
    check_filter(
        &risk_detections_path(input, t(8), t(12)),
        &risk_detections_path(benign, t(8), t(12)),
        &subject,
        3,
    );
    check_filter(
        &directory_audits_path(input, t(8), t(12)),
        &directory_audits_path("x", t(8), t(12)),
        input,
        3,
    );
    check_filter(
        &sign_ins_from_ip_path(input, t(8), t(12)),
        &sign_ins_from_ip_path("192.0.2.1", t(8), t(12)),
        input.trim(),
        3,
    );
}

#[test]
fn known_payloads_stay_inside_their_literal() {
    for p in [
        "x' or 1 eq 1 or userId eq 'y",
        "') or true or ('",
        "x&$top=1&$filter=true",
        "../../me",
        "..",
        ".",
        "",
        "   ",
        "%2e%2e",
        "$batch",
        "$x@y",
        "a#b?c=d",
        "alice@contoso.com' or userPrincipalName eq 'bob@contoso.com",
        "1.2.3.4' or ipAddress eq '5.6.7.8",
        "\u{202e}\u{1b}[2J\r\n",
    ] {
        check_all(p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn arbitrary_inputs_never_change_path_or_filter(input in hostile()) {
        check_all(&input);
    }
}
