//! The OAuth 2.0 device authorization grant against the v2.0 endpoints: request a code, show
//! it through a callback, poll the token endpoint honouring `interval` and `slow_down`.
//!
//! Implemented with two form POSTs over reqwest rather than oauth2's device flow, because
//! oauth2's error type drops Entra's `error_codes`, `trace_id` and `correlation_id` (needed to
//! recognise Conditional Access blocks and for support), fixes the slow_down step at 5 s and
//! cannot report progress; the POSTs are the ones RFC 8628 and graph-api.md §1 describe.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tokio::time::Instant;

use super::AuthError;
use super::cloud::Endpoints;
use super::entra::{self, EntraError, Reply, TokenResponse};
use super::secret::Secret;

/// What the analyst must do: open `verification_uri`, type `user_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    /// Microsoft's ready-made instruction, when sent.
    pub message: Option<String>,
    /// When the code stops working.
    pub expires_at: DateTime<Utc>,
    /// Poll interval the service asked for.
    pub interval: Duration,
}

impl DeviceCodePrompt {
    /// The lines `login` prints on stderr.
    pub fn text(&self) -> String {
        let mut out = format!(
            "To sign in, open {} and enter the code {}\n(the code expires at {})\n",
            self.verification_uri,
            self.user_code,
            self.expires_at.format("%H:%M:%SZ")
        );
        if let Some(m) = self.message.as_deref().filter(|m| !m.trim().is_empty()) {
            out.push_str(m.trim());
            out.push('\n');
        }
        out
    }
}

/// Poll pacing. The service's `interval` is used, never less than `floor`; each `slow_down`
/// adds `slow_down_step` (RFC 8628: 5 s) for the rest of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollTiming {
    pub floor: Duration,
    pub slow_down_step: Duration,
}

impl Default for PollTiming {
    fn default() -> Self {
        PollTiming {
            floor: Duration::from_secs(1),
            slow_down_step: Duration::from_secs(5),
        }
    }
}

#[derive(Deserialize)]
struct DeviceCodeResponse {
    device_code: Secret,
    user_code: String,
    #[serde(alias = "verification_url")]
    verification_uri: String,
    #[serde(default, deserialize_with = "entra::de_seconds")]
    expires_in: Option<u64>,
    #[serde(default, deserialize_with = "entra::de_seconds")]
    interval: Option<u64>,
    #[serde(default)]
    message: Option<String>,
}

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Consecutive network failures tolerated while polling before giving up.
const MAX_POLL_FAILURES: u32 = 5;

/// What happened while waiting for the code to be approved (for a live sign-in screen).
/// Never carries the `device_code` (a secret); the user code is meant to be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceProgress {
    /// The code to show; polling starts.
    Code(DeviceCodePrompt),
    /// The service said `authorization_pending`; `left` until the code expires.
    Pending { left: Duration },
    /// The service said `slow_down`: polling now every `interval`.
    SlowDown { interval: Duration, left: Duration },
    /// A poll failed on the network and is retried (`failures` in a row so far).
    Retrying { failures: u32, left: Duration },
}

/// Runs the whole flow; returns the token response once the code is approved.
pub async fn sign_in(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    client_id: &str,
    scope: &str,
    timing: PollTiming,
    notify: impl Fn(&DeviceCodePrompt),
) -> Result<TokenResponse, AuthError> {
    let progress = |p: DeviceProgress| {
        if let DeviceProgress::Code(prompt) = p {
            notify(&prompt);
        }
    };
    sign_in_with_progress(http, endpoints, client_id, scope, timing, progress).await
}

/// [`sign_in`], reporting every step of the wait through `progress`.
pub async fn sign_in_with_progress(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    client_id: &str,
    scope: &str,
    timing: PollTiming,
    progress: impl Fn(DeviceProgress),
) -> Result<TokenResponse, AuthError> {
    let form = [("client_id", client_id), ("scope", scope)];
    let code: DeviceCodeResponse =
        match entra::post_form(http, &endpoints.device_code_url(), &form).await? {
            Reply::Ok(c) => c,
            Reply::Err(e) => return Err(rejection("requesting a device code", e, endpoints)),
        };
    // Entra says 900 s and 5 s; clamp what a server sends so time arithmetic stays sane.
    let lifetime = Duration::from_secs(code.expires_in.unwrap_or(900).clamp(1, 3600));
    let mut interval = Duration::from_secs(code.interval.unwrap_or(5).min(60)).max(timing.floor);
    let deadline = Instant::now() + lifetime;
    let prompt = DeviceCodePrompt {
        user_code: code.user_code.clone(),
        verification_uri: code.verification_uri.clone(),
        message: code.message.clone(),
        expires_at: Utc::now() + chrono::Duration::seconds(lifetime.as_secs() as i64),
        interval,
    };
    progress(DeviceProgress::Code(prompt.clone()));
    let left = || deadline.saturating_duration_since(Instant::now());
    let expired = || AuthError::Expired {
        user_code: prompt.user_code.clone(),
        minutes: lifetime.as_secs().div_ceil(60),
    };

    let token_url = endpoints.token_url();
    let mut failures = 0u32;
    let mut wait = interval;
    loop {
        tokio::time::sleep(wait).await;
        if Instant::now() >= deadline {
            return Err(expired());
        }
        let form = [
            ("grant_type", DEVICE_GRANT),
            ("client_id", client_id),
            ("device_code", code.device_code.expose()),
        ];
        match entra::post_form::<TokenResponse>(http, &token_url, &form).await {
            Ok(Reply::Ok(token)) => return Ok(token),
            Ok(Reply::Err(e)) => {
                failures = 0;
                match e.error.as_str() {
                    "authorization_pending" => progress(DeviceProgress::Pending { left: left() }),
                    "slow_down" => {
                        interval += timing.slow_down_step;
                        progress(DeviceProgress::SlowDown {
                            interval,
                            left: left(),
                        });
                    }
                    "authorization_declined" | "access_denied" => return Err(AuthError::Declined),
                    "expired_token" => return Err(expired()),
                    _ => {
                        return Err(rejection(
                            "waiting for the code to be approved",
                            e,
                            endpoints,
                        ));
                    }
                }
                wait = interval;
            }
            // A dropped connection or a gateway page: back off (RFC 8628 §3.5) and retry.
            Err(err @ (AuthError::Transport(_) | AuthError::Protocol(_))) => {
                failures += 1;
                if failures >= MAX_POLL_FAILURES {
                    return Err(err);
                }
                tracing::warn!("device-code poll failed ({failures}/{MAX_POLL_FAILURES}): {err}");
                progress(DeviceProgress::Retrying {
                    failures,
                    left: left(),
                });
                wait = (wait * 2).clamp(interval, Duration::from_secs(60));
            }
            Err(other) => return Err(other),
        }
    }
}

/// Maps an error from the sign-in service to the message the analyst sees.
pub fn rejection(context: &str, error: EntraError, endpoints: &Endpoints) -> AuthError {
    if error.is_conditional_access() {
        return AuthError::ConditionalAccess {
            error: Box::new(error),
            graph_root: endpoints.cloud.graph_root().to_string(),
        };
    }
    let hint = hint_for(&error);
    AuthError::Rejected {
        context: context.to_string(),
        error: Box::new(error),
        hint,
    }
}

/// Advice for the AADSTS codes an analyst meets while setting up.
fn hint_for(error: &EntraError) -> String {
    let codes = error.codes();
    let has = |c: i64| codes.contains(&c);
    let text = if has(7000218) {
        "the app registration must allow public client flows (Authentication → Allow public client flows = Yes)"
    } else if has(700016) {
        "check --client-id and --tenant: the app is not registered in that tenant"
    } else if has(65001) || has(90094) || has(90095) {
        "the permissions need admin consent: an admin grants them once (see docs/sign-in.md)"
    } else if has(90002) {
        "the tenant was not found: check --tenant and --cloud"
    } else if has(50020) || has(50034) {
        "the account is not a member or guest of that tenant"
    } else if has(50076) || has(50079) || error.error == "interaction_required" {
        "the tenant requires an interactive step (MFA or registration): complete it in the browser and retry"
    } else {
        ""
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::cloud::Cloud;

    fn err(code: i64, error: &str, text: &str) -> EntraError {
        EntraError {
            error: error.into(),
            error_description: Some(format!("AADSTS{code}: {text}\r\nTrace ID: t")),
            error_codes: vec![code],
            ..Default::default()
        }
    }

    #[test]
    fn setup_errors_get_hints_and_keep_aadsts_verbatim() {
        let ep = Endpoints::resolve(Cloud::Global, "contoso.com", None, None).unwrap();
        let e = rejection(
            "requesting a device code",
            err(
                7000218,
                "invalid_client",
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            ),
            &ep,
        );
        let text = e.to_string();
        assert!(
            text.starts_with(
                "requesting a device code failed: invalid_client: AADSTS7000218: The request body"
            ),
            "{text}"
        );
        assert!(text.contains("Allow public client flows"), "{text}");
        let consent = rejection(
            "x",
            err(
                65001,
                "invalid_grant",
                "The user or administrator has not consented.",
            ),
            &ep,
        );
        assert!(consent.to_string().contains("admin consent"));
    }

    #[test]
    fn conditional_access_names_the_clouds_graph_for_az() {
        let ep = Endpoints::resolve(Cloud::UsGov, "contoso.us", None, None).unwrap();
        let e = rejection(
            "x",
            err(
                53003,
                "invalid_grant",
                "Access has been blocked by Conditional Access policies.",
            ),
            &ep,
        );
        let text = e.to_string();
        assert!(matches!(e, AuthError::ConditionalAccess { .. }));
        assert!(
            text.contains("AADSTS53003: Access has been blocked"),
            "{text}"
        );
        assert!(
            text.contains("--resource https://graph.microsoft.us"),
            "{text}"
        );
    }

    #[test]
    fn prompt_text_shows_uri_code_and_message() {
        let p = DeviceCodePrompt {
            user_code: "ABCD2345X".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            message: Some("To sign in, use a web browser…".into()),
            expires_at: chrono::DateTime::from_timestamp(1_900_000_000, 0).unwrap(),
            interval: Duration::from_secs(5),
        };
        let t = p.text();
        assert!(
            t.contains("open https://microsoft.com/devicelogin and enter the code ABCD2345X"),
            "{t}"
        );
        assert!(t.contains("To sign in, use a web browser"), "{t}");
    }
}
