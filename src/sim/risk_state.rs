//! Changing a user's Identity Protection state: the riskyUser entry (created when needed),
//! a history item initiated by the analyst, and for admin-confirmed compromise the
//! riskDetection Entra adds.

use serde_json::{Value, json};

use super::tenant::{Tenant, id_is};

/// The new risk of a user.
pub struct RiskChange<'a> {
    pub level: &'a str,
    pub state: &'a str,
    pub detail: &'a str,
    /// riskEventTypes of the history item's activity.
    pub events: &'a [&'a str],
    /// Create the riskyUser when the user was never risky.
    pub create: bool,
    /// Also add an `adminConfirmedUserCompromised` riskDetection.
    pub detection: bool,
}

/// Applies `change` to user `uid` (id or UPN); false when the user is unknown or not risky
/// and `create` is off.
pub fn set_user_risk(
    t: &mut Tenant,
    uid: &str,
    change: &RiskChange<'_>,
    caller: &str,
    now: &str,
) -> bool {
    let Some(ui) = t.user_index(uid) else {
        return false;
    };
    let user = t.users[ui].clone();
    let s = |f: &str| user.get(f).cloned().unwrap_or(Value::Null);
    let id = s("id");
    let id_str = id.as_str().unwrap_or(uid).to_string();
    let pos = match t.risky_users.iter().position(|r| id_is(r, &id_str)) {
        Some(p) => p,
        None if change.create => {
            t.risky_users
                .push(json!({"id": id, "isDeleted": false, "isProcessing": false,
                "riskLastUpdatedDateTime": now, "riskLevel": "none", "riskState": "none",
                "riskDetail": "none", "userDisplayName": s("displayName"),
                "userPrincipalName": s("userPrincipalName")}));
            t.risky_users.len() - 1
        }
        None => return false,
    };
    let r = &mut t.risky_users[pos];
    r["riskLevel"] = json!(change.level);
    r["riskState"] = json!(change.state);
    r["riskDetail"] = json!(change.detail);
    r["riskLastUpdatedDateTime"] = json!(now);
    r["isProcessing"] = json!(false);
    let mut hist = r.clone();
    hist["id"] = json!(uuid::Uuid::new_v4().to_string());
    hist["userId"] = id.clone();
    hist["initiatedBy"] = json!(caller);
    hist["activity"] = json!({"detail": change.detail, "riskEventTypes": change.events});
    t.risky_user_history.insert(0, hist);
    if change.detection {
        let det = hex::encode(uuid::Uuid::new_v4().as_bytes());
        t.risk_detections.insert(
            0,
            json!({"id": det, "requestId": null, "correlationId": null,
                "riskEventType": "adminConfirmedUserCompromised", "riskState": change.state,
                "riskLevel": "high", "riskDetail": change.detail, "source": "IdentityProtection",
                "detectionTimingType": "offline", "activity": "user", "tokenIssuerType": "AzureAD",
                "ipAddress": null, "activityDateTime": now, "detectedDateTime": now,
                "lastUpdatedDateTime": now, "userId": id, "userDisplayName": s("displayName"),
                "userPrincipalName": s("userPrincipalName"), "additionalInfo": "[]",
                "location": null}),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_updates_and_records_history() {
        let mut t = Tenant {
            users: vec![json!({"id": "u1", "displayName": "U", "userPrincipalName": "u@x"})],
            ..Tenant::default()
        };
        let dismiss = RiskChange {
            level: "none",
            state: "dismissed",
            detail: "adminDismissedAllRiskForUser",
            events: &[],
            create: false,
            detection: false,
        };
        assert!(!set_user_risk(
            &mut t,
            "u1",
            &dismiss,
            "a",
            "2026-01-01T00:00:00Z"
        ));
        let compromised = RiskChange {
            level: "high",
            state: "confirmedCompromised",
            detail: "adminConfirmedUserCompromised",
            events: &["adminConfirmedUserCompromised"],
            create: true,
            detection: true,
        };
        assert!(set_user_risk(
            &mut t,
            "U@X",
            &compromised,
            "a",
            "2026-01-01T00:00:00Z"
        ));
        assert_eq!(t.risky_users[0]["riskState"], "confirmedCompromised");
        assert_eq!(t.risky_user_history[0]["userId"], "u1");
        assert_eq!(t.risky_user_history[0]["initiatedBy"], "a");
        assert_eq!(t.risk_detections.len(), 1);
        assert!(set_user_risk(
            &mut t,
            "u1",
            &dismiss,
            "a",
            "2026-01-02T00:00:00Z"
        ));
        assert_eq!(t.risky_users[0]["riskLevel"], "none");
        assert_eq!(t.risky_user_history.len(), 2);
    }
}
