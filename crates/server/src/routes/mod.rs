//! The HTTP API, one module per resource.

mod audit;
mod devices;
mod export;
mod health;
mod members;
mod records;
mod reports;
mod session;
mod sync;

use axum::extract::DefaultBodyLimit;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::ApiError;
use crate::AppState;

/// Requests to /api/v1 carry small JSON; a larger body is refused (413, JSON) unread.
pub const API_BODY_LIMIT: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    // Unknown API paths and methods answer JSON, never the app's index.html.
    let v1 = Router::new()
        .merge(session::router())
        .merge(devices::router())
        .merge(records::router())
        .merge(reports::router())
        .merge(export::router())
        .merge(audit::router())
        .merge(sync::router())
        .merge(members::router())
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    let api = Router::new()
        .nest("/v1", v1)
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn(crate::json::refuse_nul))
        .layer(axum::middleware::from_fn(crate::serve::request_timeout));
    Router::new()
        .merge(health::router())
        .nest("/api", api)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
