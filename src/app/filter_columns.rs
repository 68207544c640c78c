//! Columns of the Sign-ins pane: per row, the key of one field (`KeyMaker`: texts as ids of
//! their distinct values), kept while rows are only appended. A filter then tests each
//! distinct text once and reads a dense array per row instead of a million scattered rows,
//! and a sort reads its keys from here. A column is read from the rows the first time a
//! filter or sort needs its field (in slices, like the rest of a job) and is extended as
//! pages arrive; it is dropped when the rows change otherwise (reload, re-sort, toggle).

use std::collections::HashMap;

use super::Panes;
use super::job::Stamp;
use crate::filter::KeyMaker;
use crate::protocol::PaneId;

const PANE: PaneId = PaneId::SignIns;

/// The keys of one field, row by row.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Makes and orders the keys.
    pub maker: KeyMaker,
    /// Key of each row, in the pane's order.
    pub keys: Vec<u64>,
}

/// The columns read so far, and which rows they were read from.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    stamp: Stamp,
    cols: HashMap<usize, Column>,
}

impl Columns {
    /// Drops the columns when the rows they were read from are not the pane's first rows.
    pub fn check(&mut self, panes: &Panes) {
        let holds = if self.stamp.len == 0 {
            self.stamp == Stamp::of(panes, PANE, 0)
        } else {
            self.stamp.still_holds(panes, PANE)
        };
        if !holds {
            *self = Self {
                stamp: Stamp::of(panes, PANE, 0),
                cols: HashMap::new(),
            };
        }
    }

    /// Column of field number `field`, if read.
    pub fn get(&self, field: usize) -> Option<&Column> {
        self.cols.get(&field)
    }

    /// Mutable column of field number `field`, if read.
    pub fn get_mut(&mut self, field: usize) -> Option<&mut Column> {
        self.cols.get_mut(&field)
    }

    /// Rows of column `field` read so far.
    pub fn len(&self, field: usize) -> usize {
        self.cols.get(&field).map_or(0, |c| c.keys.len())
    }

    /// Reads column `field` on, up to row `to`, at most `rows` rows; rows read.
    pub fn extend(&mut self, panes: &Panes, field: usize, to: usize, rows: usize) -> usize {
        let Some(d) = panes.sign_ins.state.data() else {
            return 0;
        };
        let col = self.cols.entry(field).or_insert_with(|| Column {
            maker: KeyMaker::new(field),
            keys: Vec::new(),
        });
        let from = col.keys.len();
        let to = to.min(from.saturating_add(rows)).min(panes.len(PANE));
        if to <= from {
            return 0;
        }
        col.keys.reserve(to - from);
        for i in from..to {
            let key = panes
                .inv
                .sign_in_at(d, i)
                .map_or(0, |(s, _)| col.maker.key(s));
            col.keys.push(key);
        }
        if to > self.stamp.len {
            self.stamp = Stamp::of(panes, PANE, to);
        }
        to - from
    }
}
