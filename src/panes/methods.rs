//! The Methods pane's data: registered authentication methods, and which were added inside
//! the investigation window (an attacker registering their own MFA is a classic persistence).

use super::{RowDetail, to_value};
use crate::graph::models::AuthMethod;
use crate::window::Window;

/// Authentication methods of the suspect.
#[derive(Debug, Clone, Default)]
pub struct Methods {
    /// As Graph returned them.
    pub methods: Vec<AuthMethod>,
}

impl Methods {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.methods.len()
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.methods.is_empty()
    }

    /// Methods created inside `window`.
    pub fn added_in(&self, window: &Window) -> usize {
        self.methods.iter().filter(|m| added_in(m, window)).count()
    }

    /// Detail of row `i`.
    pub fn detail(&self, i: usize) -> Option<RowDetail> {
        let m = self.methods.get(i)?;
        Some(RowDetail {
            title: format!("Method · {}", m.type_label()),
            value: to_value(m),
        })
    }
}

/// The method was created inside the window.
pub fn added_in(m: &AuthMethod, window: &Window) -> bool {
    m.created_date_time.is_some_and(|t| window.contains(t))
}
