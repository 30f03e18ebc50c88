//! The synchronous SQLite writer that verifications use: its timestamps order with the async
//! driver's, a session that is not committed leaves nothing, a session waits for the pool's
//! writes and the pool for the session, and a session works only on the thread that began it.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use clp_db::outbox::{self, NewMessage, OutboxKind};
use clp_db::rows::{FromRow, RowRead, RowSource};
use clp_db::sqlite_writer::SqliteWriter;
use clp_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::json;

/// A migrated SQLite file, with a pool of one connection (as the server's writer pool) and
/// the file's writer.
async fn database() -> (DatabaseConnection, SqliteWriter, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("clp-writer-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut options = ConnectOptions::new(url.as_str());
    options.max_connections(1).sqlx_logging(false);
    let pool = Database::connect(options).await.unwrap();
    Migrator::up(&pool, None).await.unwrap();
    let writer = SqliteWriter::open(&url).unwrap().unwrap();
    (pool, writer, path)
}

fn remove(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn email(to: &str) -> NewMessage {
    NewMessage {
        kind: OutboxKind::Email,
        payload: json!({ "to": to }),
        max_attempts: 3,
        subscription_id: None,
        event_id: None,
    }
}

/// The stored text of a message's `next_attempt_at`, by recipient.
struct StoredTime {
    to: String,
    next_attempt_at: String,
}

impl FromRow for StoredTime {
    fn from_row(row: &dyn RowRead) -> Result<Self, sea_orm::DbErr> {
        Ok(Self {
            to: row.string("recipient")?,
            next_attempt_at: row.string("next_attempt_at")?,
        })
    }
}

async fn stored_times(pool: &DatabaseConnection) -> Vec<StoredTime> {
    pool.rows(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT json_extract(payload, '$.to') AS recipient, \
         CAST(next_attempt_at AS TEXT) AS next_attempt_at FROM outbox ORDER BY id",
    ))
    .await
    .unwrap()
}

/// The recipients of the stored messages, in id order.
async fn recipients(pool: &DatabaseConnection) -> Vec<String> {
    stored_times(pool).await.into_iter().map(|t| t.to).collect()
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, hour, 0, 0).unwrap()
}

#[tokio::test]
async fn timestamps_written_by_a_session_are_stored_as_the_pool_stores_them() {
    let (pool, writer, path) = database().await;
    outbox::enqueue_all(&pool, vec![email("pool")], at(9))
        .await
        .unwrap();
    let session = writer.begin(&pool).await.unwrap();
    outbox::enqueue_all(&session, vec![email("session")], at(9))
        .await
        .unwrap();
    session.commit().unwrap();

    let stored = stored_times(&pool).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].to, "pool");
    assert_eq!(
        stored[0].next_attempt_at, stored[1].next_attempt_at,
        "SQLite compares timestamps as text: both drivers must write one form"
    );
    // And the pool's comparisons see the session's row as due at the right time.
    let lease = chrono::Duration::minutes(1);
    let early = outbox::claim_due(&pool, "w", at(8), lease, 10)
        .await
        .unwrap();
    assert!(early.is_empty(), "nothing is due an hour before");
    let due = outbox::claim_due(&pool, "w", at(9), lease, 10)
        .await
        .unwrap();
    assert_eq!(due.len(), 2);
    remove(&path);
}

#[tokio::test]
async fn a_session_not_committed_leaves_nothing() {
    let (pool, writer, path) = database().await;
    {
        let session = writer.begin(&pool).await.unwrap();
        outbox::enqueue_all(&session, vec![email("dropped")], at(9))
            .await
            .unwrap();
    }
    let session = writer.begin(&pool).await.unwrap();
    outbox::enqueue_all(&session, vec![email("rolled back")], at(9))
        .await
        .unwrap();
    session.rollback().unwrap();
    assert!(stored_times(&pool).await.is_empty());

    // The writer still works afterwards.
    let session = writer.begin(&pool).await.unwrap();
    outbox::enqueue_all(&session, vec![email("kept")], at(9))
        .await
        .unwrap();
    session.commit().unwrap();
    assert_eq!(stored_times(&pool).await.len(), 1);
    remove(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_write_waits_for_the_session_to_end() {
    let (pool, writer, path) = database().await;
    let session = writer.begin(&pool).await.unwrap();
    let other = pool.clone();
    let pool_write =
        tokio::spawn(async move { outbox::enqueue_all(&other, vec![email("pool")], at(9)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !pool_write.is_finished(),
        "the pool's only connection is held by the session"
    );
    outbox::enqueue_all(&session, vec![email("session")], at(9))
        .await
        .unwrap();
    session.commit().unwrap();
    pool_write.await.unwrap().unwrap();
    let order: Vec<String> = stored_times(&pool)
        .await
        .into_iter()
        .map(|t| t.to)
        .collect();
    assert_eq!(order, ["session", "pool"]);
    remove(&path);
}

#[tokio::test]
async fn a_session_refuses_statements_from_another_thread() {
    let (pool, writer, path) = database().await;
    let session = writer.begin(&pool).await.unwrap();
    let elsewhere = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                runtime.block_on(outbox::enqueue_all(&session, vec![email("x")], at(9)))
            })
            .join()
            .unwrap()
    });
    let err = elsewhere.unwrap_err();
    assert!(err.to_string().contains("another thread"), "{err}");
    drop(session);
    assert!(stored_times(&pool).await.is_empty());
    remove(&path);
}

#[tokio::test]
async fn a_session_dropped_on_another_thread_is_rolled_back_and_the_writer_goes_on() {
    let (pool, writer, path) = database().await;
    let session = writer.begin(&pool).await.unwrap();
    outbox::enqueue_all(&session, vec![email("abandoned")], at(9))
        .await
        .unwrap();
    // Dropped elsewhere, the session cannot end its transaction, which stays open on this
    // thread's connection.
    let runtime = tokio::runtime::Handle::current();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // The pool's connection it holds goes back through the runtime.
            let _entered = runtime.enter();
            drop(session);
        });
    });
    let session = writer.begin(&pool).await.unwrap();
    outbox::enqueue_all(&session, vec![email("kept")], at(9))
        .await
        .unwrap();
    session.commit().unwrap();
    assert_eq!(recipients(&pool).await, ["kept"]);
    remove(&path);
}
