//! Synchronous write transactions on a SQLite database file, for the hot write path (the
//! verification of an activation, through [`crate::Database::begin_write`]).
//!
//! On SQLite every write goes through one writer connection, so the write throughput is the
//! inverse of how long a write transaction holds it. Through sqlx, each statement of the
//! transaction is handed to the connection's worker thread and its result handed back: two
//! thread wake-ups a statement, which on this two-core machine cost more than the statements
//! (see docs/benchmarks.md). A [`WriteSession`] runs the transaction's statements on the calling
//! thread through SeaORM's synchronous flavour (`sea-orm-sync`, on rusqlite).
//!
//! One writer a process still: a session first takes the async pool's only SQLite connection
//! (the pool of a SQLite database holds one), so sessions and the pool's own writes never
//! overlap and the rules held by conditional updates keep their meaning. Other processes are
//! kept apart by SQLite's lock (`BEGIN IMMEDIATE`, with a busy timeout).
//!
//! A session's transaction lives on the calling thread's connection, so a session is not
//! `Send`: it cannot be used, nor dropped, on another thread (actix runs a handler's future on
//! the thread that started it).

use std::marker::PhantomData;

use sea_orm::sqlx::Sqlite;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::{DatabaseConnection, DbErr, RuntimeErr, Statement};
use sea_orm_sync::ConnectionTrait as _;

use crate::failure::DbFailure;
use crate::rows::FromRow;
use crate::sqlite_settings::ConnectionSettings;
use crate::sync_sqlite::{ThreadConnections, to_sync};

/// Synchronous write access to one SQLite database file: one connection a thread, opened on
/// first use, used one session at a time in the process (see the module documentation).
#[derive(Debug)]
pub(crate) struct SqliteWriter {
    connections: ThreadConnections,
}

impl SqliteWriter {
    /// A writer of the SQLite database file at `path`, after checking that a connection opens.
    pub(crate) fn open(path: &str) -> Result<Self, DbErr> {
        let connections =
            ThreadConnections::for_file(path, ConnectionSettings::SYNC_WRITER, false)?;
        Ok(Self { connections })
    }

    /// Begins a write transaction on the calling thread, once the process's other writes are
    /// done: it waits (asynchronously) for the only connection of the SQLite `pool` and holds it
    /// until the session ends.
    pub(crate) async fn begin(&self, pool: &DatabaseConnection) -> Result<WriteSession<'_>, DbErr> {
        let permit = pool
            .get_sqlite_connection_pool()
            .acquire()
            .await
            .map_err(|err| {
                DbErr::Conn(RuntimeErr::Internal(format!(
                    "SQLite writer: the write connection is not available: {err}"
                )))
            })?;
        // Sessions end on their own thread (a session is not `Send`), and a failed `COMMIT` or
        // `ROLLBACK` closes the connection: the thread's connection is never left inside a
        // transaction here.
        self.connections
            .with(|conn| conn.execute_unprepared("BEGIN IMMEDIATE"))?;
        Ok(WriteSession {
            writer: self,
            _permit: permit,
            open: true,
            _on_this_thread: PhantomData,
        })
    }
}

/// A write transaction of a [`SqliteWriter`], on the thread that began it: [`Self::commit`]
/// commits it; dropped otherwise, it rolls back.
#[derive(Debug)]
pub(crate) struct WriteSession<'a> {
    writer: &'a SqliteWriter,
    _permit: PoolConnection<Sqlite>,
    open: bool,
    /// Not `Send`: the transaction is on the calling thread's connection.
    _on_this_thread: PhantomData<*const ()>,
}

impl WriteSession<'_> {
    fn end(&mut self, sql: &str) -> Result<(), DbErr> {
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
    pub(crate) fn commit(mut self) -> Result<(), DbErr> {
        self.end("COMMIT")
    }

    /// Rolls the transaction back.
    pub(crate) fn rollback(mut self) -> Result<(), DbErr> {
        self.end("ROLLBACK")
    }

    /// Runs `statement` and decodes its rows.
    pub(crate) fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.writer.connections.rows(statement)
    }

    /// Runs `statement`; how many rows it changed.
    pub(crate) fn write(&self, statement: Statement) -> Result<u64, DbErr> {
        let statement = to_sync(statement);
        let result = self
            .writer
            .connections
            .with(|conn| conn.execute_raw(statement))?;
        Ok(result.rows_affected())
    }

    /// Runs `statement` (an insert); how many rows it inserted, or `None` when a unique index
    /// refused it.
    pub(crate) fn write_unless_duplicate(
        &self,
        statement: Statement,
    ) -> Result<Option<u64>, DbErr> {
        match self.write(statement) {
            Ok(inserted) => Ok(Some(inserted)),
            Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => Ok(None),
            Err(err) => Err(err),
        }
    }
}

impl Drop for WriteSession<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.end("ROLLBACK");
        }
    }
}
