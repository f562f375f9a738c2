//! Who is calling: the `Authorization: Bearer <device token>` of every /api/v1 route but
//! sign-in, checked against the devices table.

pub mod client_addr;
pub mod password;
pub mod rate_limit;
pub mod token;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use doorstep_core::account::UserInfo;

use crate::accounts::{self, TokenCheck};
use crate::error::ApiError;
use crate::AppState;

/// A signed-in user on one of their devices.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: UserInfo,
    pub device_id: String,
}

impl AuthUser {
    pub fn team_id(&self) -> &str {
        &self.user.team.id
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match accounts::check_token(&state.db, bearer(parts)?).await? {
            TokenCheck::Valid { user, device_id } => Ok(AuthUser { user, device_id }),
            TokenCheck::Revoked { .. } => Err(ApiError::DeviceRevoked),
            TokenCheck::Unknown => Err(ApiError::Unauthorized),
        }
    }
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)
}

/// A device pushing what it saved: also one a coordinator revoked, so that nothing a
/// volunteer saved in good faith is lost (docs/sync-protocol.md) — with `revoked` set, which
/// limits it to a volunteer's rights over records its user made. It learns of the revocation
/// at its next pull. A token signed out or of a disabled user is refused like any other.
#[derive(Debug, Clone)]
pub struct PushingDevice {
    pub auth: AuthUser,
    pub revoked: bool,
}

impl FromRequestParts<AppState> for PushingDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match accounts::check_token(&state.db, bearer(parts)?).await? {
            TokenCheck::Valid { user, device_id } => Ok(PushingDevice {
                auth: AuthUser { user, device_id },
                revoked: false,
            }),
            TokenCheck::Revoked { user, device_id } => Ok(PushingDevice {
                auth: AuthUser { user, device_id },
                revoked: true,
            }),
            TokenCheck::Unknown => Err(ApiError::Unauthorized),
        }
    }
}

/// An admin of the caller's team; others get 403.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.user.role == doorstep_core::account::Role::Admin {
            Ok(Admin(user))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// A coordinator (or admin) of the caller's team; others get 403.
#[derive(Debug, Clone)]
pub struct Coordinator(pub AuthUser);

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.user.role.is_coordinator() {
            Ok(Coordinator(user))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}
