//! [`WriteTxn`]: the write transaction [`crate::Database::begin_write`] began.

use sea_orm::{DatabaseTransaction, DbBackend, DbErr, Statement};

use crate::rows::{FromRow, RowSource};
use crate::sqlite_writer::WriteSession;
use crate::writes::{StatementWriter, WriteTransaction};

/// A write transaction: a synchronous SQLite write session on a SQLite file, a transaction of
/// the pool otherwise (see [`crate::Database::begin_write`]). [`WriteTransaction::commit`]
/// commits it; dropped otherwise, it rolls back.
///
/// It is not `Send`: a write session's transaction lives on the connection of the thread that
/// began it, so the compiler keeps it there.
///
/// ```compile_fail
/// fn on_another_thread<T: Send>(_: T) {}
/// async fn verify(db: &clp_db::Database) -> Result<(), clp_db::DbErr> {
///     on_another_thread(db.begin_write().await?);
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct WriteTxn<'a>(Txn<'a>);

#[derive(Debug)]
enum Txn<'a> {
    Sync(WriteSession<'a>),
    Pool(DatabaseTransaction),
}

impl<'a> WriteTxn<'a> {
    pub(super) fn sync(session: WriteSession<'a>) -> Self {
        Self(Txn::Sync(session))
    }

    pub(super) fn pool(txn: DatabaseTransaction) -> Self {
        Self(Txn::Pool(txn))
    }
}

impl RowSource for WriteTxn<'_> {
    fn backend(&self) -> DbBackend {
        match &self.0 {
            Txn::Sync(_) => DbBackend::Sqlite,
            Txn::Pool(txn) => txn.backend(),
        }
    }

    async fn rows<R: FromRow>(&self, statement: Statement) -> Result<Vec<R>, DbErr> {
        match &self.0 {
            Txn::Sync(session) => session.rows(statement),
            Txn::Pool(txn) => txn.rows(statement).await,
        }
    }
}

impl StatementWriter for WriteTxn<'_> {
    async fn write(&self, statement: Statement) -> Result<u64, DbErr> {
        match &self.0 {
            Txn::Sync(session) => session.write(statement),
            Txn::Pool(txn) => txn.write(statement).await,
        }
    }

    async fn write_unless_duplicate(&self, statement: Statement) -> Result<Option<u64>, DbErr> {
        match &self.0 {
            Txn::Sync(session) => session.write_unless_duplicate(statement),
            Txn::Pool(txn) => txn.write_unless_duplicate(statement).await,
        }
    }
}

impl WriteTransaction for WriteTxn<'_> {
    async fn commit(self) -> Result<(), DbErr> {
        match self.0 {
            Txn::Sync(session) => session.commit(),
            Txn::Pool(txn) => txn.commit().await,
        }
    }

    async fn rollback(self) -> Result<(), DbErr> {
        match self.0 {
            Txn::Sync(session) => session.rollback(),
            Txn::Pool(txn) => txn.rollback().await,
        }
    }
}
