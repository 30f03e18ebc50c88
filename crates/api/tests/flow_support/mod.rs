//! Support of the activation and registration tests: orders inserted on the test's database,
//! customers signed up and signed in over HTTP, the emails queued in the outbox, and the
//! tokens of the links in the emails delivered.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]
#![expect(
    clippy::expect_used,
    reason = "test support: a failed setup fails the test"
)]

use chrono::{NaiveDate, Utc};
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::partners::{self, NewPartner};
use clp_domain::catalog::Catalog;
use clp_domain::order::{EndCustomer, Order, OrderType, SuiteComponent};
use clp_domain::{ActivationCode, RegistrationKey};
use sea_orm::ConnectionTrait as _;
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Order as SortOrder, Query};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::common::TestApp;

/// The password of every test customer.
pub const PASSWORD: &str = "correct horse battery staple";

/// A date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A line of a test order.
#[derive(Debug, Clone)]
pub struct LineSpec {
    /// SKU.
    pub sku: &'static str,
    /// Retained ACs of suite components: `(component sku, code)`.
    pub retained: Vec<(&'static str, String)>,
    /// The AC a renewal line renews.
    pub renews: Option<String>,
    /// Term end.
    pub term_end: NaiveDate,
}

/// A plain line of `sku` ending 2027-03-31.
pub fn line(sku: &'static str) -> LineSpec {
    LineSpec {
        sku,
        retained: Vec::new(),
        renews: None,
        term_end: date(2027, 3, 31),
    }
}

/// Creates a partner on the test's database and returns its id.
pub async fn partner(app: &TestApp) -> i64 {
    partners::create(
        &app.db,
        &NewPartner {
            name: "Channel Partner".into(),
            client_id: format!("partner-{}", uuid::Uuid::new_v4().simple()),
            client_secret_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            scopes: vec!["orders:write".into(), "orders:read".into()],
        },
        Utc::now(),
    )
    .await
    .expect("create a partner")
    .id
}

/// Inserts an order of a new partner with the given lines (keys generated with the product
/// prefixes; end customer Acme Corporation, jane.doe@acme.example, `country`).
pub async fn order_in(
    app: &TestApp,
    order_type: OrderType,
    country: &str,
    specs: &[LineSpec],
) -> Order {
    let catalog = Catalog::seeded();
    let partner_id = partner(app).await;
    let lines: Vec<NewLine> = {
        let mut rng = rand::rng();
        specs
            .iter()
            .map(|spec| {
                let product = catalog.get(spec.sku).expect("known SKU");
                let components = if spec.retained.is_empty() {
                    Vec::new()
                } else {
                    product
                        .components
                        .iter()
                        .map(|sku| SuiteComponent {
                            sku: sku.clone(),
                            retained_ac: spec
                                .retained
                                .iter()
                                .find(|(s, _)| s == sku)
                                .map(|(_, code)| ActivationCode::parse(code).expect("an AC")),
                        })
                        .collect()
                };
                NewLine {
                    sku: spec.sku.to_owned(),
                    seats: 25,
                    term_start: date(2026, 4, 1),
                    term_end: spec.term_end,
                    registration_key: RegistrationKey::generate(&product.key_prefix, &mut rng)
                        .expect("generate a key"),
                    components,
                    renews_ac: spec
                        .renews
                        .as_deref()
                        .map(|code| ActivationCode::parse(code).expect("an AC")),
                }
            })
            .collect()
    };
    orders::insert_order(
        &app.db,
        &NewOrder {
            partner_id,
            order_number: format!("SO-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
            order_type,
            purchase_date: date(2026, 3, 20),
            end_customer: EndCustomer {
                company: "Acme Corporation".into(),
                contact_name: "Jane Doe".into(),
                contact_email: "jane.doe@acme.example".into(),
                country: country.into(),
            },
            lines,
        },
        Utc::now(),
    )
    .await
    .expect("insert an order")
}

/// [`order_in`] for a US customer.
pub async fn order(app: &TestApp, order_type: OrderType, specs: &[LineSpec]) -> Order {
    order_in(app, order_type, "US", specs).await
}

/// The registration key of line `index` (0-based), as a customer would type it.
pub fn key(order: &Order, index: usize) -> String {
    order.lines[index].registration_key.as_str().to_owned()
}

/// Marks a line registered to nobody in particular (an account created for it), as if it had
/// been registered earlier.
pub async fn mark_registered(app: &TestApp, line_id: i64, account_id: i64) {
    app.db
        .execute(
            &Query::update()
                .table(Alias::new("order_lines"))
                .value(Alias::new("registered_account_id"), account_id)
                .value(Alias::new("registered_at"), Utc::now())
                .and_where(Expr::col(Alias::new("id")).eq(line_id))
                .to_owned(),
        )
        .await
        .expect("mark a line registered");
}

/// Sets when an activation code was registered (`activation_codes.created_at`), as if it had
/// been registered then: the cross-grade rule compares it with the order's purchase date.
pub async fn backdate_code(app: &TestApp, code: &str, registered_at: chrono::DateTime<Utc>) {
    app.db
        .execute(
            &Query::update()
                .table(Alias::new("activation_codes"))
                .value(Alias::new("created_at"), registered_at)
                .and_where(Expr::col(Alias::new("code")).eq(code))
                .to_owned(),
        )
        .await
        .expect("backdate an activation code");
}

/// A signed-in customer: an account created over HTTP and its bearer token.
#[derive(Debug, Clone)]
pub struct Customer {
    /// Account id.
    pub account_id: i64,
    /// Email.
    pub email: String,
    /// Session token.
    pub token: String,
}

/// Signs up (simplified form) and signs in a customer with `email`.
pub async fn customer(app: &TestApp, email: &str) -> Customer {
    let created = app
        .post_json(
            "/api/v1/accounts",
            &json!({"email": email, "password": PASSWORD, "full_name": "Test Customer"}),
        )
        .await;
    assert_eq!(created.status(), 201, "sign-up of {email}");
    sign_in(app, email).await
}

/// Like [`customer`], with the email verified through the sign-up's link (only verified
/// accounts show in hints or keep their address against a new sign-up).
pub async fn verified_customer(app: &TestApp, email: &str) -> Customer {
    let customer = customer(app, email).await;
    let token = email_verification_token(app, email).await;
    let response = anonymous_post(
        app,
        "/api/v1/accounts/verify-email",
        &json!({"token": token}),
    )
    .await;
    assert_eq!(response.status(), 200, "verification of {email}");
    customer
}

/// The `failed_logins` counter of the account of `email`.
pub async fn failed_logins(app: &TestApp, email: &str) -> i64 {
    let row = app
        .db
        .query_one(
            &Query::select()
                .column(Alias::new("failed_logins"))
                .from(Alias::new("accounts"))
                .and_where(Expr::col(Alias::new("email")).eq(email))
                .to_owned(),
        )
        .await
        .expect("read the account")
        .expect("the account exists");
    let failed: i32 = row.try_get("", "failed_logins").expect("failed_logins");
    i64::from(failed)
}

/// Signs in an existing account.
pub async fn sign_in(app: &TestApp, email: &str) -> Customer {
    let client = reqwest::Client::new();
    let response = client
        .post(app.url("/api/v1/session"))
        .json(&json!({"login": email, "password": PASSWORD}))
        .send()
        .await
        .expect("POST /session");
    assert_eq!(response.status(), 200, "sign-in of {email}");
    let body: Value = response.json().await.expect("session body");
    Customer {
        account_id: body["account"]["account_id"].as_i64().expect("account id"),
        email: email.to_owned(),
        token: body["token"].as_str().expect("token").to_owned(),
    }
}

impl Customer {
    /// `POST path` with a JSON body, signed in.
    pub async fn post(&self, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(app.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("POST failed")
    }

    /// `GET path`, signed in.
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET failed")
    }
}

/// A POST without any session.
pub async fn anonymous_post(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .expect("POST failed")
}

/// Every email payload in the outbox, oldest first.
pub async fn emails(app: &TestApp) -> Vec<Value> {
    let rows = app
        .db
        .query_all(
            &Query::select()
                .column(Alias::new("payload"))
                .from(Alias::new("outbox"))
                .and_where(Expr::col(Alias::new("kind")).eq("email"))
                .order_by(Alias::new("id"), SortOrder::Asc)
                .to_owned(),
        )
        .await
        .expect("read the outbox");
    rows.iter()
        .map(|row| {
            let text: String = row.try_get("", "payload").expect("payload");
            serde_json::from_str(&text).expect("JSON payload")
        })
        .collect()
}

/// The stored payload of the only `template` email, once the outbox worker has marked it sent
/// (just after delivering it): polls for up to 10 seconds.
pub async fn sent_email_payload(app: &TestApp, template: &str) -> Value {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let rows = app
            .db
            .query_all(
                &Query::select()
                    .columns([Alias::new("payload"), Alias::new("status")])
                    .from(Alias::new("outbox"))
                    .and_where(Expr::col(Alias::new("kind")).eq("email"))
                    .to_owned(),
            )
            .await
            .expect("read the outbox");
        let found: Vec<(Value, String)> = rows
            .iter()
            .map(|row| {
                let payload: String = row.try_get("", "payload").expect("payload");
                let status: String = row.try_get("", "status").expect("status");
                (
                    serde_json::from_str::<Value>(&payload).expect("JSON payload"),
                    status,
                )
            })
            .filter(|(payload, _)| payload["template"] == template)
            .collect();
        assert_eq!(found.len(), 1, "one {template} email");
        if found[0].1 == "sent" {
            return found[0].0.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the {template} email is still {}",
            found[0].1
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The token of the latest verification email (account-based activation) sent to `email`.
pub async fn verification_token(app: &TestApp, email: &str) -> String {
    latest_link_token(
        app,
        email,
        "verification",
        "/activate/verify",
        "pending_activations",
    )
    .await
}

/// The token of the latest email-verification email (plain sign-up) sent to `email`.
pub async fn email_verification_token(app: &TestApp, email: &str) -> String {
    latest_link_token(
        app,
        email,
        "email_verification",
        "/verify-email",
        "email_verifications",
    )
    .await
}

/// The token of the link `{path}?token=` of the latest `template` email to `email`, read from
/// the delivered mail: the outbox drops the token once the mail is sent, and reading it from
/// the outbox would race with the worker.
///
/// Waits until every such email queued so far is delivered, then picks the token whose hash is
/// the one of the account's newest row of `table` (mails written in the same instant have no
/// order of their own).
async fn latest_link_token(
    app: &TestApp,
    email: &str,
    template: &str,
    path: &str,
    table: &str,
) -> String {
    let queued = emails(app)
        .await
        .iter()
        .filter(|mail| mail["template"] == template && mail["to"] == email)
        .count();
    assert!(queued > 0, "no {template} email to {email} was queued");
    let tokens = app.link_tokens(email, path, queued).await;
    let row = app
        .db
        .query_one(
            &Query::select()
                .column((Alias::new(table), Alias::new("token_hash")))
                .from(Alias::new(table))
                .inner_join(
                    Alias::new("accounts"),
                    Expr::col((Alias::new("accounts"), Alias::new("id")))
                        .equals((Alias::new(table), Alias::new("account_id"))),
                )
                .and_where(Expr::col((Alias::new("accounts"), Alias::new("email"))).eq(email))
                .order_by((Alias::new(table), Alias::new("id")), SortOrder::Desc)
                .limit(1)
                .to_owned(),
        )
        .await
        .expect("read the token hashes")
        .unwrap_or_else(|| panic!("no {table} row for {email}"));
    let hash: String = row.try_get("", "token_hash").expect("token_hash");
    tokens
        .into_iter()
        .find(|token| hex::encode(Sha256::digest(token.as_bytes())) == hash)
        .unwrap_or_else(|| panic!("no delivered {template} email to {email} has the newest token"))
}

/// The body of a response as JSON.
pub async fn json_body(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// The status and problem `code` of an error response, and its body text.
pub async fn problem(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("a problem body");
    assert_eq!(content_type, "application/problem+json", "{body}");
    let code = body["code"].as_str().unwrap_or_default().to_owned();
    (status, code, body)
}

/// Signs in `customer`, requests the activation of the order of `key` and follows the link:
/// the verify response.
pub async fn activate(app: &TestApp, customer: &Customer, key: &str) -> Value {
    let requested = customer
        .post(app, "/api/v1/activations", &json!({"key": key}))
        .await;
    assert_eq!(
        requested.status(),
        202,
        "{}",
        requested.text().await.unwrap_or_default()
    );
    let token = verification_token(app, &customer.email).await;
    let verified =
        anonymous_post(app, "/api/v1/activations/verify", &json!({"token": token})).await;
    assert_eq!(
        verified.status(),
        200,
        "{}",
        verified.text().await.unwrap_or_default()
    );
    json_body(verified).await
}

/// Registers the line of `key` (legacy flow) for `customer`: the response body.
pub async fn register(app: &TestApp, customer: &Customer, key: &str) -> Value {
    let response = customer
        .post(app, "/api/v1/registrations", &json!({"key": key}))
        .await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    json_body(response).await
}
