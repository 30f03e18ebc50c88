//! A verification link stopped by a restriction when first followed says the same restriction
//! when followed again (so the verify page can say why and what to do), on SQLite and PostgreSQL.

mod common;
mod flow_support;

use clp_domain::order::OrderType;
use common::{for_each_db, spawn_app};
use flow_support::{
    activate, anonymous_post, customer, json_body, key, line, order, problem, verification_token,
};
use serde_json::json;

#[tokio::test]
async fn a_link_stopped_by_a_restriction_names_it_again_when_followed_again() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let first = order(&app, OrderType::New, &[line("XDR-CAS")]).await;
        let second = order(&app, OrderType::New, &[line("XDR-EPS"), line("XDR-CAS")]).await;
        let requested = jane
            .post(
                &app,
                "/api/v1/activations",
                &json!({"key": key(&second, 0)}),
            )
            .await;
        assert_eq!(requested.status(), 202);
        let activation_id = json_body(requested).await["activation_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let second_token = verification_token(&app, &jane.email).await;
        activate(&app, &jane, &key(&first, 0)).await;

        for attempt in ["first", "again"] {
            let (status, code, body) = problem(
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
                "{attempt}: {body}"
            );
        }
        let status = json_body(
            jane.get(&app, &format!("/api/v1/activations/{activation_id}"))
                .await,
        )
        .await;
        assert_eq!(status["status"], "failed", "{status}");
    })
    .await;
}
