//! Every check and test, in the order that fails fastest.

use crate::build::{build_all, SERVER_BIN};
use crate::run::{cmd, status, tests, Counts};
use crate::{root, Result};

/// The native crates, and the app's crate for the WASM target.
const NATIVE: [&str; 6] = [
    "-p",
    "doorstep-core",
    "-p",
    "doorstep-server",
    "-p",
    "xtask",
];
const WASM: [&str; 4] = ["-p", "doorstep", "--target", "wasm32-unknown-unknown"];
const CLIPPY: [&str; 4] = ["--all-targets", "--", "-D", "warnings"];

pub fn test_all() -> Result {
    let mut counts = Counts::default();
    let result = run_all(&mut counts);
    // The closing line CI reads; it counts every test the runners reported.
    println!("xtask: {} passed, {} failed", counts.passed, counts.failed);
    result
}

fn cargo(verb: &str, parts: &[&[&str]]) -> std::process::Command {
    let mut args = vec![verb, "--locked"];
    args.extend(parts.iter().flat_map(|p| p.iter().copied()));
    cmd("cargo", &args)
}

fn run_all(counts: &mut Counts) -> Result {
    status(cmd("cargo", &["fmt", "--all", "--check"]))?;
    status(cargo("clippy", &[&NATIVE, &CLIPPY]))?;
    status(cargo("clippy", &[&WASM, &CLIPPY]))?;
    // Natively: the domain (with property tests), the server against real SQLite files …
    tests(cargo("test", &[&NATIVE]), counts)?;
    // … and the server's database-backed tests again on PostgreSQL.
    let url = match std::env::var("DOORSTEP_TEST_DATABASE") {
        Ok(url) => url,
        Err(_) => {
            crate::postgres::ready()?;
            crate::postgres::TEST_URL.to_owned()
        }
    };
    let mut pg = cargo(
        "test",
        &[&[
            "-p",
            "doorstep-server",
            "--test",
            "http",
            "--test",
            "accounts",
            "--test",
            "sync",
            "--test",
            "sync_repair",
            "--test",
            "reports",
            "--test",
            "exports",
            "--test",
            "hostile",
            "--test",
            "hostile_props",
            "--test",
            "members",
            "--test",
            "window",
            "--test",
            "roster",
        ]],
    );
    pg.env("DOORSTEP_TEST_DATABASE", url);
    tests(pg, counts)?;
    // In headless Chromium: the storage conformance suite on localStorage.
    tests(cargo("test", &[&WASM]), counts)?;
    // End to end on the release build, served by the real server.
    build_all()?;
    let mut e2e = cmd("npx", &["playwright", "test"]);
    e2e.env("DOORSTEP_SERVER_BIN", root().join(SERVER_BIN));
    tests(e2e, counts)
}
