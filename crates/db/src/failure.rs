//! What a failed database call means for its caller, read from the error's kind and the
//! database's own result code, never from its message text.

use std::borrow::Cow;

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

/// SQLite's result code of a write that found the disk full (`SQLITE_FULL`).
const SQLITE_FULL: &str = "13";

/// PostgreSQL's SQLSTATE `disk_full`.
const PG_DISK_FULL: &str = "53100";

/// PostgreSQL's SQLSTATEs of a server that cannot take the call now: out of memory, too many
/// connections, shutting down, cannot connect now.
const PG_UNAVAILABLE: [&str; 4] = ["53200", "53300", "57P01", "57P03"];

/// What a failed database call means for its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFailure {
    /// A unique index refused the write: the data exists already.
    Duplicate,
    /// The database cannot be reached or cannot take the call now; a retry may succeed.
    Unavailable,
    /// The database's storage is full: no write succeeds until space is freed. Transactions
    /// that failed so were rolled back whole.
    StorageFull,
    /// Anything else: a bug, or a failure nobody can retry around.
    Other,
}

impl DbFailure {
    /// Classifies `err` (of either driver: the synchronous SQLite driver's errors are converted
    /// with their result code, see `sync_sqlite::from_sync`).
    pub fn of(err: &DbErr) -> Self {
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::Unavailable,
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
                Self::of_sqlx(e)
            }
            _ => Self::Other,
        }
    }

    fn of_sqlx(err: &sqlx::Error) -> Self {
        match err {
            sqlx::Error::Database(db) => {
                if db.is_unique_violation() {
                    return Self::Duplicate;
                }
                match db.code().as_deref() {
                    Some(SQLITE_FULL | PG_DISK_FULL) => Self::StorageFull,
                    Some(code) if PG_UNAVAILABLE.contains(&code) => Self::Unavailable,
                    _ => Self::Other,
                }
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Self::Unavailable,
            _ => Self::Other,
        }
    }
}

/// A failure reported by SQLite through the synchronous driver (rusqlite), carried as a
/// database error of the async driver so that both drivers' errors read the same.
#[derive(Debug, thiserror::Error)]
#[error("SQLite error {extended_code}: {message}")]
pub(crate) struct SqliteFailure {
    /// SQLite's extended result code (its low byte is the primary code).
    pub(crate) extended_code: i32,
    /// SQLite's message.
    pub(crate) message: String,
}

impl SqliteFailure {
    /// As an error of the async crate (`DbErr::Query` for reads, `DbErr::Exec` for writes).
    pub(crate) fn into_db_err(self, query: bool) -> DbErr {
        let runtime =
            RuntimeErr::SqlxError(std::sync::Arc::new(sqlx::Error::Database(Box::new(self))));
        if query {
            DbErr::Query(runtime)
        } else {
            DbErr::Exec(runtime)
        }
    }
}

impl sqlx::error::DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    /// The primary result code, as sqlx's SQLite driver gives it for `SQLITE_FULL`; extended
    /// codes where sqlx gives those (constraint violations).
    fn code(&self) -> Option<Cow<'_, str>> {
        let primary = self.extended_code & 0xff;
        let code = if primary == 19 {
            self.extended_code
        } else {
            primary
        };
        Some(Cow::Owned(code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use sqlx::error::ErrorKind;
        // SQLite's extended constraint codes (sqlite3.h: SQLITE_CONSTRAINT_*).
        match self.extended_code {
            1555 | 2067 => ErrorKind::UniqueViolation,
            787 => ErrorKind::ForeignKeyViolation,
            1299 => ErrorKind::NotNullViolation,
            275 => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(extended_code: i32) -> DbErr {
        SqliteFailure {
            extended_code,
            message: "m".to_owned(),
        }
        .into_db_err(false)
    }

    #[test]
    fn sqlite_failures_of_the_sync_driver_classify_by_code() {
        assert_eq!(DbFailure::of(&sqlite(13)), DbFailure::StorageFull);
        assert_eq!(DbFailure::of(&sqlite(2067)), DbFailure::Duplicate);
        assert_eq!(DbFailure::of(&sqlite(1555)), DbFailure::Duplicate);
        assert_eq!(DbFailure::of(&sqlite(787)), DbFailure::Other);
        assert_eq!(DbFailure::of(&sqlite(1)), DbFailure::Other);
    }

    #[test]
    fn connection_failures_are_unavailable() {
        let err = DbErr::Conn(RuntimeErr::Internal("down".to_owned()));
        assert_eq!(DbFailure::of(&err), DbFailure::Unavailable);
        let err = DbErr::Exec(RuntimeErr::SqlxError(std::sync::Arc::new(
            sqlx::Error::PoolTimedOut,
        )));
        assert_eq!(DbFailure::of(&err), DbFailure::Unavailable);
        assert_eq!(
            DbFailure::of(&DbErr::Custom("x".to_owned())),
            DbFailure::Other
        );
    }
}
