//! `clp-bench load`: a fixed-concurrency HTTP load generator.
//!
//! `--connections` tasks each own one keep-alive HTTP/1.1 connection (a reqwest client with a
//! single idle connection) and send requests back to back for `--warmup` (not recorded) plus
//! `--duration`. Latencies go into one HDR histogram per task (microseconds, 3 significant
//! digits), merged at the end. A request counts as an error when it fails or its status is
//! not the scenario's success status. Prints one JSON object a scenario.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use reqwest::{Client, Method, StatusCode};
use serde::Serialize;

use crate::BoxError;

/// What to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// `GET /healthz`: the ceiling of the server on this machine.
    Healthz,
    /// `POST /api/v1/preview` with random keys of `--keys-file`, signed out.
    Preview,
    /// `POST /api/v1/session` with `--login`/`--password` (argon2: slow on purpose).
    Signin,
    /// `GET /api/v1/me/products` signed in as `--login`.
    Products,
    /// `POST /api/v1/activations` signed in as `--login`, random keys of `--keys-file`.
    Activate,
    /// `POST /api/v1/activations/verify`, each token of `--keys-file` once (stops when spent).
    Verify,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Healthz => "healthz",
            Scenario::Preview => "preview",
            Scenario::Signin => "signin",
            Scenario::Products => "products",
            Scenario::Activate => "activate",
            Scenario::Verify => "verify",
        }
    }

    fn success(self) -> StatusCode {
        match self {
            Scenario::Activate => StatusCode::ACCEPTED,
            _ => StatusCode::OK,
        }
    }
}

/// Options of `clp-bench load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Base URL of the server, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    base_url: String,
    /// The scenario.
    #[arg(long, value_enum)]
    scenario: Scenario,
    /// Concurrent connections (one request in flight on each).
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Measured time (`10s`, `1m`).
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    duration: Duration,
    /// Unrecorded time before measuring (ignored by `verify`, whose tokens work once).
    #[arg(long, default_value = "1s", value_parser = humantime::parse_duration)]
    warmup: Duration,
    /// Registration keys (`preview`, `activate`) or verification tokens (`verify`), one a line.
    #[arg(long)]
    keys_file: Option<PathBuf>,
    /// Login of the account (`signin`, `products`, `activate`).
    #[arg(long)]
    login: Option<String>,
    /// Password of the account.
    #[arg(long, default_value = "bench-password-1")]
    password: String,
    /// Name of the result (defaults to the scenario's).
    #[arg(long)]
    label: Option<String>,
    /// Also write the JSON result to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The result of one scenario.
#[derive(Debug, Serialize)]
struct LoadResult {
    scenario: String,
    connections: usize,
    duration_s: f64,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    statuses: BTreeMap<String, u64>,
}

/// What every connection task shares.
struct Plan {
    scenario: Scenario,
    url: String,
    method: Method,
    bearer: Option<String>,
    bodies: Vec<String>,
    /// Next token of `verify` (each used once).
    next: AtomicUsize,
    login_body: Option<String>,
}

/// What one connection task measured.
struct TaskResult {
    histogram: Histogram<u64>,
    requests: u64,
    errors: u64,
    statuses: BTreeMap<String, u64>,
    last_end: Instant,
}

/// Runs the scenario and prints its result.
pub async fn run(args: LoadArgs) -> Result<(), BoxError> {
    let base = args.base_url.trim_end_matches('/').to_owned();
    let scenario = args.scenario;
    let keys = match &args.keys_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let needs_keys = matches!(
        scenario,
        Scenario::Preview | Scenario::Activate | Scenario::Verify
    );
    if needs_keys && keys.is_empty() {
        return Err(format!("scenario {} needs a non-empty --keys-file", scenario.name()).into());
    }
    let login_body = match &args.login {
        Some(login) => Some(serde_json::to_string(
            &serde_json::json!({ "login": login, "password": args.password }),
        )?),
        None => None,
    };
    let bearer = match scenario {
        Scenario::Products | Scenario::Activate => {
            let body = login_body
                .clone()
                .ok_or_else(|| format!("scenario {} needs --login", scenario.name()))?;
            Some(sign_in(&base, body).await?)
        }
        _ => None,
    };
    let (path, method, bodies) = match scenario {
        Scenario::Healthz => ("/healthz", Method::GET, Vec::new()),
        Scenario::Preview => ("/api/v1/preview", Method::POST, key_bodies(&keys, "key")?),
        Scenario::Signin => (
            "/api/v1/session",
            Method::POST,
            vec![login_body.clone().ok_or("scenario signin needs --login")?],
        ),
        Scenario::Products => ("/api/v1/me/products", Method::GET, Vec::new()),
        Scenario::Activate => (
            "/api/v1/activations",
            Method::POST,
            key_bodies(&keys, "key")?,
        ),
        Scenario::Verify => (
            "/api/v1/activations/verify",
            Method::POST,
            key_bodies(&keys, "token")?,
        ),
    };
    let plan = Arc::new(Plan {
        scenario,
        url: format!("{base}{path}"),
        method,
        bearer,
        bodies,
        next: AtomicUsize::new(0),
        login_body,
    });
    let warmup = if scenario == Scenario::Verify {
        Duration::ZERO
    } else {
        args.warmup
    };
    let start = Instant::now();
    let measure_from = start + warmup;
    let deadline = measure_from + args.duration;
    let mut tasks = Vec::with_capacity(args.connections);
    for index in 0..args.connections.max(1) {
        let plan = Arc::clone(&plan);
        tasks.push(tokio::spawn(connection(
            plan,
            index,
            measure_from,
            deadline,
        )));
    }
    let mut histogram = new_histogram()?;
    let mut requests = 0;
    let mut errors = 0;
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    let mut last_end = measure_from;
    for task in tasks {
        let result = task.await??;
        histogram.add(&result.histogram)?;
        requests += result.requests;
        errors += result.errors;
        for (status, count) in result.statuses {
            *statuses.entry(status).or_default() += count;
        }
        last_end = last_end.max(result.last_end);
    }
    let elapsed = last_end
        .saturating_duration_since(measure_from)
        .as_secs_f64();
    let ok = requests.saturating_sub(errors);
    let ms = |q: f64| histogram.value_at_quantile(q) as f64 / 1000.0;
    let result = LoadResult {
        scenario: args.label.unwrap_or_else(|| scenario.name().to_owned()),
        connections: args.connections,
        duration_s: round(elapsed, 3),
        requests,
        errors,
        rps: round(ok as f64 / elapsed.max(1e-9), 1),
        p50_ms: round(ms(0.50), 3),
        p90_ms: round(ms(0.90), 3),
        p99_ms: round(ms(0.99), 3),
        max_ms: round(histogram.max() as f64 / 1000.0, 3),
        statuses,
    };
    let json = serde_json::to_string(&result)?;
    if let Some(out) = &args.out {
        std::fs::write(out, format!("{json}\n"))
            .map_err(|e| format!("writing {}: {e}", out.display()))?;
    }
    println!("{json}");
    Ok(())
}

/// One keep-alive connection sending requests back to back until `deadline`.
async fn connection(
    plan: Arc<Plan>,
    index: usize,
    measure_from: Instant,
    deadline: Instant,
) -> Result<TaskResult, BoxError> {
    let client = Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()?;
    let mut rng = StdRng::seed_from_u64(0x5eed_0000 + index as u64);
    let mut result = TaskResult {
        histogram: new_histogram()?,
        requests: 0,
        errors: 0,
        statuses: BTreeMap::new(),
        last_end: measure_from,
    };
    loop {
        if Instant::now() >= deadline {
            break;
        }
        let body = match plan.scenario {
            Scenario::Healthz | Scenario::Products => None,
            Scenario::Signin => plan.login_body.clone(),
            Scenario::Verify => {
                let next = plan.next.fetch_add(1, Ordering::Relaxed);
                match plan.bodies.get(next) {
                    Some(body) => Some(body.clone()),
                    None => break,
                }
            }
            Scenario::Preview | Scenario::Activate => plan
                .bodies
                .get(rng.random_range(0..plan.bodies.len()))
                .cloned(),
        };
        let mut request = client.request(plan.method.clone(), &plan.url);
        if let Some(token) = &plan.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let sent = Instant::now();
        let status = match request.send().await {
            Ok(response) => {
                let status = response.status();
                // Read the whole body: the connection is reused only once it is drained.
                match response.bytes().await {
                    Ok(_) => Some(status),
                    Err(_) => None,
                }
            }
            Err(_) => None,
        };
        let done = Instant::now();
        if sent < measure_from {
            continue;
        }
        result.requests += 1;
        result.last_end = done;
        let key = status.map_or_else(|| "transport".to_owned(), |s| s.as_u16().to_string());
        *result.statuses.entry(key).or_default() += 1;
        if status == Some(plan.scenario.success()) {
            let micros = u64::try_from(done.duration_since(sent).as_micros()).unwrap_or(u64::MAX);
            result.histogram.saturating_record(micros.max(1));
        } else {
            result.errors += 1;
        }
    }
    Ok(result)
}

/// Signs in once and returns the bearer token.
async fn sign_in(base: &str, body: String) -> Result<String, BoxError> {
    let response = Client::new()
        .post(format!("{base}/api/v1/session"))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        return Err(format!("sign-in failed with {status}: {text}").into());
    }
    let value: serde_json::Value = serde_json::from_str(&text)?;
    value
        .get("token")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "the sign-in response has no token".into())
}

/// JSON bodies `{"<field>": "<key>"}`, serialized once.
fn key_bodies(keys: &[String], field: &str) -> Result<Vec<String>, BoxError> {
    keys.iter()
        .map(|k| {
            let mut object = serde_json::Map::new();
            object.insert(field.to_owned(), serde_json::Value::String(k.clone()));
            serde_json::to_string(&object).map_err(Into::into)
        })
        .collect()
}

fn new_histogram() -> Result<Histogram<u64>, BoxError> {
    // 1 µs to 10 minutes, 3 significant digits.
    Histogram::new_with_bounds(1, 600_000_000, 3).map_err(|e| format!("histogram: {e}").into())
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10_f64.powi(digits);
    (value * scale).round() / scale
}
