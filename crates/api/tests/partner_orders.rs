//! Partner orders: creation with validation, reading, audit trail and idempotency.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

mod common;
mod partner_support;

use clp_api_types::{CreateComponent, ErrorCode, FlowKind, LineStatus, OrderResponse, OrderType};
use clp_domain::{ActivationCode, RegistrationKey};
use common::{TestApp, for_each_db};
use partner_support::{
    CLIENT_ID, CLIENT_SECRET, anonymous, bootstrap_client, line, new_partner_client, sample_order,
    spawn_partner_app, spawn_partner_app_with,
};
use sea_orm::{ConnectionTrait as _, Statement};

async fn count_orders(app: &TestApp, order_number: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT COUNT(*) AS n FROM orders WHERE order_number = $1",
        _ => "SELECT COUNT(*) AS n FROM orders WHERE order_number = ?",
    };
    let row = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [order_number.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn creating_an_order_returns_the_certificate_with_keys() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = client
            .create_order(&sample_order("SO-2025-0001"), None)
            .await
            .unwrap();
        assert_eq!(order.order_number, "SO-2025-0001");
        assert_eq!(
            order.flow,
            FlowKind::AccountBased,
            "an XDR add-on line makes it account based"
        );
        assert_eq!(order.lines.len(), 3);
        let prefixes = ["XC", "CU", "DD"];
        for (line, prefix) in order.lines.iter().zip(prefixes) {
            let key = line
                .registration_key
                .as_deref()
                .expect("the certificate carries the keys");
            let parsed = RegistrationKey::parse(key).unwrap();
            assert_eq!(parsed.prefix(), prefix);
            assert_eq!(parsed.as_str(), key, "keys are shown in canonical form");
            assert_eq!(line.status, LineStatus::Unregistered);
        }
        let suite: Vec<&str> = order.lines[1]
            .components
            .iter()
            .map(|c| c.sku.as_str())
            .collect();
        assert_eq!(
            suite,
            ["A1", "SMEX", "IMSVA", "IWSVA"],
            "missing components are the suite's"
        );
        assert_eq!(
            order.lines[0].product_name,
            "XDR Add-On: Cloud App Security"
        );
    })
    .await;
}

#[tokio::test]
async fn reading_an_order_shows_line_statuses_without_keys() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let created = client
            .create_order(&sample_order("SO-READ-1"), None)
            .await
            .unwrap();
        let read = client.get_order("SO-READ-1").await.unwrap();
        assert!(read.lines.iter().all(|l| l.registration_key.is_none()));
        assert!(
            read.lines
                .iter()
                .all(|l| l.status == LineStatus::Unregistered)
        );
        let strip = |o: &OrderResponse| {
            let mut o = o.clone();
            o.lines.iter_mut().for_each(|l| l.registration_key = None);
            o
        };
        assert_eq!(strip(&created).lines, read.lines);
        assert_eq!(read.end_customer, created.end_customer);

        let raw = app
            .client
            .get(app.url("/api/v1/partner/orders/SO-READ-1"))
            .bearer_auth(client.token().unwrap())
            .send()
            .await
            .unwrap();
        let text = raw.text().await.unwrap();
        assert!(!text.contains("registration_key"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn an_invalid_order_lists_every_bad_field_in_one_422() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let mut order = sample_order("SO-BAD-1");
        order.end_customer.contact_email = "jane at acme".to_owned();
        order.end_customer.country = "USA".to_owned();
        order.lines[0].sku = "NO-SUCH-SKU".to_owned();
        order.lines[1].seats = 0;
        order.lines[1].components = Some(vec![CreateComponent {
            sku: "DDI".to_owned(),
            retained_ac: Some("XX-NOT-AN-AC".to_owned()),
        }]);
        order.lines[2].term_end = "2020-01-01".parse().unwrap();
        order.lines[2].components = Some(vec![CreateComponent {
            sku: "A1".to_owned(),
            retained_ac: None,
        }]);
        let error = client.create_order(&order, None).await.unwrap_err();
        let problem = error.problem().unwrap().clone();
        assert_eq!(
            (problem.status, problem.code),
            (422, ErrorCode::ValidationFailed)
        );
        let fields: Vec<String> = problem
            .errors
            .unwrap()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "end_customer.contact_email",
                "end_customer.country",
                "lines[0].sku",
                "lines[1].seats",
                "lines[1].components[0].sku",
                "lines[1].components[0].retained_ac",
                "lines[2].term_end",
                "lines[2].components",
            ]
        );
        assert_eq!(count_orders(&app, "SO-BAD-1").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_renewal_must_name_an_existing_activation_code_on_every_line() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let unknown = ActivationCode::generate("AO", &mut rand::rng()).unwrap();
        let mut order = sample_order("SO-REN-1");
        order.r#type = OrderType::Renewal;
        order.lines = vec![line("A1"), line("SMEX"), line("DDI")];
        order.lines[0].renews_ac = Some(unknown.to_string());
        order.lines[1].renews_ac = Some("AO-123".to_owned());
        let error = client.create_order(&order, None).await.unwrap_err();
        let problem = error.problem().unwrap();
        let errors = problem.errors.clone().unwrap();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines[0].renews_ac",
                "lines[1].renews_ac",
                "lines[2].renews_ac"
            ]
        );
        assert_eq!(errors[0].message, "no such activation code");
        assert!(
            errors[1]
                .message
                .contains("not a well-formed activation code")
        );
        assert_eq!(errors[2].message, "is required on a renewal order");
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_order_number_is_409_conflict() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        client
            .create_order(&sample_order("SO-DUP-1"), None)
            .await
            .unwrap();
        let error = client
            .create_order(&sample_order("SO-DUP-1"), None)
            .await
            .unwrap_err();
        let problem = error.problem().unwrap();
        assert_eq!((problem.status, problem.code), (409, ErrorCode::Conflict));
        assert_eq!(count_orders(&app, "SO-DUP-1").await, 1);

        // Order numbers are unique per partner: another partner may use the same one.
        let (other, _) = new_partner_client(&app, "Other", &["orders:write", "orders:read"]).await;
        other
            .create_order(&sample_order("SO-DUP-1"), None)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn another_partners_order_is_404() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        client
            .create_order(&sample_order("SO-MINE-1"), None)
            .await
            .unwrap();
        let (other, _) = new_partner_client(&app, "Other", &["orders:read"]).await;
        for error in [
            other.get_order("SO-MINE-1").await.unwrap_err(),
            other.order_events("SO-MINE-1").await.unwrap_err(),
        ] {
            let problem = error.problem().unwrap();
            assert_eq!((problem.status, problem.code), (404, ErrorCode::NotFound));
        }
    })
    .await;
}

#[tokio::test]
async fn order_events_show_the_audit_trail() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = client
            .create_order(&sample_order("SO-EV-1"), None)
            .await
            .unwrap();
        let events = client.order_events("SO-EV-1").await.unwrap().events;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "order.created");
        assert!(events[0].actor.starts_with("partner:"));
        let text = serde_json::to_string(&events).unwrap();
        for line in &order.lines {
            assert!(
                !text.contains(line.registration_key.as_deref().unwrap()),
                "no key in events"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_idempotent_replay_returns_the_first_response() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = sample_order("SO-IDEM-1");
        let first = client.create_order(&order, Some("key-1")).await.unwrap();
        let replay = app
            .client
            .post(app.url("/api/v1/partner/orders"))
            .bearer_auth(client.token().unwrap())
            .header("idempotency-key", "key-1")
            .json(&order)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 201);
        assert_eq!(replay.headers()["idempotency-replayed"], "true");
        let replayed: OrderResponse = replay.json().await.unwrap();
        assert_eq!(replayed, first, "the same keys, ids and times");
        assert_eq!(count_orders(&app, "SO-IDEM-1").await, 1);

        // An error is replayed too: the stored 409 of a duplicate number.
        let duplicate = client
            .create_order(&order, Some("key-2"))
            .await
            .unwrap_err();
        assert_eq!(duplicate.problem().unwrap().status, 409);
        let again = client
            .create_order(&order, Some("key-2"))
            .await
            .unwrap_err();
        assert_eq!(again.problem().unwrap(), duplicate.problem().unwrap());
    })
    .await;
}

#[tokio::test]
async fn an_idempotency_key_reused_with_another_body_is_422() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        client
            .create_order(&sample_order("SO-IDEM-2"), Some("key-x"))
            .await
            .unwrap();
        let error = client
            .create_order(&sample_order("SO-IDEM-3"), Some("key-x"))
            .await
            .unwrap_err();
        let problem = error.problem().unwrap();
        assert_eq!(
            (problem.status, problem.code),
            (422, ErrorCode::IdempotencyMismatch)
        );
        assert_eq!(count_orders(&app, "SO-IDEM-3").await, 0);

        // Keys belong to a partner: another partner's same key is a new request.
        let (other, _) = new_partner_client(&app, "Other", &["orders:write"]).await;
        other
            .create_order(&sample_order("SO-IDEM-3"), Some("key-x"))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn ten_concurrent_identical_requests_create_one_order() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = sample_order("SO-CONC-1");
        let requests = (0..10).map(|_| {
            let client = client.clone();
            let order = order.clone();
            tokio::spawn(async move { client.create_order(&order, Some("concurrent-key")).await })
        });
        let results = futures_util::future::join_all(requests).await;
        let bodies: Vec<OrderResponse> = results
            .into_iter()
            .map(|r| r.unwrap().expect("every request gets the order"))
            .collect();
        assert!(
            bodies.iter().all(|b| b == &bodies[0]),
            "every answer is the first response"
        );
        assert_eq!(count_orders(&app, "SO-CONC-1").await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_audit_trail_ignores_a_forged_forwarded_for_unless_the_proxy_is_trusted() {
    for_each_db(|db| async move {
        for (trust_proxy, recorded) in [(false, "127.0.0.1"), (true, "203.0.113.9")] {
            let app = spawn_partner_app_with(db, |c| c.trust_proxy = trust_proxy).await;
            let token = anonymous(&app)
                .partner_token(CLIENT_ID, CLIENT_SECRET, None)
                .await
                .unwrap()
                .access_token;
            let response = reqwest::Client::new()
                .post(app.url("/api/v1/partner/orders"))
                .bearer_auth(&token)
                .header("x-forwarded-for", "203.0.113.9")
                .json(&sample_order("SO-IP-1"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201, "trust_proxy {trust_proxy}");
            assert_eq!(
                app.audit_client_ips("order.created").await,
                [Some(recorded.to_owned())],
                "trust_proxy {trust_proxy}"
            );
        }
    })
    .await;
}
