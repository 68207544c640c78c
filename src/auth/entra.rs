//! The Microsoft identity platform's token endpoint as seen by a client: form-encoded POSTs,
//! Entra's error body (AADSTS codes, trace and correlation ids) and the token response.

use std::time::Duration;

use serde::Deserialize;

use super::AuthError;
use super::secret::Secret;

/// AADSTS codes that mean Conditional Access (or a device policy) refused the sign-in.
const CONDITIONAL_ACCESS_CODES: &[i64] = &[
    50097, 50131, 53000, 53001, 53002, 53003, 530032, 530033, 530034, 530035,
];

/// An error answered by the sign-in service, as Entra sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EntraError {
    /// OAuth error, e.g. `authorization_pending`, `invalid_grant`.
    pub error: String,
    /// Human text, starting with the AADSTS code (e.g. `AADSTS70016: …`).
    #[serde(default)]
    pub error_description: Option<String>,
    /// Numeric AADSTS codes.
    #[serde(default)]
    pub error_codes: Vec<i64>,
    /// Extra classification, e.g. `bad_token`, `consent_required`.
    #[serde(default)]
    pub suberror: Option<String>,
    /// For Microsoft support.
    #[serde(default)]
    pub trace_id: Option<String>,
    /// For Microsoft support.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// HTTP status (not part of the body).
    #[serde(skip)]
    pub status: u16,
}

impl EntraError {
    /// The first line of `error_description` (Entra appends trace/correlation lines).
    pub fn summary(&self) -> String {
        let first = self
            .error_description
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
            .unwrap_or("");
        if first.is_empty() {
            self.error.clone()
        } else {
            format!("{}: {first}", self.error)
        }
    }

    /// AADSTS codes from `error_codes`, or parsed from the description when absent.
    pub fn codes(&self) -> Vec<i64> {
        if !self.error_codes.is_empty() {
            return self.error_codes.clone();
        }
        let text = self.error_description.as_deref().unwrap_or("");
        text.match_indices("AADSTS")
            .filter_map(|(i, _)| {
                let digits: String = text[i + 6..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            })
            .collect()
    }

    /// True when the error says Conditional Access (or a device policy) blocked the sign-in.
    pub fn is_conditional_access(&self) -> bool {
        let text = self
            .error_description
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        self.codes()
            .iter()
            .any(|c| CONDITIONAL_ACCESS_CODES.contains(c))
            || text.contains("conditional access")
    }

    /// Trace and correlation ids for a support ticket, if any.
    pub fn support_ids(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.trace_id {
            parts.push(format!("trace id {t}"));
        }
        if let Some(c) = &self.correlation_id {
            parts.push(format!("correlation id {c}"));
        }
        parts.join(", ")
    }
}

impl std::fmt::Display for EntraError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())?;
        let ids = self.support_ids();
        if !ids.is_empty() {
            write!(f, " ({ids})")?;
        }
        Ok(())
    }
}

/// A successful token response.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: Secret,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default)]
    pub id_token: Option<Secret>,
    /// Seconds until the access token expires.
    #[serde(default, deserialize_with = "de_seconds")]
    pub expires_in: Option<u64>,
    /// Granted scopes, space-separated (sometimes URL-encoded).
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
}

impl TokenResponse {
    /// Granted scopes as a list, decoding `%20`-style encoding when present.
    pub fn scopes(&self) -> Vec<String> {
        let raw = self.scope.as_deref().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .replace('+', " ");
        decoded.split_whitespace().map(str::to_string).collect()
    }
}

/// `expires_in` arrives as a number (and, from some older endpoints, as a string).
pub(crate) fn de_seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        U(u64),
        F(f64),
        S(String),
    }
    Ok(match Option::<N>::deserialize(d)? {
        Some(N::U(n)) => Some(n),
        Some(N::F(f)) if f.is_finite() && f >= 0.0 => Some(f as u64),
        Some(N::S(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// The HTTP client for the sign-in service: no redirects (a redirected POST could carry a
/// device code or refresh token elsewhere), bounded time per request.
pub fn http_client() -> Result<reqwest::Client, AuthError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("entra-triage/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| AuthError::Transport(format!("cannot build the HTTP client: {e}")))
}

/// What a POST to the sign-in service produced.
pub enum Reply<T> {
    /// HTTP 200 with a body of the expected shape.
    Ok(T),
    /// An OAuth error body (usually HTTP 400/401).
    Err(EntraError),
}

/// POSTs a form and decodes either `T` or Entra's error body. Network failures and
/// unexpected answers become [`AuthError::Transport`] / [`AuthError::Protocol`].
pub async fn post_form<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Reply<T>, AuthError> {
    let resp = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| {
            AuthError::Transport(format!(
                "cannot reach {}: {}",
                strip_query(url),
                e.without_url()
            ))
        })?;
    let status = resp.status();
    let body = zeroize::Zeroizing::new(
        resp.bytes()
            .await
            .map_err(|e| {
                AuthError::Transport(format!("reading the answer of {url}: {}", e.without_url()))
            })?
            .to_vec(),
    );
    if status.is_success() {
        return serde_json::from_slice::<T>(&body)
            .map(Reply::Ok)
            .map_err(|e| {
                // Position only: serde_json's text may quote a value from the body.
                AuthError::Protocol(format!(
                    "{url} answered HTTP {status} with an unexpected body ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                ))
            });
    }
    match serde_json::from_slice::<EntraError>(&body) {
        Ok(mut err) => {
            err.status = status.as_u16();
            Ok(Reply::Err(err))
        }
        Err(_) => Err(AuthError::Protocol(format!(
            "{url} answered HTTP {status} without an OAuth error body{}",
            if status.is_redirection() {
                " (redirects are not followed)"
            } else {
                ""
            }
        ))),
    }
}

fn strip_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entra_error_and_summarises() {
        let body = r#"{"error":"authorization_pending","error_description":"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.\r\nTrace ID: t1\r\nCorrelation ID: c1\r\nTimestamp: 2026-11-26 09:00:00Z","error_codes":[70016],"timestamp":"2026-11-26 09:00:00Z","trace_id":"t1","correlation_id":"c1"}"#;
        let e: EntraError = serde_json::from_str(body).unwrap();
        assert_eq!(e.codes(), vec![70016]);
        assert_eq!(
            e.to_string(),
            "authorization_pending: AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling. (trace id t1, correlation id c1)"
        );
        assert!(!e.is_conditional_access());
    }

    #[test]
    fn conditional_access_by_code_or_text() {
        let by_text = EntraError {
            error: "invalid_grant".into(),
            error_description: Some(
                "AADSTS53003: Access has been blocked by Conditional Access policies.".into(),
            ),
            ..Default::default()
        };
        assert_eq!(by_text.codes(), vec![53003]);
        assert!(by_text.is_conditional_access());
        let by_code = EntraError {
            error: "invalid_grant".into(),
            error_codes: vec![50097],
            ..Default::default()
        };
        assert!(by_code.is_conditional_access());
        let other = EntraError {
            error: "invalid_grant".into(),
            error_codes: vec![70008],
            ..Default::default()
        };
        assert!(!other.is_conditional_access());
    }

    #[test]
    fn token_response_scopes_and_expiry_shapes() {
        let t: TokenResponse = serde_json::from_str(
            r#"{"access_token":"a","expires_in":"3599","scope":"openid%20profile%20https%3A%2F%2Fgraph.microsoft.com%2FUser.Read.All"}"#,
        )
        .unwrap();
        assert_eq!(t.expires_in, Some(3599));
        assert_eq!(
            t.scopes(),
            vec![
                "openid",
                "profile",
                "https://graph.microsoft.com/User.Read.All"
            ]
        );
        assert!(!format!("{t:?}").contains("\"a\""));
    }
}
