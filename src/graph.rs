//! Microsoft Graph: typed models of the objects the console reads, and (in later submodules)
//! the HTTP client with paging, retry, pacing and OData quoting. Nothing here draws or decides.

pub mod error;
pub mod models;
pub mod token;

pub use error::{ErrorKind, GraphError};
pub use token::TokenSource;
