use clap::Parser;
use doorstep_server::cli::{Cli, Command};
use doorstep_server::{admin, backup, telemetry, Application};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(config) => {
            // Before the server binds and says it is listening, so no SIGTERM is missed.
            let shutdown = doorstep_server::shutdown_signal();
            match Application::build(*config).await {
                Ok(app) => app.run_until(shutdown).await.map_err(|e| {
                    tracing::error!(error = %e, "doorstep-server failed");
                    e.to_string()
                }),
                Err(e) => Err(e.to_string()),
            }
        }
        Command::Team(cmd) => admin::team(cmd).await.map(|out| println!("{out}")),
        Command::User(cmd) => admin::user(cmd).await.map(|out| println!("{out}")),
        Command::Check { quarantine, db } => admin::check(&db.database, quarantine)
            .await
            .map(|out| println!("{out}")),
        Command::Backup { to, db } => backup::backup(&db.database, &to)
            .await
            .map(|out| println!("{out}")),
        Command::Restore { from, db } => backup::restore(&db.database, &from)
            .await
            .map(|out| println!("{out}")),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("doorstep-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
