use clap::Parser;
use doorstep_server::cli::{Cli, Command};
use doorstep_server::{telemetry, Application};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(config) => match Application::build(config).await {
            Ok(app) => app.run_until(doorstep_server::shutdown_signal()).await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "doorstep-server failed");
            eprintln!("doorstep-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
