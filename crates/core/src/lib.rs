//! Doorstep's domain and storage rules, shared by the app (WASM) and the server.
//!
//! Pure Rust: no IO, no clock, no randomness. Callers pass in the current time and random
//! bytes, so every rule here is deterministic and testable natively.

pub mod i18n;
pub mod ids;
pub mod store;
pub mod time;
pub mod visit;

pub use i18n::Lang;
pub use ids::RecordId;
pub use time::UnixMillis;
