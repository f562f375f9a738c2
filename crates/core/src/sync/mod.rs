//! Sync rules (see shared/sync-design.md and docs/sync-protocol.md), written once for the
//! app, the server and the in-memory server of the tests:
//! - [`wire`]: what travels, versioned;
//! - [`push`]: each device's mutations applied in order, at most once;
//! - [`merge`]: the server's copy of a record, merged field by field, conflicts kept;
//! - [`inbound`]: what a server accepts from a phone (typed, checked, written again);
//! - [`client`]: the phone's side — outbox to push, acknowledgements, quarantine, pull;
//! - [`conflicts`]: the conflicts a pull reported, kept on the phone until settled;
//! - [`erase`]: a deletion past its undo window erases the record's content;
//! - [`digest`], [`repair`]: detecting and mending what a restored server lost;
//! - [`window`]: what of the team's history a phone keeps; [`scope`]: which households;
//! - [`mem_server`]: a server in memory, for tests.

pub mod client;
pub mod conflicts;
pub mod digest;
pub mod erase;
pub mod fields;
pub mod inbound;
pub mod legacy;
pub mod mem_server;
pub mod merge;
pub mod push;
pub mod repair;
pub mod retry;
pub mod scope;
pub mod window;
pub mod wire;

pub use fields::{FieldSet, Synced};

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod erase_tests;
#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod repair_tests;
#[cfg(test)]
mod window_tests;
