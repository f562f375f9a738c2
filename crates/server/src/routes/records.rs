//! The team's records as JSON, for coordinators: `GET /api/v1/visits`, `/households`,
//! `/events`, newest first, with `since=YYYY-MM-DD` and `until=YYYY-MM-DD` (visits and events
//! from, and up to, those days), `limit` (at most 500) and `offset`. A coordinator's phone
//! reads a period older than it keeps this way (the dashboard's and the review's 来自服务器).

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
    until: Option<String>,
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
    let day = |name: &str, v: &Option<String>| -> Result<Option<String>, ApiError> {
        v.as_deref()
            .map(|s| {
                Day::parse(s).map(|d| d.to_string()).map_err(|_| {
                    ApiError::BadRequest(format!("{name} must be YYYY-MM-DD, not {s:?}"))
                })
            })
            .transpose()
    };
    let (since, until) = (day("since", &q.since)?, day("until", &q.until)?);
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let rows = records::list(
        &state.db,
        auth.team_id(),
        kind,
        (since.as_deref(), until.as_deref()),
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
