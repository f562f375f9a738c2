//! The team's devices, for coordinators: `GET /api/v1/devices`,
//! `POST /api/v1/devices/{id}/revoke` (the phone wipes the team's data at its next contact).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::accounts::{self, DeviceView};
use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/devices", get(list))
        .route("/devices/{id}/revoke", post(revoke))
}

async fn list(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
) -> Result<Json<Vec<DeviceView>>, ApiError> {
    Ok(Json(
        accounts::list_devices(&state.db, auth.team_id()).await?,
    ))
}

/// Another team's device is "not found": its existence is not disclosed.
async fn revoke(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if accounts::revoke_device(&state.db, auth.team_id(), &id).await? {
        tracing::info!(device = %id, by = %auth.user.id, "device revoked");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
