//! Faults: the database going away and coming back, and `kill -9` of the server in the middle
//! of a load of activations.
//!
//! The two other faults of the issue are shown elsewhere:
//! - SMTP down: `mail_smtp::mail_waits_out_an_smtp_outage_and_is_delivered_later` (the
//!   verification email is retried with back-off and delivered once a listener comes up);
//! - a webhook receiver down:
//!   `partner_webhooks::every_event_arrives_signed_exactly_once_per_subscription_after_the_receiver_comes_up`.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod flow_support;
mod reliability_support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clp_domain::order::{Order, OrderType};
use common::{TestDb, for_each_db, selected_databases, spawn_app_with};
use flow_support::{customer, key, line, order};
use reliability_support::{
    OrderState, ScratchDb, ServerProcess, TcpProxy, base_env, customer_token, insert_account,
    insert_order, insert_partner, order_state, outbox_emails, pg_authority, postgres_server,
};
use serde_json::{Value, json};
use tokio::sync::Barrier;

/// Status, content type and body of a response.
async fn read(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_unavailable(what: &str, (status, content_type, body): &(u16, String, Value)) {
    assert_eq!(*status, 503, "{what}: {body}");
    assert_eq!(content_type, "application/problem+json", "{what}");
    assert_eq!(body["code"], "unavailable", "{what}: {body}");
    assert_eq!(body["status"], 503, "{what}: {body}");
    let text = body.to_string().to_lowercase();
    for leak in ["sqlx", "postgres", "connection refused", "127.0.0.1"] {
        assert!(!text.contains(leak), "{what} leaks `{leak}`: {body}");
    }
}

#[tokio::test]
async fn an_unreachable_database_answers_503_unavailable_and_the_server_recovers_by_itself() {
    if !selected_databases().contains(&TestDb::Postgres) {
        eprintln!("skipped: needs PostgreSQL (CLP_TEST_DATABASES)");
        return;
    }
    // The server reaches PostgreSQL only through a proxy the test can cut.
    let authority = pg_authority(&postgres_server());
    let proxy = TcpProxy::start(&authority).await;
    let proxied = format!("127.0.0.1:{}", proxy.port);
    let app = spawn_app_with(TestDb::Postgres, |c| {
        c.database_url = c.database_url.replacen(&authority, &proxied, 1);
    })
    .await;
    let jane = customer(&app, "jane@outage.example").await;
    let order = order(&app, OrderType::New, &[line("SMEX"), line("IMSVA")]).await;
    let preview = |key: String| {
        let url = app.url("/api/v1/preview");
        async move {
            read(
                reqwest::Client::new()
                    .post(url)
                    .json(&json!({ "key": key }))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    assert_eq!(app.get("/readyz").await.status(), 200);
    assert_eq!(preview(key(&order, 0)).await.0, 200);

    // The database goes away: every pooled connection is cut and new ones are refused.
    proxy.cut().await;
    let started = Instant::now();
    assert_unavailable("readyz", &read(app.get("/readyz").await).await);
    assert_unavailable("preview", &preview(key(&order, 0)).await);
    assert_unavailable(
        "registration",
        &read(
            jane.post(
                &app,
                "/api/v1/registrations",
                &json!({"key": key(&order, 0)}),
            )
            .await,
        )
        .await,
    );
    // Repeatedly, and never a 500 in between.
    for _ in 0..3 {
        assert_unavailable("preview again", &preview(key(&order, 1)).await);
    }
    let outage = started.elapsed();
    assert!(
        outage < Duration::from_secs(60),
        "503s come within the acquire timeout, not after minutes: {outage:?}"
    );
    // Liveness does not depend on the database.
    assert_eq!(app.get("/healthz").await.status(), 200);

    // It comes back; the same server process recovers without a restart.
    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut polls = 0;
    loop {
        polls += 1;
        let status = app.get("/readyz").await.status().as_u16();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "readiness is 200 or 503, nothing else");
        assert!(Instant::now() < deadline, "readyz still failing after 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let recovered = preview(key(&order, 0)).await;
    assert_eq!(recovered.0, 200, "{:?}", recovered.2);
    let registered = read(
        jane.post(
            &app,
            "/api/v1/registrations",
            &json!({"key": key(&order, 0)}),
        )
        .await,
    )
    .await;
    assert_eq!(registered.0, 201, "{:?}", registered.2);
    println!(
        "database outage: 6 requests answered 503 unavailable in {outage:?}; readyz 200 again \
         after {polls} polls; a registration succeeds after recovery"
    );
}

/// What one request of the load got: a status, or no answer at all (the server died).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Status(u16),
    Cut,
}

const ACTIVATION_ORDERS: usize = 24;
const LEGACY_ORDERS: usize = 24;

/// An account-based order fully registered: 3 lines to one account, 6 codes, 1 instance.
const FULL_ACTIVATION: (i64, i64, i64, i64, i64) = (3, 3, 1, 6, 1);
const UNTOUCHED_ACTIVATION: (i64, i64, i64, i64, i64) = (3, 0, 0, 0, 0);
const FULL_LEGACY: (i64, i64, i64, i64, i64) = (1, 1, 1, 1, 0);
const UNTOUCHED_LEGACY: (i64, i64, i64, i64, i64) = (1, 0, 0, 0, 0);

fn shape(s: OrderState) -> (i64, i64, i64, i64, i64) {
    (s.lines, s.registered, s.accounts, s.codes, s.saas)
}

#[tokio::test]
async fn after_kill_9_during_a_load_of_activations_every_order_is_fully_registered_or_untouched() {
    for_each_db(|backend| async move {
        let db = ScratchDb::create(backend).await;
        let env = base_env(&db);
        let mut server = ServerProcess::start(&env).await;
        let conn = db.connect().await;
        let partner = insert_partner(&conn).await;

        // Account-based orders, each with a pending activation into its own account.
        let mut activations: Vec<(Order, String)> = Vec::new();
        for i in 0..ACTIVATION_ORDERS {
            let order = insert_order(
                &conn,
                partner,
                &format!("SO-KILL-A{i}"),
                OrderType::New,
                &["XDR-CAS", "XDR-DDI", "CUP"],
            )
            .await;
            let email = format!("kill{i}@load{i}.example");
            let account = insert_account(&conn, &email).await;
            let response = reqwest::Client::new()
                .post(server.url("/api/v1/activations"))
                .bearer_auth(customer_token(account))
                .json(&json!({"key": order.lines[0].registration_key.to_string()}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
            activations.push((order, email));
        }
        // The tokens from the delivered mail (the outbox drops them once sent).
        let outbox_dir = db.dir.path().join("outbox");
        let mut tokens: HashMap<String, String> = HashMap::new();
        for (_, email) in &activations {
            let mut found =
                common::wait_for_link_tokens(&outbox_dir, email, "/activate/verify", 1).await;
            assert_eq!(found.len(), 1, "one verification email to {email}");
            tokens.insert(email.clone(), found.remove(0));
        }
        assert_eq!(tokens.len(), ACTIVATION_ORDERS);
        // Legacy one-line orders, each to be registered by its own account.
        let mut legacy: Vec<(Order, String)> = Vec::new();
        for i in 0..LEGACY_ORDERS {
            let sku = ["SMEX", "IMSVA", "DDI"][i % 3];
            let order = insert_order(
                &conn,
                partner,
                &format!("SO-KILL-L{i}"),
                OrderType::New,
                &[sku],
            )
            .await;
            let account = insert_account(&conn, &format!("legacy{i}@load.example")).await;
            legacy.push((order, customer_token(account)));
        }

        // The load: every verification and registration at once, interleaved.
        let mut requests: Vec<(String, Option<String>, Value)> = Vec::new();
        for i in 0..ACTIVATION_ORDERS.max(LEGACY_ORDERS) {
            if let Some((_, email)) = activations.get(i) {
                requests.push((
                    server.url("/api/v1/activations/verify"),
                    None,
                    json!({"token": tokens[email]}),
                ));
            }
            if let Some((order, token)) = legacy.get(i) {
                requests.push((
                    server.url("/api/v1/registrations"),
                    Some(token.clone()),
                    json!({"key": order.lines[0].registration_key.to_string()}),
                ));
            }
        }
        let barrier = Arc::new(Barrier::new(requests.len() + 1));
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<u16>();
        let tasks: Vec<_> = requests
            .into_iter()
            .map(|(url, token, body)| {
                let barrier = Arc::clone(&barrier);
                let done = done_tx.clone();
                tokio::spawn(async move {
                    let client = reqwest::Client::builder()
                        .timeout(Duration::from_secs(60))
                        .build()
                        .unwrap();
                    let mut request = client.post(url).json(&body);
                    if let Some(token) = token {
                        request = request.bearer_auth(token);
                    }
                    barrier.wait().await;
                    match request.send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            let _ = done.send(status);
                            Outcome::Status(status)
                        }
                        Err(_) => Outcome::Cut,
                    }
                })
            })
            .collect();
        drop(done_tx);
        barrier.wait().await;
        // SIGKILL once a third of the requests have completed: the rest are queued or
        // mid-transaction.
        let kill_after = (ACTIVATION_ORDERS + LEGACY_ORDERS) / 3;
        let mut answered = 0;
        while answered < kill_after {
            match tokio::time::timeout(Duration::from_secs(60), done_rx.recv()).await {
                Ok(Some(_)) => answered += 1,
                _ => break,
            }
        }
        server.kill9().await;
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        let (activation_outcomes, legacy_outcomes): (Vec<_>, Vec<_>) =
            outcomes.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let cut = outcomes.iter().filter(|o| **o == Outcome::Cut).count();
        let succeeded = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Status(200 | 201)))
            .count();
        for o in &outcomes {
            assert!(
                matches!(o, Outcome::Cut | Outcome::Status(200 | 201)),
                "before the kill, nothing fails: {outcomes:?}"
            );
        }
        assert!(succeeded >= kill_after, "{outcomes:?}");
        assert!(cut >= 1, "the kill must land mid-load: {outcomes:?}");

        // The same binary on the same database.
        let server = ServerProcess::start(&env).await;
        let conn = db.connect().await;
        let (mut full, mut untouched) = (0, 0);
        for (index, (order, _)) in activations.iter().enumerate() {
            let state = shape(order_state(&conn, order.id).await);
            let statuses = reliability_support::activation_statuses(&conn, order.id).await;
            let answered_200 = activation_outcomes[index].1 == &Outcome::Status(200);
            if state == FULL_ACTIVATION {
                full += 1;
                assert_eq!(
                    statuses.get("completed"),
                    Some(&1),
                    "{}",
                    order.order_number
                );
            } else {
                assert_eq!(
                    state, UNTOUCHED_ACTIVATION,
                    "{} is half registered",
                    order.order_number
                );
                assert!(!answered_200, "{}: a 200 was lost", order.order_number);
                assert_eq!(statuses.get("pending"), Some(&1), "{}", order.order_number);
                untouched += 1;
            }
        }
        for (index, (order, _)) in legacy.iter().enumerate() {
            let state = shape(order_state(&conn, order.id).await);
            if state == FULL_LEGACY {
                full += 1;
            } else {
                assert_eq!(
                    state, UNTOUCHED_LEGACY,
                    "{} is half registered",
                    order.order_number
                );
                assert_ne!(
                    legacy_outcomes[index].1,
                    &Outcome::Status(201),
                    "{}: a 201 was lost",
                    order.order_number
                );
                untouched += 1;
            }
        }
        // Mail is queued in the transaction that registers: one per completed registration.
        let mails = outbox_emails(&conn).await;
        let sent_for = |template: &str| mails.iter().filter(|m| m["template"] == template).count();
        assert_eq!(
            sent_for("activation_confirmation") + sent_for("registration_notice"),
            full
        );
        println!(
            "kill -9 [{backend}]: {} requests, {succeeded} answered before the kill, {cut} cut; \
             after restart {full} orders fully registered, {untouched} untouched, 0 partial",
            outcomes.len()
        );

        // Nothing was lost: every pending activation still completes, every key registers.
        for (order, email) in &activations {
            if order_state(&conn, order.id).await.registered > 0 {
                continue;
            }
            let response = reqwest::Client::new()
                .post(server.url("/api/v1/activations/verify"))
                .json(&json!({"token": tokens[email]}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        }
        for (order, token) in &legacy {
            if order_state(&conn, order.id).await.registered > 0 {
                continue;
            }
            let response = reqwest::Client::new()
                .post(server.url("/api/v1/registrations"))
                .bearer_auth(token)
                .json(&json!({"key": order.lines[0].registration_key.to_string()}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        }
        for (order, _) in &activations {
            assert_eq!(shape(order_state(&conn, order.id).await), FULL_ACTIVATION);
        }
        for (order, _) in &legacy {
            assert_eq!(shape(order_state(&conn, order.id).await), FULL_LEGACY);
        }
        drop(server);
    })
    .await;
}
