//! Operations: the expiry sweeper, JSON logs with request ids, graceful shutdown of the real
//! binary, and `clp-server --help`.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

mod common;
mod flow_support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::CommandFactory as _;
use clp_api::cli::Cli;
use clp_db::webhooks::{self, NewSubscription};
use clp_domain::order::OrderType;
use common::{for_each_db, spawn_app_on, spawn_app_with};
use flow_support::{LineSpec, customer, date, json_body, key, line, order, register};
use sea_orm::ConnectionTrait as _;
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Query};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const SERVER: &str = env!("CARGO_BIN_EXE_clp-server");

async fn activation_status(app: &common::TestApp, public_id: &str) -> String {
    let row = app
        .db
        .query_one(
            &Query::select()
                .column(Alias::new("status"))
                .from(Alias::new("pending_activations"))
                .and_where(Expr::col(Alias::new("public_id")).eq(public_id))
                .to_owned(),
        )
        .await
        .expect("read the activation")
        .expect("the activation exists");
    row.try_get("", "status").expect("a status")
}

async fn webhook_payloads(app: &common::TestApp) -> Vec<Value> {
    let rows = app
        .db
        .query_all(
            &Query::select()
                .column(Alias::new("payload"))
                .from(Alias::new("outbox"))
                .and_where(Expr::col(Alias::new("kind")).eq("webhook"))
                .to_owned(),
        )
        .await
        .expect("read the outbox");
    rows.iter()
        .map(|row| {
            let text: String = row.try_get("", "payload").expect("payload");
            serde_json::from_str(&text).expect("JSON payload")
        })
        .collect()
}

#[tokio::test]
async fn the_sweeper_expires_a_pending_activation_without_any_api_call_once_across_instances() {
    for_each_db(|db| async move {
        let settings = |config: &mut clp_api::Config| {
            config.verification_ttl = Duration::from_secs(1);
            config.sweep_interval = Duration::from_millis(100);
        };
        let app = spawn_app_with(db, settings).await;
        // A second process sweeping the same database: each expiry is announced once.
        let _second = spawn_app_on(&app, settings).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        webhooks::create(
            &app.db,
            &NewSubscription {
                partner_id: order.partner_id,
                url: "http://127.0.0.1:9/hooks".to_owned(),
                events: vec!["activation.expired".to_owned()],
                secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0".to_owned(),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("subscribe the partner");
        let accepted = jane
            .post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
            .await;
        assert_eq!(accepted.status(), 202);
        let id = json_body(accepted).await["activation_id"]
            .as_str()
            .expect("an activation id")
            .to_owned();
        assert_eq!(activation_status(&app, &id).await, "pending");

        let deadline = Instant::now() + Duration::from_secs(15);
        while activation_status(&app, &id).await != "expired" {
            assert!(
                Instant::now() < deadline,
                "the activation is still pending 15 s later"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let trail = clp_db::audit::for_order(&app.db, order.id)
            .await
            .expect("read the audit trail");
        let expired: Vec<_> = trail
            .iter()
            .filter(|e| e.kind.as_str() == "activation.expired")
            .collect();
        assert_eq!(expired.len(), 1, "{trail:?}");
        assert_eq!(expired[0].actor.to_string(), "system");
        assert_eq!(expired[0].account_id, Some(jane.account_id));
        let events: Vec<Value> = webhook_payloads(&app)
            .await
            .into_iter()
            .filter(|p| p["type"] == "activation.expired")
            .collect();
        assert_eq!(
            events.len(),
            1,
            "one activation.expired webhook: {events:?}"
        );
        assert_eq!(events[0]["data"]["activation_id"], id.as_str());
        // The outbox worker tried the partner's (unreachable) receiver: the order's trail says so.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let trail = clp_db::audit::for_order(&app.db, order.id)
                .await
                .expect("read the audit trail");
            if let Some(failed) = trail.iter().find(|e| e.kind.as_str() == "webhook.failed") {
                assert_eq!(failed.detail["type"], "activation.expired");
                assert_eq!(failed.account_id, None, "not in the customer's activity");
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no webhook.failed entry: {trail:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // Both sweepers kept running for a while: still one of each.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let trail = clp_db::audit::for_order(&app.db, order.id)
            .await
            .expect("read the audit trail");
        assert_eq!(
            trail
                .iter()
                .filter(|e| e.kind.as_str() == "activation.expired")
                .count(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_audit_trail_records_a_legacy_renewal_as_registered_and_applied() {
    for_each_db(|db| async move {
        let app = common::spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let first = order(&app, OrderType::New, &[line("DDI")]).await;
        let code = register(&app, &owner, &key(&first, 0)).await["line"]["activation_codes"][0]
            .as_str()
            .expect("an activation code")
            .to_owned();
        let renewal = order(
            &app,
            OrderType::Renewal,
            &[LineSpec {
                sku: "DDI",
                retained: Vec::new(),
                renews: Some(code),
                term_end: date(2028, 3, 31),
            }],
        )
        .await;
        register(&app, &owner, &key(&renewal, 0)).await;

        let trail = clp_db::audit::for_order(&app.db, renewal.id)
            .await
            .expect("read the audit trail");
        let kinds: Vec<&str> = trail.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["line.registered", "renewal.applied"], "{trail:?}");
        let applied = &trail[1];
        assert_eq!(applied.account_id, Some(owner.account_id));
        assert_eq!(
            applied.actor.to_string(),
            format!("account:{}", owner.account_id)
        );
        assert!(applied.client_ip.is_some());
        assert_eq!(applied.detail["term_end"], "2028-03-31");
    })
    .await;
}

/// A `clp-server` process with its standard output collected line by line.
struct Server {
    child: Child,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            sink.lock().expect("lines lock").push(line);
        }
    });
    lines
}

impl Server {
    /// Starts the binary on a fresh SQLite database in a temporary directory, port 0, JSON logs.
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = Command::new(SERVER);
        for (name, _) in std::env::vars() {
            if name.starts_with("CLP_") {
                command.env_remove(name);
            }
        }
        command
            .current_dir(dir.path())
            .env(
                "CLP_DATABASE_URL",
                format!("sqlite://{}?mode=rwc", dir.path().join("clp.db").display()),
            )
            .env("CLP_BIND", "127.0.0.1:0")
            .env("CLP_LOG_FORMAT", "json")
            .env("CLP_DATA_DIR", dir.path().join("data"))
            .env("CLP_OUTBOX_DIR", dir.path().join("outbox"))
            .env("CLP_STATIC_DIR", dir.path().join("static"))
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start clp-server");
        let stdout = collect(child.stdout.take().expect("piped stdout"));
        let stderr = collect(child.stderr.take().expect("piped stderr"));
        Self {
            child,
            stdout,
            stderr,
            _dir: dir,
        }
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().expect("lines lock").clone()
    }

    fn stderr(&self) -> Vec<String> {
        self.stderr.lock().expect("lines lock").clone()
    }

    /// The base URL, from the `Open CLP is listening` log line.
    async fn base_url(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.stdout().iter().find_map(|line| {
                let value: Value = serde_json::from_str(line).ok()?;
                (value["message"] == "Open CLP is listening")
                    .then(|| {
                        value["app"]
                            .as_str()
                            .map(|s| s.trim_end_matches('/').to_owned())
                    })
                    .flatten()
            });
            if let Some(url) = found {
                return url;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "clp-server exited with {status} before listening:\n{}\n{}",
                    self.stdout().join("\n"),
                    self.stderr().join("\n")
                );
            }
            assert!(
                Instant::now() < deadline,
                "clp-server did not start in 60 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM and waits for the exit (20 s at most).
    async fn terminate(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        self.wait().await
    }

    /// Waits for the exit (20 s at most).
    async fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for clp-server") {
                // Let the reader threads drain the pipes.
                tokio::time::sleep(Duration::from_millis(200)).await;
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("clp-server still runs 20 s after SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts the server, sends `signal` while a request is in flight, and checks that the request
/// is answered, the workers stop, the port is closed and the exit code is 0.
async fn stops_gracefully_on(signal: &str) {
    let mut server = Server::start();
    let base = server.base_url().await;
    let client = reqwest::Client::new();
    let ready = client
        .get(format!("{base}/readyz"))
        .send()
        .await
        .expect("GET /readyz");
    assert_eq!(ready.status(), 200);

    // A request in flight when the signal arrives: its body is only half sent.
    let address = base.trim_start_matches("http://").to_owned();
    let mut in_flight = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let body = json!({"key": "XE-0000-0000-0000-0000"}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let head = format!(
        "POST /api/v1/preview HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    in_flight
        .write_all(head.as_bytes())
        .await
        .expect("send the first half");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = Command::new("kill")
        .args([signal, &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    in_flight
        .write_all(rest.as_bytes())
        .await
        .expect("send the rest");
    let mut response = String::new();
    in_flight
        .read_to_string(&mut response)
        .await
        .expect("read the response");
    assert!(
        response.starts_with("HTTP/1.1 404"),
        "the request in flight is answered (unknown key): {response}"
    );

    let status = server.wait().await;
    assert_eq!(status.code(), Some(0), "exit status {status}");
    let refused = client
        .get(format!("{base}/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(refused.is_err(), "the server still answers after exiting");
    let stdout = server.stdout().join("\n");
    for stopped in ["outbox worker stopped", "expiry sweeper stopped"] {
        assert!(stdout.contains(stopped), "no `{stopped}` line:\n{stdout}");
    }
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_stops_listening_and_exits_with_code_zero() {
    stops_gracefully_on("-TERM").await;
}

#[tokio::test]
async fn sigint_finishes_the_request_in_flight_stops_listening_and_exits_with_code_zero() {
    stops_gracefully_on("-INT").await;
}

#[tokio::test]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request_and_no_secrets() {
    let mut server = Server::start();
    let base = server.base_url().await;
    let client = reqwest::Client::new();
    let password = format!("Pw-{}", uuid::Uuid::new_v4().simple());
    let key = clp_domain::RegistrationKey::generate("XE", &mut rand::rng())
        .expect("a registration key")
        .as_str()
        .to_owned();

    let sign_in_id = format!("ops-sign-in-{}", uuid::Uuid::new_v4().simple());
    let response = client
        .post(format!("{base}/api/v1/session"))
        .header("x-request-id", &sign_in_id)
        .json(&json!({"login": "nobody@acme.example", "password": password}))
        .send()
        .await
        .expect("POST /session");
    assert_eq!(response.status(), 401);
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some(sign_in_id.as_str())
    );
    let response = client
        .post(format!("{base}/api/v1/preview"))
        .json(&json!({"key": key}))
        .send()
        .await
        .expect("POST /preview");
    let preview_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("a generated request id")
        .to_owned();
    assert!(uuid::Uuid::parse_str(&preview_id).is_ok(), "{preview_id}");

    let status = server.terminate().await;
    assert_eq!(status.code(), Some(0));
    let stdout = server.stdout();
    let lines: Vec<Value> = stdout
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    for id in [&sign_in_id, &preview_id] {
        let of_request: Vec<&Value> = lines
            .iter()
            .filter(|l| l["span"]["request_id"] == id.as_str())
            .collect();
        assert!(
            of_request
                .iter()
                .any(|l| l["message"] == "request finished"),
            "no request line for {id}:\n{}",
            stdout.join("\n")
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l["span"]["request_id"] == sign_in_id.as_str()
                && l["message"] != "request finished"),
        "the sign-in handler's own line carries the request id:\n{}",
        stdout.join("\n")
    );
    let everything = format!("{}\n{}", stdout.join("\n"), server.stderr().join("\n"));
    let bare_key = key.replace('-', "");
    for secret in [password.as_str(), key.as_str(), bare_key.as_str()] {
        assert!(
            !everything.contains(secret),
            "a secret was logged:\n{everything}"
        );
    }
}

/// `clp-server ARGS` with none of the developer's `CLP_*` variables, plus `vars`.
fn run_server(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(SERVER);
    for (name, _) in std::env::vars() {
        if name.starts_with("CLP_") {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .envs(vars.iter().copied())
        .output()
        .expect("run clp-server")
}

#[tokio::test]
async fn help_documents_every_command_and_configuration_variable() {
    // The values of secrets never appear, even when set.
    let secrets = [
        ("CLP_JWT_SECRET", "jwt-s3cret-jwt-s3cret-jwt-s3cret-0"),
        ("CLP_SMTP_URL", "smtp://mailer:smtp-s3cret@127.0.0.1:2525"),
        ("CLP_PARTNER_BOOTSTRAP", "acme:bootstrap-s3cret"),
        ("CLP_DATABASE_URL", "postgres://clp:db-s3cret@127.0.0.1/clp"),
    ];
    let output = run_server(&["--help"], &secrets);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(!help.contains("s3cret"), "a secret is shown:\n{help}");
    // clap wraps long lines wherever a space is: compare with single spaces.
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for command in [
        "serve",
        "migrate",
        "openapi",
        "partner",
        "seed-demo",
        "help",
    ] {
        assert!(
            flat.contains(&format!(" {command} ")),
            "--help lacks `{command}`:\n{help}"
        );
    }
    assert!(flat.contains("partner create --name NAME"), "{help}");
    for documented in [
        "[env: CLP_BIND=] [default: 127.0.0.1:8080]",
        "[env: CLP_DATABASE_URL] [default: sqlite://data/clp.db?mode=rwc]",
        "[env: CLP_PUBLIC_URL=] [default: http://127.0.0.1:8080]",
        "[env: CLP_SMTP_URL]",
        "[env: CLP_VERIFICATION_TTL=] [default: 24h]",
        "[env: CLP_JWT_SECRET]",
        "[env: CLP_PARTNER_BOOTSTRAP]",
        "[env: CLP_RATE_LIMIT_PER_MIN=] [default: 60]",
        "[env: CLP_TRUST_PROXY=] [default: 0]",
        "[env: CLP_SWEEP_INTERVAL=] [default: 30s]",
        "[env: CLP_PASSWORD_RESET_TTL=] [default: 1h]",
        "[env: CLP_UNVERIFIED_ACCOUNT_TTL=] [default: 7d]",
        "[env: CLP_LOG_FORMAT=] [default: pretty]",
        "[env: CLP_STATIC_DIR=] [default: frontend/dist]",
        "[env: CLP_VISION_ONE_URL=]",
        "[env: CLP_OUTBOX_DIR=] [default: data/outbox]",
        "[env: CLP_XDR_CONSOLE_URLS=]",
        "[env: CLP_DATA_DIR=] [default: data]",
    ] {
        assert!(
            flat.contains(documented),
            "--help lacks {documented}:\n{help}"
        );
    }
    // Every variable the server reads, as declared, is in --help and in the README.
    let variables: Vec<String> = Cli::command()
        .get_arguments()
        .filter_map(|arg| arg.get_env())
        .map(|env| env.to_string_lossy().into_owned())
        .collect();
    assert_eq!(variables.len(), 18, "{variables:?}");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("read README.md");
    for variable in &variables {
        assert!(help.contains(variable.as_str()), "--help lacks {variable}");
        assert!(
            readme.contains(variable.as_str()),
            "README.md lacks {variable}"
        );
    }

    for (args, expected) in [
        (&["help", "serve"][..], "SIGTERM"),
        (&["serve", "--help"][..], "CLP_SWEEP_INTERVAL"),
        (&["migrate", "--help"][..], "clp-server migrate"),
        (&["help", "migrate"][..], "CLP_DATABASE_URL"),
        (&["partner", "--help"][..], "create"),
        (&["help", "partner", "create"][..], "--scopes"),
        (&["partner", "create", "--help"][..], "webhooks:manage"),
        (&["help", "seed-demo"][..], "clp-server seed-demo"),
        (&["openapi", "-h"][..], "clp-server openapi"),
    ] {
        let output = run_server(args, &[]);
        assert!(output.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains(expected), "{args:?}:\n{text}");
    }
    for wrong in [
        &["help", "frobnicate"][..],
        &["frobnicate"],
        &["serve", "extra"],
    ] {
        let output = run_server(wrong, &[]);
        assert_eq!(output.status.code(), Some(2), "{wrong:?}");
        assert!(output.stdout.is_empty(), "{wrong:?}");
    }
}
