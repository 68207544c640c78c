//! Identity Protection: `riskyUser`, `riskyUserHistoryItem`, `riskDetection` (graph-api.md §5).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{lenient, null_default, opt_time};
use super::{RiskDetail, RiskLevel, RiskState, SignInLocation, TenantText};

/// The user's Identity Protection record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RiskyUser {
    pub id: String,
    #[serde(deserialize_with = "lenient")]
    pub is_deleted: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub is_processing: Option<bool>,
    pub risk_detail: RiskDetail,
    #[serde(deserialize_with = "opt_time")]
    pub risk_last_updated_date_time: Option<DateTime<Utc>>,
    pub risk_level: RiskLevel,
    pub risk_state: RiskState,
    pub user_display_name: TenantText,
    pub user_principal_name: TenantText,
}

/// One change in the user's risk over time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RiskyUserHistoryItem {
    pub id: String,
    pub user_id: String,
    pub initiated_by: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub activity: Option<RiskUserActivity>,
    pub risk_detail: RiskDetail,
    #[serde(deserialize_with = "opt_time")]
    pub risk_last_updated_date_time: Option<DateTime<Utc>>,
    pub risk_level: RiskLevel,
    pub risk_state: RiskState,
    pub user_display_name: TenantText,
    pub user_principal_name: TenantText,
}

/// `riskUserActivity`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RiskUserActivity {
    pub detail: RiskDetail,
    #[serde(deserialize_with = "null_default")]
    pub risk_event_types: Vec<String>,
}

/// One risk detection (sign-in linked or offline).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RiskDetection {
    pub id: String,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    pub risk_event_type: TenantText,
    pub risk_state: RiskState,
    pub risk_level: RiskLevel,
    pub risk_detail: RiskDetail,
    pub source: TenantText,
    pub detection_timing_type: TenantText,
    pub activity: TenantText,
    pub token_issuer_type: TenantText,
    pub ip_address: TenantText,
    #[serde(deserialize_with = "opt_time")]
    pub activity_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "opt_time")]
    pub detected_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "opt_time")]
    pub last_updated_date_time: Option<DateTime<Utc>>,
    pub user_id: String,
    pub user_display_name: TenantText,
    pub user_principal_name: TenantText,
    /// A JSON-encoded string (array of `{Key, Value}`), kept as sent.
    pub additional_info: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub location: SignInLocation,
}

impl RiskDetection {
    /// The `{Key, Value}` pairs inside `additionalInfo`, if it parses.
    pub fn additional_info_pairs(&self) -> Vec<(String, String)> {
        let Ok(serde_json::Value::Array(items)) =
            serde_json::from_str::<serde_json::Value>(self.additional_info.raw())
        else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|i| {
                let k = i.get("Key")?.as_str()?.to_owned();
                let v = match i.get("Value")? {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Some((k, v))
            })
            .collect()
    }
}
