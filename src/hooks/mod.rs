//! Hooks that mirror browser state into signals, one per file.

mod online;
mod other_tab;

pub use online::{is_online, use_online};
pub use other_tab::use_written_elsewhere;
