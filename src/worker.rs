//! worker (placeholder, filled in by its owner).
