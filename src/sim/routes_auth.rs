//! Per-user reads: `/users/{id}/authentication/…` (methods, per-type collections, beta
//! signInPreferences, password-reset operations) and `/users/{id}/mailFolders/…` (folders,
//! well-known names, Inbox messageRules).

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::errors::{Answer, GraphError, Reply};
use super::query::collection;
use super::routes::{Ctx, entity};
use super::routes_directory::user_index;
use super::state::{Data, lock};
use super::tenant::id_is;

/// Per-type collection name → `@odata.type` (beta-only collections flagged).
pub const METHOD_TYPES: &[(&str, &str, bool)] = &[
    ("passwordMethods", "passwordAuthenticationMethod", false),
    ("phoneMethods", "phoneAuthenticationMethod", false),
    ("emailMethods", "emailAuthenticationMethod", false),
    (
        "microsoftAuthenticatorMethods",
        "microsoftAuthenticatorAuthenticationMethod",
        false,
    ),
    ("fido2Methods", "fido2AuthenticationMethod", false),
    (
        "softwareOathMethods",
        "softwareOathAuthenticationMethod",
        false,
    ),
    (
        "windowsHelloForBusinessMethods",
        "windowsHelloForBusinessAuthenticationMethod",
        false,
    ),
    (
        "temporaryAccessPassMethods",
        "temporaryAccessPassAuthenticationMethod",
        false,
    ),
    (
        "platformCredentialMethods",
        "platformCredentialAuthenticationMethod",
        false,
    ),
    (
        "externalAuthenticationMethods",
        "externalAuthenticationMethod",
        false,
    ),
    (
        "hardwareOathMethods",
        "hardwareOathAuthenticationMethod",
        true,
    ),
];

/// The `@odata.type` of a per-type collection name.
pub fn collection_type(name: &str, beta: bool) -> Option<&'static str> {
    METHOD_TYPES
        .iter()
        .find(|(c, _, b)| c.eq_ignore_ascii_case(name) && (beta || !b))
        .map(|(_, t, _)| *t)
}

/// The short type name of a method (`phoneAuthenticationMethod`).
pub fn method_type(v: &Value) -> &str {
    v.get("@odata.type")
        .and_then(Value::as_str)
        .map(|t| {
            t.trim_start_matches('#')
                .trim_start_matches("microsoft.graph.")
        })
        .unwrap_or("")
}

/// The user's object id (as stored) for an id/UPN, or 404.
pub fn user_id(data: &Data, key: &str) -> Result<String, GraphError> {
    let i = user_index(&data.tenant, key)?;
    Ok(data.tenant.users[i]
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string())
}

fn method_not_found(id: &str) -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "itemNotFound",
        format!("The authentication method '{id}' was not found."),
    )
}

pub fn authentication(ctx: &Ctx<'_>, key: &str, rest: &[&str]) -> Answer {
    let mut data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    let ukey = uid.to_ascii_lowercase();
    let q = &ctx.query;
    let base = format!("users('{uid}')/authentication");
    if q.filter.is_some() || q.top.is_some() || q.expand.is_some() {
        return Err(GraphError::bad_request(
            "BadRequest",
            "Query options are not supported on authentication methods.",
        ));
    }
    let methods = data
        .tenant
        .auth_methods
        .get(&ukey)
        .cloned()
        .unwrap_or_default();
    let list = |items: Vec<Value>, name: &str| {
        let value = items.iter().map(|v| q.project(v, None)).collect();
        Ok(Reply::ok(collection(
            ctx.context(&format!("{base}/{name}")),
            value,
            None,
        )))
    };
    match rest {
        [m] if m.eq_ignore_ascii_case("methods") => list(methods, "methods"),
        [m, id] if m.eq_ignore_ascii_case("methods") => match methods.iter().find(|v| id_is(v, id))
        {
            Some(v) => entity(ctx, v, &format!("{base}/methods"), None),
            None => Err(method_not_found(id)),
        },
        [p] if p.eq_ignore_ascii_case("signInPreferences") && ctx.beta => {
            let prefs = data
                .tenant
                .sign_in_prefs
                .get(&ukey)
                .cloned()
                .unwrap_or_else(|| {
                    json!({"isSystemPreferredAuthenticationMethodEnabled": true,
                    "userPreferredMethodForSecondaryAuthentication": null,
                    "systemPreferredAuthenticationMethod": null})
                });
            entity(ctx, &prefs, &format!("{base}/signInPreferences"), None)
        }
        [o, op] if o.eq_ignore_ascii_case("operations") => {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let Some(oper) = data
                .operations
                .get_mut(*op)
                .filter(|o| o.user_id.eq_ignore_ascii_case(&uid))
            else {
                return Err(GraphError::new(
                    StatusCode::NOT_FOUND,
                    "itemNotFound",
                    format!("The operation '{op}' was not found."),
                ));
            };
            oper.polls += 1;
            let status = if oper.polls <= 1 {
                "running"
            } else {
                "succeeded"
            };
            let body = json!({
                "@odata.context": ctx.context(&format!("{base}/operations/$entity")),
                "id": op,
                "createdDateTime": oper.created,
                "lastActionDateTime": now,
                "resourceLocation": null,
                "status": status,
                "statusDetail": null,
            });
            Ok(Reply::ok(body))
        }
        [c, more @ ..] => {
            let Some(t) = collection_type(c, ctx.beta) else {
                return Err(GraphError::no_segment(c));
            };
            let typed: Vec<Value> = methods
                .into_iter()
                .filter(|v| method_type(v) == t)
                .collect();
            match more {
                [] => list(typed, c),
                [id] => match typed.iter().find(|v| id_is(v, id)) {
                    Some(v) => entity(ctx, v, &format!("{base}/{c}"), None),
                    None => Err(method_not_found(id)),
                },
                [.., last] => Err(GraphError::no_segment(last)),
            }
        }
        [] => Err(GraphError::no_segment("authentication")),
    }
}

const WELL_KNOWN: &[(&str, &str)] = &[
    ("inbox", "Inbox"),
    ("deleteditems", "Deleted Items"),
    ("drafts", "Drafts"),
    ("sentitems", "Sent Items"),
    ("junkemail", "Junk Email"),
    ("archive", "Archive"),
    ("outbox", "Outbox"),
];

/// Resolves a folder id or well-known name to the folder object.
pub fn find_folder<'a>(folders: &'a [Value], key: &str) -> Option<&'a Value> {
    if let Some(v) = folders.iter().find(|v| id_is(v, key)) {
        return Some(v);
    }
    let (wk, display) = WELL_KNOWN
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(key))?;
    folders.iter().find(|v| {
        let s = |f: &str| v.get(f).and_then(Value::as_str).unwrap_or("").to_string();
        s("wellKnownName").eq_ignore_ascii_case(wk)
            || s("displayName").eq_ignore_ascii_case(display)
    })
}

/// True when `key` names the Inbox (well-known name or its id).
pub fn is_inbox(folders: &[Value], key: &str) -> bool {
    key.eq_ignore_ascii_case("inbox")
        || find_folder(folders, "inbox").is_some_and(|f| id_is(f, key))
}

pub fn mail_not_found() -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

pub fn mail(ctx: &Ctx<'_>, key: &str, rest: &[&str]) -> Answer {
    let data = lock(&ctx.state.data);
    let uid = user_id(&data, key)?;
    let ukey = uid.to_ascii_lowercase();
    let empty = Vec::new();
    let folders = data.tenant.mail_folders.get(&ukey).unwrap_or(&empty);
    let base = format!("users('{uid}')/mailFolders");
    match rest {
        [] => super::routes::list_values(ctx, folders, &base, (10, 1000), None, |_| true),
        [f] => match find_folder(folders, f) {
            Some(v) => entity(ctx, v, &base, None),
            None => Err(mail_not_found()),
        },
        [f, r, more @ ..] if r.eq_ignore_ascii_case("messageRules") => {
            if !is_inbox(folders, f) {
                return Err(GraphError::bad_request(
                    "ErrorInvalidRequest",
                    "Message rules exist only on the Inbox folder.",
                ));
            }
            let rules = data.tenant.message_rules.get(&ukey).unwrap_or(&empty);
            let rules_ctx = format!("{base}('inbox')/messageRules");
            match more {
                [] => {
                    let value = rules.iter().map(|v| ctx.query.project(v, None)).collect();
                    Ok(Reply::ok(collection(ctx.context(&rules_ctx), value, None)))
                }
                [rid] => match rules.iter().find(|v| id_is(v, rid)) {
                    Some(v) => entity(ctx, v, &rules_ctx, None),
                    None => Err(mail_not_found()),
                },
                [.., last] => Err(GraphError::no_segment(last)),
            }
        }
        [.., last] => Err(GraphError::no_segment(last)),
    }
}
