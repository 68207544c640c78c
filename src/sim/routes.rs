//! Path parsing (`/v1.0|/beta`, percent-decoded segments, `users('upn')` and
//! `servicePrincipals(appId='…')` keys, `/me`), throttle classification and dispatch to the
//! per-area handlers.

use axum::http::Method;

use super::errors::{Answer, GraphError};
use super::query::Query;
use super::state::SimState;
use super::throttle::Class;
use super::{
    mutations, mutations_auth, routes_auth, routes_directory, routes_reports, routes_risk,
};

/// Marks an alternate key segment: `servicePrincipals(appId='x')` → ["servicePrincipals", "@alt:appId=x"].
pub const ALT: &str = "@alt:";

/// A parsed Graph path.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub beta: bool,
    pub segs: Vec<String>,
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .unwrap_or(s);
    s.replace("''", "'")
}

impl Route {
    pub fn parse(path: &str) -> Result<Route, GraphError> {
        let mut raw = path.split('/').filter(|s| !s.is_empty());
        let version = raw.next().unwrap_or("");
        let beta = match version.to_ascii_lowercase().as_str() {
            "v1.0" => false,
            "beta" => true,
            _ => {
                return Err(GraphError::bad_request(
                    "BadRequest",
                    format!("Invalid version: {}", super::query::decode(version)),
                ));
            }
        };
        let mut segs = Vec::new();
        for s in raw {
            let s = super::query::decode(s);
            match (s.find('('), s.ends_with(')')) {
                (Some(open), true) if open > 0 => {
                    let name = &s[..open];
                    let inner = &s[open + 1..s.len() - 1];
                    segs.push(name.to_string());
                    match inner.split_once('=') {
                        Some((k, v)) if !inner.trim_start().starts_with('\'') => {
                            segs.push(format!("{ALT}{}={}", k.trim(), unquote(v)));
                        }
                        _ => segs.push(unquote(inner)),
                    }
                }
                _ => segs.push(s),
            }
        }
        Ok(Route { beta, segs })
    }

    /// Replaces a leading `me` with `users/{caller}`.
    pub fn resolve_me(mut self, caller: &str) -> Route {
        if self
            .segs
            .first()
            .is_some_and(|s| s.eq_ignore_ascii_case("me"))
        {
            self.segs[0] = "users".into();
            self.segs.insert(1, caller.to_string());
        }
        self
    }

    fn seg(&self, i: usize) -> &str {
        self.segs.get(i).map(String::as_str).unwrap_or("")
    }

    /// Which published limit applies to this request.
    pub fn throttle_class(&self, method: &Method, expand: bool) -> Class {
        let s0 = self.seg(0).to_ascii_lowercase();
        let s1 = self.seg(1).to_ascii_lowercase();
        match s0.as_str() {
            "auditlogs" if *method == Method::GET => Class::Reports,
            "auditlogs" => Class::IdentityProtection,
            "identityprotection" => Class::IdentityProtection,
            "users" if self.seg(2).eq_ignore_ascii_case("mailFolders") => {
                Class::Outlook { mailbox: s1 }
            }
            _ => Class::Directory {
                cost: 1 + u32::from(expand),
                write: *method != Method::GET,
            },
        }
    }
}

/// Everything a handler needs about one request.
pub struct Request<'a> {
    pub state: &'a SimState,
    pub method: &'a Method,
    pub route: &'a Route,
    pub path: &'a str,
    pub raw_query: &'a str,
    pub body: &'a [u8],
    pub caller: &'a str,
}

/// Per-request context given to handlers.
pub struct Ctx<'a> {
    pub state: &'a SimState,
    pub beta: bool,
    pub query: Query,
    pub path: &'a str,
    pub body: &'a [u8],
    pub caller: &'a str,
}

impl Ctx<'_> {
    pub fn version(&self) -> &'static str {
        if self.beta { "beta" } else { "v1.0" }
    }
    /// `{graph}/{version}/$metadata#{what}`.
    pub fn context(&self, what: &str) -> String {
        format!(
            "{}/{}/$metadata#{}",
            self.state.graph_url,
            self.version(),
            what
        )
    }
    /// `{graph}/{version}`.
    pub fn base(&self) -> String {
        format!("{}/{}", self.state.graph_url, self.version())
    }
    /// The absolute next-page URL for scan positions (a, b).
    pub fn next_link(&self, a: usize, b: usize) -> String {
        format!(
            "{}{}?$skiptoken={}",
            self.state.graph_url,
            self.path,
            self.query.next_token(a, b)
        )
    }
    /// The JSON body, `{}` when empty.
    pub fn json_body(&self) -> Result<serde_json::Value, GraphError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::json!({}));
        }
        serde_json::from_slice(self.body).map_err(|e| {
            GraphError::bad_request(
                "BadRequest",
                format!("Unable to read JSON request payload: {e}"),
            )
        })
    }
}

fn is(s: &str, name: &str) -> bool {
    s.eq_ignore_ascii_case(name)
}

/// Routes one authenticated request.
pub fn dispatch(req: Request<'_>) -> Answer {
    let query = Query::parse(req.raw_query)?;
    let ctx = Ctx {
        state: req.state,
        beta: req.route.beta,
        query,
        path: req.path,
        body: req.body,
        caller: req.caller,
    };
    let segs: Vec<&str> = req.route.segs.iter().map(String::as_str).collect();
    let m = req.method;
    let get = *m == Method::GET;
    match segs.as_slice() {
        [] => Err(GraphError::no_segment("")),
        [o] if is(o, "organization") && get => routes_directory::organization(&ctx, None),
        [o, id] if is(o, "organization") && get => routes_directory::organization(&ctx, Some(id)),
        [u] if is(u, "users") && get => routes_directory::list_users(&ctx),
        [u, key] if is(u, "users") => match *m {
            Method::GET => routes_directory::get_user(&ctx, key),
            Method::PATCH => mutations::patch_user(&ctx, key),
            _ => Err(GraphError::method_not_allowed()),
        },
        [u, key, a] if is(u, "users") && is(a, "revokeSignInSessions") => {
            if *m == Method::POST {
                mutations::revoke(&ctx, key)
            } else {
                Err(GraphError::method_not_allowed())
            }
        }
        [u, key, g] if is(u, "users") && is(g, "oauth2PermissionGrants") && get => {
            routes_directory::user_grants(&ctx, key)
        }
        [u, key, a, rest @ ..] if is(u, "users") && is(a, "authentication") => {
            if get {
                routes_auth::authentication(&ctx, key, rest)
            } else {
                mutations_auth::authentication(&ctx, m, key, rest)
            }
        }
        [u, key, f, rest @ ..] if is(u, "users") && is(f, "mailFolders") => {
            if get {
                routes_auth::mail(&ctx, key, rest)
            } else {
                mutations::mail(&ctx, m, key, rest)
            }
        }
        [a, s, rest @ ..] if is(a, "auditLogs") && is(s, "signIns") => match (rest, get) {
            ([], true) => routes_reports::sign_ins(&ctx),
            ([id], true) => routes_reports::sign_in(&ctx, id),
            ([action], false) if *m == Method::POST => mutations::sign_in_risk(&ctx, action),
            _ => Err(GraphError::method_not_allowed()),
        },
        [a, d, rest @ ..] if is(a, "auditLogs") && is(d, "directoryAudits") && get => match rest {
            [] => routes_reports::directory_audits(&ctx, None),
            [id] => routes_reports::directory_audits(&ctx, Some(id)),
            [.., last] => Err(GraphError::no_segment(last)),
        },
        [i, r, rest @ ..] if is(i, "identityProtection") && is(r, "riskyUsers") => {
            match (rest, get) {
                ([action], false) if *m == Method::POST => {
                    mutations::risky_user_action(&ctx, action)
                }
                (rest, true) => routes_risk::risky_users(&ctx, rest),
                _ => Err(GraphError::method_not_allowed()),
            }
        }
        [i, r, rest @ ..] if is(i, "identityProtection") && is(r, "riskDetections") && get => {
            routes_risk::risk_detections(&ctx, rest)
        }
        [g, rest @ ..] if is(g, "oauth2PermissionGrants") => match (*m == Method::GET, rest) {
            (true, []) => routes_directory::grants(&ctx, None),
            (true, [id]) => routes_directory::grants(&ctx, Some(id)),
            (false, [id]) => mutations::grant(&ctx, m, id),
            _ => Err(GraphError::method_not_allowed()),
        },
        [s, rest @ ..] if is(s, "servicePrincipals") && get => match rest {
            [] => routes_directory::service_principals(&ctx, None),
            [id] => routes_directory::service_principals(&ctx, Some(id)),
            [.., last] => Err(GraphError::no_segment(last)),
        },
        [first, ..] if !get && KNOWN_ROOTS.iter().any(|r| is(first, r)) => {
            Err(GraphError::method_not_allowed())
        }
        [.., last] => Err(GraphError::no_segment(last)),
    }
}

const KNOWN_ROOTS: &[&str] = &[
    "organization",
    "users",
    "auditLogs",
    "identityProtection",
    "oauth2PermissionGrants",
    "servicePrincipals",
];

/// Serves a page of `items` (filter, `$select`/default properties, `$top`, nextLink).
pub fn list_values(
    ctx: &Ctx<'_>,
    items: &[serde_json::Value],
    context_name: &str,
    (default_top, max_top): (usize, usize),
    default_props: Option<&[&str]>,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Answer {
    let q = &ctx.query;
    q.no_expand()?;
    let top = q.page_size(default_top, max_top)?;
    let test = |v: &serde_json::Value| keep(v) && q.matches(v);
    let (page, next) = super::query::page_slice(items, q.pos.0, top, test);
    let value: Vec<serde_json::Value> = page.iter().map(|v| q.project(v, default_props)).collect();
    let next_link = next.map(|n| ctx.next_link(n, 0));
    let mut body = super::query::collection(
        ctx.context(&format!("{context_name}{}", q.context_suffix())),
        value,
        next_link,
    );
    if q.count {
        body["@odata.count"] = items.iter().filter(|v| test(v)).count().into();
    }
    Ok(super::errors::Reply::ok(body))
}

/// A single entity with `@odata.context` first and `$select` applied.
pub fn entity(
    ctx: &Ctx<'_>,
    item: &serde_json::Value,
    context_name: &str,
    default_props: Option<&[&str]>,
) -> Answer {
    ctx.query.no_expand()?;
    let projected = ctx.query.project(item, default_props);
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        ctx.context(&format!(
            "{context_name}{}/$entity",
            ctx.query.context_suffix()
        ))
        .into(),
    );
    if let serde_json::Value::Object(o) = projected {
        out.extend(o);
    }
    Ok(super::errors::Reply::ok(serde_json::Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_versions() {
        let r =
            Route::parse("/v1.0/users('o''neil%40contoso.com')/authentication/methods").unwrap();
        assert_eq!(
            r.segs,
            ["users", "o'neil@contoso.com", "authentication", "methods"]
        );
        let r = Route::parse("/beta/servicePrincipals(appId='abc')").unwrap();
        assert!(r.beta);
        assert_eq!(r.segs, ["servicePrincipals", "@alt:appId=abc"]);
        let r = Route::parse("/v1.0/users/a%23EXT%23%40x.com").unwrap();
        assert_eq!(r.segs[1], "a#EXT#@x.com");
        assert!(Route::parse("/v2.0/users").is_err());
        let r = Route::parse("/v1.0/me/mailFolders")
            .unwrap()
            .resolve_me("u1");
        assert_eq!(r.segs, ["users", "u1", "mailFolders"]);
        assert_eq!(
            r.throttle_class(&Method::GET, false),
            Class::Outlook {
                mailbox: "u1".into()
            }
        );
    }
}
