//! Sign-up (simplified and legacy), sign-in and sign-out, and the `/me` routes.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;

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

#[tokio::test]
async fn wrong_password_and_unknown_account_give_identical_answers() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        let wrong = sign_in(&app, "jane@acme.example", "wrong password!!").await;
        let unknown = sign_in(&app, "nobody@acme.example", "wrong password!!").await;
        let unknown_id = sign_in(&app, "nobody", "wrong password!!").await;
        let mut bodies = Vec::new();
        for response in [wrong, unknown, unknown_id] {
            assert_eq!(response.status(), 401);
            assert!(response.headers().get("set-cookie").is_none());
            bodies.push(response.text().await.unwrap());
        }
        assert_eq!(bodies[0], bodies[1]);
        assert_eq!(bodies[0], bodies[2]);
        let body: Value = serde_json::from_str(&bodies[0]).unwrap();
        assert_eq!(body["code"], "invalid_credentials");
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        sign_up(&app, "jane@acme.example").await;
        for attempt in 1..=5 {
            let response = sign_in(&app, "jane@acme.example", "wrong password!!").await;
            assert_eq!(response.status(), 401, "attempt {attempt}");
        }
        // Locked now, even with the right password.
        let response = sign_in(&app, "jane@acme.example", PASSWORD).await;
        assert_eq!(response.status(), 429);
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=2).contains(&retry_after), "{retry_after}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");

        let account = accounts::find_by_email(&app.db, "jane@acme.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(account.failed_logins, 5);

        tokio::time::sleep(std::time::Duration::from_millis(retry_after * 1000 + 100)).await;
        // A sixth failure doubles the lock.
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
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;

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
        // A legacy registration (no XDR) ...
        let (_, smex) = insert_order(&app, "SO-LEGACY", OrderType::New, &["SMEX"]).await;
        activations::register_legacy(
            &app.db,
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
                language: "en".into(),
                new_account: false,
                expires_at: Utc::now() + Duration::hours(1),
            },
            Utc::now(),
        )
        .await
        .unwrap();
        activations::complete_activation(
            &app.db,
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
