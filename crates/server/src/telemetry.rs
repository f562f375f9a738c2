use tracing_subscriber::EnvFilter;

/// Logs to stderr; `RUST_LOG` overrides the default level. Logs carry ids and paths only,
/// never request bodies: they are where personal data would leak.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
