//! Two `clp-server` processes on one PostgreSQL database, each with its outbox worker, mail
//! through one SMTP listener and webhooks to one receiver: requests alternate between the
//! processes, every email and every webhook is delivered exactly once, and what one process
//! registers shows in the very next preview on the other.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod partner_support;
mod reliability_support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use clp_api_types::{
    CreateOrderLine, CreateOrderRequest, CreateWebhookRequest, EndCustomer, OrderType, WebhookEvent,
};
use clp_client::Client;
use common::{TestDb, selected_databases};
use partner_support::Receiver;
use reliability_support::{
    Mail, ScratchDb, ServerProcess, SmtpSink, base_env, count, customer_token, with_env,
};
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};
use tokio::net::TcpListener;

const ORDERS: usize = 8;
const BURST: usize = 16;
const CLIENT_ID: &str = "multi-partner";
const CLIENT_SECRET: &str = "multi-partner-secret-0123456789";

fn order_request(number: &str, order_type: OrderType, skus: &[&str]) -> CreateOrderRequest {
    CreateOrderRequest {
        order_number: number.to_owned(),
        r#type: order_type,
        purchase_date: "2026-03-20".parse().unwrap(),
        end_customer: EndCustomer {
            company: "Two Process Ltd".to_owned(),
            contact_name: "Tu Process".to_owned(),
            contact_email: "tu@two.example".to_owned(),
            country: "GB".to_owned(),
        },
        lines: skus
            .iter()
            .map(|sku| CreateOrderLine {
                sku: (*sku).to_owned(),
                seats: 5,
                term_start: "2026-04-01".parse().unwrap(),
                term_end: "2027-03-31".parse().unwrap(),
                components: None,
                renews_ac: None,
            })
            .collect(),
    }
}

async fn post(base: &ServerProcess, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(base.url(path)).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn subject(mail: &Mail) -> String {
    mail.header("Subject").unwrap_or_default()
}

#[tokio::test]
async fn two_server_processes_on_one_postgres_database_deliver_every_message_exactly_once() {
    if !selected_databases().contains(&TestDb::Postgres) {
        eprintln!("skipped: needs PostgreSQL (CLP_TEST_DATABASES)");
        return;
    }
    let db = ScratchDb::create(TestDb::Postgres).await;
    let (smtp, smtp_port) = SmtpSink::start().await;
    let hooks = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks_url = format!(
        "http://127.0.0.1:{}/hooks",
        hooks.local_addr().unwrap().port()
    );
    let receiver = Receiver::start(hooks);
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let bootstrap = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    let env = with_env(
        base_env(&db),
        &[
            ("CLP_SMTP_URL", &smtp_url),
            ("CLP_PARTNER_BOOTSTRAP", &bootstrap),
            ("CLP_PUBLIC_URL", "http://portal.test"),
        ],
    );
    // Started one after the other (the first migrates the database).
    let a = ServerProcess::start(&env).await;
    let b = ServerProcess::start(&env).await;
    let servers = [&a, &b];
    let mut partners = Vec::new();
    for server in servers {
        let mut client = Client::new(&server.address).unwrap();
        client
            .partner_sign_in(CLIENT_ID, CLIENT_SECRET, None)
            .await
            .unwrap();
        partners.push(client);
    }
    partners[0]
        .create_webhook(
            &CreateWebhookRequest {
                url: hooks_url.clone(),
                events: WebhookEvent::ALL.to_vec(),
            },
            None,
        )
        .await
        .unwrap();
    let conn = db.connect().await;

    for i in 0..ORDERS {
        // Through one process, then the other, turn about.
        let (x, y) = (servers[i % 2], servers[(i + 1) % 2]);
        let (px, py) = (&partners[i % 2], &partners[(i + 1) % 2]);

        // Account based: created on x, previewed on y, requested on x, verified on y.
        let number = format!("SO-MP-{i}");
        let created = px
            .create_order(
                &order_request(&number, OrderType::New, &["XDR-EPS", "SMEX"]),
                None,
            )
            .await
            .unwrap();
        let key = created.lines[0].registration_key.clone().unwrap();
        let (status, preview) = post(y, "/api/v1/preview", None, &json!({"key": key})).await;
        assert_eq!(
            (status, preview["lines"].as_array().unwrap().len()),
            (200, 2),
            "{preview}"
        );
        let email = format!("mp{i}@two.example");
        let (status, body) = post(
            x,
            "/api/v1/activations",
            None,
            &json!({
                "key": key,
                "account": {"email": email, "password": "correct horse battery staple",
                            "full_name": "Tu Process"},
            }),
        )
        .await;
        assert_eq!(status, 202, "{body}");
        let mails = smtp
            .wait_for(Duration::from_secs(30), |m| {
                m.iter()
                    .any(|m| m.to.contains(&email) && m.verification_token().is_some())
            })
            .await;
        let token = mails
            .iter()
            .find(|m| m.to.contains(&email))
            .and_then(Mail::verification_token)
            .unwrap_or_else(|| panic!("no verification email to {email}"));
        let (status, body) = post(
            y,
            "/api/v1/activations/verify",
            None,
            &json!({"token": token}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        // The very next preview, on the other process, sees it.
        let (status, preview) = post(x, "/api/v1/preview", None, &json!({"key": key})).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["registered_count"], 2, "{preview}");
        assert!(preview["lines"].as_array().unwrap().is_empty(), "{preview}");
        assert_eq!(
            py.get_order(&number).await.unwrap().lines[1].status,
            clp_api_types::LineStatus::Registered
        );

        // Legacy: registered on y into the new account, previewed at once on x.
        let legacy_number = format!("SO-MPL-{i}");
        let legacy = py
            .create_order(
                &order_request(&legacy_number, OrderType::New, &["IMSVA", "DDI"]),
                None,
            )
            .await
            .unwrap();
        let legacy_key = legacy.lines[0].registration_key.clone().unwrap();
        let account = clp_db::accounts::find_by_email(&conn, &email)
            .await
            .unwrap()
            .unwrap();
        let session = customer_token(account.id.0);
        let (status, body) = post(
            y,
            "/api/v1/registrations",
            Some(&session),
            &json!({"key": legacy_key}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        // A legacy preview shows the entered key's line, or counts it once registered.
        let (status, preview) = post(x, "/api/v1/preview", None, &json!({"key": legacy_key})).await;
        assert_eq!(
            (status, &preview["registered_count"]),
            (200, &json!(1)),
            "{preview}"
        );
        assert_eq!(
            preview["conflicts"][0]["code"], "already_registered",
            "{preview}"
        );
        let other_key = legacy.lines[1].registration_key.clone().unwrap();
        let (status, preview) = post(x, "/api/v1/preview", None, &json!({"key": other_key})).await;
        assert_eq!(
            (status, &preview["registered_count"]),
            (200, &json!(0)),
            "{preview}"
        );
        let (status, again) = post(
            x,
            "/api/v1/registrations",
            Some(&session),
            &json!({"key": legacy_key}),
        )
        .await;
        assert_eq!(
            (status, again["code"].as_str()),
            (409, Some("already_registered"))
        );
    }

    // A burst: registrations through both processes at once, so both workers claim from the
    // same due messages at the same moments.
    let mut burst = Vec::new();
    for i in 0..BURST {
        let number = format!("SO-MPB-{i}");
        let created = partners[i % 2]
            .create_order(&order_request(&number, OrderType::New, &["SMEX"]), None)
            .await
            .unwrap();
        let email = format!("burst{i}@two.example");
        let account = reliability_support::insert_account(&conn, &email).await;
        burst.push((
            servers[i % 2].url("/api/v1/registrations"),
            customer_token(account),
            created.lines[0].registration_key.clone().unwrap(),
        ));
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(BURST));
    let tasks: Vec<_> = burst
        .into_iter()
        .map(|(url, token, key)| {
            let barrier = std::sync::Arc::clone(&barrier);
            tokio::spawn(async move {
                let request = reqwest::Client::new()
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({ "key": key }));
                barrier.wait().await;
                request.send().await.unwrap().status().as_u16()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }

    // Per order pair: verification, confirmation and registration notice; order.activated,
    // 2 line.registered and 1 line.registered. Per burst registration: a notice and a
    // line.registered.
    let expected_mails = 3 * ORDERS + BURST;
    let expected_hooks = 4 * ORDERS + BURST;
    let unique_hooks = |requests: &[partner_support::Received]| {
        requests
            .iter()
            .map(|r| r.headers["webhook-id"].clone())
            .collect::<HashSet<_>>()
            .len()
    };
    smtp.wait_for(Duration::from_secs(60), |m| m.len() >= expected_mails)
        .await;
    receiver
        .wait_for(Duration::from_secs(60), |r| {
            unique_hooks(r) >= expected_hooks
        })
        .await;
    // Time for a duplicate, if any, to arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mails = smtp.messages();
    let requests = receiver.requests();

    let mut per_message: HashMap<(Vec<String>, String), usize> = HashMap::new();
    for mail in &mails {
        *per_message
            .entry((mail.to.clone(), subject(mail)))
            .or_default() += 1;
    }
    let duplicate_mails: Vec<_> = per_message.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicate_mails.is_empty(), "{duplicate_mails:?}");
    assert_eq!(mails.len(), expected_mails);
    let message_ids: HashSet<String> = mails
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    assert!(
        message_ids.is_empty() || message_ids.len() == mails.len(),
        "Message-ID repeated"
    );

    let mut per_hook: HashMap<String, usize> = HashMap::new();
    for request in &requests {
        *per_hook
            .entry(request.headers["webhook-id"].clone())
            .or_default() += 1;
    }
    let duplicate_hooks: Vec<_> = per_hook.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicate_hooks.is_empty(), "{duplicate_hooks:?}");
    assert_eq!(requests.len(), expected_hooks);

    // Both workers took part, and the outbox is drained.
    let pending = count(
        &conn,
        "SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent' AND id > ?",
        &[0],
    )
    .await;
    assert_eq!(pending, 0);
    let mut by_process: HashMap<String, usize> = HashMap::new();
    let rows = conn
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT locked_by FROM outbox WHERE kind IN ('email', 'webhook')",
        ))
        .await
        .unwrap();
    for row in rows {
        let worker: Option<String> = row.try_get("", "locked_by").unwrap();
        let pid = worker
            .unwrap_or_default()
            .split('-')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        *by_process.entry(pid).or_default() += 1;
    }
    assert!(
        by_process.contains_key(&a.pid.to_string()) && by_process.contains_key(&b.pid.to_string()),
        "both processes deliver: {by_process:?} (pids {} and {})",
        a.pid,
        b.pid
    );
    println!(
        "two processes: {} emails and {} webhooks delivered, 0 duplicates; deliveries by \
         process: {by_process:?}",
        mails.len(),
        requests.len()
    );
}

#[tokio::test]
async fn two_server_processes_started_at_the_same_moment_on_a_fresh_database_both_serve() {
    if !selected_databases().contains(&TestDb::Postgres) {
        eprintln!("skipped: needs PostgreSQL (CLP_TEST_DATABASES)");
        return;
    }
    for round in 0..3 {
        let db = ScratchDb::create(TestDb::Postgres).await;
        let bootstrap = format!("{CLIENT_ID}:{CLIENT_SECRET}");
        let env = with_env(base_env(&db), &[("CLP_PARTNER_BOOTSTRAP", &bootstrap)]);
        // Both migrate the empty database and create the bootstrap partner at once.
        let (a, b) = tokio::join!(ServerProcess::start(&env), ServerProcess::start(&env));
        for server in [&a, &b] {
            let ready = reqwest::get(server.url("/readyz")).await.unwrap();
            assert_eq!(ready.status(), 200, "round {round}");
            let mut client = Client::new(&server.address).unwrap();
            client
                .partner_sign_in(CLIENT_ID, CLIENT_SECRET, None)
                .await
                .unwrap();
        }
        let conn = db.connect().await;
        assert_eq!(
            count(
                &conn,
                "SELECT COUNT(*) AS n FROM partners WHERE id > ?",
                &[0]
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &conn,
                "SELECT COUNT(*) AS n FROM products WHERE id > ?",
                &[0]
            )
            .await,
            15
        );
    }
}
