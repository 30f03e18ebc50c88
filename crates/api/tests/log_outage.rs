//! The real binary keeps serving, and stops on SIGTERM within its drain time, whatever happens
//! to its standard output and error: a pipe whose reader has exited, a pipe nobody reads
//! (filled past its 64 KiB buffer by request logs), or both descriptors closed at start.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

use std::io::{BufRead as _, BufReader, PipeReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const SERVER: &str = env!("CARGO_BIN_EXE_clp-server");

/// The server's drain time: SIGTERM must end the process within it.
const DRAIN: Duration = Duration::from_secs(10);

/// A `clp-server serve` on a fresh SQLite database, port known in advance.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

/// A free port of 127.0.0.1 (bound and released: the server binds it next).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The command starting the server in `dir`, JSON logs, every request logged.
fn server_command(program: &str, dir: &std::path::Path, port: u16) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "CLP_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("clp.db").display()),
        )
        .env("CLP_BIND", format!("127.0.0.1:{port}"))
        .env("CLP_LOG_FORMAT", "json")
        .env("CLP_DATA_DIR", dir.join("data"))
        .env("CLP_OUTBOX_DIR", dir.join("outbox"))
        .env("CLP_STATIC_DIR", dir.join("static"))
        .env("CLP_RATE_LIMIT_PER_MIN", "0")
        .env("RUST_LOG", "info")
        .current_dir(dir)
        .stdin(Stdio::null());
    command
}

impl Server {
    /// Starts the server with standard output and error both on the write end of a pipe, and
    /// returns it with the read end.
    fn start_on_pipe() -> (Self, PipeReader) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let (reader, writer) = std::io::pipe().expect("a pipe");
        let mut command = server_command(SERVER, dir.path(), port);
        command
            .arg("serve")
            .stderr(writer.try_clone().expect("clone the pipe"))
            .stdout(writer);
        let child = command.spawn().expect("start clp-server");
        // The command keeps no copy of the write end: the pipe's writers are the server's.
        drop(command);
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        (server, reader)
    }

    /// Starts the server with standard output and error closed (`>&- 2>&-`).
    fn start_with_closed_output() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let mut command = server_command("sh", dir.path(), port);
        command
            .args(["-c", "exec \"$0\" serve >&- 2>&-", SERVER])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().expect("start clp-server");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Waits until `/readyz` answers 200.
    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = client.get(self.url("/readyz")).send().await
                && response.status() == 200
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("clp-server exited with {status} before listening");
            }
            assert!(Instant::now() < deadline, "clp-server not ready in 60 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM while a preview is in flight (half of its body sent), then checks that the
    /// preview is answered and that the process exits with status 0 within the drain time.
    async fn terminate_with_a_request_in_flight(&mut self) {
        let address = self.base.trim_start_matches("http://").to_owned();
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

        let signalled = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
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
            "the request in flight is answered (unknown key): {response:?}"
        );

        let deadline = signalled + DRAIN;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for clp-server") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("clp-server still runs {DRAIN:?} after SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(status.code(), Some(0), "exit status {status}");
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

/// Reads `reader` line by line on a thread until the JSON log line `message` shows up, then
/// hands the reader back (unread beyond that line) so the test decides what happens to it.
fn read_until(reader: PipeReader, message: &'static str) -> BufReader<PipeReader> {
    let (found, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(reader);
        let mut line = String::new();
        loop {
            line.clear();
            match lines.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    let logged = serde_json::from_str::<Value>(&line)
                        .is_ok_and(|value| value["message"] == message);
                    if logged {
                        let _ = found.send(lines);
                        return;
                    }
                }
            }
        }
    });
    wait.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no `{message}` log line in 60 s"))
}

/// `n` rounds of `GET /healthz` (answered 200) and a preview of an unknown key (answered 404):
/// each request logs a line.
async fn requests_answered(client: &reqwest::Client, server: &Server, n: usize) {
    for _ in 0..n {
        let health = client
            .get(server.url("/healthz"))
            .send()
            .await
            .expect("GET /healthz is answered");
        assert_eq!(health.status(), 200);
        let preview = client
            .post(server.url("/api/v1/preview"))
            .json(&json!({"key": "XE-0000-0000-0000-0000"}))
            .send()
            .await
            .expect("the preview is answered");
        assert_eq!(preview.status(), 404);
    }
}

/// `clp_log_lines_dropped_total` of the server's `/metrics`.
async fn dropped_lines(client: &reqwest::Client, server: &Server) -> u64 {
    let text = client
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("the metrics");
    text.lines()
        .find_map(|line| line.strip_prefix("clp_log_lines_dropped_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no clp_log_lines_dropped_total in:\n{text}"))
}

#[tokio::test]
async fn a_log_pipe_whose_reader_exited_neither_stops_the_answers_nor_the_shutdown() {
    let (mut server, reader) = Server::start_on_pipe();
    let reader = read_until(reader, "Open CLP is listening");
    let client = reqwest::Client::new();
    server.wait_ready(&client).await;
    requests_answered(&client, &server, 5).await;

    drop(reader);
    requests_answered(&client, &server, 5).await;
    assert!(
        dropped_lines(&client, &server).await > 0,
        "the lines written to the broken pipe are counted as dropped"
    );

    server.terminate_with_a_request_in_flight().await;
}

#[tokio::test]
async fn a_log_pipe_nobody_reads_neither_stops_the_answers_nor_the_shutdown() {
    let (mut server, reader) = Server::start_on_pipe();
    // Read up to the banner, then never again: the pipe's 64 KiB fill up with request logs,
    // then the server's queue of lines, after which lines are dropped.
    let _unread = read_until(reader, "Open CLP is listening");
    let client = reqwest::Client::new();
    server.wait_ready(&client).await;

    let mut requests = 0;
    while dropped_lines(&client, &server).await == 0 {
        assert!(
            requests < 40_000,
            "{requests} requests logged and no line dropped"
        );
        requests_answered(&client, &server, 250).await;
        requests += 500;
    }
    // More than 64 KiB of request logs: every request logs a JSON line of 200 bytes or more.
    assert!(requests * 200 > 64 * 1024);
    requests_answered(&client, &server, 5).await;

    server.terminate_with_a_request_in_flight().await;
}

#[tokio::test]
async fn standard_output_and_error_closed_at_start_neither_stop_the_answers_nor_the_shutdown() {
    let mut server = Server::start_with_closed_output();
    let client = reqwest::Client::new();
    server.wait_ready(&client).await;
    // The closed descriptors were reopened on /dev/null: no file or socket of the server took
    // their numbers, so no log line lands in one.
    for fd in [1, 2] {
        let target = std::fs::read_link(format!("/proc/{}/fd/{fd}", server.child.id()))
            .expect("read the descriptor's target");
        assert_eq!(target, std::path::Path::new("/dev/null"), "fd {fd}");
    }
    requests_answered(&client, &server, 5).await;

    server.terminate_with_a_request_in_flight().await;
}
