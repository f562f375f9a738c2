//! The HTTP API, one module per resource.

mod health;

use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    // Unknown API paths and methods answer JSON, never the app's index.html.
    let api = Router::new()
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    Router::new()
        .merge(health::router())
        .nest("/api", api)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
