//! What the synchronous SQLite reader and writer share: connections kept per thread (SeaORM's
//! synchronous flavour, `sea-orm-sync` on rusqlite), and the conversion of its statements,
//! errors and rows to and from the async crate's.
//!
//! A synchronous connection runs a statement on the calling thread: no worker thread to hand
//! the statement to and wake up again, which on two cores costs more than an indexed lookup
//! or a small insert (see docs/benchmarks.md).

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::SecondsFormat;
use sea_orm::{DbErr, RuntimeErr, Statement, Value};
use sea_orm_sync::ConnectionTrait as _;

use crate::failure::SqliteFailure;
use crate::rows::{FromRow, RowRead};
use crate::sqlite_settings::ConnectionSettings;

/// Ids telling the users of [`CONNECTIONS`] apart (a process may read and write several
/// databases, e.g. tests running two servers).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The connections this thread opened, by user id. A synchronous SeaORM connection is
    /// neither `Send` nor `Sync`, so each thread that uses one (an HTTP worker: one a core)
    /// keeps its own, for as long as the thread lives.
    static CONNECTIONS: RefCell<Vec<(u64, sea_orm_sync::DatabaseConnection)>> =
        const { RefCell::new(Vec::new()) };
}

/// The connections of one database file opened with one [`ConnectionSettings`]: one a thread,
/// opened on first use.
#[derive(Debug)]
pub(crate) struct ThreadConnections {
    id: u64,
    url: String,
    pragmas: String,
    discard_on_error: bool,
}

impl ThreadConnections {
    /// Connections to the SQLite database file at `path` with `settings`, after checking that
    /// one opens. With `discard_on_error`, a connection on which a statement failed is closed,
    /// not reused (a writer keeps it: its transaction is still open and is ended by its
    /// session).
    pub(crate) fn for_file(
        path: &str,
        settings: ConnectionSettings,
        discard_on_error: bool,
    ) -> Result<Self, DbErr> {
        let connections = Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            // Read-write open mode (never create): a WAL reader may need to create the `-shm`
            // index too.
            url: format!("sqlite://{path}?mode=rw"),
            pragmas: settings.sql(),
            discard_on_error,
        };
        connections.connect()?;
        Ok(connections)
    }

    fn connect(&self) -> Result<sea_orm_sync::DatabaseConnection, DbErr> {
        let conn = sea_orm_sync::Database::connect(self.url.as_str()).map_err(from_sync)?;
        conn.execute_unprepared(&self.pragmas).map_err(from_sync)?;
        Ok(conn)
    }

    /// Runs `work` on the calling thread's connection (opened now if the thread has none).
    pub(crate) fn with<T>(
        &self,
        work: impl FnOnce(&sea_orm_sync::DatabaseConnection) -> Result<T, sea_orm_sync::DbErr>,
    ) -> Result<T, DbErr> {
        CONNECTIONS.with(|cell| {
            let mut connections = cell.borrow_mut();
            let index = match connections.iter().position(|(id, _)| *id == self.id) {
                Some(index) => index,
                None => {
                    connections.push((self.id, self.connect()?));
                    connections.len() - 1
                }
            };
            let result = work(&connections[index].1);
            if result.is_err() && self.discard_on_error {
                connections.swap_remove(index);
            }
            result.map_err(from_sync)
        })
    }

    /// Closes the calling thread's connection, if it has one (the next use opens another).
    pub(crate) fn discard(&self) {
        CONNECTIONS.with(|cell| cell.borrow_mut().retain(|(id, _)| *id != self.id));
    }

    /// Runs `statement` on the calling thread's connection and decodes its rows.
    pub(crate) fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        let statement = to_sync(statement);
        let rows = self.with(|conn| conn.query_all_raw(statement))?;
        rows.iter().map(|row| R::from_row(row)).collect()
    }
}

/// `statement` for the synchronous crate (the values are the same `sea-query` values), with
/// its timestamps as the async driver (sqlx) writes them.
///
/// SQLite stores timestamps as text and compares them as text: rusqlite would bind
/// `2026-01-15 09:00:00+00:00` where sqlx binds `2026-01-15T09:00:00+00:00`, and the two do
/// not order together (`expires_at > ?` would be wrong within a day). Both read either form.
///
/// This is the only place that binds a timestamp for the synchronous driver: every statement
/// of the synchronous reader and writer passes here, so the stored form stays sqlx's
/// (`crates/db/tests/sqlite_writer.rs` compares the two drivers' stored text).
pub(crate) fn to_sync(statement: Statement) -> sea_orm_sync::Statement {
    let values = statement.values.map(|mut values| {
        for value in &mut values.0 {
            if let Value::ChronoDateTimeUtc(Some(at)) = value {
                *value = Value::String(Some(at.to_rfc3339_opts(SecondsFormat::AutoSi, false)));
            }
        }
        values
    });
    sea_orm_sync::Statement {
        sql: statement.sql,
        values,
        db_backend: sea_orm_sync::DbBackend::Sqlite,
    }
}

/// A `sea-orm-sync` error as the async crate's: connection failures stay connection failures
/// (the API answers 503 `unavailable`), SQLite's own failures keep their result code (so
/// [`crate::failure::DbFailure`] reads them as it reads the async driver's), anything else
/// keeps its message.
pub(crate) fn from_sync(err: sea_orm_sync::DbErr) -> DbErr {
    use rusqlite::Error as RusqliteError;
    use sea_orm_sync::{DbErr as SyncErr, RuntimeErr as SyncRuntime};
    let (query, runtime) = match &err {
        SyncErr::Conn(_) | SyncErr::ConnectionAcquire(_) => {
            return DbErr::Conn(RuntimeErr::Internal(format!("SQLite: {err}")));
        }
        SyncErr::Query(runtime) => (true, runtime),
        SyncErr::Exec(runtime) => (false, runtime),
        _ => return DbErr::Custom(format!("SQLite: {err}")),
    };
    match runtime {
        SyncRuntime::Rusqlite(e) => match &**e {
            RusqliteError::SqliteFailure(failure, message) => SqliteFailure {
                extended_code: failure.extended_code,
                message: message.clone().unwrap_or_else(|| failure.to_string()),
            }
            .into_db_err(query),
            _ => DbErr::Custom(format!("SQLite: {err}")),
        },
        _ => DbErr::Custom(format!("SQLite: {err}")),
    }
}

impl RowRead for sea_orm_sync::QueryResult {
    fn i64(&self, column: &str) -> Result<i64, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn opt_i64(&self, column: &str) -> Result<Option<i64>, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn i32(&self, column: &str) -> Result<i32, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn string(&self, column: &str) -> Result<String, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn opt_string(&self, column: &str) -> Result<Option<String>, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn date(&self, column: &str) -> Result<chrono::NaiveDate, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn opt_timestamp(&self, column: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn timestamp(&self, column: &str) -> Result<chrono::DateTime<chrono::Utc>, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }

    fn bool(&self, column: &str) -> Result<bool, DbErr> {
        self.try_get("", column).map_err(from_sync)
    }
}
