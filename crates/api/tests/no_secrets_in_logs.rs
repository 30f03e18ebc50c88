//! No key, password or token in any log line or error body: a full flow against the real
//! `clp-server` binary with `CLP_LOG_FORMAT=json` and `RUST_LOG=debug` (mail through an SMTP
//! listener, so the development-mode link logging is off), its whole standard output and
//! standard error captured and searched for every secret the flow used: registration keys,
//! passwords, verification tokens, customer and partner JWTs, the partner client secret, the
//! webhook signing secret and the JWT signing key. Failing requests are checked not to echo
//! what was sent. On SQLite and PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod partner_support;
mod reliability_support;

use std::time::Duration;

use clp_api_types::{CreateOrderLine, CreateOrderRequest, EndCustomer, OrderType, WebhookEvent};
use clp_client::Client;
use clp_domain::RegistrationKey;
use common::for_each_db;
use partner_support::Receiver;
use reliability_support::{JWT_SECRET, ScratchDb, ServerProcess, SmtpSink, base_env, with_env};
use serde_json::{Value, json};
use tokio::net::TcpListener;

const CLIENT_ID: &str = "log-partner";
const CLIENT_SECRET: &str = "log-partner-secret-Zq8vN3kP0wYt";
const PASSWORD: &str = "pa55-Hunter2-correct-horse";
const LEGACY_PASSWORD: &str = "legacy-Pa55word-battery-staple";

fn order_request(number: &str, skus: &[&str]) -> CreateOrderRequest {
    CreateOrderRequest {
        order_number: number.to_owned(),
        r#type: OrderType::New,
        purchase_date: "2026-03-20".parse().unwrap(),
        end_customer: EndCustomer {
            company: "Quiet Logs AG".to_owned(),
            contact_name: "Lou Quiet".to_owned(),
            contact_email: "lou@quiet.example".to_owned(),
            country: "CH".to_owned(),
        },
        lines: skus
            .iter()
            .map(|sku| CreateOrderLine {
                sku: (*sku).to_owned(),
                seats: 3,
                term_start: "2026-04-01".parse().unwrap(),
                term_end: "2027-03-31".parse().unwrap(),
                components: None,
                renews_ac: None,
            })
            .collect(),
    }
}

/// Sends `request`; the status and the body text. Every response carries the security
/// headers.
async fn send(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.unwrap();
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// A mistyped form of `key`: one digit changed, so its check digit fails.
fn mistyped(key: &str) -> String {
    let mut chars: Vec<char> = key.chars().collect();
    let at = chars.len() - 3;
    chars[at] = if chars[at] == '7' { '8' } else { '7' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn a_full_flow_logs_no_key_password_or_token_and_error_bodies_echo_none() {
    for_each_db(|backend| async move {
        let db = ScratchDb::create(backend).await;
        let (smtp, smtp_port) = SmtpSink::start().await;
        let hooks = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hooks_url = format!("http://127.0.0.1:{}/hooks", hooks.local_addr().unwrap().port());
        let receiver = Receiver::start(hooks);
        let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
        let bootstrap = format!("{CLIENT_ID}:{CLIENT_SECRET}");
        let env = with_env(
            base_env(&db),
            &[
                ("CLP_LOG_FORMAT", "json"),
                ("RUST_LOG", "debug"),
                ("CLP_SMTP_URL", &smtp_url),
                ("CLP_PARTNER_BOOTSTRAP", &bootstrap),
            ],
        );
        let mut server = ServerProcess::start(&env).await;
        let http = reqwest::Client::new();
        let url = |path: &str| server.url(path);
        let mut secrets: Vec<(&'static str, String)> = vec![
            ("partner client secret", CLIENT_SECRET.to_owned()),
            ("password", PASSWORD.to_owned()),
            ("legacy password", LEGACY_PASSWORD.to_owned()),
            ("JWT signing key", JWT_SECRET.to_owned()),
        ];
        // Error bodies are checked as they come: (what, body, secret it must not echo).
        let mut error_bodies: Vec<(&'static str, String, String)> = Vec::new();

        // Partner: a refused and an accepted token request, a webhook, two orders.
        let wrong_secret = "wrong-secret-Jx7Qm2Lp9Vb4";
        secrets.push(("wrong client secret", wrong_secret.to_owned()));
        let (status, body) = send(http.post(url("/api/v1/oauth/token")).json(&json!({
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": wrong_secret,
        })))
        .await;
        assert_eq!(status, 401, "{body}");
        error_bodies.push(("oauth with a wrong secret", body, wrong_secret.to_owned()));
        let mut partner = Client::new(&server.address).unwrap();
        let token = partner
            .partner_sign_in(CLIENT_ID, CLIENT_SECRET, None)
            .await
            .unwrap();
        secrets.push(("partner JWT", token.access_token.clone()));
        let webhook = partner
            .create_webhook(
                &clp_api_types::CreateWebhookRequest {
                    url: hooks_url.clone(),
                    events: WebhookEvent::ALL.to_vec(),
                },
                None,
            )
            .await
            .unwrap();
        secrets.push(("webhook secret", webhook.secret.clone().unwrap()));
        let account_based = partner
            .create_order(&order_request("SO-LOG-1", &["XDR-CAS", "CUP", "DDI"]), None)
            .await
            .unwrap();
        let legacy = partner
            .create_order(&order_request("SO-LOG-2", &["SMEX", "WFBSS"]), None)
            .await
            .unwrap();
        let keys: Vec<String> = account_based
            .lines
            .iter()
            .chain(&legacy.lines)
            .map(|l| l.registration_key.clone().unwrap())
            .collect();
        for key in &keys {
            secrets.push(("registration key", key.clone()));
            // As typed, without hyphens, too.
            secrets.push(("registration key, compact", key.replace('-', "")));
        }
        // The certificates print every key; rendering them logs none.
        for language in ["en", "ja"] {
            let response = http
                .get(url("/api/v1/partner/orders/SO-LOG-1/certificate"))
                .bearer_auth(&token.access_token)
                .header("accept-language", language)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "certificate ({language})");
            assert_eq!(response.headers()["content-type"], "application/pdf");
        }
        // A malformed retained AC and renewal in an order body are not echoed either.
        let mut bad = order_request("SO-LOG-3", &["CUP"]);
        let bad_ac = "C1-ZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZQ";
        bad.lines[0].components = Some(vec![clp_api_types::CreateComponent {
            sku: "A1".to_owned(),
            retained_ac: Some(bad_ac.to_owned()),
        }]);
        let (status, body) = send(
            http.post(url("/api/v1/partner/orders"))
                .bearer_auth(&token.access_token)
                .json(&bad),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        error_bodies.push(("order with a malformed retained AC", body, bad_ac.to_owned()));

        // Preview: fine, mistyped, unknown.
        let (status, body) =
            send(http.post(url("/api/v1/preview")).json(&json!({"key": keys[0]}))).await;
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains(&keys[0]), "the preview does not echo the key");
        let typo = mistyped(&keys[1]);
        secrets.push(("mistyped key", typo.clone()));
        let (status, body) = send(http.post(url("/api/v1/preview")).json(&json!({"key": typo}))).await;
        assert_eq!(status, 422, "{body}");
        error_bodies.push(("preview of a mistyped key", body, typo.clone()));
        let unknown = RegistrationKey::generate("XC", &mut rand::rng()).unwrap().to_string();
        secrets.push(("unknown key", unknown.clone()));
        let (status, body) =
            send(http.post(url("/api/v1/preview")).json(&json!({"key": unknown}))).await;
        assert_eq!(status, 404, "{body}");
        error_bodies.push(("preview of an unknown key", body, unknown.clone()));

        // A customer: sign-up, a failed and a good sign-in.
        let email = "lou@quiet.example";
        let (status, body) = send(http.post(url("/api/v1/accounts")).json(&json!({
            "email": email, "password": PASSWORD, "full_name": "Lou Quiet",
        })))
        .await;
        assert_eq!(status, 201, "{body}");
        let wrong_password = "not-the-Password-8812";
        secrets.push(("wrong password", wrong_password.to_owned()));
        let (status, body) = send(
            http.post(url("/api/v1/session"))
                .json(&json!({"login": email, "password": wrong_password})),
        )
        .await;
        assert_eq!(status, 401, "{body}");
        error_bodies.push(("sign-in with a wrong password", body, wrong_password.to_owned()));
        let (status, body) = send(
            http.post(url("/api/v1/session"))
                .json(&json!({"login": email, "password": PASSWORD})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let session: Value = serde_json::from_str(&body).unwrap();
        let jwt = session["token"].as_str().unwrap().to_owned();
        secrets.push(("customer JWT", jwt.clone()));
        // A tampered token is refused without being echoed.
        let (signed, signature) = jwt.rsplit_once('.').unwrap();
        let tampered = format!("{signed}.{}", signature.chars().rev().collect::<String>());
        let (status, body) = send(http.get(url("/api/v1/me/products")).bearer_auth(&tampered)).await;
        assert_eq!(status, 401, "{body}");
        error_bodies.push(("a tampered JWT", body, tampered.clone()));

        // The account-based flow: request, the emailed link, a bad token, the link followed.
        let (status, body) = send(
            http.post(url("/api/v1/activations"))
                .bearer_auth(&jwt)
                .json(&json!({"key": keys[1]})),
        )
        .await;
        assert_eq!(status, 202, "{body}");
        let mails = smtp
            .wait_for(Duration::from_secs(30), |m| {
                m.iter().any(|m| m.verification_token().is_some())
            })
            .await;
        let verification = mails
            .iter()
            .find_map(reliability_support::Mail::verification_token)
            .expect("the verification email");
        secrets.push(("verification token", verification.clone()));
        // The link as the browser requests it: the token is in the query string.
        let (_, _) = send(http.get(url(&format!("/activate/verify?token={verification}")))).await;
        let bogus = "bogus-token-Fq2Wm9Zx0Lk7Yp3Rt5Vn8Bc1Hd4Gs6Jq2W";
        secrets.push(("bogus token", bogus.to_owned()));
        let (status, body) =
            send(http.post(url("/api/v1/activations/verify")).json(&json!({"token": bogus}))).await;
        assert_eq!(status, 404, "{body}");
        error_bodies.push(("verify with an unknown token", body, bogus.to_owned()));
        let (status, body) = send(
            http.post(url("/api/v1/activations/verify"))
                .json(&json!({"token": verification})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = send(
            http.post(url("/api/v1/activations/verify"))
                .json(&json!({"token": verification})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        error_bodies.push(("a replayed link", body, verification.clone()));

        // The legacy flow: a long-form account, sign-in by login ID, a registration, a repeat.
        let (status, body) = send(http.post(url("/api/v1/accounts/legacy")).json(&json!({
            "login_id": "quietlegacy", "password": LEGACY_PASSWORD, "email": "legacy@quiet.example",
            "company": "Quiet Logs AG", "address": "1 Silent Way", "city": "Zurich",
            "state": "ZH", "postal_code": "8000", "country": "CH", "phone": "+41 44 000 00 00",
            "contact_name": "Lee Quiet",
        })))
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = send(
            http.post(url("/api/v1/session"))
                .json(&json!({"login": "quietlegacy", "password": LEGACY_PASSWORD})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let legacy_jwt = serde_json::from_str::<Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        secrets.push(("legacy customer JWT", legacy_jwt.clone()));
        for key in &keys[3..] {
            let (status, body) = send(
                http.post(url("/api/v1/registrations"))
                    .bearer_auth(&legacy_jwt)
                    .json(&json!({"key": key})),
            )
            .await;
            assert_eq!(status, 201, "{body}");
            assert!(!body.contains(key.as_str()), "a registration does not echo its key");
        }
        let (status, body) = send(
            http.post(url("/api/v1/registrations"))
                .bearer_auth(&jwt)
                .json(&json!({"key": keys[3]})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        error_bodies.push(("a registered key again", body, keys[3].clone()));
        let (status, body) = send(
            http.post(url("/api/v1/registrations"))
                .bearer_auth(&jwt)
                .json(&json!({"key": keys[0]})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        error_bodies.push(("a key of the other flow", body, keys[0].clone()));
        let (status, body) = send(http.get(url("/api/v1/me/products")).bearer_auth(&jwt)).await;
        assert_eq!(status, 200, "{body}");

        // A password reset: the emailed link, a bogus one, the link used; then a change.
        let (status, body) = send(
            http.post(url("/api/v1/password-resets"))
                .json(&json!({"email": email})),
        )
        .await;
        assert_eq!(status, 202, "{body}");
        let marker = "/reset-password?token=";
        let mails = smtp
            .wait_for(Duration::from_secs(30), |m| {
                m.iter().any(|m| m.decoded().contains(marker))
            })
            .await;
        let reset = mails
            .iter()
            .find_map(|m| {
                let decoded = m.decoded();
                let start = decoded.find(marker)? + marker.len();
                Some(
                    decoded[start..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                        .collect::<String>(),
                )
            })
            .expect("the password reset email");
        secrets.push(("password reset token", reset.clone()));
        let reset_password = "reset-Pa55word-Kq7Vn2Xw9Lz4";
        secrets.push(("password set by a reset", reset_password.to_owned()));
        let (status, body) = send(http.post(url("/api/v1/password-resets/confirm")).json(
            &json!({"token": bogus, "new_password": reset_password}),
        ))
        .await;
        assert_eq!(status, 410, "{body}");
        error_bodies.push(("a reset with an unknown token", body, bogus.to_owned()));
        let (status, body) = send(http.post(url("/api/v1/password-resets/confirm")).json(
            &json!({"token": reset, "new_password": reset_password}),
        ))
        .await;
        assert_eq!(status, 204, "{body}");
        let (status, body) = send(http.post(url("/api/v1/password-resets/confirm")).json(
            &json!({"token": reset, "new_password": reset_password}),
        ))
        .await;
        assert_eq!(status, 410, "{body}");
        error_bodies.push(("a used reset link", body, reset.clone()));
        let (status, body) = send(
            http.post(url("/api/v1/session"))
                .json(&json!({"login": email, "password": reset_password})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let reset_jwt = serde_json::from_str::<Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        secrets.push(("customer JWT after a reset", reset_jwt.clone()));
        let changed_password = "changed-Pa55word-Rt4Yb8Nm1Qs6";
        secrets.push(("password set by a change", changed_password.to_owned()));
        let (status, body) = send(
            http.post(url("/api/v1/me/password"))
                .bearer_auth(&reset_jwt)
                .json(&json!({"current_password": wrong_password,
                              "new_password": changed_password})),
        )
        .await;
        assert_eq!(status, 401, "{body}");
        error_bodies.push(("a change with a wrong password", body, changed_password.to_owned()));
        let (status, body) = send(
            http.post(url("/api/v1/me/password"))
                .bearer_auth(&reset_jwt)
                .json(&json!({"current_password": reset_password,
                              "new_password": changed_password})),
        )
        .await;
        assert_eq!(status, 204, "{body}");
        // Two-factor sign-in: the secret and the recovery codes are never logged or echoed.
        // The password change ended the earlier sessions: sign in again.
        let (status, body) = send(
            http.post(url("/api/v1/session"))
                .json(&json!({"login": email, "password": changed_password})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let jwt_now = serde_json::from_str::<Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        secrets.push(("customer JWT after a password change", jwt_now.clone()));
        let (status, body) =
            send(http.post(url("/api/v1/me/mfa/totp")).bearer_auth(&jwt_now)).await;
        assert_eq!(status, 200, "{body}");
        let totp_secret = serde_json::from_str::<Value>(&body).unwrap()["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        secrets.push(("TOTP secret", totp_secret.clone()));
        let code = {
            let bytes = totp_rs::Secret::try_from_base32(&totp_secret).unwrap().to_vec();
            let totp = totp_rs::Builder::new().with_secret(bytes).build().unwrap();
            let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
            totp.generate(now).to_string()
        };
        let (status, body) = send(
            http.post(url("/api/v1/me/mfa/totp/confirm"))
                .bearer_auth(&jwt_now)
                .json(&json!({"code": code})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let recovery: Vec<String> = serde_json::from_str::<Value>(&body).unwrap()["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        for code in &recovery {
            secrets.push(("recovery code", code.clone()));
        }
        let wrong_recovery = "zzzzq-qqzzq";
        secrets.push(("wrong recovery code", wrong_recovery.to_owned()));
        let (status, body) = send(http.post(url("/api/v1/session")).json(
            &json!({"login": email, "password": changed_password, "otp": wrong_recovery}),
        ))
        .await;
        assert_eq!(status, 401, "{body}");
        error_bodies.push(("sign-in with a wrong recovery code", body, wrong_recovery.to_owned()));
        let (status, body) = send(http.post(url("/api/v1/session")).json(
            &json!({"login": email, "password": changed_password, "otp": recovery[0]}),
        ))
        .await;
        assert_eq!(status, 200, "{body}");
        secrets.push((
            "customer JWT after two-factor sign-in",
            serde_json::from_str::<Value>(&body).unwrap()["token"]
                .as_str()
                .unwrap()
                .to_owned(),
        ));
        let (status, body) = send(
            http.delete(url("/api/v1/me/mfa/totp"))
                .bearer_auth(&jwt_now)
                .json(&json!({"password": changed_password, "code": recovery[0]})),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        error_bodies.push(("disable with a used recovery code", body, recovery[0].clone()));

        // Let the workers send everything (verification, confirmation, 2 notices; webhooks).
        smtp.wait_for(Duration::from_secs(30), |m| m.len() >= 4).await;
        receiver
            .wait_for(Duration::from_secs(30), |r| r.len() >= 6)
            .await;
        server.stop().await;

        for (what, body, secret) in &error_bodies {
            assert!(!body.contains(secret.as_str()), "{what}: the error body echoes it: {body}");
            let lower = body.to_lowercase();
            for leak in ["sqlx", "sqlite", "postgres", "panicked", "stack backtrace"] {
                assert!(!lower.contains(leak), "{what}: the error body shows `{leak}`: {body}");
            }
        }
        let output = server.output();
        let debug_lines = output.iter().filter(|l| l.contains("\"DEBUG\"")).count();
        assert!(output.len() > 50, "too little output to mean anything: {output:?}");
        assert!(debug_lines > 0, "RUST_LOG=debug is in effect");
        for line in output.iter().filter_map(|l| l.strip_prefix("out: ")) {
            assert!(
                serde_json::from_str::<Value>(line).is_ok(),
                "standard output is one JSON object a line: {line}"
            );
        }
        // The search sees logged field values: the public client ID is logged at start.
        assert!(
            output.iter().any(|l| l.contains(CLIENT_ID)),
            "the capture misses logged fields"
        );
        if std::env::var_os("CLP_TEST_SHOW_LOG").is_some() {
            println!("{}", output.join("\n"));
        }
        let mut leaks = Vec::new();
        for line in &output {
            for (what, secret) in &secrets {
                if line.contains(secret.as_str())
                    || line.to_lowercase().contains(&secret.to_lowercase())
                {
                    leaks.push(format!("{what}: {line}"));
                }
            }
        }
        assert!(leaks.is_empty(), "secrets in the log:\n{}", leaks.join("\n"));
        println!(
            "no secrets in logs [{backend}]: {} lines ({debug_lines} debug) searched for {} \
             secrets, {} error bodies checked: 0 leaks",
            output.len(),
            secrets.len(),
            error_bodies.len()
        );
    })
    .await;
}
