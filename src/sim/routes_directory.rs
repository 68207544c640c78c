//! Directory reads: `/organization`, `/users` (+ `/users/{id|upn}`, `/me`),
//! `/users/{id}/oauth2PermissionGrants`, `/oauth2PermissionGrants`, `/servicePrincipals`.

use serde_json::Value;

use super::errors::{Answer, GraphError};
use super::routes::{ALT, Ctx, entity, list_values};
use super::state::lock;
use super::tenant::{Tenant, find_by_id};

/// Users are served as written (contracts §3), unlike Graph's small default property set;
/// only `signInActivity` is withheld from unlicensed tenants unless explicitly selected
/// (which is then refused with 403).
fn user_view(v: &Value, licensed: bool) -> Value {
    let mut v = v.clone();
    if !licensed && let Value::Object(o) = &mut v {
        o.remove("signInActivity");
    }
    v
}

pub fn organization(ctx: &Ctx<'_>, id: Option<&str>) -> Answer {
    let data = lock(&ctx.state.data);
    let orgs = &data.tenant.organization;
    match id {
        None => list_values(ctx, orgs, "organization", (100, 999), None, |_| true),
        Some(id) => match find_by_id(orgs, id) {
            Some(o) => entity(ctx, o, "organization", None),
            None => Err(GraphError::directory_not_found(id)),
        },
    }
}

/// 403 unless the tenant has P1/P2 when `signInActivity` is selected or filtered.
fn check_sign_in_activity(ctx: &Ctx<'_>, t: &Tenant) -> Result<bool, GraphError> {
    let q = &ctx.query;
    let wanted = q.selects("signInActivity")
        || q.filter_text
            .as_ref()
            .is_some_and(|f| f.to_ascii_lowercase().contains("signinactivity"));
    if wanted && !t.licences().0 {
        return Err(GraphError::not_premium());
    }
    Ok(wanted)
}

pub fn list_users(ctx: &Ctx<'_>) -> Answer {
    let data = lock(&ctx.state.data);
    let with_activity = check_sign_in_activity(ctx, &data.tenant)?;
    let max = if with_activity { 500 } else { 999 };
    let licensed = data.tenant.licences().0;
    if licensed {
        return list_values(ctx, &data.tenant.users, "users", (100, max), None, |_| true);
    }
    let users: Vec<Value> = data
        .tenant
        .users
        .iter()
        .map(|u| user_view(u, false))
        .collect();
    list_values(ctx, &users, "users", (100, max), None, |_| true)
}

/// Resolves an id or UPN to the user's index, or 404 Request_ResourceNotFound.
pub fn user_index(t: &Tenant, key: &str) -> Result<usize, GraphError> {
    t.user_index(key)
        .ok_or_else(|| GraphError::directory_not_found(key))
}

pub fn get_user(ctx: &Ctx<'_>, key: &str) -> Answer {
    let data = lock(&ctx.state.data);
    check_sign_in_activity(ctx, &data.tenant)?;
    let i = user_index(&data.tenant, key)?;
    let user = user_view(&data.tenant.users[i], data.tenant.licences().0);
    entity(ctx, &user, "users", None)
}

fn str_eq(v: &Value, field: &str, want: &str) -> bool {
    v.get(field)
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case(want))
}

pub fn user_grants(ctx: &Ctx<'_>, key: &str) -> Answer {
    let data = lock(&ctx.state.data);
    let t = &data.tenant;
    let i = user_index(t, key)?;
    let id = t.users[i].get("id").and_then(Value::as_str).unwrap_or("");
    list_values(
        ctx,
        &t.grants,
        "oauth2PermissionGrants",
        (100, 999),
        None,
        |g| str_eq(g, "consentType", "Principal") && str_eq(g, "principalId", id),
    )
}

pub fn grants(ctx: &Ctx<'_>, id: Option<&str>) -> Answer {
    let data = lock(&ctx.state.data);
    let t = &data.tenant;
    match id {
        None => list_values(
            ctx,
            &t.grants,
            "oauth2PermissionGrants",
            (100, 999),
            None,
            |_| true,
        ),
        Some(id) => match t
            .grants
            .iter()
            .find(|g| g.get("id").and_then(Value::as_str) == Some(id))
        {
            Some(g) => entity(ctx, g, "oauth2PermissionGrants", None),
            None => Err(GraphError::directory_not_found(id)),
        },
    }
}

pub fn service_principals(ctx: &Ctx<'_>, id: Option<&str>) -> Answer {
    let data = lock(&ctx.state.data);
    let sps = &data.tenant.service_principals;
    match id {
        None => list_values(ctx, sps, "servicePrincipals", (100, 999), None, |_| true),
        Some(key) => {
            let found = match key.strip_prefix(ALT) {
                Some(alt) => match alt.split_once('=') {
                    Some((prop, v)) if prop.eq_ignore_ascii_case("appId") => {
                        sps.iter().find(|s| str_eq(s, "appId", v))
                    }
                    _ => {
                        return Err(GraphError::bad_request(
                            "Request_BadRequest",
                            format!("'{alt}' is not a valid alternate key for servicePrincipals."),
                        ));
                    }
                },
                None => find_by_id(sps, key),
            };
            match found {
                Some(s) => entity(ctx, s, "servicePrincipals", None),
                None => Err(GraphError::directory_not_found(key.trim_start_matches(ALT))),
            }
        }
    }
}
