//! The synchronous SQLite writer that verifications use ([`Database::begin_write`] on a SQLite
//! file): its timestamps order with the async driver's, a session that is not committed leaves
//! nothing, and a session waits for the pool's writes and the pool for the session. (That a
//! session stays on the thread that began it is checked by the compiler: it is not `Send`.)

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use clp_db::Database;
use clp_db::outbox::{self, NewMessage, OutboxKind};
use clp_db::rows::{FromRow, RowRead, RowSource};
use clp_db::writes::WriteTransaction as _;
use sea_orm::{DbBackend, Statement, TransactionTrait as _};
use serde_json::json;

/// A migrated SQLite file, connected as the server connects to it: a pool of one connection
/// (the process's writer) and the synchronous writer.
async fn database() -> (Database, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("clp-writer-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect_and_migrate(&url).await.unwrap();
    (db, path)
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

/// The stored messages, in id order, read through the pool.
async fn stored_times(db: &Database) -> Vec<StoredTime> {
    db.rows(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT json_extract(payload, '$.to') AS recipient, \
         CAST(next_attempt_at AS TEXT) AS next_attempt_at FROM outbox ORDER BY id",
    ))
    .await
    .unwrap()
}

/// The recipients of the stored messages, in id order.
async fn recipients(db: &Database) -> Vec<String> {
    stored_times(db).await.into_iter().map(|t| t.to).collect()
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, hour, 0, 0).unwrap()
}

#[tokio::test]
async fn timestamps_written_by_a_session_are_stored_as_the_pool_stores_them() {
    let (db, path) = database().await;
    outbox::enqueue_all(&db, vec![email("pool")], at(9))
        .await
        .unwrap();
    let session = db.begin_write().await.unwrap();
    outbox::enqueue_all(&session, vec![email("session")], at(9))
        .await
        .unwrap();
    session.commit().await.unwrap();

    let stored = stored_times(&db).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].to, "pool");
    assert_eq!(
        stored[0].next_attempt_at, stored[1].next_attempt_at,
        "SQLite compares timestamps as text: both drivers must write one form"
    );
    // And the pool's comparisons see the session's row as due at the right time.
    let lease = chrono::Duration::minutes(1);
    let early = outbox::claim_due(&db, "w", at(8), lease, 10).await.unwrap();
    assert!(early.is_empty(), "nothing is due an hour before");
    let due = outbox::claim_due(&db, "w", at(9), lease, 10).await.unwrap();
    assert_eq!(due.len(), 2);
    remove(&path);
}

#[tokio::test]
async fn a_session_not_committed_leaves_nothing() {
    let (db, path) = database().await;
    {
        let session = db.begin_write().await.unwrap();
        outbox::enqueue_all(&session, vec![email("dropped")], at(9))
            .await
            .unwrap();
    }
    let session = db.begin_write().await.unwrap();
    outbox::enqueue_all(&session, vec![email("rolled back")], at(9))
        .await
        .unwrap();
    session.rollback().await.unwrap();
    assert!(stored_times(&db).await.is_empty());

    // The writer still works afterwards.
    let session = db.begin_write().await.unwrap();
    outbox::enqueue_all(&session, vec![email("kept")], at(9))
        .await
        .unwrap();
    session.commit().await.unwrap();
    assert_eq!(recipients(&db).await, ["kept"]);
    remove(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_write_waits_for_the_session_to_end() {
    let (db, path) = database().await;
    let session = db.begin_write().await.unwrap();
    let other = db.clone();
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
    session.commit().await.unwrap();
    pool_write.await.unwrap().unwrap();
    assert_eq!(recipients(&db).await, ["session", "pool"]);
    remove(&path);
}

#[tokio::test]
async fn a_session_waits_for_the_pool_transaction_to_end() {
    let (db, path) = database().await;
    let txn = db.begin().await.unwrap();
    outbox::enqueue_all(&txn, vec![email("pool")], at(9))
        .await
        .unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(200), db.begin_write()).await;
    assert!(
        waited.is_err(),
        "the pool's only connection is held by its transaction"
    );
    txn.commit().await.unwrap();
    let session = db.begin_write().await.unwrap();
    outbox::enqueue_all(&session, vec![email("session")], at(9))
        .await
        .unwrap();
    session.commit().await.unwrap();
    assert_eq!(recipients(&db).await, ["pool", "session"]);
    remove(&path);
}
