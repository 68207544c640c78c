//! Graph error values and their JSON bodies (graph-api.md §2.1), plus the handler reply type.

use axum::http::StatusCode;
use serde_json::{Value, json};

/// A Graph error answer: status, `error.code`, `error.message`, optional `Retry-After`.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code: code.to_string(),
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::bad_request("Request_UnsupportedQuery", message)
    }

    pub fn directory_not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{what}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    pub fn no_segment(segment: &str) -> Self {
        Self::bad_request(
            "BadRequest",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "The HTTP method is not allowed for this resource.",
        )
    }

    pub fn not_premium() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        )
    }

    /// No Entra ID P2. The exact code Microsoft returns is undocumented (graph-api.md §13):
    /// a 403 is confirmed, the code below is a plausible choice — unverified.
    pub fn not_p2() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Your tenant is not licensed for this feature (Microsoft Entra ID P2 is required).",
        )
    }

    pub fn throttled(retry_after: Option<u64>) -> Self {
        GraphError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "TooManyRequests".into(),
            message: "Please retry again later.".into(),
            retry_after,
        }
    }

    /// The `{"error": {...}}` body with `innerError` {date, request-id, client-request-id}.
    pub fn body(&self, request_id: &str, client_request_id: &str) -> Value {
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let mut inner = json!({
            "date": date,
            "request-id": request_id,
            "client-request-id": client_request_id,
        });
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            inner["code"] = json!("429");
            inner["status"] = json!("429");
        }
        json!({"error": {"code": self.code, "message": self.message, "innerError": inner}})
    }
}

/// What a route handler answers.
#[derive(Debug)]
pub enum Reply {
    /// A JSON body with a status and extra headers.
    Json(StatusCode, Value, Vec<(&'static str, String)>),
    /// No body (204 and friends).
    Empty(StatusCode),
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Reply::Json(StatusCode::OK, body, Vec::new())
    }
    pub fn no_content() -> Self {
        Reply::Empty(StatusCode::NO_CONTENT)
    }
}

/// Result type of every route handler.
pub type Answer = Result<Reply, GraphError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_inner_error_ids() {
        let e = GraphError::not_premium();
        let b = e.body("rid", "cid");
        assert_eq!(
            b["error"]["code"],
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
        );
        assert_eq!(b["error"]["innerError"]["request-id"], "rid");
        assert_eq!(b["error"]["innerError"]["client-request-id"], "cid");
        assert!(b["error"]["innerError"]["date"].is_string());
    }
}
