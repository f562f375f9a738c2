//! Deleted means erased, on the server: a sweep (at start, then hourly) erases the content of
//! records deleted longer ago than the undo window (`doorstep_core::sync::erase`), each as a
//! new revision so that phones pull the erased copy over theirs.

use std::time::Duration;

use doorstep_core::sync::push;
use doorstep_core::UnixMillis;
use sqlx::AnyPool;

use crate::records::{self, SyncError};

/// How often the sweep runs: erasure is due days after a deletion, so an hour is prompt.
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Erases what is due as of `now` in every team. Returns how many records.
pub async fn erase_deleted(db: &AnyPool, now: UnixMillis) -> Result<usize, SyncError> {
    let teams: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT team_id FROM records WHERE deleted = 1 AND erased = 0")
            .fetch_all(db)
            .await?;
    let mut erased = 0;
    for team in teams {
        erased += erase_in_team(db, &team, now).await?;
    }
    Ok(erased)
}

async fn erase_in_team(db: &AnyPool, team: &str, now: UnixMillis) -> Result<usize, SyncError> {
    let mut tx = db.begin().await?;
    // Takes the team's write lock first, as a push does: revisions stay in order.
    let mut clock: i64 =
        sqlx::query_scalar("UPDATE teams SET clock = clock WHERE id = $1 RETURNING clock")
            .bind(team)
            .fetch_one(&mut *tx)
            .await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, doc FROM records WHERE team_id = $1 AND deleted = 1 AND erased = 0",
    )
    .bind(team)
    .fetch_all(&mut *tx)
    .await?;
    let micros = records::now_micros();
    let mut docs = Vec::new();
    for (id, json) in &rows {
        let Some(mut doc) = records::readable(id, json).filter(|d| d.erasable(now)) else {
            continue;
        };
        let rev = push::next_rev(clock as u64, micros);
        if doc.erase(rev) {
            clock = rev as i64;
            docs.push(doc);
        }
    }
    // The digest counts `updated_at` and the deleted state, which an erasure keeps.
    records::store_all(&mut tx, team, &docs.iter().collect::<Vec<_>>()).await?;
    records::set_clock(&mut tx, team, clock).await?;
    tx.commit().await?;
    if !docs.is_empty() {
        // A count only: which records were erased is nobody's business in a log.
        tracing::info!(team = %team, records = docs.len(), "deleted records erased");
    }
    Ok(docs.len())
}

/// Runs the sweep now and then every hour, for as long as the server runs.
pub fn spawn_sweep(db: AnyPool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            let now = UnixMillis(crate::accounts::now_millis());
            if let Err(e) = erase_deleted(&db, now).await {
                tracing::warn!(error = %e, "erasing deleted records failed; will try again");
            }
        }
    });
}
