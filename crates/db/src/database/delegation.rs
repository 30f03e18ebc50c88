//! [`Database`] as a sea-orm connection: every query function taking `&impl ConnectionTrait`
//! or `&impl TransactionTrait` runs on its pool.
//!
//! sea-orm declares these traits with `async_trait`, whose methods return a boxed future; they
//! are written out here to hand back the pool's own boxed future, so a call through a
//! [`Database`] costs no second allocation.

use std::fmt::{Debug, Display};
use std::future::Future;
use std::pin::Pin;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, IsolationLevel,
    QueryResult, Statement, TransactionError, TransactionOptions, TransactionTrait,
};

use super::Database;

/// The future of an `async_trait` method.
type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl ConnectionTrait for Database {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    fn execute_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Boxed<'async_trait, Result<ExecResult, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.execute_raw(stmt)
    }

    fn execute_unprepared<'life0, 'life1, 'async_trait>(
        &'life0 self,
        sql: &'life1 str,
    ) -> Boxed<'async_trait, Result<ExecResult, DbErr>>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.execute_unprepared(sql)
    }

    fn query_one_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Boxed<'async_trait, Result<Option<QueryResult>, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.query_one_raw(stmt)
    }

    fn query_all_raw<'life0, 'async_trait>(
        &'life0 self,
        stmt: Statement,
    ) -> Boxed<'async_trait, Result<Vec<QueryResult>, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.query_all_raw(stmt)
    }
}

impl TransactionTrait for Database {
    type Transaction = DatabaseTransaction;

    fn begin<'life0, 'async_trait>(
        &'life0 self,
    ) -> Boxed<'async_trait, Result<DatabaseTransaction, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.begin()
    }

    fn begin_with_config<'life0, 'async_trait>(
        &'life0 self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Boxed<'async_trait, Result<DatabaseTransaction, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.begin_with_config(isolation_level, access_mode)
    }

    fn begin_with_options<'life0, 'async_trait>(
        &'life0 self,
        options: TransactionOptions,
    ) -> Boxed<'async_trait, Result<DatabaseTransaction, DbErr>>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.begin_with_options(options)
    }

    fn transaction<'life0, 'async_trait, F, T, E>(
        &'life0 self,
        callback: F,
    ) -> Boxed<'async_trait, Result<T, TransactionError<E>>>
    where
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> Boxed<'c, Result<T, E>> + Send,
        T: Send,
        E: Display + Debug + Send,
        F: 'async_trait,
        T: 'async_trait,
        E: 'async_trait,
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool.transaction(callback)
    }

    fn transaction_with_config<'life0, 'async_trait, F, T, E>(
        &'life0 self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Boxed<'async_trait, Result<T, TransactionError<E>>>
    where
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> Boxed<'c, Result<T, E>> + Send,
        T: Send,
        E: Display + Debug + Send,
        F: 'async_trait,
        T: 'async_trait,
        E: 'async_trait,
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        self.pool
            .transaction_with_config(callback, isolation_level, access_mode)
    }
}
