//! Shared application state, registered once as `web::Data<AppState>`.

use std::sync::Arc;

use clp_db::sqlite_reader::SqliteReader;
use clp_db::sqlite_writer::SqliteWriter;
use clp_domain::catalog::Catalog;
use sea_orm::DatabaseConnection;

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::rate_limit::RateLimiter;
use crate::workers::outbox::OutboxWakeup;

/// What every handler can reach through `web::Data<AppState>`.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The connection pool: every write and every transaction (on SQLite one connection, which
    /// serializes writers).
    pub db: DatabaseConnection,
    /// Connections for read-only handlers (preview, `me/*`): on SQLite a separate pool of
    /// query-only connections reading the WAL concurrently with the writer; otherwise the same
    /// pool as [`AppState::db`]. It sees every commit of every process at once (no cache).
    pub read_db: DatabaseConnection,
    /// On a SQLite database file, synchronous read-only connections used on the handler's
    /// thread by the preview and `me/products` (no sqlx worker-thread hop); `None` on
    /// PostgreSQL and in-memory SQLite, where they read through [`AppState::read_db`]. Like
    /// `read_db`, it sees every commit at once.
    pub sqlite_reader: Option<Arc<SqliteReader>>,
    /// On a SQLite database file, synchronous write transactions run on the handler's thread
    /// by the verification of an activation (no sqlx worker-thread hop a statement), one at a
    /// time with the pool's writes; `None` on PostgreSQL and in-memory SQLite.
    pub sqlite_writer: Option<Arc<SqliteWriter>>,
    /// The configuration.
    pub config: Arc<Config>,
    /// Token signing and verification keys.
    pub jwt: JwtKeys,
    /// The product catalog, read from the database once at start.
    pub catalog: Arc<Catalog>,
    /// Wakes the outbox worker: call `notify()` after committing a transaction that enqueued.
    pub outbox_wakeup: OutboxWakeup,
    /// Per client IP throttling of the key, sign-in and sign-up routes (shared by the workers).
    pub rate_limiter: Arc<RateLimiter>,
}

impl AppState {
    /// State over `db` with keys derived from `config.jwt_secret`.
    pub fn new(db: DatabaseConnection, config: Arc<Config>) -> Self {
        let jwt = JwtKeys::new(config.jwt_secret.expose().as_bytes());
        let rate_limiter = Arc::new(RateLimiter::from_config(&config));
        Self {
            read_db: db.clone(),
            sqlite_reader: None,
            sqlite_writer: None,
            db,
            config,
            jwt,
            catalog: Arc::new(Catalog::default()),
            outbox_wakeup: OutboxWakeup::new(),
            rate_limiter,
        }
    }

    /// The same state reading through `read_db` (see [`AppState::read_db`]).
    pub fn with_read_db(mut self, read_db: DatabaseConnection) -> Self {
        self.read_db = read_db;
        self
    }

    /// The same state reading previews through `reader` (see [`AppState::sqlite_reader`]).
    pub fn with_sqlite_reader(mut self, reader: SqliteReader) -> Self {
        self.sqlite_reader = Some(Arc::new(reader));
        self
    }

    /// The same state verifying activations through `writer` (see
    /// [`AppState::sqlite_writer`]).
    pub fn with_sqlite_writer(mut self, writer: SqliteWriter) -> Self {
        self.sqlite_writer = Some(Arc::new(writer));
        self
    }

    /// The same state with the product `catalog` (the server loads it from the database at
    /// start; until then the catalog is empty).
    pub fn with_catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = Arc::new(catalog);
        self
    }
}
