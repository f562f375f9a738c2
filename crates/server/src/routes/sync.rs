//! Sync, protocol 1 (docs/sync-protocol.md): `POST /api/v1/sync/push`,
//! `GET /api/v1/sync/pull?protocol=1&cursor=N&limit=M&except=ID,ID`,
//! `GET /api/v1/sync/ids?protocol=1&after=ID&limit=M` (what a repair compares).

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use doorstep_core::sync::merge::Writer;
use doorstep_core::sync::wire::{
    IdsResponse, PullResponse, PushRequest, PushResponse, DIGEST_EXCEPT, IDS_PAGE, PROTOCOL,
    PULL_PAGE,
};
use doorstep_core::RecordId;
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
        .route("/sync/ids", get(ids))
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
    /// Ids to leave out of the digest, comma-separated.
    #[serde(default)]
    except: String,
}

fn parse_except(s: &str) -> Result<Vec<RecordId>, ApiError> {
    let ids = s
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| RecordId::parse(p).map_err(|e| ApiError::BadRequest(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.len() > DIGEST_EXCEPT {
        return Err(ApiError::BadRequest(format!(
            "at most {DIGEST_EXCEPT} ids in except"
        )));
    }
    Ok(ids)
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
    let except = parse_except(&q.except)?;
    Ok(Json(
        records::pull(&state.db, auth.team_id(), q.cursor, limit, &except).await?,
    ))
}

#[derive(Deserialize)]
struct IdsQuery {
    protocol: u32,
    after: Option<String>,
    limit: Option<usize>,
}

async fn ids(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(q): Query<IdsQuery>,
) -> Result<Json<IdsResponse>, ApiError> {
    if q.protocol != PROTOCOL {
        return Err(ApiError::UnsupportedProtocol(q.protocol));
    }
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => Some(RecordId::parse(a).map_err(|e| ApiError::BadRequest(e.to_string()))?),
        None => None,
    };
    let limit = q.limit.unwrap_or(IDS_PAGE).clamp(1, IDS_PAGE);
    Ok(Json(
        records::ids(&state.db, auth.team_id(), after, limit).await?,
    ))
}
