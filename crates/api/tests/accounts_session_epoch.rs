//! A password reset ends every session issued before it on every server process: two
//! `clp-server` processes on one database (PostgreSQL, and a SQLite file), a session issued by
//! one, the reset made through the other, and the first process refusing the session at its
//! next request (each request reads the account's session epoch; nothing is cached).

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod reliability_support;

use chrono::{Duration, Utc};
use common::selected_databases;
use reliability_support::{ScratchDb, ServerProcess, base_env};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a brand new password, long enough";

async fn send(request: reqwest::RequestBuilder, token: Option<&str>) -> (u16, Value) {
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn sign_in(server: &ServerProcess, password: &str) -> (u16, Value) {
    send(
        reqwest::Client::new()
            .post(server.url("/api/v1/session"))
            .json(&json!({"login": "epoch@acme.example", "password": password})),
        None,
    )
    .await
}

#[tokio::test]
async fn a_session_issued_before_a_reset_is_refused_after_it_by_another_server_process() {
    for backend in selected_databases() {
        let db = ScratchDb::create(backend).await;
        let env = base_env(&db);
        let a = ServerProcess::start(&env).await;
        let b = ServerProcess::start(&env).await;
        let client = reqwest::Client::new();

        let (status, _) = send(
            client.post(a.url("/api/v1/accounts")).json(&json!({
                "email": "epoch@acme.example",
                "password": PASSWORD,
                "full_name": "Epoch Test",
            })),
            None,
        )
        .await;
        assert_eq!(status, 201, "[{backend}]");
        let (status, session) = sign_in(&a, PASSWORD).await;
        assert_eq!(status, 200, "[{backend}] {session}");
        let before = session["token"].as_str().unwrap().to_owned();
        let (status, _) = send(client.get(b.url("/api/v1/me")), Some(&before)).await;
        assert_eq!(
            status, 200,
            "[{backend}] the other process accepts the session"
        );

        // A reset link, stored as the reset route stores it (its email is tested elsewhere).
        let token = "reset-token-of-the-epoch-test-0123456789abc";
        let hash = hex::encode(Sha256::digest(token.as_bytes()));
        let conn = db.connect().await;
        let now = Utc::now();
        assert!(
            clp_db::password_resets::create_for_email(
                &conn,
                "epoch@acme.example",
                &hash,
                now,
                now + Duration::hours(1),
            )
            .await
            .unwrap()
        );
        let (status, body) = send(
            client
                .post(b.url("/api/v1/password-resets/confirm"))
                .json(&json!({"token": token, "new_password": NEW_PASSWORD})),
            None,
        )
        .await;
        assert_eq!(status, 204, "[{backend}] {body}");

        for server in [&a, &b] {
            let (status, body) = send(client.get(server.url("/api/v1/me")), Some(&before)).await;
            assert_eq!(
                status, 401,
                "[{backend}] the earlier session has ended: {body}"
            );
            let (status, body) =
                send(client.get(server.url("/api/v1/session")), Some(&before)).await;
            assert_eq!(status, 200, "[{backend}] GET /session is never 401");
            assert_eq!(body["signed_in"], false, "[{backend}] {body}");
        }
        let (status, _) = sign_in(&a, PASSWORD).await;
        assert_eq!(status, 401, "[{backend}] the old password stopped working");
        let (status, session) = sign_in(&a, NEW_PASSWORD).await;
        assert_eq!(status, 200, "[{backend}]");
        let after = session["token"].as_str().unwrap().to_owned();
        let (status, me) = send(client.get(b.url("/api/v1/me")), Some(&after)).await;
        assert_eq!(
            status, 200,
            "[{backend}] a session issued after the reset works"
        );
        assert_eq!(
            me["email_verified"], true,
            "[{backend}] the reset link proved the address"
        );
    }
}
