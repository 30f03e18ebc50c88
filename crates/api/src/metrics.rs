//! Prometheus metrics, served at `GET /metrics` in the text exposition format, kept in one
//! `prometheus` registry of this process (each instance is scraped on its own; the servers of a
//! test process share it):
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
//! The exposition lists metrics by name and each sample's labels by name (`method`, `route`,
//! `status`), as the crate's encoder does.
//!
//! Code elsewhere bumps the domain counters through [`activation`], [`registration`],
//! [`outbox_delivery_failure`] and [`rate_limited`].

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use clp_db::outbox::OutboxKind;
use prometheus::core::Collector as _;
use prometheus::proto::MetricFamily;
use prometheus::{
    HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::route_class::RouteClass;

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
const OUTBOX_KINDS: [OutboxKind; 3] = [
    OutboxKind::Email,
    OutboxKind::Webhook,
    OutboxKind::VisionOne,
];

/// The metrics this process keeps between scrapes, registered in their own registry (not the
/// crate's default one, which any dependency could fill).
struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    activations: IntCounterVec,
    registrations: IntCounterVec,
    outbox_failures: IntCounterVec,
    rate_limited: IntCounterVec,
}

impl Metrics {
    /// Defines and registers every metric.
    fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "clp_http_request_duration_seconds",
                "Time to serve an HTTP request, by route pattern.",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &["route"],
        )?;
        registry.register(Box::new(durations.clone()))?;
        Ok(Self {
            requests: counter(
                &registry,
                "clp_http_requests_total",
                "HTTP requests served, by route pattern, method and status.",
                &["route", "method", "status"],
                &[],
            )?,
            durations,
            activations: counter(
                &registry,
                "clp_activations_total",
                "Account-based activations, by outcome.",
                &["outcome"],
                &ActivationOutcome::ALL.map(ActivationOutcome::as_str),
            )?,
            registrations: counter(
                &registry,
                "clp_registrations_total",
                "Registrations of an order's lines, by flow.",
                &["flow"],
                &RegistrationFlow::ALL.map(RegistrationFlow::as_str),
            )?,
            outbox_failures: counter(
                &registry,
                "clp_outbox_delivery_failures_total",
                "Failed outbox delivery attempts of this process, by message kind.",
                &["kind"],
                &OUTBOX_KINDS.map(OutboxKind::as_str),
            )?,
            rate_limited: counter(
                &registry,
                "clp_rate_limited_total",
                "Requests refused with 429 by the per-IP rate limit, by route class.",
                &["route_class"],
                &RouteClass::ALL.map(RouteClass::as_str),
            )?,
            registry,
        })
    }
}

/// A counter registered in `registry`, with a series at zero for each value of `shown_at_zero`
/// (a one-label counter whose values are known: dashboards see them before the first count).
fn counter(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    shown_at_zero: &[&str],
) -> prometheus::Result<IntCounterVec> {
    let counter = IntCounterVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(counter.clone()))?;
    for value in shown_at_zero {
        counter.get_metric_with_label_values(&[value])?;
    }
    Ok(counter)
}

static METRICS: LazyLock<prometheus::Result<Metrics>> = LazyLock::new(Metrics::new);

/// Defines the metrics (once a process); start-up calls it so that a bad definition stops the
/// server rather than leaving it counting nothing and answering every scrape with a 500.
pub fn init() -> Result<(), &'static prometheus::Error> {
    METRICS.as_ref().map(|_| ())
}

/// Adds `n` to the series `labels` of `counter`. Counting never fails the caller: the label
/// count is fixed by this module, so the lookup cannot fail once the metrics are defined.
fn add(counter: impl FnOnce(&Metrics) -> &IntCounterVec, labels: &[&str], n: u64) {
    if let Ok(metrics) = &*METRICS
        && let Ok(series) = counter(metrics).get_metric_with_label_values(labels)
    {
        series.inc_by(n);
    }
}

/// Counts one activation outcome.
pub fn activation(outcome: ActivationOutcome) {
    activations(outcome, 1);
}

/// Counts `n` activations with the same outcome (the sweeper expires them in batches).
pub fn activations(outcome: ActivationOutcome, n: u64) {
    add(|m| &m.activations, &[outcome.as_str()], n);
}

/// Counts one registration of an order's lines through `flow`.
pub fn registration(flow: RegistrationFlow) {
    add(|m| &m.registrations, &[flow.as_str()], 1);
}

/// Counts one failed delivery attempt of an outbox message of `kind` (`email`, `webhook`,
/// `vision_one`, as `OutboxKind::as_str` gives).
pub fn outbox_delivery_failure(kind: &str) {
    add(|m| &m.outbox_failures, &[kind], 1);
}

/// Counts one request refused by the rate limiter.
pub fn rate_limited(class: RouteClass) {
    add(|m| &m.rate_limited, &[class.as_str()], 1);
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
///
/// On the hot path: once a series exists, a lookup is a hash of its label values under a shared
/// read lock, and counting is atomic; nothing is allocated.
pub fn http_request(route: &str, method: &Method, status: StatusCode, elapsed: Duration) {
    add(
        |m| &m.requests,
        &[route, method_label(method), status.as_str()],
        1,
    );
    if let Ok(metrics) = &*METRICS
        && let Ok(histogram) = metrics.durations.get_metric_with_label_values(&[route])
    {
        histogram.observe(elapsed.as_secs_f64());
    }
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

/// The metrics read at scrape time rather than counted here: the log lines dropped by
/// [`crate::log_sink`], and the outbox depth (`None`: left out, the database could not be read).
fn read_at_scrape(outbox_depth: Option<u64>) -> prometheus::Result<Vec<MetricFamily>> {
    let dropped = IntCounter::with_opts(Opts::new(
        "clp_log_lines_dropped_total",
        "Log lines this process could not write: its queue was full or its output broken.",
    ))?;
    dropped.inc_by(crate::log_sink::dropped_lines());
    let mut families = dropped.collect();
    if let Some(depth) = outbox_depth {
        let gauge = IntGauge::with_opts(Opts::new(
            "clp_outbox_depth",
            "Outbox messages waiting for delivery (all processes).",
        ))?;
        gauge.set(i64::try_from(depth).unwrap_or(i64::MAX));
        families.extend(gauge.collect());
    }
    Ok(families)
}

/// The metrics in the Prometheus text format, sorted by name; `outbox_depth` is the gauge's
/// value, left out when the database could not be read.
pub fn render(outbox_depth: Option<u64>) -> prometheus::Result<String> {
    let metrics = METRICS
        .as_ref()
        .map_err(|e| prometheus::Error::Msg(format!("metrics undefined: {e}")))?;
    let mut families = metrics.registry.gather();
    families.extend(read_at_scrape(outbox_depth)?);
    families.sort_by(|a, b| a.name().cmp(b.name()));
    TextEncoder::new().encode_to_string(&families)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The metrics of the test process as text (unit tests share its registry).
    fn rendered(outbox_depth: Option<u64>) -> String {
        match render(outbox_depth) {
            Ok(text) => text,
            Err(e) => panic!("the metrics render: {e}"),
        }
    }

    #[test]
    fn metrics_are_defined() {
        assert!(init().is_ok(), "{:?}", init().err());
    }

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
        let text = rendered(Some(7));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"10\"} 1"
        ));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/unit-test/{id}\",le=\"+Inf\"} 2"
        ));
        assert!(
            text.contains(
                "clp_http_request_duration_seconds_sum{route=\"/unit-test/{id}\"} 20.003"
            )
        );
        assert!(text.contains(
            "clp_http_requests_total{method=\"GET\",route=\"/unit-test/{id}\",status=\"200\"} 2"
        ));
        assert!(text.contains("# HELP clp_http_requests_total HTTP requests served, by route pattern, method and status.\n# TYPE clp_http_requests_total counter\n"));
        assert!(text.contains("# TYPE clp_outbox_depth gauge\nclp_outbox_depth 7\n"));
        assert!(
            text.contains(
                "# TYPE clp_log_lines_dropped_total counter\nclp_log_lines_dropped_total "
            )
        );
        assert!(!rendered(None).contains("clp_outbox_depth"));
    }

    #[test]
    fn every_fixed_label_value_is_shown_before_its_first_count() {
        let text = rendered(None);
        let series = ActivationOutcome::ALL
            .map(|o| format!("clp_activations_total{{outcome=\"{}\"}}", o.as_str()))
            .into_iter()
            .chain(
                RegistrationFlow::ALL
                    .map(|f| format!("clp_registrations_total{{flow=\"{}\"}}", f.as_str())),
            )
            .chain(OUTBOX_KINDS.map(|k| {
                format!(
                    "clp_outbox_delivery_failures_total{{kind=\"{}\"}}",
                    k.as_str()
                )
            }))
            .chain(
                RouteClass::ALL
                    .map(|c| format!("clp_rate_limited_total{{route_class=\"{}\"}}", c.as_str())),
            );
        for series in series {
            assert!(
                text.contains(&format!("{series} ")),
                "{series} missing:\n{text}"
            );
        }
    }

    #[test]
    fn label_values_are_escaped_and_odd_methods_grouped() {
        http_request(
            "/unit-test/\"quoted\"\\",
            &Method::GET,
            StatusCode::OK,
            Duration::from_millis(1),
        );
        assert!(rendered(None).contains("route=\"/unit-test/\\\"quoted\\\"\\\\\""));
        let Ok(method) = Method::from_bytes(b"BREW") else {
            panic!("BREW is a valid token");
        };
        assert_eq!(method_label(&method), "other");
        assert_eq!(method_label(&Method::POST), "POST");
    }
}
