//! Graph errors (minimal stand-in; replaced by the Graph client's file at merge).

/// What went wrong, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Http,
    Timeout,
    Transport,
    Decode,
    Auth,
}

/// An error from a Graph call (or from getting the token for it).
#[derive(Debug, Clone)]
pub struct GraphError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub method: String,
    pub path: String,
    pub maybe_applied: bool,
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GraphError {}
