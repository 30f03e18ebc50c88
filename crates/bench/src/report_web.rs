//! The web app's table: Lighthouse (its default mobile profile, Debian's Chromium) on the
//! landing page, from the `lighthouse.json` that scripts/bench.sh distils from its report.

use serde_json::Value;

use crate::report::{num, pass};

/// Appends the Lighthouse table, or nothing when Lighthouse did not run.
pub fn lighthouse_table(out: &mut String, result: &Value) {
    use std::fmt::Write as _;
    if result.is_null() {
        return;
    }
    let score = |key: &str| num(result, key);
    let _ = writeln!(
        out,
        "### Web app: Lighthouse, mobile profile, landing page\n"
    );
    let _ = writeln!(out, "| measure | result | target | pass |");
    let _ = writeln!(out, "|---|---|---|---|");
    let performance = score("performance");
    let _ = writeln!(
        out,
        "| performance | {} (FCP {} ms, LCP {} ms, TBT {} ms, CLS {}; {} transferred) | ≥ 95 | {} |",
        show(performance),
        show(score("fcp_ms")),
        show(score("lcp_ms")),
        show(score("tbt_ms")),
        score("cls").map_or("n/a".to_owned(), |c| format!("{c:.3}")),
        score("transfer_bytes").map_or("n/a".to_owned(), |b| format!("{:.1} KB", b / 1000.0)),
        pass(performance.map(|p| p >= 95.0)),
    );
    for (label, key) in [
        ("accessibility", "accessibility"),
        ("best practices", "best_practices"),
        ("SEO", "seo"),
    ] {
        let value = score(key);
        let _ = writeln!(
            out,
            "| {label} | {} | 100 | {} |",
            show(value),
            pass(value.map(|v| v >= 100.0))
        );
    }
    let _ = writeln!(out);
}

fn show(value: Option<f64>) -> String {
    value.map_or("n/a".to_owned(), |v| format!("{v:.0}"))
}
