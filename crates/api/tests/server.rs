//! The server's plumbing: health, problem bodies, headers, docs and the SPA.

mod common;

use common::{for_each_db, spawn_app, spawn_app_with};
use sea_orm::ConnectionTrait as _;

#[tokio::test]
async fn health_check_returns_ok() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"status": "ok"}));
    })
    .await;
}

#[tokio::test]
async fn readyz_reports_database_reachable() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        // The migrations ran: the seeded catalog is there.
        app.db
            .execute_unprepared("SELECT sku FROM products")
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn unknown_api_route_is_problem_json_404() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        for path in ["/api/v1/no-such-thing", "/api/v2/x", "/api"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], "not_found", "{path}");
            assert_eq!(body["status"], 404, "{path}");
            assert!(body["type"].as_str().unwrap().ends_with("not_found"));
            assert!(body["title"].is_string() && body["detail"].is_string());
        }
        let response = app
            .client
            .post(app.url("/api/v1/no-such-thing"))
            .json(&serde_json::json!({"key": "secret"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn openapi_json_is_served() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/api-docs/openapi.json").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["info"]["title"], "Open CLP API");
        assert!(body["paths"]["/healthz"]["get"].is_object());
        assert!(body["paths"]["/readyz"]["get"].is_object());
        assert!(body["components"]["schemas"]["Problem"].is_object());
    })
    .await;
}

#[tokio::test]
async fn swagger_ui_is_served_at_docs() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/docs").await;
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(response.headers()["location"], "/docs/");

        let response = app.get("/docs/").await;
        assert_eq!(response.status(), 200);
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("'unsafe-inline'"), "{csp}");
        let page = response.text().await.unwrap();
        assert!(page.contains("swagger"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn spa_fallback_serves_index_for_deep_links() {
    for_each_db(|db| async move {
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>Open CLP SPA</title>",
        )
        .unwrap();
        std::fs::write(dist.path().join("app.js"), "console.log('clp')").unwrap();
        let static_dir = dist.path().to_owned();
        let app = spawn_app_with(db, |c| c.static_dir = static_dir).await;

        for path in [
            "/",
            "/FullRegistration?T=TM",
            "/activate/verify?token=abc",
            "/products",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert!(
                response.text().await.unwrap().contains("Open CLP SPA"),
                "{path}"
            );
        }
        let script = app.get("/app.js").await;
        assert_eq!(script.status(), 200);
        assert_eq!(script.text().await.unwrap(), "console.log('clp')");
        // The API keeps its own 404s.
        let response = app.get("/api/v1/products").await;
        assert_eq!(response.status(), 404);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    })
    .await;
}

#[tokio::test]
async fn spa_assets_come_compressed_and_hashed_names_are_immutable() {
    for_each_db(|db| async move {
        let dist = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &[u8]| std::fs::write(dist.path().join(name), body).unwrap();
        write("index.html", b"<!doctype html><title>Open CLP SPA</title>");
        write("index.html.br", b"brotli index");
        write("app.0123456789abcdef.wasm", b"raw wasm");
        write("app.0123456789abcdef.wasm.br", b"brotli wasm");
        write("app.0123456789abcdef.wasm.gz", b"gzip wasm");
        write("robots.txt", b"User-agent: *");
        let static_dir = dist.path().to_owned();
        let app = spawn_app_with(db, |c| c.static_dir = static_dir).await;
        // reqwest here decodes nothing: the bodies are the files as sent.
        let get = |path: &'static str, accept: &'static str| {
            app.client
                .get(app.url(path))
                .header("accept-encoding", accept)
                .send()
        };

        let wasm = get("/app.0123456789abcdef.wasm", "gzip, deflate, br")
            .await
            .unwrap();
        assert_eq!(wasm.status(), 200);
        let headers = wasm.headers().clone();
        assert_eq!(headers["content-encoding"], "br");
        assert_eq!(headers["content-type"], "application/wasm");
        assert_eq!(headers["vary"], "accept-encoding");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(wasm.bytes().await.unwrap(), "brotli wasm");

        let wasm = get("/app.0123456789abcdef.wasm", "gzip, br;q=0")
            .await
            .unwrap();
        assert_eq!(wasm.headers()["content-encoding"], "gzip");
        assert_eq!(wasm.bytes().await.unwrap(), "gzip wasm");

        let wasm = get("/app.0123456789abcdef.wasm", "identity").await.unwrap();
        assert!(wasm.headers().get("content-encoding").is_none());
        assert_eq!(wasm.bytes().await.unwrap(), "raw wasm");

        // A compressed copy is never served by its own name; a deep link gets the index,
        // which revalidates.
        for path in ["/app.0123456789abcdef.wasm.br", "/account"] {
            let page = get(path, "gzip").await.unwrap();
            assert_eq!(page.status(), 200, "{path}");
            assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
            assert_eq!(
                page.headers()["content-type"],
                "text/html; charset=utf-8",
                "{path}"
            );
            assert!(
                page.text().await.unwrap().contains("Open CLP SPA"),
                "{path}"
            );
        }
        let index = get("/", "br").await.unwrap();
        assert_eq!(index.headers()["content-encoding"], "br");
        assert_eq!(index.headers()["cache-control"], "no-cache");

        let robots = get("/robots.txt", "br").await.unwrap();
        assert!(robots.headers().get("content-encoding").is_none());
        assert!(robots.headers().get("vary").is_none());
        assert_eq!(robots.headers()["cache-control"], "no-cache");
    })
    .await;
}

#[tokio::test]
async fn spa_missing_says_how_to_build_it() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app.get("/products").await;
        assert_eq!(response.status(), 503);
        assert!(response.text().await.unwrap().contains("make frontend"));
    })
    .await;
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        for path in [
            "/healthz",
            "/api/v1/nothing",
            "/products",
            "/api-docs/openapi.json",
        ] {
            let response = app.get(path).await;
            let headers = response.headers();
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(
                !csp.contains("script-src 'self' 'unsafe-inline'"),
                "{path}: {csp}"
            );
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn request_id_is_echoed() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let response = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "test-123.abc")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], "test-123.abc");

        let response = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "not sane <script>")
            .send()
            .await
            .unwrap();
        let generated = response.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");

        let response = app.get("/healthz").await;
        let generated = response.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");
    })
    .await;
}
