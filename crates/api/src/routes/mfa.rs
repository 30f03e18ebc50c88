//! `/api/v1/me/mfa/totp`: two-factor sign-in with TOTP (RFC 6238) for the signed-in customer.
//!
//! `POST` starts an enrolment (a new secret, not active yet; a pending one is replaced),
//! `POST .../confirm` activates it with a first code and returns the ten recovery codes (shown
//! this once, stored hashed), `DELETE` turns it off with the password and a code (a TOTP code
//! or a recovery code). The secret and the codes never reach a log.

use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use chrono::{DateTime, Utc};
use clp_api_types::{
    DisableTotpRequest, Problem, RecoveryCodes, TotpConfirmRequest, TotpEnrolment,
};
use clp_db::accounts::{self, Account};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::mfa::{self, EnrolError, TotpCredential};
use clp_domain::account::AccountId;
use sea_orm::{ConnectionTrait, TransactionTrait as _};
use serde_json::json;

use super::ServiceConfig;
use super::flow_support::client_ip;
use crate::auth::CustomerSession;
use crate::auth::password::{run_hashing, verify_password};
use crate::auth::totp;
use crate::error::ApiError;
use crate::mail::{MailPayload, MailTemplate, MfaChangedMail};
use crate::messages::{ConflictKind, FieldProblem};
use crate::state::AppState;

/// Registers the two-factor routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(start_totp)
        .service(confirm_totp)
        .service(disable_totp);
}

/// The signed-in account; a token of a deleted account is 401.
async fn signed_in(state: &AppState, session: &CustomerSession) -> Result<Account, ApiError> {
    accounts::find_by_id(&state.db, AccountId(session.account_id))
        .await?
        .ok_or(ApiError::Unauthorized)
}

/// What a second-factor code proved, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// The TOTP code of a time step not used before.
    Totp,
    /// An unused recovery code (now used).
    RecoveryCode,
    /// Neither: a wrong, replayed or used code.
    Refused,
}

/// Checks `code` against the active credential of its account: a TOTP code within one step of
/// `now` whose step is later than the last accepted (a conditional update: a code works once),
/// else a recovery code (a conditional update: used once, whatever the concurrency).
pub async fn check_second_factor(
    conn: &impl ConnectionTrait,
    credential: &TotpCredential,
    email: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SecondFactor, ApiError> {
    let account = credential.account_id;
    if totp::is_totp_shaped(code) {
        let step = totp::matching_step(&credential.secret, email, code, now)?;
        return Ok(match step {
            Some(step) if mfa::use_step(conn, account, step).await? => SecondFactor::Totp,
            _ => SecondFactor::Refused,
        });
    }
    let hash = totp::recovery_code_hash(code);
    Ok(
        if mfa::use_recovery_code(conn, account, &hash, now).await? {
            SecondFactor::RecoveryCode
        } else {
            SecondFactor::Refused
        },
    )
}

/// The email telling the account that two-factor sign-in was turned on or off.
fn changed_mail(account: &Account, enabled: bool, at: DateTime<Utc>) -> MailPayload {
    MailPayload::new(
        account.email.clone(),
        account.language,
        MailTemplate::MfaChanged(MfaChangedMail {
            full_name: account.full_name.clone(),
            enabled,
            at,
        }),
    )
}

/// Starts setting up two-factor sign-in: a new TOTP secret, not active until confirmed.
///
/// Returns the secret (base32, to type into an authenticator app) and its `otpauth://` URI (to
/// show as a QR code): SHA-1, 6 digits, 30-second steps, issuer `Open CLP`, the account's email
/// as account name. A setup not yet confirmed is replaced.
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The new secret; confirm it with a first code.",
            body = TotpEnrolment),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Two-factor sign-in is on already (`conflict`): turn it \
            off first.",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/mfa/totp")]
pub async fn start_totp(
    state: web::Data<AppState>,
    session: CustomerSession,
) -> Result<web::Json<TotpEnrolment>, ApiError> {
    let account = signed_in(&state, &session).await?;
    let new = totp::new_secret(&account.email)?;
    let txn = state.db.begin().await?;
    match mfa::start_enrolment(&txn, account.id, &new.secret, Utc::now()).await {
        Ok(()) => {}
        Err(EnrolError::AlreadyActive) => {
            return Err(ApiError::Conflict(ConflictKind::MfaAlreadyOn));
        }
        Err(EnrolError::Db(err)) => return Err(err.into()),
    }
    txn.commit().await?;
    tracing::info!(account_id = account.id.0, "two-factor setup started");
    Ok(web::Json(TotpEnrolment {
        secret: new.secret,
        otpauth_uri: new.otpauth_uri,
    }))
}

/// Turns two-factor sign-in on: the first code of the authenticator app confirms the setup.
///
/// Returns ten one-time recovery codes, shown this once (only their hashes are kept): each is
/// accepted once at sign-in in place of a code. An email tells the account.
#[utoipa::path(
    tag = "me",
    request_body = TotpConfirmRequest,
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "Two-factor sign-in is on; the recovery codes.",
            body = RecoveryCodes),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No setup is waiting for its first code, or two-factor \
            sign-in is on already (`conflict`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code is not the current one (`validation_failed`, \
            field `code`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/mfa/totp/confirm")]
pub async fn confirm_totp(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<TotpConfirmRequest>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let account = signed_in(&state, &session).await?;
    let now = Utc::now();
    let credential = match mfa::find(&state.db, account.id).await? {
        Some(credential) if credential.is_active() => {
            return Err(ApiError::Conflict(ConflictKind::MfaAlreadyOn));
        }
        Some(credential) => credential,
        None => return Err(ApiError::Conflict(ConflictKind::MfaNotEnrolling)),
    };
    let Some(step) = totp::matching_step(&credential.secret, &account.email, &body.code, now)?
    else {
        return Err(ApiError::invalid_field("code", FieldProblem::WrongCode));
    };
    let codes = totp::new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let txn = state.db.begin().await?;
    if !mfa::confirm(&txn, account.id, step, &hashes, now).await? {
        // Confirmed (or replaced) by a concurrent request meanwhile.
        return Err(ApiError::Conflict(ConflictKind::MfaNotEnrolling));
    }
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::MfaEnabled,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({ "method": "totp" }),
        },
        now,
    )
    .await?;
    clp_db::outbox::enqueue(
        &txn,
        changed_mail(&account, true, now).outbox_message(),
        now,
    )
    .await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    tracing::info!(account_id = account.id.0, "two-factor sign-in turned on");
    Ok(web::Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// Turns two-factor sign-in off, with the account's password and a current code (or a
/// recovery code). The recovery codes are deleted; an email tells the account.
#[utoipa::path(
    tag = "me",
    request_body = DisableTotpRequest,
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 204, description = "Two-factor sign-in is off."),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Two-factor sign-in is not on (`conflict`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password (field `password`) or code (field \
            `code`) (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/mfa/totp")]
pub async fn disable_totp(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<DisableTotpRequest>,
) -> Result<HttpResponse, ApiError> {
    let DisableTotpRequest { password, code } = body.into_inner();
    let account = signed_in(&state, &session).await?;
    let hash = account.password_hash.clone();
    let password_ok = run_hashing(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)??;
    let Some(credential) = mfa::find(&state.db, account.id)
        .await?
        .filter(TotpCredential::is_active)
    else {
        return Err(ApiError::Conflict(ConflictKind::MfaOff));
    };
    if !password_ok {
        return Err(ApiError::invalid_field(
            "password",
            FieldProblem::WrongPassword,
        ));
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let factor = check_second_factor(&txn, &credential, &account.email, &code, now).await?;
    if factor == SecondFactor::Refused {
        return Err(ApiError::invalid_field("code", FieldProblem::WrongCode));
    }
    if !mfa::disable(&txn, account.id).await? {
        return Err(ApiError::Conflict(ConflictKind::MfaOff));
    }
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::MfaDisabled,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({
                "with": match factor {
                    SecondFactor::RecoveryCode => "recovery_code",
                    _ => "totp",
                },
            }),
        },
        now,
    )
    .await?;
    clp_db::outbox::enqueue(
        &txn,
        changed_mail(&account, false, now).outbox_message(),
        now,
    )
    .await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    tracing::info!(account_id = account.id.0, "two-factor sign-in turned off");
    Ok(HttpResponse::NoContent().finish())
}
