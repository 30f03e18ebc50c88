//! The migrations run, go down and come back up on SQLite and PostgreSQL, and the constraints
//! that hold the domain's rules under concurrency are in place.
//!
//! PostgreSQL tests need a server at 127.0.0.1:5432 (user `postgres`, trust auth); each test
//! creates its own database and drops it afterwards. They fail, never skip, without one.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test scaffolding: a failed step is a failed test, with its error in the panic"
)]

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clp_migrations::Migrator;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, ExecResult, SqlErr,
};

const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

const TABLES: [&str; 21] = [
    "products",
    "product_components",
    "partners",
    "orders",
    "order_lines",
    "line_components",
    "accounts",
    "activation_codes",
    "saas_instances",
    "pending_activations",
    "outbox",
    "webhook_subscriptions",
    "webhook_attempts",
    "idempotency_keys",
    "audit_events",
    "rate_limits",
    "email_verifications",
    "password_resets",
    "totp_credentials",
    "mfa_recovery_codes",
    "superseded_activation_links",
];

const INDEXES: [(&str, &str); 12] = [
    ("products", "ux_products_sku"),
    ("order_lines", "ux_order_lines_registration_key"),
    ("order_lines", "idx_order_lines_registered_account_id"),
    (
        "saas_instances",
        "ux_saas_instances_account_id_active_service",
    ),
    ("accounts", "idx_accounts_company_key"),
    ("accounts", "idx_accounts_email_domain"),
    (
        "pending_activations",
        "idx_pending_activations_status_expires_at",
    ),
    ("outbox", "idx_outbox_status_next_attempt_at"),
    ("email_verifications", "ux_email_verifications_token_hash"),
    ("password_resets", "ux_password_resets_token_hash"),
    ("password_resets", "idx_password_resets_account_id"),
    ("accounts", "idx_accounts_email_verified_created_at"),
];

// ---- the scenarios, each run on both databases ----

async fn up_creates_everything(db: DatabaseConnection) {
    Migrator::up(&db, None).await.unwrap();

    let manager = SchemaManager::new(&db);
    for table in TABLES {
        assert!(manager.has_table(table).await.unwrap(), "table {table}");
    }
    for (table, index) in INDEXES {
        assert!(
            manager.has_index(table, index).await.unwrap(),
            "index {index}"
        );
    }
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(count(&db, "products").await, 15);
    let components = db
        .query_all(
            Query::select()
                .column("component_sku")
                .from("product_components")
                .and_where(Expr::col("suite_sku").eq("CUP"))
                .order_by("component_sku", Order::Asc),
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "component_sku").unwrap())
        .collect::<Vec<_>>();
    assert_eq!(components, ["A1", "IMSVA", "IWSVA", "SMEX"]);

    let row = db
        .query_one(
            Query::select()
                .columns([
                    "delivery",
                    "xdr_addon",
                    "xdr_related",
                    "saas_service",
                    "region_pin",
                    "key_prefix",
                ])
                .from("products")
                .and_where(Expr::col("sku").eq("XDR-DDI-JP")),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "delivery").unwrap(), "ac");
    assert!(row.try_get::<bool>("", "xdr_addon").unwrap());
    assert!(!row.try_get::<bool>("", "xdr_related").unwrap());
    assert_eq!(
        row.try_get::<Option<String>>("", "saas_service").unwrap(),
        None
    );
    assert_eq!(
        row.try_get::<Option<String>>("", "region_pin")
            .unwrap()
            .as_deref(),
        Some("jp")
    );
    assert_eq!(row.try_get::<String>("", "key_prefix").unwrap(), "XJ");

    let ids = db
        .query_all(
            Query::select()
                .column("id")
                .from("products")
                .order_by("id", Order::Asc),
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<i64>("", "id").unwrap())
        .collect::<Vec<_>>();
    assert_eq!(ids, (1..=15).collect::<Vec<i64>>(), "ids are generated");
    assert_primary_keys_are_auto_increment_big_integers(&db).await;
}

async fn down_and_up_again_work(db: DatabaseConnection) {
    let manager = SchemaManager::new(&db);

    Migrator::up(&db, None).await.unwrap();
    Migrator::down(&db, None).await.unwrap();
    for table in TABLES {
        assert!(
            !manager.has_table(table).await.unwrap(),
            "table {table} dropped"
        );
    }
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(count(&db, "products").await, 15);

    Migrator::fresh(&db).await.unwrap();
    assert_eq!(count(&db, "products").await, 15);
    Migrator::refresh(&db).await.unwrap();
    assert_eq!(count(&db, "products").await, 15);
    assert_eq!(count(&db, "product_components").await, 4);

    Migrator::reset(&db).await.unwrap();
    assert!(!manager.has_table("products").await.unwrap());
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(count(&db, "products").await, 15);

    // The downs of the migrations after the seed drop only what they added.
    let seed = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261128_000011_seed_catalog")
        .unwrap();
    let after_seed: u32 = (Migrator::migrations().len() - seed - 1)
        .try_into()
        .unwrap();
    Migrator::down(&db, Some(after_seed)).await.unwrap();
    assert!(!manager.has_table("email_verifications").await.unwrap());
    assert!(!manager.has_table("password_resets").await.unwrap());
    assert!(manager.has_table("accounts").await.unwrap());
    assert!(
        !manager
            .has_column("accounts", "session_epoch")
            .await
            .unwrap()
    );
    assert_eq!(count(&db, "products").await, 15);
    // The seed's down removes exactly what it inserted, leaving the catalog tables in place.
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(manager.has_table("products").await.unwrap());
    assert_eq!(count(&db, "products").await, 0);
    assert_eq!(count(&db, "product_components").await, 0);
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(count(&db, "products").await, 15);
}

async fn saas_index_allows_one_active_instance(db: DatabaseConnection) {
    Migrator::up(&db, None).await.unwrap();
    let line = insert_order_with_line(&db, "ORD-1", "CA-0000-0000-0000-0001").await;
    let account = insert_account(&db, "a@acme.example").await;
    let other_account = insert_account(&db, "b@acme.example").await;

    let instance = |account: i64, service: &'static str, active: bool| {
        insert(
            &db,
            "saas_instances",
            [
                ("account_id", account.into()),
                ("service", service.into()),
                ("line_id", line.into()),
                ("status", if active { "active" } else { "cancelled" }.into()),
                (
                    "active_service",
                    if active { Some(service) } else { None }.into(),
                ),
                ("created_at", Expr::current_timestamp()),
            ],
        )
    };

    instance(account, "cloud-app-security", true).await.unwrap();
    let second = instance(account, "cloud-app-security", true)
        .await
        .expect_err("a second active instance of the same service is rejected");
    assert!(
        matches!(second.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "{second:?}"
    );
    instance(account, "cloud-app-security", false)
        .await
        .unwrap();
    instance(account, "cloud-app-security", false)
        .await
        .unwrap();
    instance(account, "apex-one-saas", true).await.unwrap();
    instance(other_account, "cloud-app-security", true)
        .await
        .unwrap();
    assert_eq!(count(&db, "saas_instances").await, 5);
}

async fn registration_keys_are_unique(db: DatabaseConnection) {
    Migrator::up(&db, None).await.unwrap();
    let line = insert_order_with_line(&db, "ORD-1", "CA-0000-0000-0000-0001").await;
    let order = db
        .query_one(
            Query::select()
                .column("order_id")
                .from("order_lines")
                .and_where(Expr::col("id").eq(line)),
        )
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "order_id")
        .unwrap();

    let duplicate = insert_line(&db, order, 2, "CA-0000-0000-0000-0001")
        .await
        .expect_err("a registration key is unique");
    assert!(
        matches!(
            duplicate.sql_err(),
            Some(SqlErr::UniqueConstraintViolation(_))
        ),
        "{duplicate:?}"
    );
    insert_line(&db, order, 2, "CA-0000-0000-0000-0002")
        .await
        .unwrap();
}

// ---- SQLite ----

#[tokio::test]
async fn up_creates_every_table_and_seeds_fifteen_products_on_sqlite() {
    up_creates_everything(sqlite().await).await;
}

#[tokio::test]
async fn down_all_the_way_and_up_again_works_on_sqlite() {
    down_and_up_again_work(sqlite().await).await;
}

#[tokio::test]
async fn an_account_has_at_most_one_active_instance_of_a_saas_service_but_any_cancelled_ones_on_sqlite()
 {
    saas_index_allows_one_active_instance(sqlite().await).await;
}

#[tokio::test]
async fn two_order_lines_cannot_share_a_registration_key_on_sqlite() {
    registration_keys_are_unique(sqlite().await).await;
}

// ---- PostgreSQL ----

#[tokio::test]
async fn up_creates_every_table_and_seeds_fifteen_products_on_postgres() {
    on_postgres(up_creates_everything).await;
}

#[tokio::test]
async fn down_all_the_way_and_up_again_works_on_postgres() {
    on_postgres(down_and_up_again_work).await;
}

#[tokio::test]
async fn an_account_has_at_most_one_active_instance_of_a_saas_service_but_any_cancelled_ones_on_postgres()
 {
    on_postgres(saas_index_allows_one_active_instance).await;
}

#[tokio::test]
async fn two_order_lines_cannot_share_a_registration_key_on_postgres() {
    on_postgres(registration_keys_are_unique).await;
}

// ---- helpers ----

async fn sqlite() -> DatabaseConnection {
    Database::connect("sqlite::memory:").await.unwrap()
}

/// Runs `scenario` against a fresh, uniquely named PostgreSQL database, then drops it, also
/// when the scenario panics.
async fn on_postgres<F, Fut>(scenario: F)
where
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    static NEXT: AtomicU32 = AtomicU32::new(0);

    let admin = Database::connect(format!("{PG_SERVER}/postgres"))
        .await
        .unwrap_or_else(|error| {
            panic!(
                "PostgreSQL is unreachable at {PG_SERVER} (user postgres, trust auth): {error}. \
                 Start it; these tests fail rather than skip without it."
            )
        });
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let name = format!(
        "clp_migrations_test_{}_{nanos}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    // DDL on databases has no sea-query builder: this is test scaffolding, not a migration.
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();

    let db = Database::connect(format!("{PG_SERVER}/{name}"))
        .await
        .unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Postgres);
    let outcome = tokio::spawn(scenario(db.clone())).await;
    db.close().await.unwrap();

    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

async fn count(db: &DatabaseConnection, table: &'static str) -> i64 {
    db.query_one(
        Query::select()
            .expr_as(Func::count(Expr::col(Asterisk)), "n")
            .from(table),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

async fn insert<const N: usize>(
    db: &DatabaseConnection,
    table: &'static str,
    values: [(&'static str, Expr); N],
) -> Result<ExecResult, DbErr> {
    let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    db.execute(
        Query::insert()
            .into_table(table)
            .columns(columns)
            .values_panic(values),
    )
    .await
}

async fn id_of(db: &DatabaseConnection, table: &'static str, column: &str, value: &str) -> i64 {
    db.query_one(
        Query::select()
            .column("id")
            .from(table)
            .and_where(Expr::col(column.to_owned()).eq(value)),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "id")
    .unwrap()
}

async fn insert_account(db: &DatabaseConnection, email: &'static str) -> i64 {
    insert(
        db,
        "accounts",
        [
            ("email", email.into()),
            ("password_hash", "$argon2id$stub".into()),
            ("full_name", "Jane Doe".into()),
            ("company", "Acme".into()),
            ("company_key", "acme".into()),
            ("email_domain", "acme.example".into()),
            ("country", "US".into()),
            ("profile", "simplified".into()),
            ("language", "en".into()),
            ("created_at", Expr::current_timestamp()),
        ],
    )
    .await
    .unwrap();
    id_of(db, "accounts", "email", email).await
}

/// Inserts a partner (once), an order and its first line; returns the line's id.
async fn insert_order_with_line(
    db: &DatabaseConnection,
    order_number: &'static str,
    registration_key: &'static str,
) -> i64 {
    insert(
        db,
        "partners",
        [
            ("name", "Distributor".into()),
            ("client_id", order_number.into()),
            ("client_secret_hash", "stub".into()),
            ("scopes", "orders:write".into()),
            ("created_at", Expr::current_timestamp()),
        ],
    )
    .await
    .unwrap();
    let partner = id_of(db, "partners", "client_id", order_number).await;
    insert(
        db,
        "orders",
        [
            ("partner_id", partner.into()),
            ("order_number", order_number.into()),
            ("order_type", "new".into()),
            ("purchase_date", Expr::current_date()),
            ("company", "Acme".into()),
            ("contact_name", "Jane Doe".into()),
            ("contact_email", "jane@acme.example".into()),
            ("country", "US".into()),
            ("created_at", Expr::current_timestamp()),
        ],
    )
    .await
    .unwrap();
    let order = id_of(db, "orders", "order_number", order_number).await;
    insert_line(db, order, 1, registration_key).await.unwrap();
    id_of(db, "order_lines", "registration_key", registration_key).await
}

async fn insert_line(
    db: &DatabaseConnection,
    order: i64,
    line_no: i32,
    registration_key: &'static str,
) -> Result<ExecResult, DbErr> {
    insert(
        db,
        "order_lines",
        [
            ("order_id", order.into()),
            ("line_no", line_no.into()),
            ("sku", "CAS".into()),
            ("seats", 50.into()),
            ("term_start", Expr::current_date()),
            ("term_end", Expr::current_date()),
            ("registration_key", registration_key.into()),
        ],
    )
    .await
}

/// On SQLite a big integer auto-increment key must be `INTEGER PRIMARY KEY AUTOINCREMENT` (the
/// only form SQLite auto-increments); on PostgreSQL a `bigint GENERATED BY DEFAULT AS IDENTITY`.
async fn assert_primary_keys_are_auto_increment_big_integers(db: &DatabaseConnection) {
    for table in TABLES {
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                let sql = db
                    .query_one(
                        Query::select()
                            .column("sql")
                            .from("sqlite_master")
                            .and_where(Expr::col("type").eq("table"))
                            .and_where(Expr::col("name").eq(table)),
                    )
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get::<String>("", "sql")
                    .unwrap()
                    .to_lowercase();
                assert!(
                    sql.contains("\"id\" integer not null primary key autoincrement"),
                    "{sql}"
                );
            }
            DbBackend::Postgres => {
                let row = db
                    .query_one(
                        Query::select()
                            .expr_as(Func::cast_as(Expr::col("data_type"), "text"), "data_type")
                            .expr_as(
                                Func::cast_as(Expr::col("is_identity"), "text"),
                                "is_identity",
                            )
                            .from(("information_schema", "columns"))
                            .and_where(Expr::col("table_name").eq(table))
                            .and_where(Expr::col("column_name").eq("id")),
                    )
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(row.try_get::<String>("", "data_type").unwrap(), "bigint");
                assert_eq!(
                    row.try_get::<String>("", "is_identity").unwrap(),
                    "YES",
                    "{table}: id is an identity column"
                );
            }
            other => panic!("unexpected backend {other:?}"),
        }
    }
}
