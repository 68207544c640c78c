//! `Id`: a Graph object id (usually a 36-character GUID) stored inline when it fits, so the
//! million sign-ins of a large log carry no heap allocation per id. Reads as a `&str`
//! (`Deref`), compares with strings and serializes as the JSON string it came from.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest id kept inline (a GUID is 36).
const INLINE: usize = 38;

/// An object id from Graph.
#[derive(Clone)]
pub struct Id(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<str>),
}

impl Id {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, buf } => {
                // Only ever filled from a `&str` of `len` bytes (see `From<&str>`).
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }
}

impl Default for Id {
    fn default() -> Self {
        Self(Repr::Inline {
            len: 0,
            buf: [0; INLINE],
        })
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        if s.len() <= INLINE {
            let mut buf = [0; INLINE];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            Self(Repr::Inline {
                len: s.len() as u8,
                buf,
            })
        } else {
            Self(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        if s.len() <= INLINE {
            Self::from(s.as_str())
        } else {
            Self(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Self {
        Self::from(s.as_str())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.as_str().to_owned()
    }
}

impl From<&Id> for String {
    fn from(id: &Id) -> Self {
        id.as_str().to_owned()
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Id {
    fn eq(&self, o: &Self) -> bool {
        self.as_str() == o.as_str()
    }
}

impl Eq for Id {}

impl PartialEq<str> for Id {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, o: &String) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, o: &Id) -> bool {
        self == o.as_str()
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, o: &Id) -> bool {
        *self == o.as_str()
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, o: &Id) -> bool {
        self == o.as_str()
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Id {
    fn cmp(&self, o: &Self) -> Ordering {
        self.as_str().cmp(o.as_str())
    }
}

impl Hash for Id {
    /// Hashes like the `str` it reads as (so maps keyed by `Id` can be looked up by `&str`).
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Id;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
        Ok(Id::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
        Ok(Id::from(v))
    }
}

impl<'de> Deserialize<'de> for Id {
    /// Exactly what a `String` accepts (a JSON string), so a malformed id still fails its item.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(IdVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_inline_long_ids_are_kept_whole() {
        assert_eq!(std::mem::size_of::<Id>(), 40);
        let g = "5ca1ab1e-0000-4000-8000-00000000002a";
        let id = Id::from(g);
        assert!(matches!(id.0, Repr::Inline { .. }));
        assert_eq!(id, g);
        assert_eq!(&*id, g);
        let long = "x".repeat(100);
        let l = Id::from(long.clone());
        assert!(matches!(l.0, Repr::Heap(_)));
        assert_eq!(l.as_str(), long);
        assert_eq!(Id::default().as_str(), "");
        assert_eq!(format!("{id} {id:?}"), format!("{g} \"{g}\""));
    }

    #[test]
    fn serde_is_a_plain_string_and_a_map_finds_it_by_str() {
        let id: Id = serde_json::from_str(r#""s1""#).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""s1""#);
        assert!(serde_json::from_str::<Id>("5").is_err());
        assert!(serde_json::from_str::<Id>("null").is_err());
        let m: std::collections::HashMap<Id, u8> = [(id, 1)].into();
        assert_eq!(m.get("s1"), Some(&1));
        let mut v = vec![Id::from("b"), Id::from("a")];
        v.sort();
        assert_eq!(v, ["a", "b"]);
    }
}
