//! Write statements that run the same way on the async pool (or one of its transactions) and
//! on a synchronous SQLite write session (a [`crate::database::WriteTxn`] on a SQLite file).

use std::future::Future;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, Statement};

use crate::failure::DbFailure;
use crate::rows::RowSource;

/// Something that runs read and write statements: any sea-orm connection or transaction, or
/// a [`crate::database::WriteTxn`].
pub trait StatementWriter: RowSource {
    /// Runs `statement`; how many rows it changed.
    fn write(&self, statement: Statement) -> impl Future<Output = Result<u64, DbErr>>;

    /// Runs `statement` (an insert); how many rows it inserted, or `None` when a unique index
    /// refused it. The caller then rolls its transaction back (on PostgreSQL the failed
    /// statement has aborted it).
    fn write_unless_duplicate(
        &self,
        statement: Statement,
    ) -> impl Future<Output = Result<Option<u64>, DbErr>>;
}

impl<C: ConnectionTrait> StatementWriter for C {
    async fn write(&self, statement: Statement) -> Result<u64, DbErr> {
        Ok(self.execute_raw(statement).await?.rows_affected())
    }

    async fn write_unless_duplicate(&self, statement: Statement) -> Result<Option<u64>, DbErr> {
        match self.execute_raw(statement).await {
            Ok(result) => Ok(Some(result.rows_affected())),
            Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => Ok(None),
            Err(err) => Err(err),
        }
    }
}

/// A write transaction that ends by [`Self::commit`] or [`Self::rollback`] (dropped, it rolls
/// back): a sea-orm [`DatabaseTransaction`] or a [`crate::database::WriteTxn`].
pub trait WriteTransaction: StatementWriter {
    /// Commits the transaction.
    fn commit(self) -> impl Future<Output = Result<(), DbErr>>;

    /// Rolls the transaction back.
    fn rollback(self) -> impl Future<Output = Result<(), DbErr>>;
}

impl WriteTransaction for DatabaseTransaction {
    async fn commit(self) -> Result<(), DbErr> {
        DatabaseTransaction::commit(self).await
    }

    async fn rollback(self) -> Result<(), DbErr> {
        DatabaseTransaction::rollback(self).await
    }
}
