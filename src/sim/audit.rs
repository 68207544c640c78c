//! Directory audit records that Entra writes for the analyst's own containment actions
//! (disable/enable account, password resets, security-info changes, grant removal), so the
//! audit log reflects mutations as the real service's would.

use serde_json::{Value, json};

use super::tenant::Tenant;

/// The object an audited action touched.
pub struct Target<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub display_name: Option<&'a str>,
    pub upn: Option<&'a str>,
}

/// One audited action.
pub struct Action<'a> {
    pub activity: &'a str,
    pub category: &'a str,
    pub operation: &'a str,
    pub service: &'a str,
    /// (displayName, oldValue, newValue) — values JSON-encoded as Graph writes them.
    pub modified: Vec<(&'a str, Value, Value)>,
}

/// Prepends a successful directoryAudit initiated by `caller` (newest first).
pub fn record(t: &mut Tenant, caller: &str, action: Action<'_>, target: Target<'_>) {
    let actor = t.user_index(caller).map(|i| t.users[i].clone());
    let field = |f: &str| {
        actor
            .as_ref()
            .and_then(|u| u.get(f))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let modified: Vec<Value> = action
        .modified
        .into_iter()
        .map(|(name, old, new)| {
            json!({"displayName": name, "oldValue": json!([old]).to_string(),
                "newValue": json!([new]).to_string()})
        })
        .collect();
    let at = chrono::Utc::now();
    let now = format!(
        "{}.{:07}Z",
        at.format("%Y-%m-%dT%H:%M:%S"),
        at.timestamp_subsec_nanos() / 100
    );
    let audit = json!({
        "id": format!("Directory_{}", uuid::Uuid::new_v4().simple()),
        "category": action.category,
        "correlationId": uuid::Uuid::new_v4().to_string(),
        "result": "success",
        "resultReason": "",
        "activityDisplayName": action.activity,
        "activityDateTime": now,
        "loggedByService": action.service,
        "operationType": action.operation,
        "initiatedBy": {"app": null, "user": {"id": caller, "displayName": field("displayName"),
            "userPrincipalName": field("userPrincipalName"), "ipAddress": null}},
        "targetResources": [{"id": target.id, "displayName": target.display_name,
            "type": target.kind, "userPrincipalName": target.upn, "groupType": null,
            "modifiedProperties": modified}],
        "additionalDetails": [],
    });
    t.directory_audits.insert(0, audit);
}

/// Records an action on the user at index `i`.
pub fn on_user(t: &mut Tenant, caller: &str, i: usize, action: Action<'_>) {
    let u = t.users[i].clone();
    let s = |f: &str| u.get(f).and_then(Value::as_str).map(str::to_string);
    let (id, name, upn) = (
        s("id").unwrap_or_default(),
        s("displayName"),
        s("userPrincipalName"),
    );
    let target = Target {
        id: &id,
        kind: "User",
        display_name: name.as_deref(),
        upn: upn.as_deref(),
    };
    record(t, caller, action, target);
}

/// A `UserManagement` action without modified properties.
pub fn user_action<'a>(activity: &'a str, service: &'a str) -> Action<'a> {
    Action {
        activity,
        category: "UserManagement",
        operation: "Update",
        service,
        modified: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_newest_first_with_actor() {
        let mut t = Tenant {
            users: vec![
                json!({"id": "a", "displayName": "Analyst", "userPrincipalName": "analyst@x"}),
                json!({"id": "u", "displayName": "User", "userPrincipalName": "u@x"}),
            ],
            ..Tenant::default()
        };
        on_user(
            &mut t,
            "a",
            1,
            user_action("Reset password (by admin)", "Core Directory"),
        );
        let mut disable = user_action("Disable account", "Core Directory");
        disable
            .modified
            .push(("AccountEnabled", json!(true), json!(false)));
        on_user(&mut t, "a", 1, disable);
        assert_eq!(t.directory_audits.len(), 2);
        let a = &t.directory_audits[0];
        assert_eq!(a["activityDisplayName"], "Disable account");
        assert_eq!(a["initiatedBy"]["user"]["userPrincipalName"], "analyst@x");
        assert_eq!(a["targetResources"][0]["id"], "u");
        assert_eq!(
            a["targetResources"][0]["modifiedProperties"][0]["newValue"],
            "[false]"
        );
    }
}
