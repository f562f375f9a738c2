//! Hooks that mirror browser state into signals, one per file.

mod online;

pub use online::{is_online, use_online};
