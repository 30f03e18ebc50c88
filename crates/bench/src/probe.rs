//! `clp-bench probe`: the database work of one request, without HTTP, for profiling.
//!
//! Runs the same `clp-db` query functions the server's handlers call, against a seeded
//! database, with a chosen pool size and concurrency, and prints the rate and latencies as
//! JSON. Comparing `--pool 1` with `--pool 4`, or `--concurrency 1` with 64, shows what the
//! pool settings cost; `select1` is the floor of one statement through sea-orm and sqlx.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use clp_db::holdings::{find_ac_owners, find_hint_candidates, referenced_codes};
use clp_db::orders::find_order_by_key;
use clp_domain::RegistrationKey;
use clp_domain::catalog::Catalog;
use clp_domain::flow::{Flow, flow_for};
use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use serde::Serialize;

use crate::BoxError;

/// The database work to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Operation {
    /// `SELECT 1`: one statement's round trip.
    Select1,
    /// `find_order_by_key`: the order of a key with its lines and components (one joined
    /// statement since the preview rework of `clp-db`).
    OrderByKey,
    /// Everything the signed-out preview handler reads: the order, AC owners (when the order
    /// refers to ACs) and, for account-based orders, the hint candidates.
    Preview,
}

/// Options of `clp-bench probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Database URL of a seeded database.
    #[arg(long)]
    database_url: String,
    /// What to repeat.
    #[arg(long, value_enum, default_value = "preview")]
    op: Operation,
    /// Connections of the pool (the server uses 1 on SQLite, 10 on PostgreSQL).
    #[arg(long, default_value_t = 1)]
    pool: u32,
    /// Concurrent tasks.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Measured time.
    #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
    duration: Duration,
    /// Registration keys, one a line (`preview-keys.txt` of `seed`).
    #[arg(long)]
    keys_file: std::path::PathBuf,
    /// SQLite `PRAGMA mmap_size` in bytes (0: SQLite's default, no memory map).
    #[arg(long, default_value_t = 0)]
    mmap_size: u64,
    /// SQLite `PRAGMA cache_size` (negative: KiB; SQLite's default is -2000, 2 MB).
    #[arg(long, default_value_t = -2000)]
    cache_size: i64,
}

#[derive(Debug, Serialize)]
struct ProbeResult {
    op: String,
    pool: u32,
    concurrency: usize,
    ops: u64,
    errors: u64,
    ops_per_s: f64,
    /// Statements per operation (counted by the probe, from the order's flow).
    statements_per_op: f64,
    p50_us: u64,
    p99_us: u64,
}

/// Runs the probe and prints its result.
pub async fn run(args: ProbeArgs) -> Result<(), BoxError> {
    let keys: Vec<RegistrationKey> = std::fs::read_to_string(&args.keys_file)?
        .lines()
        .filter_map(|l| RegistrationKey::parse(l.trim()).ok())
        .collect();
    if keys.is_empty() {
        return Err("the keys file holds no registration key".into());
    }
    let db = connect(
        &args.database_url,
        args.pool,
        args.mmap_size,
        args.cache_size,
    )
    .await?;
    let keys = Arc::new(keys);
    let catalog = Arc::new(Catalog::seeded());
    let deadline = Instant::now() + args.duration;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for index in 0..args.concurrency.max(1) {
        let db = db.clone();
        let keys = Arc::clone(&keys);
        let catalog = Arc::clone(&catalog);
        let op = args.op;
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(index as u64);
            let mut histogram = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?;
            let (mut ops, mut errors, mut statements) = (0_u64, 0_u64, 0_u64);
            while Instant::now() < deadline {
                let key = &keys[rng.random_range(0..keys.len())];
                let begun = Instant::now();
                match once(&db, &catalog, op, key).await {
                    Ok(count) => {
                        statements += count;
                        let micros = u64::try_from(begun.elapsed().as_micros()).unwrap_or(u64::MAX);
                        histogram.saturating_record(micros.max(1));
                    }
                    Err(_) => errors += 1,
                }
                ops += 1;
            }
            Ok::<_, BoxError>((histogram, ops, errors, statements))
        }));
    }
    let mut histogram = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?;
    let (mut ops, mut errors, mut statements) = (0_u64, 0_u64, 0_u64);
    for task in tasks {
        let (h, o, e, s) = task.await??;
        histogram.add(&h)?;
        ops += o;
        errors += e;
        statements += s;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let result = ProbeResult {
        op: format!("{:?}", args.op),
        pool: args.pool,
        concurrency: args.concurrency,
        ops,
        errors,
        ops_per_s: (ops as f64 / elapsed * 10.0).round() / 10.0,
        statements_per_op: (statements as f64 / ops.max(1) as f64 * 100.0).round() / 100.0,
        p50_us: histogram.value_at_quantile(0.5),
        p99_us: histogram.value_at_quantile(0.99),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

/// One operation; returns the statements it ran.
async fn once(
    db: &DatabaseConnection,
    catalog: &Catalog,
    op: Operation,
    key: &RegistrationKey,
) -> Result<u64, BoxError> {
    match op {
        Operation::Select1 => {
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT 1",
            ))
            .await?;
            Ok(1)
        }
        Operation::OrderByKey => {
            find_order_by_key(db, key).await?;
            Ok(1)
        }
        Operation::Preview => {
            let Some(order) = find_order_by_key(db, key).await? else {
                return Ok(1);
            };
            let mut statements = 1;
            let codes = referenced_codes(&order);
            if !codes.is_empty() {
                find_ac_owners(db, &codes).await?;
                statements += 2;
            }
            if flow_for(&order, catalog) == Flow::AccountBased {
                find_hint_candidates(db, &order).await?;
                statements += 1;
            }
            Ok(statements)
        }
    }
}

/// The server's settings (`crates/api/src/startup.rs`), with a chosen pool size and page
/// cache.
async fn connect(
    url: &str,
    pool: u32,
    mmap_size: u64,
    cache_size: i64,
) -> Result<DatabaseConnection, BoxError> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(pool.max(1))
        .min_connections(pool.max(1))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(move |o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("mmap_size", mmap_size.to_string())
                .pragma("cache_size", cache_size.to_string())
        });
    }
    Ok(Database::connect(options).await?)
}
