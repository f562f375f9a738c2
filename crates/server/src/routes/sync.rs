//! Sync, protocol 1 (docs/sync-protocol.md): `POST /api/v1/sync/push`,
//! `GET /api/v1/sync/pull?protocol=1&cursor=N&limit=M&except=ID,ID&today=DAY&full=N`,
//! `GET /api/v1/sync/ids?protocol=1&after=ID&limit=M` (what a repair compares).

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use doorstep_core::sync::merge::Writer;
use doorstep_core::sync::wire::{
    IdsResponse, PullResponse, PullScope, PushRequest, PushResponse, DIGEST_EXCEPT, IDS_PAGE,
    PROTOCOL, PULL_PAGE, PUSH_BATCH,
};
use doorstep_core::{Day, RecordId};
use serde::Deserialize;

use crate::auth::{AuthUser, PushingDevice};
use crate::error::ApiError;
use crate::json::{ApiJson, ApiQuery};
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
    PushingDevice { auth, revoked }: PushingDevice,
    ApiJson(req): ApiJson<PushRequest, true>,
) -> Result<Json<PushResponse>, ApiError> {
    check_push(&req)?;
    let w = Writer {
        user: &auth.user.id,
        device: &auth.device_id,
        coordinator: auth.user.role.is_coordinator(),
        revoked,
    };
    if revoked && !req.mutations.is_empty() {
        // A coordinator signed this phone out: what it still sends is on the record.
        let seqs = format!(
            "device {} mutations {}–{}",
            auth.device_id,
            req.mutations[0].seq,
            req.mutations[req.mutations.len() - 1].seq
        );
        crate::audit::record(
            &state.db,
            auth.team_id(),
            &auth.user.id,
            "push_after_revocation",
            &seqs,
            "",
        )
        .await?;
    }
    let answer = records::push(&state.db, auth.team_id(), w, &req).await?;
    crate::failpoint::after_push_commit();
    Ok(Json(answer))
}

/// The push limits: at most `PUSH_BATCH` mutations, numbered from 1 within what the database
/// stores (a number past `i64::MAX` would wrap).
fn check_push(req: &PushRequest) -> Result<(), ApiError> {
    if req.mutations.len() > PUSH_BATCH {
        return Err(ApiError::PayloadTooLarge(format!(
            "at most {PUSH_BATCH} mutations in one push"
        )));
    }
    if req
        .mutations
        .iter()
        .any(|m| m.seq == 0 || m.seq > i64::MAX as u64)
    {
        return Err(ApiError::BadRequest(format!(
            "mutation numbers run from 1 to {}",
            i64::MAX
        )));
    }
    Ok(())
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
    /// The phone's day: apply the team's window (`doorstep_core::sync::window`).
    today: Option<String>,
    /// While a pull from nothing is under way: the `full` of its first page.
    #[serde(default)]
    full: u64,
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
    ApiQuery(q): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    if q.protocol != PROTOCOL {
        return Err(ApiError::UnsupportedProtocol(q.protocol));
    }
    if q.cursor > i64::MAX as u64 {
        return Err(ApiError::BadRequest("cursor is out of range".into()));
    }
    let limit = q.limit.unwrap_or(PULL_PAGE).clamp(1, PULL_PAGE);
    let except = parse_except(&q.except)?;
    let today = match q.today.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(Day::parse(t).map_err(|e| ApiError::BadRequest(e.to_string()))?),
        None => None,
    };
    let scope = PullScope {
        today,
        full: q.full,
    };
    let member = match today {
        Some(_) => crate::scope::of_member(&state.db, &auth.user.id, auth.user.role).await?,
        None => None,
    };
    let mut page = records::pull(
        &state.db,
        auth.team_id(),
        q.cursor,
        limit,
        &except,
        scope,
        member,
    )
    .await?;
    if !auth.user.role.is_coordinator() {
        page.records
            .iter_mut()
            .for_each(doorstep_core::roster::for_volunteer);
    }
    Ok(Json(page))
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
    ApiQuery(q): ApiQuery<IdsQuery>,
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
