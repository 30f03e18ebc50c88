//! The legacy flow over HTTP (`POST /api/v1/registrations`): one line per key, effective at
//! once, renewals into the owning account only; on SQLite and PostgreSQL.

mod common;
mod flow_support;

use clp_domain::order::OrderType;
use common::{for_each_db, spawn_app};
use flow_support::{
    LineSpec, anonymous_post, customer, date, emails, json_body, key, line, order, problem,
    register,
};
use serde_json::json;

#[tokio::test]
async fn a_legacy_registration_registers_the_entered_line_at_once_and_notifies_the_customer() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("SMEX"), line("WFBSS")]).await;
        let typed = format!(" {} \n", key(&order, 0).to_lowercase());
        let response = jane
            .post(&app, "/api/v1/registrations", &json!({"key": typed}))
            .await;
        assert_eq!(response.status(), 201);
        let text = response.text().await.unwrap();
        assert!(!text.contains(&key(&order, 0)), "the key is never echoed");
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["order_number"], order.order_number);
        assert_eq!(body["renewal"], false);
        assert_eq!(body["line"]["line_id"], order.lines[0].id);
        assert_eq!(body["line"]["sku"], "SMEX");
        assert_eq!(body["line"]["delivery"], "ac");
        let code = body["line"]["activation_codes"][0].as_str().unwrap();
        assert!(code.starts_with("SM-") && code.len() == 37, "{code}");

        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 1)}))
                .await,
        )
        .await;
        assert_eq!(
            preview["lines"].as_array().unwrap().len(),
            1,
            "the other line is still open"
        );

        let notice = emails(&app)
            .await
            .into_iter()
            .find(|m| m["template"] == "registration_notice")
            .unwrap();
        assert_eq!(notice["to"], "jane@acme.example");
        assert_eq!(notice["data"]["products"][0]["activation_codes"][0], code);

        let saas = register(&app, &jane, &key(&order, 1)).await;
        assert_eq!(saas["line"]["saas_service"], "wfbs-svc");
        assert_eq!(saas["line"]["delivery"], "saas");
    })
    .await;
}

#[tokio::test]
async fn a_line_registered_meanwhile_is_already_registered() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let bob = customer(&app, "bob@acme.example").await;
        let order = order(&app, OrderType::New, &[line("IWSVA")]).await;
        register(&app, &jane, &key(&order, 0)).await;
        let (status, code, body) = problem(
            bob.post(
                &app,
                "/api/v1/registrations",
                &json!({"key": key(&order, 0)}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "already_registered"));
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("View your products"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_key_of_an_account_based_order_sent_to_registration_is_wrong_flow_naming_activations() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("A1"), line("XDR-EPS")]).await;
        let (status, code, body) = problem(
            jane.post(
                &app,
                "/api/v1/registrations",
                &json!({"key": key(&order, 0)}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "wrong_flow"));
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("POST /api/v1/activations"),
            "{body}"
        );
        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        assert_eq!(preview["registered_count"], 0);
    })
    .await;
}

#[tokio::test]
async fn a_renewal_extends_the_renewed_code_only_in_the_account_that_owns_it() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let other = customer(&app, "other@elsewhere.example").await;
        let first = order(&app, OrderType::New, &[line("DDI")]).await;
        let code = register(&app, &owner, &key(&first, 0)).await["line"]["activation_codes"][0]
            .as_str()
            .unwrap()
            .to_owned();
        let renewal = order(
            &app,
            OrderType::Renewal,
            &[LineSpec {
                sku: "DDI",
                retained: Vec::new(),
                renews: Some(code.clone()),
                term_end: date(2028, 3, 31),
            }],
        )
        .await;

        let (status, code_name, body) = problem(
            other
                .post(
                    &app,
                    "/api/v1/registrations",
                    &json!({"key": key(&renewal, 0)}),
                )
                .await,
        )
        .await;
        assert_eq!(
            (status, code_name.as_str()),
            (409, "renewal_account_mismatch")
        );
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains("o***@acme.example") && !detail.contains("owner@"),
            "{detail}"
        );

        let renewed = register(&app, &owner, &key(&renewal, 0)).await;
        assert_eq!(renewed["renewal"], true);
        assert_eq!(renewed["line"]["activation_codes"], json!([code]));
        let products = json_body(owner.get(&app, "/api/v1/me/products").await)
            .await
            .to_string();
        assert!(
            products.contains("2028-03-31"),
            "the code now expires with the renewal: {products}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_legacy_saas_line_conflicts_with_an_active_instance_of_its_service() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let first = order(&app, OrderType::New, &[line("A1SAAS")]).await;
        let second = order(&app, OrderType::New, &[line("A1SAAS")]).await;
        register(&app, &jane, &key(&first, 0)).await;
        let (status, code, _) = problem(
            jane.post(
                &app,
                "/api/v1/registrations",
                &json!({"key": key(&second, 0)}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "saas_conflict"));
    })
    .await;
}

#[tokio::test]
async fn a_legacy_registration_needs_a_signed_in_customer_and_a_well_formed_key() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let order = order(&app, OrderType::New, &[line("SMEX")]).await;
        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/registrations",
                &json!({"key": key(&order, 0)}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"));
        let jane = customer(&app, "jane@acme.example").await;
        let (status, code, _) = problem(
            jane.post(&app, "/api/v1/registrations", &json!({"key": "SM-1234"}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "invalid_key"));
    })
    .await;
}
