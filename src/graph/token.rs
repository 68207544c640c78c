//! Where the client gets its bearer token: the [`TokenSource`] trait (implemented by the
//! sign-in code, by tests, and by [`StaticToken`] for `ENTRA_TRIAGE_TOKEN`). Owns no HTTP and
//! never prints a token: every `Debug` here is redacted.

use futures::future::BoxFuture;

use super::error::GraphError;

/// A supplier of Graph access tokens.
pub trait TokenSource: Send + Sync + std::fmt::Debug {
    /// A bearer token for Graph (may refresh silently).
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>>;
    /// Graph rejected the current token with 401: drop it so the next `token()` refreshes.
    /// Default: no-op.
    fn invalidate(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A fixed, pre-obtained access token (e.g. from `ENTRA_TRIAGE_TOKEN`). It cannot refresh:
/// after a 401 the same token is offered again and Graph's error reaches the caller.
#[derive(Clone)]
pub struct StaticToken(zeroize::Zeroizing<String>);

impl StaticToken {
    /// Wraps `token` (surrounding whitespace and a leading `Bearer ` are removed).
    pub fn new(token: String) -> Self {
        let trimmed = token.trim();
        let bare = trimmed
            .strip_prefix("Bearer ")
            .or_else(|| trimmed.strip_prefix("bearer "))
            .unwrap_or(trimmed)
            .trim();
        Self(zeroize::Zeroizing::new(bare.to_owned()))
    }
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, GraphError>> {
        let t = self.0.as_str().to_owned();
        Box::pin(async move { Ok(t) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = StaticToken::new("eyJ0eXAiOiJKV1QiLCJhbGciOi.secret".into());
        let d = format!("{t:?}");
        assert_eq!(d, "StaticToken(<redacted>)");
        assert!(!d.contains("eyJ"));
    }

    #[tokio::test]
    async fn strips_bearer_prefix_and_whitespace() {
        let t = StaticToken::new("  Bearer abc.def \n".into());
        assert_eq!(t.token().await.unwrap(), "abc.def");
        t.invalidate().await;
        assert_eq!(t.token().await.unwrap(), "abc.def");
    }
}
