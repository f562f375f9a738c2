//! Sync, protocol 1 (docs/sync-protocol.md): `POST /api/v1/sync/push`,
//! `GET /api/v1/sync/pull?protocol=1&cursor=N&limit=M`.

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use doorstep_core::sync::merge::Writer;
use doorstep_core::sync::wire::{PullResponse, PushRequest, PushResponse, PROTOCOL, PULL_PAGE};
use serde::Deserialize;

use crate::auth::{AuthUser, PushingDevice};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::records;
use crate::AppState;

/// A push carries up to `PUSH_BATCH` whole records: more than the API's default limit.
pub const PUSH_BODY_LIMIT: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
        .layer(DefaultBodyLimit::max(PUSH_BODY_LIMIT))
}

async fn push(
    State(state): State<AppState>,
    PushingDevice(auth): PushingDevice,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let w = Writer {
        user: &auth.user.id,
        device: &auth.device_id,
        coordinator: auth.user.role.is_coordinator(),
    };
    let answer = records::push(&state.db, auth.team_id(), w, &req).await?;
    crate::failpoint::after_push_commit();
    Ok(Json(answer))
}

#[derive(Deserialize)]
struct PullQuery {
    protocol: u32,
    #[serde(default)]
    cursor: u64,
    limit: Option<usize>,
}

async fn pull(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    if q.protocol != PROTOCOL {
        return Err(ApiError::UnsupportedProtocol(q.protocol));
    }
    let limit = q.limit.unwrap_or(PULL_PAGE).clamp(1, PULL_PAGE);
    Ok(Json(
        records::pull(&state.db, auth.team_id(), q.cursor, limit).await?,
    ))
}
