//! Interning of repeated values parsed from Graph (tenant strings, sign-in profiles): equal
//! values share one `Arc`. Tables are per thread (parsing never takes a global lock) and
//! bounded: when a table grows, entries that only the table still holds are dropped, and a
//! table full of live entries stops adding (new values are then simply not shared).

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

/// Longest string interned; longer ones (rare, usually unique) get their own allocation.
pub const MAX_INTERNED_LEN: usize = 256;
/// Most entries a string table holds (each ≤ 256 B: at most ~4 MiB per parsing thread, and
/// in practice far less — a log's repeated strings are short).
const LIMIT: usize = 1 << 14;
/// Size at which a table first looks for entries nobody else holds.
const FIRST_GC: usize = 1 << 12;

/// FxHash (the rustc hasher): fast for short keys; the tables hold no attacker-chosen
/// volume beyond `LIMIT`, so flooding cannot grow them.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// One bounded table of shared values.
pub struct Interner<T: ?Sized> {
    set: HashSet<Arc<T>, BuildHasherDefault<FxHasher>>,
    limit: usize,
    next_gc: usize,
    /// Values not found since the last collection (a full table collects again only after
    /// `LIMIT` of them, so a stream of unique values costs no repeated scans).
    misses: usize,
}

impl<T: ?Sized + Hash + Eq> Default for Interner<T> {
    fn default() -> Self {
        Self::with_limit(LIMIT)
    }
}

impl<T: ?Sized + Hash + Eq> Interner<T> {
    /// A table that never holds more than `limit` entries.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            set: HashSet::default(),
            limit,
            next_gc: FIRST_GC.min(limit),
            misses: 0,
        }
    }

    /// The shared copy of `v`, made by `make` (and kept) when the table has none.
    pub fn get_or_insert(&mut self, v: &T, make: impl FnOnce(&T) -> Arc<T>) -> Arc<T> {
        if let Some(a) = self.set.get(v) {
            return a.clone();
        }
        let a = make(v);
        self.misses += 1;
        let full = self.set.len() >= self.limit;
        if self.set.len() >= self.next_gc && (!full || self.misses >= self.limit) {
            self.set.retain(|e| Arc::strong_count(e) > 1);
            self.next_gc = (self.set.len() * 2).clamp(FIRST_GC.min(self.limit), self.limit);
            self.misses = 0;
        }
        if self.set.len() < self.limit {
            self.set.insert(a.clone());
        }
        a
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

thread_local! {
    static STRINGS: RefCell<Interner<str>> = RefCell::new(Interner::default());
}

/// `s` as a shared string: interned when short, its own allocation otherwise.
pub fn string(s: &str) -> Arc<str> {
    if s.len() > MAX_INTERNED_LEN {
        return Arc::from(s);
    }
    STRINGS.with(|t| t.borrow_mut().get_or_insert(s, |v| Arc::from(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_one_allocation_and_long_ones_do_not() {
        let a = string("Microsoft Office");
        let b = string(&String::from("Microsoft Office"));
        assert!(Arc::ptr_eq(&a, &b));
        let long = "x".repeat(MAX_INTERNED_LEN + 1);
        assert!(!Arc::ptr_eq(&string(&long), &string(&long)));
    }

    #[test]
    fn a_table_is_bounded_and_drops_what_only_it_holds() {
        let mut t = Interner::<str>::default();
        // Values nobody keeps are collected as the table grows.
        for i in 0..(LIMIT * 3) {
            t.get_or_insert(&i.to_string(), |v| Arc::from(v));
        }
        assert!(t.len() <= FIRST_GC, "{}", t.len());
        // Values someone keeps alive stay; past LIMIT new values are no longer added.
        let kept: Vec<Arc<str>> = (0..(LIMIT + 10))
            .map(|i| t.get_or_insert(&format!("k{i}"), |v| Arc::from(v)))
            .collect();
        assert_eq!(t.len(), LIMIT);
        let again = t.get_or_insert("k5", |v| Arc::from(v));
        assert!(Arc::ptr_eq(&again, &kept[5]));
        let extra = t.get_or_insert(&format!("k{}", LIMIT + 5), |v| Arc::from(v));
        assert!(!Arc::ptr_eq(&extra, &kept[LIMIT + 5]));
        assert_eq!(&*extra, &*kept[LIMIT + 5]);
    }
}
