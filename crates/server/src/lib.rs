//! The Doorstep team server: HTTP and database adapters around `doorstep-core`.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod auto_backup;
pub mod backup;
pub mod cli;
pub mod db;
pub mod demo;
mod digest;
pub mod erasure;
pub mod error;
mod failpoint;
pub mod invites;
mod json;
pub mod records;
mod report_html;
pub mod roster;
mod routes;
pub mod scope;
mod security;
pub(crate) mod serve;
mod spreadsheet;
mod static_files;
pub mod telemetry;
pub mod tls;
pub mod window;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::header::{HeaderValue, STRICT_TRANSPORT_SECURITY};
use axum::Router;
use sqlx::AnyPool;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
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
    #[error("cannot create the accounts: {0}")]
    Demo(accounts::AccountError),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    Backups(String),
    #[error("cannot make the demo team: {0}")]
    DemoData(String),
}

#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    pub failed_logins: Arc<auth::rate_limit::FailedLogins>,
    /// Argon2 checks, bounded (memory).
    pub hashing: Arc<auth::password::HashGate>,
    /// Peers whose X-Forwarded-For is believed.
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    /// Served over HTTPS (links the server writes start with https://).
    pub tls: bool,
    /// --backup-dir: how the automatic backups go (for /healthz).
    pub backups: Option<auto_backup::Status>,
}

/// A server bound to its address, ready to run. Tests build one on port 0.
pub struct Application {
    listener: TcpListener,
    router: Router,
    tls: Option<tls::Tls>,
    /// --http-addr: ACME HTTP-01 answers and the redirect to HTTPS.
    http: Option<(TcpListener, Router)>,
    /// On a database without accounts: where the first admin sets the team up.
    setup_link: Option<String>,
    /// The SQLite database's lock file, held until the server stops.
    _lock: Option<std::fs::File>,
}

impl Application {
    pub async fn build(config: ServeConfig) -> Result<Self, StartError> {
        if config.backups.backup_dir.is_some() && db::is_postgres(&config.database) {
            return Err(StartError::Backups(
                "--backup-dir backs up SQLite; back PostgreSQL up with pg_dump (see docs/deploy.md)"
                    .into(),
            ));
        }
        let tls = tls::from_args(&config.tls, &acme_cache_default(&config.database))?;
        let pool = db::connect(&config.database).await?;
        // Held while serving: `restore` refuses to replace the database under a running server.
        let lock = backup::hold_lock(&config.database).map_err(StartError::Locked)?;
        if config.demo {
            admin::demo(&pool).await.map_err(StartError::DemoData)?;
        }
        erasure::spawn_sweep(pool.clone());
        let backups = match &config.backups.backup_dir {
            Some(dir) => Some(auto_backup::spawn(
                pool.clone(),
                auto_backup::Schedule {
                    dir: dir.clone(),
                    every: config.backups.backup_every,
                    keep: config.backups.backup_keep as usize,
                },
            )),
            None => None,
        };
        let setup = invites::setup_code(&pool).await.map_err(StartError::Demo)?;
        let files = static_files::AppFiles::new(config.static_dir.as_deref());
        if !files.is_built() {
            tracing::warn!(from = %files.describe(), "no built app found; run `cargo xtask build`");
        }
        let mut router = Router::new()
            .merge(routes::router())
            .merge(static_files::router(files.clone()))
            .layer(axum::middleware::from_fn_with_state(
                security::Csp::new(files),
                security::headers,
            ));
        if tls.is_some() {
            // Phones that once reached the team over HTTPS never fall back to plain HTTP.
            router = router.layer(SetResponseHeaderLayer::overriding(
                STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            ));
        }
        let router = router
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
                tls: tls.is_some(),
                backups,
            });
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| StartError::Bind(config.addr, e))?;
        let addr = listener.local_addr().map_err(StartError::Serve)?;
        let setup_link = setup.map(|code| {
            format!(
                "{}/setup#{code}",
                public_origin(&config, addr, tls.is_some())
            )
        });
        let http = match config.tls.http_addr {
            Some(addr) => {
                let l = TcpListener::bind(addr)
                    .await
                    .map_err(|e| StartError::Bind(addr, e))?;
                let https_port = listener.local_addr().map_err(StartError::Serve)?.port();
                let http01 = tls.as_ref().and_then(|t| t.http01.clone());
                Some((l, serve::redirect_router(https_port, http01)))
            }
            None => None,
        };
        Ok(Application {
            listener,
            router,
            tls,
            http,
            setup_link,
            _lock: lock,
        })
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
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        tracing::info!(addr = %self.local_addr(), scheme, "doorstep-server listening");
        if let Some(link) = &self.setup_link {
            // The operator's one step after `serve`: the rest happens in the app.
            tracing::info!("no team yet: open {link} to create the team and its first admin");
        }
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let until = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|s| *s).await;
            }
        };
        let plain = self.http.map(|(listener, router)| {
            tracing::info!(addr = %listener.local_addr().map(|a| a.to_string()).unwrap_or_default(), "redirecting http to https");
            tokio::spawn(serve::serve(listener, router, None, until()))
        });
        let main = serve::serve(self.listener, self.router, self.tls, until());
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        main.await.map_err(StartError::Serve)?;
        if let Some(plain) = plain {
            let _ = plain.await;
        }
        tracing::info!("doorstep-server stopped");
        Ok(())
    }
}

/// The address people reach this server at, as well as the server can tell.
fn public_origin(config: &ServeConfig, addr: SocketAddr, tls: bool) -> String {
    if let Some(domain) = config.tls.acme_domain.first() {
        return format!("https://{domain}");
    }
    let scheme = if tls { "https" } else { "http" };
    let port = addr.port();
    let host = if addr.ip().is_unspecified() {
        "THIS-SERVER".to_owned()
    } else {
        addr.ip().to_string()
    };
    match (scheme, port) {
        ("https", 443) | ("http", 80) => format!("{scheme}://{host}"),
        _ => format!("{scheme}://{host}:{port}"),
    }
}

/// ACME's files go beside the SQLite database (one directory to back up), or ./data/acme.
fn acme_cache_default(database: &str) -> std::path::PathBuf {
    backup::sqlite_path(database)
        .and_then(|p| p.parent().map(|d| d.join("acme")))
        .unwrap_or_else(|| std::path::PathBuf::from("data/acme"))
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled: a SIGTERM that arrives right after "listening" must stop the server
/// gracefully rather than kill it. Call it inside the runtime, before the server starts.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(term) => {},
                _ = wait(int) => {},
            }
            tracing::info!("shutdown signal received");
        }
    }
    #[cfg(not(unix))]
    async move {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown signal received");
    }
}
