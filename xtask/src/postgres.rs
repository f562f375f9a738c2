//! PostgreSQL for the server's tests: Debian's `postgresql` package (installed by setup), its
//! cluster started and a role made for the tests. The server tests run once on SQLite files and
//! once more on PostgreSQL (`DOORSTEP_TEST_DATABASE`), each test in a fresh database.

use crate::run::{cmd, output, status};
use crate::Result;

/// The admin URL the tests create their databases from.
pub const TEST_URL: &str = "postgres://doorstep:doorstep@127.0.0.1:5432/postgres";

/// Starts the cluster (if stopped) and makes the `doorstep` role (if missing). Needs root, as
/// on the CI machine; elsewhere set DOORSTEP_TEST_DATABASE to a server of your own.
pub fn ready() -> Result {
    let clusters = output(cmd("pg_lsclusters", &["-h"]))
        .ok_or("pg_lsclusters not found: is Debian's postgresql package installed?")?;
    let line = clusters
        .lines()
        .next()
        .ok_or("no PostgreSQL cluster: pg_createcluster one")?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let (version, name, state) = (fields[0], fields[1], fields.get(3).copied().unwrap_or(""));
    if state != "online" {
        status(cmd("pg_ctlcluster", &[version, name, "start"]))?;
    }
    let exists = output(cmd(
        "su",
        &[
            "postgres",
            "-c",
            "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'doorstep'\"",
        ],
    ))
    .is_some_and(|o| o.trim() == "1");
    if !exists {
        status(cmd(
            "su",
            &[
                "postgres",
                "-c",
                "psql -c \"CREATE ROLE doorstep LOGIN CREATEDB PASSWORD 'doorstep'\"",
            ],
        ))?;
    }
    Ok(())
}
