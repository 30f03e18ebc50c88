//! Prometheus metrics, served at `GET /metrics` in the text exposition format (hand-rolled:
//! a handful of counters, one gauge and one histogram need no metrics crate).
//!
//! Counters live in this process (each instance is scraped on its own):
//!
//! | metric | labels | bumped by |
//! |---|---|---|
//! | `clp_http_requests_total` | `route` (the matched pattern, never the raw path), `method`, `status` | [`track`] |
//! | `clp_http_request_duration_seconds` (histogram) | `route` | [`track`] |
//! | `clp_activations_total` | `outcome`: requested, completed, expired, conflict | [`track`] from the activation routes' responses; the sweeper for `expired` |
//! | `clp_registrations_total` | `flow`: account_based, legacy | [`track`] (verify 200, registrations 201) |
//! | `clp_outbox_delivery_failures_total` | `kind`: email, webhook, vision_one | the outbox worker |
//! | `clp_rate_limited_total` | `route_class`: key, sign_in, sign_up, oauth_token | the rate limiter |
//! | `clp_outbox_depth` (gauge) | | read from the database at scrape time |
//! | `clp_log_lines_dropped_total` | | [`crate::log_sink`]: lines not written (queue full, output broken) |
//!
//! Code elsewhere bumps the domain counters through [`activation`], [`registration`],
//! [`outbox_delivery_failure`] and [`rate_limited`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, get, web};

use crate::rate_limit::RouteClass;
use crate::routes::ServiceConfig;
use crate::state::AppState;

/// Content type of the Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds (seconds) of the request duration histogram buckets.
pub const DURATION_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The `route` label of requests that matched no route (kept apart so that scanners probing
/// random paths cannot create one time series per path).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// How an account-based activation went (`clp_activations_total{outcome}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationOutcome {
    /// A pending activation was created and its verification email queued (202).
    Requested,
    /// A verification link was followed and the order registered (200).
    Completed,
    /// A pending activation expired unverified.
    Expired,
    /// A restriction refused the request or the verification (409).
    Conflict,
}

impl ActivationOutcome {
    /// Every outcome, in exposition order.
    pub const ALL: [Self; 4] = [
        Self::Requested,
        Self::Completed,
        Self::Expired,
        Self::Conflict,
    ];

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Completed => "completed",
            Self::Expired => "expired",
            Self::Conflict => "conflict",
        }
    }
}

/// The flow that registered an order's lines (`clp_registrations_total{flow}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationFlow {
    /// Account-based activation completed by its verification link.
    AccountBased,
    /// Legacy registration of one line.
    Legacy,
}

impl RegistrationFlow {
    /// Every flow, in exposition order.
    pub const ALL: [Self; 2] = [Self::AccountBased, Self::Legacy];

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountBased => "account_based",
            Self::Legacy => "legacy",
        }
    }
}

/// Outbox kinds shown with a zero failure count before their first failure.
const OUTBOX_KINDS: [&str; 3] = ["email", "webhook", "vision_one"];

#[derive(Debug, Default)]
struct Histogram {
    /// Non-cumulative count per bucket of [`DURATION_BUCKETS`], then the `+Inf` overflow.
    buckets: [u64; DURATION_BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        let index = DURATION_BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(DURATION_BUCKETS.len());
        self.buckets[index] += 1;
        self.sum += seconds;
        self.count += 1;
    }
}

#[derive(Debug, Default)]
struct Registry {
    requests: Mutex<BTreeMap<(String, &'static str, u16), u64>>,
    durations: Mutex<BTreeMap<String, Histogram>>,
    activations: [AtomicU64; ActivationOutcome::ALL.len()],
    registrations: [AtomicU64; RegistrationFlow::ALL.len()],
    outbox_failures: Mutex<BTreeMap<String, u64>>,
    rate_limited: [AtomicU64; RouteClass::ALL.len()],
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);

/// A poisoned lock only means another thread panicked mid-update of a counter: keep counting.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counts one activation outcome.
pub fn activation(outcome: ActivationOutcome) {
    activations(outcome, 1);
}

/// Counts `n` activations with the same outcome (the sweeper expires them in batches).
pub fn activations(outcome: ActivationOutcome, n: u64) {
    let index = ActivationOutcome::ALL
        .iter()
        .position(|o| *o == outcome)
        .unwrap_or(0);
    REGISTRY.activations[index].fetch_add(n, Ordering::Relaxed);
}

/// Counts one registration of an order's lines through `flow`.
pub fn registration(flow: RegistrationFlow) {
    let index = RegistrationFlow::ALL
        .iter()
        .position(|f| *f == flow)
        .unwrap_or(0);
    REGISTRY.registrations[index].fetch_add(1, Ordering::Relaxed);
}

/// Counts one failed delivery attempt of an outbox message of `kind` (`email`, `webhook`,
/// `vision_one`, as `OutboxKind::as_str` gives).
pub fn outbox_delivery_failure(kind: &str) {
    *lock(&REGISTRY.outbox_failures)
        .entry(kind.to_owned())
        .or_default() += 1;
}

/// Counts one request refused by the rate limiter.
pub fn rate_limited(class: RouteClass) {
    let index = RouteClass::ALL
        .iter()
        .position(|c| *c == class)
        .unwrap_or(0);
    REGISTRY.rate_limited[index].fetch_add(1, Ordering::Relaxed);
}

/// The `method` label: the standard methods, `other` for the rest (a label value per invented
/// method would let any client grow the series without bound).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts one served request of `route` (a pattern such as `/api/v1/activations/{id}`).
pub fn http_request(route: &str, method: &Method, status: StatusCode, elapsed: Duration) {
    let method = method_label(method);
    *lock(&REGISTRY.requests)
        .entry((route.to_owned(), method, status.as_u16()))
        .or_default() += 1;
    lock(&REGISTRY.durations)
        .entry(route.to_owned())
        .or_default()
        .observe(elapsed.as_secs_f64());
}

/// Middleware counting every request by route pattern, method and status, with its duration.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    // The pattern from the router's map, never the raw path (which may hold ids).
    let route = req
        .match_pattern()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| UNMATCHED_ROUTE.to_owned());
    let result = next.call(req).await;
    let status = match &result {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    http_request(&route, &method, status, started.elapsed());
    result
}

/// Escapes a label value for the text format.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The metrics in the Prometheus text format; `outbox_depth` is the gauge's value, left out
/// when the database could not be read.
pub fn render(outbox_depth: Option<u64>) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "clp_http_requests_total",
        "counter",
        "HTTP requests served, by route pattern, method and status.",
    );
    for ((route, method, status), n) in lock(&REGISTRY.requests).iter() {
        let _ = writeln!(
            out,
            "clp_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
            escape(route)
        );
    }
    header(
        &mut out,
        "clp_http_request_duration_seconds",
        "histogram",
        "Time to serve an HTTP request, by route pattern.",
    );
    for (route, histogram) in lock(&REGISTRY.durations).iter() {
        let route = escape(route);
        let mut cumulative = 0;
        for (bound, n) in DURATION_BUCKETS.iter().zip(histogram.buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "clp_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "clp_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
            histogram.count
        );
        let _ = writeln!(
            out,
            "clp_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            histogram.sum
        );
        let _ = writeln!(
            out,
            "clp_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
            histogram.count
        );
    }
    header(
        &mut out,
        "clp_activations_total",
        "counter",
        "Account-based activations, by outcome.",
    );
    for (outcome, n) in ActivationOutcome::ALL.iter().zip(&REGISTRY.activations) {
        let _ = writeln!(
            out,
            "clp_activations_total{{outcome=\"{}\"}} {}",
            outcome.as_str(),
            n.load(Ordering::Relaxed)
        );
    }
    header(
        &mut out,
        "clp_registrations_total",
        "counter",
        "Registrations of an order's lines, by flow.",
    );
    for (flow, n) in RegistrationFlow::ALL.iter().zip(&REGISTRY.registrations) {
        let _ = writeln!(
            out,
            "clp_registrations_total{{flow=\"{}\"}} {}",
            flow.as_str(),
            n.load(Ordering::Relaxed)
        );
    }
    if let Some(depth) = outbox_depth {
        header(
            &mut out,
            "clp_outbox_depth",
            "gauge",
            "Outbox messages waiting for delivery (all processes).",
        );
        let _ = writeln!(out, "clp_outbox_depth {depth}");
    }
    header(
        &mut out,
        "clp_outbox_delivery_failures_total",
        "counter",
        "Failed outbox delivery attempts of this process, by message kind.",
    );
    let mut failures: BTreeMap<String, u64> =
        OUTBOX_KINDS.iter().map(|k| ((*k).to_owned(), 0)).collect();
    failures.extend(
        lock(&REGISTRY.outbox_failures)
            .iter()
            .map(|(k, v)| (k.clone(), *v)),
    );
    for (kind, n) in &failures {
        let _ = writeln!(
            out,
            "clp_outbox_delivery_failures_total{{kind=\"{}\"}} {n}",
            escape(kind)
        );
    }
    header(
        &mut out,
        "clp_rate_limited_total",
        "counter",
        "Requests refused with 429 by the per-IP rate limit, by route class.",
    );
    for (class, n) in RouteClass::ALL.iter().zip(&REGISTRY.rate_limited) {
        let _ = writeln!(
            out,
            "clp_rate_limited_total{{route_class=\"{}\"}} {}",
            class.as_str(),
            n.load(Ordering::Relaxed)
        );
    }
    header(
        &mut out,
        "clp_log_lines_dropped_total",
        "counter",
        "Log lines this process could not write: its queue was full or its output broken.",
    );
    let _ = writeln!(
        out,
        "clp_log_lines_dropped_total {}",
        crate::log_sink::dropped_lines()
    );
    out
}

/// Registers `GET /metrics`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_metrics);
}

/// Prometheus metrics of this process, in the text exposition format.
///
/// Request counters and latency histograms by route pattern, activations by outcome,
/// registrations by flow, outbox depth (all processes) and delivery failures (this process),
/// rate-limit rejections by route class.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The metrics, Prometheus text format 0.0.4.",
            body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    let depth = match clp_db::outbox::pending_count(&state.db).await {
        Ok(depth) => Some(depth),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot count the outbox");
            None
        }
    };
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(render(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_in_the_exposition() {
        http_request(
            "/unit-test/{id}",
            &Method::GET,
            StatusCode::OK,
            Duration::from_millis(3),
        );
        http_request(
            "/unit-test/{id}",
            &Method::GET,
            StatusCode::OK,
            Duration::from_secs(20),
        );
        let text = render(Some(7));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"10\"} 1"
        ));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"+Inf\"} 2"
        ));
        assert!(text.contains(
            "clp_http_requests_total{route=\"/unit-test/{id}\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains("clp_outbox_depth 7"));
        assert!(text.contains("clp_activations_total{outcome=\"expired\"}"));
        assert!(text.contains("clp_outbox_delivery_failures_total{kind=\"webhook\"}"));
    }

    #[test]
    fn label_values_are_escaped_and_odd_methods_grouped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let Ok(method) = Method::from_bytes(b"BREW") else {
            panic!("BREW is a valid token");
        };
        assert_eq!(method_label(&method), "other");
        assert_eq!(method_label(&Method::POST), "POST");
    }
}
