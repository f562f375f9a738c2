//! The database: SQLite (a file, the default) or PostgreSQL (for deployments that outgrow one
//! machine), chosen by the URL, through sqlx's `Any` driver. Every query is written once, with
//! `$n` placeholders, which both understand; the migrations exist in both dialects
//! (`migrations/sqlite`, `migrations/postgres`: the same tables, BIGINT for PostgreSQL).

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::AnyPool;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the database directory {0}: {1}")]
    Directory(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot fill the records' new columns: {0}")]
    Fill(String),
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens (creating the SQLite file if needed) the database and applies the migrations.
pub async fn connect(url: &str) -> Result<AnyPool, DbError> {
    install_default_drivers();
    if is_postgres(url) {
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        fill(&pool).await?;
        return Ok(pool);
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| DbError::UnsupportedUrl(url.to_owned()))?;
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbError::Directory(dir.display().to_string(), e))?;
    }
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::query("PRAGMA foreign_keys = ON")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("PRAGMA busy_timeout = 5000")
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .connect(&format!("sqlite://{path}?mode=rwc"))
        .await?;
    sqlx::query("PRAGMA journal_mode = WAL")
        .execute(&pool)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    fill(&pool).await?;
    Ok(pool)
}

/// Columns a migration added that the server fills from the stored records.
async fn fill(pool: &AnyPool) -> Result<(), DbError> {
    match crate::window::fill_record_facts(pool).await {
        Ok(0) => Ok::<(), DbError>(()),
        Ok(n) => {
            tracing::info!(records = n, "filled the window's columns of stored records");
            Ok(())
        }
        Err(crate::records::SyncError::Database(e)) => return Err(DbError::Open(e)),
        Err(e) => return Err(DbError::Fill(e.to_string())),
    }?;
    match crate::roster::fill_all(pool).await {
        Ok(0) => Ok(()),
        Ok(n) => {
            tracing::info!(
                records = n,
                "made the roster people and units of stored records"
            );
            Ok(())
        }
        Err(crate::records::SyncError::Database(e)) => Err(DbError::Open(e)),
        Err(e) => Err(DbError::Fill(e.to_string())),
    }
}
