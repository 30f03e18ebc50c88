//! `POST /api/v1/password-resets` (email a single-use link that sets a new password) and
//! `POST /api/v1/password-resets/confirm` (the link was followed: set it).
//!
//! Asking tells nothing about the address: the answer is the same 202 whether or not an
//! account has it, after the same work (a token is drawn and hashed, one `INSERT ... SELECT`
//! inserts a link row or none, an audit entry is written); only a known address gets mail.
//! Confirming is one conditional `UPDATE` of the link (unused and unexpired), so a link works
//! once; the new password starts a new session epoch, which ends every session issued before on
//! every server process. Both routes are rate limited per client IP (`RouteClass`).

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use clp_api_types::{PasswordResetAccepted, PasswordResetConfirm, PasswordResetRequest, Problem};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::password_resets::{self, ResetOutcome};
use clp_db::{TransactionTrait as _, accounts};
use serde_json::json;

use super::ServiceConfig;
use super::accounts::Errors;
use super::flow_support::client_ip;
use crate::auth::link_token::{self, new_token, token_hash};
use crate::auth::password::{hash_password, run_hashing};
use crate::error::ApiError;
use crate::mail::{MailPayload, MailTemplate, PasswordResetMail};
use crate::state::AppState;

/// Registers the password reset routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(request_password_reset)
        .service(confirm_password_reset);
}

/// Emails a link that sets a new password, if an account has this address.
///
/// Always `202` with the same body, known address or not. The link
/// `{CLP_PUBLIC_URL}/reset-password?token=...` works once, for `CLP_PASSWORD_RESET_TTL` (1 hour
/// by default); the email is in the account's language.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted: if an account has this address, the link was \
            emailed to it. The same answer for an unknown address.",
            body = PasswordResetAccepted),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-resets")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Errors::new("");
    let email = errors.email("email", &body.email);
    errors.finish()?;
    let email = email.ok_or_else(|| ApiError::internal("a checked email is missing"))?;
    let now = Utc::now();
    let ttl =
        chrono::Duration::from_std(state.config.password_reset_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    // Drawn for every request, so a known and an unknown address cost the same.
    let (token, hash) = new_token()?;
    let txn = state.db.begin().await?;
    let created =
        password_resets::create_for_email(&txn, email.as_str(), &hash, now, expires_at).await?;
    // Read in both cases too; only a created link makes it the recipient.
    let account = accounts::find_by_email(&txn, email.as_str())
        .await?
        .filter(|_| created);
    if let Some(account) = &account {
        let mail = MailPayload::new(
            account.email.clone(),
            account.language,
            MailTemplate::PasswordReset(PasswordResetMail {
                token,
                expires_at,
                full_name: account.full_name.clone(),
            }),
        );
        clp_db::outbox::enqueue(&txn, mail.outbox_message(), now).await?;
    }
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::PasswordResetRequested,
            actor: Actor::Anonymous,
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: account.as_ref().map(|a| a.id.0),
            detail: json!({}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    if account.is_some() {
        state.outbox_wakeup.notify();
    }
    tracing::info!("password reset requested");
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        status: "accepted".to_owned(),
    }))
}

/// Sets a new password with the emailed link.
///
/// `token` is the `token` parameter of the link `{CLP_PUBLIC_URL}/reset-password?token=...`.
/// The password follows the sign-up rules (12 to 1024 characters). Every session of the
/// account issued before ends (on every server process), the sign-in back-off is cleared, and
/// the account's email counts as verified (the link reached it). Sign in afterwards.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; earlier sessions have ended."),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link was used already, expired, or is unknown: ask \
            for a new one (`link_expired`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the rules, or the token is empty \
            or too long (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-resets/confirm")]
pub async fn confirm_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let PasswordResetConfirm {
        token,
        new_password,
    } = body.into_inner();
    let token = link_token::checked(&token)?.to_owned();
    let mut errors = Errors::new("");
    errors.password("new_password", &new_password);
    errors.finish()?;
    let password_hash = run_hashing(move || hash_password(&new_password))
        .await
        .map_err(ApiError::internal)??;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let account =
        match password_resets::reset(&txn, &token_hash(&token), &password_hash, now).await? {
            ResetOutcome::Reset(account) => account,
            ResetOutcome::Spent => return Err(ApiError::LinkExpired),
        };
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::PasswordReset,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({}),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(account_id = account.id.0, "password reset");
    Ok(HttpResponse::NoContent().finish())
}
