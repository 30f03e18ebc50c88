//! The command line of `clp-server`, parsed by hand (a handful of subcommands).

use crate::config::CONFIG_HELP;

/// What `clp-server` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Migrate the database, then serve HTTP until SIGINT/SIGTERM (the default).
    Serve,
    /// Run the pending migrations and exit.
    Migrate,
    /// Print the OpenAPI document (pretty JSON) and exit; needs no database.
    OpenApi,
    /// Create a partner with new OAuth2 client credentials, print them once and exit.
    PartnerCreate {
        /// Display name of the partner.
        name: String,
        /// Scopes granted (every partner scope when none is given).
        scopes: Vec<String>,
    },
    /// Load the demo partner, account and orders (idempotent), print their keys and exit.
    SeedDemo,
    /// Print the usage and exit.
    Help,
    /// Print the help of one command (`clp-server help serve`, `clp-server serve --help`) and
    /// exit.
    CommandHelp(&'static str),
}

/// Usage text of `--help`, without the environment part ([`help`] adds it).
pub const USAGE: &str = "\
clp-server: the Open CLP license activation portal (REST API, Swagger UI and web app)

Usage: clp-server [COMMAND]

Commands:
  serve      migrate the database, then serve HTTP (default)
  migrate    run the pending database migrations and exit
  openapi    print the OpenAPI document as JSON (make openapi writes openapi/openapi.json)
  partner create --name NAME [--scopes SCOPE,...]
             create a partner and print its client ID and secret (shown only once);
             scopes: orders:read, orders:write, webhooks:manage (default: all)
  seed-demo  load demo data (partner, account, an order for every case) if missing and
             print the keys, the demo account and the URLs
  help [COMMAND]
             print this help (also -h, --help), or the help of COMMAND
             (also clp-server COMMAND --help)

Every command reads its configuration from the environment (below); `clp-server help
COMMAND` says which variables it uses. `serve` runs the migrations first, so a fresh
database needs no separate `migrate`.
";

/// `clp-server help serve`.
pub const SERVE_HELP: &str = "\
clp-server serve: migrate the database, then serve HTTP (the default command)

Usage: clp-server [serve]

Serves on CLP_BIND: the REST API under /api/v1, Swagger UI at /docs/, the OpenAPI document at
/api-docs/openapi.json, the web app (CLP_STATIC_DIR) at /, and /healthz, /readyz and
/metrics (Prometheus). In the same process run the outbox worker (mail, partner webhooks,
Vision One provisioning) and the expiry sweeper (every CLP_SWEEP_INTERVAL: pending
activations past their expiry become expired; old rate limit windows are deleted). Several
processes may share one database.

On SIGTERM or SIGINT it stops accepting connections, finishes the requests in flight (for up
to 10 seconds), lets the workers finish the message in hand, and exits 0.

Uses every variable listed by `clp-server --help`.
";

/// `clp-server help migrate`.
pub const MIGRATE_HELP: &str = "\
clp-server migrate: run the pending database migrations and exit

Usage: clp-server migrate

Uses CLP_DATABASE_URL (SQLite or PostgreSQL) and CLP_LOG_FORMAT.
";

/// `clp-server help openapi`.
pub const OPENAPI_HELP: &str = "\
clp-server openapi: print the OpenAPI document as pretty JSON and exit

Usage: clp-server openapi > openapi/openapi.json

Needs no database and no configuration; `make openapi` writes openapi/openapi.json with it.
";

/// `clp-server help partner`.
pub const PARTNER_CREATE_HELP: &str = "\
clp-server partner create: create a partner and print its OAuth2 client credentials

Usage: clp-server partner create --name NAME [--scopes SCOPE,...]

  --name NAME         display name of the partner (required)
  --scopes SCOPE,...  granted scopes: orders:read, orders:write, webhooks:manage
                      [default: all three]

The client secret is printed once and stored only as a hash: keep it. The partner gets a
token with POST /api/v1/oauth/token (grant_type=client_credentials).

Uses CLP_DATABASE_URL and CLP_LOG_FORMAT.
";

/// `clp-server help seed-demo`.
pub const SEED_DEMO_HELP: &str = "\
clp-server seed-demo: load the demo data and print it

Usage: clp-server seed-demo

Creates, when missing, a demo partner, a demo account and an order for every case of the
two flows, then prints their registration keys, the demo account and the URLs. Running it
again changes nothing and prints the same keys.

Uses CLP_DATABASE_URL, CLP_PUBLIC_URL and CLP_LOG_FORMAT.
";

/// The help of `command` (its first word), if it is one.
pub fn command_help(command: &str) -> Option<&'static str> {
    match command {
        "serve" => Some(SERVE_HELP),
        "migrate" => Some(MIGRATE_HELP),
        "openapi" => Some(OPENAPI_HELP),
        "partner" => Some(PARTNER_CREATE_HELP),
        "seed-demo" => Some(SEED_DEMO_HELP),
        _ => None,
    }
}

/// The full `--help` text: commands and environment variables.
pub fn help() -> String {
    format!("{USAGE}\n{CONFIG_HELP}")
}

/// Parses the arguments after the program name.
pub fn parse<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if args.iter().any(|a| matches!(*a, "-h" | "--help")) {
        return Ok(args
            .first()
            .and_then(|first| command_help(first))
            .map_or(Command::Help, Command::CommandHelp));
    }
    match args.as_slice() {
        ["help", command, ..] => command_help(command)
            .map(Command::CommandHelp)
            .ok_or_else(|| format!("no such command: `{command}` (see clp-server --help)")),
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["openapi"] => Ok(Command::OpenApi),
        ["seed-demo"] => Ok(Command::SeedDemo),
        ["help"] => Ok(Command::Help),
        ["partner", "create", rest @ ..] => parse_partner_create(rest),
        [command, ..] => Err(format!(
            "unknown command or arguments: `{}` (see clp-server --help)",
            if args.len() == 1 {
                (*command).to_owned()
            } else {
                args.join(" ")
            }
        )),
    }
}

/// `partner create --name NAME [--scopes a,b]` (also `--name=NAME`, `--scopes=a b`).
fn parse_partner_create(args: &[&str]) -> Result<Command, String> {
    let mut name = None;
    let mut scopes = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let arg: &str = arg;
        let (flag, inline): (&str, Option<&str>) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (arg, None),
        };
        let mut value = |flag: &str| {
            inline
                .or_else(|| rest.next().copied())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag {
            "--name" => name = Some(value("--name")?.trim().to_owned()),
            "--scopes" | "--scope" => scopes.extend(
                value("--scopes")?
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            other => return Err(format!("unknown option `{other}` of `partner create`")),
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or("`partner create` needs --name NAME")?;
    let scopes = crate::partners::parse_scopes(scopes.iter().map(String::as_str))
        .map_err(|unknown| unknown.to_string())?;
    Ok(Command::PartnerCreate { name, scopes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        assert_eq!(parse::<_, &str>([]), Ok(Command::Serve));
        assert_eq!(parse(["serve"]), Ok(Command::Serve));
        assert_eq!(parse(["migrate"]), Ok(Command::Migrate));
        assert_eq!(parse(["openapi"]), Ok(Command::OpenApi));
        assert_eq!(parse(["--help"]), Ok(Command::Help));
        assert_eq!(parse(["help"]), Ok(Command::Help));
        assert_eq!(
            parse(["serve", "--help"]),
            Ok(Command::CommandHelp(SERVE_HELP))
        );
        assert_eq!(
            parse(["help", "partner", "create"]),
            Ok(Command::CommandHelp(PARTNER_CREATE_HELP))
        );
        assert_eq!(
            parse(["seed-demo", "-h"]),
            Ok(Command::CommandHelp(SEED_DEMO_HELP))
        );
        assert!(parse(["help", "frobnicate"]).is_err());
        assert!(parse(["frobnicate"]).unwrap_err().contains("frobnicate"));
        assert!(parse(["serve", "extra"]).is_err());
        assert_eq!(
            parse(["partner", "create", "--name", "Acme Distribution"]),
            Ok(Command::PartnerCreate {
                name: "Acme Distribution".to_owned(),
                scopes: vec![],
            })
        );
        assert_eq!(
            parse([
                "partner",
                "create",
                "--name=X",
                "--scopes",
                "orders:read,webhooks:manage"
            ]),
            Ok(Command::PartnerCreate {
                name: "X".to_owned(),
                scopes: vec!["orders:read".to_owned(), "webhooks:manage".to_owned()],
            })
        );
        assert!(parse(["partner", "create"]).is_err());
        assert!(parse(["partner", "create", "--name", "X", "--scopes", "admin"]).is_err());
    }

    #[test]
    fn help_lists_commands_and_variables() {
        let help = help();
        for word in [
            "serve",
            "migrate",
            "openapi",
            "CLP_DATABASE_URL",
            "CLP_JWT_SECRET",
        ] {
            assert!(help.contains(word), "{word}");
        }
    }
}
