//! `TenantText`: a string that came from the tenant and may have been chosen by an attacker.
//! It deliberately has no `Display`: the screen, reports and exports reach it only through
//! `crate::sanitize`. Analysis may compare it through `raw()`.

use serde::{Deserialize, Deserializer, Serialize};

/// Attacker-influenced text from Graph (names, user agents, cities, rule names…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TenantText(String);

impl TenantText {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The raw, unsanitised value — for comparison and analysis, never for output.
    pub fn raw(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
    /// The text made safe for a terminal cell (see `crate::sanitize`).
    pub fn safe(&self) -> String {
        crate::sanitize::line(&self.0)
    }
}

impl<'de> Deserialize<'de> for TenantText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // null → empty; numbers/bools → their JSON text, so odd tenant data never fails a page.
        let v = serde_json::Value::deserialize(d)?;
        Ok(Self(match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }))
    }
}

impl From<&str> for TenantText {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}
