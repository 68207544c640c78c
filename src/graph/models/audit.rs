//! `directoryAudit` (graph-api.md §10).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{lenient, null_default, opt_time};
use super::{OperationResult, TenantText};

/// One directory audit event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryAudit {
    pub id: String,
    #[serde(deserialize_with = "opt_time")]
    pub activity_date_time: Option<DateTime<Utc>>,
    pub activity_display_name: TenantText,
    pub category: TenantText,
    pub correlation_id: Option<String>,
    pub logged_by_service: TenantText,
    pub operation_type: TenantText,
    pub result: OperationResult,
    pub result_reason: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub additional_details: Vec<KeyValue>,
    #[serde(deserialize_with = "null_default")]
    pub initiated_by: AuditActivityInitiator,
    #[serde(deserialize_with = "null_default")]
    pub target_resources: Vec<TargetResource>,
}

impl DirectoryAudit {
    /// Who did it: the user's UPN or the app's name.
    pub fn initiator(&self) -> TenantText {
        if let Some(u) = &self.initiated_by.user {
            if !u.user_principal_name.is_empty() {
                return u.user_principal_name.clone();
            }
            return u.display_name.clone();
        }
        if let Some(a) = &self.initiated_by.app {
            return a.display_name.clone();
        }
        TenantText::default()
    }
}

/// `keyValue`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyValue {
    pub key: TenantText,
    pub value: TenantText,
}

/// `auditActivityInitiator`: a user or an app (one is null).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditActivityInitiator {
    #[serde(deserialize_with = "lenient")]
    pub user: Option<UserIdentity>,
    #[serde(deserialize_with = "lenient")]
    pub app: Option<AppIdentity>,
}

/// `userIdentity` in an audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserIdentity {
    pub id: Option<String>,
    pub display_name: TenantText,
    pub user_principal_name: TenantText,
    pub ip_address: TenantText,
}

/// `appIdentity` in an audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppIdentity {
    pub app_id: Option<String>,
    pub display_name: TenantText,
    pub service_principal_id: Option<String>,
    pub service_principal_name: TenantText,
}

/// `targetResource`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TargetResource {
    pub id: Option<String>,
    pub display_name: TenantText,
    #[serde(rename = "type")]
    pub kind: TenantText,
    pub user_principal_name: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub modified_properties: Vec<ModifiedProperty>,
}

/// `modifiedProperty`: values are JSON-encoded strings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModifiedProperty {
    pub display_name: TenantText,
    pub old_value: TenantText,
    pub new_value: TenantText,
}
