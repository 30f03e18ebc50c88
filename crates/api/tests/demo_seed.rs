//! `clp-server seed-demo`: idempotent, and each demo order shows the case it is made for.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;

use std::collections::BTreeMap;

use clp_api::config::Config;
use clp_api::demo::{DEMO_EMAIL, DEMO_PASSWORD, run_seed_demo};
use common::{for_each_db, spawn_app};
use serde_json::{Value, json};

/// `(order number, sku) -> key` of the printed report, in print order.
fn keys(report: &str) -> BTreeMap<(String, String), String> {
    let mut keys = BTreeMap::new();
    let mut order = String::new();
    for line in report.lines() {
        if line.starts_with("DEMO-") {
            order = line
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        } else if let Some(rest) = line.strip_prefix("  ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let [sku, _, "seats", key, _] = words.as_slice() {
                let previous = keys.insert((order.clone(), (*sku).to_owned()), (*key).to_owned());
                assert!(previous.is_none(), "{order} {sku} twice");
            }
        }
    }
    keys
}

fn key<'a>(keys: &'a BTreeMap<(String, String), String>, order: &str, sku: &str) -> &'a str {
    &keys[&(order.to_owned(), sku.to_owned())]
}

fn conflict_codes(preview: &Value) -> Vec<String> {
    preview["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn seed_demo_is_idempotent_and_covers_every_case() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let config = Config::for_tests(app.db_url.clone());
        let first = run_seed_demo(&config).await.unwrap();
        let second = run_seed_demo(&config).await.unwrap();
        let (first_keys, second_keys) = (keys(&first), keys(&second));
        assert_eq!(first_keys.len(), 21, "{first}");
        assert_eq!(first_keys, second_keys, "the second run prints the stored keys");
        assert!(first.contains("client_secret") && !second.contains("client_secret "));
        for text in [&first, &second] {
            assert!(text.contains(DEMO_EMAIL) && text.contains(DEMO_PASSWORD));
            assert!(text.contains("/docs/") && text.contains("http://127.0.0.1:8080/"));
        }
        let base_lines = second.lines().filter(|l| l.ends_with("  registered")).count();
        assert_eq!(base_lines, 4, "{second}");
        let cancelled = app
            .post_json(
                "/api/v1/preview",
                &json!({ "key": key(&first_keys, "DEMO-CANCELLED", "DDI") }),
            )
            .await;
        assert_eq!(cancelled.status(), 410);

        let preview = |key: &str| {
            let app = &app;
            let key = key.to_owned();
            async move {
                let response = app.post_json("/api/v1/preview", &json!({ "key": key })).await;
                assert_eq!(response.status(), 200);
                response.json::<Value>().await.unwrap()
            }
        };
        // Anonymous previews: flows and the region pin.
        let xdr = preview(key(&first_keys, "DEMO-XDR", "XDR-EPS")).await;
        assert_eq!(xdr["flow"], "account_based");
        assert!(xdr.get("region_pin").is_none_or(Value::is_null));
        let jp = preview(key(&first_keys, "DEMO-XDR-JP", "IMSVA")).await;
        assert_eq!(jp["region_pin"], "jp");
        assert_eq!(preview(key(&first_keys, "DEMO-LEGACY", "WFBSS")).await["flow"], "legacy");
        assert_eq!(preview(key(&first_keys, "DEMO-RENEWAL", "SMEX")).await["flow"], "legacy");

        // Signed in as someone else: the cross grade needs the demo account.
        let other = json!({"email": "other@example.org", "password": "another password 1", "full_name": "O"});
        assert_eq!(app.post_json("/api/v1/accounts", &other).await.status(), 201);
        let signed = app
            .post_json("/api/v1/session", &json!({"login": "other@example.org", "password": "another password 1"}))
            .await;
        assert_eq!(signed.status(), 200);
        let cup = preview(key(&first_keys, "DEMO-CUP", "CUP")).await;
        assert!(conflict_codes(&cup).contains(&"crossgrade_account_required".to_owned()), "{cup}");

        // Signed in as the demo account: the SaaS conflict, then the renewal registers.
        let signed = app
            .post_json("/api/v1/session", &json!({"login": DEMO_EMAIL, "password": DEMO_PASSWORD}))
            .await;
        assert_eq!(signed.status(), 200);
        let saas = preview(key(&first_keys, "DEMO-SAAS", "XDR-CAS")).await;
        assert_eq!(conflict_codes(&saas), ["saas_conflict"], "{saas}");
        assert_eq!(conflict_codes(&preview(key(&first_keys, "DEMO-CUP", "CUP")).await), Vec::<String>::new());

        let products: Value = app.get("/api/v1/me/products").await.json().await.unwrap();
        let skus: Vec<&str> = products["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["sku"].as_str().unwrap())
            .collect();
        assert_eq!(skus, ["SMEX", "A1", "CAS", "IWSVA"]);
        let expiring = &products["products"][3];
        assert_eq!(expiring["status"], "expiring", "{expiring}");
        assert_eq!(expiring["days_left"], 21, "{expiring}");
        let renewal = app
            .post_json(
                "/api/v1/registrations",
                &json!({ "key": key(&first_keys, "DEMO-RENEWAL", "SMEX") }),
            )
            .await;
        let status = renewal.status();
        let body: Value = renewal.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
    })
    .await;
}
