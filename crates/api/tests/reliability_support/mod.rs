//! Support of the reliability tests: `clp-server` run as a real process (killed with
//! `kill -9`, or two of them on one database), fresh databases of their own, an SMTP sink that
//! counts what it receives, a TCP proxy in front of PostgreSQL that can be cut, orders inserted
//! directly, customer tokens minted with the server's secret, and database counts.

#![allow(
    dead_code,
    reason = "each reliability test binary uses a different part of the support module"
)]
#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test support: a failed setup fails the test"
)]

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use clp_db::accounts::{self, NewSimplifiedAccount};
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::partners::{self, NewPartner};
use clp_domain::RegistrationKey;
use clp_domain::catalog::Catalog;
use clp_domain::order::{EndCustomer, Order, OrderType};
use sea_orm::{ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection, Statement};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

use crate::common::TestDb;

/// The JWT secret given to every spawned server, so tests can mint customer tokens.
pub const JWT_SECRET: &str = "reliability-tests-jwt-secret-0123456789abcdef";
/// A syntactically valid argon2id PHC string matching no password anyone types: accounts
/// inserted directly (signing in to them is never needed: tokens are minted).
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

// ---------------------------------------------------------------------------------------------
// Databases of spawned servers
// ---------------------------------------------------------------------------------------------

/// A fresh database (SQLite file or PostgreSQL database) not tied to an in-process app;
/// removed on drop.
pub struct ScratchDb {
    /// URL of the database.
    pub url: String,
    /// Which backend.
    pub backend: TestDb,
    /// A scratch directory (SQLite file, outbox, data dir of the servers).
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// The PostgreSQL server of the suite (`CLP_TEST_POSTGRES_URL`).
pub fn postgres_server() -> String {
    std::env::var("CLP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

fn admin_options(server: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(format!("{server}/postgres"));
    options
        .max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    options
}

impl ScratchDb {
    /// Creates an empty database on `backend` (the server migrates it at start).
    pub async fn create(backend: TestDb) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        match backend {
            TestDb::Sqlite => Self {
                url: format!("sqlite://{}?mode=rwc", dir.path().join("clp.db").display()),
                backend,
                dir,
                pg: None,
            },
            TestDb::Postgres => {
                let server = postgres_server();
                let admin = Database::connect(admin_options(&server))
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {server} is unreachable: {e}"));
                let name = format!("clp_rel_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create database");
                let _ = admin.close().await;
                Self {
                    url: format!("{server}/{name}"),
                    backend,
                    dir,
                    pg: Some((server, name)),
                }
            }
        }
    }

    /// The database name on the PostgreSQL server.
    pub fn pg_name(&self) -> Option<&str> {
        self.pg.as_ref().map(|(_, name)| name.as_str())
    }

    /// A connection of the test's own (after a server has migrated the database).
    pub async fn connect(&self) -> DatabaseConnection {
        let mut options = ConnectOptions::new(self.url.clone());
        options
            .max_connections(2)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        Database::connect(options).await.expect("test connection")
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.pg.clone() else {
            return;
        };
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let admin = Database::connect(admin_options(&server)).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                admin.close().await
            })
        })
        .join();
    }
}

// ---------------------------------------------------------------------------------------------
// clp-server as a process
// ---------------------------------------------------------------------------------------------

/// A `clp-server serve` process, its output captured line by line.
pub struct ServerProcess {
    child: Child,
    /// Process id.
    pub pid: u32,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    output: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

/// The environment every spawned server gets (over a cleared environment), for `db`.
pub fn base_env(db: &ScratchDb) -> Vec<(String, String)> {
    let dir = db.dir.path();
    [
        ("CLP_BIND", "127.0.0.1:0".to_owned()),
        ("CLP_DATABASE_URL", db.url.clone()),
        ("CLP_JWT_SECRET", JWT_SECRET.to_owned()),
        ("CLP_DATA_DIR", dir.join("data").display().to_string()),
        ("CLP_OUTBOX_DIR", dir.join("outbox").display().to_string()),
        ("CLP_STATIC_DIR", dir.join("static").display().to_string()),
        ("CLP_RATE_LIMIT_PER_MIN", "0".to_owned()),
        ("CLP_LOG_FORMAT", "json".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// `base` with `extra` set (replacing variables of the same name).
pub fn with_env(mut base: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in extra {
        base.retain(|(name, _)| name != k);
        base.push(((*k).to_owned(), (*v).to_owned()));
    }
    base
}

impl ServerProcess {
    /// Starts `clp-server serve` with exactly `env` (plus `PATH`), and waits until it listens.
    pub async fn start(env: &[(String, String)]) -> Self {
        Self::start_under(&[], env).await
    }

    /// Starts `wrapper... clp-server serve` (the wrapper execs the server in the end, so the
    /// process id is the server's), with exactly `env` (plus `PATH`), and waits until it
    /// listens.
    pub async fn start_under(wrapper: &[&str], env: &[(String, String)]) -> Self {
        let server = env!("CARGO_BIN_EXE_clp-server");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(server);
                command
            }
            None => Command::new(server),
        };
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("spawn clp-server");
        let pid = child.id().expect("pid");
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut readers = Vec::new();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        for (stream, tag) in [
            (
                Box::new(stdout) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
                "out",
            ),
            (Box::new(stderr), "err"),
        ] {
            let output = Arc::clone(&output);
            readers.push(tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    output.lock().unwrap().push(format!("{tag}: {line}"));
                }
            }));
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        let address = loop {
            if let Some(address) = listening_address(&output.lock().unwrap()) {
                break address;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "clp-server exited with {status} before listening:\n{}",
                    output.lock().unwrap().join("\n")
                );
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "clp-server did not start listening within 90 s:\n{}",
                output.lock().unwrap().join("\n")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        Self {
            child,
            pid,
            address,
            output,
            readers,
        }
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Everything the process wrote so far, one line a line, prefixed `out: ` or `err: `.
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    /// `kill -9 <pid>`, then reaps the process.
    pub async fn kill9(&mut self) {
        let status = std::process::Command::new("kill")
            .arg("-9")
            .arg(self.pid.to_string())
            .status()
            .expect("run kill -9");
        assert!(status.success(), "kill -9 {} failed", self.pid);
        let exit = self.child.wait().await.expect("reap the killed server");
        assert!(!exit.success(), "a SIGKILLed server does not exit 0");
    }

    /// SIGTERM and waits for a clean exit; the output is then complete.
    pub async fn stop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status();
        let exited = tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await;
        if exited.is_err() {
            let _ = self.child.kill().await;
        }
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(Duration::from_secs(5), reader).await;
        }
    }
}

/// The address in the start-up banner (a JSON log line, or the pretty banner).
fn listening_address(lines: &[String]) -> Option<String> {
    for line in lines {
        let text = line.split_once(": ").map_or(line.as_str(), |(_, t)| t);
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text)
            && json["message"] == "Open CLP is listening"
        {
            let app = json["app"].as_str()?;
            return Some(app.trim_end_matches('/').to_owned());
        }
        if let Some(rest) = text.trim_start().strip_prefix("app ") {
            return Some(rest.trim().trim_end_matches('/').to_owned());
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// SMTP sink
// ---------------------------------------------------------------------------------------------

/// A message received by [`SmtpSink`].
#[derive(Debug, Clone)]
pub struct Mail {
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The raw DATA.
    pub data: String,
}

impl Mail {
    /// The value of header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        let mut lines = self.data.split("\r\n").flat_map(|l| l.split('\n'));
        let mut value: Option<String> = None;
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line.trim_start());
                    continue;
                }
                return value;
            }
            if line.to_ascii_lowercase().starts_with(&prefix) {
                value = Some(line[prefix.len()..].trim().to_owned());
            }
        }
        value
    }

    /// The body with quoted-printable soft breaks and escapes decoded.
    pub fn decoded(&self) -> String {
        decode_qp(&self.data)
    }

    /// The verification token of the link in the message, if any.
    pub fn verification_token(&self) -> Option<String> {
        let decoded = self.decoded();
        let marker = "/activate/verify?token=";
        let start = decoded.find(marker)? + marker.len();
        Some(
            decoded[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect(),
        )
    }
}

/// Decodes quoted-printable soft breaks and escapes (enough to read links and text).
pub fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A minimal SMTP server keeping every message it accepts (a counter of deliveries).
#[derive(Clone, Default)]
pub struct SmtpSink {
    inbox: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// Serves on a new loopback port; returns the sink and the port.
    pub async fn start() -> (Self, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().expect("addr").port();
        let sink = Self::default();
        sink.serve(listener);
        (sink, port)
    }

    /// Serves on `listener` until the test ends.
    pub fn serve(&self, listener: TcpListener) {
        let sink = self.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = sink.clone();
                tokio::spawn(async move {
                    let _ = sink.session(stream).await;
                });
            }
        });
    }

    async fn session(&self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 localhost sink\r\n").await?;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let verb = command.get(..4).unwrap_or_default().to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" => {
                    write
                        .write_all(b"250-localhost\r\n250 8BITMIME\r\n")
                        .await?;
                }
                "HELO" => write.write_all(b"250 localhost\r\n").await?,
                "MAIL" => {
                    to.clear();
                    write.write_all(b"250 OK\r\n").await?;
                }
                "RCPT" => {
                    to.push(
                        command
                            .get(8..)
                            .unwrap_or_default()
                            .trim()
                            .trim_matches(['<', '>'])
                            .to_owned(),
                    );
                    write.write_all(b"250 OK\r\n").await?;
                }
                "DATA" => {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.inbox.lock().unwrap().push(Mail {
                        to: to.clone(),
                        data,
                    });
                    write.write_all(b"250 queued\r\n").await?;
                }
                "RSET" | "NOOP" => write.write_all(b"250 OK\r\n").await?,
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                _ => write.write_all(b"502 not implemented\r\n").await?,
            }
        }
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Mail> {
        self.inbox.lock().unwrap().clone()
    }

    /// Waits until `predicate` holds (at most `timeout`); returns the messages then.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        predicate: impl Fn(&[Mail]) -> bool,
    ) -> Vec<Mail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if predicate(&messages) || tokio::time::Instant::now() >= deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy that can be cut
// ---------------------------------------------------------------------------------------------

/// The accept loop of a [`TcpProxy`] and the tasks piping its connections.
type Forwarding = (JoinHandle<()>, Arc<Mutex<Vec<JoinHandle<()>>>>);

/// Forwards a loopback port to `target`; [`TcpProxy::cut`] closes the port and every
/// forwarded connection (the database "goes away"), [`TcpProxy::restore`] listens again.
pub struct TcpProxy {
    /// The port clients connect to.
    pub port: u16,
    target: String,
    running: Mutex<Option<Forwarding>>,
}

impl TcpProxy {
    /// Starts forwarding a new port to `target` (`host:port`).
    pub async fn start(target: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let proxy = Self {
            port,
            target: target.to_owned(),
            running: Mutex::new(None),
        };
        proxy.run(listener);
        proxy
    }

    fn run(&self, listener: TcpListener) {
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let target = self.target.clone();
        let tracked = Arc::clone(&connections);
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tracked.lock().unwrap().push(pipe);
            }
        });
        *self.running.lock().unwrap() = Some((accept, connections));
    }

    /// Stops listening and drops every forwarded connection.
    pub async fn cut(&self) {
        let running = self.running.lock().unwrap().take();
        if let Some((accept, connections)) = running {
            accept.abort();
            let _ = accept.await;
            let pipes: Vec<JoinHandle<()>> = connections.lock().unwrap().drain(..).collect();
            for pipe in pipes {
                pipe.abort();
                let _ = pipe.await;
            }
        }
    }

    /// Listens on the same port again.
    pub async fn restore(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("re-bind the proxy port");
        self.run(listener);
    }
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

/// A customer session token for `account_id`, signed with [`JWT_SECRET`].
pub fn customer_token(account_id: i64) -> String {
    clp_api::auth::JwtKeys::new(JWT_SECRET.as_bytes())
        .issue_customer(account_id, 0, Duration::from_secs(3600))
        .expect("issue a token")
}

/// Inserts a simplified account with `email` directly; returns its id.
pub async fn insert_account(db: &DatabaseConnection, email: &str) -> i64 {
    accounts::create_simplified(
        db,
        &NewSimplifiedAccount {
            email: email.to_owned(),
            password_hash: DUMMY_HASH.to_owned(),
            full_name: "Load Test".to_owned(),
            company: "Load Test Inc".to_owned(),
            country: "US".to_owned(),
            language: clp_domain::Lang::En,
        },
        Utc::now(),
    )
    .await
    .unwrap_or_else(|_| panic!("insert account {email}"))
    .id
    .0
}

/// Inserts a partner directly; returns its id.
pub async fn insert_partner(db: &DatabaseConnection) -> i64 {
    partners::create(
        db,
        &NewPartner {
            name: "Reliability partner".into(),
            client_id: format!("rel-{}", uuid::Uuid::new_v4().simple()),
            client_secret_hash: DUMMY_HASH.into(),
            scopes: vec!["orders:read".into()],
        },
        Utc::now(),
    )
    .await
    .expect("insert partner")
    .id
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Inserts an order of `partner_id` with one line per SKU (keys generated).
pub async fn insert_order(
    db: &DatabaseConnection,
    partner_id: i64,
    order_number: &str,
    order_type: OrderType,
    skus: &[&str],
) -> Order {
    let catalog = Catalog::seeded();
    let lines = {
        let mut rng = rand::rng();
        skus.iter()
            .map(|sku| NewLine {
                sku: (*sku).to_owned(),
                seats: 10,
                term_start: date(2026, 4, 1),
                term_end: date(2027, 3, 31),
                registration_key: RegistrationKey::generate(
                    &catalog.get(sku).expect("known SKU").key_prefix,
                    &mut rng,
                )
                .expect("generate key"),
                components: Vec::new(),
                renews_ac: None,
            })
            .collect()
    };
    orders::insert_order(
        db,
        &NewOrder {
            partner_id,
            order_number: order_number.to_owned(),
            order_type,
            purchase_date: date(2026, 3, 20),
            end_customer: EndCustomer {
                company: "Load Test Inc".into(),
                contact_name: "Lee Load".into(),
                contact_email: "lee@load.example".into(),
                country: "US".into(),
            },
            lines,
        },
        Utc::now(),
    )
    .await
    .expect("insert order")
}

/// `SELECT COUNT(*)`-like query returning column `n`; `?` placeholders, numbered for
/// PostgreSQL.
pub async fn count(db: &DatabaseConnection, sql: &str, values: &[i64]) -> i64 {
    let backend = db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Postgres {
        let mut numbered = String::new();
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                numbered.push_str(&format!("${n}"));
            } else {
                numbered.push(c);
            }
        }
        numbered
    } else {
        sql.to_owned()
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            &sql,
            values.iter().map(|v| sea_orm::Value::from(*v)),
        ))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a row");
    row.try_get::<i64>("", "n").expect("column n")
}

/// What the database holds of an order: registered lines, distinct accounts, ACs, SaaS
/// instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderState {
    /// Lines of the order.
    pub lines: i64,
    /// Lines registered.
    pub registered: i64,
    /// Distinct accounts the registered lines belong to.
    pub accounts: i64,
    /// Activation codes issued for its lines.
    pub codes: i64,
    /// SaaS instances provisioned for its lines.
    pub saas: i64,
}

/// The [`OrderState`] of order `order_id`.
pub async fn order_state(db: &DatabaseConnection, order_id: i64) -> OrderState {
    let lines_of = "SELECT id FROM order_lines WHERE order_id = ?";
    OrderState {
        lines: count(db, "SELECT COUNT(*) AS n FROM order_lines WHERE order_id = ?", &[order_id]).await,
        registered: count(
            db,
            "SELECT COUNT(*) AS n FROM order_lines WHERE order_id = ? AND registered_account_id IS NOT NULL",
            &[order_id],
        )
        .await,
        accounts: count(
            db,
            "SELECT COUNT(DISTINCT registered_account_id) AS n FROM order_lines WHERE order_id = ?",
            &[order_id],
        )
        .await,
        codes: count(
            db,
            &format!("SELECT COUNT(*) AS n FROM activation_codes WHERE line_id IN ({lines_of})"),
            &[order_id],
        )
        .await,
        saas: count(
            db,
            &format!("SELECT COUNT(*) AS n FROM saas_instances WHERE line_id IN ({lines_of})"),
            &[order_id],
        )
        .await,
    }
}

/// Tally of HTTP statuses.
pub fn tally(statuses: &[u16]) -> HashMap<u16, usize> {
    let mut map = HashMap::new();
    for s in statuses {
        *map.entry(*s).or_default() += 1;
    }
    map
}

/// The id of the order numbered `order_number` (of any partner).
pub async fn order_id(db: &DatabaseConnection, order_number: &str) -> i64 {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT id FROM orders WHERE order_number = $1",
        _ => "SELECT id FROM orders WHERE order_number = ?",
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [order_number.into()],
        ))
        .await
        .expect("query orders")
        .unwrap_or_else(|| panic!("no order {order_number}"));
    row.try_get::<i64>("", "id").expect("id")
}

/// Status counts of the pending activations of order `order_id`: `(status, n)`.
pub async fn activation_statuses(db: &DatabaseConnection, order_id: i64) -> HashMap<String, i64> {
    let mut map = HashMap::new();
    for status in ["pending", "completed", "expired", "failed"] {
        let backend = db.get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => {
                "SELECT COUNT(*) AS n FROM pending_activations WHERE order_id = $1 AND status = $2"
            }
            _ => "SELECT COUNT(*) AS n FROM pending_activations WHERE order_id = ? AND status = ?",
        };
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [order_id.into(), status.into()],
            ))
            .await
            .expect("query pending_activations")
            .expect("a row");
        let n: i64 = row.try_get("", "n").expect("n");
        if n > 0 {
            map.insert(status.to_owned(), n);
        }
    }
    map
}

/// Every email payload in the outbox table, oldest first.
pub async fn outbox_emails(db: &DatabaseConnection) -> Vec<serde_json::Value> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT payload FROM outbox WHERE kind = 'email' ORDER BY id",
        ))
        .await
        .expect("read the outbox");
    rows.iter()
        .map(|row| {
            let text: String = row.try_get("", "payload").expect("payload");
            serde_json::from_str(&text).expect("JSON payload")
        })
        .collect()
}

/// The host:port part of a PostgreSQL server URL (`postgres://user@host:port`).
pub fn pg_authority(server: &str) -> String {
    let rest = server.split_once("://").map_or(server, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest).to_owned()
}
