//! Problem bodies in the language of `Accept-Language`, through the real server.

#![expect(
    clippy::unwrap_used,
    reason = "tests: a failure must fail the test, helpers included"
)]

mod common;

use common::{TestApp, for_each_db, spawn_app};
use serde_json::{Value, json};

/// `POST path` with `body` and `Accept-Language: accept_language`: status, `Vary` and body.
async fn post_in(
    app: &TestApp,
    accept_language: &str,
    path: &str,
    body: &Value,
) -> (u16, String, Value) {
    let response = app
        .client
        .post(app.url(path))
        .header("accept-language", accept_language)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let vary = response
        .headers()
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    (status, vary, response.json().await.unwrap())
}

#[tokio::test]
async fn invalid_key_problem_is_japanese_for_ja_and_english_for_fr() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let bad_key = json!({"key": "AB12"});
        let (status, vary, ja) = post_in(&app, "ja", "/api/v1/preview", &bad_key).await;
        assert_eq!(status, 422);
        assert!(
            vary.to_ascii_lowercase().contains("accept-language"),
            "{vary}"
        );
        assert_eq!(ja["code"], "invalid_key");
        assert_eq!(ja["title"], "キーが正しくありません");
        let detail = ja["detail"].as_str().unwrap();
        assert!(
            detail.contains("文字") && detail.contains("確認してください"),
            "{detail}"
        );

        let (_, _, ja_jp) = post_in(&app, "ja-JP,en;q=0.5", "/api/v1/preview", &bad_key).await;
        assert_eq!(ja_jp, ja);

        let (status, vary, fr) = post_in(&app, "fr", "/api/v1/preview", &bad_key).await;
        assert_eq!(status, 422);
        assert!(
            vary.to_ascii_lowercase().contains("accept-language"),
            "{vary}"
        );
        assert_eq!(fr["code"], ja["code"]);
        assert_eq!(fr["type"], ja["type"]);
        assert_eq!(fr["status"], ja["status"]);
        assert_eq!(fr["title"], "Invalid key");
        assert!(
            fr["detail"].as_str().unwrap().starts_with("The key"),
            "{fr}"
        );

        let (_, _, en) = post_in(&app, "ja;q=0.2, en", "/api/v1/preview", &bad_key).await;
        assert_eq!(en, fr);
    })
    .await;
}

#[tokio::test]
async fn extractor_errors_and_404s_follow_accept_language() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let (status, _, body) = post_in(&app, "ja", "/api/v1/preview", &json!({})).await;
        assert_eq!(status, 422);
        assert_eq!(body["code"], "validation_failed");
        assert_eq!(body["title"], "入力内容に誤りがあります");
        assert_eq!(body["errors"][0]["field"], "key");
        assert_eq!(body["errors"][0]["message"], "必須です");

        let response = app
            .client
            .get(app.url("/api/v1/no-such-route"))
            .header("accept-language", "ja-JP")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["title"], "見つかりません");

        let body: Value = app.get("/api/v1/no-such-route").await.json().await.unwrap();
        assert_eq!(body["title"], "Not found");
    })
    .await;
}
