//! The tenant's data (contracts §3): loading from a tenant directory or the embedded demo,
//! validation (JSON errors name file and line:column), rebasing, and lookups.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::SimError;
use super::rebase;

pub const P1_PLAN: &str = "41781fb2-bc02-4b7c-bd55-b576c07bb09d";
pub const P2_PLAN: &str = "eec0eb4f-6444-4f95-aba0-50c24d67f998";

/// Every object the simulator serves, as written in the tenant files.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    pub organization: Vec<Value>,
    pub users: Vec<Value>,
    /// Newest first.
    pub sign_ins: Vec<Value>,
    /// Newest first; None when signIns.beta.json is absent.
    pub sign_ins_beta: Option<Vec<Value>>,
    pub risky_users: Vec<Value>,
    pub risky_user_history: Vec<Value>,
    pub risk_detections: Vec<Value>,
    pub grants: Vec<Value>,
    pub service_principals: Vec<Value>,
    pub directory_audits: Vec<Value>,
    /// Keyed by lower-case user id.
    pub auth_methods: HashMap<String, Vec<Value>>,
    pub message_rules: HashMap<String, Vec<Value>>,
    pub mail_folders: HashMap<String, Vec<Value>>,
    pub sign_in_prefs: HashMap<String, Value>,
}

/// Raw file texts: top-level files by name, per-user files as (subdir, userId, name, text).
#[derive(Default)]
pub struct Files {
    pub top: HashMap<String, (String, String)>,
    pub per_user: Vec<(String, String, String, String)>,
}

pub const PER_USER_DIRS: [&str; 4] = [
    "authenticationMethods",
    "messageRules",
    "mailFolders",
    "signInPreferences",
];

fn json_error(file: &str, e: &serde_json::Error) -> SimError {
    SimError::TenantJson {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Parses a file that must be a JSON object.
pub fn parse_object(file: &str, text: &str) -> Result<Value, SimError> {
    let v: Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    if !v.is_object() {
        return Err(SimError::TenantShape {
            file: file.into(),
            message: "expected a JSON object".into(),
        });
    }
    Ok(v)
}

/// Parses an OData collection file `{"value": [ … ]}` into its items (objects only).
pub fn parse_collection(file: &str, text: &str) -> Result<Vec<Value>, SimError> {
    let v = parse_object(file, text)?;
    let shape = |m: &str| SimError::TenantShape {
        file: file.into(),
        message: m.into(),
    };
    match v {
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(items)) => {
                if items.iter().any(|i| !i.is_object()) {
                    return Err(shape("every item of \"value\" must be a JSON object"));
                }
                Ok(items)
            }
            _ => Err(shape("expected an OData collection {\"value\": [ … ]}")),
        },
        _ => Err(shape("expected a JSON object")),
    }
}

impl Files {
    /// Reads a tenant directory; missing files are simply absent.
    pub fn from_dir(dir: &Path) -> Result<Files, SimError> {
        if !dir.is_dir() {
            return Err(SimError::TenantIo {
                file: dir.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the tenant directory does not exist",
                ),
            });
        }
        let mut files = Files::default();
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| SimError::TenantIo {
                file: p.display().to_string(),
                source,
            })
        };
        for name in TOP_FILES {
            let p = dir.join(name);
            if p.is_file() {
                files
                    .top
                    .insert(name.to_string(), (p.display().to_string(), read(&p)?));
            }
        }
        for sub in PER_USER_DIRS {
            let d = dir.join(sub);
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                let is_json = p.extension().is_some_and(|x| x == "json");
                let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                if p.is_file() && is_json {
                    let text = read(&p)?;
                    files.per_user.push((
                        sub.to_string(),
                        stem.to_string(),
                        p.display().to_string(),
                        text,
                    ));
                }
            }
        }
        Ok(files)
    }
}

pub const TOP_FILES: [&str; 10] = [
    "organization.json",
    "users.json",
    "signIns.json",
    "signIns.beta.json",
    "riskyUsers.json",
    "riskyUserHistory.json",
    "riskDetections.json",
    "oauth2PermissionGrants.json",
    "servicePrincipals.json",
    "directoryAudits.json",
];

fn created_ms(v: &Value) -> i64 {
    v.get("createdDateTime")
        .and_then(Value::as_str)
        .and_then(super::filter::parse_datetime)
        .map(|d| d.timestamp_millis())
        .unwrap_or(i64::MIN)
}

impl Tenant {
    /// Builds the tenant from raw files (no rebasing yet).
    pub fn from_files(files: &Files) -> Result<Tenant, SimError> {
        let coll = |name: &str| -> Result<Vec<Value>, SimError> {
            match files.top.get(name) {
                Some((shown, text)) => parse_collection(shown, text),
                None => Ok(Vec::new()),
            }
        };
        let mut t = Tenant {
            organization: coll("organization.json")?,
            users: coll("users.json")?,
            sign_ins: coll("signIns.json")?,
            sign_ins_beta: match files.top.get("signIns.beta.json") {
                Some((shown, text)) => Some(parse_collection(shown, text)?),
                None => None,
            },
            risky_users: coll("riskyUsers.json")?,
            risky_user_history: coll("riskyUserHistory.json")?,
            risk_detections: coll("riskDetections.json")?,
            grants: coll("oauth2PermissionGrants.json")?,
            service_principals: coll("servicePrincipals.json")?,
            directory_audits: coll("directoryAudits.json")?,
            ..Tenant::default()
        };
        for (sub, user, shown, text) in &files.per_user {
            // Per-user files are named by object id; a file named by UPN is accepted too.
            let key = t
                .user_id(user)
                .unwrap_or_else(|| user.clone())
                .to_ascii_lowercase();
            match sub.as_str() {
                "authenticationMethods" => {
                    t.auth_methods.insert(key, parse_collection(shown, text)?);
                }
                "messageRules" => {
                    t.message_rules.insert(key, parse_collection(shown, text)?);
                }
                "mailFolders" => {
                    t.mail_folders.insert(key, parse_collection(shown, text)?);
                }
                _ => {
                    t.sign_in_prefs.insert(key, parse_object(shown, text)?);
                }
            }
        }
        t.sort();
        Ok(t)
    }

    /// Sign-ins newest first (stable for equal times); audits by activityDateTime.
    pub fn sort(&mut self) {
        self.sign_ins
            .sort_by_key(|v| std::cmp::Reverse(created_ms(v)));
        if let Some(b) = &mut self.sign_ins_beta {
            b.sort_by_key(|v| std::cmp::Reverse(created_ms(v)));
        }
        self.directory_audits.sort_by_key(|v| {
            std::cmp::Reverse(
                v.get("activityDateTime")
                    .and_then(Value::as_str)
                    .and_then(super::filter::parse_datetime)
                    .map(|d| d.timestamp_millis())
                    .unwrap_or(i64::MIN),
            )
        });
    }

    /// The newest sign-in's createdDateTime (v1.0 or beta).
    pub fn newest_sign_in(&self) -> Option<DateTime<Utc>> {
        let beta = self.sign_ins_beta.iter().flatten();
        self.sign_ins
            .iter()
            .chain(beta)
            .map(created_ms)
            .filter(|&m| m != i64::MIN)
            .max()
            .and_then(DateTime::from_timestamp_millis)
    }

    /// Shifts every timestamp in the tenant by `by`.
    pub fn shift(&mut self, by: Duration) {
        if by.is_zero() {
            return;
        }
        let all = [
            &mut self.organization,
            &mut self.users,
            &mut self.sign_ins,
            &mut self.risky_users,
            &mut self.risky_user_history,
            &mut self.risk_detections,
            &mut self.grants,
            &mut self.service_principals,
            &mut self.directory_audits,
        ];
        for coll in all {
            coll.iter_mut().for_each(|v| rebase::shift_value(v, by));
        }
        for v in self.sign_ins_beta.iter_mut().flatten() {
            rebase::shift_value(v, by);
        }
        for m in [
            &mut self.auth_methods,
            &mut self.message_rules,
            &mut self.mail_folders,
        ] {
            m.values_mut()
                .flatten()
                .for_each(|v| rebase::shift_value(v, by));
        }
        self.sign_in_prefs
            .values_mut()
            .for_each(|v| rebase::shift_value(v, by));
    }

    /// (P1, P2) from organization.assignedPlans (P2 implies P1).
    pub fn licences(&self) -> (bool, bool) {
        let mut p1 = false;
        let mut p2 = false;
        for org in &self.organization {
            for plan in org
                .get("assignedPlans")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let enabled = plan
                    .get("capabilityStatus")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
                let id = plan
                    .get("servicePlanId")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if enabled && id.eq_ignore_ascii_case(P1_PLAN) {
                    p1 = true;
                }
                if enabled && id.eq_ignore_ascii_case(P2_PLAN) {
                    p2 = true;
                }
            }
        }
        (p1 || p2, p2)
    }

    pub fn tenant_id(&self) -> String {
        self.organization
            .first()
            .and_then(|o| o.get("id"))
            .and_then(Value::as_str)
            .unwrap_or("00000000-0000-0000-0000-000000000000")
            .to_string()
    }

    /// Index of the user with this id or UPN (case-insensitive).
    pub fn user_index(&self, key: &str) -> Option<usize> {
        self.users.iter().position(|u| {
            ["id", "userPrincipalName"].iter().any(|f| {
                u.get(*f)
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.eq_ignore_ascii_case(key))
            })
        })
    }

    /// The user's object id (lower-case key form) for an id or UPN.
    pub fn user_id(&self, key: &str) -> Option<String> {
        let i = self.user_index(key)?;
        self.users[i]
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

/// Finds an item by its `id` (case-insensitive).
pub fn find_by_id<'a>(items: &'a [Value], id: &str) -> Option<&'a Value> {
    items.iter().find(|v| id_is(v, id))
}

/// Ids match exactly; GUIDs case-insensitively (rule and grant ids are case-sensitive).
pub fn id_is(v: &Value, id: &str) -> bool {
    v.get("id")
        .and_then(Value::as_str)
        .is_some_and(|s| s == id || (super::filter::is_guid(s) && s.eq_ignore_ascii_case(id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_json_names_file_and_position() {
        let e = parse_collection("users.json", "{\"value\": [\n  {\"id\": 1,}\n]}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("users.json:2:"), "{msg}");
        match e {
            SimError::TenantJson { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 0);
            }
            other => panic!("{other:?}"),
        }
        assert!(parse_collection("x.json", "[1]").is_err());
        assert!(parse_collection("x.json", "{\"value\": [1]}").is_err());
    }

    #[test]
    fn per_user_files_by_id_or_upn() {
        let mut f = Files::default();
        f.top.insert(
            "users.json".into(),
            (
                "users.json".into(),
                r#"{"value": [{"id": "ID1", "userPrincipalName": "a@x.com"}]}"#.into(),
            ),
        );
        let rules = r#"{"value": [{"id": "r"}]}"#.to_string();
        f.per_user.push((
            "messageRules".into(),
            "A@x.com".into(),
            "m".into(),
            rules.clone(),
        ));
        f.per_user
            .push(("mailFolders".into(), "ID1".into(), "f".into(), rules));
        let t = Tenant::from_files(&f).unwrap();
        assert!(t.message_rules.contains_key("id1"));
        assert!(t.mail_folders.contains_key("id1"));
    }

    #[test]
    fn missing_directory_is_an_error() {
        let e = Files::from_dir(Path::new("/nonexistent/tenant"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("/nonexistent/tenant"));
    }

    #[test]
    fn licences_from_plans() {
        let mut t = Tenant::default();
        assert_eq!(t.licences(), (false, false));
        t.organization = vec![serde_json::json!({"assignedPlans": [
            {"servicePlanId": P2_PLAN, "capabilityStatus": "Enabled"}]})];
        assert_eq!(t.licences(), (true, true));
        t.organization = vec![serde_json::json!({"assignedPlans": [
            {"servicePlanId": P1_PLAN, "capabilityStatus": "Enabled"},
            {"servicePlanId": P2_PLAN, "capabilityStatus": "Deleted"}]})];
        assert_eq!(t.licences(), (true, false));
    }
}
