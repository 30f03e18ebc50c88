//! Races, on SQLite and on PostgreSQL: many requests contend for one line, one order, one
//! email address or one order number at the same instant, over real HTTP to the real server.
//! Exactly one wins; nothing is ever registered twice.
//!
//! Racing idempotent order creation (ten identical requests with one `Idempotency-Key` create
//! one order) is `partner_orders::ten_concurrent_identical_requests_create_one_order`; here the
//! same order number is raced without a key.
//!
//! Each test prints `races run: N, double registrations: D` (D must be 0).

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod flow_support;
mod partner_support;
mod reliability_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clp_api::config::Secret;
use clp_api_types::{CreateOrderLine, CreateOrderRequest, EndCustomer, LineStatus, OrderType};
use common::{TestApp, TestDb, for_each_db};
use flow_support::{customer, emails, verification_token};
use partner_support::{bootstrap_client, spawn_partner_app_with};
use reliability_support::{
    JWT_SECRET, activation_statuses, count, customer_token, insert_account, order_id, order_state,
    tally,
};
use serde_json::{Value, json};
use tokio::sync::Barrier;

/// Rounds of each race per database.
const ROUNDS: usize = 3;
/// Contenders per race.
const CONTENDERS: usize = 20;

/// The partner app, with the JWT secret of the support module (so tokens can be minted).
async fn spawn(db: TestDb) -> TestApp {
    spawn_partner_app_with(db, |c| c.jwt_secret = Secret::new(JWT_SECRET)).await
}

fn order_line(sku: &str) -> CreateOrderLine {
    CreateOrderLine {
        sku: sku.to_owned(),
        seats: 25,
        term_start: "2026-04-01".parse().unwrap(),
        term_end: "2027-03-31".parse().unwrap(),
        components: None,
        renews_ac: None,
    }
}

fn order_request(number: &str, skus: &[&str]) -> CreateOrderRequest {
    CreateOrderRequest {
        order_number: number.to_owned(),
        r#type: OrderType::New,
        purchase_date: "2026-03-20".parse().unwrap(),
        end_customer: EndCustomer {
            company: "Race Condition GmbH".to_owned(),
            contact_name: "Rae Condition".to_owned(),
            contact_email: "rae@race.example".to_owned(),
            country: "DE".to_owned(),
        },
        lines: skus.iter().map(|s| order_line(s)).collect(),
    }
}

/// A POST from its own connection, released with the other contenders by `barrier`; the
/// status and the body.
async fn contend(
    barrier: Arc<Barrier>,
    url: String,
    token: Option<String>,
    body: Value,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    barrier.wait().await;
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Runs every contender at once; returns the outcomes in order.
async fn race(contenders: Vec<(String, Option<String>, Value)>) -> Vec<(u16, Value)> {
    let barrier = Arc::new(Barrier::new(contenders.len()));
    let tasks: Vec<_> = contenders
        .into_iter()
        .map(|(url, token, body)| tokio::spawn(contend(Arc::clone(&barrier), url, token, body)))
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

fn report(name: &str, races: usize, doubles: usize) {
    println!("{name}: races run: {races}, double registrations: {doubles}");
}

static VERIFY_RACES: AtomicUsize = AtomicUsize::new(0);

#[tokio::test]
async fn twenty_concurrent_verifications_of_two_pending_activations_register_every_line_exactly_once()
 {
    for_each_db(|db| async move {
        let app = spawn(db).await;
        let partner = bootstrap_client(&app).await;
        let mut doubles = 0;
        for round in 0..ROUNDS {
            let number = format!("SO-RACE-V{round}");
            let created = partner
                .create_order(&order_request(&number, &["XDR-CAS", "XDR-DDI", "CUP"]), None)
                .await
                .unwrap();
            let keys: Vec<String> = created
                .lines
                .iter()
                .map(|l| l.registration_key.clone().unwrap())
                .collect();
            let alice = customer(&app, &format!("alice{round}@race.example")).await;
            let bob = customer(&app, &format!("bob{round}@other.example")).await;
            // Two pending activations of the one order, into two accounts.
            for (who, key) in [(&alice, &keys[0]), (&bob, &keys[2])] {
                let response = who
                    .post(&app, "/api/v1/activations", &json!({ "key": key }))
                    .await;
                assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
            }
            let tokens = [
                verification_token(&app, &alice.email).await,
                verification_token(&app, &bob.email).await,
            ];

            let outcomes = race(
                (0..CONTENDERS)
                    .map(|i| {
                        (
                            app.url("/api/v1/activations/verify"),
                            None,
                            json!({ "token": tokens[i % 2] }),
                        )
                    })
                    .collect(),
            )
            .await;
            let statuses: Vec<u16> = outcomes.iter().map(|(s, _)| *s).collect();
            let winners: Vec<&Value> = outcomes
                .iter()
                .filter(|(s, _)| *s == 200)
                .map(|(_, b)| b)
                .collect();
            for (status, body) in &outcomes {
                match *status {
                    200 => {}
                    409 => assert!(
                        ["nothing_to_activate", "already_registered", "conflict"]
                            .contains(&body["code"].as_str().unwrap_or_default()),
                        "{body}"
                    ),
                    other => panic!("round {round}: unexpected {other}: {body}"),
                }
            }
            doubles += winners.len().saturating_sub(1);
            assert_eq!(winners.len(), 1, "round {round}: {:?}", tally(&statuses));
            let codes: usize = winners[0]["registered_lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["activation_codes"].as_array().unwrap().len())
                .sum();
            assert_eq!(codes, 1 + 1 + 4, "XDR-CAS, XDR-DDI and the 4 CUP components");

            // The database: every line once, to one account; 6 codes; 1 SaaS instance.
            let id = order_id(&app.db, &number).await;
            let state = order_state(&app.db, id).await;
            doubles += usize::try_from((state.codes - 6).max(0) + (state.saas - 1).max(0)).unwrap();
            assert_eq!(
                (state.lines, state.registered, state.accounts, state.codes, state.saas),
                (3, 3, 1, 6, 1),
                "round {round}: {state:?}"
            );
            let statuses = activation_statuses(&app.db, id).await;
            assert_eq!(statuses.get("completed"), Some(&1), "{statuses:?}");
            assert_eq!(statuses.get("failed"), Some(&1), "{statuses:?}");
            // The partner sees every line registered.
            let read = partner.get_order(&number).await.unwrap();
            assert!(
                read.lines.iter().all(|l| l.status == LineStatus::Registered
                    && l.registered_at.is_some()),
                "{read:?}"
            );
            // One confirmation email, one `order.activated` in the audit trail.
            let confirmations = emails(&app)
                .await
                .into_iter()
                .filter(|m| {
                    m["template"] == "activation_confirmation"
                        && m["data"]["order_number"] == number.as_str()
                })
                .count();
            assert_eq!(confirmations, 1, "round {round}");
            let verified = count(
                &app.db,
                "SELECT COUNT(*) AS n FROM audit_events WHERE order_id = ? AND kind = 'activation.verified'",
                &[id],
            )
            .await;
            assert_eq!(verified, 1, "round {round}");
            VERIFY_RACES.fetch_add(1, Ordering::SeqCst);
        }
        assert_eq!(doubles, 0);
    })
    .await;
    let races = VERIFY_RACES.load(Ordering::SeqCst);
    report("concurrent verifications", races, 0);
    assert_eq!(races, ROUNDS * common::selected_databases().len());
}

static LEGACY_RACES: AtomicUsize = AtomicUsize::new(0);

#[tokio::test]
async fn twenty_concurrent_legacy_registrations_of_one_key_by_different_accounts_register_it_once()
{
    for_each_db(|db| async move {
        let app = spawn(db).await;
        let partner = bootstrap_client(&app).await;
        let mut tokens = Vec::new();
        for i in 0..CONTENDERS {
            let id = insert_account(&app.db, &format!("legacy{i}@race{i}.example")).await;
            tokens.push((id, customer_token(id)));
        }
        let mut doubles = 0;
        for round in 0..ROUNDS {
            // An AC line and a SaaS line, each raced by all twenty accounts at once.
            let number = format!("SO-RACE-L{round}");
            let created = partner
                .create_order(&order_request(&number, &["SMEX", "WFBSS"]), None)
                .await
                .unwrap();
            let mut contenders = Vec::new();
            for line in &created.lines {
                let key = line.registration_key.clone().unwrap();
                for (_, token) in &tokens {
                    contenders.push((
                        app.url("/api/v1/registrations"),
                        Some(token.clone()),
                        json!({ "key": key }),
                    ));
                }
            }
            let outcomes = race(contenders).await;
            for (line_index, chunk) in outcomes.chunks(CONTENDERS).enumerate() {
                let statuses: Vec<u16> = chunk.iter().map(|(s, _)| *s).collect();
                let wins = statuses.iter().filter(|s| **s == 201).count();
                doubles += wins.saturating_sub(1);
                assert_eq!(
                    wins,
                    1,
                    "round {round} line {line_index}: {:?}",
                    tally(&statuses)
                );
                for (status, body) in chunk {
                    if *status != 201 {
                        assert_eq!(*status, 409, "{body}");
                        // An account that won the SaaS line of an earlier round already
                        // holds the service: `saas_conflict` for it, instead.
                        assert!(
                            body["code"] == "already_registered"
                                || (line_index == 1 && body["code"] == "saas_conflict"),
                            "{body}"
                        );
                    }
                }
            }
            let id = order_id(&app.db, &number).await;
            let state = order_state(&app.db, id).await;
            doubles += usize::try_from((state.codes - 2).max(0) + (state.saas - 1).max(0)).unwrap();
            assert_eq!(
                (state.lines, state.registered, state.codes, state.saas),
                (2, 2, 2, 1),
                "round {round}: {state:?}"
            );
            let notices = emails(&app)
                .await
                .into_iter()
                .filter(|m| {
                    m["template"] == "registration_notice"
                        && m["data"]["order_number"] == number.as_str()
                })
                .count();
            assert_eq!(notices, 2, "one notice per registered line, round {round}");
            LEGACY_RACES.fetch_add(2, Ordering::SeqCst);
        }
        assert_eq!(doubles, 0);
    })
    .await;
    let races = LEGACY_RACES.load(Ordering::SeqCst);
    report("concurrent legacy registrations", races, 0);
    assert_eq!(races, 2 * ROUNDS * common::selected_databases().len());
}

static SIGNUP_RACES: AtomicUsize = AtomicUsize::new(0);

#[tokio::test]
async fn twenty_concurrent_sign_ups_with_one_email_leave_exactly_one_account() {
    for_each_db(|db| async move {
        let app = spawn(db).await;
        // The same address, as twenty people might type it (case and spaces differ).
        let contenders = (0..CONTENDERS)
            .map(|i| {
                let email = match i % 3 {
                    0 => "Sam.Same@Race.example".to_owned(),
                    1 => " sam.same@race.example".to_owned(),
                    _ => "SAM.SAME@RACE.EXAMPLE ".to_owned(),
                };
                (
                    app.url("/api/v1/accounts"),
                    None,
                    json!({
                        "email": email,
                        "password": "correct horse battery staple",
                        "full_name": format!("Sam {i}"),
                    }),
                )
            })
            .collect();
        let outcomes = race(contenders).await;
        let statuses: Vec<u16> = outcomes.iter().map(|(s, _)| *s).collect();
        // An unverified account holding nothing is replaced by a later sign-up with its
        // address, so several may succeed one after the other; concurrent ones that lose the
        // unique index get 409. Whatever the interleaving, one account has the address.
        assert!(statuses.contains(&201), "{:?}", tally(&statuses));
        for (status, body) in &outcomes {
            if *status != 201 {
                assert_eq!(*status, 409, "{body}");
                assert_eq!(body["code"], "account_exists", "{body}");
            }
        }
        let accounts = count(
            &app.db,
            "SELECT COUNT(*) AS n FROM accounts WHERE email LIKE '%race.example' AND id > ?",
            &[0],
        )
        .await;
        assert_eq!(accounts, 1);
        SIGNUP_RACES.fetch_add(1, Ordering::SeqCst);
    })
    .await;
    let races = SIGNUP_RACES.load(Ordering::SeqCst);
    report("concurrent sign-ups", races, 0);
    assert_eq!(races, common::selected_databases().len());
}

static ORDER_RACES: AtomicUsize = AtomicUsize::new(0);

#[tokio::test]
async fn twenty_concurrent_creations_of_one_order_number_without_idempotency_key_create_one_order()
{
    for_each_db(|db| async move {
        let app = spawn(db).await;
        let partner = bootstrap_client(&app).await;
        let token = partner.token().unwrap().to_owned();
        let body = serde_json::to_value(order_request("SO-RACE-O1", &["DDI", "XDR-EPS"])).unwrap();
        let outcomes = race(
            (0..CONTENDERS)
                .map(|_| {
                    (
                        app.url("/api/v1/partner/orders"),
                        Some(token.clone()),
                        body.clone(),
                    )
                })
                .collect(),
        )
        .await;
        let statuses: Vec<u16> = outcomes.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{:?}",
            tally(&statuses)
        );
        for (status, body) in &outcomes {
            if *status != 201 {
                assert_eq!(
                    (*status, body["code"].as_str()),
                    (409, Some("conflict")),
                    "{body}"
                );
            }
        }
        let id = order_id(&app.db, "SO-RACE-O1").await;
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) AS n FROM order_lines WHERE order_id = ?",
                &[id]
            )
            .await,
            2
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) AS n FROM orders WHERE id >= ?",
                &[0]
            )
            .await,
            1
        );
        ORDER_RACES.fetch_add(1, Ordering::SeqCst);
    })
    .await;
    let races = ORDER_RACES.load(Ordering::SeqCst);
    report("concurrent order creations", races, 0);
    assert_eq!(races, common::selected_databases().len());
}
