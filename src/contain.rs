//! Containment: the one `DangerousAction` enum (every change the console can make), the
//! Graph request each action sends, the executor that saves the object before, journals intent
//! and outcome, sends once and verifies by reading again, the one-time secrets (generated
//! password, Temporary Access Pass) and the playbook order with its residual risks.
//!
//! Must never: send a mutation without a `Confirmed` (built only by `overlay::confirm`), retry
//! a mutation, or let a secret reach a log, journal, snapshot or `Debug` output.

pub mod action;
pub mod case_log;
pub mod describe;
pub mod executor;
pub mod intent;
pub mod log;
pub mod playbook;
pub mod secret;
pub mod targets;
pub mod task;
pub mod verify;

pub use action::{DangerousAction, Plan, Subject};
pub use executor::{ActionReport, Executor, Outcome};
pub use log::{ActionLog, ActionRecordOut, JsonlLog};
pub use playbook::{Step, StepState};
pub use secret::Secret;
pub use targets::{GrantRef, MethodRef, RuleRef};
