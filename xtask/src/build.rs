//! Release builds: the app into dist/ (Trunk), the server with the `server` profile.

use crate::run::{cmd, status};
use crate::Result;

pub const SERVER_BIN: &str = "target/server/doorstep-server";

pub fn build_app() -> Result {
    status(cmd("trunk", &["build", "--release"]))
}

pub fn build_server() -> Result {
    status(cmd(
        "cargo",
        &[
            "build",
            "--locked",
            "--profile",
            "server",
            "-p",
            "doorstep-server",
        ],
    ))
}

pub fn build_all() -> Result {
    build_app()?;
    build_server()
}
