//! Doorstep's domain and storage rules, shared by the app (WASM) and the server.
//!
//! Pure Rust: no IO, no clock, no randomness. Callers pass in the current time and random
//! bytes, so every rule here is deterministic and testable natively.

pub mod account;
pub mod day;
pub mod describe;
pub mod due;
pub mod event;
pub mod export;
pub mod festival;
pub mod hours;
pub mod household;
pub mod i18n;
pub mod ids;
pub mod labels;
pub mod lock;
pub mod names;
pub mod review;
pub mod roster;
pub mod services;
pub mod shares;
mod skip;
pub mod stats;
pub mod store;
pub mod sync;
pub mod time;
pub mod units;
pub mod validate;
pub mod visit;

pub use day::Day;
pub use i18n::Lang;
pub use ids::RecordId;
pub use time::UnixMillis;
