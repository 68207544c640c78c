//! Tests of the filter language: valid and malformed input, evaluation on rows, and
//! properties (never panics; printing parses back to the same expression).

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::graph::models::SignIn;

fn p(s: &str) -> Result<Expr, FilterError> {
    parse(s, SIGN_IN_FIELDS)
}

fn err(s: &str) -> String {
    match p(s) {
        Ok(e) => panic!("{s:?} parsed as {e}"),
        Err(e) => e.to_string(),
    }
}

fn row(cc: &str, city: &str, code: i64, app: &str, risk: &str, when: &str) -> SignIn {
    serde_json::from_value(serde_json::json!({
        "createdDateTime": when, "ipAddress": "203.0.113.7", "appDisplayName": app,
        "status": {"errorCode": code}, "location": {"city": city, "countryOrRegion": cc},
        "riskLevelDuringSignIn": risk,
    }))
    .unwrap()
}

fn rows() -> Vec<SignIn> {
    vec![
        row(
            "NL",
            "Amsterdam",
            0,
            "Office 365 Exchange Online",
            "none",
            "2026-11-17T08:00:00Z",
        ),
        row(
            "NG",
            "Lagos",
            50126,
            "OfficeHome",
            "high",
            "2026-11-18T09:14:02Z",
        ),
        row(
            "US",
            "New York",
            0,
            "Azure Portal",
            "medium",
            "2026-11-19T23:59:59Z",
        ),
        row(
            "NL",
            "Utrecht",
            50074,
            "Exchange",
            "low",
            "2026-11-20T00:00:00Z",
        ),
    ]
}

fn hits(s: &str) -> Vec<usize> {
    let e = p(s).unwrap();
    rows()
        .iter()
        .enumerate()
        .filter(|(_, r)| e.matches(*r))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn evaluates_the_documented_examples() {
    assert_eq!(hits("country != NL and status = failure"), vec![1]);
    assert_eq!(hits("app ~ exchange"), vec![0, 3]);
    assert_eq!(hits("ip = 203.0.113.7"), vec![0, 1, 2, 3]);
    assert_eq!(hits("risk >= medium"), vec![1, 2]);
    assert_eq!(hits("risk < low"), vec![0]);
    assert_eq!(hits("time >= 2026-11-18"), vec![1, 2, 3]);
    assert_eq!(hits("time <= 2026-11-19"), vec![0, 1, 2]);
    assert_eq!(hits("time = 2026-11-19"), vec![2]);
    assert_eq!(hits("time > 2026-11-18T09:14:02Z"), vec![2, 3]);
    assert_eq!(hits(r#"city = "New York""#), vec![2]);
    assert_eq!(hits("not cc = nl"), vec![1, 2]);
    assert_eq!(
        hits("status = ok or (risk = high and code = 50126)"),
        vec![0, 1, 2]
    );
    assert_eq!(hits("status = 50074"), vec![3]);
    assert_eq!(hits("status = success"), vec![0, 2]);
    assert_eq!(hits("status != failed"), vec![0, 2]);
    assert_eq!(hits("lagos"), vec![1]);
    assert_eq!(hits("\"new york\" or utrecht"), vec![2, 3]);
    assert_eq!(hits("app !~ exchange and interactive = yes"), vec![1, 2]);
}

#[test]
fn precedence_and_binds_tighter_than_or() {
    let e = p("a or b and not c").unwrap();
    assert_eq!(
        e,
        Expr::Or(
            Box::new(Expr::Any("a".into())),
            Box::new(Expr::And(
                Box::new(Expr::Any("b".into())),
                Box::new(Expr::Not(Box::new(Expr::Any("c".into()))))
            ))
        )
    );
    assert_eq!(e.to_string(), "a or b and not c");
    assert_eq!(p("(a or b) and c").unwrap().to_string(), "(a or b) and c");
}

#[test]
fn values_are_typed_by_field() {
    assert_eq!(
        p("TIME >= 2026-11-18").unwrap(),
        Expr::Cmp {
            field: "time",
            op: Op::Ge,
            value: Value::Date(NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()),
        }
    );
    assert_eq!(
        p("when < 2026-11-18T09:00").unwrap(),
        Expr::Cmp {
            field: "time",
            op: Op::Lt,
            value: Value::Time(Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap()),
        }
    );
    assert_eq!(p("cc = 'N\\'L'").unwrap().to_string(), "country = \"N'L\"");
    assert_eq!(p("risk>=MED").unwrap().to_string(), "risk >= medium");
}

#[test]
fn malformed_input_is_explained_with_a_position() {
    assert_eq!(
        err("contry = NL"),
        "unknown field 'contry' at 1 (did you mean country?)"
    );
    assert_eq!(err("country ="), "expected a value after '=' at 9");
    assert!(err("zzz = 1").starts_with("unknown field 'zzz' at 1 (fields: time, status, code,"));
    assert_eq!(err("country = and"), "expected a value after '=' at 9");
    assert_eq!(
        err("risk >= severe"),
        "'severe' is not a risk level at 9 (none, low, medium, high)"
    );
    assert_eq!(
        err("app < x"),
        "'<' does not apply to app at 5 (use =, !=, ~, !~)"
    );
    assert_eq!(
        err("risk ~ high"),
        "'~' does not apply to risk at 6 (use =, !=, <, <=, >, >=)"
    );
    assert!(err("time > yesterday").starts_with("'yesterday' is not a date at 8"));
    assert_eq!(err("(a or b"), "expected ')' to close '(' at 1 at 8");
    assert_eq!(err("a)"), "unmatched ')' at 2");
    assert_eq!(err("a b"), "expected 'and' or 'or' at 3");
    assert_eq!(err("a and"), "expected a filter after 'and' at 6");
    assert_eq!(err("and a"), "expected a filter before 'and' at 1");
    assert_eq!(err("= x"), "expected a field before '=' at 1");
    assert_eq!(err("city = \"New"), "unterminated string (missing \") at 8");
    assert_eq!(
        err("a ! b"),
        "unexpected '!' (use 'not', '!=' or '!~') at 3"
    );
    assert_eq!(
        err("\"a\\q\""),
        "unknown escape '\\q' (use \\\" \\' \\\\ \\n \\t) at 3"
    );
    assert_eq!(err("   "), "empty filter at 1");
    assert!(err(&"(".repeat(200)).starts_with("too deeply nested"));
    assert!(err(&"not ".repeat(200)).starts_with("too deeply nested"));
}

#[test]
fn empty_filter_matches_everything_and_is_not_an_error() {
    let f = Filter::new("  ", SIGN_IN_FIELDS).unwrap();
    assert!(f.expr.is_none());
    assert!(rows().iter().all(|r| f.matches(r)));
    let f = Filter::new(" risk = high ", SIGN_IN_FIELDS).unwrap();
    assert_eq!(f.text, "risk = high");
    assert_eq!(rows().iter().filter(|r| f.matches(*r)).count(), 1);
}

#[test]
fn suggestions_find_near_names() {
    assert_eq!(suggest("contry", ["country", "city"]), Some("country"));
    assert_eq!(suggest("sig", ["signins", "risk"]), Some("signins"));
    assert_eq!(suggest("zzzzzz", ["country", "city"]), None);
}

fn arb_value(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Text => any::<String>().prop_map(Value::Text).boxed(),
        Kind::Risk => (0u8..4).prop_map(Value::Risk).boxed(),
        Kind::Time => prop_oneof![
            (0i64..20_000).prop_map(|d| Value::Date(
                NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(d as u64)
            )),
            (0i64..2_000_000_000).prop_map(|s| Value::Time(Utc.timestamp_opt(s, 0).unwrap())),
        ]
        .boxed(),
        Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Status => prop_oneof![
            Just(Value::Status(StatusValue::Ok)),
            Just(Value::Status(StatusValue::Failure)),
            (1i64..100_000).prop_map(|c| Value::Status(StatusValue::Code(c))),
        ]
        .boxed(),
        Kind::Number => any::<i64>().prop_map(Value::Number).boxed(),
    }
}

fn arb_cmp() -> impl Strategy<Value = Expr> {
    (0..SIGN_IN_FIELDS.len()).prop_flat_map(|i| {
        let spec = SIGN_IN_FIELDS[i];
        let ops: Vec<Op> = match spec.kind {
            Kind::Text => vec![Op::Eq, Op::Ne, Op::Contains, Op::NotContains],
            Kind::Bool | Kind::Status => vec![Op::Eq, Op::Ne],
            _ => vec![Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge],
        };
        (proptest::sample::select(ops), arb_value(spec.kind)).prop_map(move |(op, value)| {
            Expr::Cmp {
                field: spec.name,
                op,
                value,
            }
        })
    })
}

fn arb_expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![arb_cmp(), "[^\\x00]{1,8}".prop_map(Expr::Any),];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
        ]
    })
}

proptest! {
    #[test]
    fn parser_never_panics(s in any::<String>()) {
        let _ = p(&s);
        let _ = parse(&s, METHOD_FIELDS);
    }

    #[test]
    fn parser_never_panics_on_filter_like_text(s in "[a-z()=!<>~\"' \\\\.0-9-]{0,40}") {
        if let Err(e) = p(&s) {
            prop_assert!(e.at >= 1 && e.at <= s.chars().count() + 1, "{e} for {s:?}");
        }
    }

    #[test]
    fn printed_expressions_parse_back(e in arb_expr()) {
        let text = e.to_string();
        prop_assert_eq!(p(&text), Ok(e), "printed as {}", text);
    }

    #[test]
    fn reprinting_is_stable(s in "[a-z ()=<>~\"]{0,30}") {
        if let Ok(e) = p(&s) {
            let once = e.to_string();
            prop_assert_eq!(p(&once).map(|e| e.to_string()), Ok(once));
        }
    }
}

#[test]
fn methods_and_grants_opt_in_with_their_own_fields() {
    use crate::graph::models::{
        AuthMethod, MethodKind, OAuth2PermissionGrant, ServicePrincipal, TenantText,
    };
    let phone = AuthMethod {
        id: "m1".into(),
        odata_type: "#microsoft.graph.phoneAuthenticationMethod".into(),
        created_date_time: Some(Utc.with_ymd_and_hms(2026, 11, 19, 3, 0, 0).unwrap()),
        kind: MethodKind::Phone(Default::default()),
    };
    let password = AuthMethod {
        id: "m2".into(),
        odata_type: "#microsoft.graph.passwordAuthenticationMethod".into(),
        created_date_time: None,
        kind: MethodKind::Password,
    };
    let f = Filter::new("type = phone and created >= 2026-11-18", METHOD_FIELDS).unwrap();
    assert!(f.matches(&phone));
    assert!(!f.matches(&password));
    assert!(Filter::new("country = NL", METHOD_FIELDS).is_err());

    let grant = OAuth2PermissionGrant {
        client_id: "c1".into(),
        resource_id: "r1".into(),
        scope: TenantText::new("Mail.Read offline_access"),
        ..Default::default()
    };
    let client = ServicePrincipal {
        id: "c1".into(),
        display_name: TenantText::new("Mail Sync Pro"),
        ..Default::default()
    };
    let row = GrantRow {
        grant: &grant,
        client: Some(&client),
        resource: None,
    };
    let f = Filter::new(
        "app ~ sync and scope ~ mail.read and verified = no",
        GRANT_FIELDS,
    )
    .unwrap();
    assert!(f.matches(&row));
    let f = Filter::new("api = r1 and not consent = admin", GRANT_FIELDS).unwrap();
    assert!(f.matches(&row), "an unresolved API is matched by its id");
}

/// `rows()` and rows with non-ASCII text, a sub-second time, no time and odd case.
fn mixed_rows() -> Vec<SignIn> {
    let mut all = rows();
    all.push(row(
        "CH",
        "Zürich",
        0,
        "ÖBB Portal",
        "low",
        "2026-11-18T09:14:02.250Z",
    ));
    all.push(row(
        "TR",
        "İstanbul",
        53003,
        "KELVIN \u{212A} app",
        "high",
        "2026-11-19T00:00:00Z",
    ));
    all.push(row(
        "nl",
        "AMSTERDAM",
        0,
        "office 365 exchange online",
        "none",
        "",
    ));
    all
}

proptest! {
    #[test]
    fn compiled_filters_agree_with_the_expression(e in arb_expr()) {
        let c = Compiled::new(&e, SIGN_IN_FIELDS);
        for r in &mixed_rows() {
            prop_assert_eq!(c.matches(r), e.matches(r), "{} on {}", e, r.location.city.raw());
        }
    }
}

#[test]
fn compiled_text_and_bare_words_agree_on_case_and_unicode() {
    let needles = [
        "",
        "nl",
        "NL",
        "Ne",
        "new york",
        "NEW YORK",
        "ZÜRICH",
        "zür",
        "istanbul",
        "İstanbul",
        "i̇stanbul",
        "k",
        "\u{212A}",
        "office",
        "OFFICE 365",
        "203.0.113.7",
        "öbb",
        "ÖBB portal",
        "2026-11-18 09:14",
        "2026-11-18",
        "ok",
        "50126",
        "high",
        "true",
        "medium",
        "none",
    ];
    let ops = [
        Op::Eq,
        Op::Ne,
        Op::Contains,
        Op::NotContains,
        Op::Lt,
        Op::Le,
        Op::Gt,
        Op::Ge,
    ];
    let rows = mixed_rows();
    let mut checked = 0;
    for needle in needles {
        let mut exprs = vec![Expr::Any(needle.into())];
        for field in [
            "country", "city", "location", "app", "ip", "reason", "agent",
        ] {
            for op in ops {
                exprs.push(Expr::Cmp {
                    field,
                    op,
                    value: Value::Text(needle.into()),
                });
            }
        }
        for e in exprs {
            let c = Compiled::new(&e, SIGN_IN_FIELDS);
            for r in &rows {
                assert_eq!(c.matches(r), e.matches(r), "{e:?} on {:?}", r.location);
                checked += usize::from(e.matches(r));
            }
        }
    }
    assert!(checked > 100, "the needles match something: {checked}");
}

#[test]
fn sort_keys_order_as_compare_values_does() {
    let rows = mixed_rows();
    for (i, spec) in SIGN_IN_FIELDS.iter().enumerate() {
        let mut maker = KeyMaker::new(i);
        let keys: Vec<u64> = rows.iter().map(|r| maker.key(r)).collect();
        maker.rank();
        for (a, ra) in rows.iter().enumerate() {
            for (b, rb) in rows.iter().enumerate() {
                let want =
                    compare_values(&ra.field(spec.name).unwrap(), &rb.field(spec.name).unwrap());
                let got = maker.order_key(keys[a]).cmp(&maker.order_key(keys[b]));
                assert_eq!(got, want, "{} of rows {a} and {b}", spec.name);
            }
        }
    }
}
