//! Configuration of `clp-server`, read once at start-up from the environment (or the
//! equivalent options) by clap: each field of [`Config`] declares one variable, with its
//! default and its help line, so adding a variable is adding a field.
//!
//! Every variable is optional (`make run` works with none set) and an empty value counts as
//! unset. A value that does not parse stops the command with exit status 2 and a message that
//! names the variable (see [`setting`]).

mod setting;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore as _;

use self::setting::{optional, setting};

/// Log output format (`CLP_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable, multi-field lines.
    #[default]
    Pretty,
    /// One JSON object a line.
    Json,
}

impl LogFormat {
    /// `pretty` or `json`.
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim() {
            "pretty" => Ok(Self::Pretty),
            "json" => Ok(Self::Json),
            other => Err(format!("`{other}` is neither `pretty` nor `json`")),
        }
    }
}

/// A secret value whose `Debug` output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The partner created at start when missing (`CLP_PARTNER_BOOTSTRAP=client_id:client_secret`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerBootstrap {
    /// OAuth2 client ID.
    pub client_id: String,
    /// OAuth2 client secret.
    pub client_secret: Secret,
}

/// The XDR console URL of each region (`CLP_XDR_CONSOLE_URLS` overrides the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdrConsoleUrls(BTreeMap<String, String>);

impl XdrConsoleUrls {
    /// The production console of each region, keyed by the lower-case region code.
    pub const DEFAULTS: &'static [(&'static str, &'static str)] = &[
        ("us", "https://portal.xdr.trendmicro.com"),
        ("eu", "https://portal.eu.xdr.trendmicro.com"),
        ("jp", "https://portal.xdr.trendmicro.co.jp"),
        ("sg", "https://portal.sg.xdr.trendmicro.com"),
        ("au", "https://portal.au.xdr.trendmicro.com"),
        ("in", "https://portal.in.xdr.trendmicro.com"),
        ("mea", "https://portal.mea.xdr.trendmicro.com"),
        ("uk", "https://portal.uk.xdr.trendmicro.com"),
        ("ca", "https://portal.ca.xdr.trendmicro.com"),
    ];

    /// The console URL of `region` (lower-case code such as `us`, as `Region::as_str` gives).
    pub fn get(&self, region: &str) -> Option<&str> {
        self.0.get(region).map(String::as_str)
    }

    /// The defaults with `overrides` (`us=https://...,jp=https://...`) applied.
    pub fn parse(overrides: &str) -> Result<Self, String> {
        let mut urls = Self::default();
        for item in overrides
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (region, url) = item
                .split_once('=')
                .ok_or_else(|| format!("`{item}` is not REGION=URL"))?;
            let region = region.trim().to_ascii_lowercase();
            if !urls.0.contains_key(&region) {
                let known: Vec<&str> = Self::DEFAULTS.iter().map(|(r, _)| *r).collect();
                return Err(format!(
                    "unknown region `{region}` (known: {})",
                    known.join(", ")
                ));
            }
            let url = parse_http_url(url.trim())?;
            urls.0.insert(region, url);
        }
        Ok(urls)
    }
}

impl Default for XdrConsoleUrls {
    fn default() -> Self {
        Self(
            Self::DEFAULTS
                .iter()
                .map(|(r, u)| ((*r).to_owned(), (*u).to_owned()))
                .collect(),
        )
    }
}

/// A configuration variable that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The variable is set to a value that does not parse.
    #[error("{var}: {message}")]
    Invalid {
        /// The environment variable.
        var: &'static str,
        /// What is wrong, and what is expected.
        message: String,
    },
    /// A file the configuration needs could not be read or written.
    #[error("{context} ({path}): {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The whole configuration of the server. Each field is one variable, `CLP_X` or the option
/// `--x`, with its default; its doc comment is its line in `--help`.
///
/// Secrets (and URLs that may carry a password) are declared with `hide_env_values`, so that
/// `--help` names them without printing their values. A variable without a default is spelled
/// `std::option::Option<T>` with a hidden empty default: see [`setting::optional`].
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Configuration (environment variables, or these options)")]
pub struct Config {
    /// Listen address, HOST:PORT (port 0 picks a free port; 0.0.0.0:8080 listens on every
    /// interface)
    #[arg(long, env = "CLP_BIND", default_value = "127.0.0.1:8080",
          value_parser = setting(text))]
    pub bind: String,
    /// Database: sqlite://PATH?mode=rwc or postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    #[arg(long, env = "CLP_DATABASE_URL", hide_env_values = true,
          default_value = "sqlite://data/clp.db?mode=rwc", value_parser = setting(database_url))]
    pub database_url: String,
    /// Base URL of the links in emails and of the URLs printed by seed-demo (https:// makes the
    /// session cookie Secure)
    #[arg(long, env = "CLP_PUBLIC_URL", default_value = "http://127.0.0.1:8080",
          value_parser = setting(parse_http_url))]
    pub public_url: String,
    /// SMTP server of the mail, e.g. smtp://127.0.0.1:2525 (smtps://, ?tls=required,
    /// user:password@ as well); unset: mail is written to CLP_OUTBOX_DIR and the link is logged
    #[arg(long, env = "CLP_SMTP_URL", hide_env_values = true, default_value = "",
          hide_default_value = true, value_parser = optional(secret))]
    pub smtp_url: std::option::Option<Secret>,
    /// Lifetime of a verification link, a duration such as 2s, 15m or 24h
    #[arg(long, env = "CLP_VERIFICATION_TTL", default_value = "24h",
          value_parser = setting(duration))]
    pub verification_ttl: Duration,
    /// Lifetime of a password reset link, a duration such as 15m or 1h
    #[arg(long, env = "CLP_PASSWORD_RESET_TTL", default_value = "1h",
          value_parser = setting(duration))]
    pub password_reset_ttl: Duration,
    /// How long an account that holds nothing may stay unverified before the sweeper deletes
    /// it, a duration such as 12h or 7d
    #[arg(long, env = "CLP_UNVERIFIED_ACCOUNT_TTL", default_value = "7d",
          value_parser = setting(duration))]
    pub unverified_account_ttl: Duration,
    /// Key signing the customer and partner tokens, at least 32 bytes; unset: generated on first
    /// run and stored in CLP_DATA_DIR/jwt_secret
    // Empty when unset until `Config::try_from(ConfigArgs)` reads or generates it.
    #[arg(long, env = "CLP_JWT_SECRET", hide_env_values = true, default_value = "",
          hide_default_value = true, value_parser = setting(jwt_secret))]
    pub jwt_secret: Secret,
    /// client_id:client_secret of a partner created at start if missing
    #[arg(long, env = "CLP_PARTNER_BOOTSTRAP", hide_env_values = true, default_value = "",
          hide_default_value = true, value_parser = optional(parse_partner_bootstrap))]
    pub partner_bootstrap: std::option::Option<PartnerBootstrap>,
    /// Requests per minute per client IP and route group: key and link token routes (preview,
    /// registrations, activations/verify, accounts/verify-email, and activations when not signed
    /// in), sign-in, sign-up, and the partner token route (oauth/token); 0 turns it off
    #[arg(long, env = "CLP_RATE_LIMIT_PER_MIN", default_value = "60",
          value_parser = setting(requests_per_minute))]
    pub rate_limit_per_min: u32,
    /// 1: take the client IP of rate limiting and of the audit trail from Forwarded /
    /// X-Forwarded-For (set it only behind a proxy that writes them); 0: the peer address
    // A `bool` is a flag to clap unless told that it takes a value.
    #[arg(long, env = "CLP_TRUST_PROXY", default_value = "0", action = clap::ArgAction::Set,
          value_parser = setting(switch))]
    pub trust_proxy: bool,
    /// How often expired activations and old rate limit windows are swept, a duration such as
    /// 500ms, 30s or 5m
    #[arg(long, env = "CLP_SWEEP_INTERVAL", default_value = "30s",
          value_parser = setting(duration))]
    pub sweep_interval: Duration,
    /// Log output: pretty or json (one JSON object a line); RUST_LOG filters (default info)
    #[arg(long, env = "CLP_LOG_FORMAT", default_value = "pretty",
          value_parser = setting(LogFormat::parse))]
    pub log_format: LogFormat,
    /// The built web app, served at /
    #[arg(long, env = "CLP_STATIC_DIR", default_value = "frontend/dist",
          value_parser = setting(path))]
    pub static_dir: PathBuf,
    /// Base URL of the Vision One provisioning API; unset: provisioning is simulated
    #[arg(long, env = "CLP_VISION_ONE_URL", default_value = "", hide_default_value = true,
          value_parser = optional(parse_http_url))]
    pub vision_one_url: std::option::Option<String>,
    /// Where mail goes without SMTP
    #[arg(long, env = "CLP_OUTBOX_DIR", default_value = "data/outbox",
          value_parser = setting(path))]
    pub outbox_dir: PathBuf,
    /// Overrides of the XDR console of each region (us, eu, jp, sg, au, in, mea, uk, ca), e.g.
    /// us=https://portal.xdr.example,jp=https://portal.jp.example; unset: the Trend Micro consoles
    #[arg(long, env = "CLP_XDR_CONSOLE_URLS", default_value = "", hide_default_value = true,
          value_parser = setting(XdrConsoleUrls::parse))]
    pub xdr_console_urls: XdrConsoleUrls,
    /// Directory of the generated JWT secret
    #[arg(long, env = "CLP_DATA_DIR", default_value = "data",
          value_parser = setting(path))]
    pub data_dir: PathBuf,
}

/// The configuration as clap parsed it, before the JWT secret is read or generated:
/// `Config::try_from` completes it, and is the only way to a [`Config`].
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    parsed: Config,
}

impl ConfigArgs {
    /// The configuration given by `options` (`--bind=...`) and the defaults, leaving the
    /// environment out: for tests, which must not depend on the developer's `CLP_*` variables.
    pub fn from_options<I, T>(options: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{Args as _, FromArgMatches as _};
        let mut command =
            Self::augment_args(clap::Command::new("clp-server")).mut_args(|arg| arg.env(None));
        let program = std::iter::once(std::ffi::OsString::from("clp-server"));
        let matches =
            command.try_get_matches_from_mut(program.chain(options.into_iter().map(Into::into)))?;
        Self::from_arg_matches(&matches)
    }
}

impl TryFrom<ConfigArgs> for Config {
    type Error = ConfigError;

    /// Without `CLP_JWT_SECRET`, the secret is read from `CLP_DATA_DIR/jwt_secret`, or
    /// generated there with a CSPRNG on first run.
    fn try_from(args: ConfigArgs) -> Result<Self, ConfigError> {
        let mut config = args.parsed;
        if config.jwt_secret.expose().is_empty() {
            config.jwt_secret = load_or_create_jwt_secret(&config.data_dir.join("jwt_secret"))?;
        }
        Ok(config)
    }
}

impl Config {
    /// A configuration for tests: `database_url`, port 0 on 127.0.0.1, a random in-memory JWT
    /// secret, no rate limit, and every directory inside a fresh directory under the system
    /// temporary directory (no SPA is built there; set [`Config::static_dir`] to serve one);
    /// the defaults otherwise, whatever the environment says.
    #[expect(
        clippy::expect_used,
        reason = "test support: the defaults parse (config::tests::defaults_follow_the_contract)"
    )]
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        let scratch = std::env::temp_dir().join(format!("clp-test-{}", uuid::Uuid::new_v4()));
        let mut config = ConfigArgs::from_options::<_, &str>([])
            .expect("the defaults parse")
            .parsed;
        config.bind = "127.0.0.1:0".to_owned();
        config.database_url = database_url.into();
        config.jwt_secret = generate_secret();
        config.rate_limit_per_min = 0;
        config.static_dir = scratch.join("static");
        config.outbox_dir = scratch.join("outbox");
        config.data_dir = scratch;
        config
    }

    /// Whether the public URL is HTTPS, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn text(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

fn path(value: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(value))
}

fn secret(value: &str) -> Result<Secret, String> {
    Ok(Secret::new(value))
}

/// The message leaves the URL out: it may carry a password.
fn database_url(value: &str) -> Result<String, String> {
    if ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| value.starts_with(scheme))
    {
        Ok(value.to_owned())
    } else {
        Err("expected a sqlite://... or postgres://... URL".to_owned())
    }
}

/// A humantime duration (`500ms`, `30s`, `24h`, `1h 30m`) longer than zero.
fn duration(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let duration = humantime::parse_duration(value)
        .map_err(|e| format!("`{value}` is not a duration such as 500ms, 30s, 15m or 24h ({e})"))?;
    if duration.is_zero() {
        return Err("must be longer than zero".to_owned());
    }
    Ok(duration)
}

/// At least 32 bytes; empty stands for unset (see `Config::try_from`).
fn jwt_secret(value: &str) -> Result<Secret, String> {
    if !value.is_empty() && value.len() < 32 {
        return Err(format!(
            "is {} bytes long; use at least 32 random bytes (or unset it to have one generated)",
            value.len()
        ));
    }
    Ok(Secret::new(value))
}

fn requests_per_minute(value: &str) -> Result<u32, String> {
    let value = value.trim();
    value
        .parse()
        .map_err(|_| format!("`{value}` is not a whole number of requests (0 turns it off)"))
}

fn switch(value: &str) -> Result<bool, String> {
    match value.trim() {
        "0" | "false" | "no" => Ok(false),
        "1" | "true" | "yes" => Ok(true),
        other => Err(format!("`{other}` is neither 1 nor 0")),
    }
}

/// `url` without a trailing slash, if it is an absolute http(s) URL.
fn parse_http_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http:// or https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err(format!("`{url}` has no host"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn parse_partner_bootstrap(value: &str) -> Result<PartnerBootstrap, String> {
    let (id, secret) = value
        .trim()
        .split_once(':')
        .ok_or_else(|| "expected client_id:client_secret".to_owned())?;
    if id.is_empty() || secret.is_empty() {
        return Err("expected client_id:client_secret, both non-empty".to_owned());
    }
    Ok(PartnerBootstrap {
        client_id: id.to_owned(),
        client_secret: Secret::new(secret),
    })
}

/// 32 bytes from the operating system's CSPRNG, hex encoded.
fn generate_secret() -> Secret {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Secret::new(hex::encode(bytes))
}

fn load_or_create_jwt_secret(path: &Path) -> Result<Secret, ConfigError> {
    let io = |context: &'static str| {
        move |source| ConfigError::Io {
            context,
            path: path.to_owned(),
            source,
        }
    };
    match std::fs::read_to_string(path) {
        Ok(content) => {
            let content = content.trim();
            if content.len() < 32 {
                return Err(ConfigError::Invalid {
                    var: "CLP_JWT_SECRET",
                    message: format!(
                        "the stored secret {} is shorter than 32 bytes; delete it to have a new one generated",
                        path.display()
                    ),
                });
            }
            Ok(Secret::new(content))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io("cannot create the data directory"))?;
            }
            let secret = generate_secret();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(io("cannot create the JWT secret file"))?;
            file.write_all(secret.expose().as_bytes())
                .and_then(|()| file.write_all(b"\n"))
                .map_err(io("cannot write the JWT secret file"))?;
            tracing::info!(path = %path.display(), "generated a new JWT secret");
            Ok(secret)
        }
        Err(e) => Err(io("cannot read the JWT secret file")(e)),
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory as _, Parser};

    use super::*;

    /// The configuration options alone, as every command that reads them has them.
    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        config: ConfigArgs,
    }

    /// The parsed `options` (the variables themselves are exercised through the binary in
    /// `tests/configuration.rs`, with the same value parsers).
    fn parse(options: &[&str]) -> Result<Config, String> {
        ConfigArgs::from_options(options)
            .map(|args| args.parsed)
            .map_err(|e| e.to_string())
    }

    fn config(options: &[&str]) -> Result<Config, String> {
        let options = [&["--jwt-secret", SECRET], options].concat();
        let args = ConfigArgs::from_options(options).map_err(|e| e.to_string())?;
        Config::try_from(args).map_err(|e| e.to_string())
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn every_option_is_a_variable_named_after_it() {
        let command = Probe::command();
        let mut variables = Vec::new();
        for arg in command.get_arguments().filter(|a| a.get_id() != "help") {
            let long = arg.get_long().unwrap();
            let expected = format!("CLP_{}", long.replace('-', "_").to_uppercase());
            assert_eq!(arg.get_env(), Some(expected.as_ref()), "--{long}");
            variables.push(expected);
        }
        assert_eq!(variables.len(), 18, "{variables:?}");
    }

    #[test]
    fn help_never_shows_the_value_of_a_secret() {
        let command = Probe::command();
        for variable in [
            "CLP_JWT_SECRET",
            "CLP_SMTP_URL",
            "CLP_PARTNER_BOOTSTRAP",
            "CLP_DATABASE_URL",
        ] {
            let arg = command
                .get_arguments()
                .find(|a| a.get_env() == Some(variable.as_ref()))
                .unwrap();
            assert!(arg.is_hide_env_values_set(), "{variable}");
        }
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/clp.db?mode=rwc");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(c.verification_ttl, Duration::from_secs(86_400));
        assert_eq!(c.password_reset_ttl, Duration::from_secs(3_600));
        assert_eq!(c.unverified_account_ttl, Duration::from_secs(7 * 86_400));
        assert_eq!(c.rate_limit_per_min, 60);
        assert!(!c.trust_proxy);
        assert_eq!(c.sweep_interval, Duration::from_secs(30));
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.static_dir, PathBuf::from("frontend/dist"));
        assert_eq!(c.outbox_dir, PathBuf::from("data/outbox"));
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert!(c.smtp_url.is_none() && c.partner_bootstrap.is_none());
        assert!(c.vision_one_url.is_none());
        assert_eq!(c.xdr_console_urls, XdrConsoleUrls::default());
        assert_eq!(
            c.xdr_console_urls.get("jp"),
            Some("https://portal.xdr.trendmicro.co.jp")
        );
    }

    #[test]
    fn the_test_configuration_is_the_defaults_on_port_0_without_rate_limit() {
        let c = Config::for_tests("sqlite::memory:");
        assert_eq!(c.bind, "127.0.0.1:0");
        assert_eq!(c.database_url, "sqlite::memory:");
        assert_eq!(c.jwt_secret.expose().len(), 64);
        assert_eq!(c.rate_limit_per_min, 0);
        assert!(c.outbox_dir.starts_with(&c.data_dir) && c.static_dir.starts_with(&c.data_dir));
        assert_eq!(c.verification_ttl, Duration::from_secs(86_400));
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn a_blank_value_counts_as_unset() {
        let blank: Vec<String> = Probe::command()
            .get_arguments()
            .filter_map(|a| a.get_long())
            .filter(|long| *long != "help" && *long != "jwt-secret")
            .map(|long| format!("--{long}= "))
            .collect();
        let blank: Vec<&str> = blank.iter().map(String::as_str).collect();
        let c = config(&blank).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/clp.db?mode=rwc");
        assert_eq!(c.verification_ttl, Duration::from_secs(86_400));
        assert_eq!(c.rate_limit_per_min, 60);
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert!(c.smtp_url.is_none() && c.partner_bootstrap.is_none());
        assert!(c.vision_one_url.is_none());
        assert_eq!(c.xdr_console_urls, XdrConsoleUrls::default());
        assert_eq!(parse(&["--jwt-secret= "]).unwrap().jwt_secret.expose(), "");
    }

    #[test]
    fn errors_name_the_setting_and_never_the_secret() {
        for (option, value) in [
            ("--verification-ttl", "soon"),
            ("--rate-limit-per-min", "-1"),
            ("--log-format", "xml"),
            ("--public-url", "example.com"),
            ("--vision-one-url", "ftp://x"),
            ("--partner-bootstrap", "no-colon-s3cret"),
            ("--xdr-console-urls", "mars=https://x.example"),
            ("--jwt-secret", "short-s3cret"),
            ("--database-url", "mysql://root:s3cret@x"),
            ("--trust-proxy", "maybe"),
            ("--sweep-interval", "0s"),
        ] {
            let err = config(&[&format!("{option}={value}")]).unwrap_err();
            assert!(err.contains(option), "{option}: {err}");
            assert!(!err.contains("s3cret"), "{option}: {err}");
        }
    }

    #[test]
    fn values_are_parsed() {
        let c = config(&[
            "--verification-ttl=2s",
            "--public-url=https://clp.example/",
            "--partner-bootstrap=acme:s3cr:et",
            "--log-format=json",
            "--trust-proxy=1",
            "--sweep-interval=500ms",
            "--vision-one-url=http://127.0.0.1:9100/",
            "--xdr-console-urls=us=http://127.0.0.1:9000/, JP=https://jp.example",
        ])
        .unwrap();
        assert_eq!(c.verification_ttl, Duration::from_secs(2));
        assert_eq!(c.public_url, "https://clp.example");
        assert!(c.is_https());
        let p = c.partner_bootstrap.unwrap();
        assert_eq!(
            (p.client_id.as_str(), p.client_secret.expose()),
            ("acme", "s3cr:et")
        );
        assert!(!format!("{:?}", p.client_secret).contains("s3cr"));
        assert_eq!(c.log_format, LogFormat::Json);
        assert!(c.trust_proxy);
        assert_eq!(c.sweep_interval, Duration::from_millis(500));
        assert_eq!(c.vision_one_url.as_deref(), Some("http://127.0.0.1:9100"));
        assert_eq!(c.xdr_console_urls.get("us"), Some("http://127.0.0.1:9000"));
        assert_eq!(c.xdr_console_urls.get("jp"), Some("https://jp.example"));
        assert_eq!(
            c.xdr_console_urls.get("eu"),
            Some("https://portal.eu.xdr.trendmicro.com")
        );
        assert_eq!(c.jwt_secret.expose(), SECRET);
    }

    #[test]
    fn jwt_secret_is_generated_once_and_read_afterwards() {
        let dir = std::env::temp_dir().join(format!("clp-config-{}", uuid::Uuid::new_v4()));
        let data = dir.join("data");
        let data = format!("--data-dir={}", data.to_str().unwrap());
        let load = || {
            let args = ConfigArgs::from_options([&data]).unwrap();
            Config::try_from(args).unwrap().jwt_secret
        };
        let first = load();
        let second = load();
        assert_eq!(first, second);
        assert_eq!(first.expose().len(), 64);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
