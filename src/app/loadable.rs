//! `Loadable<T>`: remote data as a state, not a bool. Data that arrived before a failure is
//! kept (and shown as incomplete); render matches every state.

use crate::worker::source::SourceError;

/// How far a load has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Pages received so far.
    pub pages: usize,
    /// Items received so far.
    pub items: usize,
}

/// The state of one pane's remote data.
#[derive(Debug, Clone, Default)]
pub enum Loadable<T> {
    /// Nothing asked for yet.
    #[default]
    Idle,
    /// Being loaded; `data` holds what has arrived so far.
    Loading {
        /// Partial data (rows appear as pages arrive).
        data: T,
        /// Pages and items so far.
        progress: Progress,
    },
    /// Completely loaded.
    Ready(T),
    /// The load failed; `data` holds what arrived before (possibly nothing).
    Failed {
        /// Partial data, shown marked incomplete.
        data: T,
        /// Why it failed.
        error: SourceError,
    },
}

impl<T: Default> Loadable<T> {
    /// A fresh load with no data yet.
    pub fn loading() -> Self {
        Self::Loading {
            data: T::default(),
            progress: Progress::default(),
        }
    }

    /// The data, in any state that has some.
    pub fn data(&self) -> Option<&T> {
        match self {
            Self::Idle => None,
            Self::Loading { data, .. } | Self::Ready(data) | Self::Failed { data, .. } => {
                Some(data)
            }
        }
    }

    /// Mutable data while loading (a late event for a finished load is ignored).
    pub fn loading_mut(&mut self) -> Option<(&mut T, &mut Progress)> {
        match self {
            Self::Loading { data, progress } => Some((data, progress)),
            _ => None,
        }
    }

    /// Still loading.
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading { .. })
    }

    /// Loading → Ready (other states unchanged).
    pub fn finish(&mut self) {
        if let Self::Loading { data, .. } = self {
            *self = Self::Ready(std::mem::take(data));
        }
    }

    /// Loading or Ready → Failed, keeping the data; an earlier failure is kept.
    pub fn fail(&mut self, error: SourceError) {
        match self {
            Self::Loading { data, .. } | Self::Ready(data) => {
                *self = Self::Failed {
                    data: std::mem::take(data),
                    error,
                };
            }
            Self::Idle => {
                *self = Self::Failed {
                    data: T::default(),
                    error,
                }
            }
            Self::Failed { .. } => {}
        }
    }
}
