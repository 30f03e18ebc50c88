//! [`Database`]: the one handle on the database, which picks the driver that serves each call.
//!
//! | call | PostgreSQL, in-memory SQLite | SQLite file |
//! |---|---|---|
//! | [`ConnectionTrait`](sea_orm::ConnectionTrait), [`TransactionTrait`](sea_orm::TransactionTrait) | the pool | the pool (one connection: the process's writer) |
//! | [`Database::read_pool`] | the pool | a query-only read pool |
//! | [`Database::reads`] | the pool | the synchronous reader, on the calling thread |
//! | [`Database::begin_write`] | a transaction of the pool | a synchronous write session, on the calling thread |
//!
//! The synchronous SQLite connections save the hop to sqlx's worker thread on every statement
//! and row, which on two cores costs more than the statements (docs/benchmarks.md); an
//! in-memory database is seen by its own connection only, so it has none.

mod delegation;
mod reads;
mod write_txn;

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbBackend, DbErr, TransactionTrait as _};

pub use self::reads::Reads;
pub use self::write_txn::WriteTxn;
use crate::pools;
use crate::sqlite_reader::SqliteReader;
use crate::sqlite_settings::SqliteUrl;
use crate::sqlite_writer::SqliteWriter;

/// The database: its pool and, on a SQLite file, its read pool and synchronous connections.
/// Clones share them.
#[derive(Debug, Clone)]
pub struct Database {
    /// Every write and every transaction (on SQLite one connection, which serializes writers).
    pool: DatabaseConnection,
    /// On a SQLite file, the query-only read pool.
    read_pool: Option<DatabaseConnection>,
    /// On a SQLite file, the synchronous reader and writer.
    sync: Option<Arc<SyncSqlite>>,
}

/// The synchronous connections to a SQLite file.
#[derive(Debug)]
struct SyncSqlite {
    reader: SqliteReader,
    writer: SqliteWriter,
}

impl Database {
    /// Connects to `url` (`sqlite:` or `postgres:`) without migrating.
    ///
    /// SQLite: creates the database file's directory; every connection runs in WAL mode with
    /// foreign keys and a busy timeout (`sqlite_settings`); the pool has one connection, which
    /// serializes writers so a read-then-write transaction cannot fail with `SQLITE_BUSY`.
    /// On a file, a query-only read pool and the synchronous reader and writer open too.
    /// PostgreSQL: a pool of 10.
    pub async fn connect(url: &str) -> Result<Self, DbErr> {
        let sqlite = SqliteUrl::parse(url);
        let pool = pools::open_pool(url, sqlite.as_ref()).await?;
        Self::around(pool, url, sqlite).await
    }

    /// [`Database::connect`], then runs every pending migration (on PostgreSQL under an
    /// advisory lock, so that processes starting at once migrate one after the other).
    pub async fn connect_and_migrate(url: &str) -> Result<Self, DbErr> {
        let sqlite = SqliteUrl::parse(url);
        let pool = pools::open_pool(url, sqlite.as_ref()).await?;
        pools::migrate(&pool, url).await?;
        Self::around(pool, url, sqlite).await
    }

    /// The database of `pool`, with the connections of a SQLite file next to it.
    async fn around(
        pool: DatabaseConnection,
        url: &str,
        sqlite: Option<SqliteUrl>,
    ) -> Result<Self, DbErr> {
        let Some(SqliteUrl::File(path)) = sqlite else {
            return Ok(Self::from_pool(pool));
        };
        let read_pool = pools::open_read_pool(url).await?;
        let sync = SyncSqlite {
            reader: SqliteReader::open(&path)?,
            writer: SqliteWriter::open(&path)?,
        };
        Ok(Self {
            pool,
            read_pool: Some(read_pool),
            sync: Some(Arc::new(sync)),
        })
    }

    /// The database served by `pool` alone: every call, reads and write transactions included,
    /// goes through it (as on PostgreSQL), with `pool`'s own settings.
    pub fn from_pool(pool: DatabaseConnection) -> Self {
        Self {
            pool,
            read_pool: None,
            sync: None,
        }
    }

    /// The handle of one HTTP worker thread: on PostgreSQL, a pool of its own whose connections
    /// are opened by that worker on first use ([`pools::worker_pool`] says why); on SQLite the
    /// same database (its one writer and its reader serve the whole process). Either sees
    /// every commit of every process at once: nothing is cached. Call it on the worker's
    /// runtime, as the HTTP server's app factory runs.
    pub fn for_worker(&self) -> Self {
        if self.sync.is_some() || self.pool.get_database_backend() != DbBackend::Postgres {
            return self.clone();
        }
        Self::from_pool(pools::worker_pool(self.pool.get_postgres_connection_pool()))
    }

    /// Where read-only handlers run their sea-orm queries: on a SQLite file, a query-only pool
    /// whose connections read while the writer writes; otherwise the pool. Either sees every
    /// commit of every process at once.
    pub fn read_pool(&self) -> &impl sea_orm::ConnectionTrait {
        self.read_pool.as_ref().unwrap_or(&self.pool)
    }

    /// Where the hot read paths (the preview, `me/products`) run their
    /// [`RowSource`](crate::rows::RowSource) statements: on a SQLite file, the synchronous
    /// reader on the calling thread; otherwise the pool. Either sees every commit at once.
    pub fn reads(&self) -> Reads<'_> {
        match &self.sync {
            Some(sync) => Reads::sync(&sync.reader),
            None => Reads::pool(&self.pool),
        }
    }

    /// Begins the write transaction of the verification of an activation: on a SQLite file a
    /// synchronous write session on the calling thread (`BEGIN IMMEDIATE`, after waiting for the
    /// pool's connection, so one writer a process still); otherwise a transaction of the pool.
    /// The statements run in it are the same either way.
    pub async fn begin_write(&self) -> Result<WriteTxn<'_>, DbErr> {
        match &self.sync {
            Some(sync) => Ok(WriteTxn::sync(sync.writer.begin(&self.pool).await?)),
            None => Ok(WriteTxn::pool(self.pool.begin().await?)),
        }
    }

    /// Sets `callback` to observe every statement sent through the async pools (sea-orm's
    /// metric callback; the synchronous SQLite connections do not report to it).
    pub fn set_metric_callback<F>(&mut self, callback: F)
    where
        F: Fn(&sea_orm::metric::Info<'_>) + Send + Sync + 'static,
    {
        let callback = Arc::new(callback);
        if let Some(read_pool) = &mut self.read_pool {
            let callback = Arc::clone(&callback);
            read_pool.set_metric_callback(move |info| callback(info));
        }
        self.pool.set_metric_callback(move |info| callback(info));
    }

    /// Closes the pools (of every clone).
    pub async fn close(self) -> Result<(), DbErr> {
        if let Some(read_pool) = self.read_pool {
            read_pool.close().await?;
        }
        self.pool.close().await
    }
}
