//! How many statements a verification sends to the database: on SQLite every write goes
//! through one writer connection, so the verification throughput is bounded by the length of
//! its transaction. The budgets below count the statements sea-orm sends (the transaction's
//! `BEGIN` and `COMMIT` come on top). Two of them keep the order's state: the no-op update
//! that locks the order's row unless it is cancelled (the database decides a cancel racing a
//! registration) and the update of `orders.status` (the partner listing filters it by index).

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

#[path = "activation_support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};

use clp_db::Database;
use clp_db::activations;
use clp_db::webhooks::{self, NewSubscription};
use clp_domain::order::OrderType;
use clp_domain::region::Region;
use support::{TestDb, account, line, mail, notice, on_each_database, order, partner, pending, t0};

/// The test database served by a pool of its own alone (so that a verification runs on it on
/// SQLite too, where the server's writes a synchronous session), which records the SQL of every
/// statement it sends. The statements are the same on both drivers.
async fn recording(db: &TestDb) -> (Database, Arc<Mutex<Vec<String>>>) {
    let mut options = sea_orm::ConnectOptions::new(db.url.as_str());
    options.max_connections(1).sqlx_logging(false);
    let mut counted = Database::from_pool(sea_orm::Database::connect(options).await.unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    counted.set_metric_callback(move |info| {
        sink.lock().unwrap().push(info.statement.sql.clone());
    });
    (counted, log)
}

fn taken(log: &Mutex<Vec<String>>) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// The lines of a typical account-based order: an XDR add-on and four AC products.
const FIVE_LINES: [&str; 5] = ["XDR-DDI", "A1", "DDI", "SMEX", "IMSVA"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifying_a_five_line_order_into_a_new_account_takes_thirteen_statements() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let lines: Vec<_> = FIVE_LINES.iter().map(|sku| line(sku)).collect();
        let order = order(&db.conn, &db.catalog, partner, OrderType::New, &lines).await;
        let account = account(&db.conn, "new@acme.example", false).await;
        pending(&db.conn, &order, account, "tok", Some(Region::Us), true).await;

        let (counted, log) = recording(&db).await;
        activations::complete_activation(&counted, &db.catalog, "tok", None, t0(), mail)
            .await
            .unwrap();
        let statements = taken(&log);
        eprintln!(
            "{:?}: {} statements\n{}",
            db.kind,
            statements.len(),
            statements.join("\n")
        );
        // Claim, order, account, codes, SaaS instances, lines, new codes, account region and
        // verification, audit, subscriptions, outbox.
        assert_eq!(statements.len(), 13, "{statements:#?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifying_into_an_account_with_a_region_and_a_subscribed_partner_takes_twelve_statements()
{
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        webhooks::create(
            &db.conn,
            &NewSubscription {
                partner_id: partner,
                url: "https://partner.example/hooks".into(),
                events: vec!["order.activated".into(), "line.registered".into()],
                secret: "whsec_c2VjcmV0".into(),
            },
            t0(),
        )
        .await
        .unwrap();
        let account = account(&db.conn, "jane@acme.example", true).await;
        let earlier = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        pending(
            &db.conn,
            &earlier,
            account,
            "earlier",
            Some(Region::Us),
            false,
        )
        .await;
        activations::complete_activation(&db.conn, &db.catalog, "earlier", None, t0(), mail)
            .await
            .unwrap();
        let lines: Vec<_> = FIVE_LINES.iter().map(|sku| line(sku)).collect();
        let order = order(&db.conn, &db.catalog, partner, OrderType::New, &lines).await;
        pending(&db.conn, &order, account, "tok", None, false).await;

        let (counted, log) = recording(&db).await;
        activations::complete_activation(&counted, &db.catalog, "tok", None, t0(), mail)
            .await
            .unwrap();
        let statements = taken(&log);
        eprintln!(
            "{:?}: {} statements\n{}",
            db.kind,
            statements.len(),
            statements.join("\n")
        );
        // The region is kept and the account is verified already: no account update; the six
        // webhook messages share the outbox insert.
        assert_eq!(statements.len(), 12, "{statements:#?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_registration_takes_twelve_statements() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("SMEX"), line("DDI")],
        )
        .await;

        let (counted, log) = recording(&db).await;
        activations::register_legacy(
            &counted,
            &db.catalog,
            &order.lines[0].registration_key,
            account,
            None,
            t0(),
            notice,
        )
        .await
        .unwrap();
        let statements = taken(&log);
        eprintln!(
            "{:?}: {} statements\n{}",
            db.kind,
            statements.len(),
            statements.join("\n")
        );
        // Lock, order, account, codes, SaaS instances, line, new code, audit, subscriptions,
        // outbox.
        assert_eq!(statements.len(), 12, "{statements:#?}");
    })
    .await;
}
