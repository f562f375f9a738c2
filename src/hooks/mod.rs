//! Hooks that mirror browser (and server) state into signals, one per file.

mod online;
mod other_tab;
mod period_records;

pub use online::{is_online, use_online};
pub use other_tab::use_written_elsewhere;
pub use period_records::{provide_period_records, use_period_records, PeriodRecords, Source};
