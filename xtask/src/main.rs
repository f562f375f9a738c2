//! Project tasks. `cargo xtask serve` runs the app; `cargo xtask test` runs every test.
//! Both install what is missing first (idempotent, quick when everything is there).

mod bench;
mod build;
mod postgres;
mod run;
mod seed;
mod setup;
mod size;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <task>
  setup   install what is missing: wasm32 target, trunk, wasm-bindgen-cli, wasm-opt (npm
          binaryen 132), Debian chromium + chromedriver + fonts-noto-cjk, npm packages
  build   setup, then build the app (release) into dist/ and the server
  serve   build, then run the server on 127.0.0.1:8080 with SQLite in ./data
          (extra arguments go to `doorstep-server serve`)
  test    setup, then lint and run every test: core, server, browser storage, end to end
  size    build, then print the app shell's transfer size (gzip and brotli)
  bench   build, then time cold and warm loads on emulated Slow 4G, measure how many
          visits fit in localStorage, and time the app with 10,000 visits and 1,000
          households stored, sync 1,000 queued visits from the browser, and load the
          server with 500 syncing phones for a minute (see BENCHMARKS.md)
  seed    write that data set (target/bench/seed.json) and print its size
          (SEED_HOUSEHOLDS, SEED_VISITS, SEED_OUT, SEED_USER change it)";

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("build") => setup::setup().and_then(|()| build::build_all()),
        Some("serve") => setup::setup()
            .and_then(|()| build::build_all())
            .and_then(|()| run::serve(&args[1..])),
        Some("test") => setup::setup().and_then(|()| test::test_all()),
        Some("bench") => setup::setup()
            .and_then(|()| build::build_all())
            .and_then(|()| size::report())
            .and_then(|()| bench::load_time())
            .and_then(|()| seed::write())
            .and_then(|()| bench::storage_capacity())
            .and_then(|()| bench::with_data())
            .and_then(|()| bench::with_window())
            .and_then(|()| bench::sync()),
        Some("seed") => seed::write(),
        Some("size") => setup::setup()
            .and_then(|()| build::build_app())
            .and_then(|()| size::report()),
        _ => {
            println!("{HELP}");
            return if args.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
