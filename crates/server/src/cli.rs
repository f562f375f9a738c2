use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Doorstep team server.
#[derive(Debug, Parser)]
#[command(name = "doorstep-server", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app and the API.
    Serve(ServeConfig),
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "DOORSTEP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Database URL: sqlite://PATH (the file is created if missing).
    #[arg(
        long,
        env = "DOORSTEP_DATABASE",
        default_value = "sqlite://data/doorstep.db"
    )]
    pub database: String,
    /// Directory of the built app (`trunk build --release` writes dist/).
    #[arg(long, env = "DOORSTEP_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
}
