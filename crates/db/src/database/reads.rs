//! [`Reads`]: the reader [`crate::Database::reads`] picked.

use sea_orm::{DatabaseConnection, DbBackend, DbErr, Statement};

use crate::rows::{FromRow, RowSource};
use crate::sqlite_reader::SqliteReader;

/// The [`RowSource`] of the hot read paths: the synchronous SQLite reader on a SQLite file,
/// the pool otherwise (see [`crate::Database::reads`]).
#[derive(Debug, Clone, Copy)]
pub struct Reads<'a>(Reader<'a>);

#[derive(Debug, Clone, Copy)]
enum Reader<'a> {
    Sync(&'a SqliteReader),
    Pool(&'a DatabaseConnection),
}

impl<'a> Reads<'a> {
    pub(super) fn sync(reader: &'a SqliteReader) -> Self {
        Self(Reader::Sync(reader))
    }

    pub(super) fn pool(pool: &'a DatabaseConnection) -> Self {
        Self(Reader::Pool(pool))
    }

    /// Whether the statements run on the calling thread (the synchronous SQLite reader), not
    /// awaited on a pool.
    pub fn is_synchronous(&self) -> bool {
        matches!(self.0, Reader::Sync(_))
    }
}

impl RowSource for Reads<'_> {
    fn backend(&self) -> DbBackend {
        match self.0 {
            Reader::Sync(_) => DbBackend::Sqlite,
            Reader::Pool(pool) => pool.backend(),
        }
    }

    async fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        match self.0 {
            Reader::Sync(reader) => reader.rows_now(statement),
            Reader::Pool(pool) => pool.rows(statement).await,
        }
    }
}
