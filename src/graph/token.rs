//! Where the client gets bearer tokens.
use futures::future::BoxFuture;
pub trait TokenSource: Send + Sync + std::fmt::Debug {
    fn token(&self) -> BoxFuture<'_, Result<String, crate::graph::GraphError>>;
    fn invalidate(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}
