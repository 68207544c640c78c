//! End-to-end check of ../shared/contracts.md with the real binary and our own small tenant
//! (not the demo): `simulate --tenant-dir` on port 0 as a separate process, then `report
//! --from/--to --format json` as another, with `--graph-url` and `ENTRA_TRIAGE_TOKEN`.
//! Planted artefacts must be flagged; benign look-alikes (a trip at a plausible speed, the
//! company VPN egress abroad, an internal forwarding rule, a verified publisher's app, a method
//! registered before the window) must not be. Malformed tenant files give a clear error.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_entra-triage");
const DANA: &str = "d7a1c2b3-0000-4000-8000-00000000da7a";
const ANALYST: &str = "a7a1c2b3-0000-4000-8000-0000000a7a1a";
const ELI: &str = "e7a1c2b3-0000-4000-8000-0000000000e1";
const SEATTLE: (&str, &str, f64, f64) = ("Seattle", "US", 47.61, -122.33);
const DUBLIN: (&str, &str, f64, f64) = ("Dublin", "IE", 53.35, -6.26);
const TORONTO: (&str, &str, f64, f64) = ("Toronto", "CA", 43.65, -79.38);
const MOSCOW: (&str, &str, f64, f64) = ("Moscow", "RU", 55.76, 37.62);

fn collection(items: Vec<Value>) -> Value {
    json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", "value": items})
}

#[allow(clippy::too_many_arguments)]
fn sign_in(
    id: &str,
    at: &str,
    ip: &str,
    place: (&str, &str, f64, f64),
    os: &str,
    browser: &str,
    device_id: &str,
    code: i64,
) -> Value {
    json!({
        "id": id, "createdDateTime": at, "userId": DANA, "userDisplayName": "Dana Smith",
        "userPrincipalName": "dana@northwind.test", "appId": "4765445b-32c6-49b0-83e6-1d93765276ca",
        "appDisplayName": "OfficeHome", "resourceDisplayName": "Office 365 Exchange Online",
        "ipAddress": ip, "clientAppUsed": "Browser", "isInteractive": true,
        "correlationId": format!("c-{id}"), "conditionalAccessStatus": "success",
        "status": {"errorCode": code, "failureReason": if code == 0 { "Other." } else { "Invalid username or password or Invalid on-premise username or password." }, "additionalDetails": null},
        "deviceDetail": {"deviceId": device_id, "displayName": "", "operatingSystem": os, "browser": browser, "isCompliant": !device_id.is_empty(), "isManaged": !device_id.is_empty(), "trustType": ""},
        "location": {"city": place.0, "state": "", "countryOrRegion": place.1, "geoCoordinates": {"latitude": place.2, "longitude": place.3}},
        "riskDetail": "none", "riskLevelAggregated": "none", "riskLevelDuringSignIn": "none", "riskState": "none",
        "riskEventTypes": [], "riskEventTypes_v2": []
    })
}

fn own(id: &str, at: &str, ip: &str, place: (&str, &str, f64, f64)) -> Value {
    sign_in(
        id,
        at,
        ip,
        place,
        "Windows 10",
        "Edge 128.0.2739",
        "dev-dana-laptop",
        0,
    )
}

/// Writes the Northwind tenant: Dana's month of normal use from Seattle (and the company VPN
/// that egresses in Dublin), a trip to Toronto, then an intruder from Moscow.
fn write_tenant(dir: &Path) {
    let w = |name: &str, v: Value| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    };
    w(
        "organization.json",
        collection(vec![json!({
            "id": "11112222-3333-4444-5555-666677778888", "displayName": "Northwind Traders",
            "verifiedDomains": [{"name": "northwind.test", "isDefault": true, "isInitial": false, "type": "Managed", "capabilities": "Email"}],
            "assignedPlans": [
                {"assignedDateTime": "2024-01-01T00:00:00Z", "capabilityStatus": "Enabled", "service": "AADPremiumService", "servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d"},
                {"assignedDateTime": "2024-01-01T00:00:00Z", "capabilityStatus": "Enabled", "service": "AADPremiumService", "servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998"}
            ]
        })]),
    );
    let user = |id: &str, upn: &str, name: &str| {
        json!({
            "id": id, "displayName": name, "userPrincipalName": upn, "mail": upn, "accountEnabled": true,
            "createdDateTime": "2022-02-01T09:00:00Z", "userType": "Member", "usageLocation": "US"
        })
    };
    w(
        "users.json",
        collection(vec![
            user(DANA, "dana@northwind.test", "Dana Smith"),
            user(ANALYST, "analyst@northwind.test", "Ana Lyst"),
            user(ELI, "eli@northwind.test", "Eli Jones"),
        ]),
    );

    let mut rows = Vec::new();
    // Baseline: 2026-08-15 … 2026-09-09, home in Seattle, VPN egress in Dublin on Tuesdays.
    for day in 15..=40 {
        let (m, d) = if day <= 31 { (8, day) } else { (9, day - 31) };
        rows.push(own(
            &format!("base-home-{day}"),
            &format!("2026-{m:02}-{d:02}T16:05:00Z"),
            "198.51.100.30",
            SEATTLE,
        ));
        if day % 7 == 1 {
            rows.push(own(
                &format!("base-vpn-{day}"),
                &format!("2026-{m:02}-{d:02}T23:40:00Z"),
                "192.0.2.77",
                DUBLIN,
            ));
        }
    }
    // Window 2026-09-10 … 09-17.
    rows.push(own(
        "home-0911",
        "2026-09-11T15:00:00Z",
        "198.51.100.30",
        SEATTLE,
    ));
    rows.push(own(
        "vpn-0911",
        "2026-09-12T01:10:00Z",
        "192.0.2.77",
        DUBLIN,
    )); // company VPN abroad
    rows.push(own(
        "home-0912",
        "2026-09-12T14:00:00Z",
        "198.51.100.30",
        SEATTLE,
    ));
    rows.push(own(
        "trip-toronto",
        "2026-09-12T22:30:00Z",
        "198.51.100.140",
        TORONTO,
    )); // 3,300 km in 8.5 h
    rows.push(own(
        "trip-toronto-2",
        "2026-09-13T13:00:00Z",
        "198.51.100.140",
        TORONTO,
    ));
    rows.push(own(
        "home-0914",
        "2026-09-14T16:00:00Z",
        "198.51.100.30",
        SEATTLE,
    ));
    for i in 0..6 {
        rows.push(sign_in(
            &format!("spray-{i}"),
            &format!("2026-09-14T16:{:02}:00Z", 5 + i * 2),
            "203.0.113.51",
            MOSCOW,
            "Linux",
            "Firefox 130.0",
            "",
            50126,
        ));
    }
    rows.push(sign_in(
        "attack",
        "2026-09-14T16:30:00Z",
        "203.0.113.50",
        MOSCOW,
        "Linux",
        "Firefox 130.0",
        "",
        0,
    ));
    rows.push(own(
        "home-0915",
        "2026-09-15T16:00:00Z",
        "198.51.100.30",
        SEATTLE,
    ));
    rows.sort_by(|a, b| {
        b["createdDateTime"]
            .as_str()
            .cmp(&a["createdDateTime"].as_str())
    });
    w("signIns.json", collection(rows));

    w(
        &format!("authenticationMethods/{DANA}.json"),
        collection(vec![
            json!({"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": "28c10230-6103-485e-b985-444c60001490", "password": null, "createdDateTime": null}),
            json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m-old", "displayName": "Dana iPhone", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.8.14", "createdDateTime": "2026-06-01T10:00:00Z"}),
            json!({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "id": "m-new", "displayName": "Galaxy S21", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.8.14", "createdDateTime": "2026-09-14T16:41:00Z"}),
        ]),
    );
    let sp = |id: &str, name: &str, owner: &str, verified: Option<&str>| {
        json!({
            "id": id, "appId": format!("app-{id}"), "displayName": name, "appDisplayName": name,
            "appOwnerOrganizationId": owner, "servicePrincipalType": "Application", "accountEnabled": true,
            "signInAudience": "AzureADMultipleOrgs",
            "verifiedPublisher": match verified { Some(v) => json!({"displayName": v, "verifiedPublisherId": "1234567", "addedDateTime": "2023-01-01T00:00:00Z"}), None => json!({"displayName": null, "verifiedPublisherId": null, "addedDateTime": null}) }
        })
    };
    w(
        "servicePrincipals.json",
        collection(vec![
            sp(
                "sp-bad",
                "Quick PDF Sync",
                "99990000-aaaa-bbbb-cccc-ddddeeeeffff",
                None,
            ),
            sp(
                "sp-good",
                "Contoso Scheduling",
                "88880000-aaaa-bbbb-cccc-ddddeeeeffff",
                Some("Contoso Software Ltd"),
            ),
            sp(
                "sp-graph",
                "Microsoft Graph",
                "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
                None,
            ),
        ]),
    );
    let grant = |id: &str, client: &str, scope: &str| {
        json!({
            "id": id, "clientId": client, "consentType": "Principal", "principalId": DANA, "resourceId": "sp-graph", "scope": scope
        })
    };
    w(
        "oauth2PermissionGrants.json",
        collection(vec![
            grant("g-bad", "sp-bad", "Mail.Read offline_access User.Read"),
            grant("g-good", "sp-good", "User.Read Calendars.Read"),
        ]),
    );
    let rule = |id: &str, name: &str, to: &str| {
        json!({
            "id": id, "displayName": name, "sequence": 1, "isEnabled": true, "hasError": false, "isReadOnly": false,
            "conditions": {"subjectContains": ["report"]},
            "actions": {"forwardTo": [{"emailAddress": {"name": to, "address": to}}], "stopProcessingRules": false}
        })
    };
    w(
        &format!("messageRules/{DANA}.json"),
        collection(vec![
            rule("r-bad", "Reports", "dropbox.box@evil.example"),
            rule("r-good", "Share with Eli", "eli@northwind.test"),
        ]),
    );
    w(
        &format!("mailFolders/{DANA}.json"),
        collection(vec![
            json!({"id": "inbox-id", "displayName": "Inbox", "parentFolderId": "root", "childFolderCount": 0, "unreadItemCount": 3, "totalItemCount": 900, "isHidden": false}),
        ]),
    );
    // riskyUsers.json, riskDetections.json, directoryAudits.json … are deliberately missing:
    // a missing file is an empty collection.
}

struct Sim {
    child: Child,
    graph: String,
    token: String,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn simulate(dir: &Path, extra: &[&str]) -> Sim {
    let mut child = Command::new(BIN)
        .args(["simulate", "--listen", "127.0.0.1:0", "--tenant-dir"])
        .arg(dir)
        .args(extra)
        .env("ENTRA_TRIAGE_DATA_DIR", dir.join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("simulate starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let graph = line
        .strip_prefix("graph: ")
        .expect("graph: line first")
        .trim()
        .to_owned();
    line.clear();
    out.read_line(&mut line).unwrap();
    let token = line
        .strip_prefix("token: ")
        .expect("token: line second")
        .trim()
        .to_owned();
    assert!(
        graph.starts_with("http://127.0.0.1:") && !graph.ends_with(":0"),
        "{graph}"
    );
    Sim {
        child,
        graph,
        token,
    }
}

fn flagged(report: &Value, kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            if e["type"] == kind && e["role"] == "flagged" {
                out.push(e["id"].as_str().unwrap().to_owned());
            }
        }
    }
    out
}

#[test]
fn report_over_a_tenant_directory_flags_the_attack_and_not_the_look_alikes() {
    let tmp = tempfile::tempdir().unwrap();
    write_tenant(tmp.path());
    let log = tmp.path().join("requests.jsonl");
    let sim = simulate(tmp.path(), &["--request-log", log.to_str().unwrap()]);
    let out_file = tmp.path().join("out").join("report.json");
    std::fs::create_dir_all(out_file.parent().unwrap()).unwrap();
    let run = Command::new(BIN)
        .args([
            "report",
            "dana@northwind.test",
            "--from",
            "2026-09-10",
            "--to",
            "2026-09-17T00:00:00Z",
        ])
        .args(["--format", "json", "--out"])
        .arg(&out_file)
        .args(["--graph-url", &sim.graph])
        .env("ENTRA_TRIAGE_TOKEN", &sim.token)
        .env("ENTRA_TRIAGE_DATA_DIR", tmp.path().join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "report failed: {stderr}");
    assert!(
        !stderr.contains(&sim.token) && !String::from_utf8_lossy(&run.stdout).contains(&sim.token)
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(!text.contains(&sim.token));
    // Nor in the log file of the run.
    let log_file = tmp
        .path()
        .join("data")
        .join("logs")
        .join("entra-triage.log");
    let logged = std::fs::read_to_string(&log_file).unwrap_or_default();
    assert!(
        !logged.contains(&sim.token),
        "the token reached {}",
        log_file.display()
    );
    let r: Value = serde_json::from_str(&text).unwrap();

    assert_eq!(r["schemaVersion"], "1.0");
    let schema: Value = serde_json::from_str(include_str!("../docs/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&r).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "report does not match docs/report.schema.json: {errors:?}"
    );
    assert_eq!(r["subject"]["id"], DANA);
    assert_eq!(r["subject"]["userPrincipalName"], "dana@northwind.test");
    assert_eq!(r["window"]["start"], "2026-09-10T00:00:00Z");
    assert_eq!(r["window"]["end"], "2026-09-17T00:00:00Z");
    for f in r["findings"].as_array().unwrap() {
        let id = f["indicator"].as_str().unwrap();
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{id}"
        );
        assert!(["info", "low", "medium", "high"].contains(&f["severity"].as_str().unwrap()));
        assert!(!f["summary"].as_str().unwrap().is_empty());
    }

    let sign_ins = flagged(&r, "signIn");
    let methods = flagged(&r, "authenticationMethod");
    let grants = flagged(&r, "oAuth2PermissionGrant");
    let rules = flagged(&r, "messageRule");
    // Planted.
    assert!(
        sign_ins.contains(&"attack".to_owned()),
        "attack sign-in not flagged: {sign_ins:?}"
    );
    assert_eq!(methods, vec!["m-new".to_owned()], "{methods:?}");
    assert_eq!(grants, vec!["g-bad".to_owned()], "{grants:?}");
    assert_eq!(rules, vec!["r-bad".to_owned()], "{rules:?}");
    let travel = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["indicator"] == "impossible_travel")
        .expect("impossible_travel");
    let ev = travel["evidence"].as_array().unwrap();
    assert!(
        ev.iter()
            .any(|e| e["id"] == "attack" && e["role"] == "flagged"),
        "{travel}"
    );
    assert!(
        ev.iter()
            .any(|e| e["id"] == "home-0914" && e["role"] == "context"),
        "{travel}"
    );
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["indicator"] == "failures_then_success")
    );
    // Benign look-alikes.
    for benign in [
        "vpn-0911",
        "trip-toronto",
        "trip-toronto-2",
        "home-0911",
        "home-0912",
        "home-0914",
        "home-0915",
    ] {
        assert!(
            !sign_ins.contains(&benign.to_owned()),
            "{benign} flagged: {:#}",
            r["findings"]
        );
    }

    // The request log holds one JSON line per answered request, as contracts.md §2 says.
    let lines = std::fs::read_to_string(&log).unwrap();
    let first: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    for key in ["ts", "method", "path", "status", "ms"] {
        assert!(first.get(key).is_some(), "request log lacks {key}: {first}");
    }
    assert!(
        lines
            .lines()
            .any(|l| l.contains("/v1.0/auditLogs/signIns?")),
        "sign-ins were not requested"
    );
    assert!(
        !lines.contains(" 429") && !lines.contains("\"status\":429"),
        "a normal triage met throttling"
    );
}

#[test]
fn a_broken_tenant_file_stops_the_simulator_with_file_and_position() {
    let tmp = tempfile::tempdir().unwrap();
    write_tenant(tmp.path());
    std::fs::write(
        tmp.path().join("users.json"),
        "{\n  \"value\": [\n    {\"id\": \"x\",,}\n  ]\n}\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["simulate", "--listen", "127.0.0.1:0", "--tenant-dir"])
        .arg(tmp.path())
        .env("ENTRA_TRIAGE_DATA_DIR", tmp.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("users.json") && err.contains(":3:"),
        "unclear error: {err}"
    );
    assert!(
        out.stdout.is_empty(),
        "printed graph:/token: for a broken tenant"
    );
}

#[test]
fn report_fails_cleanly_without_writing_half_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    write_tenant(tmp.path());
    let sim = simulate(tmp.path(), &[]);
    let out_file = tmp.path().join("nobody.json");
    let run = Command::new(BIN)
        .args([
            "report",
            "nobody@northwind.test",
            "--days",
            "7",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out_file)
        .args(["--graph-url", &sim.graph])
        .env("ENTRA_TRIAGE_TOKEN", &sim.token)
        .env("ENTRA_TRIAGE_DATA_DIR", tmp.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!String::from_utf8_lossy(&run.stderr).trim().is_empty());
    assert!(!out_file.exists());
    // A wrong token is a clear authentication failure, not a crash.
    let run = Command::new(BIN)
        .args([
            "report",
            "dana@northwind.test",
            "--days",
            "7",
            "--format",
            "json",
        ])
        .args(["--graph-url", &sim.graph])
        .env("ENTRA_TRIAGE_TOKEN", "not-the-token")
        .env("ENTRA_TRIAGE_DATA_DIR", tmp.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("ENTRA_TRIAGE_TOKEN") && !err.contains("not-the-token"),
        "{err}"
    );
}
