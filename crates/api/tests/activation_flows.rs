//! The account-based flow over HTTP: preview, activation request, email verification, and
//! every restriction, on SQLite and PostgreSQL.

mod common;
mod flow_support;

use std::time::Duration;

use clp_domain::order::OrderType;
use common::{for_each_db, spawn_app, spawn_app_on, spawn_app_with};
use flow_support::{
    LineSpec, activate, anonymous_post, customer, emails, json_body, key, line, mark_registered,
    order, order_in, problem, register, sent_email_payload, sign_in, verification_token,
    verified_customer,
};
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Preview

#[tokio::test]
async fn a_registration_shows_in_the_very_next_preview_on_this_and_another_instance() {
    for_each_db(|db| async move {
        // Two instances on one database: previews read through each one's read pool (on
        // SQLite, connections separate from the writer that registers).
        let app = spawn_app(db).await;
        let other = spawn_app_on(&app, |_| {}).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("SMEX"), line("WFBSS")]).await;
        let key = key(&order, 0);
        for instance in [&app, &other] {
            let preview =
                json_body(anonymous_post(instance, "/api/v1/preview", &json!({"key": key})).await)
                    .await;
            assert_eq!(preview["registered_count"], 0, "{preview}");
        }
        register(&app, &jane, &key).await;
        for instance in [&app, &other] {
            let preview =
                json_body(anonymous_post(instance, "/api/v1/preview", &json!({"key": key})).await)
                    .await;
            assert_eq!(preview["registered_count"], 1, "{preview}");
        }
    })
    .await;
}

#[tokio::test]
async fn preview_lists_every_unregistered_line_and_counts_the_registered_ones() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let order = order(
            &app,
            OrderType::New,
            &[line("XDR-CAS"), line("XDR-DDI"), line("A1")],
        )
        .await;
        let owner = customer(&app, "owner@elsewhere.example").await;
        mark_registered(&app, order.lines[1].id, owner.account_id).await;

        // Any key of the order opens the whole order, typed loosely.
        let typed = key(&order, 2).to_lowercase().replace('-', " ");
        let response = app
            .post_json("/api/v1/preview", &json!({"key": typed}))
            .await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(!text.contains(&key(&order, 2)), "the key is never echoed");
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["order_number"], order.order_number);
        assert_eq!(body["flow"], "account_based");
        let ids: Vec<i64> = body["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["line_id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            ids,
            [order.lines[0].id, order.lines[2].id],
            "the registered line is left out"
        );
        assert_eq!(body["registered_count"], 1);
        assert_eq!(body["lines"][0]["delivery"], "saas");
        assert_eq!(body["lines"][0]["xdr_addon"], true);
        assert_eq!(body["lines"][1]["xdr_related"], true);
        assert_eq!(body["end_customer"]["company"], "Acme Corporation");
        assert_eq!(body["end_customer"]["contact_email"], "j***@acme.example");
        assert_ne!(body["end_customer"]["contact_name"], "Jane Doe");
        assert!(
            !text.contains("jane.doe@acme.example"),
            "the end customer is masked"
        );
        assert_eq!(body["conflicts"], json!([]));
        assert!(body.get("region_pin").is_none());
    })
    .await;
}

#[tokio::test]
async fn preview_hints_at_existing_accounts_with_masked_emails_only() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        verified_customer(&app, "jane.doe@acme.example").await;
        verified_customer(&app, "it@acme.example").await;
        // An unverified account hints at nothing, whatever it matches.
        customer(&app, "sales@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let response = app
            .post_json("/api/v1/preview", &json!({"key": key(&order, 0)}))
            .await;
        let text = response.text().await.unwrap();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        let hints = body["account_hints"].as_array().unwrap();
        assert_eq!(hints.len(), 2);
        assert_eq!(hints[0]["reason"], "contact_email");
        assert_eq!(hints[0]["masked_email"], "j***@acme.example");
        assert_eq!(hints[0]["binding"], false);
        assert_eq!(hints[1]["reason"], "email_domain");
        assert!(
            !text.contains("jane.doe@") && !text.contains("it@acme"),
            "{text}"
        );
        assert!(hints[0].get("account_id").is_none());
    })
    .await;
}

#[tokio::test]
async fn preview_of_a_legacy_order_shows_only_the_entered_keys_line_and_no_hints() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        customer(&app, "jane.doe@acme.example").await;
        let order = order(&app, OrderType::New, &[line("SMEX"), line("IMSVA")]).await;
        let body = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 1)}))
                .await,
        )
        .await;
        assert_eq!(body["flow"], "legacy");
        assert_eq!(body["lines"].as_array().unwrap().len(), 1);
        assert_eq!(body["lines"][0]["sku"], "IMSVA");
        assert_eq!(body["account_hints"], json!([]));
    })
    .await;
}

#[tokio::test]
async fn signed_in_preview_reports_the_conflicts_of_that_account() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let holder = customer(&app, "holder@acme.example").await;
        let cas = order(&app, OrderType::New, &[line("CAS")]).await;
        register(&app, &holder, &key(&cas, 0)).await;
        let pinned = order(&app, OrderType::New, &[line("XDR-CAS"), line("XDR-DDI-JP")]).await;

        let signed_out = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&pinned, 0)}))
                .await,
        )
        .await;
        assert_eq!(signed_out["conflicts"], json!([]));
        assert_eq!(signed_out["region_pin"], "jp");

        let signed_in = json_body(
            holder
                .post(&app, "/api/v1/preview", &json!({"key": key(&pinned, 0)}))
                .await,
        )
        .await;
        let conflicts = signed_in["conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), 1, "{signed_in}");
        assert_eq!(conflicts[0]["code"], "saas_conflict");
        assert_eq!(conflicts[0]["line_id"], pinned.lines[0].id);
        assert!(
            conflicts[0]["detail"]
                .as_str()
                .unwrap()
                .contains("another account")
        );
    })
    .await;
}

#[tokio::test]
async fn preview_of_a_fully_registered_order_says_nothing_to_activate() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        mark_registered(&app, order.lines[0].id, owner.account_id).await;
        let body = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        assert_eq!(body["lines"], json!([]));
        assert_eq!(body["registered_count"], 1);
        assert_eq!(body["conflicts"][0]["code"], "nothing_to_activate");
    })
    .await;
}

#[tokio::test]
async fn a_malformed_key_is_invalid_key_saying_what_is_wrong_without_echoing_it() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let good = key(&order, 0);

        let short = &good[..good.len() - 2];
        let (status, code, body) = problem(
            app.post_json("/api/v1/preview", &json!({"key": short}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "invalid_key"));
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("18 letters and digits"),
            "{body}"
        );
        assert!(!body.to_string().contains(short));

        // One digit changed: the check digit catches the typo.
        let last = good.chars().last().unwrap();
        let typo = format!(
            "{}{}",
            &good[..good.len() - 1],
            if last == '0' { '1' } else { '0' }
        );
        let (status, code, body) = problem(
            app.post_json("/api/v1/preview", &json!({"key": typo}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "invalid_key"));
        assert!(
            body["detail"].as_str().unwrap().contains("mistyped"),
            "{body}"
        );
        assert!(!body.to_string().contains(&typo));

        let bad_char = format!("{}X{}", &good[..5], &good[6..]);
        let (status, code, body) = problem(
            app.post_json("/api/v1/preview", &json!({"key": bad_char}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "invalid_key"));
        assert!(
            body["detail"].as_str().unwrap().contains("position"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_well_formed_key_of_no_order_is_unknown_key() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let unknown = clp_domain::RegistrationKey::generate("XS", &mut rand::rng()).unwrap();
        let body = json!({"key": unknown.as_str()});
        let (status, code, problem_body) =
            problem(app.post_json("/api/v1/preview", &body).await).await;
        assert_eq!((status, code.as_str()), (404, "unknown_key"));
        assert!(!problem_body.to_string().contains(unknown.as_str()));
        let registrant = customer(&app, "x@acme.example").await;
        let (status, code, _) =
            problem(registrant.post(&app, "/api/v1/activations", &body).await).await;
        assert_eq!((status, code.as_str()), (404, "unknown_key"));
        let (status, code, _) =
            problem(registrant.post(&app, "/api/v1/registrations", &body).await).await;
        assert_eq!((status, code.as_str()), (404, "unknown_key"));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The account-based flow

#[tokio::test]
async fn a_new_customer_activates_a_whole_order_by_following_the_emailed_link() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let order = order_in(&app, OrderType::New, "JP", &[line("XDR-CAS"), line("XDR-DDI"), line("CUP")]).await;
        let email = "new.customer@acme.example";
        let requested = anonymous_post(
            &app,
            "/api/v1/activations",
            &json!({"key": key(&order, 1), "account": {"email": email, "password": flow_support::PASSWORD, "full_name": "New Customer"}}),
        )
        .await;
        assert_eq!(requested.status(), 202);
        let accepted = json_body(requested).await;
        assert_eq!(accepted["status"], "pending");
        let activation_id = accepted["activation_id"].as_str().unwrap().to_owned();

        // Nothing is registered before the link is followed.
        let preview = json_body(app.post_json("/api/v1/preview", &json!({"key": key(&order, 0)})).await).await;
        assert_eq!(preview["registered_count"], 0);
        let mails = emails(&app).await;
        let mail = mails.iter().find(|m| m["template"] == "verification").unwrap();
        assert_eq!(mail["to"], email);
        assert_eq!(mail["data"]["order_number"], order.order_number);
        assert_eq!(mail["data"]["new_account"], true);
        assert_eq!(mail["data"]["region"], "jp", "the default region comes from the order's country");
        assert_eq!(mail["data"]["products"].as_array().unwrap().len(), 3);
        let token = verification_token(&app, email).await;
        assert!(token.len() >= 43);

        let verified = anonymous_post(&app, "/api/v1/activations/verify", &json!({"token": token})).await;
        assert_eq!(verified.status(), 200);
        let body = json_body(verified).await;
        assert_eq!(body["activation_id"], activation_id);
        assert_eq!(body["status"], "completed");
        assert_eq!(body["order_number"], order.order_number);
        let lines = body["registered_lines"].as_array().unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["saas_service"], "cloud-app-security");
        assert_eq!(lines[2]["delivery"], "suite");
        assert_eq!(lines[2]["activation_codes"].as_array().unwrap().len(), 4);
        assert_eq!(body["xdr"]["region"], "jp");
        assert_eq!(body["xdr"]["console_url"], "https://portal.xdr.trendmicro.co.jp");

        // The account is verified and holds the order; the owner sees the completed activation.
        let owner = sign_in(&app, email).await;
        let me = json_body(owner.get(&app, "/api/v1/me").await).await;
        assert_eq!(me["email_verified"], true, "{me}");
        assert_eq!(me["xdr_region"], "jp");
        let status = json_body(owner.get(&app, &format!("/api/v1/activations/{activation_id}")).await).await;
        assert_eq!(status["status"], "completed");
        assert_eq!(status["order_number"], order.order_number);
        let confirmation = emails(&app).await.into_iter().find(|m| m["template"] == "activation_confirmation").unwrap();
        assert_eq!(confirmation["to"], email);
        assert_eq!(confirmation["data"]["products"].as_array().unwrap().len(), 3);

        // Someone else does not see it.
        let stranger = customer(&app, "stranger@other.example").await;
        let (status, code, _) = problem(stranger.get(&app, &format!("/api/v1/activations/{activation_id}")).await).await;
        assert_eq!((status, code.as_str()), (404, "not_found"));
    })
    .await;
}

#[tokio::test]
async fn a_followed_link_cannot_be_replayed() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        activate(&app, &jane, &key(&order, 0)).await;
        let token = verification_token(&app, &jane.email).await;
        let (status, code, _) = problem(
            anonymous_post(&app, "/api/v1/activations/verify", &json!({"token": token})).await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "nothing_to_activate"));
        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/activations/verify",
                &json!({"token": "no-such-token"}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (404, "not_found"));
        assert_eq!(
            emails(&app)
                .await
                .iter()
                .filter(|m| m["template"] == "activation_confirmation")
                .count(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_signed_in_customer_activates_into_their_account_and_region() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-A1SAAS"), line("A1")]).await;
        let requested = jane
            .post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&order, 1), "region": "au"}),
            )
            .await;
        assert_eq!(requested.status(), 202);
        let token = verification_token(&app, &jane.email).await;
        let body = json_body(
            anonymous_post(&app, "/api/v1/activations/verify", &json!({"token": token})).await,
        )
        .await;
        assert_eq!(body["xdr"]["region"], "au");
        let products = json_body(jane.get(&app, "/api/v1/me/products").await).await;
        assert!(products.to_string().contains("XDR-A1SAAS"), "{products}");
    })
    .await;
}

#[tokio::test]
async fn an_activation_needs_a_session_or_a_new_account() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let (status, code, _) = problem(anonymous_post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)})).await).await;
        assert_eq!((status, code.as_str()), (401, "unauthorized"));
        let (status, code, body) = problem(
            anonymous_post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&order, 0), "account": {"email": "nope", "password": "x", "full_name": ""}}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"account.email") && fields.contains(&"account.password"), "{body}");
        assert!(!body.to_string().contains("\"x\""), "the password is never echoed");
    })
    .await;
}

#[tokio::test]
async fn signing_up_with_an_existing_email_during_activation_is_account_exists() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        verified_customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let (status, code, body) = problem(
            anonymous_post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&order, 0), "account": {"email": "Jane@Acme.example", "password": flow_support::PASSWORD, "full_name": "Jane"}}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "account_exists"));
        assert!(body["detail"].as_str().unwrap().to_lowercase().contains("sign in"));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Restrictions

#[tokio::test]
async fn an_account_holding_the_orders_saas_service_gets_saas_conflict() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let cas = order(&app, OrderType::New, &[line("CAS")]).await;
        register(&app, &jane, &key(&cas, 0)).await;
        let xdr = order(&app, OrderType::New, &[line("XDR-CAS")]).await;
        let (status, code, body) = problem(
            jane.post(&app, "/api/v1/activations", &json!({"key": key(&xdr, 0)}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "saas_conflict"));
        assert!(
            body["detail"].as_str().unwrap().contains("another account"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_order_pinning_another_region_than_the_accounts_gets_region_conflict() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let eu = order(&app, OrderType::New, &[line("XDR-DDI-EU")]).await;
        let done = activate(&app, &jane, &key(&eu, 0)).await;
        assert_eq!(done["xdr"]["region"], "eu");
        let jp = order(&app, OrderType::New, &[line("XDR-DDI-JP")]).await;
        let (status, code, body) = problem(
            jane.post(&app, "/api/v1/activations", &json!({"key": key(&jp, 0)}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "region_conflict"));
        assert!(
            body["detail"].as_str().unwrap().contains("never changes"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_cross_grade_into_another_account_gets_crossgrade_account_required() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let owner = customer(&app, "owner@acme.example").await;
        let earlier = order(&app, OrderType::New, &[line("A1")]).await;
        let registered = register(&app, &owner, &key(&earlier, 0)).await;
        let retained = registered["line"]["activation_codes"][0]
            .as_str()
            .unwrap()
            .to_owned();
        // Registered before the CUP purchase (2026-03-20): a cross grade.
        flow_support::backdate_code(
            &app,
            &retained,
            flow_support::date(2026, 1, 5)
                .and_hms_opt(10, 0, 0)
                .unwrap()
                .and_utc(),
        )
        .await;
        let crossgrade = order(
            &app,
            OrderType::New,
            &[
                LineSpec {
                    sku: "CUP",
                    retained: vec![("A1", retained)],
                    renews: None,
                    term_end: flow_support::date(2027, 3, 31),
                },
                line("XDR-EPS"),
            ],
        )
        .await;

        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&crossgrade, 1)}))
                .await,
        )
        .await;
        assert_eq!(preview["account_hints"][0]["reason"], "retained_ac_owner");
        assert_eq!(preview["account_hints"][0]["binding"], true);

        let other = customer(&app, "other@elsewhere.example").await;
        let (status, code, body) = problem(
            other
                .post(
                    &app,
                    "/api/v1/activations",
                    &json!({"key": key(&crossgrade, 1)}),
                )
                .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (409, "crossgrade_account_required")
        );
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains("o***@acme.example") && !detail.contains("owner@"),
            "{detail}"
        );

        let done = activate(&app, &owner, &key(&crossgrade, 0)).await;
        assert_eq!(done["registered_lines"].as_array().unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn activating_a_fully_registered_order_is_nothing_to_activate() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        activate(&app, &jane, &key(&order, 0)).await;
        let (status, code, _) = problem(
            jane.post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "nothing_to_activate"));
    })
    .await;
}

#[tokio::test]
async fn a_key_of_a_legacy_order_sent_to_activation_is_wrong_flow_naming_registrations() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        for order in [
            order(&app, OrderType::New, &[line("SMEX")]).await,
            order(&app, OrderType::Renewal, &[line("XDR-EPS")]).await,
        ] {
            let (status, code, body) = problem(
                jane.post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
                    .await,
            )
            .await;
            assert_eq!((status, code.as_str()), (409, "wrong_flow"));
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap()
                    .contains("POST /api/v1/registrations"),
                "{body}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_expired_link_activates_nothing_and_answers_verification_expired() {
    for_each_db(|db| async move {
        let app = spawn_app_with(db, |config| {
            config.verification_ttl = Duration::from_secs(1)
        })
        .await;
        let jane = customer(&app, "jane@acme.example").await;
        let order = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let accepted = json_body(
            jane.post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        let id = accepted["activation_id"].as_str().unwrap().to_owned();
        let token = verification_token(&app, &jane.email).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;

        let (status, code, body) = problem(
            anonymous_post(&app, "/api/v1/activations/verify", &json!({"token": token})).await,
        )
        .await;
        assert_eq!((status, code.as_str()), (410, "verification_expired"));
        assert!(body["detail"].as_str().unwrap().contains("again"));
        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        assert_eq!(preview["registered_count"], 0, "nothing was activated");
        let status = json_body(jane.get(&app, &format!("/api/v1/activations/{id}")).await).await;
        assert_eq!(status["status"], "expired");

        // The customer repeats the activation.
        let again = jane
            .post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
            .await;
        assert_eq!(again.status(), 202);
    })
    .await;
}

#[tokio::test]
async fn a_conflict_arising_before_the_link_is_followed_stops_the_activation() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let first = order(&app, OrderType::New, &[line("XDR-CAS")]).await;
        let second = order(&app, OrderType::New, &[line("XDR-EPS"), line("XDR-CAS")]).await;
        assert_eq!(
            jane.post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&second, 0)})
            )
            .await
            .status(),
            202
        );
        let second_token = verification_token(&app, &jane.email).await;
        activate(&app, &jane, &key(&first, 0)).await;

        let (status, code, _) = problem(
            anonymous_post(
                &app,
                "/api/v1/activations/verify",
                &json!({"token": second_token}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (409, "saas_conflict"),
            "the last check decides"
        );
        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&second, 0)}))
                .await,
        )
        .await;
        assert_eq!(
            preview["registered_count"], 0,
            "the XDR-EPS line was not registered either"
        );
    })
    .await;
}

#[tokio::test]
async fn twenty_concurrent_verifications_of_one_order_register_it_exactly_once() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let alice = customer(&app, "alice@acme.example").await;
        let bob = customer(&app, "bob@acme.example").await;
        let order = order(
            &app,
            OrderType::New,
            &[line("XDR-CAS"), line("XDR-DDI"), line("CUP")],
        )
        .await;
        assert_eq!(
            alice
                .post(&app, "/api/v1/activations", &json!({"key": key(&order, 0)}))
                .await
                .status(),
            202
        );
        assert_eq!(
            bob.post(&app, "/api/v1/activations", &json!({"key": key(&order, 2)}))
                .await
                .status(),
            202
        );
        let tokens = [
            verification_token(&app, &alice.email).await,
            verification_token(&app, &bob.email).await,
        ];

        let mut tasks = Vec::new();
        for i in 0..20 {
            let url = app.url("/api/v1/activations/verify");
            let token = tokens[i % 2].clone();
            tasks.push(tokio::spawn(async move {
                let response = reqwest::Client::new()
                    .post(url)
                    .json(&json!({"token": token}))
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                (status, response.json::<serde_json::Value>().await.unwrap())
            }));
        }
        let mut winners = Vec::new();
        for task in tasks {
            let (status, body) = task.await.unwrap();
            match status {
                200 => winners.push(body),
                409 => {}
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert_eq!(winners.len(), 1, "exactly one verification wins");
        let codes: Vec<String> = winners[0]["registered_lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| {
                l["activation_codes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(codes.len(), 1 + 1 + 4);

        let preview = json_body(
            app.post_json("/api/v1/preview", &json!({"key": key(&order, 0)}))
                .await,
        )
        .await;
        assert_eq!(preview["registered_count"], 3);
        let alice_products = json_body(alice.get(&app, "/api/v1/me/products").await)
            .await
            .to_string();
        let bob_products = json_body(bob.get(&app, "/api/v1/me/products").await)
            .await
            .to_string();
        let held = [&alice_products, &bob_products]
            .iter()
            .filter(|p| p.contains("XDR-CAS"))
            .count();
        assert_eq!(held, 1, "every line is registered to one account only");
        let confirmations = emails(&app)
            .await
            .into_iter()
            .filter(|m| m["template"] == "activation_confirmation")
            .count();
        assert_eq!(confirmations, 1);
    })
    .await;
}

#[tokio::test]
async fn the_audit_trail_records_the_peer_ip_whatever_x_forwarded_for_says() {
    for_each_db(|db| async move {
        // CLP_TRUST_PROXY is off (the default): the forwarding headers are the client's own words.
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let xdr = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let legacy = order(&app, OrderType::New, &[line("SMEX")]).await;
        let forged = |path: &str| {
            reqwest::Client::new()
                .post(app.url(path))
                .header("x-forwarded-for", "203.0.113.9")
                .header("forwarded", "for=203.0.113.9")
        };
        let requested = forged("/api/v1/activations")
            .bearer_auth(&jane.token)
            .json(&json!({"key": key(&xdr, 0)}))
            .send()
            .await
            .unwrap();
        assert_eq!(requested.status(), 202);
        let token = verification_token(&app, &jane.email).await;
        let verified = forged("/api/v1/activations/verify")
            .json(&json!({"token": token}))
            .send()
            .await
            .unwrap();
        assert_eq!(verified.status(), 200);
        let registered = forged("/api/v1/registrations")
            .bearer_auth(&jane.token)
            .json(&json!({"key": key(&legacy, 0)}))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), 201);
        let peer = Some("127.0.0.1".to_owned());
        for kind in ["activation.requested", "activation.verified"] {
            assert_eq!(
                app.audit_client_ips(kind).await,
                std::slice::from_ref(&peer),
                "{kind}"
            );
        }
        assert_eq!(
            app.audit_client_ips("line.registered").await,
            [peer.clone(), peer],
            "one line of each flow"
        );
    })
    .await;
}

#[tokio::test]
async fn a_delivered_verification_email_leaves_no_token_in_the_outbox() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let xdr = order(&app, OrderType::New, &[line("XDR-EPS")]).await;
        let requested = jane
            .post(&app, "/api/v1/activations", &json!({"key": key(&xdr, 0)}))
            .await;
        assert_eq!(requested.status(), 202);
        let token = verification_token(&app, &jane.email).await;
        let payload = sent_email_payload(&app, "verification").await;
        assert!(payload["data"].get("token").is_none(), "{payload}");
        assert!(!payload.to_string().contains(&token), "{payload}");
        assert_eq!(payload["data"]["order_number"], xdr.order_number);
        // The link still works: the database has the hash.
        let verified =
            anonymous_post(&app, "/api/v1/activations/verify", &json!({"token": token})).await;
        assert_eq!(verified.status(), 200);
    })
    .await;
}
