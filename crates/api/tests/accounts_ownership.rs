//! Email ownership and the profile: a link sent to an address proves it (activation links
//! included), an unverified account holding nothing does not squat its address (replaced by a
//! new sign-up, swept after `CLP_UNVERIFIED_ACCOUNT_TTL`), `PATCH /api/v1/me`, and the change
//! of address (`POST /api/v1/me/email`, applied by the link sent to the new address).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;
mod flow_support;

use std::time::Duration;

use clp_domain::order::OrderType;
use common::{TestApp, for_each_db, spawn_app, spawn_app_with};
use flow_support::{
    PASSWORD, activate, anonymous_post, customer, key, line, order, problem, verified_customer,
};
use sea_orm::ConnectionTrait as _;
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Query};
use serde_json::{Value, json};

async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    anonymous_post(
        app,
        "/api/v1/session",
        &json!({"login": login, "password": password}),
    )
    .await
}

async fn account_exists(app: &TestApp, email: &str) -> bool {
    app.db
        .query_one(
            &Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("accounts"))
                .and_where(Expr::col(Alias::new("email")).eq(email))
                .to_owned(),
        )
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn completing_an_activation_verifies_a_signed_in_accounts_email() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let me: Value = jane.get(&app, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["email_verified"], false);
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        activate(&app, &jane, &key(&order, 0)).await;
        let me: Value = jane.get(&app, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["email_verified"], true, "{me}");
    })
    .await;
}

#[tokio::test]
async fn a_new_sign_up_replaces_an_unverified_account_holding_nothing() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let squatter = customer(&app, "owner@acme.example").await;
        let response = anonymous_post(
            &app,
            "/api/v1/accounts",
            &json!({"email": "Owner@acme.example", "password": "the real owner's password",
                    "full_name": "Real Owner"}),
        )
        .await;
        assert_eq!(response.status(), 201);
        let account: Value = response.json().await.unwrap();
        assert_ne!(account["account_id"], squatter.account_id);
        assert_eq!(
            sign_in(&app, "owner@acme.example", PASSWORD).await.status(),
            401
        );
        assert_eq!(
            sign_in(&app, "owner@acme.example", "the real owner's password")
                .await
                .status(),
            200
        );
        assert_eq!(squatter.get(&app, "/api/v1/me").await.status(), 401);

        // The activation flow's new-account path replaces one too.
        customer(&app, "second@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let response = anonymous_post(
            &app,
            "/api/v1/activations",
            &json!({"key": key(&order, 0), "account": {"email": "second@acme.example",
                    "password": "a new owner's password", "full_name": "New Owner"}}),
        )
        .await;
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
        assert_eq!(
            sign_in(&app, "second@acme.example", PASSWORD)
                .await
                .status(),
            401
        );

        // A verified account keeps its address.
        verified_customer(&app, "verified@acme.example").await;
        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/accounts",
                &json!({"email": "verified@acme.example", "password": "someone else's password",
                        "full_name": "Someone"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "account_exists"));
    })
    .await;
}

#[tokio::test]
async fn the_sweeper_deletes_accounts_left_unverified_past_the_ttl() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |config| {
            config.unverified_account_ttl = Duration::from_secs(1);
            config.sweep_interval = Duration::from_millis(200);
        })
        .await;
        verified_customer(&app, "kept@acme.example").await;
        customer(&app, "stale@acme.example").await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while account_exists(&app, "stale@acme.example").await {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the stale account is still there"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(account_exists(&app, "kept@acme.example").await);
        let kinds = app.audit_client_ips("account.deleted").await;
        assert_eq!(kinds.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_profile_changes_any_subset_of_its_fields_and_reports_every_bad_one() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "profile@acme.example").await;
        let patch = |body: Value| {
            let token = jane.token.clone();
            let url = app.url("/api/v1/me");
            async move {
                reqwest::Client::new()
                    .patch(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let response = patch(json!({"full_name": "Jane Q. Doe", "country": "jp",
                                    "language": "ja"}))
        .await;
        assert_eq!(response.status(), 200);
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["full_name"], "Jane Q. Doe");
        assert_eq!(account["country"], "JP");
        assert_eq!(account["language"], "ja");
        let response = patch(json!({"company": "Acme K.K.", "country": ""})).await;
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["company"], "Acme K.K.");
        assert_eq!(account["country"], "");
        assert_eq!(account["full_name"], "Jane Q. Doe", "fields not sent stay");
        let me: Value = jane.get(&app, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me, account);

        let (status, code, body) = problem(
            patch(json!({"full_name": " ", "country": "JPN", "language": "fr",
                         "company": "x".repeat(201)}))
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["full_name", "company", "country", "language"]);
        let anonymous = reqwest::Client::new()
            .patch(app.url("/api/v1/me"))
            .json(&json!({"full_name": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
        let body: Value = jane
            .get(&app, "/api/v1/me/activity")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            body.to_string().contains("account.profile_updated"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_email_change_takes_effect_when_the_link_to_the_new_address_is_followed() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "old@acme.example").await;
        let (status, code, _) = problem(
            jane.post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "new@acme.example", "password": "wrong password"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (401, "invalid_credentials"));
        let (status, _, body) = problem(
            jane.post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "OLD@acme.example", "password": PASSWORD}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{body}");

        let response = jane
            .post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "New@Acme.example", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 202);
        let accepted: Value = response.json().await.unwrap();
        assert_eq!(accepted["new_email"], "new@acme.example");
        assert!(accepted["expires_at"].is_string());
        // Nothing changes until the link is followed; the current address is told.
        let me: Value = jane.get(&app, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["email"], "old@acme.example");
        let tokens = app
            .link_tokens("new@acme.example", "/verify-email", 1)
            .await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !app
            .delivered_mails("old@acme.example")
            .iter()
            .any(|m| m.decoded.contains("new@acme.example"))
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no notice to the old address"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let response = anonymous_post(
            &app,
            "/api/v1/accounts/verify-email",
            &json!({"token": tokens[0]}),
        )
        .await;
        assert_eq!(response.status(), 200);
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["email"], "new@acme.example");
        assert_eq!(account["email_verified"], true);
        assert_eq!(
            sign_in(&app, "new@acme.example", PASSWORD).await.status(),
            200
        );
        assert_eq!(
            sign_in(&app, "old@acme.example", PASSWORD).await.status(),
            401
        );
        let body: Value = jane
            .get(&app, "/api/v1/me/activity")
            .await
            .json()
            .await
            .unwrap();
        let text = body.to_string();
        assert!(text.contains("account.email_change_requested"), "{text}");
        assert!(text.contains("account.email_changed"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn an_email_change_to_an_address_taken_meanwhile_is_409() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let response = jane
            .post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "wanted@acme.example", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 202);
        let tokens = app
            .link_tokens("wanted@acme.example", "/verify-email", 1)
            .await;
        // Someone else signs up with the address and verifies it first.
        verified_customer(&app, "wanted@acme.example").await;
        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/accounts/verify-email",
                &json!({"token": tokens[0]}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "account_exists"));
        let me: Value = jane.get(&app, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["email"], "jane@acme.example");
        // Asking again now is refused up front.
        let (status, code, _) = problem(
            jane.post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "wanted@acme.example", "password": PASSWORD}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "account_exists"));
    })
    .await;
}

#[tokio::test]
async fn an_email_change_replaces_an_unverified_account_holding_nothing_at_the_address() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "mover@acme.example").await;
        let squatter = customer(&app, "free@acme.example").await;
        let squatters = app
            .link_tokens("free@acme.example", "/verify-email", 1)
            .await;
        let response = jane
            .post(
                &app,
                "/api/v1/me/email",
                &json!({"new_email": "free@acme.example", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 202);
        let tokens = app
            .link_tokens("free@acme.example", "/verify-email", 2)
            .await;
        let change = tokens.iter().find(|t| !squatters.contains(t)).unwrap();
        let response = anonymous_post(
            &app,
            "/api/v1/accounts/verify-email",
            &json!({"token": change}),
        )
        .await;
        assert_eq!(response.status(), 200);
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["email"], "free@acme.example");
        assert_eq!(squatter.get(&app, "/api/v1/me").await.status(), 401);
    })
    .await;
}
