//! The outbox messages a completion, a legacy registration and an expiry write: which, in
//! which order, with which contents, on SQLite and PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

#[path = "activation_support/mod.rs"]
mod support;

use chrono::{Duration, SecondsFormat};
use clp_db::activations;
use clp_db::outbox::{self, OutboxKind, OutboxMessage, OutboxStatus};
use clp_db::webhooks::{self, NewSubscription};
use clp_domain::order::OrderType;
use clp_domain::region::Region;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde_json::{Value, json};
use support::{account, line, mail, notice, on_each_database, order, partner, pending, t0};

/// Every outbox message, in insertion order.
async fn messages(conn: &impl ConnectionTrait) -> Vec<OutboxMessage> {
    let rows = conn
        .query_all(
            &Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("outbox"))
                .order_by(Alias::new("id"), Order::Asc)
                .to_owned(),
        )
        .await
        .unwrap();
    let mut out = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("", "id").unwrap();
        out.push(outbox::find(conn, id).await.unwrap().unwrap());
    }
    out
}

async fn subscribe(conn: &impl ConnectionTrait, partner_id: i64, events: &[&str]) -> i64 {
    webhooks::create(
        conn,
        &NewSubscription {
            partner_id,
            url: "https://partner.example/hooks".into(),
            events: events.iter().map(|e| (*e).to_owned()).collect(),
            secret: "whsec_c2VjcmV0".into(),
        },
        t0(),
    )
    .await
    .unwrap()
    .id
}

async fn deactivate_all(conn: &impl ConnectionTrait, partner_id: i64) {
    conn.execute(
        &Query::update()
            .table(Alias::new("webhook_subscriptions"))
            .value(Alias::new("active"), false)
            .and_where(Expr::col(Alias::new("partner_id")).eq(partner_id))
            .to_owned(),
    )
    .await
    .unwrap();
}

/// A message as the assertions compare it: the random event id checked and replaced by `ID`.
fn shape(message: &OutboxMessage) -> Value {
    assert_eq!(message.status, OutboxStatus::Pending);
    assert_eq!(message.attempts, 0);
    let mut payload = message.payload.clone();
    if let Some(id) = message.event_id.as_deref() {
        assert!(id.starts_with("msg_"), "{id}");
        if message.kind != OutboxKind::Email {
            assert_eq!(payload["id"], json!(id), "the payload carries the event id");
            payload["id"] = json!("ID");
        }
    }
    json!({
        "kind": message.kind.as_str(),
        "max_attempts": message.max_attempts,
        "subscription_id": message.subscription_id,
        "event_id": message.event_id.as_ref().map(|_| "ID"),
        "payload": payload,
    })
}

fn webhook(subscription: i64, kind: &str, data: Value) -> Value {
    json!({
        "kind": "webhook",
        "max_attempts": 35,
        "subscription_id": subscription,
        "event_id": "ID",
        "payload": {
            "id": "ID",
            "type": kind,
            "timestamp": t0().to_rfc3339_opts(SecondsFormat::Secs, true),
            "data": data,
        },
    })
}

fn email(payload: Value) -> Value {
    json!({
        "kind": "email",
        "max_attempts": 5,
        "subscription_id": null,
        "event_id": null,
        "payload": payload,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completion_writes_its_webhooks_vision_one_call_and_email_in_order() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let other_partner = support::partner(&db.conn).await;
        subscribe(
            &db.conn,
            other_partner,
            &["order.activated", "line.registered"],
        )
        .await;
        let deleted = subscribe(&db.conn, partner, &["order.activated"]).await;
        deactivate_all(&db.conn, partner).await;
        let all = subscribe(
            &db.conn,
            partner,
            &["order.activated", "line.registered", "activation.expired"],
        )
        .await;
        let lines_only = subscribe(&db.conn, partner, &["line.registered"]).await;
        assert!(deleted < all);
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[
                line("XDR-EPS"),
                line("XDR-DDI"),
                line("A1"),
                line("XDR-DDI"),
                line("XDR-CAS"),
            ],
        )
        .await;
        let account = account(&db.conn, "new@acme.example", false).await;
        let activation = pending(&db.conn, &order, account, "tok", Some(Region::Sg), true).await;

        let done = activations::complete_activation(&db.conn, &db.catalog, "tok", None, t0(), mail)
            .await
            .unwrap();

        let line_ids: Vec<i64> = order.lines.iter().map(|l| l.id).collect();
        let mut expected = vec![
            webhook(
                all,
                "order.activated",
                json!({
                    "order_number": order.order_number,
                    "account_id": account.0,
                    "activation_id": activation.public_id,
                    "line_ids": line_ids,
                    "xdr_region": "sg",
                }),
            ),
            json!({
                "kind": "vision_one",
                "max_attempts": 12,
                "subscription_id": null,
                "event_id": "ID",
                "payload": {
                    "id": "ID",
                    "type": "xdr.provision",
                    "timestamp": t0().to_rfc3339_opts(SecondsFormat::Secs, true),
                    "account_id": account.0,
                    "region": "sg",
                    "order_number": order.order_number,
                    "addons": ["XDR-CAS", "XDR-DDI", "XDR-EPS"],
                },
            }),
        ];
        for line in &order.lines {
            for subscription in [all, lines_only] {
                expected.push(webhook(
                    subscription,
                    "line.registered",
                    json!({
                        "order_number": order.order_number,
                        "account_id": account.0,
                        "line_id": line.id,
                        "line_no": line.line_no,
                        "sku": line.sku,
                        "registered_at": t0(),
                    }),
                ));
            }
        }
        expected.push(email(json!({
            "template": "activation_confirmation",
            "to": "new@acme.example",
            "language": "en",
            "data": {"order_number": order.order_number},
        })));
        let written = messages(&db.conn).await;
        let shapes: Vec<Value> = written.iter().map(shape).collect();
        assert_eq!(shapes, expected);
        assert!(written.iter().all(|m| m.created_at == t0()));
        let mut ids: Vec<&str> = written
            .iter()
            .filter_map(|m| m.event_id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), written.len() - 1, "every event id is distinct");
        assert_eq!(done.account.email, "new@acme.example");
        assert_eq!(done.account.full_name, "Jane Doe");
        assert_eq!(done.account.language, clp_domain::Lang::En);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_without_xdr_add_ons_calls_no_vision_one_and_an_existing_region_is_reported() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let first = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI-JP")],
        )
        .await;
        pending(&db.conn, &first, account, "first", None, false).await;
        activations::complete_activation(&db.conn, &db.catalog, "first", None, t0(), mail)
            .await
            .unwrap();
        let before = messages(&db.conn).await;
        assert_eq!(before[0].kind, OutboxKind::VisionOne);
        assert_eq!(before[0].payload["region"], "jp");
        assert_eq!(before[0].payload["addons"], json!(["XDR-DDI-JP"]));

        let second = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI"), line("SMEX")],
        )
        .await;
        pending(
            &db.conn,
            &second,
            account,
            "second",
            Some(Region::Us),
            false,
        )
        .await;
        let done =
            activations::complete_activation(&db.conn, &db.catalog, "second", None, t0(), mail)
                .await
                .unwrap();
        assert_eq!(done.region, Region::Jp, "the account keeps its region");
        let written = messages(&db.conn).await;
        let vision_one = &written[before.len()];
        assert_eq!(vision_one.kind, OutboxKind::VisionOne);
        assert_eq!(vision_one.payload["region"], "jp");
        assert_eq!(vision_one.payload["addons"], json!(["XDR-DDI"]));
        assert_eq!(written.len(), before.len() + 2, "Vision One and the email");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_registration_writes_its_webhooks_then_the_notice() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let lines_only = subscribe(&db.conn, partner, &["line.registered"]).await;
        subscribe(&db.conn, partner, &["order.activated"]).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("SMEX"), line("CAS")],
        )
        .await;
        let registered = &order.lines[0];
        activations::register_legacy(
            &db.conn,
            &db.catalog,
            &registered.registration_key,
            account,
            None,
            t0(),
            notice,
        )
        .await
        .unwrap();
        let shapes: Vec<Value> = messages(&db.conn).await.iter().map(shape).collect();
        assert_eq!(
            shapes,
            [
                webhook(
                    lines_only,
                    "line.registered",
                    json!({
                        "order_number": order.order_number,
                        "account_id": account.0,
                        "line_id": registered.id,
                        "line_no": 1,
                        "sku": "SMEX",
                        "registered_at": t0(),
                    }),
                ),
                email(json!({
                    "template": "registration_notice",
                    "to": "jane@acme.example",
                    "data": {"order_number": order.order_number},
                })),
            ]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiry_writes_one_webhook_per_listening_subscription() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let expired = subscribe(&db.conn, partner, &["activation.expired"]).await;
        subscribe(&db.conn, partner, &["order.activated"]).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let activation = pending(&db.conn, &order, account, "tok", None, false).await;
        let late = t0() + Duration::hours(25);
        let outcome =
            activations::complete_activation(&db.conn, &db.catalog, "tok", None, late, mail).await;
        assert!(outcome.is_err());
        let shapes: Vec<Value> = messages(&db.conn).await.iter().map(shape).collect();
        let mut expected = webhook(
            expired,
            "activation.expired",
            json!({
                "order_number": order.order_number,
                "account_id": account.0,
                "activation_id": activation.public_id,
                "expires_at": activation.expires_at,
            }),
        );
        expected["payload"]["timestamp"] = json!(late.to_rfc3339_opts(SecondsFormat::Secs, true));
        assert_eq!(shapes, [expected]);
    })
    .await;
}
