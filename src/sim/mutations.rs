//! State-changing requests on users, grants, mailbox rules and risk: PATCH user
//! (accountEnabled, passwordProfile), revokeSignInSessions, PATCH/DELETE grants, POST/PATCH/
//! DELETE Inbox rules, riskyUsers and signIns confirmCompromised/confirmSafe/dismiss.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::audit;
use super::errors::{Answer, GraphError, Reply};
use super::risk_state::{RiskChange, set_user_risk};
use super::routes::Ctx;
use super::routes_auth::{is_inbox, mail_not_found, user_id};
use super::routes_directory::user_index;
use super::state::lock;
use super::tenant::id_is;

/// Now as Graph writes it: `2026-11-20T12:00:00Z`.
pub fn now_str() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn body_object(ctx: &Ctx<'_>) -> Result<Map<String, Value>, GraphError> {
    match ctx.json_body()? {
        Value::Object(o) => Ok(o),
        _ => Err(GraphError::bad_request(
            "BadRequest",
            "The request body must be a JSON object.",
        )),
    }
}

/// Entra's default complexity rule: 8–256 characters, three of four character classes.
pub fn password_ok(p: &str) -> bool {
    let classes = [
        p.chars().any(|c| c.is_ascii_lowercase()),
        p.chars().any(|c| c.is_ascii_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    (8..=256).contains(&p.chars().count()) && classes.iter().filter(|x| **x).count() >= 3
}

pub fn weak_password() -> GraphError {
    GraphError::bad_request(
        "Request_BadRequest",
        "The specified password does not comply with password complexity requirements. Please provide a different password.",
    )
}

const READ_ONLY_USER: &[&str] = &[
    "id",
    "createdDateTime",
    "signInActivity",
    "signInSessionsValidFromDateTime",
    "lastPasswordChangeDateTime",
    "onPremisesSyncEnabled",
];

pub fn patch_user(ctx: &Ctx<'_>, key: &str) -> Answer {
    let body = body_object(ctx)?;
    let mut data = lock(&ctx.state.data);
    let i = user_index(&data.tenant, key)?;
    for (k, v) in &body {
        if READ_ONLY_USER.iter().any(|r| r.eq_ignore_ascii_case(k)) {
            return Err(GraphError::bad_request(
                "Request_BadRequest",
                format!("Property '{k}' is read-only and cannot be set."),
            ));
        }
        if k == "accountEnabled" && !v.is_boolean() {
            return Err(GraphError::bad_request(
                "Request_BadRequest",
                "Invalid value specified for property 'accountEnabled' of resource 'User'.",
            ));
        }
        if k == "passwordProfile" {
            let pw = v.get("password").and_then(Value::as_str);
            if !v.is_object() || pw.is_some_and(|p| !password_ok(p)) {
                return Err(weak_password());
            }
        }
    }
    let now = now_str();
    let old_enabled = data.tenant.users[i].get("accountEnabled").cloned();
    let mut actions = Vec::new();
    let Some(user) = data.tenant.users[i].as_object_mut() else {
        return Err(GraphError::directory_not_found(key));
    };
    for (k, v) in body {
        if k == "passwordProfile" {
            let mut profile = v;
            if profile.get("password").is_some_and(|p| !p.is_null()) {
                user.insert("lastPasswordChangeDateTime".into(), json!(now));
                actions.push(audit::user_action("Reset user password", "Core Directory"));
            }
            profile["password"] = Value::Null;
            user.insert(k, profile);
        } else if k == "accountEnabled" {
            let activity = if v == json!(false) {
                "Disable account"
            } else {
                "Enable account"
            };
            let mut a = audit::user_action(activity, "Core Directory");
            a.modified.push((
                "AccountEnabled",
                old_enabled.clone().unwrap_or(Value::Null),
                v.clone(),
            ));
            actions.push(a);
            user.insert(k, v);
        } else {
            actions.push(audit::user_action("Update user", "Core Directory"));
            user.insert(k, v);
        }
    }
    for a in actions {
        audit::on_user(&mut data.tenant, ctx.caller, i, a);
    }
    Ok(Reply::no_content())
}

pub fn revoke(ctx: &Ctx<'_>, key: &str) -> Answer {
    let mut data = lock(&ctx.state.data);
    let i = user_index(&data.tenant, key)?;
    if let Some(u) = data.tenant.users[i].as_object_mut() {
        u.insert("signInSessionsValidFromDateTime".into(), json!(now_str()));
    }
    Ok(Reply::ok(json!({
        "@odata.context": ctx.context("Edm.Boolean"),
        "value": true,
    })))
}

fn id_list(ctx: &Ctx<'_>, field: &str) -> Result<Vec<String>, GraphError> {
    let body = body_object(ctx)?;
    let ids: Vec<String> = body
        .get(field)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(GraphError::bad_request(
            "BadRequest",
            format!("The request body must contain a non-empty '{field}' array."),
        ));
    }
    Ok(ids)
}

/// POST /auditLogs/signIns/{confirmCompromised|confirmSafe|dismiss}. Needs P2 (assumed, like
/// the riskyUser actions — unverified). Unknown request ids are ignored.
pub fn sign_in_risk(ctx: &Ctx<'_>, action: &str) -> Answer {
    let changes: &[(&str, &str)] = match action {
        "confirmCompromised" => &[
            ("riskState", "confirmedCompromised"),
            ("riskDetail", "adminConfirmedSigninCompromised"),
            ("riskLevelAggregated", "high"),
        ],
        "confirmSafe" => &[
            ("riskState", "confirmedSafe"),
            ("riskDetail", "adminConfirmedSigninSafe"),
            ("riskLevelAggregated", "none"),
        ],
        "dismiss" => &[
            ("riskState", "dismissed"),
            ("riskDetail", "adminDismissedRiskForSignIn"),
            ("riskLevelAggregated", "none"),
        ],
        other => return Err(GraphError::no_segment(other)),
    };
    let ids = id_list(ctx, "requestIds")?;
    let mut data = lock(&ctx.state.data);
    if !data.tenant.licences().1 {
        return Err(GraphError::not_p2());
    }
    let apply = |o: &mut Map<String, Value>| {
        for (k, v) in changes {
            o.insert((*k).into(), json!(v));
        }
    };
    let mut users = Vec::new();
    for id in &ids {
        let t = &mut data.tenant;
        let beta = t.sign_ins_beta.iter_mut().flatten();
        for s in t.sign_ins.iter_mut().chain(beta) {
            if id_is(s, id)
                && let Some(o) = s.as_object_mut()
            {
                apply(o);
                users.extend(o.get("userId").and_then(Value::as_str).map(str::to_string));
            }
        }
        if let Some(g) = ctx.state.generator.as_ref()
            && let Some(r) = g.rank_of(id)
        {
            apply(data.gen_overrides.entry(r).or_default());
            users.push(g.user.id.clone());
        }
    }
    if action == "confirmCompromised" {
        // Confirming a sign-in compromised raises the user's risk to high.
        let change = RiskChange {
            level: "high",
            state: "atRisk",
            detail: "adminConfirmedSigninCompromised",
            events: &[],
            create: true,
            detection: false,
        };
        users.sort();
        users.dedup();
        let now = now_str();
        for u in users {
            set_user_risk(&mut data.tenant, &u, &change, ctx.caller, &now);
        }
    }
    Ok(Reply::no_content())
}

/// POST /identityProtection/riskyUsers/{confirmCompromised|dismiss|confirmSafe}
/// (graph-api.md §5.3). The confirmSafe riskState/riskDetail values are unverified.
pub fn risky_user_action(ctx: &Ctx<'_>, action: &str) -> Answer {
    let (level, state, detail) = match action {
        "confirmCompromised" => (
            "high",
            "confirmedCompromised",
            "adminConfirmedUserCompromised",
        ),
        "dismiss" => ("none", "dismissed", "adminDismissedAllRiskForUser"),
        "confirmSafe" => ("none", "confirmedSafe", "adminConfirmedAccountSafe"),
        other => return Err(GraphError::no_segment(other)),
    };
    let ids = id_list(ctx, "userIds")?;
    let mut data = lock(&ctx.state.data);
    if !data.tenant.licences().1 {
        return Err(GraphError::not_p2());
    }
    let now = now_str();
    let events: &[&str] = if action == "confirmCompromised" {
        &["adminConfirmedUserCompromised"]
    } else {
        &[]
    };
    let change = RiskChange {
        level,
        state,
        detail,
        events,
        create: action == "confirmCompromised",
        detection: action == "confirmCompromised",
    };
    for uid in ids {
        set_user_risk(&mut data.tenant, &uid, &change, ctx.caller, &now);
    }
    Ok(Reply::no_content())
}

pub fn grant(ctx: &Ctx<'_>, m: &Method, id: &str) -> Answer {
    let body = if *m == Method::PATCH {
        Some(body_object(ctx)?)
    } else {
        None
    };
    let mut data = lock(&ctx.state.data);
    let grants = &mut data.tenant.grants;
    let Some(pos) = grants
        .iter()
        .position(|g| g.get("id").and_then(Value::as_str) == Some(id))
    else {
        return Err(GraphError::directory_not_found(id));
    };
    match (m, body) {
        (&Method::DELETE, _) => {
            let g = grants.remove(pos);
            let action = audit::Action {
                activity: "Remove delegated permission grant",
                category: "ApplicationManagement",
                operation: "Unassign",
                service: "Core Directory",
                modified: vec![(
                    "DelegatedPermissionGrant.Scope",
                    g["scope"].clone(),
                    Value::Null,
                )],
            };
            let client = g.get("clientId").and_then(Value::as_str).unwrap_or("");
            let target = audit::Target {
                id: client,
                kind: "ServicePrincipal",
                display_name: None,
                upn: None,
            };
            audit::record(&mut data.tenant, ctx.caller, action, target);
            Ok(Reply::no_content())
        }
        (&Method::PATCH, Some(body)) => {
            for (k, v) in body {
                if k != "scope" || !v.is_string() {
                    return Err(GraphError::bad_request(
                        "Request_BadRequest",
                        format!("Property '{k}' cannot be updated (only 'scope', a string)."),
                    ));
                }
                grants[pos][k.as_str()] = v;
            }
            Ok(Reply::no_content())
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

pub fn mail(ctx: &Ctx<'_>, m: &Method, key: &str, rest: &[&str]) -> Answer {
    let mut data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    let ukey = uid.to_ascii_lowercase();
    let [f, r, more @ ..] = rest else {
        return Err(GraphError::method_not_allowed());
    };
    if !r.eq_ignore_ascii_case("messageRules") {
        return Err(GraphError::method_not_allowed());
    }
    let folders = data
        .tenant
        .mail_folders
        .get(&ukey)
        .cloned()
        .unwrap_or_default();
    if !is_inbox(&folders, f) {
        return Err(GraphError::bad_request(
            "ErrorInvalidRequest",
            "Message rules exist only on the Inbox folder.",
        ));
    }
    let rules_ctx = ctx.context(&format!(
        "users('{uid}')/mailFolders('inbox')/messageRules/$entity"
    ));
    let rules = data.tenant.message_rules.entry(ukey).or_default();
    let with_context = |v: &Value| {
        let mut o = Map::new();
        o.insert("@odata.context".into(), json!(rules_ctx));
        if let Value::Object(x) = v {
            o.extend(x.clone());
        }
        Value::Object(o)
    };
    match (m, more) {
        (&Method::POST, []) => {
            let mut rule = body_object(ctx)?;
            let id = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                &uuid::Uuid::new_v4().as_bytes()[..8],
            );
            rule.insert("id".into(), json!(id));
            for (k, d) in [
                ("isEnabled", json!(true)),
                ("hasError", json!(false)),
                ("isReadOnly", json!(false)),
            ] {
                rule.entry(k).or_insert(d);
            }
            let rule = Value::Object(rule);
            rules.push(rule.clone());
            Ok(Reply::Json(
                StatusCode::CREATED,
                with_context(&rule),
                Vec::new(),
            ))
        }
        (&Method::PATCH, [rid]) => {
            let body = body_object(ctx)?;
            let Some(rule) = rules.iter_mut().find(|v| id_is(v, rid)) else {
                return Err(mail_not_found());
            };
            for (k, v) in body {
                if k != "id" {
                    rule[k.as_str()] = v;
                }
            }
            Ok(Reply::ok(with_context(rule)))
        }
        (&Method::DELETE, [rid]) => match rules.iter().position(|v| id_is(v, rid)) {
            Some(p) => {
                rules.remove(p);
                Ok(Reply::no_content())
            }
            None => Err(mail_not_found()),
        },
        _ => Err(GraphError::method_not_allowed()),
    }
}
