//! ui (in progress)
pub mod theme;
pub mod text;
