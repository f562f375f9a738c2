//! `backup --to FILE` and `restore --from FILE` for the SQLite database. A backup is a
//! consistent copy taken while the server runs (`VACUUM INTO`), checked by opening it. A
//! restore needs the server stopped (it holds a lock file while it serves), refuses a file
//! that is not a Doorstep database, and moves the current database aside instead of deleting
//! it. With PostgreSQL both say which standard tool to use.

use std::path::{Path, PathBuf};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};

use crate::db;

pub type Outcome = Result<String, String>;

/// The SQLite file of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// The lock a serving process holds on its SQLite database (released when it exits).
pub fn lock_path(db_file: &Path) -> PathBuf {
    let mut name = db_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Taken by `serve` for as long as it runs; `restore` refuses while someone holds it.
pub fn hold_lock(url: &str) -> Result<Option<std::fs::File>, String> {
    let Some(file) = sqlite_path(url) else {
        return Ok(None);
    };
    let path = lock_path(&file);
    let lock = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    match lock.try_lock() {
        Ok(()) => Ok(Some(lock)),
        Err(_) => Err(format!(
            "another doorstep-server is using {} (its lock {} is held)",
            file.display(),
            path.display()
        )),
    }
}

fn pg_hint(url: &str, verb: &str) -> String {
    match verb {
        "backup" => format!(
            "this is a PostgreSQL database: back it up with pg_dump, e.g.\n  pg_dump --format=custom --file=doorstep-$(date +%F).dump '{}'",
            redact(url)
        ),
        _ => format!(
            "this is a PostgreSQL database: restore a pg_dump file with pg_restore into an empty database, e.g.\n  pg_restore --clean --if-exists --dbname='{}' FILE.dump",
            redact(url)
        ),
    }
}

/// The URL without its password (it is printed).
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:PASSWORD{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Opens `file` read-only and checks that it is a whole Doorstep database: what it holds.
async fn inspect(file: &Path) -> Result<String, String> {
    if !file.is_file() {
        return Err(format!("{} does not exist", file.display()));
    }
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let not_ours = |why: String| format!("{} is not a Doorstep database ({why})", file.display());
    let pool: AnyPool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_ours(format!("integrity check: {integrity}")));
    }
    let schema: Option<String> =
        sqlx::query_scalar("SELECT value FROM server_info WHERE key = 'schema'")
            .fetch_optional(&pool)
            .await
            .map_err(|e| not_ours(e.to_string()))?;
    if schema.as_deref() != Some("doorstep") {
        return Err(not_ours("no Doorstep schema mark".into()));
    }
    let counts = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM teams) AS teams, (SELECT COUNT(*) FROM users) AS users,
                (SELECT COUNT(*) FROM records) AS records",
    )
    .fetch_one(&pool)
    .await
    .map_err(|e| not_ours(e.to_string()))?;
    pool.close().await;
    Ok(format!(
        "{} teams, {} users, {} records; integrity ok",
        counts.get::<i64, _>("teams"),
        counts.get::<i64, _>("users"),
        counts.get::<i64, _>("records")
    ))
}

/// `backup --to FILE`: a consistent copy of the running database, verified.
pub async fn backup(url: &str, to: &Path) -> Outcome {
    if db::is_postgres(url) {
        return Err(pg_hint(url, "backup"));
    }
    if to.exists() {
        return Err(format!(
            "{} exists already: give a new file name",
            to.display()
        ));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let pool = db::connect(url).await.map_err(|e| e.to_string())?;
    let what = backup_with(&pool, to).await;
    pool.close().await;
    Ok(format!("backup written to {}: {}", to.display(), what?))
}

/// A consistent copy of the database behind `pool` into the new file `to`, verified (a copy
/// that does not verify is removed): what it holds.
pub async fn backup_with(pool: &AnyPool, to: &Path) -> Outcome {
    let target = to.to_str().ok_or("the backup path must be UTF-8")?;
    if let Err(e) = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await
    {
        let _ = std::fs::remove_file(to);
        return Err(format!("backup failed: {e}"));
    }
    inspect(to).await.map_err(|e| {
        let _ = std::fs::remove_file(to);
        format!("the backup did not verify and was removed: {e}")
    })
}

/// `restore --from FILE`: the server must be stopped; the current database is kept aside.
pub async fn restore(url: &str, from: &Path) -> Outcome {
    if db::is_postgres(url) {
        return Err(pg_hint(url, "restore"));
    }
    let db_file = sqlite_path(url).ok_or_else(|| format!("unsupported database URL {url:?}"))?;
    let what = inspect(from).await?;
    let _lock = hold_lock(url).map_err(|e| format!("{e}: stop the server first"))?;
    let stamp = crate::accounts::now_millis();
    let mut kept = Vec::new();
    // The database with its write-ahead log, moved together: nothing is deleted.
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db_file.as_os_str().to_owned();
        name.push(suffix);
        let current = PathBuf::from(&name);
        if current.exists() {
            let mut aside = db_file.as_os_str().to_owned();
            aside.push(format!(".before-restore-{stamp}{suffix}"));
            std::fs::rename(&current, &aside).map_err(|e| format!("{}: {e}", current.display()))?;
            if suffix.is_empty() {
                kept.push(PathBuf::from(aside));
            }
        }
    }
    if let Some(dir) = db_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::copy(from, &db_file).map_err(|e| format!("{}: {e}", db_file.display()))?;
    // Brings a backup made by an older version up to this one.
    db::connect(url)
        .await
        .map_err(|e| e.to_string())?
        .close()
        .await;
    let mut out = format!(
        "restored {} from {}: {what}",
        db_file.display(),
        from.display()
    );
    if let Some(k) = kept.first() {
        out.push_str(&format!(
            "\nthe database it replaced is kept as {}",
            k.display()
        ));
    }
    out.push_str("\nstart the server: phones send back what the backup lacks at their next sync");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn printed_urls_hold_no_password() {
        assert_eq!(
            redact("postgres://doorstep:s3cret@db.example:5432/doorstep"),
            "postgres://doorstep:PASSWORD@db.example:5432/doorstep"
        );
        assert_eq!(redact("postgres://db/doorstep"), "postgres://db/doorstep");
    }
}
