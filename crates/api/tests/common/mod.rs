//! Test harness: the real server on port 0 over a fresh database, on SQLite and PostgreSQL.
//!
//! ```text
//! #[tokio::test]
//! async fn preview_leaves_out_registered_lines() {
//!     for_each_db(|db| async move {
//!         let app = spawn_app(db).await;
//!         let response = app.post_json("/api/v1/preview", &json!({"key": "..."})).await;
//!         assert_eq!(response.status(), 200);
//!     })
//!     .await;
//! }
//! ```
//!
//! `CLP_TEST_DATABASES` selects the databases (`sqlite,postgres` by default);
//! `CLP_TEST_POSTGRES_URL` is the server (default `postgres://postgres@127.0.0.1:5432`).
//! Each app gets its own database: a file in a temporary directory, or a uniquely named
//! PostgreSQL database that is dropped when the [`TestApp`] is dropped.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the harness"
)]
#![expect(
    clippy::expect_used,
    reason = "test harness: a failure to set up must fail the test"
)]

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use clp_api::config::Config;
use clp_api::startup::Application;
use futures_util::FutureExt as _;
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection};

/// A database backend the suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDb {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server.
    Postgres,
}

impl fmt::Display for TestDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TestDb::Sqlite => "sqlite",
            TestDb::Postgres => "postgres",
        })
    }
}

/// The databases selected by `CLP_TEST_DATABASES` (default: both).
pub fn selected_databases() -> Vec<TestDb> {
    let list = std::env::var("CLP_TEST_DATABASES").unwrap_or_else(|_| "sqlite,postgres".into());
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "sqlite" => TestDb::Sqlite,
            "postgres" | "postgresql" => TestDb::Postgres,
            other => panic!("CLP_TEST_DATABASES: unknown database `{other}` (sqlite, postgres)"),
        })
        .collect()
}

/// Runs `test` once per selected database; a failure names the database it failed on.
pub async fn for_each_db<F, Fut>(test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    for db in selected_databases() {
        if let Err(panic) = AssertUnwindSafe(test(db)).catch_unwind().await {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(non-string panic)");
            panic!("[{db}] {message}");
        }
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The bound port.
    pub port: u16,
    /// A client with a cookie store and no automatic redirects.
    pub client: reqwest::Client,
    /// The database URL the server uses.
    pub db_url: String,
    /// A connection of the test's own to the same database (to arrange or inspect data).
    pub db: DatabaseConnection,
    /// Which backend this is.
    pub backend: TestDb,
    /// Where the app writes its mail as `.eml` files (`Config::outbox_dir`; no SMTP in tests).
    pub outbox_dir: PathBuf,
    _database: DatabaseGuard,
}

impl TestApp {
    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed")
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST failed")
    }

    /// The `client_ip` of every audit event of `kind`, oldest first.
    pub async fn audit_client_ips(&self, kind: &str) -> Vec<Option<String>> {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Order, Query};
        let rows = self
            .db
            .query_all(
                &Query::select()
                    .column(Alias::new("client_ip"))
                    .from(Alias::new("audit_events"))
                    .and_where(Expr::col(Alias::new("kind")).eq(kind))
                    .order_by(Alias::new("id"), Order::Asc)
                    .to_owned(),
            )
            .await
            .expect("read the audit trail");
        rows.iter()
            .map(|row| row.try_get("", "client_ip").expect("client_ip"))
            .collect()
    }

    /// The emails the app has written to `to` so far, oldest first.
    pub fn delivered_mails(&self, to: &str) -> Vec<DeliveredMail> {
        delivered_mails(&self.outbox_dir, to)
    }

    /// The tokens of the links `...{path}?token=...` in the emails written to `to`, oldest
    /// first, once there are at least `count` such emails (the outbox worker delivers shortly
    /// after the request that queued them): polls for up to 10 seconds.
    pub async fn link_tokens(&self, to: &str, path: &str, count: usize) -> Vec<String> {
        wait_for_link_tokens(&self.outbox_dir, to, path, count).await
    }
}

/// An email written by the file transport (no SMTP configured).
#[derive(Debug, Clone)]
pub struct DeliveredMail {
    /// When the file was written.
    pub modified: SystemTime,
    /// The message with each MIME part decoded (quoted-printable or base64), headers kept.
    pub decoded: String,
}

impl DeliveredMail {
    /// The token of the first link `...{path}?token=...` in the message, if any.
    pub fn link_token(&self, path: &str) -> Option<String> {
        let marker = format!("{path}?token=");
        let start = self.decoded.find(&marker)? + marker.len();
        let token: String = self.decoded[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
            .collect();
        (!token.is_empty()).then_some(token)
    }
}

/// The `.eml` files in `dir` addressed to `to` (case-insensitive), oldest first.
pub fn delivered_mails(dir: &Path, to: &str) -> Vec<DeliveredMail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut mails: Vec<(SystemTime, PathBuf, DeliveredMail)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .filter_map(|path| {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
            let raw = std::fs::read_to_string(&path).ok()?;
            // A file still being written (no closing MIME boundary yet, which ends with `--`)
            // is picked up by the next poll, never read half.
            if !raw.trim_end().ends_with("--") {
                return None;
            }
            let recipient = top_header(&raw, "to")?;
            recipient.eq_ignore_ascii_case(to.trim()).then(|| {
                let mail = DeliveredMail {
                    modified,
                    decoded: decode_mime(&raw),
                };
                (modified, path, mail)
            })
        })
        .collect();
    mails.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    mails.into_iter().map(|(_, _, mail)| mail).collect()
}

/// Polls `dir` until at least `count` emails to `to` carry a `{path}?token=` link; their
/// tokens, oldest first.
pub async fn wait_for_link_tokens(dir: &Path, to: &str, path: &str, count: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let tokens: Vec<String> = delivered_mails(dir, to)
            .iter()
            .filter_map(|mail| mail.link_token(path))
            .collect();
        if tokens.len() >= count.max(1) {
            return tokens;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} email(s) to {to} with a {path} link after 10 s, expected {count} (in {})",
            tokens.len(),
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The value of header `name` in the top-level header block of `raw`, unfolded.
fn top_header(raw: &str, name: &str) -> Option<String> {
    let mut value: Option<String> = None;
    for line in raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.is_empty() {
            break;
        }
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(line.trim());
                continue;
            }
            return value;
        }
        if let Some((key, rest)) = line.split_once(':')
            && key.trim().eq_ignore_ascii_case(name)
        {
            value = Some(rest.trim().to_owned());
        }
    }
    value
}

/// `raw` with the body of every MIME part decoded by its `Content-Transfer-Encoding`
/// (`quoted-printable`: soft line breaks and `=XX` escapes such as `=3D`; `base64`), so links
/// and text can be searched. Header blocks are kept (unfolded).
pub fn decode_mime(raw: &str) -> String {
    let mut out = String::new();
    let mut boundaries: Vec<String> = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let mut in_headers = true;
    let mut encoding = String::new();
    let mut body: Vec<&str> = Vec::new();
    for line in raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if in_headers {
            if line.is_empty() {
                for header in &headers {
                    let lower = header.to_ascii_lowercase();
                    if let Some(at) = lower.find("boundary=") {
                        let value = header[at + "boundary=".len()..]
                            .split(';')
                            .next()
                            .unwrap_or_default()
                            .trim()
                            .trim_matches('"');
                        boundaries.push(value.to_owned());
                    }
                    if let Some(value) = lower.strip_prefix("content-transfer-encoding:") {
                        value.trim().clone_into(&mut encoding);
                    }
                    out.push_str(header);
                    out.push('\n');
                }
                out.push('\n');
                headers.clear();
                in_headers = false;
            } else if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.push(' ');
                    last.push_str(line.trim());
                }
            } else {
                headers.push(line.to_owned());
            }
            continue;
        }
        let marker = line.trim_end().strip_prefix("--").and_then(|rest| {
            boundaries.iter().find_map(|b| {
                if rest == b {
                    Some(false)
                } else {
                    rest.strip_suffix("--").filter(|r| r == b).map(|_| true)
                }
            })
        });
        match marker {
            Some(closing) => {
                out.push_str(&decode_body(&body, &encoding));
                out.push_str(line);
                out.push('\n');
                body.clear();
                encoding.clear();
                in_headers = !closing;
            }
            None => body.push(line),
        }
    }
    out.push_str(&decode_body(&body, &encoding));
    out
}

fn decode_body(lines: &[&str], encoding: &str) -> String {
    match encoding {
        "base64" => {
            use base64::Engine as _;
            let joined: String = lines.concat().split_whitespace().collect();
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default()
        }
        "quoted-printable" => decode_quoted_printable(&lines.join("\n")),
        _ => lines.join("\n"),
    }
}

/// Decodes quoted-printable text: soft line breaks (`=` at the end of a line) are removed and
/// `=XX` escapes (`=3D` is `=`) become their bytes.
pub fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = joined.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut decoded = String::from_utf8_lossy(&out).into_owned();
    decoded.push('\n');
    decoded
}

/// Starts the app on port 0 over a fresh `db` with [`Config::for_tests`].
pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// Like [`spawn_app`], letting `customize` change the configuration first.
pub async fn spawn_app_with(db: TestDb, customize: impl FnOnce(&mut Config)) -> TestApp {
    let database = DatabaseGuard::create(db).await;
    let mut config = Config::for_tests(database.url.clone());
    customize(&mut config);
    let outbox_dir = config.outbox_dir.clone();
    let application = Application::build(config)
        .await
        .unwrap_or_else(|e| panic!("[{db}] the app does not start: {e}"));
    let port = application.port();
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("cannot build the HTTP client");
    let connection = Database::connect(database.url.as_str())
        .await
        .expect("cannot open the test's own database connection");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        db_url: database.url.clone(),
        db: connection,
        backend: db,
        outbox_dir,
        _database: database,
    }
}

/// Starts another app on the database of `existing` (as a second `clp-server` process sharing
/// one database would), letting `customize` change its configuration. The database stays owned
/// by `existing`.
pub async fn spawn_app_on(existing: &TestApp, customize: impl FnOnce(&mut Config)) -> TestApp {
    let db = existing.backend;
    let mut config = Config::for_tests(existing.db_url.clone());
    customize(&mut config);
    let outbox_dir = config.outbox_dir.clone();
    let application = Application::build(config)
        .await
        .unwrap_or_else(|e| panic!("[{db}] the second app does not start: {e}"));
    let port = application.port();
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("cannot build the HTTP client");
    let connection = Database::connect(existing.db_url.as_str())
        .await
        .expect("cannot open the test's own database connection");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        db_url: existing.db_url.clone(),
        db: connection,
        backend: db,
        outbox_dir,
        _database: DatabaseGuard {
            url: existing.db_url.clone(),
            cleanup: Cleanup::Borrowed,
        },
    }
}

/// Owns a test database and removes it on drop.
struct DatabaseGuard {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[expect(dead_code, reason = "held for its Drop")] tempfile::TempDir),
    Postgres {
        server: String,
        name: String,
    },
    /// Another [`TestApp`] owns the database.
    Borrowed,
}

fn postgres_server() -> String {
    std::env::var("CLP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// A short-timeout connection to the server's `postgres` database, to create and drop others.
fn admin_options(server: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(format!("{server}/postgres"));
    options
        .max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    options
}

impl DatabaseGuard {
    async fn create(db: TestDb) -> Self {
        match db {
            TestDb::Sqlite => {
                let dir = tempfile::tempdir().expect("cannot create a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("clp.db").display());
                Self {
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
            TestDb::Postgres => {
                let server = postgres_server();
                let admin = Database::connect(admin_options(&server))
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "PostgreSQL is selected (CLP_TEST_DATABASES) but {server} is \
                             unreachable: {e}. Start it, or run with CLP_TEST_DATABASES=sqlite."
                        )
                    });
                let name = format!("clp_test_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
                let _ = admin.close().await;
                Self {
                    url: format!("{server}/{name}"),
                    cleanup: Cleanup::Postgres { server, name },
                }
            }
        }
    }
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        let Cleanup::Postgres { server, name } = &self.cleanup else {
            return;
        };
        let (server, name) = (server.clone(), name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with
        // its own runtime. FORCE ends the server's still-open pool connections.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cannot build a runtime to drop the test database");
            runtime.block_on(async {
                let admin = Database::connect(admin_options(&server)).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                admin.close().await
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("warning: could not drop a test database: {e}");
        }
    }
}
