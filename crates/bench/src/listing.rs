//! `clp-bench listing`: the cost of a page of the partner's order listing at a number of
//! orders (`make bench` runs it at 100 and at 1,000,000 and reports the ratio).
//!
//! Seeds one partner with `--orders` orders (multi-row INSERTs, one transaction a chunk) on a
//! fresh database, then times the listing's statement (`clp_db::order_listing::list_orders`,
//! what `GET /api/v1/partner/orders` runs) for the first page, a page from the middle (a
//! cursor) and a page filtered by status, and prints the medians as one JSON line.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use clp_db::Database;
use clp_db::order_listing::{ListCursor, OrderFilter, list_orders};
use clp_db::orders::OrderState;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait as _, TransactionTrait as _};
use serde::Serialize;

use crate::BoxError;

/// Options of `clp-bench listing`.
#[derive(Debug, Args)]
pub struct ListingArgs {
    /// Database URL of a fresh (empty) database; migrated first.
    #[arg(long)]
    database_url: String,
    /// Orders of the partner.
    #[arg(long, default_value_t = 100)]
    orders: u64,
    /// Pages timed of each kind.
    #[arg(long, default_value_t = 300)]
    pages: usize,
    /// Orders per page.
    #[arg(long, default_value_t = 25)]
    limit: u64,
}

#[derive(Debug, Serialize)]
struct ListingResult {
    scenario: &'static str,
    orders: u64,
    seed_seconds: f64,
    first_page_us: u64,
    middle_page_us: u64,
    status_page_us: u64,
}

/// Orders per INSERT (10 values a row: under SQLite's 32,766 variables).
const CHUNK: u64 = 2_000;

fn median_us(mut samples: Vec<Duration>) -> u64 {
    samples.sort_unstable();
    samples
        .get(samples.len() / 2)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// Runs the listing benchmark and prints its JSON line.
pub async fn run(args: ListingArgs) -> Result<(), BoxError> {
    let db = Database::connect_and_migrate(&args.database_url)
        .await
        .map_err(|e| format!("connecting to the database: {e}"))?;
    let seeded = Instant::now();
    let now = Utc::now();
    let partner = Query::insert()
        .into_table(Alias::new("partners"))
        .columns(
            [
                "name",
                "client_id",
                "client_secret_hash",
                "scopes",
                "created_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            "Listing bench".into(),
            format!("listing-{}", uuid::Uuid::new_v4().simple()).into(),
            "-".into(),
            "orders:read".into(),
            now.into(),
        ])
        .returning_col(Alias::new("id"))
        .to_owned();
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(backend.build(&partner))
        .await?
        .ok_or("no partner id returned")?;
    let partner_id: i64 = row.try_get("", "id")?;
    let start = now - chrono::Duration::seconds(i64::try_from(args.orders).unwrap_or(0));
    let date = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let mut written = 0;
    while written < args.orders {
        let txn = db.begin().await?;
        let mut insert = Query::insert();
        insert.into_table(Alias::new("orders")).columns(
            [
                "partner_id",
                "order_number",
                "order_type",
                "purchase_date",
                "company",
                "contact_name",
                "contact_email",
                "country",
                "created_at",
                "status",
            ]
            .map(Alias::new),
        );
        let end = (written + CHUNK).min(args.orders);
        for i in written..end {
            let created: DateTime<Utc> =
                start + chrono::Duration::seconds(i64::try_from(i).unwrap_or(0));
            insert.values_panic([
                partner_id.into(),
                format!("SO-L-{i:08}").into(),
                if i % 10 == 0 { "renewal" } else { "new" }.into(),
                date.into(),
                format!("Customer {} Ltd", i % 997).into(),
                "Pat Buyer".into(),
                "pat@buyer.example".into(),
                "US".into(),
                created.into(),
                if i % 3 == 0 {
                    "registered"
                } else {
                    "unregistered"
                }
                .into(),
            ]);
        }
        txn.execute(&insert).await?;
        txn.commit().await?;
        written = end;
    }
    let seed_seconds = seeded.elapsed().as_secs_f64();
    // The statistics the planner uses, as after a while in production.
    if backend == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE orders").await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
    }

    let all = OrderFilter::default();
    let first = list_orders(&db, partner_id, &all, None, args.limit).await?;
    let middle_cursor = ListCursor {
        created_at: start + chrono::Duration::seconds(i64::try_from(args.orders / 2).unwrap_or(0)),
        id: i64::MAX,
    };
    let registered = OrderFilter {
        status: Some(OrderState::Registered),
        ..OrderFilter::default()
    };
    if first.is_empty() && args.orders > 0 {
        return Err("the listing returned no order".into());
    }
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..args.pages {
        for (kind, (filter, after)) in [
            (&all, None),
            (&all, Some(middle_cursor)),
            (&registered, None),
        ]
        .into_iter()
        .enumerate()
        {
            let began = Instant::now();
            let page = list_orders(&db, partner_id, filter, after, args.limit).await?;
            times[kind].push(began.elapsed());
            std::hint::black_box(page);
        }
    }
    let [first_page, middle_page, status_page] = times;
    let result = ListingResult {
        scenario: "listing",
        orders: args.orders,
        seed_seconds,
        first_page_us: median_us(first_page),
        middle_page_us: median_us(middle_page),
        status_page_us: median_us(status_page),
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}
