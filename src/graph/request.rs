//! The vocabulary of one Graph call: API version, a page of a collection, and the mutation
//! request/response pair that `GraphClient::send` sends exactly once. Plain data.

use reqwest::Method;

/// Graph API version segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    Beta,
}

impl ApiVersion {
    /// `"v1.0"` or `"beta"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// One page of a collection.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The page JSON exactly as received (evidence).
    pub raw: serde_json::Value,
    pub request_id: Option<String>,
    /// 1-based page number in this stream.
    pub number: usize,
    /// An `@odata.nextLink` followed this page.
    pub has_more: bool,
}

/// HTTP method of a mutation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Patch,
    Delete,
}

impl HttpMethod {
    /// `"GET"`, `"POST"`, …
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    pub(super) fn to_reqwest(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Patch => Method::PATCH,
            HttpMethod::Delete => Method::DELETE,
        }
    }
}

/// One change to send exactly once. `Debug` shows only the body's top-level keys: bodies can
/// hold a new password.
#[derive(Clone)]
pub struct MutationRequest {
    pub method: HttpMethod,
    pub version: ApiVersion,
    /// Encoded path (and query) after the version, starting with `/`.
    pub path: String,
    pub body: Option<serde_json::Value>,
}

/// Graph's answer to a mutation (2xx only; anything else is a `GraphError`). `Debug` shows
/// only the body's top-level keys: answers can hold a generated password or a TAP.
#[derive(Clone)]
pub struct MutationResponse {
    pub status: u16,
    /// `Location` header (long-running operations), verbatim.
    pub location: Option<String>,
    /// `Retry-After` in seconds, if sent.
    pub retry_after: Option<f64>,
    /// JSON body, if any.
    pub body: Option<serde_json::Value>,
    pub request_id: Option<String>,
    /// The `client-request-id` this client sent.
    pub client_request_id: String,
}

/// A body for `Debug`: `{"passwordProfile": …}` with every value hidden.
struct Redacted<'a>(&'a Option<serde_json::Value>);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("None"),
            Some(serde_json::Value::Object(map)) => {
                let keys: Vec<&String> = map.keys().collect();
                write!(f, "Some(<redacted object with keys {keys:?}>)")
            }
            Some(_) => f.write_str("Some(<redacted>)"),
        }
    }
}

impl std::fmt::Debug for MutationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MutationRequest")
            .field("method", &self.method)
            .field("version", &self.version)
            .field("path", &self.path)
            .field("body", &Redacted(&self.body))
            .finish()
    }
}

impl std::fmt::Debug for MutationResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MutationResponse")
            .field("status", &self.status)
            .field("location", &self.location)
            .field("retry_after", &self.retry_after)
            .field("body", &Redacted(&self.body))
            .field("request_id", &self.request_id)
            .field("client_request_id", &self.client_request_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_mutation_bodies() {
        let req = MutationRequest {
            method: HttpMethod::Patch,
            version: ApiVersion::V1,
            path: "/users/u-1".into(),
            body: Some(serde_json::json!({"passwordProfile": {"password": "Hunter2!xyz"}})),
        };
        let d = format!("{req:?}");
        assert!(
            d.contains("passwordProfile") && d.contains("/users/u-1"),
            "{d}"
        );
        assert!(!d.contains("Hunter2"), "{d}");
        let resp = MutationResponse {
            status: 202,
            location: None,
            retry_after: None,
            body: Some(serde_json::json!("tap-secret")),
            request_id: None,
            client_request_id: "c".into(),
        };
        assert!(!format!("{resp:?}").contains("tap-secret"));
        assert_eq!(ApiVersion::Beta.as_str(), "beta");
        assert_eq!(HttpMethod::Delete.as_str(), "DELETE");
    }
}
