//! The connection loop: axum's `serve` sets no timeouts, so one slow client could hold a
//! connection (and what it opened) for ever. Here each connection gets `HEADER_TIMEOUT` to
//! send its request's headers; the router bounds reading a body and answering (see lib.rs).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use rustls::server::Acceptor;
use rustls_acme::tower::TowerHttp01ChallengeService;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::LazyConfigAcceptor;
use tower::ServiceExt;

use crate::tls::Tls;

/// Time for a client to send a request's headers (also between requests on a kept-alive
/// connection).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` (over TLS when `tls` is set) until `shutdown` completes,
/// then lets the requests in flight finish (for up to 30 s).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<Tls>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment, keep serving.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            let Some(tls) = tls else {
                return connection(TokioIo::new(stream), peer, router, watcher).await;
            };
            // The handshake gets the same time as a request's headers.
            // (None: a CA's TLS-ALPN-01 check, answered; errors: a client that gave up.)
            if let Ok(Ok(Some(stream))) =
                tokio::time::timeout(HEADER_TIMEOUT, handshake(stream, &tls)).await
            {
                connection(TokioIo::new(stream), peer, router, watcher).await;
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("requests still running after 30 s; stopping anyway");
        }
    }
    Ok(())
}

/// The TLS handshake; `None` when it was an ACME TLS-ALPN-01 validation, which ends there.
async fn handshake(
    stream: TcpStream,
    tls: &Tls,
) -> std::io::Result<Option<tokio_rustls::server::TlsStream<TcpStream>>> {
    let start = LazyConfigAcceptor::new(Acceptor::default(), stream).await?;
    if let Some(challenge) = &tls.alpn_challenge {
        if rustls_acme::is_tls_alpn_challenge(&start.client_hello()) {
            let mut done = start.into_stream(challenge.clone()).await?;
            tokio::io::AsyncWriteExt::shutdown(&mut done).await?;
            return Ok(None);
        }
    }
    start.into_stream(tls.config.clone()).await.map(Some)
}

/// One connection, HTTP/1 or 2, with the header timeout.
async fn connection<I>(io: TokioIo<I>, peer: SocketAddr, router: Router, watcher: Watcher)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    // The peer address feeds the sign-in limits (behind a proxy: see --trusted-proxy).
    let service = router.map_request(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(axum::body::Body::new);
        req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
        req
    });
    let service = TowerToHyperService::new(service);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)));
    let conn = builder.serve_connection_with_upgrades(io, service);
    // A client that goes away mid-request is not the server's error.
    let _ = watcher.watch(conn.into_owned()).await;
}

/// The plain-HTTP side of an HTTPS server: ACME HTTP-01 answers, and a permanent redirect
/// to the same path over HTTPS for everything else.
pub fn redirect_router(https_port: u16, http01: Option<TowerHttp01ChallengeService>) -> Router {
    let redirect = move |req: axum::extract::Request| async move {
        use axum::response::IntoResponse;
        let host = req
            .headers()
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.parse::<axum::http::uri::Authority>().ok());
        let Some(host) = host else {
            return crate::error::ApiError::BadRequest("a Host header is needed".into())
                .into_response();
        };
        let port = if https_port == 443 {
            String::new()
        } else {
            format!(":{https_port}")
        };
        let path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        axum::response::Redirect::permanent(&format!("https://{}{port}{path}", host.host()))
            .into_response()
    };
    let router = Router::new().fallback(redirect);
    match http01 {
        Some(service) => router.route_service("/.well-known/acme-challenge/{token}", service),
        None => router,
    }
}

/// Time for a request to arrive whole and be answered (an export's answer starts within it
/// and then streams for as long as it takes).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Answers `408 timeout` (the JSON error) to a request not read and answered in time: a
/// client sending its body slowly cannot hold the server's workers.
pub async fn request_timeout(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => crate::error::ApiError::Timeout.into_response(),
    }
}
