//! Synchronous read-only SQLite connections for the hot read paths (the preview).
//!
//! sqlx runs every SQLite connection on a worker thread of its own and hands each statement
//! and each row to the async task over a channel: on two cores those thread switches cost more
//! than the indexed lookups themselves (see docs/benchmarks.md). A [`SqliteReader`] runs a
//! statement on the calling thread through SeaORM's synchronous flavour (`sea-orm-sync`, on
//! rusqlite): a preview's lookups take tens of microseconds, no longer than the handler's
//! other CPU work, so running them inline on an HTTP worker is cheaper than the hop.
//!
//! Each statement reads the database as last committed by any connection of any process
//! (WAL readers never wait for the writer): a registration shows in the very next preview,
//! with no cache to invalidate.

use std::time::Duration;

use sea_orm::{DbBackend, DbErr, Statement};

use crate::rows::{FromRow, RowSource};
use crate::sync_sqlite::ThreadConnections;

/// How long a statement waits for a lock before failing. WAL readers wait only in rare cases
/// (recovery of a crashed writer's WAL); the wait blocks an HTTP worker, so it is kept short.
const BUSY_TIMEOUT: Duration = Duration::from_millis(1000);

/// Read-only access to one SQLite database file, used synchronously on the calling thread
/// (see the module documentation): one connection a thread, opened on first use.
#[derive(Debug)]
pub struct SqliteReader {
    connections: ThreadConnections,
}

impl SqliteReader {
    /// A reader of the SQLite database file of `database_url` (`sqlite:` URL), after checking
    /// that a connection opens; `None` for other databases and for in-memory SQLite databases,
    /// which another connection would not see.
    pub fn open(database_url: &str) -> Result<Option<Self>, DbErr> {
        // The `query_only` pragma makes any write through it fail.
        let pragmas = format!(
            "PRAGMA query_only = ON; PRAGMA busy_timeout = {}; PRAGMA cache_size = -1024;",
            BUSY_TIMEOUT.as_millis()
        );
        let connections = ThreadConnections::for_file(database_url, pragmas, true)?;
        Ok(connections.map(|connections| Self { connections }))
    }

    /// Runs `statement` on the calling thread and decodes its rows.
    pub fn rows_now<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.connections.rows(statement)
    }
}

impl RowSource for SqliteReader {
    fn backend(&self) -> DbBackend {
        DbBackend::Sqlite
    }

    async fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.rows_now(statement)
    }
}
