//! Signing in and out: `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`,
//! `POST /api/v1/me/device` (the phone reports how many changes wait on it).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use doorstep_core::account::{LoginRequest, LoginResponse, UserInfo, DEVICE_NAME_MAX};
use serde::Deserialize;

use crate::accounts;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/me/device", post(device_status))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > DEVICE_NAME_MAX {
        return Err(ApiError::BadRequest(format!(
            "device_name: 1 to {DEVICE_NAME_MAX} characters"
        )));
    }
    let keys = [
        format!("user:{}", req.username.trim().to_ascii_lowercase()),
        format!("addr:{}", addr.ip()),
    ];
    if state.failed_logins.blocked(&keys) {
        return Err(ApiError::TooManyAttempts);
    }
    // Argon2 is deliberately slow: off the async workers.
    let db = state.db.clone();
    let (username, password) = (req.username, req.password);
    let user = tokio::task::spawn_blocking(move || {
        tokio::runtime::Handle::current()
            .block_on(accounts::check_credentials(&db, &username, &password))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    let Some(user) = user else {
        state.failed_logins.record(&keys);
        return Err(ApiError::InvalidCredentials);
    };
    let token = accounts::add_device(&state.db, &user, device_name).await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(Json(LoginResponse { token, user }))
}

async fn logout(State(state): State<AppState>, auth: AuthUser) -> Result<StatusCode, ApiError> {
    accounts::end_device(&state.db, &auth.device_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(auth: AuthUser) -> Json<UserInfo> {
    Json(auth.user)
}

#[derive(Deserialize)]
struct DeviceStatus {
    unsynced: u32,
}

async fn device_status(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(status): ApiJson<DeviceStatus>,
) -> Result<StatusCode, ApiError> {
    accounts::report_unsynced(&state.db, &auth.device_id, status.unsynced).await?;
    Ok(StatusCode::NO_CONTENT)
}
