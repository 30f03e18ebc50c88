//! The signed-in customer's settings: `PATCH /api/v1/me` (profile), `POST /api/v1/me/password`
//! (which ends every other session) and `POST /api/v1/me/email` (a change of address, made when
//! the link sent to the new address is followed).
//!
//! The two routes that take the password check it like sign-in: a wrong one is 401
//! `invalid_credentials` and counts toward the account's sign-in back-off, and a locked account
//! is refused even with the right one.

use actix_web::{HttpRequest, HttpResponse, patch, post, web};
use chrono::Utc;
use clp_api_types::{
    AccountResponse, ChangeEmailAccepted, ChangeEmailRequest, ChangePasswordRequest, Problem,
    UpdateProfileRequest,
};
use clp_db::account_changes::{self, ProfileChange};
use clp_db::accounts::{self, Account};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::{TransactionTrait as _, email_verifications, unverified_accounts};
use clp_domain::Lang;
use clp_domain::account::AccountId;
use serde_json::json;

use super::ServiceConfig;
use super::accounts::{Errors, account_response};
use super::flow_support::client_ip;
use crate::auth::CustomerSession;
use crate::auth::customer::session_cookie;
use crate::auth::jwt::CUSTOMER_SESSION_TTL;
use crate::auth::link_token::new_token;
use crate::auth::password::{hash_password, run_hashing, verify_password};
use crate::error::ApiError;
use crate::mail::{EmailChangeMail, EmailChangeNoticeMail, MailPayload, MailTemplate};
use crate::messages::FieldProblem;
use crate::state::AppState;

/// Registers the settings routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(update_profile)
        .service(change_password)
        .service(change_email);
}

/// The signed-in account; a token of a deleted account is 401.
async fn signed_in(state: &AppState, session: CustomerSession) -> Result<Account, ApiError> {
    accounts::find_by_id(&state.db, AccountId(session.account_id))
        .await?
        .ok_or(ApiError::Unauthorized)
}

/// Checks `password` against the account like sign-in: a locked account or a wrong password is
/// 401 `invalid_credentials`, and a wrong password counts toward the back-off.
async fn check_password(
    state: &AppState,
    req: &HttpRequest,
    account: &Account,
    password: String,
    route: &str,
) -> Result<(), ApiError> {
    let hash = account.password_hash.clone();
    let verified = run_hashing(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)??;
    let now = Utc::now();
    let locked = account.locked_for(now).is_some();
    if verified && !locked {
        accounts::reset_failed_sign_ins(&state.db, account.id).await?;
        return Ok(());
    }
    let locked_until = if locked {
        account.locked_until
    } else {
        accounts::record_failed_sign_in(&state.db, account.id, now).await?
    };
    audit::record(
        &state.db,
        AuditEntry {
            kind: AuditKind::SessionFailed,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(state, req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({ "route": route, "locked_until": locked_until, "locked": locked }),
        },
        now,
    )
    .await?;
    tracing::info!(account_id = account.id.0, route, "password refused");
    Err(ApiError::InvalidCredentials)
}

/// The validated change of a `PATCH /me` body (every bad field in one 422).
fn profile_change(request: UpdateProfileRequest) -> Result<ProfileChange, ApiError> {
    let mut errors = Errors::new("");
    if let Some(name) = &request.full_name {
        errors.required("full_name", name);
    }
    errors.optional("company", request.company.as_deref());
    let country = request.country.map(|c| c.trim().to_ascii_uppercase());
    if let Some(country) = country.as_deref().filter(|c| !c.is_empty()) {
        errors.country("country", country);
    }
    let language: Option<Lang> = match request.language.as_deref().map(str::trim) {
        None => None,
        Some(code) => match code.to_ascii_lowercase().parse() {
            Ok(lang) => Some(lang),
            Err(_) => {
                errors.add("language", FieldProblem::InvalidLanguage);
                None
            }
        },
    };
    errors.finish()?;
    Ok(ProfileChange {
        full_name: request.full_name,
        company: request.company,
        country,
        language,
    })
}

/// Changes the profile: any subset of `full_name`, `company`, `country` (ISO 3166-1 alpha-2,
/// or empty) and `language` (`en`, `ja`: the language of the emails).
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    request_body = UpdateProfileRequest,
    responses(
        (status = 200, description = "The account as it is now.", body = AccountResponse),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each listed in `errors`: an empty full \
            name, over 200 characters, a country that is not two letters, a language other than \
            `en` or `ja` (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<UpdateProfileRequest>,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let change = profile_change(body.into_inner())?;
    let account = signed_in(&state, session).await?;
    let mfa_enabled = clp_db::mfa::is_active(&state.db, account.id).await?;
    if change.is_empty() {
        return Ok(web::Json(AccountResponse {
            mfa_enabled,
            ..account_response(&account)
        }));
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let updated = account_changes::update_profile(&txn, &account, &change)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let mut fields = Vec::new();
    for (name, set) in [
        ("full_name", change.full_name.is_some()),
        ("company", change.company.is_some()),
        ("country", change.country.is_some()),
        ("language", change.language.is_some()),
    ] {
        if set {
            fields.push(name);
        }
    }
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::ProfileUpdated,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({ "fields": fields }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(web::Json(AccountResponse {
        mfa_enabled,
        ..account_response(&updated)
    }))
}

/// Changes the password.
///
/// Every other session of the account ends (on every server process); this response sets a
/// fresh `clp_session` cookie, so the caller stays signed in with the cookie (a caller using
/// `Authorization: Bearer` signs in again).
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "The password is changed; other sessions have ended.",
            headers(("Set-Cookie" = String, description = "A fresh `clp_session` cookie."))),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`), or the current password \
            is wrong or the account is locked after repeated failures \
            (`invalid_credentials`; a wrong password counts toward the sign-in back-off).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the rules: 12 to 1024 \
            characters (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.into_inner();
    let mut errors = Errors::new("");
    errors.password("new_password", &new_password);
    errors.finish()?;
    let account = signed_in(&state, session).await?;
    check_password(&state, &req, &account, current_password, "me/password").await?;
    let password_hash = run_hashing(move || hash_password(&new_password))
        .await
        .map_err(ApiError::internal)??;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let epoch = account_changes::set_password(&txn, account.id, &password_hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::PasswordChanged,
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
    let token = state
        .jwt
        .issue_customer(account.id.0, epoch, CUSTOMER_SESSION_TTL)?;
    tracing::info!(account_id = account.id.0, "password changed");
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(token, &state.config))
        .finish())
}

/// Asks to change the email address.
///
/// A link is emailed to the new address (`{CLP_PUBLIC_URL}/verify-email?token=...`, valid for
/// `CLP_VERIFICATION_TTL`); the change takes effect when it is followed
/// (`POST /api/v1/accounts/verify-email`), and the current address is told now. A newer request
/// replaces an earlier one's link.
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    request_body = ChangeEmailRequest,
    responses(
        (status = 202, description = "The link was sent to the new address.",
            body = ChangeEmailAccepted),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`), or the password is wrong \
            or the account is locked after repeated failures (`invalid_credentials`; a wrong \
            password counts toward the sign-in back-off).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another account has the address (`account_exists`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address, or the account's address already \
            (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/email")]
pub async fn change_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<ChangeEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangeEmailRequest {
        new_email,
        password,
    } = body.into_inner();
    let mut errors = Errors::new("");
    let email = errors.email("new_email", &new_email);
    if password.is_empty() {
        errors.add("password", FieldProblem::Required);
    }
    errors.finish()?;
    let new_email = email
        .ok_or_else(|| ApiError::internal("a checked email is missing"))?
        .into_string();
    let account = signed_in(&state, session).await?;
    if new_email == account.email {
        return Err(ApiError::invalid_field(
            "new_email",
            FieldProblem::SameEmail,
        ));
    }
    check_password(&state, &req, &account, password, "me/email").await?;
    if unverified_accounts::email_taken(&state.db, &new_email).await? {
        return Err(ApiError::AccountExists);
    }
    let now = Utc::now();
    let ttl =
        chrono::Duration::from_std(state.config.verification_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    let (token, hash) = new_token()?;
    let txn = state.db.begin().await?;
    email_verifications::create_change(&txn, account.id, &new_email, &hash, now, expires_at)
        .await?;
    let link = MailPayload::new(
        new_email.clone(),
        account.language,
        MailTemplate::EmailChange(EmailChangeMail {
            token,
            expires_at,
            full_name: account.full_name.clone(),
            new_email: new_email.clone(),
        }),
    );
    let notice = MailPayload::new(
        account.email.clone(),
        account.language,
        MailTemplate::EmailChangeNotice(EmailChangeNoticeMail {
            full_name: account.full_name.clone(),
            new_email: new_email.clone(),
        }),
    );
    clp_db::outbox::enqueue_all(
        &txn,
        vec![link.outbox_message(), notice.outbox_message()],
        now,
    )
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::EmailChangeRequested,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({ "to": new_email }),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    tracing::info!(account_id = account.id.0, "email change requested");
    Ok(HttpResponse::Accepted().json(ChangeEmailAccepted {
        new_email,
        expires_at,
    }))
}
