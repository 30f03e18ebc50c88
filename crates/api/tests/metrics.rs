//! `GET /metrics`: Prometheus text format, request counters by route pattern.

mod common;

use common::{for_each_db, spawn_app};

/// The value of the sample `series` (name and labels, exactly as exposed: labels sorted by
/// name), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_expose_request_counters_with_the_route_pattern_after_a_few_requests() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let before = app.get("/metrics").await.text().await.unwrap_or_default();
        let series = "clp_http_requests_total{method=\"GET\",route=\"/api/v1/activations/{id}\",status=\"401\"}";
        let ids: Vec<String> = (0..3).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        for id in &ids {
            let response = app.get(&format!("/api/v1/activations/{id}")).await;
            assert_eq!(response.status(), 401, "anonymous status request");
        }
        for _ in 0..2 {
            assert_eq!(app.get("/healthz").await.status(), 200);
        }

        let response = app.get("/metrics").await;
        assert_eq!(response.status(), 200);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
        let text = response.text().await.expect("a text body");

        // Counters are per process, and tests share the process: compare with before.
        let counted = sample(&text, series).unwrap_or(0.0) - sample(&before, series).unwrap_or(0.0);
        assert!(counted >= 3.0, "{series} grew by {counted}:\n{text}");
        assert!(
            sample(&text, "clp_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}")
                .is_some_and(|n| n >= 2.0),
            "{text}"
        );
        for id in &ids {
            assert!(!text.contains(id.as_str()), "a raw path leaked into the labels");
        }
        assert!(text.contains("# TYPE clp_http_request_duration_seconds histogram"));
        assert!(text.contains(
            "clp_http_request_duration_seconds_bucket{route=\"/api/v1/activations/{id}\",le=\"+Inf\"}"
        ));
        assert!(text.contains("clp_http_request_duration_seconds_count{route=\"/healthz\"}"));
        for series in [
            "clp_activations_total{outcome=\"requested\"}",
            "clp_activations_total{outcome=\"completed\"}",
            "clp_activations_total{outcome=\"expired\"}",
            "clp_activations_total{outcome=\"conflict\"}",
            "clp_registrations_total{flow=\"account_based\"}",
            "clp_registrations_total{flow=\"legacy\"}",
            "clp_outbox_delivery_failures_total{kind=\"email\"}",
            "clp_rate_limited_total{route_class=\"key\"}",
        ] {
            assert!(sample(&text, series).is_some(), "{series} missing:\n{text}");
        }
        assert_eq!(sample(&text, "clp_outbox_depth"), Some(0.0), "{text}");
    })
    .await;
}

#[tokio::test]
async fn requests_to_unknown_paths_share_one_unmatched_series() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let probe = format!("/api/v1/no-such-{}", uuid::Uuid::new_v4().simple());
        assert_eq!(app.get(&probe).await.status(), 404);
        let text = app.get("/metrics").await.text().await.expect("a text body");
        assert!(!text.contains(&probe), "{text}");
        assert!(
            text.contains(
                "clp_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
            ),
            "{text}"
        );
    })
    .await;
}
