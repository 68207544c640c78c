//! window (placeholder, filled in by its owner).
