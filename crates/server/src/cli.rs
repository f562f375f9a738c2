use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Users: passwords come from DOORSTEP_PASSWORD or a prompt, never from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Lists stored records that no longer decode (every answer skips them); with
    /// --quarantine, moves them aside into the quarantined_records table.
    Check {
        #[arg(long)]
        quarantine: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArg {
    /// Database URL: sqlite://PATH (the file is created if missing) or postgres://USER:PW@HOST/DB.
    #[arg(
        long,
        env = "DOORSTEP_DATABASE",
        default_value = "sqlite://data/doorstep.db"
    )]
    pub database: String,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Adds a team.
    Add {
        name: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Volunteer,
    Coordinator,
    Admin,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user to a team.
    Add {
        #[arg(long)]
        team: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        username: String,
        /// Shown in the app and to coordinators (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Lists every user.
    List {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Disables a user and signs out all their devices.
    Disable {
        username: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "DOORSTEP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Database URL: sqlite://PATH (the file is created if missing) or postgres://USER:PW@HOST/DB.
    #[arg(
        long,
        env = "DOORSTEP_DATABASE",
        default_value = "sqlite://data/doorstep.db"
    )]
    pub database: String,
    /// Directory of the built app (`trunk build --release` writes dist/).
    #[arg(long, env = "DOORSTEP_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// On an empty database, create a demo team with a volunteer and a coordinator and
    /// print their usernames and passwords.
    #[arg(long)]
    pub demo: bool,
    /// A reverse proxy in front of the server (e.g. 127.0.0.1/32), repeatable: only from
    /// such a peer is the client address read from X-Forwarded-For.
    #[arg(long, env = "DOORSTEP_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<ipnet::IpNet>,
}
