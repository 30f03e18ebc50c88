//! Sign-up (simplified and legacy), sign-in and sign-out, and the `/me` routes.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;
mod flow_support;

use chrono::{Duration, Utc};
use clp_db::accounts::{self};
use clp_db::activations::{self, NewPendingActivation};
use clp_db::orders::{self, NewLine, NewOrder};
use clp_db::outbox::{NewMessage, OutboxKind};
use clp_db::partners::{self, NewPartner};
use clp_domain::RegistrationKey;
use clp_domain::account::AccountId;
use clp_domain::order::{EndCustomer, OrderType};
use common::{TestApp, for_each_db, spawn_app, spawn_app_with};
use flow_support::{email_verification_token, emails, sent_email_payload};
use sea_orm::ConnectionTrait as _;
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Query};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";

fn simplified(email: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "full_name": "Jane Doe",
        "company": "Acme Corporation",
        "country": "us",
    })
}

fn legacy(login_id: &str, email: &str) -> Value {
    json!({
        "login_id": login_id,
        "password": PASSWORD,
        "email": email,
        "company": "Acme K.K.",
        "address": "1-2-3 Shinjuku",
        "city": "Shinjuku-ku",
        "state": "Tokyo",
        "postal_code": "160-0022",
        "country": "JP",
        "phone": "+81 3 1234 5678",
        "contact_name": "Taro Yamada",
    })
}

async fn sign_up(app: &TestApp, email: &str) -> Value {
    let response = app.post_json("/api/v1/accounts", &simplified(email)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/session",
        &json!({"login": login, "password": password}),
    )
    .await
}

/// A client without a cookie store, to control exactly what is sent.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

#[tokio::test]
async fn sign_up_creates_an_unverified_simplified_account() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let account = sign_up(&app, "  Jane.Doe@ACME.example ").await;
        assert_eq!(account["email"], "jane.doe@acme.example");
        assert_eq!(account["profile"], "simplified");
        assert_eq!(account["email_verified"], false);
        assert_eq!(account["country"], "US");
        assert_eq!(account["language"], "en");
        assert!(account.get("xdr_region").is_none());
        assert!(account.get("password").is_none() && account.get("password_hash").is_none());
        // The hint columns are filled for the existing-account hints.
        let stored = accounts::find_by_email(&app.db, "JANE.DOE@acme.example")
            .await
            .unwrap()
            .unwrap();
        assert!(stored.password_hash.starts_with("$argon2id$"));
    })
    .await;
}

#[tokio::test]
async fn sign_up_reports_every_invalid_field_in_one_422() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app
            .post_json(
                "/api/v1/accounts",
                &json!({"email": "not-an-email", "password": "short", "full_name": "  ", "country": "USA"}),
            )
            .await;
        assert_eq!(response.status(), 422);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "validation_failed");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["email", "password", "full_name", "country"]);
        assert!(!body.to_string().contains("short"), "the password is never echoed");

        // A missing field is a problem body too.
        let response = app
            .post_json("/api/v1/accounts", &json!({"email": "a@b.example"}))
            .await;
        assert_eq!(response.status(), 422);
    })
    .await;
}

#[tokio::test]
async fn sign_up_with_a_taken_email_is_409_account_exists() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        // Verified, the account keeps its address (an unverified one would be replaced).
        let token = email_verification_token(&app, "jane@acme.example").await;
        let verified = app
            .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
            .await;
        assert_eq!(verified.status(), 200);
        let response = app
            .post_json("/api/v1/accounts", &simplified("JANE@acme.example"))
            .await;
        assert_eq!(response.status(), 409);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "account_exists");
        // The legacy form collides on the email as well.
        let response = app
            .post_json(
                "/api/v1/accounts/legacy",
                &legacy("jane-legacy", "jane@acme.example"),
            )
            .await;
        assert_eq!(response.status(), 409);
    })
    .await;
}

#[tokio::test]
async fn legacy_sign_up_needs_every_field_and_signs_in_by_login_id() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let mut incomplete = legacy("acme-it", "it@acme.example");
        incomplete["address"] = json!("");
        incomplete["login_id"] = json!("x@y");
        let response = app.post_json("/api/v1/accounts/legacy", &incomplete).await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["login_id", "address"]);

        let response = app
            .post_json(
                "/api/v1/accounts/legacy",
                &legacy("Acme-IT", "it@acme.example"),
            )
            .await;
        assert_eq!(response.status(), 201);
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["profile"], "legacy");
        assert_eq!(account["login_id"], "acme-it");
        assert_eq!(account["full_name"], "Taro Yamada");

        let response = app
            .post_json(
                "/api/v1/accounts/legacy",
                &legacy("ACME-it", "other@acme.example"),
            )
            .await;
        assert_eq!(
            response.status(),
            409,
            "login IDs are unique, whatever the case"
        );

        for login in ["acme-it", "ACME-IT", "IT@Acme.Example"] {
            let response = sign_in(&app, login, PASSWORD).await;
            assert_eq!(response.status(), 200, "{login}");
            let session: Value = response.json().await.unwrap();
            assert_eq!(session["account"]["login_id"], "acme-it");
        }
    })
    .await;
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_cookie() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let account = sign_up(&app, "jane@acme.example").await;
        let response = sign_in(&app, "Jane@Acme.example", PASSWORD).await;
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert!(
            cookie.starts_with(&format!("clp_session={token}")),
            "{cookie}"
        );
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["account"], account);
        assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    })
    .await;
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_portal_is_https() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |c| c.public_url = "https://clp.example".into()).await;
        sign_up(&app, "jane@acme.example").await;
        let response = sign_in(&app, "jane@acme.example", PASSWORD).await;
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.contains("Secure"), "{cookie}");
    })
    .await;
}

#[tokio::test]
async fn bearer_and_cookie_both_authenticate() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let response = sign_in(&app, "jane@acme.example", PASSWORD).await;
        let token = response.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let bare = bare_client();

        let anonymous = bare.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let body: Value = anonymous.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized");

        let bearer = bare
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(bearer.status(), 200);
        assert_eq!(
            bearer.json::<Value>().await.unwrap()["email"],
            "jane@acme.example"
        );

        let cookie = bare
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("clp_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(cookie.status(), 200);

        // The harness client kept the cookie from the sign-in.
        assert_eq!(app.get("/api/v1/me").await.status(), 200);

        let forged = bare
            .get(app.url("/api/v1/me"))
            .bearer_auth(format!("{token}x"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
    })
    .await;
}

/// Status, headers and body of an answer; the headers that differ on every response (`date`,
/// `x-request-id`) are left out.
async fn answer(response: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id"))
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (status, headers, response.text().await.unwrap())
}

/// Sets the end of the sign-in lock of `email`'s account (in the past: the lock is over).
async fn set_locked_until(app: &TestApp, email: &str, until: chrono::DateTime<Utc>) {
    app.db
        .execute(
            &Query::update()
                .table(Alias::new("accounts"))
                .value(Alias::new("locked_until"), until)
                .and_where(Expr::col(Alias::new("email")).eq(email))
                .to_owned(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn wrong_password_unknown_account_and_locked_account_give_identical_answers() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let locked = sign_up(&app, "locked@acme.example").await;
        let locked_id = AccountId(locked["account_id"].as_i64().unwrap());
        // Locked for the longest time (15 minutes) by repeated failures.
        for _ in 0..20 {
            accounts::record_failed_sign_in(&app.db, locked_id, Utc::now())
                .await
                .unwrap();
        }
        let wrong = sign_in(&app, "jane@acme.example", "wrong password!!").await;
        let unknown = sign_in(&app, "nobody@acme.example", "wrong password!!").await;
        let unknown_id = sign_in(&app, "nobody", "wrong password!!").await;
        let locked_right = sign_in(&app, "locked@acme.example", PASSWORD).await;
        let locked_wrong = sign_in(&app, "locked@acme.example", "wrong password!!").await;
        let mut answers = Vec::new();
        for response in [wrong, unknown, unknown_id, locked_right, locked_wrong] {
            answers.push(answer(response).await);
        }
        let (status, headers, body) = &answers[0];
        assert_eq!(*status, 401);
        assert!(
            headers
                .iter()
                .all(|(name, _)| name != "set-cookie" && name != "retry-after"),
            "{headers:?}"
        );
        for (i, other) in answers.iter().enumerate().skip(1) {
            assert_eq!(
                other, &answers[0],
                "answer {i} differs from a wrong password's"
            );
        }
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["code"], "invalid_credentials");
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let unknown = answer(sign_in(&app, "nobody@acme.example", "wrong password!!").await).await;
        for attempt in 1..=5 {
            let response = sign_in(&app, "jane@acme.example", "wrong password!!").await;
            assert_eq!(response.status(), 401, "attempt {attempt}");
        }
        let account = accounts::find_by_email(&app.db, "jane@acme.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(account.failed_logins, 5);
        let lock = account.locked_until.unwrap() - Utc::now();
        assert!(
            lock <= Duration::seconds(1),
            "the fifth failure locks for 1 s: {lock}"
        );

        // Locked (kept locked long enough to test it): even the right password gets the
        // answer of an unknown login, and the refusal does not count as a failure.
        set_locked_until(&app, "jane@acme.example", Utc::now() + Duration::minutes(5)).await;
        let response = sign_in(&app, "jane@acme.example", PASSWORD).await;
        assert_eq!(answer(response).await, unknown);
        let account = accounts::find_by_email(&app.db, "jane@acme.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(account.failed_logins, 5);

        // Once the lock is over, a sixth failure locks again, twice as long.
        set_locked_until(&app, "jane@acme.example", Utc::now() - Duration::seconds(1)).await;
        let response = sign_in(&app, "jane@acme.example", "wrong password!!").await;
        assert_eq!(response.status(), 401);
        let locked = accounts::find_by_email(&app.db, "jane@acme.example")
            .await
            .unwrap()
            .unwrap();
        let lock = locked.locked_until.unwrap() - Utc::now();
        assert!(
            lock > Duration::milliseconds(1000) && lock <= Duration::seconds(2),
            "{lock}"
        );

        // After the lock, the right password signs in and resets the count.
        set_locked_until(&app, "jane@acme.example", Utc::now() - Duration::seconds(1)).await;
        let response = sign_in(&app, "jane@acme.example", PASSWORD).await;
        assert_eq!(response.status(), 200);
        let account = accounts::find_by_email(&app.db, "jane@acme.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(account.failed_logins, 0);
        assert!(account.locked_until.is_none());
    })
    .await;
}

#[tokio::test]
async fn sign_out_clears_the_cookie() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        assert_eq!(
            sign_in(&app, "jane@acme.example", PASSWORD).await.status(),
            200
        );
        assert_eq!(app.get("/api/v1/me").await.status(), 200);

        let response = app
            .client
            .delete(app.url("/api/v1/session"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("clp_session=;"), "{cookie}");
        assert!(cookie.contains("Max-Age=0"), "{cookie}");
        assert_eq!(app.get("/api/v1/me").await.status(), 401);
    })
    .await;
}

/// Inserts an order of `skus` (one line each, 10 seats, term around today) for a new partner.
async fn insert_order(
    app: &TestApp,
    number: &str,
    order_type: OrderType,
    skus: &[&str],
) -> (clp_domain::order::Order, Vec<RegistrationKey>) {
    let catalog = clp_db::catalog::load_catalog(&app.db).await.unwrap();
    let partner = match partners::find_by_client_id(&app.db, "test-partner")
        .await
        .unwrap()
    {
        Some(p) => p,
        None => partners::create(
            &app.db,
            &NewPartner {
                name: "Test partner".into(),
                client_id: "test-partner".into(),
                client_secret_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
                scopes: vec!["orders:write".into()],
            },
            Utc::now(),
        )
        .await
        .unwrap(),
    };
    let today = Utc::now().date_naive();
    let mut keys = Vec::new();
    let lines = skus
        .iter()
        .map(|sku| {
            let product = catalog.get(sku).unwrap();
            let key = RegistrationKey::generate(&product.key_prefix, &mut rand::rng()).unwrap();
            keys.push(key.clone());
            NewLine {
                sku: (*sku).to_owned(),
                seats: 10,
                term_start: today - Duration::days(30),
                term_end: today + Duration::days(335),
                registration_key: key,
                components: product
                    .components
                    .iter()
                    .map(|c| clp_domain::order::SuiteComponent {
                        sku: c.clone(),
                        retained_ac: None,
                    })
                    .collect(),
                renews_ac: None,
            }
        })
        .collect();
    let order = orders::insert_order(
        &app.db,
        &NewOrder {
            partner_id: partner.id,
            order_number: number.into(),
            order_type,
            purchase_date: today,
            end_customer: EndCustomer {
                company: "Acme Corporation".into(),
                contact_name: "Jane Doe".into(),
                contact_email: "jane@acme.example".into(),
                country: "JP".into(),
            },
            lines,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    (order, keys)
}

fn no_mail<T>(_: &T) -> NewMessage {
    NewMessage {
        kind: OutboxKind::Email,
        payload: json!({}),
        max_attempts: 1,
        subscription_id: None,
        event_id: None,
    }
}

#[tokio::test]
async fn me_products_and_xdr_show_what_the_account_holds() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let account = sign_up(&app, "jane@acme.example").await;
        let account_id = AccountId(account["account_id"].as_i64().unwrap());
        assert_eq!(
            sign_in(&app, "jane@acme.example", PASSWORD).await.status(),
            200
        );

        let empty: Value = app.get("/api/v1/me/products").await.json().await.unwrap();
        assert_eq!(empty["products"], json!([]));
        assert_eq!(empty["xdr"]["enabled"], false);

        let catalog = clp_db::catalog::load_catalog(&app.db).await.unwrap();
        // The test's own connection, as a database of its own.
        let database = clp_db::Database::from_pool(app.db.clone());
        // A legacy registration (no XDR) ...
        let (_, smex) = insert_order(&app, "SO-LEGACY", OrderType::New, &["SMEX"]).await;
        activations::register_legacy(
            &database,
            &catalog,
            &smex[0],
            account_id,
            None,
            Utc::now(),
            no_mail,
        )
        .await
        .unwrap();
        // ... and an account-based activation in Japan, completed through the db layer.
        let (order, _) =
            insert_order(&app, "SO-XDR", OrderType::New, &["XDR-DDI", "A1", "CAS"]).await;
        activations::create_pending(
            &app.db,
            &NewPendingActivation {
                order_id: order.id,
                account_id,
                region: Some(clp_domain::region::Region::Jp),
                token_hash: "ab".repeat(32),
                language: clp_domain::Lang::En,
                new_account: false,
                expires_at: Utc::now() + Duration::hours(1),
            },
            Utc::now(),
        )
        .await
        .unwrap();
        activations::complete_activation(
            &database,
            &catalog,
            &"ab".repeat(32),
            None,
            Utc::now(),
            no_mail,
        )
        .await
        .unwrap();

        let body: Value = app.get("/api/v1/me/products").await.json().await.unwrap();
        let products = body["products"].as_array().unwrap();
        let by_sku = |sku: &str| products.iter().find(|p| p["sku"] == sku).unwrap().clone();
        assert_eq!(products.len(), 4, "{body}");
        let jp_console = "https://portal.xdr.trendmicro.co.jp";

        let smex = by_sku("SMEX");
        assert_eq!(smex["order_number"], "SO-LEGACY");
        assert_eq!(smex["delivery"], "ac");
        assert_eq!(smex["status"], "active");
        assert_eq!(smex["seats"], 10);
        assert_eq!(smex["activation_codes"].as_array().unwrap().len(), 1);
        assert_eq!(smex["xdr_addon"], false);
        assert!(smex.get("console_url").is_none());

        let ddi = by_sku("XDR-DDI");
        assert_eq!(ddi["order_number"], "SO-XDR");
        assert_eq!(ddi["xdr_addon"], true);
        assert_eq!(ddi["console_url"], jp_console);
        let code = ddi["activation_codes"][0].as_str().unwrap();
        assert!(clp_domain::ActivationCode::parse(code).is_ok(), "{code}");

        let a1 = by_sku("A1");
        assert_eq!(
            (a1["xdr_addon"].clone(), a1["xdr_related"].clone()),
            (json!(false), json!(true))
        );
        assert_eq!(a1["console_url"], jp_console);

        let cas = by_sku("CAS");
        assert_eq!(cas["delivery"], "saas");
        assert_eq!(cas["saas_service"], "cloud-app-security");
        assert!(cas.get("console_url").is_none());

        assert_eq!(
            body["xdr"],
            json!({"enabled": true, "region": "jp", "console_url": jp_console})
        );
        let xdr: Value = app.get("/api/v1/me/xdr").await.json().await.unwrap();
        assert_eq!(xdr, body["xdr"]);
        let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["xdr_region"], "jp");

        let activity: Value = app.get("/api/v1/me/activity").await.json().await.unwrap();
        let kinds: Vec<&str> = activity["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"account.created") && kinds.contains(&"session.created"),
            "{kinds:?}"
        );
        assert!(
            activity["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["order_number"] == "SO-XDR"),
            "{activity}"
        );
        assert!(
            !activity.to_string().contains(code),
            "no activation code in the activity"
        );
    })
    .await;
}

#[tokio::test]
async fn me_routes_need_a_session() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        for path in [
            "/api/v1/me",
            "/api/v1/me/products",
            "/api/v1/me/xdr",
            "/api/v1/me/activity",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 401, "{path}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json"
            );
        }
    })
    .await;
}

async fn email_verified(app: &TestApp, email: &str) -> bool {
    accounts::find_by_email(&app.db, email)
        .await
        .unwrap()
        .unwrap()
        .email_verified
}

#[tokio::test]
async fn sign_up_emails_a_link_that_verifies_the_address_once() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let account = sign_up(&app, "jane@acme.example").await;
        assert_eq!(account["email_verified"], false);
        let queued = emails(&app).await;
        assert_eq!(queued.len(), 1, "{queued:?}");
        assert_eq!(queued[0]["template"], "email_verification");
        assert_eq!(queued[0]["to"], "jane@acme.example");

        let token = email_verification_token(&app, "jane@acme.example").await;
        assert_eq!(token.len(), 43, "{token}");
        let mail = app.delivered_mails("jane@acme.example").remove(0);
        assert!(
            mail.decoded
                .contains(&format!("http://127.0.0.1:8080/verify-email?token={token}")),
            "{}",
            mail.decoded
        );
        assert!(mail.decoded.contains("Subject: Verify your email address"));
        // Only the hash is stored.
        let stored = app
            .db
            .query_one(
                &Query::select()
                    .column(Alias::new("token_hash"))
                    .from(Alias::new("email_verifications"))
                    .to_owned(),
            )
            .await
            .unwrap()
            .unwrap();
        let hash: String = stored.try_get("", "token_hash").unwrap();
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, token);

        let response = app
            .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
            .await;
        assert_eq!(response.status(), 200);
        let verified: Value = response.json().await.unwrap();
        assert_eq!(verified["account_id"], account["account_id"]);
        assert_eq!(verified["email_verified"], true);
        assert!(email_verified(&app, "jane@acme.example").await);
        assert_eq!(
            app.audit_client_ips("account.email_verified").await,
            [Some("127.0.0.1".to_owned())]
        );

        // A link works once; an unknown token is the same 404.
        for token in [token.as_str(), "no-such-token"] {
            let response = app
                .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
                .await;
            assert_eq!(response.status(), 404);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "not_found");
        }
        let response = app
            .post_json("/api/v1/accounts/verify-email", &json!({"token": " "}))
            .await;
        assert_eq!(response.status(), 422);

        // The long form sends no such email.
        let response = app
            .post_json(
                "/api/v1/accounts/legacy",
                &legacy("acme-it", "it@acme.example"),
            )
            .await;
        assert_eq!(response.status(), 201);
        assert_eq!(emails(&app).await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_japanese_sign_up_gets_the_verification_email_in_japanese() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let mut body = simplified("taro@acme.example");
        body["language"] = json!("ja");
        let response = app.post_json("/api/v1/accounts", &body).await;
        assert_eq!(response.status(), 201);
        let token = email_verification_token(&app, "taro@acme.example").await;
        let mail = app.delivered_mails("taro@acme.example").remove(0);
        assert!(
            mail.decoded.contains("メールアドレスを確認する"),
            "{}",
            mail.decoded
        );
        let response = app
            .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
            .await;
        assert_eq!(response.status(), 200);
        assert!(email_verified(&app, "taro@acme.example").await);
    })
    .await;
}

#[tokio::test]
async fn an_expired_email_verification_link_is_410_and_verifies_nothing() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let token = email_verification_token(&app, "jane@acme.example").await;
        app.db
            .execute(
                &Query::update()
                    .table(Alias::new("email_verifications"))
                    .value(Alias::new("expires_at"), Utc::now() - Duration::seconds(1))
                    .to_owned(),
            )
            .await
            .unwrap();
        for _ in 0..2 {
            let response = app
                .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
                .await;
            assert_eq!(response.status(), 410);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "verification_expired");
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap()
                    .contains("email verification link"),
                "{body}"
            );
        }
        assert!(!email_verified(&app, "jane@acme.example").await);
    })
    .await;
}

#[tokio::test]
async fn a_delivered_sign_up_email_leaves_no_token_in_the_outbox() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let token = email_verification_token(&app, "jane@acme.example").await;
        let payload = sent_email_payload(&app, "email_verification").await;
        assert!(payload["data"].get("token").is_none(), "{payload}");
        assert!(!payload.to_string().contains(&token), "{payload}");
        assert_eq!(payload["to"], "jane@acme.example");
        assert!(payload["data"]["expires_at"].is_string(), "{payload}");
        // The link still works: the database has the hash.
        let response = app
            .post_json("/api/v1/accounts/verify-email", &json!({"token": token}))
            .await;
        assert_eq!(response.status(), 200);
    })
    .await;
}
