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
    /// Print the usage and exit.
    Help,
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
  help       print this help (also -h, --help)
";

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
        return Ok(Command::Help);
    }
    match args.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["openapi"] => Ok(Command::OpenApi),
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
    let scopes = crate::partners::parse_scopes(scopes.iter().map(String::as_str))?;
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
        assert_eq!(parse(["serve", "--help"]), Ok(Command::Help));
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
            parse(["partner", "create", "--name=X", "--scopes", "orders:read,webhooks:manage"]),
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
