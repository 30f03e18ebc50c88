//! Password reset (`POST /api/v1/password-resets`, `/confirm`), password change
//! (`POST /api/v1/me/password`) and the session status (`GET /api/v1/session`).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;
mod flow_support;

use std::time::Duration;

use common::{TestApp, for_each_db, spawn_app, spawn_app_with};
use flow_support::{Customer, PASSWORD, customer, problem};
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "another long enough password";

async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/session"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn ask_reset(app: &TestApp, email: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/password-resets"))
        .json(&json!({"email": email}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/password-resets/confirm"))
        .json(&json!({"token": token, "new_password": password}))
        .send()
        .await
        .unwrap()
}

async fn activity_kinds(app: &TestApp, customer: &Customer) -> Vec<String> {
    let response = customer.get(app, "/api/v1/me/activity").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_reset_of_an_unknown_email_answers_exactly_like_a_known_one() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        customer(&app, "known@acme.example").await;
        let known = ask_reset(&app, "known@acme.example").await;
        let unknown = ask_reset(&app, "nobody@acme.example").await;
        assert_eq!(known.0, 202);
        assert_eq!(known, unknown, "status and body are the same");
        assert_eq!(known.1, r#"{"status":"accepted"}"#);
        // Only the known address gets mail.
        app.link_tokens("known@acme.example", "/reset-password", 1)
            .await;
        assert!(app.delivered_mails("nobody@acme.example").is_empty());
        let (status, code, _) = problem(
            reqwest::Client::new()
                .post(app.url("/api/v1/password-resets"))
                .json(&json!({"email": "not an address"}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
    })
    .await;
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_earlier_sessions() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        assert_eq!(ask_reset(&app, "Jane@Acme.example").await.0, 202);
        let tokens = app
            .link_tokens("jane@acme.example", "/reset-password", 1)
            .await;
        let token = &tokens[0];
        assert!(
            app.delivered_mails("jane@acme.example")
                .iter()
                .any(|mail| mail.decoded.contains("Reset your password"))
        );

        // The password rules of sign-up hold, and a refused password does not spend the link.
        let (status, code, body) = problem(confirm(&app, token, "short").await).await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        assert_eq!(body["errors"][0]["field"], "new_password");

        let response = confirm(&app, token, NEW_PASSWORD).await;
        assert_eq!(response.status(), 204);
        let (status, code, _) = problem(confirm(&app, token, NEW_PASSWORD).await).await;
        assert_eq!((status, code.as_str()), (410, "link_expired"), "single use");
        let (status, code, _) = problem(confirm(&app, "no-such-token", NEW_PASSWORD).await).await;
        assert_eq!((status, code.as_str()), (410, "link_expired"));

        assert_eq!(
            jane.get(&app, "/api/v1/me").await.status(),
            401,
            "the session issued before the reset has ended"
        );
        assert_eq!(
            sign_in(&app, "jane@acme.example", PASSWORD).await.status(),
            401
        );
        let session = sign_in(&app, "jane@acme.example", NEW_PASSWORD).await;
        assert_eq!(session.status(), 200);
        let session: Value = session.json().await.unwrap();
        assert_eq!(
            session["account"]["email_verified"], true,
            "the link proved the address"
        );
        let jane = Customer {
            token: session["token"].as_str().unwrap().to_owned(),
            ..jane
        };
        let kinds = activity_kinds(&app, &jane).await;
        assert!(kinds.contains(&"password.reset".to_owned()), "{kinds:?}");
        assert!(
            kinds.contains(&"password.reset_requested".to_owned()),
            "{kinds:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_newer_reset_and_a_used_link_spend_the_other_links_of_the_account() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        customer(&app, "two@acme.example").await;
        ask_reset(&app, "two@acme.example").await;
        ask_reset(&app, "two@acme.example").await;
        let tokens = app
            .link_tokens("two@acme.example", "/reset-password", 2)
            .await;
        assert_eq!(tokens.len(), 2);
        assert_eq!(confirm(&app, &tokens[1], NEW_PASSWORD).await.status(), 204);
        let (status, code, _) = problem(confirm(&app, &tokens[0], PASSWORD).await).await;
        assert_eq!((status, code.as_str()), (410, "link_expired"));
    })
    .await;
}

#[tokio::test]
async fn an_expired_reset_link_is_410_link_expired() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |config| {
            config.password_reset_ttl = Duration::from_secs(1);
        })
        .await;
        customer(&app, "late@acme.example").await;
        ask_reset(&app, "late@acme.example").await;
        let tokens = app
            .link_tokens("late@acme.example", "/reset-password", 1)
            .await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let (status, code, _) = problem(confirm(&app, &tokens[0], NEW_PASSWORD).await).await;
        assert_eq!((status, code.as_str()), (410, "link_expired"));
        assert_eq!(
            sign_in(&app, "late@acme.example", PASSWORD).await.status(),
            200
        );
    })
    .await;
}

#[tokio::test]
async fn a_password_change_keeps_the_caller_signed_in_and_ends_other_sessions() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let other = customer(&app, "change@acme.example").await;
        // The caller signs in with the cookie (the app's client keeps cookies).
        let response = app
            .post_json(
                "/api/v1/session",
                &json!({"login": "change@acme.example", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 200);

        let (status, code, body) = problem(
            app.post_json(
                "/api/v1/me/password",
                &json!({"current_password": PASSWORD, "new_password": "short"}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (422, "validation_failed"),
            "{body}"
        );

        let (status, code, _) = problem(
            app.post_json(
                "/api/v1/me/password",
                &json!({"current_password": "not the password", "new_password": NEW_PASSWORD}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (401, "invalid_credentials"));
        let failed = flow_support::failed_logins(&app, "change@acme.example").await;
        assert_eq!(
            failed, 1,
            "a wrong password counts toward the sign-in back-off"
        );

        let response = app
            .post_json(
                "/api/v1/me/password",
                &json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 204);
        assert!(response.headers().get("set-cookie").is_some());
        assert_eq!(
            app.get("/api/v1/me").await.status(),
            200,
            "the caller stays signed in"
        );
        assert_eq!(
            other.get(&app, "/api/v1/me").await.status(),
            401,
            "other sessions end"
        );
        assert_eq!(
            sign_in(&app, "change@acme.example", PASSWORD)
                .await
                .status(),
            401
        );
        assert_eq!(
            sign_in(&app, "change@acme.example", NEW_PASSWORD)
                .await
                .status(),
            200
        );
        let body: Value = app.get("/api/v1/me/activity").await.json().await.unwrap();
        assert!(body.to_string().contains("password.changed"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn the_session_status_is_never_401() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/api/v1/session").await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, json!({"signed_in": false}));

        let response = reqwest::Client::new()
            .get(app.url("/api/v1/session"))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);

        let jane = customer(&app, "status@acme.example").await;
        let body: Value = jane
            .get(&app, "/api/v1/session")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["signed_in"], true);
        assert_eq!(body["account"]["email"], "status@acme.example");
    })
    .await;
}
