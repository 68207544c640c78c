//! Schema conformance of the built-in demo tenant (assets/demo-tenant/).
//!
//! Every object of every v1.0 file is checked against Microsoft Graph's v1.0 CSDL
//! (the vendored subset tests/fixtures/graph-v1.0-subset.xml, made by tools/csdl_subset.py):
//! property names exist on the type (base types and `@odata.type` followed), enum values
//! are members, primitive values have the right JSON kind. `signIns.beta.json` may add only
//! the beta-only signIn fields listed in graph-api.md §4.1. Also checks the tenant-directory
//! layout promises of contracts.md §3 that the data must keep (collections, newest first).

#[path = "support/csdl.rs"]
mod csdl;

use std::path::{Path, PathBuf};

use csdl::{Options, Schema};
use serde_json::{Value, json};

/// Beta-only signIn properties allowed in signIns.beta.json (graph-api.md §4.1).
const BETA_SIGNIN_FIELDS: &[&str] = &[
    "authenticationRequirement",
    "authenticationDetails",
    "authenticationMethodsUsed",
    "authenticationProtocol",
    "authenticationProcessingDetails",
    "authenticationRequirementPolicies",
    "signInEventTypes",
    "incomingTokenType",
    "mfaDetail",
    "networkLocationDetails",
    "tokenIssuerType",
    "tokenIssuerName",
    "userType",
    "crossTenantAccessType",
    "autonomousSystemNumber",
    "uniqueTokenIdentifier",
    "sessionId",
    "originalRequestId",
    "flaggedForReview",
    "appTokenProtectionStatus",
    "signInTokenProtectionStatus",
    "isThroughGlobalSecureAccess",
    "managedServiceIdentity",
];

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graph-v1.0-subset.xml");
    let xml = std::fs::read_to_string(&path).expect("read CSDL subset");
    Schema::parse(&xml).expect("parse CSDL subset")
}

fn tenant_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-tenant")
}

/// The Graph type of the objects in a tenant-directory file, from its path relative to the
/// directory; `None` for files that are not v1.0 collections.
fn type_for(rel: &str) -> Option<&'static str> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    match (dir, file) {
        ("", "organization.json") => Some("organization"),
        ("", "users.json") => Some("user"),
        ("", "signIns.json") | ("", "signIns.beta.json") => Some("signIn"),
        ("", "riskyUsers.json") => Some("riskyUser"),
        ("", "riskyUserHistory.json") => Some("riskyUserHistoryItem"),
        ("", "riskDetections.json") => Some("riskDetection"),
        ("", "oauth2PermissionGrants.json") => Some("oAuth2PermissionGrant"),
        ("", "servicePrincipals.json") => Some("servicePrincipal"),
        ("", "directoryAudits.json") => Some("directoryAudit"),
        ("authenticationMethods", _) => Some("authenticationMethod"),
        ("messageRules", _) => Some("messageRule"),
        ("mailFolders", _) => Some("mailFolder"),
        _ => None,
    }
}

fn json_files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).expect("read tenant dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            json_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let rel = path.strip_prefix(base).expect("relative").to_string_lossy();
            out.push((rel.replace('\\', "/"), path));
        }
    }
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_demo_file_conforms_to_the_v1_schema() {
    let schema = schema();
    let base = tenant_dir();
    let mut files = Vec::new();
    json_files(&base, &base, &mut files);
    files.sort();
    assert!(files.len() >= 12, "demo tenant looks empty: {files:?}");
    let mut errors = Vec::new();
    let mut checked = 0;
    for (rel, path) in &files {
        let doc = load(path);
        if rel.starts_with("signInPreferences/") {
            // Beta-only resource (no v1.0 type); must at least be an object.
            assert!(doc.is_object(), "{rel} is not an object");
            continue;
        }
        let ty =
            type_for(rel).unwrap_or_else(|| panic!("{rel}: no Graph type known for this file"));
        let extra = if rel == "signIns.beta.json" {
            BETA_SIGNIN_FIELDS
        } else {
            &[]
        };
        let opts = Options {
            extra_top_level: extra,
        };
        for e in schema.check_collection(ty, &doc, &opts) {
            errors.push(format!("{rel}: {e}"));
        }
        checked += doc["value"].as_array().map_or(0, Vec::len);
    }
    assert!(checked > 1000, "only {checked} objects checked");
    let shown: Vec<_> = errors.iter().take(40).collect();
    assert!(
        errors.is_empty(),
        "{} schema errors:\n{shown:#?}",
        errors.len()
    );
}

#[test]
fn v1_sign_ins_have_no_beta_only_fields() {
    let schema = schema();
    let doc = load(&tenant_dir().join("signIns.json"));
    let errors = schema.check_collection("signIn", &doc, &Options::default());
    assert!(errors.is_empty(), "{errors:#?}");
    let beta = load(&tenant_dir().join("signIns.beta.json"));
    let items = beta["value"].as_array().expect("beta value");
    assert!(
        items.iter().all(|s| s.get("riskEventTypes").is_none()),
        "beta has no riskEventTypes"
    );
    assert!(
        items
            .iter()
            .any(|s| s["authenticationProtocol"] == "deviceCode")
    );
    assert!(items.iter().any(|s| s["isInteractive"] == false));
}

#[test]
fn sign_ins_are_newest_first_and_ids_unique() {
    for file in ["signIns.json", "signIns.beta.json"] {
        let doc = load(&tenant_dir().join(file));
        let items = doc["value"].as_array().expect("value");
        let times: Vec<&str> = items
            .iter()
            .filter_map(|s| s["createdDateTime"].as_str())
            .collect();
        assert_eq!(times.len(), items.len(), "{file}: createdDateTime missing");
        assert!(
            times.windows(2).all(|w| w[0] >= w[1]),
            "{file}: not newest first"
        );
        let mut ids: Vec<&str> = items.iter().filter_map(|s| s["id"].as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), items.len(), "{file}: duplicate ids");
    }
}

#[test]
fn the_checker_rejects_what_graph_would_not_send() {
    let schema = schema();
    let no_extra = Options::default();
    let ok = json!({"id": "x", "createdDateTime": "2026-11-16T09:13:05Z", "userId": "u",
        "status": {"errorCode": 0}, "riskLevelDuringSignIn": "HIGH",
        "location": {"city": "Lagos", "geoCoordinates": {"latitude": 6.5}}});
    assert!(
        schema.check("signIn", &ok, &no_extra).is_empty(),
        "valid sign-in rejected"
    );

    let cases = [
        (
            "signIn",
            json!({"id": "x", "ipAdress": "203.0.113.7"}),
            "unknown property",
        ),
        (
            "signIn",
            json!({"riskState": "compromised"}),
            "not a member",
        ),
        (
            "signIn",
            json!({"riskEventTypes": ["anomalousToken"]}),
            "not a member",
        ),
        (
            "signIn",
            json!({"location": {"town": "Lagos"}}),
            "unknown property",
        ),
        (
            "signIn",
            json!({"status": {"errorCode": "50126"}}),
            "Edm.Int32",
        ),
        (
            "signIn",
            json!({"authenticationProtocol": "deviceCode"}),
            "unknown property",
        ),
        (
            "user",
            json!({"signInActivity": {"lastSignIn": "x"}}),
            "unknown property",
        ),
        ("authenticationMethod", json!({"id": "m"}), "abstract"),
        (
            "authenticationMethod",
            json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "phoneType": "pager"}),
            "not a member",
        ),
        (
            "authenticationMethod",
            json!({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "displayName": "x"}),
            "unknown property",
        ),
        (
            "authenticationMethod",
            json!({"@odata.type": "#microsoft.graph.user"}),
            "derive",
        ),
        (
            "messageRule",
            json!({"actions": {"forwardTo": [{"emailAddress": {"adress": "a"}}]}}),
            "unknown",
        ),
        (
            "directoryAudit",
            json!({"initiatedBy": {"user": {"upn": "a"}}}),
            "unknown property",
        ),
        (
            "servicePrincipal",
            json!({"publisherName": "x"}),
            "unknown property",
        ),
    ];
    for (ty, value, expected) in cases {
        let errors = schema.check(ty, &value, &no_extra);
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{ty} {value}: expected an error containing {expected:?}, got {errors:?}"
        );
    }
    let beta = Options {
        extra_top_level: BETA_SIGNIN_FIELDS,
    };
    let beta_ok = json!({"id": "x", "authenticationProtocol": "deviceCode", "signInEventTypes": ["nonInteractiveUser"]});
    assert!(schema.check("signIn", &beta_ok, &beta).is_empty());
    let beta_bad = json!({"id": "x", "authenticationProtocl": "deviceCode"});
    assert!(!schema.check("signIn", &beta_bad, &beta).is_empty());
}

#[test]
fn the_subset_resolves_inheritance() {
    let schema = schema();
    assert!(
        schema.property("user", "id").is_some(),
        "entity.id via directoryObject"
    );
    assert!(
        schema
            .property("riskyUserHistoryItem", "riskLevel")
            .is_some()
    );
    assert!(
        schema
            .property("fido2AuthenticationMethod", "createdDateTime")
            .is_some()
    );
    assert!(schema.property("userIdentity", "displayName").is_some());
    assert!(schema.derives_from("qrCodePinAuthenticationMethod", "entity"));
    assert!(
        schema.enums["riskLevel"]
            .members
            .iter()
            .any(|m| m == "high")
    );
}

#[test]
fn every_id_in_scenario_md_exists_in_the_data() {
    let base = tenant_dir();
    let scenario = std::fs::read_to_string(base.join("SCENARIO.md")).expect("SCENARIO.md");
    let mut files = Vec::new();
    json_files(&base, &base, &mut files);
    let corpus: String = files
        .iter()
        .map(|(_, p)| std::fs::read_to_string(p).expect("read"))
        .collect();
    let ids: Vec<&str> = scenario
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| {
            t.len() >= 12
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_=+/".contains(c))
        })
        .collect();
    assert!(
        ids.len() > 60,
        "only {} ids found in SCENARIO.md",
        ids.len()
    );
    let missing: Vec<&&str> = ids
        .iter()
        .filter(|id| !corpus.contains(&format!("\"{id}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "ids in SCENARIO.md but not in the data: {missing:?}"
    );
}

/// What the simulator actually answers — served data, `--scale` generated sign-ins, `$select`
/// projections and the objects after a mutation — conforms too, on v1.0 paths.
#[test]
fn live_simulator_responses_conform_to_the_v1_schema() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use entra_triage::sim::{self, SimOptions, ThrottleMode};
        let opts = SimOptions {
            scale: 300,
            throttle: ThrottleMode::Off,
            ..SimOptions::demo()
        };
        let h = sim::start(opts).await.unwrap();
        let http = reqwest::Client::new();
        let alice = "3f2a6d1e-8b4c-4a7e-b0d9-5c6e7f80c91e";
        let get = |path: String| {
            let http = http.clone();
            let url = format!("{}/v1.0{path}", h.graph_url);
            let token = h.token.clone();
            async move {
                let r = http.get(url).bearer_auth(token).send().await.unwrap();
                assert!(r.status().is_success(), "{path}: {}", r.status());
                r.json::<Value>().await.unwrap()
            }
        };
        // A mutation first, so state written by the simulator is checked as well.
        let r = http
            .post(format!(
                "{}/v1.0/users/{alice}/revokeSignInSessions",
                h.graph_url
            ))
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let schema = schema();
        let opts = Options {
            extra_top_level: &[],
        };
        let mut errors = Vec::new();
        let collections = [
            (
                "signIn",
                format!("/auditLogs/signIns?$filter=userId eq '{alice}'&$top=1000"),
            ),
            (
                "directoryAudit",
                "/auditLogs/directoryAudits?$top=500".to_owned(),
            ),
            (
                "riskDetection",
                "/identityProtection/riskDetections?$top=500".to_owned(),
            ),
            ("riskyUser", "/identityProtection/riskyUsers".to_owned()),
            (
                "riskyUserHistoryItem",
                format!("/identityProtection/riskyUsers/{alice}/history"),
            ),
            (
                "authenticationMethod",
                format!("/users/{alice}/authentication/methods"),
            ),
            (
                "oAuth2PermissionGrant",
                format!("/users/{alice}/oauth2PermissionGrants"),
            ),
            (
                "messageRule",
                format!("/users/{alice}/mailFolders/inbox/messageRules"),
            ),
            ("mailFolder", format!("/users/{alice}/mailFolders")),
            (
                "user",
                "/users?$select=id,displayName,userPrincipalName,signInActivity".to_owned(),
            ),
        ];
        let mut generated = 0;
        for (ty, path) in collections {
            let doc = get(path.replace(' ', "%20").replace('\'', "%27")).await;
            if ty == "signIn" {
                generated = doc["value"].as_array().map_or(0, Vec::len);
            }
            for e in schema.check_collection(ty, &doc, &opts) {
                errors.push(format!("{path}: {e}"));
            }
        }
        let user = get(format!("/users/{alice}")).await;
        for e in schema.check("user", &user, &opts) {
            errors.push(format!("/users/{{id}}: {e}"));
        }
        assert!(
            generated > 300,
            "generated sign-ins were not served ({generated})"
        );
        let shown: Vec<_> = errors.iter().take(30).collect();
        assert!(errors.is_empty(), "{} errors:\n{shown:#?}", errors.len());
        h.shutdown().await;
    });
}
