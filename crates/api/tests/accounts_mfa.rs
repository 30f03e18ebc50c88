//! Two-factor sign-in (TOTP, RFC 6238) over HTTP: enrolment, confirmation with a code computed
//! here from the secret, sign-in with a code or a recovery code (each accepted once), the
//! back-off, and turning it off; on SQLite and PostgreSQL.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure must fail the test"
)]

mod common;
mod flow_support;

use chrono::Utc;
use common::{TestApp, for_each_db, spawn_app, spawn_app_on};
use flow_support::{Customer, PASSWORD, customer, emails, json_body, problem};
use sea_orm::ConnectionTrait as _;
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Query};
use serde_json::{Value, json};
use totp_rs::{Algorithm, Builder, Secret};

/// The code of `secret` (base32) for time step `step` (Unix time / 30 s), as an authenticator
/// app computes it: SHA-1, 6 digits.
fn code_at(secret: &str, step: i64) -> String {
    let bytes = Secret::try_from_base32(secret).unwrap().to_vec();
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(bytes)
        .build()
        .unwrap();
    totp.generate(u64::try_from(step * 30).unwrap()).to_string()
}

/// The current time step.
fn current_step() -> i64 {
    Utc::now().timestamp().div_euclid(30)
}

/// `POST /api/v1/session` with an optional `otp`.
async fn sign_in_with(
    app: &TestApp,
    email: &str,
    password: &str,
    otp: Option<&str>,
) -> reqwest::Response {
    let mut body = json!({"login": email, "password": password});
    if let Some(otp) = otp {
        body["otp"] = json!(otp);
    }
    reqwest::Client::new()
        .post(app.url("/api/v1/session"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// `DELETE /api/v1/me/mfa/totp` with `{password, code}`.
async fn disable(
    app: &TestApp,
    customer: &Customer,
    password: &str,
    code: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .delete(app.url("/api/v1/me/mfa/totp"))
        .bearer_auth(&customer.token)
        .json(&json!({"password": password, "code": code}))
        .send()
        .await
        .unwrap()
}

/// Starts an enrolment: the secret and the otpauth URI.
async fn start(app: &TestApp, customer: &Customer) -> (String, String) {
    let response = customer.post(app, "/api/v1/me/mfa/totp", &json!({})).await;
    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    (
        body["secret"].as_str().unwrap().to_owned(),
        body["otpauth_uri"].as_str().unwrap().to_owned(),
    )
}

/// Enrols and confirms with the code of the current step: the secret, the step used and the
/// recovery codes.
async fn enrol(app: &TestApp, customer: &Customer) -> (String, i64, Vec<String>) {
    let (secret, _) = start(app, customer).await;
    let step = current_step();
    let response = customer
        .post(
            app,
            "/api/v1/me/mfa/totp/confirm",
            &json!({"code": code_at(&secret, step)}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    let codes = body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, step, codes)
}

async fn mfa_enabled(app: &TestApp, customer: &Customer) -> Value {
    json_body(customer.get(app, "/api/v1/me").await).await["mfa_enabled"].clone()
}

async fn failed_logins(app: &TestApp, account_id: i64) -> i32 {
    let row = app
        .db
        .query_one(
            &Query::select()
                .column(Alias::new("failed_logins"))
                .from(Alias::new("accounts"))
                .and_where(Expr::col(Alias::new("id")).eq(account_id))
                .to_owned(),
        )
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "failed_logins").unwrap()
}

#[tokio::test]
async fn enrolment_needs_a_first_code_then_sign_in_needs_a_code_used_once() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        assert_eq!(mfa_enabled(&app, &jane).await, false);

        let (secret, uri) = start(&app, &jane).await;
        assert_eq!(secret.len(), 32);
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
        assert!(uri.contains("issuer=Open%20CLP"), "{uri}");
        assert!(uri.contains("jane%40acme.example"), "{uri}");
        // Pending: not active, sign-in still needs no code.
        assert_eq!(mfa_enabled(&app, &jane).await, false);
        assert_eq!(
            sign_in_with(&app, "jane@acme.example", PASSWORD, None)
                .await
                .status(),
            200
        );

        // A wrong first code is a field error; the setup stays pending.
        let wrong = if code_at(&secret, current_step()) == "000000" {
            "111111"
        } else {
            "000000"
        };
        let (status, code, body) = problem(
            jane.post(&app, "/api/v1/me/mfa/totp/confirm", &json!({"code": wrong}))
                .await,
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (422, "validation_failed"),
            "{body}"
        );
        assert_eq!(body["errors"][0]["field"], "code");

        let step = current_step();
        let confirmed = jane
            .post(
                &app,
                "/api/v1/me/mfa/totp/confirm",
                &json!({"code": code_at(&secret, step)}),
            )
            .await;
        assert_eq!(confirmed.status(), 200);
        let codes = json_body(confirmed).await["recovery_codes"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(codes, 10);
        assert_eq!(mfa_enabled(&app, &jane).await, true);
        assert_eq!(app.audit_client_ips("mfa.enabled").await.len(), 1);
        // Every view of the account says so.
        let status = json_body(jane.get(&app, "/api/v1/session").await).await;
        assert_eq!(status["account"]["mfa_enabled"], true, "{status}");
        let patched = reqwest::Client::new()
            .patch(app.url("/api/v1/me"))
            .bearer_auth(&jane.token)
            .json(&json!({"company": "Acme"}))
            .send()
            .await
            .unwrap();
        assert_eq!(json_body(patched).await["mfa_enabled"], true);
        // Confirming again: nothing is waiting for a first code.
        let (status, code, _) = problem(
            jane.post(
                &app,
                "/api/v1/me/mfa/totp/confirm",
                &json!({"code": code_at(&secret, step + 1)}),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (409, "conflict"));
        // Enrolling again while on: refused.
        let (status, _, _) =
            problem(jane.post(&app, "/api/v1/me/mfa/totp", &json!({})).await).await;
        assert_eq!(status, 409);

        // A wrong password is still invalid_credentials, with or without a code.
        for otp in [None, Some(code_at(&secret, step + 1))] {
            let (status, code, _) = problem(
                sign_in_with(&app, "jane@acme.example", "wrong password!", otp.as_deref()).await,
            )
            .await;
            assert_eq!((status, code.as_str()), (401, "invalid_credentials"));
        }
        // The right password without a code: mfa_required.
        let (status, code, body) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, None).await).await;
        assert_eq!((status, code.as_str()), (401, "mfa_required"), "{body}");
        let (status, code, _) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, Some("")).await).await;
        assert_eq!((status, code.as_str()), (401, "mfa_required"));

        // The code used to confirm is not accepted again (same step).
        let (status, code, _) = problem(
            sign_in_with(
                &app,
                "jane@acme.example",
                PASSWORD,
                Some(&code_at(&secret, step)),
            )
            .await,
        )
        .await;
        assert_eq!((status, code.as_str()), (401, "invalid_credentials"));

        // The next step's code signs in, once; the account says 2FA is on.
        let next = code_at(&secret, step + 1);
        let signed_in = sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&next)).await;
        assert_eq!(signed_in.status(), 200);
        assert_eq!(json_body(signed_in).await["account"]["mfa_enabled"], true);
        let (status, code, _) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&next)).await).await;
        assert_eq!(
            (status, code.as_str()),
            (401, "invalid_credentials"),
            "a replayed code"
        );
    })
    .await;
}

#[tokio::test]
async fn a_wrong_code_counts_toward_the_back_off() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        let (secret, step, _) = enrol(&app, &jane).await;
        let valid: Vec<String> = (step - 1..=step + 1).map(|s| code_at(&secret, s)).collect();
        let wrong = (0..10)
            .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
            .find(|c| !valid.contains(c))
            .unwrap();
        assert_eq!(failed_logins(&app, jane.account_id).await, 0);
        let (status, code, _) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&wrong)).await).await;
        assert_eq!((status, code.as_str()), (401, "invalid_credentials"));
        assert_eq!(failed_logins(&app, jane.account_id).await, 1);
        // mfa_required is not a failure.
        let _ = sign_in_with(&app, "jane@acme.example", PASSWORD, None).await;
        assert_eq!(failed_logins(&app, jane.account_id).await, 1);
        // Five wrong codes reach the lock threshold, like five wrong passwords.
        for _ in 0..4 {
            let _ = sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&wrong)).await;
        }
        assert_eq!(failed_logins(&app, jane.account_id).await, 5);
        let row = app
            .db
            .query_one(
                &Query::select()
                    .column(Alias::new("locked_until"))
                    .from(Alias::new("accounts"))
                    .and_where(Expr::col(Alias::new("id")).eq(jane.account_id))
                    .to_owned(),
            )
            .await
            .unwrap()
            .unwrap();
        let locked: Option<chrono::DateTime<Utc>> = row.try_get("", "locked_until").unwrap();
        assert!(
            locked.is_some(),
            "the account is locked after five wrong codes"
        );
    })
    .await;
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_even_when_two_servers_race_on_it() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let other = spawn_app_on(&app, |_| {}).await;
        let jane = customer(&app, "jane@acme.example").await;
        let (_, _, codes) = enrol(&app, &jane).await;
        assert_eq!(codes.len(), 10);

        // Case and hyphen do not matter; the first use signs in, the second is refused.
        let first = codes[0].to_uppercase();
        assert_eq!(
            sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&first))
                .await
                .status(),
            200
        );
        let (status, code, _) =
            problem(sign_in_with(&other, "jane@acme.example", PASSWORD, Some(&codes[0])).await)
                .await;
        assert_eq!((status, code.as_str()), (401, "invalid_credentials"));
        assert_eq!(
            app.audit_client_ips("mfa.recovery_code_used").await.len(),
            1
        );

        // Two sign-ins with one code at once, on two server processes: exactly one wins.
        let code = codes[1].clone();
        let (a, b) = tokio::join!(
            sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&code)),
            sign_in_with(&other, "jane@acme.example", PASSWORD, Some(&code)),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 401]);

        // An unknown recovery code is refused.
        let (status, _, _) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, Some("aaaaa-aaaaa")).await)
                .await;
        assert_eq!(status, 401);
    })
    .await;
}

#[tokio::test]
async fn turning_it_off_needs_the_password_and_a_code_or_recovery_code() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        let jane = customer(&app, "jane@acme.example").await;
        // Off: nothing to turn off.
        let (status, _, _) = problem(disable(&app, &jane, PASSWORD, "123456").await).await;
        assert_eq!(status, 409);

        let (secret, step, codes) = enrol(&app, &jane).await;
        let (status, code, body) =
            problem(disable(&app, &jane, "wrong password!", &code_at(&secret, step + 1)).await)
                .await;
        assert_eq!((status, code.as_str()), (422, "validation_failed"));
        assert_eq!(body["errors"][0]["field"], "password");
        let (status, _, body) = problem(disable(&app, &jane, PASSWORD, "not-a-code").await).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "code");
        assert_eq!(mfa_enabled(&app, &jane).await, true);

        let off = disable(&app, &jane, PASSWORD, &codes[3]).await;
        assert_eq!(off.status(), 204);
        assert_eq!(mfa_enabled(&app, &jane).await, false);
        assert_eq!(app.audit_client_ips("mfa.disabled").await.len(), 1);
        // The account was told both times, in its language.
        let notices: Vec<Value> = emails(&app)
            .await
            .into_iter()
            .filter(|m| m["template"] == "mfa_changed")
            .collect();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0]["to"], "jane@acme.example");
        assert_eq!(notices[0]["data"]["enabled"], true);
        assert_eq!(notices[1]["data"]["enabled"], false);
        assert!(
            !notices[0].to_string().contains(&secret),
            "no secret in the email"
        );
        // Signing in needs no code again, and the old recovery codes are gone.
        assert_eq!(
            sign_in_with(&app, "jane@acme.example", PASSWORD, None)
                .await
                .status(),
            200
        );

        // Enrolling again gives a new secret, and only its codes work.
        let (new_secret, new_step, _) = enrol(&app, &jane).await;
        assert_ne!(new_secret, secret);
        let (status, _, _) =
            problem(sign_in_with(&app, "jane@acme.example", PASSWORD, Some(&codes[4])).await).await;
        assert_eq!(status, 401);
        let off = disable(&app, &jane, PASSWORD, &code_at(&new_secret, new_step + 1)).await;
        assert_eq!(off.status(), 204);
    })
    .await;
}

#[tokio::test]
async fn the_mfa_routes_need_a_session() {
    for_each_db(|db| async move {
        let app = spawn_app(db).await;
        for path in ["/api/v1/me/mfa/totp", "/api/v1/me/mfa/totp/confirm"] {
            let (status, code, _) =
                problem(app.post_json(path, &json!({"code": "123456"})).await).await;
            assert_eq!((status, code.as_str()), (401, "unauthorized"), "{path}");
        }
        let response = reqwest::Client::new()
            .delete(app.url("/api/v1/me/mfa/totp"))
            .json(&json!({"password": PASSWORD, "code": "123456"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    })
    .await;
}
