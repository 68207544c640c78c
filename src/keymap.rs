//! keymap (placeholder, filled in by its owner).
