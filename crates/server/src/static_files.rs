//! Serves the built app: from the copy embedded in the release binary (so the one file is
//! the whole server), or from a directory given with `--static-dir` (the developer's
//! override). Precompressed `.br`/`.gz` files are sent when the client takes them; client-side
//! routes get the app's index.html; hashed assets are cached forever, entry points (index.html,
//! sw.js, manifest) always revalidated.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::header::{
    HeaderValue, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, VARY,
};
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The app `cargo xtask build` wrote into dist/, inside the release binary. Debug builds read
/// the same folder from disk at run time; a build made before dist/ existed holds nothing.
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../../dist"]
#[allow_missing = true]
struct Embedded;

/// Where the app's files come from.
#[derive(Clone, Debug)]
pub enum AppFiles {
    Embedded,
    Dir(Arc<PathBuf>),
}

impl AppFiles {
    pub fn new(static_dir: Option<&Path>) -> Self {
        match static_dir {
            Some(dir) => AppFiles::Dir(Arc::new(dir.to_path_buf())),
            None => AppFiles::Embedded,
        }
    }

    /// A file of the app by its path under the app's root (`index.html`, `sw.js`, …); `None`
    /// for a missing file or a path that tries to leave the root.
    pub fn read(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        let relative = Path::new(path);
        if path.is_empty()
            || path.contains('\\')
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return None;
        }
        match self {
            AppFiles::Embedded => Embedded::get(path).map(|f| f.data),
            AppFiles::Dir(dir) => std::fs::read(dir.join(relative)).ok().map(Cow::Owned),
        }
    }

    pub fn is_built(&self) -> bool {
        self.read("index.html").is_some()
    }

    pub fn describe(&self) -> String {
        match self {
            AppFiles::Embedded => "the app built into this binary".to_owned(),
            AppFiles::Dir(dir) => dir.display().to_string(),
        }
    }
}

pub fn router(files: AppFiles) -> Router<AppState> {
    Router::new().fallback(move |req: Request<Body>| {
        let files = files.clone();
        async move { serve(&files, &req) }
    })
}

fn serve(files: &AppFiles, req: &Request<Body>) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ApiError::MethodNotAllowed.into_response();
    }
    let path = req.uri().path().trim_start_matches('/');
    let file_name = path.rsplit('/').next().unwrap_or("");
    // A client-side route (or "/"): the app's shell answers it.
    let (path, policy) = if !file_name.contains('.') {
        if !files.is_built() {
            return ApiError::AppNotBuilt.into_response();
        }
        ("index.html", REVALIDATE)
    } else if is_hashed(file_name) {
        (path, IMMUTABLE)
    } else {
        (path, REVALIDATE)
    };
    let accepts = |coding: &str| {
        req.headers()
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|c| {
                let mut parts = c.split(';');
                parts.next().is_some_and(|name| name.trim() == coding)
                    && !parts.any(|p| p.trim().replace(' ', "") == "q=0")
            })
    };
    let (body, encoding) = match ["br", "gzip"]
        .into_iter()
        .filter(|coding| accepts(coding))
        .find_map(|coding| {
            let ext = if coding == "br" { "br" } else { "gz" };
            files
                .read(&format!("{path}.{ext}"))
                .map(|body| (body, Some(coding)))
        }) {
        Some(found) => found,
        None => match files.read(path) {
            Some(body) => (body, None),
            None => return ApiError::NotFound.into_response(),
        },
    };
    let etag = format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(&body)[..16])
    );
    let mut res = if req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else if req.method() == Method::HEAD {
        StatusCode::OK.into_response()
    } else {
        let body = match body {
            Cow::Borrowed(b) => Body::from(b),
            Cow::Owned(b) => Body::from(b),
        };
        (StatusCode::OK, body).into_response()
    };
    let h = res.headers_mut();
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        h.insert(CONTENT_TYPE, v);
    }
    if let Some(coding) = encoding {
        h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(ETAG, v);
    }
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
    use super::{is_hashed, AppFiles};

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

    #[test]
    fn paths_cannot_leave_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dist");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        std::fs::write(root.join("a.js"), "a").unwrap();
        let files = AppFiles::new(Some(&root));
        assert!(files.read("a.js").is_some());
        for bad in [
            "../secret",
            "./a.js",
            "/etc/passwd",
            "",
            "a\\..\\..\\secret",
            "x/../a.js",
        ] {
            assert!(files.read(bad).is_none(), "{bad}");
        }
    }
}
