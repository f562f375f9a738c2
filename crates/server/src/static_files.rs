//! Serves the built app from the static directory: precompressed files when present, the
//! app's index.html for client-side routes, and cache headers that let phones keep hashed
//! assets forever while always revalidating the entry points (index.html, sw.js, manifest).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::http::{Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn router(dir: &Path) -> Router<AppState> {
    let dir = dir.to_path_buf();
    Router::new().fallback(move |req: Request<Body>| serve(dir.clone(), req))
}

async fn serve(dir: PathBuf, mut req: Request<Body>) -> Response {
    let file_name = req.uri().path().rsplit('/').next().unwrap_or("").to_owned();
    let is_file = file_name.contains('.');
    if !is_file {
        // A client-side route (or "/"): the app's shell answers it.
        if !dir.join("index.html").is_file() {
            return ApiError::AppNotBuilt.into_response();
        }
        *req.uri_mut() = Uri::from_static("/index.html");
    }
    let served = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(req)
        .await;
    let mut res = match served {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    };
    if res.status() == StatusCode::NOT_FOUND {
        return ApiError::NotFound.into_response();
    }
    let policy = if is_file && is_hashed(&file_name) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    res
}

/// Trunk names build outputs `name-<hash>.ext` (wasm: `name-<hash>_bg.wasm`), the hash being a
/// u64 in hex without leading zeros; their content never changes under that name. Fewer than 12
/// digits (1 build in 65,536) only costs a revalidation, and keeps names like `icon-192` out.
fn is_hashed(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed("doorstep-0123456789abcdef.js"));
        assert!(is_hashed("doorstep-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("main-fedcba9876543210.css"));
        assert!(is_hashed("doorstep-668218405d3c49f.js")); // 15 digits: a leading zero dropped
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("icon-192.png"));
        assert!(!is_hashed("doorstep-0123456789abcdeg.js"));
    }
}
