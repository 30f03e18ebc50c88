//! Helpers of the partner API tests: an app with a partner, sample orders, and a tiny HTTP
//! receiver for webhooks on loopback.

#![allow(dead_code, reason = "each partner test binary uses a different part")]
#![expect(
    clippy::expect_used,
    reason = "test helpers: a failure to set up must fail the test"
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use clp_api::config::{PartnerBootstrap, Secret};
use clp_api_types::{CreateComponent, CreateOrderLine, CreateOrderRequest, EndCustomer, OrderType};
use clp_client::Client;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use crate::common::{TestApp, TestDb, spawn_app_with};

/// Client ID of the bootstrap partner of [`spawn_partner_app`].
pub const CLIENT_ID: &str = "test-partner";
/// Its secret.
pub const CLIENT_SECRET: &str = "test-partner-secret-0123456789";
/// The JWT secret of [`spawn_partner_app`], so tests can forge tokens.
pub const JWT_SECRET: &str = "partner-tests-jwt-secret-0123456789abcdef";

/// The app with the bootstrap partner (every scope) and a known JWT secret.
pub async fn spawn_partner_app(db: TestDb) -> TestApp {
    spawn_partner_app_with(db, |_| {}).await
}

/// Like [`spawn_partner_app`], with more configuration.
pub async fn spawn_partner_app_with(
    db: TestDb,
    customize: impl FnOnce(&mut clp_api::Config),
) -> TestApp {
    spawn_app_with(db, |config| {
        config.jwt_secret = Secret::new(JWT_SECRET);
        config.partner_bootstrap = Some(PartnerBootstrap {
            client_id: CLIENT_ID.to_owned(),
            client_secret: Secret::new(CLIENT_SECRET),
        });
        customize(config);
    })
    .await
}

/// A client of `app` without a token.
pub fn anonymous(app: &TestApp) -> Client {
    Client::new(&app.address).expect("client")
}

/// A client of `app` signed in as the bootstrap partner (every scope).
pub async fn bootstrap_client(app: &TestApp) -> Client {
    let mut client = anonymous(app);
    client
        .partner_sign_in(CLIENT_ID, CLIENT_SECRET, None)
        .await
        .expect("bootstrap partner token");
    client
}

/// A new partner named `name` with `scopes`, signed in; also returns its id.
pub async fn new_partner_client(app: &TestApp, name: &str, scopes: &[&str]) -> (Client, i64) {
    let created = clp_api::partners::create_partner(
        &app.db,
        name,
        scopes.iter().map(|s| (*s).to_owned()).collect(),
    )
    .await
    .expect("create partner");
    let mut client = anonymous(app);
    client
        .partner_sign_in(&created.partner.client_id, &created.client_secret, None)
        .await
        .expect("partner token");
    (client, created.partner.id)
}

/// The id of the bootstrap partner.
pub async fn bootstrap_partner_id(app: &TestApp) -> i64 {
    clp_db::partners::find_by_client_id(&app.db, CLIENT_ID)
        .await
        .expect("query")
        .expect("bootstrap partner exists")
        .id
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// A line of `sku` with 25 seats for 2025.
pub fn line(sku: &str) -> CreateOrderLine {
    CreateOrderLine {
        sku: sku.to_owned(),
        seats: 25,
        term_start: date("2025-04-01"),
        term_end: date("2026-03-31"),
        components: None,
        renews_ac: None,
    }
}

/// A new order numbered `number`: an XDR add-on, a suite with a listed component, and an AC
/// product.
pub fn sample_order(number: &str) -> CreateOrderRequest {
    let mut suite = line("CUP");
    suite.components = Some(vec![CreateComponent {
        sku: "A1".to_owned(),
        retained_ac: None,
    }]);
    CreateOrderRequest {
        order_number: number.to_owned(),
        r#type: OrderType::New,
        purchase_date: date("2025-03-28"),
        end_customer: EndCustomer {
            company: "Acme Corporation".to_owned(),
            contact_name: "Jane Doe".to_owned(),
            contact_email: "jane.doe@acme.example".to_owned(),
            country: "US".to_owned(),
        },
        lines: vec![line("XDR-CAS"), suite, line("DDI")],
    }
}

/// One request received by a [`Receiver`].
#[derive(Debug, Clone)]
pub struct Received {
    /// Method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Headers, names in lower case.
    pub headers: HashMap<String, String>,
    /// Body.
    pub body: Vec<u8>,
}

/// A minimal HTTP/1.1 server answering `200 OK` to everything and recording the requests.
#[derive(Debug, Clone, Default)]
pub struct Receiver {
    requests: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Serves on `listener` until the test ends.
    pub fn start(listener: TcpListener) -> Self {
        let receiver = Self::default();
        let requests = Arc::clone(&receiver.requests);
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let requests = Arc::clone(&requests);
                tokio::spawn(async move {
                    if let Some(request) = serve_one(socket).await {
                        requests.lock().expect("lock").push(request);
                    }
                });
            }
        });
        receiver
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().expect("lock").clone()
    }

    /// Waits until `predicate` holds for the received requests (at most `timeout`).
    pub async fn wait_for(
        &self,
        timeout: Duration,
        predicate: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let requests = self.requests();
            if predicate(&requests) || tokio::time::Instant::now() >= deadline {
                return requests;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn serve_one(mut socket: tokio::net::TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let header_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let _ = socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await;
    let _ = socket.shutdown().await;
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

/// A loopback port with nothing listening on it (yet): connections are refused.
pub async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("addr").port()
}
