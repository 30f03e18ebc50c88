//! `clp-server`: serves the Open CLP API, Swagger UI and web app (`--help` for commands).

use std::process::ExitCode;

use clp_api::cli::{self, Command};
use clp_api::config::{Config, LogFormat};
use clp_api::startup::{Application, connect_and_migrate};
use clp_api::telemetry::init_tracing;

#[tokio::main]
async fn main() -> ExitCode {
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            print!("{}", cli::help());
            ExitCode::SUCCESS
        }
        Command::CommandHelp(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Command::OpenApi => match clp_api::openapi::openapi_json() {
            Ok(json) => {
                print!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Migrate => {
            let config = match load_config() {
                Ok(config) => config,
                Err(code) => return code,
            };
            match connect_and_migrate(&config.database_url).await {
                Ok(_) => {
                    tracing::info!("migrations applied");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::PartnerCreate { name, scopes } => {
            let config = match load_config() {
                Ok(config) => config,
                Err(code) => return code,
            };
            match clp_api::partners::run_partner_create(&config, &name, scopes).await {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.as_ref()),
            }
        }
        Command::SeedDemo => {
            let config = match load_config() {
                Ok(config) => config,
                Err(code) => return code,
            };
            match clp_api::demo::run_seed_demo(&config).await {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.as_ref()),
            }
        }
        Command::Serve => {
            let config = match load_config() {
                Ok(config) => config,
                Err(code) => return code,
            };
            serve(config).await
        }
    }
}

/// Reads the configuration and starts logging; prints the error otherwise.
fn load_config() -> Result<Config, ExitCode> {
    match Config::from_env() {
        Ok(config) => {
            init_tracing(config.log_format);
            Ok(config)
        }
        Err(e) => {
            eprintln!("configuration error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    let host = config
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host)
        .replace("0.0.0.0", "127.0.0.1");
    let log_format = config.log_format;
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => return fail(&e),
    };
    let base = format!("http://{host}:{}", app.port());
    if log_format == LogFormat::Json {
        // Standard output is one JSON object a line: the banner is a log line too.
        tracing::info!(
            app = %format!("{base}/"),
            swagger_ui = %format!("{base}/docs/"),
            openapi = %format!("{base}/api-docs/openapi.json"),
            "Open CLP is listening"
        );
    } else {
        println!("Open CLP is listening:");
        println!("  app         {base}/");
        println!("  Swagger UI  {base}/docs/");
        println!("  OpenAPI     {base}/api-docs/openapi.json");
    }
    match app.run_until_stopped().await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(error: &(dyn std::error::Error + 'static)) -> ExitCode {
    eprintln!("error: {}", clp_api::error::error_chain(error));
    ExitCode::FAILURE
}
