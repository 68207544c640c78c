//! The data behind each pane (sign-ins, risk, methods, grants): how arriving events fold into
//! it, how many rows it has, and what the detail view of a row shows. No drawing, no IO.

pub mod audit;
pub mod grants;
pub mod methods;
pub mod risk;
pub mod rules;
pub mod sign_ins;
pub mod timeline;

pub use audit::Audits;
pub use grants::Grants;
pub use methods::Methods;
pub use risk::Risk;
pub use rules::Rules;
pub use sign_ins::SignIns;
pub use timeline::Timeline;

/// What the detail view of a row shows: a title and the row as JSON.
pub struct RowDetail {
    /// Title of the detail view (sanitised).
    pub title: String,
    /// The whole object, flattened by the detail overlay.
    pub value: serde_json::Value,
}

/// The row serialised; a model that cannot be serialised shows why instead.
fn to_value<T: serde::Serialize>(row: &T) -> serde_json::Value {
    serde_json::to_value(row).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
}
