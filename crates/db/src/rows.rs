//! Read statements that run the same way on the async pool and on a synchronous SQLite
//! connection ([`crate::Database::reads`]): a [`RowSource`] runs a [`Statement`]
//! and decodes its rows with [`FromRow`] through the [`RowRead`] getters.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement};

/// Typed column getters over one result row, by column name.
pub trait RowRead {
    /// A non-null integer column.
    fn i64(&self, column: &str) -> Result<i64, DbErr>;
    /// A nullable integer column.
    fn opt_i64(&self, column: &str) -> Result<Option<i64>, DbErr>;
    /// A non-null 32-bit integer column.
    fn i32(&self, column: &str) -> Result<i32, DbErr>;
    /// A non-null text column.
    fn string(&self, column: &str) -> Result<String, DbErr>;
    /// A nullable text column.
    fn opt_string(&self, column: &str) -> Result<Option<String>, DbErr>;
    /// A non-null date column.
    fn date(&self, column: &str) -> Result<NaiveDate, DbErr>;
    /// A nullable timestamp column (UTC).
    fn opt_timestamp(&self, column: &str) -> Result<Option<DateTime<Utc>>, DbErr>;
    /// A non-null timestamp column (UTC).
    fn timestamp(&self, column: &str) -> Result<DateTime<Utc>, DbErr>;
    /// A non-null boolean column.
    fn bool(&self, column: &str) -> Result<bool, DbErr>;
}

/// A value built from one result row.
pub trait FromRow: Sized {
    /// Reads the row's columns.
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr>;
}

/// Something that runs read statements: any sea-orm connection or transaction,
/// [`crate::database::Reads`] or [`crate::database::WriteTxn`].
pub trait RowSource {
    /// The SQL dialect of the statements it runs.
    fn backend(&self) -> DbBackend;

    /// Runs `statement` and decodes every row.
    fn rows<R: FromRow>(&self, statement: Statement)
    -> impl Future<Output = Result<Vec<R>, DbErr>>;
}

impl<C: ConnectionTrait> RowSource for C {
    fn backend(&self) -> DbBackend {
        self.get_database_backend()
    }

    async fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        self.query_all_raw(statement)
            .await?
            .iter()
            .map(|row| R::from_row(row))
            .collect()
    }
}

impl RowRead for QueryResult {
    fn i64(&self, column: &str) -> Result<i64, DbErr> {
        self.try_get("", column)
    }

    fn opt_i64(&self, column: &str) -> Result<Option<i64>, DbErr> {
        self.try_get("", column)
    }

    fn i32(&self, column: &str) -> Result<i32, DbErr> {
        self.try_get("", column)
    }

    fn string(&self, column: &str) -> Result<String, DbErr> {
        self.try_get("", column)
    }

    fn opt_string(&self, column: &str) -> Result<Option<String>, DbErr> {
        self.try_get("", column)
    }

    fn date(&self, column: &str) -> Result<NaiveDate, DbErr> {
        self.try_get("", column)
    }

    fn opt_timestamp(&self, column: &str) -> Result<Option<DateTime<Utc>>, DbErr> {
        self.try_get("", column)
    }

    fn timestamp(&self, column: &str) -> Result<DateTime<Utc>, DbErr> {
        self.try_get("", column)
    }

    fn bool(&self, column: &str) -> Result<bool, DbErr> {
        self.try_get("", column)
    }
}
