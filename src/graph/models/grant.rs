//! `oAuth2PermissionGrant` and `servicePrincipal` (graph-api.md §8).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{lenient, null_default, opt_time};
use super::{ConsentType, TenantText};

/// A delegated permission grant (consent).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OAuth2PermissionGrant {
    pub id: String,
    /// Object id of the client service principal (not the appId).
    pub client_id: String,
    pub consent_type: ConsentType,
    pub principal_id: Option<String>,
    /// Object id of the API's service principal.
    pub resource_id: String,
    /// Space-separated delegated permissions; may carry stray spaces.
    pub scope: TenantText,
}

impl OAuth2PermissionGrant {
    /// The individual scopes, trimmed.
    pub fn scopes(&self) -> Vec<&str> {
        self.scope.raw().split_whitespace().collect()
    }
}

/// The `$select` used to resolve a grant's client and resource.
pub const SERVICE_PRINCIPAL_SELECT: &str = "id,appId,displayName,appDisplayName,appOwnerOrganizationId,verifiedPublisher,signInAudience,servicePrincipalType,accountEnabled,replyUrls,tags";

/// An application's identity in this tenant.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: String,
    pub display_name: TenantText,
    pub app_display_name: TenantText,
    pub app_owner_organization_id: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub verified_publisher: Option<VerifiedPublisher>,
    pub sign_in_audience: TenantText,
    pub service_principal_type: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub account_enabled: Option<bool>,
    #[serde(deserialize_with = "null_default")]
    pub reply_urls: Vec<TenantText>,
    #[serde(deserialize_with = "null_default")]
    pub tags: Vec<TenantText>,
    /// Beta only.
    pub publisher_name: Option<TenantText>,
}

/// Microsoft's own tenants: apps they publish are first-party.
pub const MICROSOFT_TENANT_IDS: [&str; 2] = [
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
];

impl ServicePrincipal {
    /// A publisher verified by Microsoft (a `verifiedPublisherId` is present).
    pub fn is_verified(&self) -> bool {
        self.verified_publisher
            .as_ref()
            .and_then(|p| p.verified_publisher_id.as_deref())
            .is_some_and(|id| !id.trim().is_empty())
    }
    /// Published by Microsoft itself.
    pub fn is_first_party(&self) -> bool {
        self.app_owner_organization_id.as_deref().is_some_and(|t| {
            MICROSOFT_TENANT_IDS
                .iter()
                .any(|m| m.eq_ignore_ascii_case(t))
        })
    }
    /// The best name to show.
    pub fn name(&self) -> &TenantText {
        if self.display_name.is_empty() {
            &self.app_display_name
        } else {
            &self.display_name
        }
    }
}

/// `verifiedPublisher`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VerifiedPublisher {
    pub display_name: Option<TenantText>,
    pub verified_publisher_id: Option<String>,
    #[serde(deserialize_with = "opt_time")]
    pub added_date_time: Option<DateTime<Utc>>,
}
