//! Sort keys: one `u64` per row for one field, so a million rows sort as integers instead of
//! comparing field values pairwise. Texts get an id per distinct raw value (a user has few
//! distinct apps, countries or agents), and the ids are ranked by their lowercased text, which
//! is the order `compare_values` gives. A missing field sorts first, as there.

use std::collections::HashMap;

use super::field::{FieldValue, Filterable};

/// Makes the sort keys of one field and orders them.
#[derive(Debug, Clone, Default)]
pub struct KeyMaker {
    field: usize,
    /// Raw text → id.
    ids: HashMap<String, u32>,
    /// Id → raw text.
    texts: Vec<String>,
    /// Id → lowercased text.
    lower: Vec<String>,
    /// The id of the last text seen (rows often repeat the previous row's value).
    last: Option<u32>,
    /// Key → ordering key, for text keys (rebuilt by `rank`).
    ranks: Vec<u64>,
}

/// A signed value as an unsigned key of the same order.
fn signed(n: i64) -> u64 {
    (n as u64) ^ (1 << 63)
}

impl KeyMaker {
    /// Keys of field number `field` of the rows' `fields()`.
    pub fn new(field: usize) -> Self {
        Self {
            field,
            ..Self::default()
        }
    }

    /// The key of `row`: 0 when the row lacks the field; for texts an id to rank.
    pub fn key<R: Filterable + ?Sized>(&mut self, row: &R) -> u64 {
        let Some(v) = row.field_at(self.field) else {
            return 0;
        };
        match v {
            FieldValue::Text(t) => 1 + u64::from(self.text_id(&t)),
            FieldValue::Risk(r) => 1 + u64::from(r),
            FieldValue::Time(None) | FieldValue::Bool(None) | FieldValue::Number(None) => 1,
            FieldValue::Time(Some(t)) => {
                // Nanoseconds cover 1677–2262; times outside stay ordered at the ends.
                let n = t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                });
                signed(n).max(2)
            }
            FieldValue::Bool(Some(b)) => 2 + u64::from(b),
            FieldValue::Status(c) => signed(c).max(1),
            FieldValue::Number(Some(n)) => signed(n).max(2),
        }
    }

    fn text_id(&mut self, t: &str) -> u32 {
        if let Some(id) = self.last
            && self.texts[id as usize] == t
        {
            return id;
        }
        let id = match self.ids.get(t) {
            Some(id) => *id,
            None => {
                let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
                self.ids.insert(t.to_owned(), id);
                self.texts.push(t.to_owned());
                // Lowercased now, while the text is at hand, so ranking only sorts.
                self.lower.push(t.to_lowercase());
                id
            }
        };
        self.last = Some(id);
        id
    }

    /// The text of a text key (`None`: not a text key).
    pub fn text(&self, key: u64) -> Option<&str> {
        let id = usize::try_from(key.checked_sub(1)?).ok()?;
        self.texts.get(id).map(String::as_str)
    }

    /// Distinct texts seen (text keys are `1..=texts()`).
    pub fn texts(&self) -> usize {
        self.texts.len()
    }

    /// Ranks the texts seen so far (call after making keys, before `order_key`); nothing to
    /// do when no new text was seen since the last time.
    pub fn rank(&mut self) {
        if self.texts.is_empty() || self.ranks.len() == self.texts.len() + 1 {
            return;
        }
        for t in &self.texts[self.lower.len()..] {
            self.lower.push(t.to_lowercase());
        }
        let mut by_text: Vec<u32> = (0..self.texts.len() as u32).collect();
        by_text.sort_unstable_by(|a, b| {
            self.lower[*a as usize]
                .as_bytes()
                .cmp(self.lower[*b as usize].as_bytes())
        });
        self.ranks = vec![0; self.texts.len() + 1];
        let mut rank = 0;
        for (k, id) in by_text.iter().enumerate() {
            if k > 0 && self.lower[by_text[k - 1] as usize] != self.lower[*id as usize] {
                rank += 1;
            }
            self.ranks[*id as usize + 1] = rank + 1;
        }
    }

    /// The key that orders rows: texts by rank (equal when equal ignoring case), other
    /// values as they are.
    pub fn order_key(&self, key: u64) -> u64 {
        if self.ranks.is_empty() {
            key
        } else {
            self.ranks.get(key as usize).copied().unwrap_or(key)
        }
    }
}
