//! `POST /api/v1/session` (sign in) and `DELETE /api/v1/session` (sign out).
//!
//! A wrong password, an unknown login and a locked account give the same 401
//! `invalid_credentials` (same body, same headers), and take the same time (one argon2
//! verification each; a dummy one for unknown logins). After repeated failures an account is
//! locked for a growing time (see `clp_db::accounts`): until the lock ends even the right
//! password gets that 401. Per client IP throttling (429) is separate: `crate::rate_limit`.
//!
//! An account with two-factor sign-in needs `otp` too, checked only once the password is
//! right: without it 401 `mfa_required`; a wrong, replayed or used code is a failed sign-in
//! (401 `invalid_credentials`, counted toward the lock like a wrong password).

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use clp_api_types::{AccountResponse, Problem, SessionRequest, SessionResponse, SessionStatus};
use clp_db::accounts;
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::mfa::{self, TotpCredential};
use serde_json::json;

use super::ServiceConfig;
use super::accounts::account_response;
use super::flow_support::client_ip;
use super::mfa::{SecondFactor, check_second_factor};
use crate::auth::OptionalCustomerSession;
use crate::auth::customer::{removal_cookie, session_cookie};
use crate::auth::jwt::CUSTOMER_SESSION_TTL;
use crate::auth::password::{run_hashing, verify_dummy, verify_password};
use crate::error::ApiError;
use crate::state::AppState;

/// Registers the session routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(delete_session)
        .service(get_session);
}

/// Signs in with an email or login ID and a password.
///
/// Returns the session token and sets it as the `clp_session` cookie (HttpOnly,
/// SameSite=Strict, Path=/, Secure when the portal is served over HTTPS). Send either the
/// cookie or `Authorization: Bearer <token>` afterwards.
#[utoipa::path(
    tag = "session",
    request_body = SessionRequest,
    responses(
        (status = 200, description = "Signed in; the token is also set as the `clp_session` \
            cookie.", body = SessionResponse,
            headers(("Set-Cookie" = String, description = "`clp_session=<jwt>; HttpOnly; \
                SameSite=Strict; Path=/` (+ `Secure` over HTTPS)"))),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong login or password, or an account locked for a \
            while after repeated failures (even the right password is refused until the lock \
            ends); the same answer whether or not the account exists (`invalid_credentials`). \
            For an account with two-factor sign-in: the right password without `otp` \
            (`mfa_required`: ask for the code and send it again with `otp`), or a wrong, \
            replayed or used code (`invalid_credentials`, counted like a wrong password).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client IP \
            (`rate_limited`); see `Retry-After`.",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/session")]
pub async fn create_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SessionRequest>,
) -> Result<HttpResponse, ApiError> {
    let SessionRequest {
        login,
        password,
        otp,
    } = body.into_inner();
    let now = Utc::now();
    let account = accounts::find_by_login(&state.db, &login).await?;
    // Every path runs one argon2 verification, so the time taken does not tell whether the
    // account exists or is locked either.
    let verified = match &account {
        Some(account) => {
            let hash = account.password_hash.clone();
            run_hashing(move || verify_password(&password, &hash))
                .await
                .map_err(ApiError::internal)??
        }
        None => run_hashing(move || verify_dummy(&password))
            .await
            .map_err(ApiError::internal)?,
    };
    let ip = client_ip(&state, &req);
    let Some(account) = account else {
        tracing::info!("sign-in refused: unknown login");
        return Err(ApiError::InvalidCredentials);
    };
    if let Some(locked_for) = account.locked_for(now) {
        // Refused even with the right password, with the answer of a wrong one: a distinct
        // answer (a 429, a `Retry-After`) would tell that the account exists. The lock does
        // not grow while it lasts.
        audit::record(
            &state.db,
            AuditEntry {
                kind: AuditKind::SessionFailed,
                actor: Actor::Anonymous,
                client_ip: ip,
                order_id: None,
                account_id: Some(account.id.0),
                detail: json!({ "locked_until": account.locked_until, "locked": true }),
            },
            now,
        )
        .await?;
        tracing::info!(
            account_id = account.id.0,
            locked_for_secs = locked_for.num_seconds(),
            "sign-in refused: account locked"
        );
        return Err(ApiError::InvalidCredentials);
    }
    if !verified {
        let now = Utc::now();
        let locked_until = accounts::record_failed_sign_in(&state.db, account.id, now).await?;
        audit::record(
            &state.db,
            AuditEntry {
                kind: AuditKind::SessionFailed,
                actor: Actor::Anonymous,
                client_ip: ip,
                order_id: None,
                account_id: Some(account.id.0),
                detail: json!({ "locked_until": locked_until }),
            },
            now,
        )
        .await?;
        tracing::info!(
            account_id = account.id.0,
            locked = locked_until.is_some(),
            "sign-in refused: wrong password"
        );
        return Err(ApiError::InvalidCredentials);
    }
    let credential = mfa::find(&state.db, account.id)
        .await?
        .filter(TotpCredential::is_active);
    if let Some(credential) = &credential {
        let Some(otp) = otp.as_deref().map(str::trim).filter(|otp| !otp.is_empty()) else {
            tracing::info!(account_id = account.id.0, "sign-in needs the second factor");
            return Err(ApiError::MfaRequired);
        };
        let now = Utc::now();
        match check_second_factor(&state.db, credential, &account.email, otp, now).await? {
            SecondFactor::Totp => {}
            SecondFactor::RecoveryCode => {
                audit::record(
                    &state.db,
                    AuditEntry {
                        kind: AuditKind::MfaRecoveryCodeUsed,
                        actor: Actor::Account(account.id.0),
                        client_ip: ip.clone(),
                        order_id: None,
                        account_id: Some(account.id.0),
                        detail: json!({
                            "unused_left": mfa::unused_recovery_codes(&state.db, account.id).await?,
                        }),
                    },
                    now,
                )
                .await?;
            }
            SecondFactor::Refused => {
                let locked_until =
                    accounts::record_failed_sign_in(&state.db, account.id, now).await?;
                audit::record(
                    &state.db,
                    AuditEntry {
                        kind: AuditKind::SessionFailed,
                        actor: Actor::Anonymous,
                        client_ip: ip,
                        order_id: None,
                        account_id: Some(account.id.0),
                        detail: json!({ "locked_until": locked_until, "second_factor": true }),
                    },
                    now,
                )
                .await?;
                tracing::info!(
                    account_id = account.id.0,
                    locked = locked_until.is_some(),
                    "sign-in refused: wrong second factor"
                );
                return Err(ApiError::InvalidCredentials);
            }
        }
    }
    accounts::reset_failed_sign_ins(&state.db, account.id).await?;
    let token =
        state
            .jwt
            .issue_customer(account.id.0, account.session_epoch, CUSTOMER_SESSION_TTL)?;
    let expires_at =
        now + chrono::Duration::from_std(CUSTOMER_SESSION_TTL).map_err(ApiError::internal)?;
    audit::record(
        &state.db,
        AuditEntry {
            kind: AuditKind::SessionCreated,
            actor: Actor::Account(account.id.0),
            client_ip: ip,
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({}),
        },
        now,
    )
    .await?;
    tracing::info!(account_id = account.id.0, "signed in");
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(token.clone(), &state.config))
        .json(SessionResponse {
            token,
            token_type: "Bearer".to_owned(),
            expires_at,
            account: AccountResponse {
                mfa_enabled: credential.is_some(),
                ..account_response(&account)
            },
        }))
}

/// Signs out: clears the `clp_session` cookie.
///
/// Tokens are stateless; a bearer token stays valid until it expires, so clients drop it.
#[utoipa::path(
    tag = "session",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared.",
            headers(("Set-Cookie" = String, description = "An expired `clp_session` cookie."))),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/session")]
pub async fn delete_session(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::NoContent()
        .cookie(removal_cookie(&state.config))
        .finish()
}

/// Whether the request is signed in, and as whom.
///
/// Never 401: an anonymous caller, or one whose session ended (expired, signed out elsewhere by
/// a password change or reset), gets `signed_in: false`, so a page can ask on load without an
/// error.
#[utoipa::path(
    tag = "session",
    responses(
        (status = 200, description = "The session status, with the account when signed in.",
            body = SessionStatus),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/session")]
pub async fn get_session(
    state: web::Data<AppState>,
    session: OptionalCustomerSession,
) -> Result<web::Json<SessionStatus>, ApiError> {
    let account = match session.0 {
        Some(session) => {
            accounts::find_by_id(
                state.db.read_pool(),
                clp_domain::account::AccountId(session.account_id),
            )
            .await?
        }
        None => None,
    };
    let account = match account {
        Some(account) => Some(AccountResponse {
            mfa_enabled: mfa::is_active(state.db.read_pool(), account.id).await?,
            ..account_response(&account)
        }),
        None => None,
    };
    Ok(web::Json(SessionStatus {
        signed_in: account.is_some(),
        account,
    }))
}
