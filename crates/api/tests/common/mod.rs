//! Test harness: the real server on port 0 over a fresh database, on SQLite and PostgreSQL.
//!
//! ```ignore
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
