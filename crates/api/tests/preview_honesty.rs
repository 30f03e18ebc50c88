//! What the preview tells before any form (the wizard says it once, and truly): the account a
//! renewal or a cross grade is bound to, whether a new account may take the order, and whether
//! the entered line or the whole order is registered; on SQLite and PostgreSQL.

mod common;
mod flow_support;

use clp_domain::order::OrderType;
use common::{TestApp, for_each_db, spawn_app};
use flow_support::{
    LineSpec, PASSWORD, activate, anonymous_post, backdate_code, customer, date, json_body, key,
    line, order, problem, register,
};
use serde_json::{Value, json};

async fn preview(app: &TestApp, key: &str) -> Value {
    json_body(anonymous_post(app, "/api/v1/preview", &json!({"key": key})).await).await
}

/// The activation code a legacy registration of a new `sku` order issued to `owner`'s account.
async fn registered_code(
    app: &TestApp,
    owner: &flow_support::Customer,
    sku: &'static str,
) -> String {
    let earlier = order(app, OrderType::New, &[line(sku)]).await;
    let registered = register(app, owner, &key(&earlier, 0)).await;
    registered["line"]["activation_codes"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn cup_retaining(code: String) -> Vec<LineSpec> {
    vec![
        LineSpec {
            sku: "CUP",
            retained: vec![("A1", code)],
            renews: None,
            term_end: date(2027, 3, 31),
        },
        line("XDR-EPS"),
    ]
}

#[tokio::test]
async fn a_renewal_key_names_the_account_holding_the_renewed_code_before_any_form() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let code = registered_code(&app, &owner, "A1").await;
        let renewal = order(
            &app,
            OrderType::Renewal,
            &[LineSpec {
                sku: "A1",
                retained: Vec::new(),
                renews: Some(code),
                term_end: date(2028, 3, 31),
            }],
        )
        .await;
        let p = preview(&app, &key(&renewal, 0)).await;
        assert_eq!(p["flow"], "legacy");
        assert_eq!(p["state"], "open");
        assert_eq!(p["sign_up_allowed"], false, "{p}");
        assert_eq!(
            p["account_hints"],
            json!([{"masked_email": "o***@acme.example", "reason": "renewed_ac_owner", "binding": true}])
        );
        assert!(!p.to_string().contains("owner@acme.example"));
        // And it is so: only the owner can register it.
        let other = customer(&app, "other@elsewhere.example").await;
        let (status, code, _) = problem(
            other
                .post(&app, "/api/v1/registrations", &json!({"key": key(&renewal, 0)}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "renewal_account_mismatch"));
        register(&app, &owner, &key(&renewal, 0)).await;
    })
    .await;
}

#[tokio::test]
async fn a_cross_grade_blocks_sign_up_up_front_when_the_code_was_registered_before_the_purchase() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let code = registered_code(&app, &owner, "A1").await;
        // Registered 2026-01-05, before the CUP purchase of 2026-03-20.
        backdate_code(&app, &code, date(2026, 1, 5).and_hms_opt(10, 0, 0).unwrap_or_default().and_utc()).await;
        let crossgrade = order(&app, OrderType::New, &cup_retaining(code)).await;
        let p = preview(&app, &key(&crossgrade, 1)).await;
        assert_eq!(p["flow"], "account_based");
        assert_eq!(p["sign_up_allowed"], false, "{p}");
        assert_eq!(p["account_hints"][0]["reason"], "retained_ac_owner");
        assert_eq!(p["account_hints"][0]["binding"], true);
        assert_eq!(p["account_hints"][0]["masked_email"], "o***@acme.example");
        assert_eq!(p["conflicts"], json!([]), "no account conflict when nobody is signed in");
        // Sign-up is indeed refused.
        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&crossgrade, 1), "account": {"email": "new@elsewhere.example", "password": PASSWORD, "full_name": "New"}}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "crossgrade_account_required"));
    })
    .await;
}

#[tokio::test]
async fn a_code_registered_after_the_purchase_does_not_make_a_cross_grade() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        // Registered today, after the CUP purchase of 2026-03-20.
        let code = registered_code(&app, &owner, "A1").await;
        let order = order(&app, OrderType::New, &cup_retaining(code)).await;
        let p = preview(&app, &key(&order, 1)).await;
        assert_eq!(p["sign_up_allowed"], true, "{p}");
        assert_eq!(p["account_hints"][0]["reason"], "retained_ac_owner");
        assert_eq!(p["account_hints"][0]["binding"], false);
        let other = customer(&app, "other@elsewhere.example").await;
        let done = activate(&app, &other, &key(&order, 1)).await;
        assert_eq!(done["registered_lines"].as_array().map(Vec::len), Some(2));
    })
    .await;
}

#[tokio::test]
async fn a_legacy_key_whose_own_line_is_registered_says_so_of_that_line() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let legacy = order(&app, OrderType::New, &[line("A1"), line("SMEX")]).await;
        register(&app, &jane, &key(&legacy, 0)).await;

        let p = preview(&app, &key(&legacy, 0)).await;
        assert_eq!(p["state"], "line_registered", "{p}");
        assert_eq!(p["lines"], json!([]));
        let conflicts = p["conflicts"].as_array().cloned().unwrap_or_default();
        assert_eq!(conflicts.len(), 1, "{p}");
        assert_eq!(conflicts[0]["code"], "already_registered");
        assert_eq!(conflicts[0]["line_id"], legacy.lines[0].id);
        // The other line of the order is still open.
        let p = preview(&app, &key(&legacy, 1)).await;
        assert_eq!(p["state"], "open");
        assert_eq!(p["lines"].as_array().map(Vec::len), Some(1));
    })
    .await;
}

#[tokio::test]
async fn a_fully_registered_order_says_it_once_signed_in_or_not() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS"), line("A1")]).await;
        activate(&app, &jane, &key(&order, 0)).await;

        let anonymous = preview(&app, &key(&order, 1)).await;
        assert_eq!(anonymous["state"], "order_registered");
        assert_eq!(anonymous["registered_count"], 2);
        let codes: Vec<&Value> = anonymous["conflicts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| &c["code"])
            .collect();
        assert_eq!(codes, [&json!("nothing_to_activate")], "{anonymous}");

        let other = customer(&app, "other@elsewhere.example").await;
        let signed_in = json_body(
            other
                .post(&app, "/api/v1/preview", &json!({"key": key(&order, 1)}))
                .await,
        )
        .await;
        assert_eq!(signed_in["state"], "order_registered");
        let codes: Vec<&Value> = signed_in["conflicts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| &c["code"])
            .collect();
        assert_eq!(codes, [&json!("nothing_to_activate")], "{signed_in}");
    })
    .await;
}
