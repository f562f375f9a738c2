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

fn node(script: &str) -> Result {
    let mut c = cmd("node", &[script]);
    c.env("DOORSTEP_SERVER_BIN", root().join(SERVER_BIN));
    status(c)
}
