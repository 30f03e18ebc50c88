//! Synchronous write transactions on a SQLite database file, for the hot write path (the
//! verification of an activation).
//!
//! On SQLite every write goes through one writer connection, so the write throughput is the
//! inverse of how long a write transaction holds it. Through sqlx, each statement of the
//! transaction is handed to the connection's worker thread and its result handed back: two
//! thread wake-ups a statement, which on this two-core machine cost more than the statements
//! (see docs/benchmarks.md). A [`WriteSession`] runs the transaction's statements on the calling
//! thread through SeaORM's synchronous flavour (`sea-orm-sync`, on rusqlite).
//!
//! One writer a process still: a session first takes the async pool's only SQLite connection
//! (the server's writer pool holds one), so sessions and the pool's own writes never overlap
//! and the rules held by conditional updates keep their meaning. Other processes are kept
//! apart by SQLite's lock (`BEGIN IMMEDIATE`, with a busy timeout).

use std::thread::ThreadId;
use std::time::Duration;

use sea_orm::sqlx::Sqlite;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::{DatabaseConnection, DbBackend, DbErr, RuntimeErr, Statement};
use sea_orm_sync::ConnectionTrait as _;

use crate::rows::{FromRow, RowSource};
use crate::sync_sqlite::{ThreadConnections, is_unique_violation, to_sync};
use crate::writes::StatementWriter;

/// How long `BEGIN IMMEDIATE` waits for another process's write transaction. Within the
/// process sessions never wait here (they queue for the pool's connection first).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Synchronous write access to one SQLite database file: one connection a thread, opened on
/// first use, used one session at a time in the process (see the module documentation).
#[derive(Debug)]
pub struct SqliteWriter {
    connections: ThreadConnections,
}

impl SqliteWriter {
    /// A writer of the SQLite database file of `database_url` (`sqlite:` URL), after checking
    /// that a connection opens; `None` for other databases and for in-memory SQLite databases.
    pub fn open(database_url: &str) -> Result<Option<Self>, DbErr> {
        // The same settings as the async writer (`clp_api::startup::connect`): WAL without an
        // fsync a commit, foreign keys (set by the driver), a busy timeout.
        let pragmas = format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA busy_timeout = {}; PRAGMA cache_size = -1024;",
            BUSY_TIMEOUT.as_millis()
        );
        let connections = ThreadConnections::for_file(database_url, pragmas, false)?;
        Ok(connections.map(|connections| Self { connections }))
    }

    /// Begins a write transaction on the calling thread, once the process's other writes are
    /// done: it waits (asynchronously) for the only connection of `pool` when `pool` is a SQLite
    /// pool, and holds it until the session ends.
    pub async fn begin(&self, pool: &DatabaseConnection) -> Result<WriteSession<'_>, DbErr> {
        let permit = if pool.get_database_backend() == DbBackend::Sqlite {
            let acquired = pool.get_sqlite_connection_pool().acquire().await;
            Some(acquired.map_err(|err| {
                DbErr::Conn(RuntimeErr::Internal(format!(
                    "SQLite writer: the write connection is not available: {err}"
                )))
            })?)
        } else {
            None
        };
        let begin = || {
            self.connections
                .with(|conn| conn.execute_unprepared("BEGIN IMMEDIATE"))
        };
        match begin() {
            Ok(_) => {}
            // A connection left inside a transaction (a session dropped on another thread)
            // is closed, which rolls it back; a fresh one begins. Other failures (another
            // process holding the lock past the busy timeout) are not retried.
            Err(err) if err.to_string().contains("within a transaction") => {
                self.connections.discard();
                begin()?;
            }
            Err(err) => return Err(err),
        }
        Ok(WriteSession {
            writer: self,
            thread: std::thread::current().id(),
            _permit: permit,
            open: true,
        })
    }
}

/// A write transaction of a [`SqliteWriter`], on the thread that began it: [`Self::commit`]
/// commits it; dropped otherwise, it rolls back.
#[derive(Debug)]
pub struct WriteSession<'a> {
    writer: &'a SqliteWriter,
    thread: ThreadId,
    _permit: Option<PoolConnection<Sqlite>>,
    open: bool,
}

impl WriteSession<'_> {
    /// Fails unless called on the thread whose connection holds the transaction.
    fn on_own_thread(&self) -> Result<(), DbErr> {
        if std::thread::current().id() == self.thread {
            Ok(())
        } else {
            Err(DbErr::Custom(
                "a SQLite write session was used on another thread than the one that began it"
                    .into(),
            ))
        }
    }

    fn end(&mut self, sql: &str) -> Result<(), DbErr> {
        self.on_own_thread()?;
        self.open = false;
        let ended = self
            .writer
            .connections
            .with(|conn| conn.execute_unprepared(sql))
            .map(|_| ());
        if ended.is_err() {
            // A `COMMIT` that failed (a full disk) leaves the transaction open, holding the
            // write lock: close the connection, which rolls it back.
            self.writer.connections.discard();
        }
        ended
    }

    /// Commits the transaction.
    pub fn commit(mut self) -> Result<(), DbErr> {
        self.end("COMMIT")
    }

    /// Rolls the transaction back.
    pub fn rollback(mut self) -> Result<(), DbErr> {
        self.end("ROLLBACK")
    }
}

impl Drop for WriteSession<'_> {
    fn drop(&mut self) {
        if self.open {
            // On another thread this fails; the connection left in its transaction is then
            // closed by the next `begin` on its thread.
            let _ = self.end("ROLLBACK");
        }
    }
}

impl RowSource for WriteSession<'_> {
    fn backend(&self) -> DbBackend {
        DbBackend::Sqlite
    }

    async fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.on_own_thread()?;
        self.writer.connections.rows(statement)
    }
}

impl StatementWriter for WriteSession<'_> {
    async fn write(&self, statement: Statement) -> Result<u64, DbErr> {
        self.on_own_thread()?;
        let statement = to_sync(statement);
        let result = self
            .writer
            .connections
            .with(|conn| conn.execute_raw(statement))?;
        Ok(result.rows_affected())
    }

    async fn write_unless_duplicate(&self, statement: Statement) -> Result<Option<u64>, DbErr> {
        self.on_own_thread()?;
        let statement = to_sync(statement);
        self.writer
            .connections
            .with(|conn| match conn.execute_raw(statement) {
                Ok(result) => Ok(Some(result.rows_affected())),
                Err(err) if is_unique_violation(&err) => Ok(None),
                Err(err) => Err(err),
            })
    }
}
