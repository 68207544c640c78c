//! Serde models of the Graph objects the console reads. Tolerant by design: unknown fields
//! are ignored, nulls become defaults, sentinel timestamps become `None`, evolvable enums keep
//! unknown members in `Other(String)`. Models never validate or decide; analysis does.

mod de;
mod enums;
mod id;
pub mod intern;
mod text;

pub mod audit;
pub mod grant;
pub mod method;
pub mod organization;
pub mod risk;
pub mod rule;
pub mod sign_in;
pub mod user;

pub use audit::*;
pub use enums::*;
pub use grant::*;
pub use id::Id;
pub use method::*;
pub use organization::*;
pub use risk::*;
pub use rule::*;
pub use sign_in::*;
pub use text::TenantText;
pub use user::*;

/// One page of an OData collection (`value` + `@odata.nextLink`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::de::DeserializeOwned"))]
pub struct Collection<T> {
    #[serde(default = "Vec::new", deserialize_with = "de::null_default")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}
