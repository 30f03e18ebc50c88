//! Test support of the activation tests: a fresh database per test on SQLite and PostgreSQL,
//! and builders of partners, accounts and orders.
//!
//! `CLP_TEST_DATABASES` (`sqlite,postgres`, the default) selects the databases; a selected
//! PostgreSQL that does not answer fails the test, it is never skipped.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the support module"
)]
#![expect(
    clippy::expect_used,
    reason = "test support: a failed setup fails the test"
)]

use std::future::Future;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use clp_db::activations::{self, NewPendingActivation, PendingActivation};
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::outbox::{NewMessage, OutboxKind};
use clp_db::partners::{self, NewPartner};
use clp_db::{ConnectionTrait, Database};
use clp_domain::account::AccountId;
use clp_domain::catalog::Catalog;
use clp_domain::order::{EndCustomer, Order, OrderType, SuiteComponent};
use clp_domain::region::Region;
use clp_domain::{ActivationCode, RegistrationKey};
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::{Alias, ExprTrait, Query};

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database kind a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in the temporary directory.
    Sqlite,
    /// A fresh PostgreSQL database on 127.0.0.1:5432.
    Postgres,
}

/// The databases selected by `CLP_TEST_DATABASES`.
pub fn selected() -> Vec<Kind> {
    let raw = std::env::var("CLP_TEST_DATABASES").unwrap_or_else(|_| "sqlite,postgres".into());
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "sqlite" => Kind::Sqlite,
            "postgres" | "postgresql" => Kind::Postgres,
            other => panic!("CLP_TEST_DATABASES names an unknown database {other:?}"),
        })
        .collect()
}

/// A migrated, empty database with the seeded catalog.
pub struct TestDb {
    /// Which database.
    pub kind: Kind,
    /// The database, as the server connects to it (on SQLite, with the synchronous reader and
    /// writer).
    pub conn: Database,
    /// The catalog read from it.
    pub catalog: Catalog,
    /// Its URL.
    pub url: String,
    pg_name: Option<String>,
    sqlite_path: Option<std::path::PathBuf>,
}

impl TestDb {
    async fn create(kind: Kind) -> TestDb {
        let (url, pg_name, sqlite_path) = match kind {
            Kind::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("clp-db-test-{}.db", uuid::Uuid::new_v4()));
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    None,
                    Some(path),
                )
            }
            Kind::Postgres => {
                let name = format!("clp_test_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(PG_ADMIN_URL)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL is selected but does not answer at {PG_ADMIN_URL}: {e}")
                    });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                admin.close().await.expect("close the admin connection");
                (
                    format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    Some(name),
                    None,
                )
            }
        };
        let conn = Database::connect_and_migrate(&url)
            .await
            .expect("connect to and migrate the test database");
        let catalog = clp_db::catalog::load_catalog(&conn)
            .await
            .expect("load the catalog");
        TestDb {
            kind,
            conn,
            catalog,
            url,
            pg_name,
            sqlite_path,
        }
    }

    async fn destroy(self) {
        let _ = self.conn.close().await;
        if let Some(name) = self.pg_name
            && let Ok(admin) = sea_orm::Database::connect(PG_ADMIN_URL).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            let _ = admin.close().await;
        }
        if let Some(path) = self.sqlite_path {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// Runs `test` once on every selected database, each time on a fresh one that is dropped
/// afterwards (also when the test panics; the panic is then re-raised).
///
/// The test runs on the calling thread, as a handler runs on its HTTP worker: a verification
/// holds a write session, which is not `Send`. Its concurrent tasks are
/// `tokio::task::spawn_local`ed onto the same thread.
pub async fn on_each_database<F, Fut>(test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    for kind in selected() {
        let db = TestDb::create(kind).await;
        let handle = TestDb {
            kind: db.kind,
            conn: db.conn.clone(),
            catalog: db.catalog.clone(),
            url: db.url.clone(),
            pg_name: None,
            sqlite_path: None,
        };
        let local = tokio::task::LocalSet::new();
        let task = local.spawn_local(test(handle));
        let outcome = local.run_until(task).await;
        db.destroy().await;
        if let Err(err) = outcome {
            match err.try_into_panic() {
                Ok(panic) => {
                    eprintln!("test failed on {kind:?}");
                    std::panic::resume_unwind(panic)
                }
                Err(err) => panic!("test task on {kind:?} failed: {err}"),
            }
        }
    }
}

/// A fixed "now" for tests.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// A date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Creates a partner and returns its id.
pub async fn partner(conn: &impl ConnectionTrait) -> i64 {
    partners::create(
        conn,
        &NewPartner {
            name: "Channel Partner".into(),
            client_id: format!("partner-{}", uuid::Uuid::new_v4().simple()),
            client_secret_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            scopes: vec!["orders:write".into(), "orders:read".into()],
        },
        t0(),
    )
    .await
    .expect("create a partner")
    .id
}

/// Creates a simplified-profile account and returns its id.
pub async fn account(conn: &impl ConnectionTrait, email: &str, verified: bool) -> AccountId {
    let created = clp_db::accounts::create_simplified(
        conn,
        &clp_db::accounts::NewSimplifiedAccount {
            email: email.to_owned(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            full_name: "Jane Doe".into(),
            company: "Acme Corporation".into(),
            country: "US".into(),
            language: clp_domain::Lang::En,
        },
        t0(),
    )
    .await
    .expect("create an account");
    if verified {
        clp_db::accounts::mark_email_verified(conn, created.id)
            .await
            .expect("verify the account");
    }
    created.id
}

/// A line of a test order.
#[derive(Debug, Clone)]
pub struct LineSpec {
    /// SKU.
    pub sku: &'static str,
    /// Retained ACs of suite components: `(component sku, code)`.
    pub retained: Vec<(&'static str, ActivationCode)>,
    /// The AC a renewal line renews.
    pub renews: Option<ActivationCode>,
    /// Term end.
    pub term_end: NaiveDate,
}

/// A plain line of `sku` ending 2026-12-31.
pub fn line(sku: &'static str) -> LineSpec {
    LineSpec {
        sku,
        retained: Vec::new(),
        renews: None,
        term_end: date(2026, 12, 31),
    }
}

/// Inserts an order of `partner_id` with the given lines (keys generated with the product
/// prefixes) and returns it.
pub async fn order(
    conn: &impl ConnectionTrait,
    catalog: &Catalog,
    partner_id: i64,
    order_type: OrderType,
    specs: &[LineSpec],
) -> Order {
    let lines: Vec<NewLine> = {
        let mut rng = rand::rng();
        specs
            .iter()
            .map(|spec| {
                let product = catalog.get(spec.sku).expect("known SKU");
                let components = if spec.retained.is_empty() {
                    Vec::new()
                } else {
                    product
                        .components
                        .iter()
                        .map(|sku| SuiteComponent {
                            sku: sku.clone(),
                            retained_ac: spec
                                .retained
                                .iter()
                                .find(|(s, _)| s == sku)
                                .map(|(_, code)| code.clone()),
                        })
                        .collect()
                };
                NewLine {
                    sku: spec.sku.to_owned(),
                    seats: 50,
                    term_start: date(2026, 1, 1),
                    term_end: spec.term_end,
                    registration_key: RegistrationKey::generate(&product.key_prefix, &mut rng)
                        .expect("generate a key"),
                    components,
                    renews_ac: spec.renews.clone(),
                }
            })
            .collect()
    };
    orders::insert_order(
        conn,
        &NewOrder {
            partner_id,
            order_number: format!("SO-{}", uuid::Uuid::new_v4().simple()),
            order_type,
            purchase_date: date(2026, 1, 2),
            end_customer: EndCustomer {
                company: "Acme Corporation".into(),
                contact_name: "Jane Doe".into(),
                contact_email: "jane.doe@acme.example".into(),
                country: "US".into(),
            },
            lines,
        },
        t0(),
    )
    .await
    .expect("insert an order")
}

/// Creates a pending activation of `order` into `account` with token hash `token_hash`,
/// expiring a day after [`t0`].
pub async fn pending(
    conn: &impl ConnectionTrait,
    order: &Order,
    account: AccountId,
    token_hash: &str,
    region: Option<Region>,
    new_account: bool,
) -> PendingActivation {
    activations::create_pending(
        conn,
        &NewPendingActivation {
            order_id: order.id,
            account_id: account,
            region,
            token_hash: token_hash.to_owned(),
            language: clp_domain::Lang::En,
            new_account,
            expires_at: t0() + Duration::hours(24),
        },
        t0(),
    )
    .await
    .expect("create a pending activation")
}

/// The confirmation email payload used by the tests.
pub fn mail(completion: &activations::Completion) -> NewMessage {
    email(serde_json::json!({
        "template": "activation_confirmation",
        "to": completion.account.email,
        "language": completion.account.language,
        "data": {"order_number": completion.order.order_number},
    }))
}

/// The notice email payload used by the tests.
pub fn notice(registration: &activations::LegacyRegistration) -> NewMessage {
    email(serde_json::json!({
        "template": "registration_notice",
        "to": registration.account.email,
        "data": {"order_number": registration.order.order_number},
    }))
}

fn email(payload: serde_json::Value) -> NewMessage {
    NewMessage {
        kind: OutboxKind::Email,
        payload,
        max_attempts: 5,
        subscription_id: None,
        event_id: None,
    }
}

/// Whether the account's email is verified.
pub async fn email_verified(conn: &impl ConnectionTrait, id: i64) -> bool {
    let rows = conn
        .query_all(
            &Query::select()
                .column(Alias::new("email_verified"))
                .from(Alias::new("accounts"))
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await
        .expect("read the test database");
    rows[0]
        .try_get::<bool>("", "email_verified")
        .expect("read the test database")
}

/// Every email payload in the outbox.
pub async fn emails(conn: &impl ConnectionTrait) -> Vec<serde_json::Value> {
    let rows = conn
        .query_all(
            &Query::select()
                .column(Alias::new("payload"))
                .from(Alias::new("outbox"))
                .and_where(Expr::col(Alias::new("kind")).eq("email"))
                .to_owned(),
        )
        .await
        .expect("read the test database");
    rows.iter()
        .map(|r| {
            serde_json::from_str(
                &r.try_get::<String>("", "payload")
                    .expect("read the test database"),
            )
            .expect("read the test database")
        })
        .collect()
}
