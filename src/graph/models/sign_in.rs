//! `signIn` (v1.0, graph-api.md §4.1) plus the beta-only fields the console uses when present.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{lenient, null_default, opt_time};
use super::intern::Interner;
use super::{ConditionalAccessStatus, Id, RiskDetail, RiskLevel, RiskState, TenantText};

/// One sign-in event. The fields that differ on nearly every sign-in are its own; the rest
/// (who, which app, device, place, status, risk, policies — repeated across a log) live in a
/// [`SignInProfile`] shared by every sign-in with the same values (interned when parsed, see
/// `intern.rs`) and read through `Deref` (`s.app_display_name`, `s.location.city`). Writing
/// a profile field (`DerefMut`) copies the profile first, so a sign-in stays a plain value.
/// Serializes exactly as the Graph `signIn` it was parsed from (same fields, same order).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "SignInWire", into = "SignInWire")]
pub struct SignIn {
    pub id: Id,
    pub created_date_time: Option<DateTime<Utc>>,
    pub user_id: Id,
    pub ip_address: TenantText,
    pub correlation_id: Id,
    /// The shared rest of the sign-in (read it through `Deref`).
    pub profile: Arc<SignInProfile>,
}

/// The part of a sign-in that repeats across a user's log (see [`SignIn`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SignInProfile {
    pub user_display_name: TenantText,
    pub user_principal_name: TenantText,
    pub app_id: Id,
    pub app_display_name: TenantText,
    pub resource_id: Id,
    pub resource_display_name: TenantText,
    pub client_app_used: TenantText,
    pub user_agent: TenantText,
    pub conditional_access_status: ConditionalAccessStatus,
    pub applied_conditional_access_policies: Vec<AppliedConditionalAccessPolicy>,
    pub is_interactive: Option<bool>,
    pub status: SignInStatus,
    pub device_detail: DeviceDetail,
    pub location: SignInLocation,
    pub risk_detail: RiskDetail,
    pub risk_level_aggregated: RiskLevel,
    pub risk_level_during_sign_in: RiskLevel,
    pub risk_state: RiskState,
    pub risk_event_types: Vec<String>,
    pub risk_event_types_v2: Vec<String>,
    // ---- beta only (absent from v1.0 responses) ----
    pub sign_in_event_types: Vec<String>,
    pub authentication_protocol: Option<String>,
    pub authentication_requirement: Option<String>,
    pub incoming_token_type: Option<String>,
    pub autonomous_system_number: Option<i64>,
    pub authentication_details: Vec<AuthenticationDetail>,
}

/// Most distinct profiles one parsing thread shares (a user's log has hundreds to a few
/// thousand; the simulator's generator at most 16,200). Past it, new profiles are not shared.
/// Bounds what the table alone can keep alive to ~16k profiles (~15 MiB) per parsing thread.
const PROFILE_LIMIT: usize = 1 << 14;

thread_local! {
    static PROFILES: RefCell<Interner<SignInProfile>> =
        RefCell::new(Interner::with_limit(PROFILE_LIMIT));
}

impl Deref for SignIn {
    type Target = SignInProfile;
    fn deref(&self) -> &SignInProfile {
        &self.profile
    }
}

impl DerefMut for SignIn {
    fn deref_mut(&mut self) -> &mut SignInProfile {
        Arc::make_mut(&mut self.profile)
    }
}

/// `signIn` on the wire: every field, in Graph's order.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct SignInWire {
    id: Id,
    #[serde(deserialize_with = "opt_time")]
    created_date_time: Option<DateTime<Utc>>,
    user_id: Id,
    user_display_name: TenantText,
    user_principal_name: TenantText,
    app_id: Id,
    app_display_name: TenantText,
    resource_id: Id,
    resource_display_name: TenantText,
    ip_address: TenantText,
    client_app_used: TenantText,
    user_agent: TenantText,
    correlation_id: Id,
    conditional_access_status: ConditionalAccessStatus,
    #[serde(deserialize_with = "null_default")]
    applied_conditional_access_policies: Vec<AppliedConditionalAccessPolicy>,
    #[serde(deserialize_with = "lenient")]
    is_interactive: Option<bool>,
    #[serde(deserialize_with = "null_default")]
    status: SignInStatus,
    #[serde(deserialize_with = "null_default")]
    device_detail: DeviceDetail,
    #[serde(deserialize_with = "null_default")]
    location: SignInLocation,
    risk_detail: RiskDetail,
    risk_level_aggregated: RiskLevel,
    risk_level_during_sign_in: RiskLevel,
    risk_state: RiskState,
    #[serde(deserialize_with = "null_default")]
    risk_event_types: Vec<String>,
    #[serde(rename = "riskEventTypes_v2", deserialize_with = "null_default")]
    risk_event_types_v2: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    sign_in_event_types: Vec<String>,
    authentication_protocol: Option<String>,
    authentication_requirement: Option<String>,
    incoming_token_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    autonomous_system_number: Option<i64>,
    #[serde(deserialize_with = "null_default")]
    authentication_details: Vec<AuthenticationDetail>,
}

impl Default for SignInWire {
    fn default() -> Self {
        SignIn::default().into()
    }
}

impl From<SignInWire> for SignIn {
    fn from(w: SignInWire) -> Self {
        let profile = SignInProfile {
            user_display_name: w.user_display_name,
            user_principal_name: w.user_principal_name,
            app_id: w.app_id,
            app_display_name: w.app_display_name,
            resource_id: w.resource_id,
            resource_display_name: w.resource_display_name,
            client_app_used: w.client_app_used,
            user_agent: w.user_agent,
            conditional_access_status: w.conditional_access_status,
            applied_conditional_access_policies: w.applied_conditional_access_policies,
            is_interactive: w.is_interactive,
            status: w.status,
            device_detail: w.device_detail,
            location: w.location,
            risk_detail: w.risk_detail,
            risk_level_aggregated: w.risk_level_aggregated,
            risk_level_during_sign_in: w.risk_level_during_sign_in,
            risk_state: w.risk_state,
            risk_event_types: w.risk_event_types,
            risk_event_types_v2: w.risk_event_types_v2,
            sign_in_event_types: w.sign_in_event_types,
            authentication_protocol: w.authentication_protocol,
            authentication_requirement: w.authentication_requirement,
            incoming_token_type: w.incoming_token_type,
            autonomous_system_number: w.autonomous_system_number,
            authentication_details: w.authentication_details,
        };
        let profile = PROFILES.with(|t| {
            t.borrow_mut()
                .get_or_insert(&profile, |p| Arc::new(p.clone()))
        });
        SignIn {
            id: w.id,
            created_date_time: w.created_date_time,
            user_id: w.user_id,
            ip_address: w.ip_address,
            correlation_id: w.correlation_id,
            profile,
        }
    }
}

impl From<SignIn> for SignInWire {
    fn from(s: SignIn) -> Self {
        let p = Arc::unwrap_or_clone(s.profile);
        SignInWire {
            id: s.id,
            created_date_time: s.created_date_time,
            user_id: s.user_id,
            user_display_name: p.user_display_name,
            user_principal_name: p.user_principal_name,
            app_id: p.app_id,
            app_display_name: p.app_display_name,
            resource_id: p.resource_id,
            resource_display_name: p.resource_display_name,
            ip_address: s.ip_address,
            client_app_used: p.client_app_used,
            user_agent: p.user_agent,
            correlation_id: s.correlation_id,
            conditional_access_status: p.conditional_access_status,
            applied_conditional_access_policies: p.applied_conditional_access_policies,
            is_interactive: p.is_interactive,
            status: p.status,
            device_detail: p.device_detail,
            location: p.location,
            risk_detail: p.risk_detail,
            risk_level_aggregated: p.risk_level_aggregated,
            risk_level_during_sign_in: p.risk_level_during_sign_in,
            risk_state: p.risk_state,
            risk_event_types: p.risk_event_types,
            risk_event_types_v2: p.risk_event_types_v2,
            sign_in_event_types: p.sign_in_event_types,
            authentication_protocol: p.authentication_protocol,
            authentication_requirement: p.authentication_requirement,
            incoming_token_type: p.incoming_token_type,
            autonomous_system_number: p.autonomous_system_number,
            authentication_details: p.authentication_details,
        }
    }
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInStatus {
    #[serde(deserialize_with = "null_default")]
    pub error_code: i64,
    pub failure_reason: TenantText,
    pub additional_details: TenantText,
}

/// `deviceDetail`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Compared and hashed bit for bit (so a profile can be interned; `NaN` equals itself).
impl PartialEq for GeoCoordinates {
    fn eq(&self, o: &Self) -> bool {
        self.bits() == o.bits()
    }
}

impl Eq for GeoCoordinates {}

impl Hash for GeoCoordinates {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.bits().hash(h)
    }
}

impl GeoCoordinates {
    fn bits(&self) -> [Option<u64>; 3] {
        [self.altitude, self.latitude, self.longitude].map(|c| c.map(f64::to_bits))
    }
}

/// `appliedConditionalAccessPolicy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppliedConditionalAccessPolicy {
    pub id: Id,
    pub display_name: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub enforced_grant_controls: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub enforced_session_controls: Vec<TenantText>,
    pub result: TenantText,
}

/// Beta `authenticationDetail`: one step of the sign-in (e.g. the MFA prompt).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    const FULL: &str = r#"{"id":"5ca1ab1e-0000-4000-8000-000000000001","createdDateTime":"2026-11-18T09:14:02Z",
        "userId":"u1","userDisplayName":"Alice","userPrincipalName":"alice@contoso.com",
        "appId":"a1","appDisplayName":"OfficeHome","resourceId":"r1","resourceDisplayName":"Graph",
        "ipAddress":"203.0.113.7","clientAppUsed":"Browser","userAgent":"UA","correlationId":"c1",
        "conditionalAccessStatus":"success","appliedConditionalAccessPolicies":[{"id":"p1",
        "displayName":"MFA","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"success"}],
        "isInteractive":true,"status":{"errorCode":0,"failureReason":"","additionalDetails":""},
        "deviceDetail":{"deviceId":"","displayName":"","operatingSystem":"Windows10","browser":"Edge",
        "isCompliant":false,"isManaged":null,"trustType":""},
        "location":{"city":"Lagos","state":"Lagos","countryOrRegion":"NG",
        "geoCoordinates":{"altitude":null,"latitude":6.5,"longitude":3.3}},
        "riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"low","riskState":"none",
        "riskEventTypes":[],"riskEventTypes_v2":["unfamiliarFeatures"],"signInEventTypes":[],
        "authenticationProtocol":null,"authenticationRequirement":"singleFactorAuthentication",
        "incomingTokenType":null,"autonomousSystemNumber":36873,"authenticationDetails":[]}"#;

    #[test]
    fn serializes_every_field_in_graph_order() {
        let s: SignIn = serde_json::from_str(FULL).unwrap();
        let out = serde_json::to_string(&s).unwrap();
        let want: serde_json::Value = serde_json::from_str(FULL).unwrap();
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(got, want);
        let keys =
            |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&got), keys(&want));
    }

    #[test]
    fn repeated_profiles_are_shared_and_writes_copy() {
        let a: SignIn = serde_json::from_str(FULL).unwrap();
        let mut other: serde_json::Value = serde_json::from_str(FULL).unwrap();
        other["id"] = "second".into();
        other["ipAddress"] = "198.51.100.1".into();
        let b: SignIn = serde_json::from_value(other).unwrap();
        assert!(Arc::ptr_eq(&a.profile, &b.profile));
        assert_eq!(b.ip_address.raw(), "198.51.100.1");
        let mut c = b.clone();
        c.location.city = TenantText::new("Abuja");
        assert_eq!(b.location.city.raw(), "Lagos");
        assert_eq!(c.location.city.raw(), "Abuja");
        assert!(!Arc::ptr_eq(&b.profile, &c.profile));
        // The per-row part stays small: ids inline, everything repeated behind one pointer.
        assert!(
            std::mem::size_of::<SignIn>() <= 160,
            "{}",
            std::mem::size_of::<SignIn>()
        );
    }
}
