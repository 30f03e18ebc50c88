//! Partner authentication: OAuth2 client credentials and the bearer token checks.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

mod common;
mod partner_support;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clp_api::auth::JwtKeys;
use clp_api_types::{ErrorCode, Problem};
use common::for_each_db;
use partner_support::{
    CLIENT_ID, CLIENT_SECRET, JWT_SECRET, anonymous, bootstrap_client, new_partner_client,
    sample_order, spawn_partner_app,
};
use serde_json::json;

async fn problem(response: reqwest::Response) -> Problem {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "error bodies are problem+json"
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn token_endpoint_accepts_form_and_json_bodies() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let form = app
            .client
            .post(app.url("/api/v1/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200);
        assert_eq!(form.headers()["cache-control"], "no-store");
        let body: serde_json::Value = form.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        assert_eq!(body["scope"], "orders:read orders:write webhooks:manage");
        assert!(body["access_token"].as_str().unwrap().len() > 20);

        let json_body = app
            .post_json(
                "/api/v1/oauth/token",
                &json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET}),
            )
            .await;
        assert_eq!(json_body.status(), 200);

        // The token opens the partner routes.
        let client = bootstrap_client(&app).await;
        let missing = client.get_order("NOPE-1").await.unwrap_err();
        assert_eq!(missing.problem().unwrap().code, ErrorCode::NotFound);
    })
    .await;
}

#[tokio::test]
async fn wrong_credentials_are_invalid_credentials_whether_or_not_the_client_exists() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = anonymous(&app);
        for (id, secret) in [
            (CLIENT_ID, "wrong-secret"),
            ("no-such-client", CLIENT_SECRET),
        ] {
            let error = client.partner_token(id, secret, None).await.unwrap_err();
            let problem = error.problem().unwrap();
            assert_eq!(problem.status, 401);
            assert_eq!(problem.code, ErrorCode::InvalidCredentials);
            assert!(!problem.detail.contains(CLIENT_SECRET));
        }
    })
    .await;
}

#[tokio::test]
async fn unsupported_grant_type_is_a_400_problem() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let response = app
            .post_json(
                "/api/v1/oauth/token",
                &json!({"grant_type": "password", "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET}),
            )
            .await;
        assert_eq!(response.status(), 400);
        let problem = problem(response).await;
        assert_eq!(problem.code, ErrorCode::BadRequest);
        assert!(problem.detail.contains("client_credentials"));
    })
    .await;
}

#[tokio::test]
async fn a_requested_scope_subset_is_granted_and_enforced() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let mut client = anonymous(&app);
        let token = client
            .partner_sign_in(CLIENT_ID, CLIENT_SECRET, Some("orders:read"))
            .await
            .unwrap();
        assert_eq!(token.scope, "orders:read");
        let refused = client
            .create_order(&sample_order("SO-SCOPE-1"), None)
            .await
            .unwrap_err();
        let problem = refused.problem().unwrap();
        assert_eq!((problem.status, problem.code), (403, ErrorCode::Forbidden));
        let refused = client.list_webhooks().await.unwrap_err();
        assert_eq!(refused.problem().unwrap().code, ErrorCode::Forbidden);

        // A partner limited to orders:read can neither create orders nor ask for more.
        let (limited, _) = new_partner_client(&app, "Reader", &["orders:read"]).await;
        let refused = limited
            .create_order(&sample_order("SO-SCOPE-2"), None)
            .await
            .unwrap_err();
        assert_eq!(refused.problem().unwrap().code, ErrorCode::Forbidden);
        let unknown = anonymous(&app)
            .partner_token(CLIENT_ID, CLIENT_SECRET, Some("orders:read admin"))
            .await
            .unwrap_err();
        assert_eq!(unknown.problem().unwrap().status, 400);
    })
    .await;
}

fn forge(header: &serde_json::Value, claims: &serde_json::Value, signature: &str) -> String {
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn missing_expired_wrong_audience_alg_none_and_forged_tokens_are_401() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let keys = JwtKeys::new(JWT_SECRET.as_bytes());
        let now = jsonwebtoken::get_current_timestamp();
        let partner_id = partner_support::bootstrap_partner_id(&app).await;
        let claims = |aud: &str, exp: u64| {
            json!({"iss": "open-clp", "aud": aud, "sub": partner_id.to_string(),
                   "scope": "orders:read orders:write webhooks:manage", "iat": now, "exp": exp})
        };
        let sign = |claims: &serde_json::Value, secret: &str| {
            jsonwebtoken::encode(
                &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
                claims,
                &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
            )
            .unwrap()
        };
        let good = sign(&claims("clp-partner", now + 600), JWT_SECRET);
        let expired = sign(&claims("clp-partner", now - 120), JWT_SECRET);
        let wrong_audience = sign(&claims("clp-customer", now + 600), JWT_SECRET);
        let customer_session = keys
            .issue_customer(partner_id, 0, Duration::from_secs(600))
            .unwrap();
        let wrong_signature = sign(
            &claims("clp-partner", now + 600),
            "another-secret-entirely-0123456789",
        );
        let alg_none = forge(
            &json!({"alg": "none", "typ": "JWT"}),
            &claims("clp-partner", now + 600),
            "",
        );
        let hs512 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &claims("clp-partner", now + 600),
            &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
        )
        .unwrap();

        let path = "/api/v1/partner/orders/SO-NONE";
        let ok = app
            .client
            .get(app.url(path))
            .bearer_auth(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 404, "a valid token reaches the route");

        let missing = app.get(path).await;
        assert_eq!(missing.status(), 401);
        assert_eq!(missing.headers()["www-authenticate"], "Bearer");
        assert_eq!(problem(missing).await.code, ErrorCode::Unauthorized);
        let not_bearer = app
            .client
            .get(app.url(path))
            .header("authorization", format!("Basic {good}"))
            .send()
            .await
            .unwrap();
        assert_eq!(not_bearer.status(), 401);

        for (what, token) in [
            ("expired", &expired),
            ("wrong audience", &wrong_audience),
            ("customer session", &customer_session),
            ("wrong signature", &wrong_signature),
            ("alg none", &alg_none),
            ("other algorithm", &hs512),
        ] {
            let response = app
                .client
                .get(app.url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 401, "{what}");
            let problem = problem(response).await;
            assert_eq!(problem.code, ErrorCode::Unauthorized, "{what}");
        }
    })
    .await;
}
