//! The audit log: who took identified data out of the server, when, what and why.

use serde::Serialize;
use sqlx::AnyPool;

use crate::accounts::now_millis;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: i64,
    pub user_id: String,
    pub username: String,
    pub action: String,
    pub what: String,
    pub reason: String,
}

/// Records an action; the caller goes on only if this succeeded.
pub async fn record(
    db: &AnyPool,
    team: &str,
    user: &str,
    action: &str,
    what: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, team_id, user_id, at, action, what, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(team)
    .bind(user)
    .bind(now_millis())
    .bind(action)
    .bind(what)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

/// The team's log, newest first.
pub async fn list(db: &AnyPool, team: &str) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.at, a.user_id, u.username, a.action, a.what, a.reason
         FROM audit_log a JOIN users u ON u.id = a.user_id
         WHERE a.team_id = $1 ORDER BY a.at DESC, a.id DESC",
    )
    .bind(team)
    .fetch_all(db)
    .await
}
