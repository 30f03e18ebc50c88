//! `clp-server`: serves the Open CLP API, Swagger UI and web app (`--help` for commands).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use clp_api::cli::{Cli, Command, PartnerCommand};
use clp_api::config::{Config, ConfigArgs, LogFormat};
use clp_api::log_sink::{self, LogSink};
use clp_api::startup::Application;
use clp_api::telemetry::init_tracing;
use clp_db::Database;

#[tokio::main]
async fn main() -> ExitCode {
    log_sink::ensure_standard_descriptors();
    let Cli { command, config } = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help (exit 0, standard output) or a usage or configuration error (exit 2,
            // standard error); clap's `print` returns a broken output as an error, never panics.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // Dropped last: what is still queued is written out before the process exits.
    let sink = LogSink::stdout();
    match command.unwrap_or(Command::Serve(config)) {
        Command::OpenApi => match clp_api::openapi::openapi_json() {
            Ok(json) => {
                print_out(&json);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Migrate(config) => {
            let config = match load_config(config, &sink) {
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
        Command::Partner {
            command: PartnerCommand::Create(create),
        } => {
            let scopes = create.scopes();
            let config = match load_config(create.config, &sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            match clp_api::partners::run_partner_create(&config, &create.name, scopes).await {
                Ok(text) => {
                    // In order with the log lines of the command.
                    sink.print(&text);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.as_ref()),
            }
        }
        Command::SeedDemo(config) => {
            let config = match load_config(config, &sink) {
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
        Command::Serve(config) => {
            let config = match load_config(config, &sink) {
                Ok(config) => config,
                Err(code) => return code,
            };
            serve(config, &sink).await
        }
    }
}

/// Completes the configuration and starts logging to `sink`; prints the error otherwise.
fn load_config(args: ConfigArgs, sink: &LogSink) -> Result<Config, ExitCode> {
    match Config::try_from(args) {
        Ok(config) => {
            init_tracing(config.log_format, sink);
            Ok(config)
        }
        Err(e) => {
            print_err(&format!("error: {e}"));
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
