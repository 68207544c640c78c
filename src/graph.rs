//! Microsoft Graph: typed models of the objects the console reads, and the HTTP client with
//! paging, retry, pacing and OData quoting. Nothing here draws or decides.

// `GraphError` is returned by value (contract) and carries ids for support; boxing it would
// only move the allocation.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod client;
pub mod error;
pub mod models;
pub mod odata;
pub mod paging;
pub mod request;
pub mod retry;
pub mod throttle;
pub mod token;
pub mod transport;

pub use client::{
    ApiVersion, ClientConfig, GraphClient, HttpMethod, MutationRequest, MutationResponse, Page,
};
pub use error::{ErrorKind, GraphError};
pub use token::{StaticToken, TokenSource};
