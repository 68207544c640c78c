//! sim: the simulated tenant (minimal stand-in in the auth worktree; the sim helper's file wins).

pub mod identity;
