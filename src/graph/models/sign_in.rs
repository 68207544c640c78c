//! `signIn` (v1.0, graph-api.md §4.1) plus the beta-only fields the console uses when present.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{lenient, null_default, opt_time};
use super::{ConditionalAccessStatus, RiskDetail, RiskLevel, RiskState, TenantText};

/// One sign-in event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignIn {
    pub id: String,
    #[serde(deserialize_with = "opt_time")]
    pub created_date_time: Option<DateTime<Utc>>,
    pub user_id: String,
    pub user_display_name: TenantText,
    pub user_principal_name: TenantText,
    pub app_id: String,
    pub app_display_name: TenantText,
    pub resource_id: String,
    pub resource_display_name: TenantText,
    pub ip_address: TenantText,
    pub client_app_used: TenantText,
    pub user_agent: TenantText,
    pub correlation_id: String,
    pub conditional_access_status: ConditionalAccessStatus,
    #[serde(deserialize_with = "null_default")]
    pub applied_conditional_access_policies: Vec<AppliedConditionalAccessPolicy>,
    #[serde(deserialize_with = "lenient")]
    pub is_interactive: Option<bool>,
    #[serde(deserialize_with = "null_default")]
    pub status: SignInStatus,
    #[serde(deserialize_with = "null_default")]
    pub device_detail: DeviceDetail,
    #[serde(deserialize_with = "null_default")]
    pub location: SignInLocation,
    pub risk_detail: RiskDetail,
    pub risk_level_aggregated: RiskLevel,
    pub risk_level_during_sign_in: RiskLevel,
    pub risk_state: RiskState,
    #[serde(deserialize_with = "null_default")]
    pub risk_event_types: Vec<String>,
    #[serde(rename = "riskEventTypes_v2", deserialize_with = "null_default")]
    pub risk_event_types_v2: Vec<String>,
    // ---- beta only (absent from v1.0 responses) ----
    #[serde(deserialize_with = "null_default")]
    pub sign_in_event_types: Vec<String>,
    pub authentication_protocol: Option<String>,
    pub authentication_requirement: Option<String>,
    pub incoming_token_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub autonomous_system_number: Option<i64>,
    #[serde(deserialize_with = "null_default")]
    pub authentication_details: Vec<AuthenticationDetail>,
}

impl SignIn {
    /// `status.errorCode == 0`.
    pub fn succeeded(&self) -> bool {
        self.status.error_code == 0
    }
    /// Whether this row is interactive (v1.0 rows are; beta says so explicitly).
    pub fn interactive(&self) -> bool {
        if let Some(i) = self.is_interactive {
            return i;
        }
        self.sign_in_event_types.is_empty()
            || self
                .sign_in_event_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case("interactiveUser"))
    }
    /// The highest of the two risk levels Graph reports for the sign-in.
    pub fn risk(&self) -> &RiskLevel {
        if self.risk_level_during_sign_in.rank() >= self.risk_level_aggregated.rank() {
            &self.risk_level_during_sign_in
        } else {
            &self.risk_level_aggregated
        }
    }
}

/// `signInStatus`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInStatus {
    #[serde(deserialize_with = "null_default")]
    pub error_code: i64,
    pub failure_reason: TenantText,
    pub additional_details: TenantText,
}

/// `deviceDetail`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceDetail {
    pub device_id: TenantText,
    pub display_name: TenantText,
    pub operating_system: TenantText,
    pub browser: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub is_compliant: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub is_managed: Option<bool>,
    pub trust_type: TenantText,
}

/// `signInLocation`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInLocation {
    pub city: TenantText,
    pub state: TenantText,
    pub country_or_region: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub geo_coordinates: Option<GeoCoordinates>,
}

impl SignInLocation {
    /// `(latitude, longitude)` when both are present and plausible.
    pub fn coordinates(&self) -> Option<(f64, f64)> {
        let g = self.geo_coordinates.as_ref()?;
        match (g.latitude, g.longitude) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some((lat, lon))
            }
            _ => None,
        }
    }
}

/// `geoCoordinates`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GeoCoordinates {
    #[serde(deserialize_with = "lenient")]
    pub altitude: Option<f64>,
    #[serde(deserialize_with = "lenient")]
    pub latitude: Option<f64>,
    #[serde(deserialize_with = "lenient")]
    pub longitude: Option<f64>,
}

/// `appliedConditionalAccessPolicy`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppliedConditionalAccessPolicy {
    pub id: String,
    pub display_name: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub enforced_grant_controls: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub enforced_session_controls: Vec<TenantText>,
    pub result: TenantText,
}

/// Beta `authenticationDetail`: one step of the sign-in (e.g. the MFA prompt).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticationDetail {
    #[serde(deserialize_with = "opt_time")]
    pub authentication_step_date_time: Option<DateTime<Utc>>,
    pub authentication_method: TenantText,
    pub authentication_method_detail: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub succeeded: Option<bool>,
    pub authentication_step_result_detail: TenantText,
    pub authentication_step_requirement: TenantText,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_sparse_and_odd_sign_in() {
        let s: SignIn = serde_json::from_str(
            r#"{"id":"a","createdDateTime":"2026-11-18T09:14:02Z","status":null,
            "location":{"city":"Lagos","countryOrRegion":"NG","geoCoordinates":{}},
            "riskLevelDuringSignIn":"high","riskEventTypes_v2":null,"deviceDetail":{"isCompliant":"x"}}"#,
        )
        .unwrap();
        assert!(s.succeeded());
        assert_eq!(s.location.coordinates(), None);
        assert_eq!(s.risk(), &RiskLevel::High);
        assert!(s.interactive());
    }
}
