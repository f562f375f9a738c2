//! Browser benchmarks (tools/bench-*.mjs): print figures for BENCHMARKS.md.

use crate::build::SERVER_BIN;
use crate::run::{cmd, status};
use crate::{root, Result};

pub fn load_time() -> Result {
    node("tools/bench-load.mjs")
}

pub fn storage_capacity() -> Result {
    node("tools/bench-storage.mjs")
}

pub fn with_data() -> Result {
    node("tools/bench-data.mjs")
}

/// A team three years on (1,000 households, 40,000 visits) and a volunteer's bounded phone.
pub fn with_window() -> Result {
    node("tools/bench-window.mjs")
}

/// 1,000 queued visits pushed from the browser; then the server alone under load.
pub fn sync() -> Result {
    node("tools/bench-sync.mjs")?;
    crate::run::status(crate::run::cmd(
        "cargo",
        &[
            "run",
            "--profile",
            "server",
            "-q",
            "-p",
            "doorstep-server",
            "--example",
            "sync_load",
        ],
    ))
}

fn node(script: &str) -> Result {
    let mut c = cmd("node", &[script]);
    c.env("DOORSTEP_SERVER_BIN", root().join(SERVER_BIN));
    status(c)
}
