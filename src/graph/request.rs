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

/// One change to send exactly once.
#[derive(Clone, Debug)]
pub struct MutationRequest {
    pub method: HttpMethod,
    pub version: ApiVersion,
    /// Encoded path (and query) after the version, starting with `/`.
    pub path: String,
    pub body: Option<serde_json::Value>,
}

/// Graph's answer to a mutation (2xx only; anything else is a `GraphError`).
#[derive(Clone, Debug)]
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
