//! Pre-flight: what the token may do (its scopes, read from the token's claims or the cache)
//! and what the tenant is licensed for (`organization.assignedPlans`: Entra ID P1 / P2), sent
//! to the UI once at start and again after each sign-in, before any pane is loaded. The UI
//! decides from it (pure); this module only gathers it.

use crate::auth::Granted;
use crate::graph::models::Organization;

/// What is known of the token's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeCheck {
    /// The token's scopes and app roles.
    Known(Granted),
    /// They cannot be read (an opaque or environment token); `why` says so in the header.
    Unknown {
        /// Why, for the analyst.
        why: String,
    },
}

/// The tenant's Entra ID licences, from `organization.assignedPlans`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Licence {
    /// Entra ID P1 (or P2) is enabled: sign-in logs, risk detections.
    pub p1: bool,
    /// Entra ID P2 is enabled: risky users and their history.
    pub p2: bool,
}

impl Licence {
    /// The licence the organisation lists; `None` when it lists no plans at all (the
    /// property was not returned or cannot be judged — nothing is skipped then).
    pub fn of(org: &Organization) -> Option<Licence> {
        (!org.assigned_plans.is_empty()).then(|| Licence {
            p1: org.has_p1(),
            p2: org.has_p2(),
        })
    }
}

/// Everything pre-flight knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preflight {
    /// The token's permissions.
    pub scopes: ScopeCheck,
    /// The tenant's licence; `None`: unknown (the organisation could not be read).
    pub licence: Option<Licence>,
}

/// Why pre-flight cannot read the scopes of a token given from outside.
pub const UNKNOWN_FIXED_TOKEN: &str = "pre-flight off: this token's permissions are not checked in advance; each pane says what Graph refuses";

/// The scopes of the profile's cached sign-in (no network).
pub fn cached_scopes(cfg: &crate::auth::AuthConfig) -> ScopeCheck {
    match crate::auth::whoami_with(cfg, None) {
        Ok(who) if !who.scopes.is_empty() || !who.roles.is_empty() => {
            ScopeCheck::Known(Granted::new(
                who.scopes.iter().map(String::as_str),
                who.roles.iter().map(String::as_str),
            ))
        }
        Ok(_) => ScopeCheck::Unknown {
            why: "pre-flight off: the token's scopes cannot be read (opaque token)".into(),
        },
        Err(e) => ScopeCheck::Unknown {
            why: format!("pre-flight off: {e}"),
        },
    }
}

/// Adds the roles of the app-only credential, when one is configured, to `granted`: the
/// suspect's mailbox is read through it (`MailboxSplit`), so its application permissions
/// decide whether the Rules pane can load. A credential that cannot get a token adds nothing
/// (the pane then says which application permission is missing, and the log says why).
pub async fn add_app_only_roles(cfg: &crate::auth::AuthConfig, granted: &mut Granted) {
    if !crate::auth::app_only_configured(cfg) {
        return;
    }
    let token = match crate::auth::app_only_source(cfg) {
        Ok(source) => source.token().await,
        Err(e) => {
            tracing::warn!("pre-flight: app-only credential: {e}");
            return;
        }
    };
    match token {
        Ok(t) => match crate::auth::claims::decode(&t) {
            Ok(claims) => {
                let extra = Granted::new([], claims.roles.iter().map(String::as_str));
                granted.roles.extend(extra.roles);
            }
            Err(_) => tracing::warn!("pre-flight: the app-only token's roles cannot be read"),
        },
        Err(e) => tracing::warn!("pre-flight: app-only token: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::models::AssignedPlan;
    use crate::graph::models::organization::{PLAN_P1, PLAN_P2};

    fn plan(id: &str, status: &str) -> AssignedPlan {
        serde_json::from_value(serde_json::json!({
            "servicePlanId": id, "capabilityStatus": status, "service": "AADPremiumService"
        }))
        .unwrap()
    }

    #[test]
    fn licence_from_assigned_plans() {
        let mut org = Organization::default();
        assert_eq!(Licence::of(&org), None, "no plans listed: unknown");
        org.assigned_plans = vec![plan(PLAN_P1, "Enabled")];
        assert_eq!(
            Licence::of(&org),
            Some(Licence {
                p1: true,
                p2: false
            })
        );
        org.assigned_plans.push(plan(PLAN_P2, "Suspended"));
        assert_eq!(
            Licence::of(&org),
            Some(Licence {
                p1: true,
                p2: false
            })
        );
        org.assigned_plans.push(plan(PLAN_P2, "Enabled"));
        assert_eq!(Licence::of(&org), Some(Licence { p1: true, p2: true }));
    }
}
