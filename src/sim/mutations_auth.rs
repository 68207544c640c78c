//! Authentication-method mutations: resetPassword (202 long-running operation, refused on
//! the caller's own account), Temporary Access Pass creation (cleartext only in the 201
//! answer, one per user, policy scope), and per-type DELETE with Graph's refusals (password,
//! the user's default MFA method while others exist, mobile while alternateMobile exists).

use axum::http::{Method, StatusCode};
use rand::Rng;
use serde_json::{Value, json};

use super::audit;
use super::errors::{Answer, GraphError, Reply};
use super::mutations::{now_str, password_ok, weak_password};
use super::routes::Ctx;
use super::routes_auth::{collection_type, method_type, user_id};
use super::state::{Operation, lock};
use super::tenant::id_is;

pub const PASSWORD_METHOD_ID: &str = "28c10230-6103-485e-b985-444c60001490";

const TAP_TYPE: &str = "temporaryAccessPassAuthenticationMethod";
/// Types that count as MFA methods for the default-method rule.
const MFA_TYPES: &[&str] = &[
    "phoneAuthenticationMethod",
    "microsoftAuthenticatorAuthenticationMethod",
    "fido2AuthenticationMethod",
    "softwareOathAuthenticationMethod",
    "hardwareOathAuthenticationMethod",
    "windowsHelloForBusinessAuthenticationMethod",
    "platformCredentialAuthenticationMethod",
    "externalAuthenticationMethod",
];

fn random_from(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

/// Every password the simulated tenant generates starts with this, so that a test can find a
/// leaked one anywhere (logs, journal, reports, snapshots, panic output) by its shape.
pub const SIM_PASSWORD_MARKER: &str = "SimPwd-";
/// Every Temporary Access Pass the simulated tenant issues starts with this (same purpose).
pub const SIM_TAP_MARKER: &str = "SimTAP-";

fn generated_password() -> String {
    loop {
        let p = SIM_PASSWORD_MARKER.to_string()
            + &random_from(
                b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%*+-?",
                12,
            );
        if password_ok(&p) {
            return p;
        }
    }
}

pub fn authentication(ctx: &Ctx<'_>, m: &Method, key: &str, rest: &[&str]) -> Answer {
    let is = |s: &str, n: &str| s.eq_ignore_ascii_case(n);
    match (m, rest) {
        (&Method::POST, [c, id, a])
            if is(a, "resetPassword")
                && (is(c, "methods") || is(c, "passwordMethods"))
                && id.eq_ignore_ascii_case(PASSWORD_METHOD_ID) =>
        {
            reset_password(ctx, key)
        }
        (&Method::POST, [c, _, a])
            if is(a, "resetPassword") && (is(c, "methods") || is(c, "passwordMethods")) =>
        {
            Err(GraphError::new(
                StatusCode::NOT_FOUND,
                "itemNotFound",
                "The password authentication method was not found.",
            ))
        }
        (&Method::POST, [c]) if is(c, "temporaryAccessPassMethods") => create_tap(ctx, key),
        (&Method::DELETE, [c, id]) => delete_method(ctx, key, c, id),
        _ => Err(GraphError::method_not_allowed()),
    }
}

fn reset_password(ctx: &Ctx<'_>, key: &str) -> Answer {
    let body = ctx.json_body()?;
    let mut data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    if uid.eq_ignore_ascii_case(ctx.caller) {
        // resetPassword is delegated-only and refuses the caller's own account; the exact
        // error code Graph returns is unverified.
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "accessDenied",
            "resetPassword cannot be used on the signed-in user's own account.",
        ));
    }
    let given = body
        .get("newPassword")
        .and_then(Value::as_str)
        .map(str::to_string);
    if given.as_deref().is_some_and(|p| !password_ok(p)) {
        return Err(weak_password());
    }
    let now = now_str();
    let op = uuid::Uuid::new_v4().to_string();
    data.operations.insert(
        op.clone(),
        Operation {
            user_id: uid.clone(),
            created: now.clone(),
            polls: 0,
        },
    );
    if let Some(i) = data.tenant.user_index(&uid) {
        if let Some(u) = data.tenant.users[i].as_object_mut() {
            u.insert("lastPasswordChangeDateTime".into(), json!(now));
        }
        let a = audit::user_action(
            "Reset password (by admin)",
            "Self-service Password Management",
        );
        audit::on_user(&mut data.tenant, ctx.caller, i, a);
    }
    let location = format!(
        "{}/users/{uid}/authentication/operations/{op}?aadgdc=SIM01&aadgsu=ssprprod-sim",
        ctx.base()
    );
    let new_password = match given {
        Some(_) => Value::Null,
        None => json!(generated_password()),
    };
    let body = json!({
        "@odata.context": ctx.context("microsoft.graph.passwordResetResponse"),
        "newPassword": new_password,
    });
    Ok(Reply::Json(
        StatusCode::ACCEPTED,
        body,
        vec![("location", location), ("retry-after", "1".into())],
    ))
}

fn create_tap(ctx: &Ctx<'_>, key: &str) -> Answer {
    let body = ctx.json_body()?;
    let mut data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    let ukey = uid.to_ascii_lowercase();
    if data.tap_excluded.contains(&ukey) {
        return Err(GraphError::bad_request(
            "badRequest",
            "The user is not in the scope of the Temporary Access Pass authentication method policy.",
        ));
    }
    let lifetime = match body.get("lifetimeInMinutes") {
        None | Some(Value::Null) => 60,
        Some(v) => match v.as_i64() {
            Some(n) if (10..=43200).contains(&n) => n,
            _ => {
                return Err(GraphError::bad_request(
                    "badRequest",
                    "lifetimeInMinutes must be between 10 and 43200.",
                ));
            }
        },
    };
    let once = match body.get("isUsableOnce") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(GraphError::bad_request(
                "badRequest",
                "isUsableOnce must be a boolean.",
            ));
        }
    };
    let now = now_str();
    let start = match body.get("startDateTime").and_then(Value::as_str) {
        Some(s) if super::filter::parse_datetime(s).is_some() => s.to_string(),
        Some(_) => {
            return Err(GraphError::bad_request(
                "badRequest",
                "startDateTime is not a valid date-time.",
            ));
        }
        None => now.clone(),
    };
    let pass = SIM_TAP_MARKER.to_string()
        + &random_from(
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#*!%",
            8,
        );
    let id = uuid::Uuid::new_v4().to_string();
    let stored = json!({
        "@odata.type": format!("#microsoft.graph.{TAP_TYPE}"),
        "id": id,
        "temporaryAccessPass": null,
        "createdDateTime": now,
        "startDateTime": start,
        "lifetimeInMinutes": lifetime,
        "isUsableOnce": once,
        "isUsable": true,
        "methodUsabilityReason": "EnabledByPolicy",
    });
    let methods = data.tenant.auth_methods.entry(ukey).or_default();
    methods.retain(|v| method_type(v) != TAP_TYPE);
    methods.push(stored.clone());
    if let Some(i) = data.tenant.user_index(&uid) {
        let a = audit::user_action("Admin registered security info", "Authentication Methods");
        audit::on_user(&mut data.tenant, ctx.caller, i, a);
    }
    let mut answer = json!({"@odata.context":
        ctx.context(&format!("users('{uid}')/authentication/temporaryAccessPassMethods/$entity"))});
    if let (Some(a), Value::Object(s)) = (answer.as_object_mut(), stored) {
        a.extend(s);
        a.insert("temporaryAccessPass".into(), json!(pass));
    }
    Ok(Reply::Json(StatusCode::CREATED, answer, Vec::new()))
}

/// Does method `v` provide the user's preferred secondary method `pref`?
fn provides(pref: &str, v: &Value) -> bool {
    let phone = |kind: &str| {
        method_type(v) == "phoneAuthenticationMethod"
            && v.get("phoneType")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case(kind))
    };
    match pref.to_ascii_lowercase().as_str() {
        "push" => method_type(v) == "microsoftAuthenticatorAuthenticationMethod",
        "oath" => matches!(
            method_type(v),
            "softwareOathAuthenticationMethod" | "hardwareOathAuthenticationMethod"
        ),
        "sms" | "voicemobile" => phone("mobile"),
        "voicealternatemobile" => phone("alternateMobile"),
        "voiceoffice" => phone("office"),
        _ => false,
    }
}

fn delete_method(ctx: &Ctx<'_>, key: &str, coll: &str, id: &str) -> Answer {
    let Some(t) = collection_type(coll, ctx.beta) else {
        return Err(GraphError::method_not_allowed());
    };
    if t == "passwordAuthenticationMethod" {
        return Err(GraphError::bad_request(
            "badRequest",
            "The password authentication method cannot be deleted.",
        ));
    }
    let mut data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    let ukey = uid.to_ascii_lowercase();
    let pref = data
        .tenant
        .sign_in_prefs
        .get(&ukey)
        .and_then(|p| p.get("userPreferredMethodForSecondaryAuthentication"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let methods = data.tenant.auth_methods.entry(ukey.clone()).or_default();
    let Some(pos) = methods
        .iter()
        .position(|v| method_type(v) == t && id_is(v, id))
    else {
        return Err(GraphError::new(
            StatusCode::NOT_FOUND,
            "itemNotFound",
            format!("The authentication method '{id}' was not found."),
        ));
    };
    let target = methods[pos].clone();
    let others: Vec<&Value> = methods
        .iter()
        .enumerate()
        .filter(|(i, v)| *i != pos && MFA_TYPES.contains(&method_type(v)))
        .map(|(_, v)| v)
        .collect();
    let is_phone = |v: &Value, kind: &str| {
        method_type(v) == "phoneAuthenticationMethod"
            && v.get("phoneType")
                .and_then(Value::as_str)
                .is_some_and(|p| p.eq_ignore_ascii_case(kind))
    };
    if is_phone(&target, "mobile") && others.iter().any(|v| is_phone(v, "alternateMobile")) {
        return Err(GraphError::bad_request(
            "badRequest",
            "The mobile phone method cannot be deleted while an alternate mobile phone is registered.",
        ));
    }
    let mut clears_default = false;
    if let Some(p) = &pref
        && provides(p, &target)
        && !others.iter().any(|v| provides(p, v))
    {
        if !others.is_empty() {
            return Err(GraphError::bad_request(
                "badRequest",
                "This method is the user's default sign-in method and cannot be deleted while other methods exist. Change the default method first.",
            ));
        }
        clears_default = true;
    }
    methods.remove(pos);
    if clears_default && let Some(Value::Object(p)) = data.tenant.sign_in_prefs.get_mut(&ukey) {
        p.insert(
            "userPreferredMethodForSecondaryAuthentication".into(),
            Value::Null,
        );
    }
    Ok(Reply::no_content())
}
