//! A [`Database`] serves the hot paths on the synchronous SQLite connections on a SQLite file,
//! and on its pool on PostgreSQL and on in-memory SQLite (which only the pool's connection
//! sees). Observed through sea-orm's metric callback, which sees every statement sent through
//! the async pools and none of the synchronous connections'.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

#[path = "activation_support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};

use clp_db::outbox::{self, NewMessage, OutboxKind};
use clp_db::rows::{FromRow, RowRead, RowSource as _};
use clp_db::writes::WriteTransaction as _;
use clp_db::{ConnectionTrait as _, Database};
use sea_orm::Statement;
use serde_json::json;
use support::{Kind, on_each_database, t0};

struct Count(i64);

impl FromRow for Count {
    fn from_row(row: &dyn RowRead) -> Result<Self, sea_orm::DbErr> {
        row.i64("n").map(Self)
    }
}

/// Enqueues one email in a write transaction of `db` and commits it.
async fn enqueue_one(db: &Database) {
    let txn = db.begin_write().await.unwrap();
    let message = NewMessage {
        kind: OutboxKind::Email,
        payload: json!({ "to": "jane@acme.example" }),
        max_attempts: 3,
        subscription_id: None,
        event_id: None,
    };
    outbox::enqueue_all(&txn, vec![message], t0())
        .await
        .unwrap();
    txn.commit().await.unwrap();
}

/// The outbox's row count, read through `db`'s hot-path reader.
async fn outbox_rows(db: &Database) -> i64 {
    let count = Statement::from_string(
        db.get_database_backend(),
        "SELECT COUNT(*) AS n FROM outbox",
    );
    let rows: Vec<Count> = db.reads().rows(count).await.unwrap();
    rows[0].0
}

/// A worker's handle (`Database::for_worker`: on PostgreSQL a pool of its own, opened on the
/// calling runtime; on SQLite the same database) and the process's see each other's commits at
/// once: nothing is cached on either side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_handle_and_the_process_handle_see_each_others_commits() {
    on_each_database(|db| async move {
        let worker = db.conn.for_worker();
        assert_eq!(outbox_rows(&worker).await, 0);
        enqueue_one(&db.conn).await;
        assert_eq!(
            outbox_rows(&worker).await,
            1,
            "the worker sees the process's commit"
        );
        enqueue_one(&worker).await;
        assert_eq!(
            outbox_rows(&db.conn).await,
            2,
            "the process sees the worker's commit"
        );
        assert_eq!(outbox_rows(&worker).await, 2);
    })
    .await;
}

/// What the pool of `db` saw of one read through [`Database::reads`] and one write
/// transaction through [`Database::begin_write`]: the SQL it ran, and whether the write was
/// committed (read back through the pool).
async fn pool_statements(db: &Database) -> (Vec<String>, i64) {
    let mut db = db.clone();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    db.set_metric_callback(move |info| sink.lock().unwrap().push(info.statement.sql.clone()));
    let backend = db.get_database_backend();

    let count = || Statement::from_string(backend, "SELECT COUNT(*) AS n FROM outbox");
    let before: Vec<Count> = db.reads().rows(count()).await.unwrap();
    assert_eq!(before[0].0, 0);
    enqueue_one(&db).await;
    let statements = std::mem::take(&mut *log.lock().unwrap());
    let after: Vec<Count> = db.rows(count()).await.unwrap();
    (statements, after[0].0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_file_is_read_and_written_on_the_synchronous_connections_and_postgres_on_the_pool()
{
    on_each_database(|db| async move {
        let (statements, stored) = pool_statements(&db.conn).await;
        assert_eq!(stored, 1, "the write was committed");
        let touched_outbox = statements
            .iter()
            .filter(|sql| sql.contains("outbox"))
            .count();
        match db.kind {
            Kind::Sqlite => assert_eq!(
                touched_outbox, 0,
                "the synchronous reader and writer served the calls: {statements:#?}"
            ),
            Kind::Postgres => assert_eq!(
                touched_outbox, 2,
                "the pool served the read and the insert: {statements:#?}"
            ),
        }
    })
    .await;
}

#[tokio::test]
async fn an_in_memory_sqlite_database_is_read_and_written_on_its_pool() {
    let db = Database::connect_and_migrate("sqlite::memory:")
        .await
        .unwrap();
    let (statements, stored) = pool_statements(&db).await;
    assert_eq!(stored, 1, "the write was committed");
    let touched_outbox = statements
        .iter()
        .filter(|sql| sql.contains("outbox"))
        .count();
    assert_eq!(
        touched_outbox, 2,
        "the pool served the read and the insert: {statements:#?}"
    );
}
