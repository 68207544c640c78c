//! Selection and scroll of a list of rows, kept in bounds as rows arrive and the screen
//! resizes. Pure arithmetic.

/// Selected row and first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListView {
    /// Selected row (0 when the list is empty).
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
}

/// A movement of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// By n rows (negative: up).
    By(isize),
    /// To the first row.
    Top,
    /// To the last row.
    Bottom,
}

impl ListView {
    /// Moves within `len` rows, keeping the selection visible in `rows` visible rows.
    pub fn apply(&mut self, m: Move, len: usize, rows: usize) {
        let last = len.saturating_sub(1);
        self.selected = match m {
            Move::By(d) => self.selected.saturating_add_signed(d).min(last),
            Move::Top => 0,
            Move::Bottom => last,
        };
        self.keep_visible(rows);
    }

    /// Adjusts the offset so the selection is inside the `rows` visible rows.
    pub fn keep_visible(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_in_bounds() {
        let mut v = ListView::default();
        v.apply(Move::By(-1), 10, 3);
        assert_eq!(v, ListView::default());
        v.apply(Move::By(5), 10, 3);
        assert_eq!((v.selected, v.offset), (5, 3));
        v.apply(Move::Bottom, 10, 3);
        assert_eq!((v.selected, v.offset), (9, 7));
        v.apply(Move::By(100), 10, 3);
        assert_eq!(v.selected, 9);
        v.apply(Move::Top, 10, 3);
        assert_eq!((v.selected, v.offset), (0, 0));
        v.apply(Move::Bottom, 0, 3);
        assert_eq!(v.selected, 0);
    }
}
