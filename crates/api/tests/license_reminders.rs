//! License reminders: 60, 30 and 7 days before a registered line's last day and once it has
//! ended, each once whatever the number of server processes and however late the sweeper
//! runs (only the latest due milestone), in the account's language, naming the product and the
//! partner; with a clock set by the test (`CLP_CLOCK_OFFSET_DAYS`).

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod flow_support;
mod reliability_support;

use std::time::Duration;

use chrono::{Days, NaiveDate, Utc};
use clp_domain::order::OrderType;
use common::{TestApp, TestDb, for_each_db, selected_databases, spawn_app_on, spawn_app_with};
use flow_support::{LineSpec, customer, emails, key, line, order, register};
use reliability_support::{
    ScratchDb, ServerProcess, base_env, count, insert_account, insert_order, insert_partner,
    with_env,
};
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::Value;

fn day(offset: i64) -> NaiveDate {
    let today = Utc::now().date_naive();
    if offset < 0 {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    } else {
        today.checked_add_days(Days::new(offset.unsigned_abs()))
    }
    .unwrap()
}

fn ending(sku: &'static str, offset: i64) -> LineSpec {
    LineSpec {
        term_end: day(offset),
        ..line(sku)
    }
}

/// The reminder emails queued so far: (recipient, language, milestone, first product's SKU).
async fn reminders(app: &TestApp) -> Vec<(String, String, String, String)> {
    let mut found: Vec<_> = emails(app)
        .await
        .into_iter()
        .filter(|e| e["template"] == "license_reminder")
        .map(|e: Value| {
            (
                e["to"].as_str().unwrap().to_owned(),
                e["language"].as_str().unwrap().to_owned(),
                e["data"]["milestone"].as_str().unwrap().to_owned(),
                e["data"]["products"][0]["sku"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Waits until `expected` reminders are queued, then a few more sweeps, and returns them.
async fn settled(app: &TestApp, expected: usize) -> Vec<(String, String, String, String)> {
    for _ in 0..200 {
        if reminders(app).await.len() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // More sweeps of every app: nothing is sent twice.
    tokio::time::sleep(Duration::from_millis(600)).await;
    reminders(app).await
}

fn quick(config: &mut clp_api::Config) {
    config.sweep_interval = Duration::from_millis(100);
}

#[tokio::test]
async fn each_milestone_is_sent_once_and_a_late_sweeper_sends_only_the_latest() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, quick).await;
        let jane = customer(&app, "jane@acme.example").await;
        let taro = customer(&app, "taro@acme.example").await;
        app.db
            .execute_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "UPDATE accounts SET language = 'ja' WHERE id = {}",
                    taro.account_id
                ),
            ))
            .await
            .unwrap();
        let far = order(&app, OrderType::New, &[ending("SMEX", 45)]).await;
        let near = order(&app, OrderType::New, &[ending("DDI", 5)]).await;
        let later = order(&app, OrderType::New, &[ending("WFBSS", 200)]).await;
        register(&app, &jane, &key(&far, 0)).await;
        register(&app, &taro, &key(&near, 0)).await;
        register(&app, &jane, &key(&later, 0)).await;

        // Today: Jane's SMEX is 45 days from its end (the 60-day reminder); Taro's DDI 5 days
        // (only the 7-day one, not 60 and 30 as well); WFBSS nothing yet.
        let sent = settled(&app, 2).await;
        let jane_to = "jane@acme.example".to_owned();
        let taro_to = "taro@acme.example".to_owned();
        let row = |to: &String, lang: &str, milestone: &str, sku: &str| {
            (
                to.clone(),
                lang.to_owned(),
                milestone.to_owned(),
                sku.to_owned(),
            )
        };
        assert_eq!(
            sent,
            [
                row(&jane_to, "en", "d60", "SMEX"),
                row(&taro_to, "ja", "d7", "DDI")
            ]
        );
        let first = emails(&app)
            .await
            .into_iter()
            .find(|e| e["template"] == "license_reminder" && e["to"] == "jane@acme.example")
            .unwrap();
        assert_eq!(
            first["data"]["products"][0]["partner_name"],
            "Channel Partner"
        );
        assert_eq!(
            first["data"]["products"][0]["order_number"],
            far.order_number
        );

        // A second server whose clock is 20 days later, the first still sweeping: Jane's
        // 30-day reminder and Taro's expiry, once each.
        let _b = spawn_app_on(&app, |c| {
            quick(c);
            c.clock_offset_days = 20;
        })
        .await;
        let sent = settled(&app, 4).await;
        assert_eq!(
            sent,
            [
                row(&jane_to, "en", "d30", "SMEX"),
                row(&jane_to, "en", "d60", "SMEX"),
                row(&taro_to, "ja", "d7", "DDI"),
                row(&taro_to, "ja", "expired", "DDI"),
            ]
        );

        // 50 days later (a sweeper that was down meanwhile): Jane's expiry only; the 7-day
        // reminder it slept through is not sent late.
        let _c = spawn_app_on(&app, |c| {
            quick(c);
            c.clock_offset_days = 50;
        })
        .await;
        let sent = settled(&app, 5).await;
        assert_eq!(sent.len(), 5, "{sent:?}");
        assert!(sent.contains(&row(&jane_to, "en", "expired", "SMEX")));
        assert!(!sent.iter().any(|r| r.3 == "WFBSS"));
        assert_eq!(
            reminder_rows(&app.db).await,
            5,
            "one row per line and milestone sent"
        );
    })
    .await;
}

async fn reminder_rows(db: &sea_orm::DatabaseConnection) -> i64 {
    count(db, "SELECT COUNT(*) AS n FROM license_reminders", &[]).await
}

async fn reminder_emails(db: &sea_orm::DatabaseConnection) -> i64 {
    count(
        db,
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'email' AND payload LIKE '%license_reminder%'",
        &[],
    )
    .await
}

#[tokio::test]
async fn two_server_processes_on_one_postgres_send_each_milestone_once() {
    if !selected_databases().contains(&TestDb::Postgres) {
        eprintln!("skipped: needs PostgreSQL (CLP_TEST_DATABASES)");
        return;
    }
    let db = ScratchDb::create(TestDb::Postgres).await;
    let mut setup = false;
    let conn = db.connect().await;
    // Each phase: two processes whose clocks say the same day, sweeping every 100 ms.
    for (offset, expected) in [(0, 1), (31, 2), (40, 2), (55, 3), (70, 4), (200, 4)] {
        let offset_text = offset.to_string();
        let env = with_env(
            base_env(&db),
            &[
                ("CLP_SWEEP_INTERVAL", "100ms"),
                ("CLP_CLOCK_OFFSET_DAYS", &offset_text),
            ],
        );
        let mut a = ServerProcess::start(&env).await;
        let mut b = ServerProcess::start(&env).await;
        if !setup {
            // After the first process migrated the database.
            let account = insert_account(&conn, "lee@load.example").await;
            let partner = insert_partner(&conn).await;
            let order = insert_order(&conn, partner, "SO-REMIND", OrderType::New, &["SMEX"]).await;
            conn.execute_raw(Statement::from_string(
                conn.get_database_backend(),
                format!(
                    "UPDATE order_lines SET registered_account_id = {account}, registered_at = NOW(), \
                     term_end = '{}' WHERE id = {}",
                    day(60),
                    order.lines[0].id
                ),
            ))
            .await
            .unwrap();
            setup = true;
        }
        for _ in 0..200 {
            if reminder_rows(&conn).await >= expected {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(800)).await;
        a.stop().await;
        b.stop().await;
        assert_eq!(reminder_rows(&conn).await, expected, "day +{offset}");
        assert_eq!(
            reminder_emails(&conn).await,
            expected,
            "day +{offset}: emails"
        );
    }
    let milestones = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT milestone FROM license_reminders ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "milestone").unwrap())
        .collect::<Vec<_>>();
    assert_eq!(milestones, ["d60", "d30", "d7", "expired"]);
}
