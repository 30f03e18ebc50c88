//! Configuration of `clp-server`, read once from the environment at start-up.
//!
//! Every variable is optional (`make run` works with none set); see [`CONFIG_HELP`] for the
//! list. Parse errors name the variable, so a typo in a deployment fails loudly at start.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore as _;

/// Documentation of every environment variable, printed by `clp-server --help`.
pub const CONFIG_HELP: &str = "\
Environment (all optional):
  CLP_BIND                 listen address [default: 127.0.0.1:8080]
  CLP_DATABASE_URL         sqlite://PATH?mode=rwc or postgres://USER@HOST/DB
                           [default: sqlite://data/clp.db?mode=rwc]
  CLP_PUBLIC_URL           base URL of links in emails [default: http://127.0.0.1:8080]
  CLP_SMTP_URL             e.g. smtp://127.0.0.1:2525; unset: mail is written to
                           CLP_OUTBOX_DIR and the link is logged
  CLP_VERIFICATION_TTL     verification link lifetime, humantime (2s, 15m, 24h) [default: 24h]
  CLP_JWT_SECRET           token signing key (at least 32 bytes); unset: generated on first
                           run and stored in CLP_DATA_DIR/jwt_secret
  CLP_PARTNER_BOOTSTRAP    client_id:client_secret of a partner created at start if missing
  CLP_RATE_LIMIT_PER_MIN   requests per minute per client IP and route group: key and link
                           token routes (preview, registrations, activations/verify,
                           accounts/verify-email, and activations when not signed in),
                           sign-in, sign-up, and the partner token route (oauth/token);
                           0 turns it off [default: 60]
  CLP_TRUST_PROXY          1: take the client IP of rate limiting and of the audit trail
                           from Forwarded / X-Forwarded-For (set it only behind a proxy
                           that writes them); 0: the peer address [default: 0]
  CLP_SWEEP_INTERVAL       how often expired activations and old rate limit windows are
                           swept, humantime [default: 30s]
  CLP_LOG_FORMAT           pretty | json [default: pretty]; RUST_LOG filters (default info)
  CLP_STATIC_DIR           the built SPA served at / [default: frontend/dist]
  CLP_VISION_ONE_URL       base URL of the Vision One provisioning API; unset: provisioning
                           is simulated
  CLP_OUTBOX_DIR           where mail goes without SMTP [default: data/outbox]
  CLP_XDR_CONSOLE_URLS     overrides of the XDR console per region, e.g.
                           us=https://portal.xdr.example,jp=https://portal.jp.example
  CLP_DATA_DIR             directory of the generated JWT secret [default: data]
";

/// Log output format (`CLP_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable, multi-field lines.
    #[default]
    Pretty,
    /// One JSON object a line.
    Json,
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

/// The whole configuration of the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address (`CLP_BIND`), e.g. `127.0.0.1:8080`; port 0 picks a free port.
    pub bind: String,
    /// Database URL (`CLP_DATABASE_URL`): `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// Base URL of links in emails, without a trailing slash (`CLP_PUBLIC_URL`).
    pub public_url: String,
    /// SMTP server URL (`CLP_SMTP_URL`); `None` writes mail to [`Config::outbox_dir`].
    pub smtp_url: Option<Secret>,
    /// Lifetime of verification links (`CLP_VERIFICATION_TTL`).
    pub verification_ttl: Duration,
    /// Key signing customer and partner tokens (`CLP_JWT_SECRET` or the generated file).
    pub jwt_secret: Secret,
    /// Partner created at start when missing (`CLP_PARTNER_BOOTSTRAP`).
    pub partner_bootstrap: Option<PartnerBootstrap>,
    /// Requests per minute per client IP on the rate-limited routes; 0 = off.
    pub rate_limit_per_min: u32,
    /// Whether the client IP comes from `Forwarded`/`X-Forwarded-For` (`CLP_TRUST_PROXY=1`)
    /// rather than the peer address.
    pub trust_proxy: bool,
    /// Interval of the expiry sweeper (`CLP_SWEEP_INTERVAL`).
    pub sweep_interval: Duration,
    /// Log output format (`CLP_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Directory of the built SPA (`CLP_STATIC_DIR`).
    pub static_dir: PathBuf,
    /// Base URL of the Vision One provisioning API (`CLP_VISION_ONE_URL`).
    pub vision_one_url: Option<String>,
    /// Where mail is written without SMTP (`CLP_OUTBOX_DIR`).
    pub outbox_dir: PathBuf,
    /// XDR console URL of each region (`CLP_XDR_CONSOLE_URLS`).
    pub xdr_console_urls: XdrConsoleUrls,
    /// Directory of generated state such as the JWT secret (`CLP_DATA_DIR`).
    pub data_dir: PathBuf,
}

impl Config {
    /// Reads the configuration from the process environment.
    ///
    /// Without `CLP_JWT_SECRET`, the secret is read from `CLP_DATA_DIR/jwt_secret`, or
    /// generated there with a CSPRNG on first run.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let invalid = |var: &'static str, message: String| ConfigError::Invalid { var, message };

        let bind = get("CLP_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let database_url =
            get("CLP_DATABASE_URL").unwrap_or_else(|| "sqlite://data/clp.db?mode=rwc".to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "CLP_DATABASE_URL",
                "expected a sqlite://... or postgres://... URL".to_owned(),
            ));
        }
        let public_url = match get("CLP_PUBLIC_URL") {
            Some(v) => parse_http_url(&v).map_err(|m| invalid("CLP_PUBLIC_URL", m))?,
            None => "http://127.0.0.1:8080".to_owned(),
        };
        let smtp_url = get("CLP_SMTP_URL").map(Secret::new);
        let verification_ttl = match get("CLP_VERIFICATION_TTL") {
            Some(v) => humantime::parse_duration(v.trim()).map_err(|e| {
                invalid(
                    "CLP_VERIFICATION_TTL",
                    format!("`{v}` is not a duration such as 2s, 15m or 24h ({e})"),
                )
            })?,
            None => Duration::from_secs(24 * 60 * 60),
        };
        if verification_ttl.is_zero() {
            return Err(invalid(
                "CLP_VERIFICATION_TTL",
                "must be longer than zero".to_owned(),
            ));
        }
        let partner_bootstrap = match get("CLP_PARTNER_BOOTSTRAP") {
            Some(v) => {
                Some(parse_partner_bootstrap(&v).map_err(|m| invalid("CLP_PARTNER_BOOTSTRAP", m))?)
            }
            None => None,
        };
        let rate_limit_per_min = match get("CLP_RATE_LIMIT_PER_MIN") {
            Some(v) => v.trim().parse::<u32>().map_err(|_| {
                invalid(
                    "CLP_RATE_LIMIT_PER_MIN",
                    format!("`{v}` is not a whole number of requests (0 turns it off)"),
                )
            })?,
            None => 60,
        };
        let trust_proxy = match get("CLP_TRUST_PROXY").as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(other) => {
                return Err(invalid(
                    "CLP_TRUST_PROXY",
                    format!("`{other}` is neither 1 nor 0"),
                ));
            }
        };
        let sweep_interval = match get("CLP_SWEEP_INTERVAL") {
            Some(v) => humantime::parse_duration(v.trim()).map_err(|e| {
                invalid(
                    "CLP_SWEEP_INTERVAL",
                    format!("`{v}` is not a duration such as 500ms, 30s or 5m ({e})"),
                )
            })?,
            None => Duration::from_secs(30),
        };
        if sweep_interval.is_zero() {
            return Err(invalid(
                "CLP_SWEEP_INTERVAL",
                "must be longer than zero".to_owned(),
            ));
        }
        let log_format = match get("CLP_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "CLP_LOG_FORMAT",
                    format!("`{other}` is neither `pretty` nor `json`"),
                ));
            }
        };
        let static_dir =
            get("CLP_STATIC_DIR").map_or_else(|| "frontend/dist".into(), PathBuf::from);
        let vision_one_url = match get("CLP_VISION_ONE_URL") {
            Some(v) => Some(parse_http_url(&v).map_err(|m| invalid("CLP_VISION_ONE_URL", m))?),
            None => None,
        };
        let outbox_dir = get("CLP_OUTBOX_DIR").map_or_else(|| "data/outbox".into(), PathBuf::from);
        let xdr_console_urls = match get("CLP_XDR_CONSOLE_URLS") {
            Some(v) => XdrConsoleUrls::parse(&v).map_err(|m| invalid("CLP_XDR_CONSOLE_URLS", m))?,
            None => XdrConsoleUrls::default(),
        };
        let data_dir = get("CLP_DATA_DIR").map_or_else(|| "data".into(), PathBuf::from);
        let jwt_secret = match get("CLP_JWT_SECRET") {
            Some(v) if v.len() < 32 => {
                return Err(invalid(
                    "CLP_JWT_SECRET",
                    format!(
                        "is {} bytes long; use at least 32 random bytes (or unset it to have one generated)",
                        v.len()
                    ),
                ));
            }
            Some(v) => Secret::new(v),
            None => load_or_create_jwt_secret(&data_dir.join("jwt_secret"))?,
        };

        Ok(Self {
            bind,
            database_url,
            public_url,
            smtp_url,
            verification_ttl,
            jwt_secret,
            partner_bootstrap,
            rate_limit_per_min,
            trust_proxy,
            sweep_interval,
            log_format,
            static_dir,
            vision_one_url,
            outbox_dir,
            xdr_console_urls,
            data_dir,
        })
    }

    /// A configuration for tests: `database_url`, port 0 on 127.0.0.1, a random in-memory JWT
    /// secret, no rate limit, and every directory inside a fresh directory under the system
    /// temporary directory (no SPA is built there; set [`Config::static_dir`] to serve one).
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        let scratch = std::env::temp_dir().join(format!("clp-test-{}", uuid::Uuid::new_v4()));
        Self {
            bind: "127.0.0.1:0".to_owned(),
            database_url: database_url.into(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp_url: None,
            verification_ttl: Duration::from_secs(24 * 60 * 60),
            jwt_secret: generate_secret(),
            partner_bootstrap: None,
            rate_limit_per_min: 0,
            trust_proxy: false,
            sweep_interval: Duration::from_secs(30),
            log_format: LogFormat::Pretty,
            static_dir: scratch.join("static"),
            vision_one_url: None,
            outbox_dir: scratch.join("outbox"),
            xdr_console_urls: XdrConsoleUrls::default(),
            data_dir: scratch,
        }
    }

    /// Whether the public URL is HTTPS, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
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
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(move |name| map.get(name).cloned())
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[("CLP_JWT_SECRET", SECRET)]).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/clp.db?mode=rwc");
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(c.verification_ttl, Duration::from_secs(86_400));
        assert_eq!(c.rate_limit_per_min, 60);
        assert!(!c.trust_proxy);
        assert_eq!(c.sweep_interval, Duration::from_secs(30));
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.static_dir, PathBuf::from("frontend/dist"));
        assert_eq!(c.outbox_dir, PathBuf::from("data/outbox"));
        assert!(c.smtp_url.is_none() && c.partner_bootstrap.is_none());
        assert_eq!(
            c.xdr_console_urls.get("jp"),
            Some("https://portal.xdr.trendmicro.co.jp")
        );
    }

    #[test]
    fn errors_name_the_variable() {
        for (var, value) in [
            ("CLP_VERIFICATION_TTL", "soon"),
            ("CLP_RATE_LIMIT_PER_MIN", "-1"),
            ("CLP_LOG_FORMAT", "xml"),
            ("CLP_PUBLIC_URL", "example.com"),
            ("CLP_PARTNER_BOOTSTRAP", "no-colon"),
            ("CLP_XDR_CONSOLE_URLS", "mars=https://x.example"),
            ("CLP_JWT_SECRET", "short"),
            ("CLP_DATABASE_URL", "mysql://x"),
            ("CLP_TRUST_PROXY", "maybe"),
            ("CLP_SWEEP_INTERVAL", "0s"),
        ] {
            let vars = [("CLP_JWT_SECRET", SECRET), (var, value)];
            let err = config(&vars).unwrap_err().to_string();
            assert!(err.starts_with(var), "{err}");
        }
    }

    #[test]
    fn values_are_parsed() {
        let c = config(&[
            ("CLP_JWT_SECRET", SECRET),
            ("CLP_VERIFICATION_TTL", "2s"),
            ("CLP_PUBLIC_URL", "https://clp.example/"),
            ("CLP_PARTNER_BOOTSTRAP", "acme:s3cr:et"),
            ("CLP_LOG_FORMAT", "json"),
            ("CLP_TRUST_PROXY", "1"),
            ("CLP_SWEEP_INTERVAL", "500ms"),
            (
                "CLP_XDR_CONSOLE_URLS",
                "us=http://127.0.0.1:9000/, JP=https://jp.example",
            ),
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
        assert_eq!(c.xdr_console_urls.get("us"), Some("http://127.0.0.1:9000"));
        assert_eq!(c.xdr_console_urls.get("jp"), Some("https://jp.example"));
        assert_eq!(
            c.xdr_console_urls.get("eu"),
            Some("https://portal.eu.xdr.trendmicro.com")
        );
    }

    #[test]
    fn jwt_secret_is_generated_once_and_read_afterwards() {
        let dir = std::env::temp_dir().join(format!("clp-config-{}", uuid::Uuid::new_v4()));
        let data = dir.join("data");
        let data = data.to_str().unwrap();
        let first = config(&[("CLP_DATA_DIR", data)]).unwrap().jwt_secret;
        let second = config(&[("CLP_DATA_DIR", data)]).unwrap().jwt_secret;
        assert_eq!(first, second);
        assert_eq!(first.expose().len(), 64);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
