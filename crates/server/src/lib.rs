//! The Doorstep team server: HTTP and database adapters around `doorstep-core`.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod db;
mod digest;
pub mod erasure;
pub mod error;
mod failpoint;
mod json;
pub mod records;
mod report_html;
mod routes;
mod security;
pub(crate) mod serve;
mod spreadsheet;
mod static_files;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use sqlx::AnyPool;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use cli::ServeConfig;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("server error: {0}")]
    Serve(std::io::Error),
    #[error("cannot create the demo accounts: {0}")]
    Demo(accounts::AccountError),
}

#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    pub failed_logins: Arc<auth::rate_limit::FailedLogins>,
    /// Argon2 checks, bounded (memory).
    pub hashing: Arc<auth::password::HashGate>,
    /// Peers whose X-Forwarded-For is believed.
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
}

/// A server bound to its address, ready to run. Tests build one on port 0.
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn build(config: ServeConfig) -> Result<Self, StartError> {
        let pool = db::connect(&config.database).await?;
        if config.demo {
            admin::demo(&pool).await.map_err(StartError::Demo)?;
        }
        erasure::spawn_sweep(pool.clone());
        if !config.static_dir.join("index.html").is_file() {
            tracing::warn!(dir = %config.static_dir.display(), "no built app found; run `cargo xtask build`");
        }
        let router = Router::new()
            .merge(routes::router())
            .merge(static_files::router(&config.static_dir))
            .layer(axum::middleware::from_fn_with_state(
                security::Csp::new(&config.static_dir),
                security::headers,
            ))
            .layer(CompressionLayer::new())
            // Method and path only: a query can carry what a coordinator typed (an export's
            // reason), and logs never hold what people wrote.
            .layer(TraceLayer::new_for_http().make_span_with(
                |req: &axum::http::Request<axum::body::Body>| {
                    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
                },
            ))
            .with_state(AppState {
                db: pool,
                failed_logins: Arc::default(),
                hashing: Arc::default(),
                trusted_proxies: Arc::new(config.trusted_proxy.clone()),
            });
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| StartError::Bind(config.addr, e))?;
        Ok(Application { listener, router })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        tracing::info!(addr = %self.local_addr(), "doorstep-server listening");
        serve::serve(self.listener, self.router, shutdown)
            .await
            .map_err(StartError::Serve)?;
        tracing::info!("doorstep-server stopped");
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}
