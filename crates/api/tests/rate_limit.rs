//! Per client IP throttling of the key, sign-in and sign-up routes, counted in the database so
//! that every process sharing it sees one count.

mod common;

use common::{TestApp, for_each_db, spawn_app_on, spawn_app_with};
use serde_json::{Value, json};

/// `POST /api/v1/session` with a wrong password for an account that does not exist.
async fn sign_in(app: &TestApp) -> reqwest::Response {
    app.post_json(
        "/api/v1/session",
        &json!({"login": "nobody@example.com", "password": "wrong password"}),
    )
    .await
}

/// Seconds the minute window has left: a test that needs its requests in one window waits for
/// the next one when the current one is about to end.
async fn wait_for_a_fresh_window() {
    let now = chrono::Utc::now().timestamp().rem_euclid(60);
    if now >= 50 {
        let wait = u64::try_from(61 - now).unwrap_or(11);
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
}

#[tokio::test]
async fn the_request_after_the_limit_gets_429_with_retry_after_and_a_second_instance_shares_the_count()
 {
    for_each_db(|db| async move {
        const LIMIT: u32 = 3;
        let app = spawn_app_with(db, |config| config.rate_limit_per_min = LIMIT).await;
        let second = spawn_app_on(&app, |config| config.rate_limit_per_min = LIMIT).await;
        wait_for_a_fresh_window().await;

        for n in 1..=LIMIT {
            let response = sign_in(&app).await;
            assert_eq!(response.status(), 401, "sign-in {n} is under the limit");
        }
        let response = sign_in(&app).await;
        assert_eq!(
            response.status(),
            429,
            "sign-in {} is over the limit",
            LIMIT + 1
        );
        let retry_after: u64 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("a Retry-After header in seconds");
        assert!(
            (1..=60).contains(&retry_after),
            "Retry-After: {retry_after}"
        );
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json")
        );
        let body: Value = response.json().await.expect("a problem body");
        assert_eq!(body["code"], "rate_limited");
        assert_eq!(body["status"], 429);

        // The other instance counts in the same table: the client is over the limit there too.
        let response = sign_in(&second).await;
        assert_eq!(
            response.status(),
            429,
            "the second instance sees the same count"
        );

        // Another route class has its own counter.
        let response = app
            .post_json(
                "/api/v1/accounts",
                &json!({"email": "new@acme.example", "password": "a long enough password",
                        "full_name": "New Customer"}),
            )
            .await;
        assert_eq!(
            response.status(),
            201,
            "sign-up is counted apart from sign-in"
        );

        // Routes that are not limited are never refused.
        assert_eq!(app.get("/healthz").await.status(), 200);

        let metrics = app.get("/metrics").await.text().await.expect("metrics");
        let rejected = metrics
            .lines()
            .find_map(|l| l.strip_prefix("clp_rate_limited_total{route_class=\"sign_in\"} "))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        assert!(rejected >= 1.0, "{metrics}");
    })
    .await;
}

#[tokio::test]
async fn the_key_routes_are_limited_for_anonymous_callers() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |config| config.rate_limit_per_min = 2).await;
        wait_for_a_fresh_window().await;
        let preview = json!({"key": "XE-0000-0000-0000-0000"});
        for _ in 0..2 {
            let status = app.post_json("/api/v1/preview", &preview).await.status();
            assert_ne!(status, 429);
        }
        assert_eq!(
            app.post_json("/api/v1/preview", &preview).await.status(),
            429
        );
        // verify shares the `key` class with preview.
        let verify = app
            .post_json("/api/v1/activations/verify", &json!({"token": "x"}))
            .await;
        assert_eq!(verify.status(), 429);
    })
    .await;
}

#[tokio::test]
async fn a_limit_of_zero_never_throttles() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |config| config.rate_limit_per_min = 0).await;
        let preview = json!({"key": "XE-0000-0000-0000-0000"});
        for n in 0..70 {
            let status = app.post_json("/api/v1/preview", &preview).await.status();
            assert_ne!(status, 429, "preview {n}");
        }
        for n in 0..3 {
            let status = sign_in(&app).await.status();
            assert_eq!(status, 401, "sign-in {n}");
        }
    })
    .await;
}
