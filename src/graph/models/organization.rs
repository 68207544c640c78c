//! `organization`: tenant id, verified domains (what is inside the organisation) and licences.

use serde::{Deserialize, Serialize};

use super::TenantText;
use super::de::{lenient, null_default};

/// Entra ID P1 service plan.
pub const PLAN_P1: &str = "41781fb2-bc02-4b7c-bd55-b576c07bb09d";
/// Entra ID P2 service plan.
pub const PLAN_P2: &str = "eec0eb4f-6444-4f95-aba0-50c24d67f998";

/// The tenant.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Organization {
    pub id: String,
    pub display_name: TenantText,
    #[serde(deserialize_with = "null_default")]
    pub verified_domains: Vec<VerifiedDomain>,
    #[serde(deserialize_with = "null_default")]
    pub assigned_plans: Vec<AssignedPlan>,
}

/// `verifiedDomain`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VerifiedDomain {
    pub name: TenantText,
    #[serde(deserialize_with = "lenient")]
    pub is_default: Option<bool>,
    #[serde(deserialize_with = "lenient")]
    pub is_initial: Option<bool>,
    #[serde(rename = "type")]
    pub kind: TenantText,
}

/// `assignedPlan`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignedPlan {
    pub capability_status: TenantText,
    pub service: TenantText,
    pub service_plan_id: String,
}

impl Organization {
    fn has_plan(&self, plan: &str) -> bool {
        self.assigned_plans.iter().any(|p| {
            p.service_plan_id.eq_ignore_ascii_case(plan)
                && p.capability_status.raw().eq_ignore_ascii_case("Enabled")
        })
    }
    /// Entra ID P2 is enabled.
    pub fn has_p2(&self) -> bool {
        self.has_plan(PLAN_P2)
    }
    /// Entra ID P1 (or P2, which includes it) is enabled.
    pub fn has_p1(&self) -> bool {
        self.has_plan(PLAN_P1) || self.has_p2()
    }
    /// The organisation's domains, lower-case.
    pub fn domains(&self) -> Vec<String> {
        self.verified_domains
            .iter()
            .map(|d| d.name.raw().trim().to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect()
    }
}
