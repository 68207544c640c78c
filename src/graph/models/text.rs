//! `TenantText`: a string that came from the tenant and may have been chosen by an attacker.
//! It deliberately has no `Display`: the screen, reports and exports reach it only through
//! `crate::sanitize`. Analysis may compare it through `raw()`. Stored as a shared `Arc<str>`
//! (interned when parsed, see `intern.rs`; empty = no allocation), so the thousands of
//! repeated names, user agents and cities of a sign-in log cost one copy each.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::intern;

/// Attacker-influenced text from Graph (names, user agents, cities, rule names…).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantText(Option<Arc<str>>);

impl TenantText {
    pub fn new(s: impl Into<String>) -> Self {
        let s: String = s.into();
        if s.is_empty() {
            Self(None)
        } else {
            Self(Some(Arc::from(s)))
        }
    }
    /// Shared with every equal string parsed on this thread (see `intern.rs`).
    pub fn interned(s: &str) -> Self {
        if s.is_empty() {
            Self(None)
        } else {
            Self(Some(intern::string(s)))
        }
    }
    /// The raw, unsanitised value — for comparison and analysis, never for output.
    pub fn raw(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
    pub fn is_empty(&self) -> bool {
        self.raw().trim().is_empty()
    }
    /// The text made safe for a terminal cell (see `crate::sanitize`).
    pub fn safe(&self) -> String {
        crate::sanitize::line(self.raw())
    }
}

impl fmt::Debug for TenantText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TenantText").field(&self.raw()).finish()
    }
}

impl Serialize for TenantText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.raw())
    }
}

/// null → empty; numbers/bools/arrays/objects → their JSON text, so odd tenant data never
/// fails a page.
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TenantText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<TenantText, E> {
        Ok(TenantText::interned(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<TenantText, E> {
        Ok(TenantText::interned(if v { "true" } else { "false" }))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TenantText, E> {
        Ok(TenantText::interned(&v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TenantText, E> {
        Ok(TenantText::interned(&v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TenantText, E> {
        Ok(TenantText::interned(
            &serde_json::Value::from(v).to_string(),
        ))
    }
    fn visit_unit<E: de::Error>(self) -> Result<TenantText, E> {
        Ok(TenantText(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<TenantText, E> {
        Ok(TenantText(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<TenantText, D::Error> {
        d.deserialize_any(TextVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<TenantText, A::Error> {
        let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(a))?;
        Ok(TenantText::interned(&v.to_string()))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<TenantText, A::Error> {
        let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(a))?;
        Ok(TenantText::interned(&v.to_string()))
    }
}

impl<'de> Deserialize<'de> for TenantText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl From<&str> for TenantText {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_json_becomes_text_and_round_trips_as_a_string() {
        let t: Vec<TenantText> =
            serde_json::from_str(r#"["Lagos", null, 5, -2, 1.5, true, [1,"a"], {"k":null}, ""]"#)
                .unwrap();
        let raw: Vec<&str> = t.iter().map(TenantText::raw).collect();
        assert_eq!(
            raw,
            [
                "Lagos",
                "",
                "5",
                "-2",
                "1.5",
                "true",
                r#"[1,"a"]"#,
                r#"{"k":null}"#,
                ""
            ]
        );
        assert_eq!(serde_json::to_string(&t[..2]).unwrap(), r#"["Lagos",""]"#);
        assert_eq!(t[1], TenantText::new(""));
        assert_eq!(t[8], TenantText::default());
        assert_eq!(format!("{:?}", t[0]), r#"TenantText("Lagos")"#);
    }

    #[test]
    fn parsed_text_is_shared_and_small() {
        let a: TenantText = serde_json::from_str(r#""Mozilla/5.0 (Windows NT 10.0)""#).unwrap();
        let b: TenantText = serde_json::from_str(r#""Mozilla/5.0 (Windows NT 10.0)""#).unwrap();
        assert!(Arc::ptr_eq(a.0.as_ref().unwrap(), b.0.as_ref().unwrap()));
        assert_eq!(std::mem::size_of::<TenantText>(), 16);
    }
}
