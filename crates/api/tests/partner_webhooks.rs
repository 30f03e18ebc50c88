//! Partner webhooks: subscriptions, signed deliveries to a real receiver on loopback, retries
//! while the receiver refuses connections, the deliveries listing, redelivery, and the Vision
//! One provisioning call.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

mod common;
mod partner_support;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use chrono::Utc;
use clp_api::webhooks::signing;
use clp_api_types::{
    CreateLegacyAccountRequest, CreateWebhookRequest, DeliveryStatus, ErrorCode, OrderType,
    WebhookEvent, WebhookPayload,
};
use clp_db::events::{EventKind, OrderEvent, emit};
use common::{TestApp, for_each_db};
use partner_support::{
    Received, Receiver, bootstrap_client, bootstrap_partner_id, free_port, line,
    new_partner_client, sample_order, spawn_partner_app, spawn_partner_app_with,
};
use serde_json::json;
use tokio::net::TcpListener;

fn subscribe(url: &str, events: &[WebhookEvent]) -> CreateWebhookRequest {
    CreateWebhookRequest {
        url: url.to_owned(),
        events: events.to_vec(),
    }
}

async fn order_id(app: &TestApp, order_number: &str) -> i64 {
    let partner_id = bootstrap_partner_id(app).await;
    clp_db::orders::find_order_by_number(&app.db, partner_id, order_number)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Emits `kind` for the order, as the activation flow does inside its transaction.
async fn emit_event(app: &TestApp, order_id: i64, kind: EventKind, data: serde_json::Value) {
    let partner_id = bootstrap_partner_id(app).await;
    let event = OrderEvent {
        kind,
        order_id,
        partner_id,
        account_id: None,
        data,
    };
    emit(&app.db, &event, Utc::now()).await.unwrap();
}

/// Checks the Standard Webhooks headers and signature of `request`; returns its payload.
fn verified(request: &Received, secret: &str) -> WebhookPayload {
    let id = &request.headers["webhook-id"];
    let timestamp: i64 = request.headers["webhook-timestamp"].parse().unwrap();
    let signature = &request.headers["webhook-signature"];
    assert!(signature.starts_with("v1,"), "{signature}");
    assert!(
        signing::verify(secret, id, timestamp, &request.body, signature),
        "the signature verifies with the subscription's secret"
    );
    assert!(
        (Utc::now().timestamp() - timestamp).abs() < 120,
        "a fresh timestamp"
    );
    assert_eq!(request.method, "POST");
    assert_eq!(request.headers["content-type"], "application/json");
    let payload: WebhookPayload = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(&payload.id, id, "the body's id is the webhook-id");
    payload
}

#[tokio::test]
async fn webhook_subscriptions_are_created_listed_and_deleted() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let created = client
            .create_webhook(
                &subscribe(
                    "https://partner.example/hooks",
                    &[WebhookEvent::OrderActivated, WebhookEvent::OrderActivated],
                ),
                None,
            )
            .await
            .unwrap();
        let secret = created
            .secret
            .clone()
            .expect("the secret is shown at creation");
        assert!(secret.starts_with("whsec_"));
        assert_eq!(created.events, [WebhookEvent::OrderActivated]);

        let listed = client.list_webhooks().await.unwrap().webhooks;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, created.id);
        assert_eq!(listed[0].secret, None, "the secret is never shown again");

        let (other, _) = new_partner_client(&app, "Other", &["webhooks:manage"]).await;
        assert!(other.list_webhooks().await.unwrap().webhooks.is_empty());
        let hidden = other.delete_webhook(created.id).await.unwrap_err();
        assert_eq!(hidden.problem().unwrap().code, ErrorCode::NotFound);
        let hidden = other.list_deliveries(created.id).await.unwrap_err();
        assert_eq!(hidden.problem().unwrap().code, ErrorCode::NotFound);

        let invalid = client
            .create_webhook(&subscribe("ftp://partner.example/x", &[]), None)
            .await
            .unwrap_err();
        let problem = invalid.problem().unwrap();
        assert_eq!(problem.code, ErrorCode::ValidationFailed);
        let fields: Vec<&str> = problem
            .errors
            .as_ref()
            .unwrap()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["url", "events"]);

        client.delete_webhook(created.id).await.unwrap();
        assert!(client.list_webhooks().await.unwrap().webhooks.is_empty());
        let gone = client.delete_webhook(created.id).await.unwrap_err();
        assert_eq!(gone.problem().unwrap().code, ErrorCode::NotFound);
    })
    .await;
}

#[tokio::test]
async fn webhook_creation_is_idempotent_and_keeps_the_secret_of_the_first_response() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let body = subscribe("https://partner.example/h", &[WebhookEvent::LineRegistered]);
        let first = client.create_webhook(&body, Some("wh-1")).await.unwrap();
        let again = client.create_webhook(&body, Some("wh-1")).await.unwrap();
        assert_eq!(first, again);
        assert_eq!(client.list_webhooks().await.unwrap().webhooks.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn every_event_arrives_signed_exactly_once_per_subscription_after_the_receiver_comes_up() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        // Nothing listens on the port yet: the first attempts are refused.
        let port = free_port().await;
        let all = client
            .create_webhook(
                &subscribe(
                    &format!("http://127.0.0.1:{port}/hooks/all"),
                    WebhookEvent::ALL,
                ),
                None,
            )
            .await
            .unwrap();
        let lines_only = client
            .create_webhook(
                &subscribe(
                    &format!("http://127.0.0.1:{port}/hooks/lines"),
                    &[WebhookEvent::LineRegistered],
                ),
                None,
            )
            .await
            .unwrap();
        // A subscription of another partner hears nothing of this partner's orders.
        let (other, _) = new_partner_client(&app, "Other", &["webhooks:manage"]).await;
        let foreign = other
            .create_webhook(
                &subscribe(
                    &format!("http://127.0.0.1:{port}/hooks/other"),
                    WebhookEvent::ALL,
                ),
                None,
            )
            .await
            .unwrap();

        client
            .create_order(&sample_order("SO-WH-1"), None)
            .await
            .unwrap();
        let order = order_id(&app, "SO-WH-1").await;
        emit_event(
            &app,
            order,
            EventKind::OrderActivated,
            json!({"line_ids": [1, 2, 3]}),
        )
        .await;
        emit_event(
            &app,
            order,
            EventKind::LineRegistered,
            json!({"line_no": 1}),
        )
        .await;
        emit_event(
            &app,
            order,
            EventKind::LineRegistered,
            json!({"line_no": 2}),
        )
        .await;
        emit_event(&app, order, EventKind::ActivationExpired, json!({})).await;

        // Let the worker fail at least once against the closed port, then open it.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let refused = client.list_deliveries(all.id).await.unwrap().deliveries;
        assert_eq!(refused.len(), 4);
        assert!(refused.iter().all(|d| d.status == DeliveryStatus::Pending));
        assert!(
            refused
                .iter()
                .all(|d| d.attempts >= 1 && d.last_error.is_some()),
            "{refused:?}"
        );
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let receiver = Receiver::start(listener);

        let arrived = |requests: &[Received], path: &str| {
            requests
                .iter()
                .filter(|r| r.path == path)
                .map(|r| r.headers["webhook-id"].clone())
                .collect::<HashSet<_>>()
                .len()
        };
        let requests = receiver
            .wait_for(Duration::from_secs(40), |r| {
                arrived(r, "/hooks/all") == 4 && arrived(r, "/hooks/lines") == 2
            })
            .await;

        let all_secret = all.secret.clone().unwrap();
        let lines_secret = lines_only.secret.clone().unwrap();
        let mut by_id: BTreeMap<String, (String, WebhookPayload)> = BTreeMap::new();
        for request in &requests {
            let secret = match request.path.as_str() {
                "/hooks/all" => &all_secret,
                "/hooks/lines" => &lines_secret,
                other => panic!("unexpected delivery to {other}"),
            };
            let payload = verified(request, secret);
            assert!(!signing::verify(
                if secret == &all_secret {
                    &lines_secret
                } else {
                    &all_secret
                },
                &payload.id,
                request.headers["webhook-timestamp"].parse().unwrap(),
                &request.body,
                &request.headers["webhook-signature"],
            ));
            assert_eq!(payload.data["order_number"], "SO-WH-1");
            if let Some((path, earlier)) = by_id.get(&payload.id) {
                // A duplicate (an at-least-once retry) carries the same id and content.
                assert_eq!((path, earlier), (&request.path, &payload));
            }
            by_id.insert(payload.id.clone(), (request.path.clone(), payload));
        }
        let kinds = |path: &str| {
            let mut kinds: Vec<WebhookEvent> = by_id
                .values()
                .filter(|(p, _)| p == path)
                .map(|(_, payload)| payload.r#type)
                .collect();
            kinds.sort_by_key(|k| k.as_str());
            kinds
        };
        assert_eq!(
            kinds("/hooks/all"),
            [
                WebhookEvent::ActivationExpired,
                WebhookEvent::LineRegistered,
                WebhookEvent::LineRegistered,
                WebhookEvent::OrderActivated,
            ]
        );
        assert_eq!(
            kinds("/hooks/lines"),
            [WebhookEvent::LineRegistered, WebhookEvent::LineRegistered]
        );

        // The listing shows each delivery sent, after a refused first attempt.
        let deliveries = client.list_deliveries(all.id).await.unwrap().deliveries;
        let deliveries = {
            let mut waited = deliveries;
            for _ in 0..40 {
                if waited.iter().all(|d| d.status == DeliveryStatus::Sent) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                waited = client.list_deliveries(all.id).await.unwrap().deliveries;
            }
            waited
        };
        assert_eq!(deliveries.len(), 4);
        for delivery in &deliveries {
            assert_eq!(delivery.status, DeliveryStatus::Sent, "{delivery:?}");
            assert!(delivery.attempts >= 2, "{delivery:?}");
            assert_eq!(delivery.last_status_code, Some(200));
            assert!(by_id.contains_key(&delivery.event_id));
            assert!(delivery.sent_at.is_some() && delivery.next_attempt_at.is_none());
        }
        assert!(
            other
                .list_deliveries(foreign.id)
                .await
                .unwrap()
                .deliveries
                .is_empty()
        );

        // Redelivery sends the same message again, with the same webhook-id.
        let target = &deliveries[0];
        let before = receiver.requests().len();
        let queued = client.redeliver(all.id, target.id).await.unwrap();
        assert_eq!(queued.status, DeliveryStatus::Pending);
        let requests = receiver
            .wait_for(Duration::from_secs(20), |r| r.len() > before)
            .await;
        let again = requests.last().unwrap();
        assert_eq!(again.headers["webhook-id"], target.event_id);
        let payload = verified(again, &all_secret);
        assert_eq!(payload, by_id[&target.event_id].1);
        let unknown = client.redeliver(all.id, i64::MAX).await.unwrap_err();
        assert_eq!(unknown.problem().unwrap().code, ErrorCode::NotFound);
    })
    .await;
}

#[tokio::test]
async fn a_legacy_registration_notifies_the_partner() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let receiver = Receiver::start(listener);
        let hook = client
            .create_webhook(
                &subscribe(
                    &format!("http://127.0.0.1:{port}/hook"),
                    &[WebhookEvent::LineRegistered],
                ),
                None,
            )
            .await
            .unwrap();
        let mut order = sample_order("SO-LEG-1");
        order.r#type = OrderType::New;
        order.lines = vec![line("DDI")];
        let created = client.create_order(&order, None).await.unwrap();
        let key = created.lines[0].registration_key.clone().unwrap();

        let mut customer = partner_support::anonymous(&app);
        customer
            .create_legacy_account(&CreateLegacyAccountRequest {
                login_id: "acme-admin".to_owned(),
                password: "correct horse battery staple".to_owned(),
                email: "admin@acme.example".to_owned(),
                company: "Acme Corporation".to_owned(),
                address: "1 Main Street".to_owned(),
                city: "Springfield".to_owned(),
                state: "IL".to_owned(),
                postal_code: "62701".to_owned(),
                country: "US".to_owned(),
                phone: "+1 555 0100".to_owned(),
                contact_name: "Jane Doe".to_owned(),
                language: None,
            })
            .await
            .unwrap();
        customer
            .sign_in("acme-admin", "correct horse battery staple")
            .await
            .unwrap();
        customer.register(&key).await.unwrap();

        let requests = receiver
            .wait_for(Duration::from_secs(20), |r| !r.is_empty())
            .await;
        let payload = verified(&requests[0], hook.secret.as_deref().unwrap());
        assert_eq!(payload.r#type, WebhookEvent::LineRegistered);
        assert_eq!(payload.data["order_number"], "SO-LEG-1");
        assert!(
            !String::from_utf8_lossy(&requests[0].body).contains(&key),
            "no key in webhooks"
        );

        let order = client.get_order("SO-LEG-1").await.unwrap();
        assert_eq!(order.lines[0].status, clp_api_types::LineStatus::Registered);
        assert!(order.lines[0].registered_at.is_some());
    })
    .await;
}

#[tokio::test]
async fn vision_one_provisioning_is_posted_for_activated_xdr_orders() {
    for_each_db(|db| async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let receiver = Receiver::start(listener);
        let app = spawn_partner_app_with(db, |config| {
            config.vision_one_url = Some(format!("http://127.0.0.1:{port}/v1"));
        })
        .await;
        let client = bootstrap_client(&app).await;
        client
            .create_order(&sample_order("SO-V1-1"), None)
            .await
            .unwrap();
        let order = order_id(&app, "SO-V1-1").await;
        emit_event(&app, order, EventKind::LineRegistered, json!({})).await;
        emit_event(
            &app,
            order,
            EventKind::OrderActivated,
            json!({"xdr_region": "eu"}),
        )
        .await;

        let requests = receiver
            .wait_for(Duration::from_secs(20), |r| !r.is_empty())
            .await;
        assert_eq!(requests.len(), 1, "one call, for order.activated only");
        let call = &requests[0];
        assert_eq!(
            (call.method.as_str(), call.path.as_str()),
            ("POST", "/v1/provisioning")
        );
        let body: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
        assert_eq!(body["addons"], json!(["XDR-CAS"]));
        assert_eq!(body["region"], "eu");
        assert_eq!(body["order_number"], "SO-V1-1");
        assert_eq!(
            call.headers["idempotency-key"],
            body["id"].as_str().unwrap()
        );
    })
    .await;
}
