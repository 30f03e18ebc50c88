//! Resend and cancel of a pending activation over HTTP (`POST /api/v1/activations/{id}/resend`,
//! `DELETE /api/v1/activations/{id}`): the earlier link stops working, the limit of resends,
//! completed and unknown activations; on SQLite and PostgreSQL.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;
mod flow_support;

use clp_domain::order::OrderType;
use common::{TestApp, for_each_db, spawn_app};
use flow_support::{
    PASSWORD, anonymous_post, emails, json_body, key, line, order, problem, verification_token,
};
use serde_json::json;

/// Requests the activation of a new account-based order into a new account `email`: the
/// activation id.
async fn request(app: &TestApp, email: &str) -> String {
    let order = order(app, OrderType::New, &[line("XDR-EPS")]).await;
    let requested = anonymous_post(
        app,
        "/api/v1/activations",
        &json!({"key": key(&order, 0), "account": {"email": email, "password": PASSWORD, "full_name": "Jane Doe"}}),
    )
    .await;
    assert_eq!(requested.status(), 202);
    json_body(requested).await["activation_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn resend(app: &TestApp, id: &str) -> reqwest::Response {
    anonymous_post(app, &format!("/api/v1/activations/{id}/resend"), &json!({})).await
}

async fn cancel(app: &TestApp, id: &str) -> reqwest::Response {
    reqwest::Client::new()
        .delete(app.url(&format!("/api/v1/activations/{id}")))
        .send()
        .await
        .unwrap()
}

async fn verify(app: &TestApp, token: &str) -> reqwest::Response {
    anonymous_post(app, "/api/v1/activations/verify", &json!({"token": token})).await
}

#[tokio::test]
async fn a_resend_sends_a_fresh_link_and_the_earlier_one_stops_working() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let email = "jane@acme.example";
        let id = request(&app, email).await;
        let first = verification_token(&app, email).await;

        let resent = resend(&app, &id).await;
        assert_eq!(resent.status(), 202);
        let body = json_body(resent).await;
        assert_eq!(body["activation_id"], id.as_str());
        assert_eq!(body["status"], "pending");
        let verifications: Vec<_> = emails(&app)
            .await
            .into_iter()
            .filter(|m| m["template"] == "verification")
            .collect();
        assert_eq!(verifications.len(), 2);
        assert_eq!(verifications[1]["to"], email);
        assert_eq!(verifications[1]["data"]["new_account"], true);
        let second = verification_token(&app, email).await;
        assert_ne!(first, second);

        // The earlier link says it expired; the fresh one completes the activation.
        let (status, code, _) = problem(verify(&app, &first).await).await;
        assert_eq!((status, code.as_str()), (410, "verification_expired"));
        assert_eq!(verify(&app, &second).await.status(), 200);
        assert_eq!(app.audit_client_ips("activation.resent").await.len(), 1);

        // Completed: nothing left to resend or cancel.
        let (status, code, _) = problem(resend(&app, &id).await).await;
        assert_eq!((status, code.as_str()), (409, "nothing_to_activate"));
        let (status, code, _) = problem(cancel(&app, &id).await).await;
        assert_eq!((status, code.as_str()), (409, "nothing_to_activate"));
    })
    .await;
}

#[tokio::test]
async fn resends_are_limited_per_activation() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let id = request(&app, "jane@acme.example").await;
        for _ in 0..5 {
            assert_eq!(resend(&app, &id).await.status(), 202);
        }
        let response = resend(&app, &id).await;
        assert!(response.headers().contains_key("retry-after"));
        let (status, code, _) = problem(response).await;
        assert_eq!((status, code.as_str()), (429, "rate_limited"));
        // The latest link still works.
        let token = verification_token(&app, "jane@acme.example").await;
        assert_eq!(verify(&app, &token).await.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_activation_link_no_longer_works() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let email = "jane@acme.example";
        let id = request(&app, email).await;
        let token = verification_token(&app, email).await;

        assert_eq!(cancel(&app, &id).await.status(), 204);
        assert_eq!(app.audit_client_ips("activation.cancelled").await.len(), 1);
        let (status, code, _) = problem(verify(&app, &token).await).await;
        assert_eq!((status, code.as_str()), (410, "verification_expired"));
        // Cancelling again changes nothing; a resend is refused: start again.
        assert_eq!(cancel(&app, &id).await.status(), 204);
        assert_eq!(app.audit_client_ips("activation.cancelled").await.len(), 1);
        let (status, code, _) = problem(resend(&app, &id).await).await;
        assert_eq!((status, code.as_str()), (410, "verification_expired"));
    })
    .await;
}

#[tokio::test]
async fn unknown_activation_ids_are_not_found() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        for id in ["6f1c8a2e-9d4b-4c6f-8e2a-1b3c5d7e9f01", "not-a-uuid"] {
            let (status, code, _) = problem(resend(&app, id).await).await;
            assert_eq!((status, code.as_str()), (404, "not_found"), "{id}");
            let (status, code, _) = problem(cancel(&app, id).await).await;
            assert_eq!((status, code.as_str()), (404, "not_found"), "{id}");
        }
    })
    .await;
}
