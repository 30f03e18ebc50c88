//! Mail through a real SMTP listener on loopback: the verification email arrives with a text
//! and an HTML part, its link completes the activation, and an SMTP outage delays mail
//! without losing it.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use clp_api::config::Secret;
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::outbox::{self, OutboxKind, OutboxStatus};
use clp_db::partners::{self, NewPartner};
use clp_domain::RegistrationKey;
use clp_domain::order::{EndCustomer, OrderType};
use common::{TestApp, for_each_db, spawn_app_with};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// A message received by [`SmtpServer`].
#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

/// A minimal SMTP server (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) keeping what it gets.
#[derive(Clone, Default)]
struct SmtpServer {
    inbox: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
}

impl SmtpServer {
    /// Serves on `listener` until the test ends.
    fn serve(&self, listener: TcpListener) {
        let server = self.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move {
                    let _ = server.session(stream).await;
                });
            }
        });
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 localhost test SMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let verb = command.get(..4).unwrap_or_default().to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" => {
                    write
                        .write_all(b"250-localhost\r\n250 8BITMIME\r\n")
                        .await?
                }
                "HELO" => write.write_all(b"250 localhost\r\n").await?,
                "MAIL" => {
                    from = command[10..].trim().to_owned();
                    to.clear();
                    write.write_all(b"250 OK\r\n").await?;
                }
                "RCPT" => {
                    to.push(command[8..].trim().to_owned());
                    write.write_all(b"250 OK\r\n").await?;
                }
                "DATA" => {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        // Dot-unstuffing.
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.inbox.lock().unwrap().push(Received {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                    });
                    self.arrived.notify_waiters();
                    write.write_all(b"250 queued\r\n").await?;
                }
                "RSET" | "NOOP" => write.write_all(b"250 OK\r\n").await?,
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                _ => write.write_all(b"502 not implemented\r\n").await?,
            }
        }
    }

    /// Waits up to `timeout` for a message to `recipient`.
    async fn wait_for(&self, recipient: &str, timeout: Duration) -> Received {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.arrived.notified();
            if let Some(found) = self
                .inbox
                .lock()
                .unwrap()
                .iter()
                .find(|m| m.to.iter().any(|t| t.contains(recipient)))
            {
                return found.clone();
            }
            if tokio::time::timeout_at(deadline, async {
                tokio::select! {
                    () = arrived => {}
                    () = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            })
            .await
            .is_err()
            {
                panic!("no email to {recipient} within {timeout:?}");
            }
        }
    }
}

/// Decodes quoted-printable soft breaks and escapes (enough to read links and text).
fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token of the first verification link in the message.
fn link_token(message: &str, public_url: &str) -> String {
    let marker = format!("{public_url}/activate/verify?token=");
    let start = message.find(&marker).expect("no verification link") + marker.len();
    message[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

/// Inserts an XDR order (account-based flow) and returns the key of its first line.
async fn insert_xdr_order(app: &TestApp, number: &str) -> RegistrationKey {
    let catalog = clp_db::catalog::load_catalog(&app.db).await.unwrap();
    let partner = partners::create(
        &app.db,
        &NewPartner {
            name: "Mail test partner".into(),
            client_id: format!("mail-{number}"),
            client_secret_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            scopes: vec!["orders:write".into()],
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let today = Utc::now().date_naive();
    let mut lines = Vec::new();
    for sku in ["XDR-EPS", "SMEX"] {
        let prefix = &catalog.get(sku).unwrap().key_prefix;
        lines.push(NewLine {
            sku: sku.into(),
            seats: 25,
            term_start: today,
            term_end: today + chrono::Duration::days(365),
            registration_key: RegistrationKey::generate(prefix, &mut rand::rng()).unwrap(),
            components: vec![],
            renews_ac: None,
        });
    }
    let key = lines[0].registration_key.clone();
    orders::insert_order(
        &app.db,
        &NewOrder {
            partner_id: partner.id,
            order_number: number.into(),
            order_type: OrderType::New,
            purchase_date: today,
            end_customer: EndCustomer {
                company: "Acme Corporation".into(),
                contact_name: "Jane Doe".into(),
                contact_email: "jane@acme.example".into(),
                country: "US".into(),
            },
            lines,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    key
}

/// Requests the activation with a new account; the verification email goes to `email`.
async fn request_activation(app: &TestApp, key: &RegistrationKey, email: &str) {
    let response = app
        .post_json(
            "/api/v1/activations",
            &json!({
                "key": key.to_string(),
                "account": {
                    "email": email,
                    "password": "correct horse battery staple",
                    "full_name": "Jane <Doe>",
                },
            }),
        )
        .await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 202, "{body}");
}

/// A free loopback port (bound, then released).
async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn verification_email_is_delivered_by_smtp_and_its_link_completes_the_activation() {
    for_each_db(|db| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let smtp = SmtpServer::default();
        smtp.serve(listener);
        let app = spawn_app_with(db, |c| {
            c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")));
            c.public_url = "http://portal.test".into();
        })
        .await;
        let key = insert_xdr_order(&app, "SO-MAIL-1").await;
        request_activation(&app, &key, "jane@acme.example").await;

        let mail = smtp
            .wait_for("jane@acme.example", Duration::from_secs(10))
            .await;
        assert!(mail.from.contains("no-reply@"), "{}", mail.from);
        let raw = mail.data;
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain"), "{raw}");
        assert!(raw.contains("Content-Type: text/html"), "{raw}");
        assert!(
            raw.contains("Subject: Confirm the activation of order SO-MAIL-1"),
            "{raw}"
        );
        let decoded = decode_qp(&raw);
        assert!(decoded.contains("XDR Endpoint Sensor"), "{decoded}");
        assert!(decoded.contains("25 seats"), "{decoded}");
        assert!(decoded.contains("expires at"), "{decoded}");
        assert!(
            decoded.contains("Jane &#60;Doe&#62;"),
            "the HTML part is escaped: {decoded}"
        );
        assert!(!decoded.contains("<Doe>,</p>"), "{decoded}");
        let token = link_token(&decoded, "http://portal.test");
        assert!(token.len() >= 43, "{token}");
        // The text and the HTML part carry the same link.
        assert_eq!(
            decoded.matches(&format!("token={token}")).count(),
            2,
            "{decoded}"
        );

        let response = app
            .post_json("/api/v1/activations/verify", &json!({ "token": token }))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "completed");

        // The confirmation follows, with the activation codes.
        let confirmation = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(m) = smtp
                    .inbox
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|m| m.data.contains("Subject: Order SO-MAIL-1 is activated"))
                {
                    return m.clone();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("no confirmation email");
        let decoded = decode_qp(&confirmation.data);
        let code = body["registered_lines"][0]["activation_codes"][0]
            .as_str()
            .unwrap_or_default();
        assert!(
            !code.is_empty() && decoded.contains(code),
            "{body} / {decoded}"
        );
    })
    .await;
}

#[tokio::test]
async fn mail_waits_out_an_smtp_outage_and_is_delivered_later() {
    for_each_db(|db| async move {
        let port = free_port().await;
        let app = spawn_app_with(db, |c| {
            c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")));
        })
        .await;
        let key = insert_xdr_order(&app, "SO-MAIL-2").await;
        request_activation(&app, &key, "late@acme.example").await;

        // Nothing listens: the first attempt fails and the message waits for a retry.
        let failed = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                for id in 1..=10 {
                    let message = outbox::find(&app.db, id).await.unwrap();
                    if let Some(m) =
                        message.filter(|m| m.kind == OutboxKind::Email && m.attempts >= 1)
                    {
                        return m;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the first delivery attempt did not happen");
        assert_eq!(failed.status, OutboxStatus::Pending);
        assert!(
            failed
                .last_error
                .as_deref()
                .unwrap_or_default()
                .contains("smtp"),
            "{failed:?}"
        );
        assert!(failed.next_attempt_at > failed.created_at);
        let last_error = failed.last_error.clone().unwrap_or_default();
        assert!(!last_error.contains("token="), "{last_error}");

        // The server comes up on that port; the retry delivers.
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let smtp = SmtpServer::default();
        smtp.serve(listener);
        let mail = smtp
            .wait_for("late@acme.example", Duration::from_secs(20))
            .await;
        assert!(decode_qp(&mail.data).contains("/activate/verify?token="));

        let sent = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                let m = outbox::find(&app.db, failed.id).await.unwrap().unwrap();
                if m.status == OutboxStatus::Sent {
                    return m;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the message is not marked sent");
        assert!(sent.attempts >= 2, "{sent:?}");
        assert!(sent.sent_at.is_some());
    })
    .await;
}
