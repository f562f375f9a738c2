use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Every error the HTTP layer answers with, as `{"error":{"code":…,"message":…}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such resource")]
    NotFound,
    #[error("method not allowed for this resource")]
    MethodNotAllowed,
    #[error("{0}")]
    BadRequest(String),
    #[error("the app is not built on this server")]
    AppNotBuilt,
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("sign in first: this needs a valid device token (Authorization: Bearer …)")]
    Unauthorized,
    #[error("this device was signed out by a coordinator; sign in again")]
    DeviceRevoked,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("only a coordinator of the team may do this")]
    Forbidden,
    #[error("too many failed sign-ins; wait a minute and try again")]
    TooManyAttempts,
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Conflict(String),
    #[error("internal error")]
    Internal(String),
    #[error("this app speaks sync protocol {0}; the server speaks {p}: update the app (nothing was lost: unsynced records stay on the phone)", p = doorstep_core::sync::wire::PROTOCOL)]
    UnsupportedProtocol(u32),
    #[error("{0}")]
    SeqGap(String),
    #[error("the server is busy with other sign-ins; try again in a few seconds")]
    Busy,
    #[error("the request was not sent in time")]
    Timeout,
    #[error("this server is set up already: sign in, or ask the person in charge for an invite")]
    SetupDone,
    #[error("this link is not valid: ask the person in charge for a new one")]
    InvalidLink,
    #[error("this link was used already: ask the person in charge for a new one")]
    LinkUsed,
    #[error("this link has expired: ask the person in charge for a new one")]
    LinkExpired,
}

impl From<crate::accounts::CredentialsError> for ApiError {
    fn from(e: crate::accounts::CredentialsError) -> Self {
        match e {
            crate::accounts::CredentialsError::Account(a) => a.into(),
            crate::accounts::CredentialsError::Busy => ApiError::Busy,
        }
    }
}

impl From<crate::records::SyncError> for ApiError {
    fn from(e: crate::records::SyncError) -> Self {
        use crate::records::SyncError as S;
        use doorstep_core::sync::push::PushError as P;
        match e {
            S::Database(d) => ApiError::Database(d),
            S::Corrupt(m) => ApiError::Internal(m),
            S::Push(P::UnsupportedProtocol(p)) => ApiError::UnsupportedProtocol(p),
            S::Push(P::NotIncreasing) => ApiError::BadRequest(e.to_string()),
            S::Push(g @ P::Gap { .. }) => ApiError::SeqGap(g.to_string()),
        }
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError as A;
        match e {
            A::Database(d) => ApiError::Database(d),
            A::Taken(_) => ApiError::Conflict(e.to_string()),
            A::NoSuchTeam(_) | A::NoSuchUser(_) => ApiError::NotFound,
            A::Hash(m) | A::Roster(m) => ApiError::Internal(m),
        }
    }
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::AppNotBuilt => (StatusCode::SERVICE_UNAVAILABLE, "app_not_built"),
            ApiError::Database(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::DeviceRevoked => (StatusCode::UNAUTHORIZED, "device_revoked"),
            ApiError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::UnsupportedProtocol(_) => (StatusCode::BAD_REQUEST, "unsupported_protocol"),
            ApiError::SeqGap(_) => (StatusCode::CONFLICT, "seq_gap"),
            ApiError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            ApiError::SetupDone => (StatusCode::GONE, "setup_done"),
            ApiError::InvalidLink => (StatusCode::NOT_FOUND, "invalid_link"),
            ApiError::LinkUsed => (StatusCode::GONE, "link_used"),
            ApiError::LinkExpired => (StatusCode::GONE, "link_expired"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // The cause goes to the log, not to the client.
        match &self {
            ApiError::Database(e) => tracing::error!(error = %e, "database error"),
            ApiError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
        let body = json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}
