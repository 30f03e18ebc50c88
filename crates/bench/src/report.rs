//! `clp-bench report`: the result files of one `scripts/bench.sh` run as Markdown tables,
//! one a database, with the targets of issue 7 as pass/fail columns.
//!
//! Each run directory holds what the script wrote: `meta.json` (`{db, lines}`), `seed.json`
//! and `small/seed.json` (from `seed`), one `<scenario>.json` per load (from `load --out`)
//! and `rss.json` (`{vmhwm_kb_before_signin, vmhwm_kb}`). The report replaces the part of
//! the output file between the two `bench:results` markers and leaves the rest (notes written
//! by hand) alone; a file without markers is written whole.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use crate::BoxError;

const START: &str = "<!-- bench:results:start -->";
const END: &str = "<!-- bench:results:end -->";

/// Options of `clp-bench report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The Markdown file to update (between the `bench:results` markers).
    #[arg(long, default_value = "docs/benchmarks.md")]
    out: PathBuf,
    /// The command that produced the results (shown above the tables).
    #[arg(long, default_value = "make bench")]
    command: String,
    /// JSON sizes of the SPA: `{wasm_raw, wasm_gz, js_raw, js_gz}`.
    #[arg(long)]
    frontend: Option<PathBuf>,
    /// Lighthouse's scores and timings of the landing page (scripts/bench.sh writes them).
    #[arg(long)]
    lighthouse: Option<PathBuf>,
    /// Run directories, one a database.
    dirs: Vec<PathBuf>,
}

/// Writes the report and prints it.
pub fn run(args: &ReportArgs) -> Result<(), BoxError> {
    let mut body = String::new();
    let _ = writeln!(body, "{START}");
    let _ = writeln!(
        body,
        "Command: `{}`  \nDate: {}  \nMachine: {} CPUs (`nproc`), {}, {} RAM; load generator \
         and server share the machine.\n",
        args.command,
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism().map_or(0, usize::from),
        cpu_model(),
        mem_total(),
    );
    for dir in &args.dirs {
        database_table(&mut body, dir);
    }
    if let Some(path) = &args.frontend {
        frontend_table(&mut body, &read_json(path));
    }
    if let Some(path) = &args.lighthouse {
        crate::report_web::lighthouse_table(&mut body, &read_json(path));
    }
    let _ = writeln!(body, "{END}");

    let existing = std::fs::read_to_string(&args.out).unwrap_or_default();
    let text = match (existing.find(START), existing.find(END)) {
        (Some(start), Some(end)) if start < end => format!(
            "{}{}{}",
            &existing[..start],
            body.trim_end_matches('\n'),
            &existing[end + END.len()..]
        ),
        _ => format!("# Benchmarks\n\n{body}"),
    };
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&args.out, text).map_err(|e| format!("writing {}: {e}", args.out.display()))?;
    print!("{body}");
    Ok(())
}

fn database_table(out: &mut String, dir: &Path) {
    let meta = read_json(&dir.join("meta.json"));
    let seed = read_json(&dir.join("seed.json"));
    let small_seed = read_json(&dir.join("small/seed.json"));
    let result = |name: &str| read_json(&dir.join(format!("{name}.json")));
    let healthz = result("healthz");
    let preview = result("preview");
    let preview_c1 = result("preview-c1");
    let small_c1 = result("small-preview-c1");
    let signin = result("signin");
    let products = result("products");
    let activate = result("activate");
    let verify = result("verify");
    let rss = read_json(&dir.join("rss.json"));

    let db = meta.get("db").and_then(Value::as_str).unwrap_or("?");
    let title = match db {
        "sqlite" => "SQLite",
        "postgres" => "PostgreSQL",
        other => other,
    };
    let _ = writeln!(
        out,
        "### {title}: {} orders, {} lines\n",
        int(&seed, "orders"),
        int(&seed, "lines")
    );
    let _ = writeln!(out, "| measure | result | target | pass |");
    let _ = writeln!(out, "|---|---|---|---|");
    let seed_s = num(&seed, "seed_s");
    row(
        out,
        "bulk seed (migrations excluded)",
        &format!(
            "{} rows ({} lines) in {} s: {} rows/s",
            int(&seed, "rows"),
            int(&seed, "lines"),
            fixed(seed_s, 1),
            fixed(num(&seed, "rows_per_s"), 0)
        ),
        "well under 60 s",
        seed_s.map(|s| s < 60.0),
    );
    row(
        out,
        "`GET /healthz`, 64 connections (ceiling)",
        &load_cell(&healthz),
        "",
        None,
    );
    row(
        out,
        "`POST /api/v1/preview`, 64 connections",
        &load_cell(&preview),
        "p99 ≤ 10 ms",
        num(&preview, "p99_ms").map(|p| p <= 10.0 && errors_free(&preview)),
    );
    let ratio = match (num(&preview, "rps"), num(&healthz, "rps")) {
        (Some(p), Some(h)) if h > 0.0 => Some(p / h),
        _ => None,
    };
    row(
        out,
        "preview / healthz rate",
        &ratio.map_or("n/a".to_owned(), |r| format!("{:.1} %", r * 100.0)),
        "≥ 25 %",
        ratio.map(|r| r >= 0.25),
    );
    row(
        out,
        "`POST /api/v1/session` (argon2id, slow on purpose)",
        &load_cell(&signin),
        "report only",
        None,
    );
    row(
        out,
        "`GET /api/v1/me/products` (1,000 products)",
        &load_cell(&products),
        "",
        None,
    );
    row(
        out,
        "`POST /api/v1/activations` (signed in)",
        &load_cell(&activate),
        "",
        None,
    );
    row(
        out,
        "`POST /api/v1/activations/verify`",
        &load_cell(&verify),
        "≥ 1,000/s",
        num(&verify, "rps").map(|r| r >= 1000.0 && errors_free(&verify)),
    );
    crate::report_wrk::wrk_rows(out, dir, db);
    let small_p50 = num(&small_c1, "p50_ms");
    let big_p50 = num(&preview_c1, "p50_ms");
    row(
        out,
        &format!(
            "preview p50, 1 connection, {} lines",
            int(&small_seed, "lines")
        ),
        &ms_cell(small_p50),
        "",
        None,
    );
    row(
        out,
        &format!("preview p50, 1 connection, {} lines", int(&seed, "lines")),
        &ms_cell(big_p50),
        "",
        None,
    );
    let growth = match (big_p50, small_p50) {
        (Some(big), Some(small)) if small > 0.0 => Some(big / small),
        _ => None,
    };
    row(
        out,
        "preview cost growth (p50 large / p50 small)",
        &growth.map_or("n/a".to_owned(), |g| format!("{g:.2} ×")),
        "≤ 1.2 ×",
        growth.map(|g| g <= 1.2),
    );
    let before = num(&rss, "vmhwm_kb_before_signin").map(|kb| kb / 1024.0);
    let peak = num(&rss, "vmhwm_kb").map(|kb| kb / 1024.0);
    row(
        out,
        "server peak RSS (VmHWM) before the sign-in load",
        &before.map_or("n/a".to_owned(), |mb| format!("{mb:.1} MiB")),
        "≤ 60 MB",
        before.map(|mb| mb * 1024.0 * 1024.0 <= 60e6),
    );
    row(
        out,
        "server peak RSS (VmHWM) after the sign-in load",
        &peak.map_or("n/a".to_owned(), |mb| format!("{mb:.1} MiB")),
        "≤ 60 MB",
        peak.map(|mb| mb * 1024.0 * 1024.0 <= 60e6),
    );
    let _ = writeln!(out);
    let lines = meta.get("lines").and_then(Value::as_u64).unwrap_or(0);
    let _ = writeln!(
        out,
        "Load: {} s measured per scenario after 1 s of warm-up (verify: at most its {} \
         tokens); `statuses` of every scenario are in `{}`. Large database: {} lines \
         requested. Load average of the machine before this database's run: {} (other work \
         on the machine skews every rate).\n",
        fixed(num(&preview, "duration_s"), 0),
        int(&seed, "verify_tokens"),
        dir.display(),
        lines,
        meta.get("loadavg_before")
            .and_then(Value::as_str)
            .unwrap_or("n/a"),
    );
}

fn frontend_table(out: &mut String, sizes: &Value) {
    let _ = writeln!(out, "### SPA (frontend/dist)\n");
    let _ = writeln!(out, "| file | raw | gzip -9 | target | pass |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    let wasm_gz = num(sizes, "wasm_gz");
    let _ = writeln!(
        out,
        "| `*.wasm` | {} | {} | ≤ 250 KB gzipped | {} |",
        kb(num(sizes, "wasm_raw")),
        kb(wasm_gz),
        pass(wasm_gz.map(|b| b <= 250_000.0))
    );
    let _ = writeln!(
        out,
        "| `*.js` | {} | {} | | |\n",
        kb(num(sizes, "js_raw")),
        kb(num(sizes, "js_gz"))
    );
}

pub(crate) fn row(out: &mut String, measure: &str, result: &str, target: &str, ok: Option<bool>) {
    let verdict = if target.is_empty() || target == "report only" {
        String::new()
    } else {
        pass(ok).to_owned()
    };
    let _ = writeln!(out, "| {measure} | {result} | {target} | {verdict} |");
}

pub(crate) fn pass(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "✅ pass",
        Some(false) => "❌ fail",
        None => "n/a",
    }
}

pub(crate) fn load_cell(result: &Value) -> String {
    if result.is_null() {
        return "n/a".to_owned();
    }
    format!(
        "{} req/s, p50 {} ms, p99 {} ms ({} requests, {} errors)",
        fixed(num(result, "rps"), 0),
        fixed(num(result, "p50_ms"), 2),
        fixed(num(result, "p99_ms"), 2),
        int(result, "requests"),
        int(result, "errors"),
    )
}

fn ms_cell(value: Option<f64>) -> String {
    value.map_or("n/a".to_owned(), |v| format!("{v:.3} ms"))
}

pub(crate) fn errors_free(result: &Value) -> bool {
    result.get("errors").and_then(Value::as_u64) == Some(0)
}

pub(crate) fn num(value: &Value, key: &str) -> Option<f64> {
    value.get(key).and_then(Value::as_f64)
}

fn int(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_u64)
        .map_or("n/a".to_owned(), thousands)
}

fn fixed(value: Option<f64>, digits: usize) -> String {
    value.map_or("n/a".to_owned(), |v| format!("{v:.digits$}"))
}

fn kb(bytes: Option<f64>) -> String {
    bytes.map_or("n/a".to_owned(), |b| format!("{:.1} KB", b / 1000.0))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The JSON in `path`, or `null` when it is missing or unreadable (a partial run still
/// renders, with `n/a` cells).
pub(crate) fn read_json(path: &Path) -> Value {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn mem_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(843_653), "843,653");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn a_missing_result_renders_as_not_available() {
        assert_eq!(load_cell(&Value::Null), "n/a");
        assert_eq!(pass(None), "n/a");
        assert_eq!(pass(Some(true)), "✅ pass");
    }
}
