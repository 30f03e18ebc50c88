//! `clp-server`: serves the Open CLP API, Swagger UI and web app (`--help` for commands).

use std::io::Write as _;
use std::process::ExitCode;

use clp_api::cli::{self, Command};
use clp_api::config::{Config, LogFormat};
use clp_api::log_sink::{self, LogSink};
use clp_api::startup::Application;
use clp_api::telemetry::init_tracing;
use clp_db::Database;

#[tokio::main]
async fn main() -> ExitCode {
    log_sink::ensure_standard_descriptors();
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            print_err(&format!("error: {message}"));
            return ExitCode::from(2);
        }
    };
    // Dropped last: what is still queued is written out before the process exits.
    let sink = LogSink::stdout();
    match command {
        Command::Help => {
            print_out(&cli::help());
            ExitCode::SUCCESS
        }
        Command::CommandHelp(text) => {
            print_out(text);
            ExitCode::SUCCESS
        }
        Command::OpenApi => match clp_api::openapi::openapi_json() {
            Ok(json) => {
                print_out(&json);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Migrate => {
            let config = match load_config(&sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            match Database::connect_and_migrate(&config.database_url).await {
                Ok(_) => {
                    tracing::info!("migrations applied");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::PartnerCreate { name, scopes } => {
            let config = match load_config(&sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            match clp_api::partners::run_partner_create(&config, &name, scopes).await {
                Ok(text) => {
                    // In order with the log lines of the command.
                    sink.print(&text);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.as_ref()),
            }
        }
        Command::SeedDemo => {
            let config = match load_config(&sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            match clp_api::demo::run_seed_demo(&config).await {
                Ok(text) => {
                    // In order with the log lines of the command.
                    sink.print(&text);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.as_ref()),
            }
        }
        Command::Serve => {
            let config = match load_config(&sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            serve(config, &sink).await
        }
    }
}

/// Reads the configuration and starts logging to `sink`; prints the error otherwise.
fn load_config(sink: &LogSink) -> Result<Config, ExitCode> {
    match Config::from_env() {
        Ok(config) => {
            init_tracing(config.log_format, sink);
            Ok(config)
        }
        Err(e) => {
            print_err(&format!("configuration error: {e}"));
            Err(ExitCode::from(2))
        }
    }
}

async fn serve(config: Config, sink: &LogSink) -> ExitCode {
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
        // Through the log sink, in order with the log lines, and never blocking.
        sink.print(&format!(
            "Open CLP is listening:\n  app         {base}/\n  Swagger UI  {base}/docs/\n  \
             OpenAPI     {base}/api-docs/openapi.json\n"
        ));
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
    print_err(&format!("error: {}", clp_api::error::error_chain(error)));
    ExitCode::FAILURE
}

/// Writes `text` to standard output; a closed or broken output is not an error of the command
/// (`print!` would panic on it).
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes the line `text` to standard error, ignoring a closed or broken output.
fn print_err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}
