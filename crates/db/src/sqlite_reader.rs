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

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{DbBackend, DbErr, RuntimeErr, Statement};
use sea_orm_sync::ConnectionTrait as _;

use crate::rows::{FromRow, RowRead, RowSource};

/// How long a statement waits for a lock before failing. WAL readers wait only in rare cases
/// (recovery of a crashed writer's WAL); the wait blocks an HTTP worker, so it is kept short.
const BUSY_TIMEOUT: Duration = Duration::from_millis(1000);

/// Ids telling readers apart in [`CONNECTIONS`] (a process may hold readers of several
/// databases, e.g. tests running two servers).
static NEXT_READER_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The connections this thread opened, by reader id. A synchronous SeaORM connection is
    /// neither `Send` nor `Sync`, so each thread that reads (an HTTP worker: one a core) keeps
    /// its own, for as long as the thread lives.
    static CONNECTIONS: RefCell<Vec<(u64, sea_orm_sync::DatabaseConnection)>> =
        const { RefCell::new(Vec::new()) };
}

/// Read-only access to one SQLite database file, used synchronously on the calling thread
/// (see the module documentation): one connection a thread, opened on first use.
#[derive(Debug)]
pub struct SqliteReader {
    id: u64,
    url: String,
}

impl SqliteReader {
    /// A reader of the SQLite database file of `database_url` (`sqlite:` URL), after checking
    /// that a connection opens; `None` for other databases and for in-memory SQLite databases,
    /// which another connection would not see.
    pub fn open(database_url: &str) -> Result<Option<Self>, DbErr> {
        let Some(path) = sqlite_file_path(database_url) else {
            return Ok(None);
        };
        let reader = Self {
            id: NEXT_READER_ID.fetch_add(1, Ordering::Relaxed),
            // Read-write open mode: a WAL reader may need to create the `-shm` index; the
            // `query_only` pragma makes any write through it fail.
            url: format!("sqlite://{path}?mode=rw"),
        };
        reader.connect()?;
        Ok(Some(reader))
    }

    fn connect(&self) -> Result<sea_orm_sync::DatabaseConnection, DbErr> {
        let conn = sea_orm_sync::Database::connect(self.url.as_str()).map_err(from_sync)?;
        conn.execute_unprepared(&format!(
            "PRAGMA query_only = ON; PRAGMA busy_timeout = {}; PRAGMA cache_size = -1024;",
            BUSY_TIMEOUT.as_millis()
        ))
        .map_err(from_sync)?;
        Ok(conn)
    }

    /// Runs `statement` on the calling thread and decodes its rows.
    pub fn rows_now<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        let statement = sea_orm_sync::Statement {
            sql: statement.sql,
            values: statement.values,
            db_backend: sea_orm_sync::DbBackend::Sqlite,
        };
        CONNECTIONS.with(|cell| {
            let mut connections = cell.borrow_mut();
            let index = match connections.iter().position(|(id, _)| *id == self.id) {
                Some(index) => index,
                None => {
                    connections.push((self.id, self.connect()?));
                    connections.len() - 1
                }
            };
            let result = connections[index].1.query_all_raw(statement);
            match result {
                Ok(rows) => rows.iter().map(|row| R::from_row(row)).collect(),
                Err(err) => {
                    // A connection whose statement failed is closed, not reused.
                    connections.swap_remove(index);
                    Err(from_sync(err))
                }
            }
        })
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

/// The file path of a `sqlite:` URL, `None` for other URLs and in-memory databases.
fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let memory = path.is_empty() || path.starts_with(":memory:") || query.contains("mode=memory");
    (!memory).then_some(path)
}

/// A `sea-orm-sync` error as the async crate's: connection failures stay connection failures
/// (the API answers 503 `unavailable`), anything else keeps its message.
fn from_sync(err: sea_orm_sync::DbErr) -> DbErr {
    match err {
        sea_orm_sync::DbErr::Conn(_) | sea_orm_sync::DbErr::ConnectionAcquire(_) => {
            DbErr::Conn(RuntimeErr::Internal(format!("SQLite reader: {err}")))
        }
        other => DbErr::Custom(format!("SQLite reader: {other}")),
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
}

#[cfg(test)]
mod tests {
    use super::sqlite_file_path;

    #[test]
    fn file_urls_give_their_path_and_memory_urls_none() {
        assert_eq!(
            sqlite_file_path("sqlite://data/clp.db?mode=rwc"),
            Some("data/clp.db")
        );
        assert_eq!(sqlite_file_path("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file_path("sqlite:x.db"), Some("x.db"));
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(
            sqlite_file_path("sqlite://db?mode=memory&cache=shared"),
            None
        );
        assert_eq!(sqlite_file_path("postgres://localhost/test"), None);
    }
}
