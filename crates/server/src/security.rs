//! Security headers on every response. The Content-Security-Policy allows this origin only,
//! WebAssembly compilation ('wasm-unsafe-eval'), and the inline start-up script Trunk writes
//! into index.html, by its SHA-256 (read from the built index.html, again when it changes).

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::static_files::AppFiles;

type Cached = (Option<SystemTime>, HeaderValue);

#[derive(Clone)]
pub struct Csp {
    files: AppFiles,
    /// The policy, and the index.html modification time it was computed for.
    cached: Arc<Mutex<Option<Cached>>>,
}

impl Csp {
    pub fn new(files: AppFiles) -> Self {
        Csp {
            files,
            cached: Arc::default(),
        }
    }

    fn header(&self) -> HeaderValue {
        // The embedded app never changes; a directory's index.html is re-read when it does.
        let modified = match &self.files {
            AppFiles::Embedded => None,
            AppFiles::Dir(dir) => std::fs::metadata(dir.join("index.html"))
                .and_then(|m| m.modified())
                .ok(),
        };
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, v)) = cached.as_ref() {
            if *at == modified {
                return v.clone();
            }
        }
        let html = self.files.read("index.html").unwrap_or_default();
        let html = String::from_utf8_lossy(&html);
        let value = HeaderValue::from_str(&policy(&inline_script_hashes(&html)))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        *cached = Some((modified, value.clone()));
        value
    }
}

/// `'sha256-…'` of every inline `<script>` (one without `src`).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = &after[open_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_start.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_start[close..];
    }
    hashes
}

pub fn policy(script_hashes: &[String]) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        script_hashes.join(" ")
    )
}

pub async fn headers(State(csp): State<Csp>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, csp.header());
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<script type="module">init();</script><script src="/a.js"></script>"#;
        let h = inline_script_hashes(html);
        assert_eq!(h.len(), 1);
        // echo -n 'init();' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            h[0],
            "'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc='"
        );
        assert!(policy(&h).contains("'wasm-unsafe-eval' 'sha256-"));
    }
}
