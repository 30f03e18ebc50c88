//! Synchronous read-only SQLite connections for the hot read paths (the preview and
//! `me/products`, through [`crate::Database::reads`]).
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

use sea_orm::{DbErr, Statement};

use crate::rows::FromRow;
use crate::sqlite_settings::ConnectionSettings;
use crate::sync_sqlite::ThreadConnections;

/// Read-only access to one SQLite database file, used synchronously on the calling thread
/// (see the module documentation): one query-only connection a thread, opened on first use.
#[derive(Debug)]
pub(crate) struct SqliteReader {
    connections: ThreadConnections,
}

impl SqliteReader {
    /// A reader of the SQLite database file at `path`, after checking that a connection opens.
    pub(crate) fn open(path: &str) -> Result<Self, DbErr> {
        let connections = ThreadConnections::for_file(path, ConnectionSettings::SYNC_READER, true)?;
        Ok(Self { connections })
    }

    /// Runs `statement` on the calling thread and decodes its rows.
    pub(crate) fn rows_now<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.connections.rows(statement)
    }
}
