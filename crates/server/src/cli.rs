use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    Serve(Box<ServeConfig>),
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
    /// Writes a consistent copy of the SQLite database to FILE (the server may be running)
    /// and checks it; with PostgreSQL, says which pg_dump command to use.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Puts a backup in place of the SQLite database (stop the server first); the database
    /// it replaces is kept beside it. Refuses a file that is not a Doorstep database.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
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
    /// Address to listen on (port 0 picks a free port). With HTTPS, e.g. 0.0.0.0:443.
    #[arg(long, env = "DOORSTEP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Database URL: sqlite://PATH (the file is created if missing) or postgres://USER:PW@HOST/DB.
    #[arg(
        long,
        env = "DOORSTEP_DATABASE",
        default_value = "sqlite://data/doorstep.db"
    )]
    pub database: String,
    /// Serve the app from this directory (e.g. dist/ after `trunk build`) instead of the copy
    /// built into the binary.
    #[arg(long, env = "DOORSTEP_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// On an empty database, create a demo team with a volunteer and a coordinator and
    /// print their usernames and passwords.
    #[arg(long)]
    pub demo: bool,
    /// A reverse proxy in front of the server (e.g. 127.0.0.1/32), repeatable: only from
    /// such a peer is the client address read from X-Forwarded-For.
    #[arg(long, env = "DOORSTEP_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    #[command(flatten)]
    pub tls: TlsArgs,
    #[command(flatten)]
    pub backups: BackupArgs,
}

impl ServeConfig {
    /// Plain HTTP on `addr` with the embedded app: what tests and tools start from.
    pub fn new(addr: SocketAddr, database: impl Into<String>) -> Self {
        ServeConfig {
            addr,
            database: database.into(),
            static_dir: None,
            demo: false,
            trusted_proxy: Vec::new(),
            tls: TlsArgs::default(),
            backups: BackupArgs::default(),
        }
    }
}

/// Automatic backups of a SQLite database while serving.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Take a verified backup into DIR every --backup-every (files doorstep-YYYYMMDD-HHMMSS.sqlite,
    /// UTC); failures are logged and shown by /healthz. SQLite only.
    #[arg(long, env = "DOORSTEP_BACKUP_DIR", value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// How often: a number and s, m, h or d (e.g. 24h, 6h, 1d).
    #[arg(long, env = "DOORSTEP_BACKUP_EVERY", default_value = "24h", value_parser = parse_every)]
    pub backup_every: Duration,
    /// How many backups to keep; the oldest beyond it are removed.
    #[arg(long, env = "DOORSTEP_BACKUP_KEEP", default_value_t = 14,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub backup_keep: u32,
}

impl Default for BackupArgs {
    fn default() -> Self {
        BackupArgs {
            backup_dir: None,
            backup_every: Duration::from_secs(24 * 3600),
            backup_keep: 14,
        }
    }
}

/// `24h`, `30m`, `1d`, `10s`: a whole number and its unit.
pub fn parse_every(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?}: a number and s, m, h or d, e.g. 24h"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{s:?}: the unit is s, m, h or d, e.g. 24h")),
    };
    match n.checked_mul(seconds) {
        Some(0) => Err("the interval must be more than zero".into()),
        Some(secs) if secs <= 366 * 86_400 => Ok(Duration::from_secs(secs)),
        _ => Err(format!("{s:?}: at most a year")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_every;
    use std::time::Duration;

    #[test]
    fn intervals() {
        assert_eq!(parse_every("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_every("2s"), Ok(Duration::from_secs(2)));
        for bad in [
            "",
            "h",
            "24",
            "24 h",
            "0h",
            "-1h",
            "1w",
            "99999999999999999999d",
            "400d",
        ] {
            assert!(parse_every(bad).is_err(), "{bad:?}");
        }
    }
}

/// HTTPS: a certificate from files, or one the server gets and renews itself (ACME).
#[derive(Debug, Clone, Default, Args)]
pub struct TlsArgs {
    /// HTTPS with this certificate chain (PEM); reloaded on SIGHUP and when the file changes.
    #[arg(
        long,
        env = "DOORSTEP_TLS_CERT",
        requires = "tls_key",
        conflicts_with = "acme_domain"
    )]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "DOORSTEP_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// HTTPS with a certificate for this domain from an ACME CA (Let's Encrypt by default),
    /// obtained and renewed by the server (repeatable: several names on one certificate).
    #[arg(
        long,
        env = "DOORSTEP_ACME_DOMAIN",
        value_delimiter = ',',
        requires = "acme_email"
    )]
    pub acme_domain: Vec<String>,
    /// Contact address for the ACME account (expiry warnings).
    #[arg(long, env = "DOORSTEP_ACME_EMAIL")]
    pub acme_email: Option<String>,
    /// The ACME directory URL.
    #[arg(
        long,
        env = "DOORSTEP_ACME_DIRECTORY",
        default_value = "https://acme-v02.api.letsencrypt.org/directory"
    )]
    pub acme_directory: String,
    /// A PEM root certificate to trust for the ACME server itself (a private or test CA).
    #[arg(long, env = "DOORSTEP_ACME_CA")]
    pub acme_ca: Option<PathBuf>,
    /// Where the ACME account and certificate are kept (default: beside the SQLite database,
    /// or ./data/acme with PostgreSQL).
    #[arg(long, env = "DOORSTEP_ACME_CACHE")]
    pub acme_cache: Option<PathBuf>,
    /// Plain HTTP on this address (e.g. 0.0.0.0:80): answers the ACME HTTP-01 challenge and
    /// redirects everything else to HTTPS. Without it, ACME uses TLS-ALPN-01 on --addr.
    #[arg(long, env = "DOORSTEP_HTTP_ADDR")]
    pub http_addr: Option<SocketAddr>,
}
