//! entra-triage: a terminal console to investigate and contain a possibly compromised
//! Microsoft Entra ID account through Microsoft Graph.
//!
//! ```text
//!  keys / resize / paste            WorkerEvent (data inside the message)
//!  ─────────────────► runtime ◄──────────────────────────────┐
//!                       │ Msg                                  │
//!                       ▼                                      │
//!                  App::update(Msg) -> Vec<Command>   (pure)   │
//!                       │ Command (UI → worker, mpsc)          │
//!                       ▼                                      │
//!                    worker ── GraphClient (reqwest) ──► Microsoft Graph (or the simulator)
//!  render: ui::render(&App, &mut Frame) — reads state, never changes it
//! ```
#![forbid(unsafe_code)]

pub mod analysis;
pub mod app;
pub mod auth;
pub mod case;
pub mod cli;
pub mod collect;
pub mod commands;
pub mod config;
pub mod contain;
pub mod evidence;
pub mod filter;
pub mod graph;
pub mod keymap;
pub mod offline;
pub mod overlay;
pub mod panes;
pub mod protocol;
pub mod report;
pub mod runtime;
pub mod sanitize;
pub mod sim;
pub mod terminal;
pub mod ui;
pub mod window;
pub mod worker;
