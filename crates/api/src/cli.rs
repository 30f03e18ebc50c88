//! The command line of `clp-server`, declared with clap: its commands, each with the
//! configuration options of [`ConfigArgs`] when it reads them. `--help`, `help COMMAND` and
//! `COMMAND --help` are generated from these declarations.

use clap::{Args, Parser, Subcommand};

use crate::config::ConfigArgs;
use crate::partners::ALL_SCOPES;

/// The Open CLP license activation portal: REST API, Swagger UI and web app
///
/// Every command that reads the configuration takes it from the environment variables below
/// (or the equivalent options); an empty variable counts as unset. `serve` runs the migrations
/// first, so a fresh database needs no separate `migrate`.
#[derive(Debug, Parser)]
#[command(
    name = "clp-server",
    args_conflicts_with_subcommands = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do; `serve` when no command is given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The configuration of `serve` when no command is given.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// What `clp-server` was asked to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve HTTP (the default command)
    ///
    /// Serves on CLP_BIND: the REST API under /api/v1, Swagger UI at /docs/, the OpenAPI
    /// document at /api-docs/openapi.json, the web app (CLP_STATIC_DIR) at /, and /healthz,
    /// /readyz and /metrics (Prometheus). In the same process run the outbox worker (mail,
    /// partner webhooks, Vision One provisioning) and the expiry sweeper (every
    /// CLP_SWEEP_INTERVAL: pending activations past their expiry become expired; old rate limit
    /// windows are deleted). Several processes may share one database.
    ///
    /// On SIGTERM or SIGINT it stops accepting connections, finishes the requests in flight (for
    /// up to 10 seconds), lets the workers finish the message in hand, and exits 0.
    Serve(ConfigArgs),
    /// Run the pending database migrations and exit
    ///
    /// Of the configuration it uses CLP_DATABASE_URL and CLP_LOG_FORMAT; like every command that
    /// reads the configuration it checks the rest, and creates the JWT secret when it is missing.
    Migrate(ConfigArgs),
    /// Print the OpenAPI document as pretty JSON and exit
    ///
    /// Needs no database; `make openapi` writes openapi/openapi.json with it.
    #[command(name = "openapi")]
    OpenApi,
    /// Manage partners: `partner create --name NAME [--scopes SCOPE,...]`
    Partner {
        /// What to do with partners.
        #[command(subcommand)]
        command: PartnerCommand,
    },
    /// Load the demo data (partner, account, an order for every case) if missing and print it
    ///
    /// Creates, when missing, a demo partner, a demo account and an order for every case of the
    /// two flows, then prints their registration keys, the demo account and the URLs. Running it
    /// again changes nothing and prints the same keys. Of the configuration it uses
    /// CLP_DATABASE_URL, CLP_PUBLIC_URL and CLP_LOG_FORMAT.
    SeedDemo(ConfigArgs),
}

/// `clp-server partner ...`.
#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Create a partner and print its OAuth2 client ID and secret (shown only once)
    ///
    /// The client secret is printed once and stored only as a hash: keep it. The partner gets a
    /// token with POST /api/v1/oauth/token (grant_type=client_credentials). Of the configuration
    /// it uses CLP_DATABASE_URL and CLP_LOG_FORMAT.
    Create(PartnerCreate),
}

/// `clp-server partner create`.
#[derive(Debug, Args)]
pub struct PartnerCreate {
    /// Display name of the partner
    #[arg(long, value_parser = partner_name)]
    pub name: String,
    /// Granted scopes, comma separated [default: all of them]
    #[arg(
        long,
        alias = "scope",
        value_name = "SCOPE,...",
        value_delimiter = ',',
        value_parser = clap::builder::PossibleValuesParser::new(ALL_SCOPES)
    )]
    pub scopes: Vec<String>,
    /// The configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
}

impl PartnerCreate {
    /// The scopes asked for, each once and in canonical order; none means every scope.
    pub fn scopes(&self) -> Vec<String> {
        ALL_SCOPES
            .iter()
            .filter(|scope| self.scopes.iter().any(|s| s == *scope))
            .map(|scope| (*scope).to_owned())
            .collect()
    }
}

fn partner_name(value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() {
        return Err("the partner needs a name".to_owned());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    /// Parses `args`, leaving a developer's own `CLP_*` variables out.
    fn parse(args: &[&str]) -> Result<Option<Command>, clap::Error> {
        use clap::FromArgMatches as _;
        let mut command = Cli::command().mut_args(|arg| arg.env(None));
        for name in ["serve", "migrate", "seed-demo"] {
            command = command.mut_subcommand(name, |c| c.mut_args(|arg| arg.env(None)));
        }
        command = command.mut_subcommand("partner", |partner| {
            partner.mut_subcommand("create", |c| c.mut_args(|arg| arg.env(None)))
        });
        let matches =
            command.try_get_matches_from_mut(std::iter::once("clp-server").chain(args.to_vec()))?;
        Ok(Cli::from_arg_matches(&matches)?.command)
    }

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn commands_parse() {
        assert!(parse(&[]).unwrap().is_none());
        assert!(parse(&["--bind", "0.0.0.0:80"]).unwrap().is_none());
        assert!(matches!(parse(&["serve"]), Ok(Some(Command::Serve(_)))));
        assert!(matches!(parse(&["migrate"]), Ok(Some(Command::Migrate(_)))));
        assert!(matches!(parse(&["openapi"]), Ok(Some(Command::OpenApi))));
        assert!(matches!(
            parse(&["seed-demo"]),
            Ok(Some(Command::SeedDemo(_)))
        ));
        let serve = parse(&["serve", "--log-format", "json"]);
        assert!(matches!(serve, Ok(Some(Command::Serve(_)))));
        for wrong in [
            &["frobnicate"][..],
            &["serve", "extra"],
            &["openapi", "--bind", "x"],
            &["serve", "--log-format", "xml"],
            &["--bind", "x", "migrate"],
            &["partner", "create"],
            &["partner", "create", "--name", " "],
            &["partner", "create", "--name", "X", "--scopes", "admin"],
        ] {
            assert_eq!(parse(wrong).unwrap_err().exit_code(), 2, "{wrong:?}");
        }
    }

    #[test]
    fn partner_create_takes_a_name_and_scopes() {
        let create = |args: &[&str]| match parse(args) {
            Ok(Some(Command::Partner {
                command: PartnerCommand::Create(create),
            })) => create,
            other => panic!("{args:?}: {other:?}"),
        };
        let acme = create(&["partner", "create", "--name", "Acme Distribution"]);
        assert_eq!(acme.name, "Acme Distribution");
        assert_eq!(acme.scopes(), Vec::<String>::new());
        let x = create(&[
            "partner",
            "create",
            "--name=X",
            "--scopes",
            "webhooks:manage,orders:read",
            "--scope=orders:read",
        ]);
        assert_eq!(x.scopes(), ["orders:read", "webhooks:manage"]);
    }

    #[test]
    fn help_is_no_error() {
        for args in [
            &["--help"][..],
            &["-h"],
            &["help"],
            &["help", "serve"],
            &["serve", "--help"],
            &["help", "partner", "create"],
            &["seed-demo", "-h"],
        ] {
            let err = parse(args).unwrap_err();
            assert_eq!(err.exit_code(), 0, "{args:?}");
        }
        assert_eq!(parse(&["help", "frobnicate"]).unwrap_err().exit_code(), 2);
    }
}
