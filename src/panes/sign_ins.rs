//! The sign-in timeline's data: rows newest first, appended page by page, with the running
//! counts the summary line shows (so render never walks a million rows).

use std::collections::BTreeSet;

use super::{RowDetail, to_value};
use crate::graph::models::SignIn;

/// Sign-ins received so far.
#[derive(Debug, Clone, Default)]
pub struct SignIns {
    /// Newest first.
    pub rows: Vec<SignIn>,
    /// Successful sign-ins.
    pub ok: usize,
    /// Failed sign-ins.
    pub failed: usize,
    /// Distinct countries (upper-cased codes, raw; only counted).
    pub countries: BTreeSet<String>,
    /// The last page said more follow.
    pub has_more: bool,
}

impl SignIns {
    /// Appends one page, keeping the rows newest first.
    pub fn push_page(&mut self, items: Vec<SignIn>, has_more: bool) {
        self.has_more = has_more;
        let newer_than_tail = match (self.rows.last(), items.first()) {
            (Some(last), Some(first)) => first.created_date_time > last.created_date_time,
            _ => false,
        };
        for s in &items {
            if s.succeeded() {
                self.ok += 1;
            } else {
                self.failed += 1;
            }
            let c = s
                .location
                .country_or_region
                .raw()
                .trim()
                .to_ascii_uppercase();
            if !c.is_empty() {
                self.countries.insert(c);
            }
        }
        let page_sorted = items
            .windows(2)
            .all(|w| w[0].created_date_time >= w[1].created_date_time);
        self.rows.extend(items);
        if newer_than_tail || !page_sorted {
            // Graph returns newest first; only an out-of-order page costs a (stable) sort.
            self.rows
                .sort_by_key(|s| std::cmp::Reverse(s.created_date_time));
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Detail of row `i`.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        let s = self.rows.get(i)?;
        let when = s
            .created_date_time
            .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|| "no time".into());
        Some(RowDetail {
            title: format!("Sign-in {when} · {}", s.ip_address.safe()),
            value: to_value(s),
        })
    }
}
