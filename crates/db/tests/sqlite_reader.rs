//! The synchronous SQLite reader of the preview ([`Database::reads`] on a SQLite file) reads
//! what the pool reads, sees every commit at once (a registration shows in the very next
//! read), and cannot write; nor can the read pool.

#[path = "activation_support/mod.rs"]
mod support;

use clp_db::holdings::find_hint_candidates;
use clp_db::orders::find_order_by_key;
use clp_db::rows::RowSource as _;
use clp_db::{ConnectionTrait as _, Database, activations};
use clp_domain::account::AccountSummary;
use clp_domain::order::OrderType;
use sea_orm::{DbBackend, Statement};
use support::{account, line, notice, order, partner, t0};

#[tokio::test]
async fn the_reader_reads_what_the_pool_reads_and_every_commit_at_once() {
    let path = std::env::temp_dir().join(format!("clp-reader-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect_and_migrate(&url).await.unwrap();
    let catalog = clp_db::catalog::load_catalog(&db).await.unwrap();
    let reader = db.reads();

    let partner_id = partner(&db).await;
    let owner = account(&db, "jane.doe@acme.example", true).await;
    let placed = order(
        &db,
        &catalog,
        partner_id,
        OrderType::New,
        &[line("SMEX"), line("DDI")],
    )
    .await;
    let key = &placed.lines[0].registration_key;

    let read = find_order_by_key(&reader, key).await.unwrap().unwrap();
    assert_eq!(
        read, placed,
        "the reader decodes the order as the pool does"
    );
    assert!(read.lines.iter().all(|l| l.registration.is_none()));

    // A line registered through the writer shows in the reader's very next read.
    activations::register_legacy(&db, &catalog, key, owner, None, t0(), notice)
        .await
        .unwrap();
    let after = find_order_by_key(&reader, key).await.unwrap().unwrap();
    let pooled = find_order_by_key(&db, key).await.unwrap().unwrap();
    assert_eq!(
        after, pooled,
        "timestamps and account ids decode the same way"
    );
    let registration = after.lines[0].registration.as_ref().unwrap();
    assert_eq!(registration.account_id, owner);
    assert_eq!(registration.registered_at, t0());

    let candidates: Vec<AccountSummary> = find_hint_candidates(&reader, &after).await.unwrap();
    assert_eq!(candidates, find_hint_candidates(&db, &after).await.unwrap());
    assert_eq!(candidates.len(), 1, "{candidates:?}");

    // The reader's connections and the read pool's are query-only.
    let write = reader
        .rows::<AccountSummary>(Statement::from_string(
            DbBackend::Sqlite,
            "UPDATE accounts SET company = 'Mallory Inc.'",
        ))
        .await;
    assert!(write.is_err(), "{write:?}");
    let write = db
        .read_pool()
        .execute_unprepared("UPDATE accounts SET company = 'Mallory Inc.'")
        .await;
    assert!(write.is_err(), "{write:?}");
    let unchanged = find_hint_candidates(&db, &after).await.unwrap();
    assert_eq!(unchanged[0].company, candidates[0].company);

    let _ = db.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
