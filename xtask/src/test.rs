//! Every check and test, in the order that fails fastest.

use crate::build::{build_all, SERVER_BIN};
use crate::run::{cmd, status, tests, Counts};
use crate::{root, Result};

pub fn test_all() -> Result {
    let mut counts = Counts::default();
    let result = run_all(&mut counts);
    // The closing line CI reads; it counts every test the runners reported.
    println!("xtask: {} passed, {} failed", counts.passed, counts.failed);
    result
}

fn run_all(counts: &mut Counts) -> Result {
    status(cmd("cargo", &["fmt", "--all", "--check"]))?;
    status(cmd(
        "cargo",
        &[
            "clippy",
            "--locked",
            "-p",
            "doorstep-core",
            "-p",
            "doorstep-server",
            "-p",
            "xtask",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    status(cmd(
        "cargo",
        &[
            "clippy",
            "--locked",
            "-p",
            "doorstep",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    // Natively: the domain (with property tests), the server against real SQLite files.
    tests(
        cmd(
            "cargo",
            &[
                "test",
                "--locked",
                "-p",
                "doorstep-core",
                "-p",
                "doorstep-server",
                "-p",
                "xtask",
            ],
        ),
        counts,
    )?;
    // In headless Chromium: the storage conformance suite on localStorage.
    tests(
        cmd(
            "cargo",
            &[
                "test",
                "--locked",
                "-p",
                "doorstep",
                "--target",
                "wasm32-unknown-unknown",
            ],
        ),
        counts,
    )?;
    // End to end on the release build, served by the real server.
    build_all()?;
    let server = root().join(SERVER_BIN);
    let mut e2e = cmd("npx", &["playwright", "test"]);
    e2e.env("DOORSTEP_SERVER_BIN", server);
    tests(e2e, counts)
}
