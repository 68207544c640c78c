//! `user` and `signInActivity` (graph-api.md §3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::TenantText;
use super::de::{lenient, null_default, opt_time};

/// The `$select` the console asks for when it looks up a suspect.
pub const USER_SELECT: &str = "id,displayName,userPrincipalName,mail,accountEnabled,createdDateTime,lastPasswordChangeDateTime,signInSessionsValidFromDateTime,onPremisesSyncEnabled,onPremisesLastSyncDateTime,userType,jobTitle,department,companyName,usageLocation,country,externalUserState,mobilePhone,otherMails,signInActivity";

/// A directory user.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: String,
    pub display_name: TenantText,
    pub user_principal_name: TenantText,
    pub mail: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub account_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_time")]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "opt_time")]
    pub last_password_change_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "opt_time")]
    pub sign_in_sessions_valid_from_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient")]
    pub on_premises_sync_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_time")]
    pub on_premises_last_sync_date_time: Option<DateTime<Utc>>,
    pub user_type: TenantText,
    pub job_title: TenantText,
    pub department: TenantText,
    pub company_name: TenantText,
    pub usage_location: TenantText,
    pub country: TenantText,
    pub external_user_state: TenantText,
    pub mobile_phone: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub other_mails: Vec<TenantText>,
    #[serde(deserialize_with = "lenient")]
    pub sign_in_activity: Option<SignInActivity>,
}

/// `signInActivity`: last interactive / non-interactive / successful sign-in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInActivity {
    #[serde(deserialize_with = "opt_time")]
    pub last_sign_in_date_time: Option<DateTime<Utc>>,
    pub last_sign_in_request_id: Option<String>,
    #[serde(deserialize_with = "opt_time")]
    pub last_non_interactive_sign_in_date_time: Option<DateTime<Utc>>,
    pub last_non_interactive_sign_in_request_id: Option<String>,
    #[serde(deserialize_with = "opt_time")]
    pub last_successful_sign_in_date_time: Option<DateTime<Utc>>,
    pub last_successful_sign_in_request_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_sentinels_nulls_and_unknown_fields() {
        let u: User = serde_json::from_str(
            r#"{"id":"1","displayName":null,"accountEnabled":"yes","createdDateTime":"0001-01-01T00:00:00Z",
            "lastPasswordChangeDateTime":"","otherMails":null,"newField":{"x":1},
            "signInActivity":{"lastSignInDateTime":"2026-11-01T08:00:00.1234567Z"}}"#,
        )
        .unwrap();
        assert_eq!(u.account_enabled, None);
        assert!(u.created_date_time.is_none() && u.last_password_change_date_time.is_none());
        assert!(u.sign_in_activity.unwrap().last_sign_in_date_time.is_some());
    }
}
