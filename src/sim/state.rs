//! The simulator's shared state: the tenant data and everything mutations change, accepted
//! tokens (room for a later device-code/token endpoint), throttling, faults and the log.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rand::Rng;
use serde_json::{Map, Value};

use super::generator::{Generator, ScaleUser};
use super::request_log::RequestLog;
use super::tenant::{Files, Tenant};
use super::throttle::{Limits, Throttle};
use super::{SimError, SimOptions, ThrottleMode, demo, rebase};

/// Fault injection: answer matching requests number `from..=to` (1-based, counted per rule)
/// with an error instead of serving them.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// `GET`, `POST`, … ; None = any method.
    pub method: Option<String>,
    /// Matches when the request path (without query) contains this text.
    pub path_contains: String,
    pub from: u64,
    pub to: u64,
    pub status: u16,
    pub code: String,
    pub retry_after: Option<u64>,
    /// What the rule does (default: answer the error above); see `faults`.
    pub effect: super::faults::FaultEffect,
}

/// Fault injection for "applied, but the answer never came in time": matching requests
/// number `from..=to` are processed normally (the change is applied), then the answer is
/// held back for `delay_ms` — a client with a shorter timeout sees a timeout after sending.
#[derive(Debug, Clone, PartialEq)]
pub struct DelayRule {
    /// `GET`, `POST`, … ; None = any method.
    pub method: Option<String>,
    /// Matches when the request path (without query) contains this text.
    pub path_contains: String,
    pub from: u64,
    pub to: u64,
    /// How long the answer is held after the request was applied.
    pub delay_ms: u64,
}

/// A password-reset long-running operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub user_id: String,
    pub created: String,
    pub polls: u32,
}

/// Everything that requests read and mutations change.
#[derive(Debug, Default)]
pub struct Data {
    pub tenant: Tenant,
    /// Property overrides of generated sign-ins (risk actions), by rank.
    pub gen_overrides: HashMap<usize, Map<String, Value>>,
    pub operations: HashMap<String, Operation>,
    /// Lower-case user ids outside the Temporary Access Pass policy.
    pub tap_excluded: HashSet<String>,
}

/// The state shared by all request handlers.
pub struct SimState {
    pub graph_url: String,
    pub token: String,
    /// Accepted bearer tokens → the caller's user id.
    pub tokens: Mutex<HashMap<String, String>>,
    pub data: Mutex<Data>,
    pub generator: Option<Generator>,
    pub throttle_mode: ThrottleMode,
    pub throttle: Mutex<Throttle>,
    pub latency: Duration,
    pub log: Option<RequestLog>,
    pub faults: Mutex<Vec<(FaultRule, u64)>>,
    /// The loopback identity provider (device code, refresh, client credentials): tokens it
    /// issues are accepted by Graph too, with their scopes enforced.
    pub idp: super::identity::IdpState,
    pub delays: Mutex<Vec<(DelayRule, u64)>>,
}

/// Locks a mutex, recovering the data if a handler panicked while holding it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    format!("sim.{}", hex::encode(bytes))
}

/// The identity provider's view of the tenant: its id and domains, the analyst as the user
/// who signs in (the fixed demo client id is the app registration it accepts).
fn idp_config(t: &Tenant, analyst: &str) -> super::identity::IdpConfig {
    let mut cfg = super::identity::IdpConfig {
        // A loopback sign-in needs no 5-second polls.
        interval: 1,
        ..super::identity::IdpConfig::default()
    };
    let id = t.tenant_id();
    if !id.is_empty() {
        cfg.tenant_id = id;
    }
    cfg.tenant_domains = t
        .organization
        .first()
        .and_then(|o| o.get("verifiedDomains"))
        .and_then(Value::as_array)
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(u) = t
        .users
        .iter()
        .find(|u| u.get("id").and_then(Value::as_str) == Some(analyst))
    {
        cfg.oid = analyst.to_owned();
        if let Some(upn) = u.get("userPrincipalName").and_then(Value::as_str) {
            cfg.upn = upn.to_owned();
        }
        if let Some(n) = u.get("displayName").and_then(Value::as_str) {
            cfg.display_name = n.to_owned();
        }
    }
    cfg
}

/// The sign-in app registered for app-only client assertions with `path`'s certificate and
/// the application permission `MailboxSettings.Read` (another user's inbox rules).
fn app_with_certificate(
    client_id: &str,
    path: &std::path::Path,
) -> Result<super::identity::AppRegistration, SimError> {
    let fail = |message: String| SimError::AppCertificate {
        file: path.display().to_string(),
        message,
    };
    let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let der = crate::auth::certificate::first_certificate(&pem).map_err(fail)?;
    Ok(super::identity::AppRegistration {
        client_id: client_id.to_owned(),
        secret: String::new(),
        certificates: vec![der],
        roles: vec!["MailboxSettings.Read".to_owned()],
        oid: SIM_APP_SERVICE_PRINCIPAL.to_owned(),
    })
}

/// Object id of the sign-in app's service principal (the `oid` of its app-only tokens).
pub const SIM_APP_SERVICE_PRINCIPAL: &str = "5e1f0c2a-9b7d-4c3e-8f6a-1d2b3c4d5e6f";

/// The analyst (`/me`): the demo analyst id if present, else `analyst@…`, else the first user.
fn analyst_id(t: &Tenant) -> String {
    let by_upn = t.users.iter().find(|u| {
        u.get("userPrincipalName")
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_ascii_lowercase().starts_with("analyst@"))
    });
    t.user_id(demo::DEMO_ANALYST_ID)
        .or_else(|| by_upn.and_then(|u| u.get("id")?.as_str().map(str::to_string)))
        .or_else(|| t.users.first()?.get("id")?.as_str().map(str::to_string))
        .unwrap_or_else(|| demo::DEMO_ANALYST_ID.to_string())
}

impl SimState {
    pub fn new(opts: &SimOptions, graph_url: String) -> Result<SimState, SimError> {
        let files = match &opts.tenant_dir {
            Some(dir) => Files::from_dir(dir)?,
            None => demo::files(),
        };
        let mut tenant = Tenant::from_files(&files)?;
        let anchor = match &opts.tenant_dir {
            None => Some(demo::anchor()),
            Some(_) => tenant.newest_sign_in(),
        };
        let mut gen_anchor = anchor;
        if let (Some(target), Some(a)) = (opts.rebase_to, anchor) {
            let by = rebase::shift_between(a, target);
            tenant.shift(by);
            gen_anchor = Some(a + by);
        }
        let generator = if opts.scale > 0 {
            let upn = opts
                .scale_user
                .clone()
                .unwrap_or_else(|| demo::DEMO_SUSPECT_ID.to_string());
            let i = tenant
                .user_index(&upn)
                .or_else(|| {
                    opts.scale_user
                        .is_none()
                        .then(|| tenant.user_index("alice@contoso.com"))
                        .flatten()
                })
                .ok_or_else(|| SimError::UnknownScaleUser(upn.clone()))?;
            let u = &tenant.users[i];
            let s = |f: &str| u.get(f).and_then(Value::as_str).unwrap_or("").to_string();
            let user = ScaleUser {
                id: s("id"),
                upn: s("userPrincipalName"),
                display_name: s("displayName"),
            };
            let at = gen_anchor
                .or(opts.rebase_to)
                .unwrap_or_else(chrono::Utc::now);
            Some(Generator::new(opts.scale, user, tenant.tenant_id(), at))
        } else {
            None
        };
        let token = new_token();
        let mut tokens = HashMap::new();
        let analyst = analyst_id(&tenant);
        tokens.insert(token.clone(), analyst.clone());
        let mut idp_cfg = idp_config(&tenant, &analyst);
        if let Some(path) = &opts.app_certificate {
            idp_cfg
                .apps
                .push(app_with_certificate(&idp_cfg.client_id, path)?);
        }
        let idp = super::identity::IdpState::new(idp_cfg);
        let log = match &opts.request_log {
            Some(p) => Some(RequestLog::open(p)?),
            None => None,
        };
        Ok(SimState {
            graph_url,
            token,
            tokens: Mutex::new(tokens),
            data: Mutex::new(Data {
                tenant,
                ..Data::default()
            }),
            generator,
            throttle_mode: opts.throttle,
            throttle: Mutex::new(Throttle::new(Limits::default())),
            latency: Duration::from_millis(opts.latency_ms),
            log,
            faults: Mutex::new(Vec::new()),
            idp,
            delays: Mutex::new(Vec::new()),
        })
    }

    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.faults).push((rule, 0));
    }

    pub fn add_delay(&self, rule: DelayRule) {
        lock(&self.delays).push((rule, 0));
    }

    /// The delay to hold this request's answer for, if a delay rule fires (counting it).
    pub fn delay_for(&self, method: &str, path: &str) -> Option<Duration> {
        let mut rules = lock(&self.delays);
        let mut hit = None;
        for (rule, count) in rules.iter_mut() {
            let method_ok = rule
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            if method_ok && path.contains(&rule.path_contains) {
                *count += 1;
                if hit.is_none() && (rule.from..=rule.to).contains(count) {
                    hit = Some(Duration::from_millis(rule.delay_ms));
                }
            }
        }
        hit
    }

    pub fn exclude_from_tap_policy(&self, user: &str) {
        let mut d = lock(&self.data);
        let id = d.tenant.user_id(user).unwrap_or_else(|| user.to_string());
        d.tap_excluded.insert(id.to_ascii_lowercase());
    }

    /// The caller's user id for a bearer token, if the token is accepted.
    pub fn caller(&self, token: &str) -> Option<String> {
        if let Some(c) = lock(&self.tokens).get(token).cloned() {
            return Some(c);
        }
        self.idp.token_claims(token).and_then(|c| c.oid)
    }

    /// Scopes granted to `token` when the identity provider issued it (`None` for the
    /// start-up token, which may do everything).
    pub fn granted_scopes(&self, token: &str) -> Option<Vec<String>> {
        if lock(&self.tokens).contains_key(token) {
            return None;
        }
        let c = self.idp.token_claims(token)?;
        let mut out: Vec<String> = c
            .scp
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if !c.roles.is_empty() {
            out.push("app-only".to_owned());
        }
        out.extend(c.roles);
        Some(out)
    }

    /// The first fault rule that fires for this request (counting it).
    pub fn fault_for(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut faults = lock(&self.faults);
        let mut hit = None;
        for (rule, count) in faults.iter_mut() {
            let method_ok = rule
                .method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            if method_ok && path.contains(&rule.path_contains) {
                *count += 1;
                if hit.is_none() && (rule.from..=rule.to).contains(count) {
                    hit = Some(rule.clone());
                }
            }
        }
        hit
    }
}
