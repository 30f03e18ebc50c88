//! The rows of a database's table measured by `wrk` (scripts/wrk/scenario.lua): `/healthz`,
//! preview and `me/products` at the run's connections, the preview / `/healthz` ratio against
//! the target for the engine, and on PostgreSQL the two-process row.

use std::path::Path;

use serde_json::Value;

use crate::report::{errors_free, load_cell, num, read_json, row};

/// Appends the wrk rows of the run directory `dir` of database `db` (`sqlite`, `postgres`).
pub fn wrk_rows(out: &mut String, dir: &Path, db: &str) {
    let result = |name: &str| read_json(&dir.join(format!("{name}.json")));
    let healthz = result("wrk-healthz");
    let preview = result("wrk-preview");
    let products = result("wrk-products");
    row(
        out,
        "wrk: `GET /healthz` (ceiling)",
        &load_cell(&healthz),
        "",
        None,
    );
    row(
        out,
        "wrk: `POST /api/v1/preview`",
        &load_cell(&preview),
        "p99 ≤ 10 ms",
        num(&preview, "p99_ms").map(|p| p <= 10.0 && errors_free(&preview)),
    );
    let ratio = match (num(&preview, "rps"), num(&healthz, "rps")) {
        (Some(p), Some(h)) if h > 0.0 => Some(p / h),
        _ => None,
    };
    let (target, floor) = if db == "postgres" {
        ("≥ 15 %", 0.15)
    } else {
        ("≥ 25 %", 0.25)
    };
    row(
        out,
        "wrk: preview / healthz rate",
        &ratio.map_or("n/a".to_owned(), |r| format!("{:.1} %", r * 100.0)),
        target,
        ratio.map(|r| r >= floor),
    );
    row(
        out,
        "wrk: `GET /api/v1/me/products` (1,000 products)",
        &load_cell(&products),
        "≥ 500 req/s",
        num(&products, "rps").map(|r| r >= 500.0 && errors_free(&products)),
    );
    if db == "postgres" {
        two_processes_row(out, dir, &preview);
    }
}

/// Two `clp-server` processes on one database, each driven by wrk at half the connections:
/// the sum of both rates against one process at all of them.
fn two_processes_row(out: &mut String, dir: &Path, one: &Value) {
    let a = read_json(&dir.join("two-process-a.json"));
    let b = read_json(&dir.join("two-process-b.json"));
    let sum = match (num(&a, "rps"), num(&b, "rps")) {
        (Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    let cell = match (sum, num(one, "rps")) {
        (Some(sum), Some(one)) if one > 0.0 => format!(
            "{sum:.0} req/s (a: {}, b: {}) = {:.2} × one process ({one:.0} req/s); p99 {} / {} ms",
            num(&a, "rps").map_or(0.0, f64::round),
            num(&b, "rps").map_or(0.0, f64::round),
            sum / one,
            num(&a, "p99_ms").map_or("n/a".to_owned(), |p| format!("{p:.1}")),
            num(&b, "p99_ms").map_or("n/a".to_owned(), |p| format!("{p:.1}")),
        ),
        _ => "n/a".to_owned(),
    };
    row(
        out,
        "wrk: preview on two processes, same total connections",
        &cell,
        "report only",
        None,
    );
}
