//! Signing in and out: `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`,
//! `POST /api/v1/me/device` (the phone reports how many changes wait on it).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use doorstep_core::account::{
    parse_device_name, DeviceRecoveryKey, LoginRequest, LoginResponse, UserInfo, PASSWORD_MAX,
    USERNAME_MAX,
};
use serde::Deserialize;

use crate::accounts;
use crate::auth::client_addr::client_ip;
use crate::auth::rate_limit::Key;
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
        .route("/me/device/recovery-key", post(missing_recovery_key))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let device_name = super::members::field(parse_device_name(&req.device_name))?;
    // No account has a longer name or password: refused before any hashing.
    if req.username.trim().chars().count() > USERNAME_MAX
        || req.password.chars().count() > PASSWORD_MAX
    {
        return Err(ApiError::BadRequest(format!(
            "a username has at most {USERNAME_MAX} characters, a password at most {PASSWORD_MAX}"
        )));
    }
    let ip = client_ip(peer, &headers, &state.trusted_proxies);
    let keys = vec![
        Key::User(req.username.trim().to_ascii_lowercase()),
        Key::Address(ip),
    ];
    let attempt = state
        .failed_logins
        .begin(keys)
        .ok_or(ApiError::TooManyAttempts)?;
    let user =
        accounts::check_credentials(&state.db, &state.hashing, &req.username, &req.password).await;
    let user = match user {
        Ok(Some(user)) => {
            state.failed_logins.succeeded(attempt);
            user
        }
        Ok(None) => return Err(ApiError::InvalidCredentials),
        // Not the caller's fault: the attempt does not count.
        Err(e) => {
            state.failed_logins.succeeded(attempt);
            return Err(e.into());
        }
    };
    let recovered_key = match req.recover.as_deref() {
        Some(device) => recover(&state, &user, device).await?,
        None => None,
    };
    let d = accounts::add_device(&state.db, &user, &device_name).await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(Json(LoginResponse {
        token: d.token,
        user,
        device_id: d.id,
        recovery_key: d.recovery_key,
        recovered_key,
    }))
}

/// After a password sign-in (or reset) of `user`: the recovery key of their `device`, once
/// (see [`accounts::take_recovery_key`]), audited either way.
pub(crate) async fn recover(
    state: &AppState,
    user: &UserInfo,
    device: &str,
) -> Result<Option<String>, ApiError> {
    let key = accounts::take_recovery_key(&state.db, user, device).await?;
    let what = if key.is_some() { "given" } else { "refused" };
    crate::audit::record(&state.db, &user.team.id, &user.id, "recovery", device, what).await?;
    Ok(key)
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

/// A phone signed in before recovery keys existed asks for its own, once, to seal its data
/// (docs/threat-model.md); any other device is refused (`409`).
async fn missing_recovery_key(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<DeviceRecoveryKey>, ApiError> {
    match accounts::mint_missing_recovery_key(&state.db, &auth.device_id).await? {
        Some(key) => {
            crate::audit::record(
                &state.db,
                &auth.user.team.id,
                &auth.user.id,
                "recovery",
                &auth.device_id,
                "made",
            )
            .await?;
            Ok(Json(DeviceRecoveryKey {
                device_id: auth.device_id,
                recovery_key: key,
            }))
        }
        None => Err(ApiError::Conflict(
            "this device has its recovery key".into(),
        )),
    }
}

async fn device_status(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(status): ApiJson<DeviceStatus>,
) -> Result<StatusCode, ApiError> {
    accounts::report_unsynced(&state.db, &auth.device_id, status.unsynced).await?;
    Ok(StatusCode::NO_CONTENT)
}
