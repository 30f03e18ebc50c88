//! The partner's order listing (keyset pages, filters, CSV), the cancellation of an order and
//! its race with activations, and the license status of `GET /me/products`; on SQLite and
//! PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod flow_support;
mod partner_support;

use std::collections::HashSet;

use chrono::{Days, Utc};
use clp_api_types::{
    CreateOrderLine, CreateOrderRequest, ORDERS_CSV_HEADER, OrderListQuery, OrderResponse,
    OrderStatus, OrderType, PRODUCTS_CSV_HEADER,
};
use clp_client::Client;
use common::{TestApp, for_each_db};
use flow_support::{customer, problem};
use partner_support::{bootstrap_client, new_partner_client, sample_order, spawn_partner_app};
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};

/// A legacy order (no XDR add-on) of `skus`, each line ending `term_end`.
fn legacy_order(number: &str, company: &str, skus: &[&str], term_end: &str) -> CreateOrderRequest {
    let mut order = sample_order(number);
    order.end_customer.company = company.to_owned();
    order.lines = skus
        .iter()
        .map(|sku| CreateOrderLine {
            sku: (*sku).to_owned(),
            seats: 10,
            term_start: "2025-01-01".parse().unwrap(),
            term_end: term_end.parse().unwrap(),
            components: None,
            renews_ac: None,
        })
        .collect();
    order
}

fn keys(order: &OrderResponse) -> Vec<String> {
    order
        .lines
        .iter()
        .map(|l| l.registration_key.clone().unwrap())
        .collect()
}

async fn raw_get(
    app: &TestApp,
    client: &Client,
    url: reqwest::Url,
    accept: &str,
) -> reqwest::Response {
    let token = client.token().unwrap().to_owned();
    app.client
        .get(url)
        .bearer_auth(token)
        .header("accept", accept)
        .send()
        .await
        .unwrap()
}

async fn all_numbers(client: &Client, query: OrderListQuery) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut cursor = None;
    loop {
        let page = client
            .list_orders(&OrderListQuery {
                cursor: cursor.clone(),
                ..query.clone()
            })
            .await
            .unwrap();
        numbers.extend(page.orders.into_iter().map(|o| o.order_number));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return numbers,
        }
    }
}

#[tokio::test]
async fn pagination_walks_every_order_exactly_once_while_orders_are_inserted() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        let mut before = Vec::new();
        for i in 0..11 {
            let number = format!("SO-PAGE-{i:02}");
            partner
                .create_order(&sample_order(&number), None)
                .await
                .unwrap();
            before.push(number);
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut inserted = 0;
        loop {
            let page = partner
                .list_orders(&OrderListQuery {
                    limit: Some(4),
                    cursor: cursor.clone(),
                    ..OrderListQuery::default()
                })
                .await
                .unwrap();
            assert!(page.orders.len() <= 4);
            // Newest first within the page.
            for pair in page.orders.windows(2) {
                assert!(pair[0].created_at >= pair[1].created_at);
            }
            seen.extend(page.orders.iter().map(|o| o.order_number.clone()));
            // New orders arrive between the pages.
            partner
                .create_order(&sample_order(&format!("SO-NEW-{inserted}")), None)
                .await
                .unwrap();
            inserted += 1;
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let mut expected = before.clone();
        expected.reverse();
        assert_eq!(seen, expected, "every order once, newest first, no new one");

        // A listing starting now sees the new ones too.
        let everything = all_numbers(&partner, OrderListQuery::default()).await;
        assert_eq!(everything.len(), 11 + inserted);
        assert_eq!(
            everything.iter().collect::<HashSet<_>>().len(),
            everything.len()
        );
    })
    .await;
}

#[tokio::test]
async fn filters_select_by_status_type_time_and_text_and_other_partners_never_show() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        let start = Utc::now();
        let plain = partner
            .create_order(
                &legacy_order("SO-F-1", "Globex, Inc.", &["SMEX", "DDI"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        let partial = partner
            .create_order(
                &legacy_order("SO-F-2", "Initech", &["SMEX", "DDI"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        let full = partner
            .create_order(
                &legacy_order("so-f-3", "Umbrella", &["SMEX"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        let middle = Utc::now();
        partner
            .create_order(
                &legacy_order("SO-F-4", "Hooli", &["DDI"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        partner
            .cancel_order("SO-F-4", "ordered twice", None)
            .await
            .unwrap();
        let jane = customer(&app, "jane@globex.example").await;
        for key in [&keys(&partial)[0], &keys(&full)[0]] {
            let r = jane
                .post(&app, "/api/v1/registrations", &json!({"key": key}))
                .await;
            assert_eq!(r.status(), 201);
        }
        let _ = plain;

        let by_status = |status| OrderListQuery {
            status: Some(status),
            ..OrderListQuery::default()
        };
        assert_eq!(
            all_numbers(&partner, by_status(OrderStatus::Unregistered)).await,
            ["SO-F-1"]
        );
        assert_eq!(
            all_numbers(&partner, by_status(OrderStatus::PartiallyRegistered)).await,
            ["SO-F-2"]
        );
        assert_eq!(
            all_numbers(&partner, by_status(OrderStatus::Registered)).await,
            ["so-f-3"]
        );
        assert_eq!(
            all_numbers(&partner, by_status(OrderStatus::Cancelled)).await,
            ["SO-F-4"]
        );
        let page = partner
            .list_orders(&by_status(OrderStatus::PartiallyRegistered))
            .await
            .unwrap();
        assert_eq!(
            (page.orders[0].line_count, page.orders[0].registered_count),
            (2, 1)
        );

        let text = |q: &str| OrderListQuery {
            q: Some(q.to_owned()),
            ..OrderListQuery::default()
        };
        assert_eq!(all_numbers(&partner, text("GLOBEX")).await, ["SO-F-1"]);
        assert_eq!(all_numbers(&partner, text("nitec")).await, ["SO-F-2"]);
        assert_eq!(all_numbers(&partner, text("SO-F-3")).await, ["so-f-3"]);
        assert_eq!(all_numbers(&partner, text("f-")).await.len(), 4);
        assert!(
            all_numbers(&partner, text("%")).await.is_empty(),
            "wildcards are literal"
        );

        let after = OrderListQuery {
            created_after: Some(middle),
            ..OrderListQuery::default()
        };
        assert_eq!(all_numbers(&partner, after).await, ["SO-F-4"]);
        let window = OrderListQuery {
            created_after: Some(start),
            created_before: Some(middle),
            r#type: Some(OrderType::New),
            ..OrderListQuery::default()
        };
        assert_eq!(
            all_numbers(&partner, window).await,
            ["so-f-3", "SO-F-2", "SO-F-1"]
        );
        let renewals = OrderListQuery {
            r#type: Some(OrderType::Renewal),
            ..OrderListQuery::default()
        };
        assert!(all_numbers(&partner, renewals).await.is_empty());

        let (other, _) =
            new_partner_client(&app, "Other Partner", &["orders:read", "orders:write"]).await;
        assert!(
            all_numbers(&other, OrderListQuery::default())
                .await
                .is_empty()
        );
        assert!(all_numbers(&other, text("SO-F")).await.is_empty());
        other
            .create_order(
                &legacy_order("SO-F-1", "Other", &["SMEX"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            all_numbers(&other, OrderListQuery::default()).await,
            ["SO-F-1"]
        );
        assert_eq!(
            all_numbers(&partner, OrderListQuery::default()).await.len(),
            4
        );
    })
    .await;
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_field() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("limit=ten", "limit"),
            ("cursor=bm90LWEtY3Vyc29y", "cursor"),
            ("status=lost", "status"),
            ("type=old", "type"),
            ("created_after=yesterday", "created_after"),
        ] {
            let mut url = partner.url(&["partner", "orders"]).unwrap();
            url.set_query(Some(query));
            let (status, code, body) =
                problem(raw_get(&app, &partner, url, "application/json").await).await;
            assert_eq!(
                (status, code.as_str()),
                (400, "bad_request"),
                "{query}: {body}"
            );
            assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
        }
        let page = partner
            .list_orders(&OrderListQuery {
                limit: Some(100),
                ..OrderListQuery::default()
            })
            .await
            .unwrap();
        assert!(page.orders.is_empty() && page.next_cursor.is_none());
    })
    .await;
}

#[tokio::test]
async fn csv_streams_every_matching_order_and_parses_back() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        // More than one page of the export (500 orders a page), inserted directly.
        let partner_id = partner_support::bootstrap_partner_id(&app).await;
        bulk_orders(&app, partner_id, 520).await;
        partner
            .create_order(
                &legacy_order("SO-CSV", "Comma, \"Quote\" & Co", &["SMEX"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();
        let url = partner.orders_url(&OrderListQuery::default()).unwrap();
        let response = raw_get(&app, &partner, url, "text/csv").await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = response.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, ORDERS_CSV_HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 521);
        assert_eq!(&rows[0][0], "SO-CSV");
        assert_eq!(&rows[0][3], "Comma, \"Quote\" & Co");
        assert_eq!(&rows[0][7], "unregistered");
        let numbers: HashSet<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        assert_eq!(numbers.len(), 521);

        // The same filters as the JSON listing.
        let mut url = partner
            .orders_url(&OrderListQuery {
                q: Some("comma".into()),
                ..OrderListQuery::default()
            })
            .unwrap();
        url.set_query(Some(&format!("{}&limit=1", url.query().unwrap())));
        let text = raw_get(&app, &partner, url, "text/csv")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            csv::Reader::from_reader(text.as_bytes()).records().count(),
            1
        );
    })
    .await;
}

/// Inserts `count` one-line orders of the partner in one statement each for orders and lines.
async fn bulk_orders(app: &TestApp, partner_id: i64, count: usize) {
    let now = Utc::now();
    let mut stmt = sea_orm::sea_query::Query::insert();
    stmt.into_table(sea_orm::sea_query::Alias::new("orders"))
        .columns(
            [
                "partner_id",
                "order_number",
                "order_type",
                "purchase_date",
                "company",
                "contact_name",
                "contact_email",
                "country",
                "created_at",
                "status",
            ]
            .map(sea_orm::sea_query::Alias::new),
        );
    for i in 0..count {
        stmt.values_panic([
            partner_id.into(),
            format!("SO-BULK-{i:04}").into(),
            "new".into(),
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().into(),
            "Bulk Buyer".into(),
            "Bea Bulk".into(),
            "bea@bulk.example".into(),
            "US".into(),
            (now - chrono::Duration::seconds(i64::try_from(count - i).unwrap())).into(),
            "unregistered".into(),
        ]);
    }
    app.db.execute(&stmt).await.unwrap();
}

#[tokio::test]
async fn cancel_is_idempotent_refused_in_use_and_its_keys_answer_410() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        partner
            .create_webhook(
                &clp_api_types::CreateWebhookRequest {
                    url: "http://127.0.0.1:9/hooks".into(),
                    events: vec![clp_api_types::WebhookEvent::OrderCancelled],
                },
                None,
            )
            .await
            .unwrap();
        let account_based = partner
            .create_order(&sample_order("SO-C-1"), None)
            .await
            .unwrap();
        let legacy = partner
            .create_order(
                &legacy_order("SO-C-2", "Acme", &["SMEX", "DDI"], "2027-03-31"),
                None,
            )
            .await
            .unwrap();

        let first = partner
            .cancel_order("SO-C-1", " ordered by mistake ", None)
            .await
            .unwrap();
        assert_eq!(first.status, OrderStatus::Cancelled);
        assert_eq!(first.cancel_reason.as_deref(), Some("ordered by mistake"));
        let again = partner
            .cancel_order("SO-C-1", "another reason", None)
            .await
            .unwrap();
        assert_eq!(again.cancelled_at, first.cancelled_at);
        assert_eq!(again.cancel_reason, first.cancel_reason);
        assert_eq!(
            partner.get_order("SO-C-1").await.unwrap().status,
            OrderStatus::Cancelled
        );
        let hooks = app
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT payload FROM outbox WHERE kind = 'webhook'",
            ))
            .await
            .unwrap();
        assert_eq!(hooks.len(), 1, "one order.cancelled, not two");
        let payload: String = hooks[0].try_get("", "payload").unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["type"], "order.cancelled");
        assert_eq!(payload["data"]["order_number"], "SO-C-1");

        let key = &keys(&account_based)[0];
        let jane = customer(&app, "jane@acme.example").await;
        for (path, body) in [
            ("/api/v1/preview", json!({"key": key})),
            ("/api/v1/activations", json!({"key": key})),
            ("/api/v1/registrations", json!({"key": key})),
        ] {
            let (status, code, _) = problem(jane.post(&app, path, &body).await).await;
            assert_eq!((status, code.as_str()), (410, "order_cancelled"), "{path}");
        }

        // A registered line: in use.
        let legacy_keys = keys(&legacy);
        let r = jane
            .post(
                &app,
                "/api/v1/registrations",
                &json!({"key": legacy_keys[0]}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let refused = partner
            .cancel_order("SO-C-2", "too late", None)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("order_in_use"), "{refused}");
        // A pending activation: in use.
        partner
            .create_order(&sample_order("SO-C-3"), None)
            .await
            .unwrap();
        let pending = partner.get_order("SO-C-3").await.unwrap();
        let _ = pending;
        let third = partner
            .create_order(&sample_order("SO-C-4"), None)
            .await
            .unwrap();
        let r = jane
            .post(
                &app,
                "/api/v1/activations",
                &json!({"key": keys(&third)[0]}),
            )
            .await;
        assert_eq!(r.status(), 202);
        let refused = partner
            .cancel_order("SO-C-4", "too late", None)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("order_in_use"), "{refused}");
        let missing = partner
            .cancel_order("SO-NONE", "x", None)
            .await
            .unwrap_err();
        assert!(missing.to_string().contains("not_found"), "{missing}");
        let empty = partner
            .cancel_order("SO-C-3", "  ", None)
            .await
            .unwrap_err();
        assert!(empty.to_string().contains("validation_failed"), "{empty}");
    })
    .await;
}

#[tokio::test]
async fn cancel_racing_an_activation_request_has_exactly_one_winner() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        let mut cancelled_wins = 0;
        let mut activation_wins = 0;
        for round in 0..10 {
            let number = format!("SO-RACE-{round}");
            let order = partner
                .create_order(&sample_order(&number), None)
                .await
                .unwrap();
            let jane = customer(&app, &format!("racer{round}@acme.example")).await;
            let key = keys(&order)[0].clone();
            let body = json!({"key": key});
            let (cancel, activation) = tokio::join!(
                partner.cancel_order(&number, "race", None),
                jane.post(&app, "/api/v1/activations", &body),
            );
            match (cancel, activation.status().as_u16()) {
                (Ok(order), 410) => {
                    assert_eq!(order.status, OrderStatus::Cancelled);
                    cancelled_wins += 1;
                }
                (Err(e), 202) => {
                    assert!(e.to_string().contains("order_in_use"), "{e}");
                    activation_wins += 1;
                }
                (cancel, status) => {
                    panic!("round {round}: both or neither won: {cancel:?}, {status}")
                }
            }
            let pending = app
                .db
                .query_all_raw(sea_orm::Statement::from_string(
                    app.db.get_database_backend(),
                    format!(
                        "SELECT p.id FROM pending_activations p JOIN orders o ON o.id = p.order_id \
                         WHERE o.order_number = '{number}' AND o.status = 'cancelled'"
                    ),
                ))
                .await
                .unwrap();
            assert!(
                pending.is_empty(),
                "a cancelled order with a pending activation"
            );
        }
        assert_eq!(cancelled_wins + activation_wins, 10);
    })
    .await;
}

#[tokio::test]
async fn products_carry_status_and_days_left_and_export_as_csv() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let partner = bootstrap_client(&app).await;
        let today = Utc::now().date_naive();
        let day = |offset: i64| {
            if offset < 0 {
                today
                    .checked_sub_days(Days::new(offset.unsigned_abs()))
                    .unwrap()
            } else {
                today
                    .checked_add_days(Days::new(offset.unsigned_abs()))
                    .unwrap()
            }
            .to_string()
        };
        let jane = customer(&app, "jane@initech.example").await;
        for (number, sku, end) in [
            ("SO-P-1", "SMEX", day(200)),
            ("SO-P-2", "DDI", day(60)),
            ("SO-P-3", "WFBSS", day(-3)),
        ] {
            let order = partner
                .create_order(&legacy_order(number, "Initech", &[sku], &end), None)
                .await
                .unwrap();
            let r = jane
                .post(
                    &app,
                    "/api/v1/registrations",
                    &json!({"key": keys(&order)[0]}),
                )
                .await;
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        }
        let products: Value = jane
            .get(&app, "/api/v1/me/products")
            .await
            .json()
            .await
            .unwrap();
        let status_of = |number: &str| {
            let p = products["products"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["order_number"] == number)
                .unwrap()
                .clone();
            (
                p["status"].as_str().unwrap().to_owned(),
                p["days_left"].as_i64().unwrap(),
            )
        };
        assert_eq!(status_of("SO-P-1"), ("active".to_owned(), 200));
        assert_eq!(status_of("SO-P-2"), ("expiring".to_owned(), 60));
        assert_eq!(status_of("SO-P-3"), ("expired".to_owned(), -3));

        let response = reqwest::Client::new()
            .get(app.url("/api/v1/me/products"))
            .bearer_auth(&jane.token)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = response.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, PRODUCTS_CSV_HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        let expiring = rows.iter().find(|r| &r[9] == "SO-P-2").unwrap();
        assert_eq!((&expiring[6], &expiring[7]), ("expiring", "60"));
        assert!(expiring[8].starts_with("DI-") || !expiring[8].is_empty());
    })
    .await;
}
