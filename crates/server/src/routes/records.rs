//! The team's records as JSON, for coordinators: `GET /api/v1/visits`, `/households`,
//! `/events`, newest first, with `since=YYYY-MM-DD` (visits and events on or after that day),
//! `limit` (at most 500) and `offset`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use doorstep_core::store::RecordKind;
use doorstep_core::Day;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::json::ApiQuery;
use crate::records;
use crate::AppState;

const MAX_LIMIT: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/visits", get(|s, c, q| list(RecordKind::Visit, s, c, q)))
        .route(
            "/households",
            get(|s, c, q| list(RecordKind::Household, s, c, q)),
        )
        .route("/events", get(|s, c, q| list(RecordKind::Event, s, c, q)))
}

#[derive(Deserialize)]
struct ListQuery {
    since: Option<String>,
    limit: Option<usize>,
    /// 32 bits: a larger number is refused (400), never wrapped into a negative OFFSET.
    #[serde(default)]
    offset: u32,
}

async fn list(
    kind: RecordKind,
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let since = match q.since.as_deref() {
        Some(s) => Some(
            Day::parse(s)
                .map_err(|_| ApiError::BadRequest(format!("since must be YYYY-MM-DD, not {s:?}")))?
                .to_string(),
        ),
        None => None,
    };
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let rows = records::list(
        &state.db,
        auth.team_id(),
        kind,
        since.as_deref(),
        limit + 1,
        q.offset as usize,
    )
    .await?;
    let more = rows.len() > limit;
    let items: Vec<Value> = rows
        .iter()
        .take(limit)
        .map(records::Listed::to_json)
        .collect();
    Ok(Json(json!({
        "items": items,
        "next_offset": more.then_some(q.offset as usize + limit),
    })))
}
