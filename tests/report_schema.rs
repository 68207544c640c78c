//! Builds reports from synthetic evidence (empty, a full compromise, hostile strings, gaps)
//! and validates their JSON against docs/report.schema.json.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entra_triage::analysis::{Thresholds, analyse};
use entra_triage::evidence::{Evidence, Gap};
use entra_triage::graph::models::{
    AuthMethod, DirectoryAudit, MailFolder, MessageRule, OAuth2PermissionGrant, RiskDetection,
    RiskyUser, ServicePrincipal, SignIn, User,
};
use entra_triage::report::{ActionRecord, ReportMeta, build, to_json, to_markdown};
use entra_triage::window::Window;
use serde_json::{Value, json};

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 14, 0, 0, 0).unwrap()
}

fn at(hours: i64) -> String {
    (start() + Duration::hours(hours)).to_rfc3339()
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("model parses")
}

fn user(name: &str) -> User {
    from(json!({"id": "u1", "displayName": name, "userPrincipalName": "alice@contoso.com"}))
}

fn evidence(name: &str) -> Evidence {
    Evidence::new(
        user(name),
        Window {
            start: start(),
            end: start() + Duration::days(7),
        },
    )
}

type Place = (&'static str, &'static str, f64, f64);
const AMS: Place = ("Amsterdam", "NL", 52.37, 4.9);
const LOS: Place = ("Lagos", "NG", 6.45, 3.39);

fn sign_in(id: &str, hours: i64, ip: &str, place: Place, code: i64) -> SignIn {
    from(json!({
        "id": id, "createdDateTime": at(hours), "userId": "u1", "ipAddress": ip,
        "clientAppUsed": "Browser", "appDisplayName": "OfficeHome",
        "status": {"errorCode": code},
        "deviceDetail": {"operatingSystem": "Windows 10", "browser": "Edge 120"},
        "location": {"city": place.0, "countryOrRegion": place.1,
                     "geoCoordinates": {"latitude": place.2, "longitude": place.3}}
    }))
}

fn compromise(name: &str) -> Evidence {
    let mut ev = evidence(name);
    ev.tenant = Some(from(
        json!({"id": "t1", "verifiedDomains": [{"name": "contoso.com"}]}),
    ));
    for i in 0..12 {
        ev.sign_ins.push(sign_in(
            &format!("base{i}"),
            -200 + i * 10,
            "192.0.2.10",
            AMS,
            0,
        ));
    }
    ev.sign_ins.push(sign_in("ams", 30, "192.0.2.11", AMS, 0));
    for i in 0..6 {
        ev.sign_ins
            .push(sign_in(&format!("f{i}"), 31, "203.0.113.7", LOS, 50126));
    }
    let mut lagos = sign_in("lagos", 31, "203.0.113.7", LOS, 0);
    lagos.created_date_time = Some(start() + Duration::minutes(31 * 60 + 20));
    ev.sign_ins.push(lagos);
    let mut imap = sign_in("imap", 32, "203.0.113.8", LOS, 0);
    imap.client_app_used = "IMAP4".into();
    ev.sign_ins.push(imap);
    ev.risky_user = Some(from::<RiskyUser>(
        json!({"id": "u1", "riskLevel": "high", "riskState": "atRisk"}),
    ));
    ev.risk_detections = vec![from::<RiskDetection>(json!({
        "id": "d1", "requestId": "lagos", "riskEventType": "unfamiliarFeatures", "riskState": "atRisk",
        "riskLevel": "medium", "activityDateTime": at(31), "userId": "u1", "ipAddress": "203.0.113.7"
    }))];
    ev.methods = vec![AuthMethod::from_value(json!({
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        "id": "m1", "displayName": name, "createdDateTime": at(33)
    }))];
    ev.audits = vec![from::<DirectoryAudit>(json!({
        "id": "a1", "activityDateTime": at(33), "activityDisplayName": "User registered security info",
        "category": "UserManagement", "result": "success",
        "initiatedBy": {"user": {"id": "u1", "userPrincipalName": "alice@contoso.com"}},
        "targetResources": [{"id": "u1", "type": "User"}]
    }))];
    ev.grants = vec![from::<OAuth2PermissionGrant>(json!({
        "id": "g1", "clientId": "sp1", "consentType": "Principal", "principalId": "u1",
        "resourceId": "graph", "scope": "Mail.Read offline_access"
    }))];
    ev.service_principals = vec![from::<ServicePrincipal>(json!({
        "id": "sp1", "appId": "app1", "displayName": name, "appOwnerOrganizationId": "evil"
    }))];
    ev.rules = vec![from::<MessageRule>(json!({
        "id": "r1", "displayName": name, "isEnabled": true,
        "actions": {"forwardTo": [{"emailAddress": {"address": "drop@evil.example"}}],
                    "moveToFolder": "rss", "markAsRead": true}
    }))];
    ev.mail_folders = vec![from::<MailFolder>(
        json!({"id": "rss", "displayName": "RSS Feeds", "totalItemCount": 0}),
    )];
    ev
}

fn meta(text: &str) -> ReportMeta {
    ReportMeta {
        generated_at: start() + Duration::days(8),
        analyst: Some(text.into()),
        tenant: Some("contoso.onmicrosoft.com".into()),
        tool_version: "0.1.0".into(),
        actions: vec![ActionRecord {
            time: start() + Duration::days(7),
            action: "revokeSignInSessions".into(),
            target: text.into(),
            outcome: "succeeded".into(),
            request_id: Some("req-1".into()),
            detail: Some(text.into()),
        }],
    }
}

fn report_json(ev: &Evidence, m: &ReportMeta) -> Value {
    let an = analyse(ev, &Thresholds::default());
    let r = build(ev, &an, m);
    let _ = to_markdown(&r);
    serde_json::from_str(&to_json(&r)).expect("report is JSON")
}

fn assert_valid(instance: &Value) {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

const HOSTILE: &str = "Evil](http://x) <b>x</b> | `c` \u{1b}[2J\n# h \u{202e}\u{200b} \"q\" \\";

#[test]
fn empty_evidence_report_is_valid() {
    let ev = evidence("Alice");
    let mut m = meta("analyst@contoso.com");
    m.actions.clear();
    m.analyst = None;
    let v = report_json(&ev, &m);
    assert_eq!(v["findings"], json!([]));
    assert_valid(&v);
}

#[test]
fn compromise_report_is_valid_and_has_findings() {
    let v = report_json(&compromise("Mail Sync"), &meta("analyst@contoso.com"));
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["indicator"].as_str())
        .collect();
    for want in [
        "impossible_travel",
        "failures_then_success",
        "unfamiliar_country",
        "legacy_auth",
        "risky_user",
        "risk_detection",
        "new_auth_method",
        "risky_grant",
        "suspicious_inbox_rule",
    ] {
        assert!(ids.contains(&want), "missing {want} in {ids:?}");
    }
    assert_valid(&v);
}

#[test]
fn hostile_strings_and_gaps_stay_valid() {
    let mut ev = compromise(HOSTILE);
    ev.gaps.push(Gap::new(HOSTILE, HOSTILE));
    let v = report_json(&ev, &meta(HOSTILE));
    assert_valid(&v);
    let text = v.to_string();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{200b}'));
    assert_eq!(v["verdict"]["incomplete"], true);
}

#[test]
fn the_schema_rejects_what_breaks_the_contract() {
    let good = report_json(&compromise("A"), &meta("x"));
    assert_valid(&good);
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut bad = good.clone();
    bad["findings"][0]["severity"] = json!("critical");
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["findings"][0]["evidence"][0]["extra"] = json!(1);
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["schemaVersion"] = json!("2.0");
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["window"]["start"] = json!("2026-11-14T00:00:00+01:00");
    assert!(!validator.is_valid(&bad));
    let mut bad = good;
    bad["findings"][0]["indicator"] = json!("ImpossibleTravel");
    assert!(!validator.is_valid(&bad));
    // Unknown top-level fields are allowed (forward compatibility).
    let mut extra = report_json(&evidence("A"), &meta("x"));
    extra["futureField"] = json!({"x": 1});
    assert!(validator.is_valid(&extra));
}
