//! The command line: `mariposa serve`, `mariposa migrate`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{DEFAULT_DATABASE_URL, ServeArgs, Settings};
use crate::db::{Database, DatabaseUrl};
use crate::startup::Application;
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "mariposa",
    version,
    about = "Petition and action-campaign signature collector"
)]
pub struct Cli {
    /// sqlite://PATH (the scheme picks the backend)
    #[arg(long, env = "MARIPOSA_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    /// Log filter, e.g. info or mariposa=debug
    #[arg(long, env = "MARIPOSA_LOG", default_value = "info", global = true)]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server and the mail worker (migrates the database first)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
}

pub fn run(cli: Cli) -> ExitCode {
    let _log_writer = telemetry::init(&cli.log);
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mariposa: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings::from_args(&cli.database_url, &args)?;
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(async {
                    Application::build(settings)
                        .await?
                        .run_until_stopped()
                        .await
                })
        }
        Command::Migrate => {
            let db = Database::open(&DatabaseUrl::parse(&cli.database_url)?, 1)?;
            let applied = db.migrate()?;
            if applied.is_empty() {
                println!("The database is up to date.");
            }
            for migration in applied {
                println!("applied {migration}");
            }
            Ok(())
        }
    }
}
