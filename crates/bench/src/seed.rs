//! `clp-bench seed`: a realistic data set, bulk-loaded straight into the database.
//!
//! Rows are generated in chunks of orders and written with multi-row INSERTs (sea-query,
//! hundreds of rows a statement) inside transactions, with explicit ids so lines can point at
//! their orders without reading anything back. On PostgreSQL the identity sequences are moved
//! past the seeded ids afterwards, so the server's own inserts do not collide.
//!
//! The mix: one order in five is account-based (it holds an XDR add-on line), the rest legacy;
//! suites carry their components; one legacy order in ten has a registered line (with its
//! activation code) owned by a customer account of the end customer's company, so previews
//! find existing-account hints. Besides, one account (`bench-products@bench.example`) holds
//! `--account-products` registered products (for `me/products`), one account
//! (`bench-activator@bench.example`) holds nothing (for activation requests), and
//! `--verify-activations` pending activations of unregistered account-based orders, each into
//! its own new account, wait for their verification tokens (written raw to a file; the
//! database keeps their SHA-256 like the server does).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::Args;
use clp_domain::catalog::{Catalog, Delivery};
use clp_domain::mask::{email_domain, normalize_company};
use clp_domain::region::Region;
use clp_domain::{ActivationCode, RegistrationKey};
use clp_migrations::{Migrator, MigratorTrait as _};
use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{Rng as _, SeedableRng as _};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::BoxError;

/// Email of the account holding `--account-products` registered products.
pub const PRODUCTS_LOGIN: &str = "bench-products@bench.example";
/// Email of the account that requests activations in the load phase (it holds nothing).
pub const ACTIVATOR_LOGIN: &str = "bench-activator@bench.example";

/// Orders generated (and written) per chunk.
const CHUNK_ORDERS: usize = 1_000;
/// Chunks per transaction.
const CHUNKS_PER_TXN: usize = 20;
/// Upper bound of bind parameters per statement (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 16_000;
/// Upper bound of rows per statement.
const MAX_ROWS: usize = 1_000;

/// Options of `clp-bench seed`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Database URL, e.g. `sqlite://target/bench/clp.db?mode=rwc` or `postgres://...`.
    #[arg(long)]
    database_url: String,
    /// Orders to create (ignored when `--lines` is given).
    #[arg(long, default_value_t = 100_000)]
    orders: usize,
    /// Total order lines to create: `--orders` becomes `lines / lines-per-order`.
    #[arg(long)]
    lines: Option<usize>,
    /// Lines of every order.
    #[arg(long, default_value_t = 5)]
    lines_per_order: usize,
    /// Registered products of the `me/products` account.
    #[arg(long, default_value_t = 1_000)]
    account_products: usize,
    /// Pending activations with known tokens (for the verify benchmark).
    #[arg(long, default_value_t = 10_000)]
    verify_activations: usize,
    /// Customer accounts (owners of registered lines; targets of account hints).
    #[arg(long, default_value_t = 2_000)]
    customers: usize,
    /// How many registration keys to sample into `preview-keys.txt`.
    #[arg(long, default_value_t = 50_000)]
    sample: usize,
    /// Password of every seeded account.
    #[arg(long, default_value = "bench-password-1")]
    password: String,
    /// Seed of the random generator (same seed, same data).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Where to write `preview-keys.txt`, `activate-keys.txt`, `verify-tokens.txt` and
    /// `seed.json`.
    #[arg(long, default_value = "target/bench")]
    out_dir: PathBuf,
}

/// What `seed` prints and writes to `seed.json`.
#[derive(Debug, Serialize)]
struct SeedSummary {
    database: &'static str,
    orders: usize,
    lines: usize,
    rows: u64,
    accounts: usize,
    activation_codes: usize,
    pending_activations: usize,
    /// Seconds of migration (not counted in `rows_per_s`).
    migrate_s: f64,
    /// Seconds of generation and insertion.
    seed_s: f64,
    rows_per_s: f64,
    lines_per_s: f64,
    products_login: &'static str,
    activator_login: &'static str,
    preview_keys: usize,
    activate_keys: usize,
    verify_tokens: usize,
}

/// One table's pending rows, flushed as multi-row INSERTs.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Expr>>,
    written: u64,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
            written: 0,
        }
    }

    fn push(&mut self, row: Vec<Expr>) {
        self.rows.push(row);
    }

    /// Writes every pending row, `rows_per_statement` rows per INSERT.
    async fn flush(&mut self, conn: &impl ConnectionTrait) -> Result<(), BoxError> {
        let per_statement = (MAX_PARAMS / self.columns.len()).clamp(1, MAX_ROWS);
        let rows = std::mem::take(&mut self.rows);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(self.name))
                .columns(self.columns.iter().map(|c| Alias::new(*c)));
            for row in rows.by_ref().take(per_statement) {
                insert
                    .values(row)
                    .map_err(|e| format!("building an INSERT into {}: {e}", self.name))?;
                self.written += 1;
            }
            conn.execute(&insert)
                .await
                .map_err(|e| format!("inserting into {}: {e}", self.name))?;
        }
        Ok(())
    }
}

/// The next free id of every seeded table.
struct NextIds {
    partner: i64,
    account: i64,
    order: i64,
    line: i64,
    component: i64,
    code: i64,
    pending: i64,
}

/// The tables written, in foreign-key order.
struct Tables {
    partners: Table,
    accounts: Table,
    orders: Table,
    lines: Table,
    components: Table,
    codes: Table,
    pending: Table,
}

impl Tables {
    fn new() -> Self {
        Self {
            partners: Table::new(
                "partners",
                &[
                    "id",
                    "name",
                    "client_id",
                    "client_secret_hash",
                    "scopes",
                    "created_at",
                ],
            ),
            accounts: Table::new(
                "accounts",
                &[
                    "id",
                    "email",
                    "password_hash",
                    "full_name",
                    "company",
                    "company_key",
                    "email_domain",
                    "country",
                    "profile",
                    "email_verified",
                    "xdr_region",
                    "language",
                    "failed_logins",
                    "created_at",
                ],
            ),
            orders: Table::new(
                "orders",
                &[
                    "id",
                    "partner_id",
                    "order_number",
                    "order_type",
                    "purchase_date",
                    "company",
                    "contact_name",
                    "contact_email",
                    "country",
                    "created_at",
                ],
            ),
            lines: Table::new(
                "order_lines",
                &[
                    "id",
                    "order_id",
                    "line_no",
                    "sku",
                    "seats",
                    "term_start",
                    "term_end",
                    "registration_key",
                    "registered_account_id",
                    "registered_at",
                ],
            ),
            components: Table::new("line_components", &["id", "line_id", "sku"]),
            codes: Table::new(
                "activation_codes",
                &[
                    "id",
                    "code",
                    "account_id",
                    "sku",
                    "line_id",
                    "term_start",
                    "term_end",
                    "created_at",
                    "updated_at",
                ],
            ),
            pending: Table::new(
                "pending_activations",
                &[
                    "id",
                    "public_id",
                    "order_id",
                    "account_id",
                    "region",
                    "token_hash",
                    "status",
                    "new_account",
                    "language",
                    "created_at",
                    "expires_at",
                ],
            ),
        }
    }

    async fn flush(&mut self, conn: &impl ConnectionTrait) -> Result<(), BoxError> {
        for table in [
            &mut self.partners,
            &mut self.accounts,
            &mut self.orders,
            &mut self.lines,
            &mut self.components,
            &mut self.codes,
            &mut self.pending,
        ] {
            table.flush(conn).await?;
        }
        Ok(())
    }

    fn written(&self) -> u64 {
        [
            &self.partners,
            &self.accounts,
            &self.orders,
            &self.lines,
            &self.components,
            &self.codes,
            &self.pending,
        ]
        .iter()
        .map(|t| t.written)
        .sum()
    }
}

/// SKUs of the XDR add-on line of an account-based order (repeats weight the draw).
const XDR_ADDONS: [&str; 10] = [
    "XDR-DDI",
    "XDR-DDI",
    "XDR-DDI",
    "XDR-DDI",
    "XDR-EPS",
    "XDR-EPS",
    "XDR-CAS",
    "XDR-A1SAAS",
    "XDR-DDI-JP",
    "XDR-DDI-EU",
];
/// Other lines of account-based orders: products with activation codes and the suite.
const ACCOUNT_BASED_OTHERS: [&str; 6] = ["A1", "DDI", "SMEX", "IMSVA", "IWSVA", "CUP"];
/// Lines of legacy orders.
const LEGACY_SKUS: [&str; 10] = [
    "A1", "A1", "DDI", "SMEX", "IMSVA", "IWSVA", "CUP", "CAS", "A1SAAS", "WFBSS",
];
/// Single-AC products (what the seeder registers).
const AC_SKUS: [&str; 5] = ["A1", "DDI", "SMEX", "IMSVA", "IWSVA"];
/// End-customer countries (repeats weight the draw).
const COUNTRIES: [&str; 11] = [
    "US", "US", "US", "JP", "DE", "FR", "GB", "CA", "AU", "SG", "IN",
];

/// What the generator needs to know about the catalog.
struct CatalogInfo {
    catalog: Catalog,
}

impl CatalogInfo {
    fn prefix(&self, sku: &str) -> Result<&str, BoxError> {
        self.catalog
            .get(sku)
            .map(|p| p.key_prefix.as_str())
            .ok_or_else(|| format!("SKU {sku} is not in the catalog").into())
    }

    fn components(&self, sku: &str) -> &[String] {
        self.catalog
            .get(sku)
            .map_or(&[], |p| p.components.as_slice())
    }

    fn region_pin(&self, sku: &str) -> Option<Region> {
        self.catalog.get(sku).and_then(|p| p.region_pin)
    }

    fn is_single_ac(&self, sku: &str) -> bool {
        self.catalog
            .get(sku)
            .is_some_and(|p| p.delivery == Delivery::Ac)
    }
}

/// Seeds the database, writes the keys files and prints the summary.
pub async fn run(args: SeedArgs) -> Result<(), BoxError> {
    let orders_total = match args.lines {
        Some(lines) => lines.div_ceil(args.lines_per_order.max(1)),
        None => args.orders,
    };
    let per_order = args.lines_per_order.max(1);
    let db = connect(&args.database_url).await?;
    let backend = db.get_database_backend();

    let started = Instant::now();
    Migrator::up(&db, None)
        .await
        .map_err(|e| format!("migrating: {e}"))?;
    let migrate_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let catalog = CatalogInfo {
        catalog: Catalog::seeded(),
    };
    let mut rng = StdRng::seed_from_u64(args.seed);
    let now = Utc::now();
    let today = now.date_naive();
    let password_hash = hash_password(&args.password)?;
    let mut ids = next_ids(&db).await?;
    let mut tables = Tables::new();

    // Partner and accounts.
    let partner_id = ids.partner;
    ids.partner += 1;
    tables.partners.push(vec![
        partner_id.into(),
        "Bench Partner".into(),
        format!("bench-partner-{partner_id}").into(),
        "not-a-secret-hash".into(),
        "orders:write orders:read webhooks:manage".into(),
        now.into(),
    ]);
    let account_row = |id: i64, email: &str, name: &str, company: &str, country: &str| {
        vec![
            id.into(),
            email.into(),
            password_hash.as_str().into(),
            name.into(),
            company.into(),
            normalize_company(company).into(),
            email_domain(email).unwrap_or_default().into(),
            country.into(),
            "simplified".into(),
            true.into(),
            Option::<String>::None.into(),
            "en".into(),
            0_i32.into(),
            now.into(),
        ]
    };
    let products_account = ids.account;
    let activator_account = ids.account + 1;
    ids.account += 2;
    tables.accounts.push(account_row(
        products_account,
        PRODUCTS_LOGIN,
        "Bench Products",
        "Bench Products Inc",
        "US",
    ));
    tables.accounts.push(account_row(
        activator_account,
        ACTIVATOR_LOGIN,
        "Bench Activator",
        "Bench Activator Inc",
        "US",
    ));
    let customers = args.customers;
    let customer_base = ids.account;
    for k in 0..customers {
        let country = COUNTRIES[k % COUNTRIES.len()];
        tables.accounts.push(account_row(
            customer_base + as_i64(k),
            &format!("admin{k}@company{k}.example"),
            &format!("Admin {k}"),
            &format!("Company {k} Ltd"),
            country,
        ));
    }
    ids.account += as_i64(customers);
    let verify_base = ids.account;
    for k in 0..args.verify_activations {
        let mut row = account_row(
            verify_base + as_i64(k),
            &format!("new{k}@verify{k}.example"),
            &format!("New Customer {k}"),
            &format!("Verify Co {k}"),
            "US",
        );
        // New accounts stay unverified until their activation link is followed.
        row[9] = false.into();
        tables.accounts.push(row);
    }
    ids.account += as_i64(args.verify_activations);
    let accounts_total = 2 + customers + args.verify_activations;
    tables.flush(&db).await?;

    // Orders, in chunks; one transaction per `CHUNKS_PER_TXN` chunks.
    let products_orders = args.account_products.div_ceil(per_order);
    let total_lines_est = orders_total * per_order;
    let sample_p = if total_lines_est == 0 {
        0.0
    } else {
        (args.sample as f64 / total_lines_est as f64).min(1.0)
    };
    let mut preview_keys: Vec<String> = Vec::new();
    let mut activate_keys: Vec<String> = Vec::new();
    let mut verify_tokens: Vec<String> = Vec::new();
    let mut registered_products = 0_usize;
    let mut codes_total = 0_usize;
    let mut lines_total = 0_usize;
    let mut account_based_seen = 0_usize;
    let expires_at = now + chrono::Duration::days(7);

    let mut order_index = 0_usize;
    while order_index < orders_total {
        let txn = db.begin().await?;
        for _ in 0..CHUNKS_PER_TXN {
            let chunk_end = (order_index + CHUNK_ORDERS).min(orders_total);
            if order_index >= chunk_end {
                break;
            }
            for n in order_index..chunk_end {
                let order_id = ids.order;
                ids.order += 1;
                let for_products = n < products_orders;
                let account_based = !for_products && n % 5 == 0;
                let purchase = today - Days::new(rng.random_range(0..330));
                let years = rng.random_range(1..=3_u64);
                let term_end = purchase + Days::new(365 * years) - Days::new(1);
                let created = at_noon(purchase);
                let (company_no, company, contact, country) = if for_products {
                    (
                        None,
                        "Bench Products Inc".to_owned(),
                        PRODUCTS_LOGIN.to_owned(),
                        "US",
                    )
                } else {
                    let c = rng.random_range(0..(2 * customers).max(1));
                    let buyer = rng.random_range(0..50_u32);
                    let contact = if rng.random_bool(0.1) {
                        format!("buyer{c}.{buyer}@gmail.com")
                    } else {
                        format!("buyer{buyer}@company{c}.example")
                    };
                    (
                        Some(c),
                        format!("Company {c} Ltd"),
                        contact,
                        COUNTRIES[rng.random_range(0..COUNTRIES.len())],
                    )
                };
                tables.orders.push(vec![
                    order_id.into(),
                    partner_id.into(),
                    format!("BO-{order_id:09}").into(),
                    "new".into(),
                    purchase.into(),
                    company.as_str().into(),
                    format!("Buyer of {company}").into(),
                    contact.into(),
                    country.into(),
                    created.into(),
                ]);
                // One legacy order in ten has a registered line owned by its company's account.
                let mut register_one = !for_products && !account_based && rng.random_bool(0.1);
                let mut first_key = None;
                let mut region_pin = None;
                for line_no in 1..=per_order {
                    let sku = if for_products {
                        AC_SKUS[rng.random_range(0..AC_SKUS.len())]
                    } else if account_based && line_no == 1 {
                        XDR_ADDONS[rng.random_range(0..XDR_ADDONS.len())]
                    } else if account_based {
                        ACCOUNT_BASED_OTHERS[rng.random_range(0..ACCOUNT_BASED_OTHERS.len())]
                    } else {
                        LEGACY_SKUS[rng.random_range(0..LEGACY_SKUS.len())]
                    };
                    region_pin = region_pin.or(catalog.region_pin(sku));
                    let key = RegistrationKey::generate(catalog.prefix(sku)?, &mut rng)
                        .map_err(|e| format!("generating a key for {sku}: {e}"))?;
                    let line_id = ids.line;
                    ids.line += 1;
                    let owner = if for_products && registered_products < args.account_products {
                        registered_products += 1;
                        Some(products_account)
                    } else if register_one && catalog.is_single_ac(sku) && customers > 0 {
                        register_one = false;
                        let c = company_no.unwrap_or(0);
                        Some(customer_base + as_i64(if c < customers { c } else { c % customers }))
                    } else {
                        None
                    };
                    let registered_at = owner.map(|_| created + chrono::Duration::days(1));
                    tables.lines.push(vec![
                        line_id.into(),
                        order_id.into(),
                        as_i32(line_no).into(),
                        sku.into(),
                        rng.random_range(10..500_i32).into(),
                        purchase.into(),
                        term_end.into(),
                        key.as_str().into(),
                        owner.into(),
                        registered_at.into(),
                    ]);
                    for component in catalog.components(sku) {
                        tables.components.push(vec![
                            ids.component.into(),
                            line_id.into(),
                            component.as_str().into(),
                        ]);
                        ids.component += 1;
                    }
                    if let (Some(account), Some(at)) = (owner, registered_at) {
                        let code = ActivationCode::generate(catalog.prefix(sku)?, &mut rng)
                            .map_err(|e| format!("generating a code for {sku}: {e}"))?;
                        tables.codes.push(vec![
                            ids.code.into(),
                            code.as_str().into(),
                            account.into(),
                            sku.into(),
                            Some(line_id).into(),
                            purchase.into(),
                            term_end.into(),
                            at.into(),
                            at.into(),
                        ]);
                        ids.code += 1;
                        codes_total += 1;
                    }
                    if sample_p > 0.0 && rng.random_bool(sample_p) {
                        preview_keys.push(key.as_str().to_owned());
                    }
                    if first_key.is_none() {
                        first_key = Some(key.as_str().to_owned());
                    }
                    lines_total += 1;
                }
                if account_based && let Some(key) = first_key {
                    account_based_seen += 1;
                    // Every other account-based order waits for a verification (up to the
                    // limit); the others are left for activation requests.
                    if account_based_seen % 2 == 1 && verify_tokens.len() < args.verify_activations
                    {
                        let account = verify_base + as_i64(verify_tokens.len());
                        let region =
                            region_pin.unwrap_or_else(|| Region::default_for_country(country));
                        let token = URL_SAFE_NO_PAD.encode(rng.random::<[u8; 32]>());
                        let hash = hex::encode(Sha256::digest(token.as_bytes()));
                        let public_id = uuid::Builder::from_random_bytes(rng.random()).into_uuid();
                        tables.pending.push(vec![
                            ids.pending.into(),
                            public_id.to_string().into(),
                            order_id.into(),
                            account.into(),
                            Some(region.as_str()).into(),
                            hash.into(),
                            "pending".into(),
                            true.into(),
                            "en".into(),
                            now.into(),
                            expires_at.into(),
                        ]);
                        ids.pending += 1;
                        verify_tokens.push(token);
                    } else {
                        activate_keys.push(key);
                    }
                }
            }
            tables.flush(&txn).await?;
            order_index = chunk_end;
        }
        txn.commit().await?;
        eprint!(
            "\rseeded {order_index}/{orders_total} orders, {lines_total} lines ({:.0} rows/s)",
            tables.written() as f64 / started.elapsed().as_secs_f64().max(1e-9)
        );
    }
    eprintln!();
    if backend == DbBackend::Postgres {
        bump_sequences(&db).await?;
        // Planner statistics, as autovacuum would gather them on a database in service.
        db.execute_unprepared("ANALYZE")
            .await
            .map_err(|e| format!("analyzing: {e}"))?;
    }
    let seed_s = started.elapsed().as_secs_f64();
    let rows = tables.written();

    preview_keys.shuffle(&mut rng);
    activate_keys.shuffle(&mut rng);
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| format!("creating {}: {e}", args.out_dir.display()))?;
    write_lines(&args.out_dir.join("preview-keys.txt"), &preview_keys)?;
    write_lines(&args.out_dir.join("activate-keys.txt"), &activate_keys)?;
    write_lines(&args.out_dir.join("verify-tokens.txt"), &verify_tokens)?;

    let summary = SeedSummary {
        database: match backend {
            DbBackend::Postgres => "postgres",
            DbBackend::Sqlite => "sqlite",
            _ => "other",
        },
        orders: orders_total,
        lines: lines_total,
        rows,
        accounts: accounts_total,
        activation_codes: codes_total,
        pending_activations: verify_tokens.len(),
        migrate_s,
        seed_s,
        rows_per_s: rows as f64 / seed_s.max(1e-9),
        lines_per_s: lines_total as f64 / seed_s.max(1e-9),
        products_login: PRODUCTS_LOGIN,
        activator_login: ACTIVATOR_LOGIN,
        preview_keys: preview_keys.len(),
        activate_keys: activate_keys.len(),
        verify_tokens: verify_tokens.len(),
    };
    let json = serde_json::to_string(&summary)?;
    std::fs::write(args.out_dir.join("seed.json"), format!("{json}\n"))
        .map_err(|e| format!("writing seed.json: {e}"))?;
    println!("{json}");
    eprintln!(
        "seeded {orders_total} orders / {lines_total} lines ({rows} rows) in {seed_s:.1} s: \
         {:.0} rows/s, {:.0} lines/s",
        summary.rows_per_s, summary.lines_per_s
    );
    Ok(())
}

/// One connection; on SQLite WAL, `synchronous = NORMAL` and a large page cache while seeding.
async fn connect(url: &str) -> Result<DatabaseConnection, BoxError> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        if let Some(dir) = sqlite_dir(url) {
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        options.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .pragma("cache_size", "-262144")
                .busy_timeout(Duration::from_secs(10))
        });
    }
    Database::connect(options)
        .await
        .map_err(|e| format!("connecting to the database: {e}").into())
}

/// The directory of a SQLite database file.
fn sqlite_dir(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

/// `max(id) + 1` of every table the seeder writes (it may run on a non-empty database).
async fn next_ids(db: &DatabaseConnection) -> Result<NextIds, BoxError> {
    Ok(NextIds {
        partner: max_id(db, "partners").await? + 1,
        account: max_id(db, "accounts").await? + 1,
        order: max_id(db, "orders").await? + 1,
        line: max_id(db, "order_lines").await? + 1,
        component: max_id(db, "line_components").await? + 1,
        code: max_id(db, "activation_codes").await? + 1,
        pending: max_id(db, "pending_activations").await? + 1,
    })
}

async fn max_id(db: &DatabaseConnection, table: &str) -> Result<i64, BoxError> {
    let mut select = Query::select();
    select
        .expr(Func::max(Expr::col(Alias::new("id"))))
        .from(Alias::new(table));
    let row = db.query_one(&select).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0),
        None => 0,
    })
}

/// Moves PostgreSQL's identity sequences past the explicit ids written by the seeder.
async fn bump_sequences(db: &DatabaseConnection) -> Result<(), BoxError> {
    for table in [
        "partners",
        "accounts",
        "orders",
        "order_lines",
        "line_components",
        "activation_codes",
        "pending_activations",
    ] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        ))
        .await
        .map_err(|e| format!("moving the id sequence of {table}: {e}"))?;
    }
    Ok(())
}

/// The argon2id hash of the seeded accounts' password, with the server's parameters.
fn hash_password(password: &str) -> Result<String, BoxError> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| format!("argon2 params: {e}"))?;
    let salt = SaltString::encode_b64(b"clp-bench-salt16").map_err(|e| format!("salt: {e}"))?;
    let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| format!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

fn write_lines(path: &Path, lines: &[String]) -> Result<(), BoxError> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        let _ = writeln!(text, "{line}");
    }
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()).into())
}

fn at_noon(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn as_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_dir_is_the_parent_of_the_database_file() {
        assert_eq!(
            sqlite_dir("sqlite:///tmp/bench/clp.db?mode=rwc"),
            Some(PathBuf::from("/tmp/bench"))
        );
        assert_eq!(sqlite_dir("sqlite://clp.db"), None);
        assert_eq!(sqlite_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_dir("postgres://localhost/clp"), None);
    }

    #[test]
    fn every_generated_sku_is_in_the_catalog() {
        let catalog = CatalogInfo {
            catalog: Catalog::seeded(),
        };
        for sku in XDR_ADDONS
            .iter()
            .chain(&ACCOUNT_BASED_OTHERS)
            .chain(&LEGACY_SKUS)
            .chain(&AC_SKUS)
        {
            assert!(catalog.prefix(sku).is_ok(), "{sku}");
        }
        assert!(AC_SKUS.iter().all(|sku| catalog.is_single_ac(sku)));
    }
}
