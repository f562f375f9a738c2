//! Load-time benchmark (tools/bench-load.mjs): prints figures for BENCHMARKS.md.

use crate::build::SERVER_BIN;
use crate::run::{cmd, status};
use crate::{root, Result};

pub fn load_time() -> Result {
    let mut c = cmd("node", &["tools/bench-load.mjs"]);
    c.env("DOORSTEP_SERVER_BIN", root().join(SERVER_BIN));
    status(c)
}
