use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health))
}

/// Healthy means the database answers (else an error). With --backup-dir the answer also says
/// how the backups go, and a failed last backup makes the status "degraded" (still 200: the
/// server serves, but someone should look).
async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await?;
    let Some(backups) = &state.backups else {
        return Ok(Json(json!({ "status": "ok" })));
    };
    let report = backups.lock().map(|r| r.clone()).unwrap_or_default();
    let status = if report.error.is_some() {
        "degraded"
    } else {
        "ok"
    };
    Ok(Json(json!({ "status": status, "backups": report })))
}
