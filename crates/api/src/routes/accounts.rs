//! `POST /api/v1/accounts` (simplified sign-up, which emails a link verifying the address),
//! `POST /api/v1/accounts/verify-email` (the link was followed) and
//! `POST /api/v1/accounts/legacy` (the long form of the legacy flow).
//!
//! [`prepare_simplified`] validates and hashes a simplified sign-up; the activation route uses
//! it too for the new account sent with an activation.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use clp_api_types::{
    AccountProfile, AccountResponse, CreateAccountRequest, CreateLegacyAccountRequest, Problem,
    RegionCode, VerifyEmailRequest,
};
use clp_db::accounts::{
    self, Account, CreateAccountError, NewLegacyAccount, NewSimplifiedAccount, Profile,
};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::email_verifications::{self, VerifyOutcome};
use clp_db::unverified_accounts;
use clp_db::{ConnectionTrait, TransactionTrait as _};
use clp_domain::{Email, Lang};
use serde_json::json;

use super::ServiceConfig;
use super::flow_support::client_ip;
use crate::auth::link_token::{self, new_token, token_hash};
use crate::auth::password::{hash_password, run_hashing};
use crate::error::{ApiError, FieldIssue};
use crate::mail::{EmailVerificationMail, MailPayload, MailTemplate};
use crate::messages::FieldProblem;
use crate::state::AppState;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (hashing is deliberately slow; unbounded input is a DoS).
pub const MAX_PASSWORD_CHARS: usize = 1024;
/// Longest text field accepted.
const MAX_TEXT_CHARS: usize = 200;

/// Registers the sign-up routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_account)
        .service(verify_email)
        .service(create_legacy_account);
}

impl From<CreateAccountError> for ApiError {
    fn from(err: CreateAccountError) -> Self {
        match err {
            CreateAccountError::Exists => ApiError::AccountExists,
            CreateAccountError::Db(e) => e.into(),
        }
    }
}

/// The API form of an account.
pub fn account_response(account: &Account) -> AccountResponse {
    AccountResponse {
        account_id: account.id.0,
        email: account.email.clone(),
        login_id: account.login_id.clone(),
        full_name: account.full_name.clone(),
        company: account.company.clone(),
        country: account.country.clone(),
        profile: match account.profile {
            Profile::Simplified => AccountProfile::Simplified,
            Profile::Legacy => AccountProfile::Legacy,
        },
        email_verified: account.email_verified,
        xdr_region: account
            .xdr_region
            .and_then(|r| r.as_str().parse::<RegionCode>().ok()),
        language: account.language.code().to_owned(),
        mfa_enabled: false,
    }
}

/// Collects the field errors of a request, each under its JSON path.
#[derive(Default)]
pub(super) struct Errors {
    prefix: String,
    issues: Vec<FieldIssue>,
}

impl Errors {
    pub(super) fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            issues: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, field: &str, problem: FieldProblem) {
        self.issues
            .push(FieldIssue::new(format!("{}{field}", self.prefix), problem));
    }

    /// The email of `field`, if it is one.
    pub(super) fn email(&mut self, field: &str, email: &str) -> Option<Email> {
        Email::parse(email)
            .map_err(|_| self.add(field, FieldProblem::InvalidEmail))
            .ok()
    }

    pub(super) fn password(&mut self, field: &str, password: &str) {
        let n = password.chars().count();
        if n < MIN_PASSWORD_CHARS {
            self.add(
                field,
                FieldProblem::TooShort {
                    min: MIN_PASSWORD_CHARS,
                },
            );
        } else if n > MAX_PASSWORD_CHARS {
            self.add(
                field,
                FieldProblem::TooLong {
                    max: MAX_PASSWORD_CHARS,
                },
            );
        }
    }

    pub(super) fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, FieldProblem::Required);
        } else if value.chars().count() > MAX_TEXT_CHARS {
            self.add(
                field,
                FieldProblem::TooLong {
                    max: MAX_TEXT_CHARS,
                },
            );
        }
    }

    pub(super) fn optional(&mut self, field: &str, value: Option<&str>) {
        if value.is_some_and(|v| v.chars().count() > MAX_TEXT_CHARS) {
            self.add(
                field,
                FieldProblem::TooLong {
                    max: MAX_TEXT_CHARS,
                },
            );
        }
    }

    pub(super) fn country(&mut self, field: &str, country: &str) {
        let country = country.trim();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            self.add(field, FieldProblem::InvalidCountry);
        }
    }

    pub(super) fn language(&mut self, field: &str, language: Option<&str>) -> Lang {
        match language.map(str::trim).filter(|l| !l.is_empty()) {
            None => Lang::En,
            Some(l) => l.to_ascii_lowercase().parse().unwrap_or_else(|_| {
                self.add(field, FieldProblem::InvalidLanguage);
                Lang::En
            }),
        }
    }

    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.issues))
        }
    }
}

/// A login ID: 3 to 64 of `A-Z a-z 0-9 . _ -` (never `@`, so a login is unambiguous).
pub fn is_valid_login_id(login_id: &str) -> bool {
    let login_id = login_id.trim();
    (3..=64).contains(&login_id.len())
        && login_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Validates a simplified sign-up (every bad field in one 422, field paths prefixed with
/// `prefix`, e.g. `account.`) and hashes its password off the async runtime.
pub async fn prepare_simplified(
    request: CreateAccountRequest,
    prefix: &str,
) -> Result<NewSimplifiedAccount, ApiError> {
    let mut errors = Errors::new(prefix);
    let email = errors.email("email", &request.email);
    errors.password("password", &request.password);
    errors.required("full_name", &request.full_name);
    errors.optional("company", request.company.as_deref());
    let country = request
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(country) = country {
        errors.country("country", country);
    }
    let language = errors.language("language", request.language.as_deref());
    errors.finish()?;
    let email = email.ok_or_else(|| ApiError::internal("a checked email is missing"))?;
    let password = request.password;
    let password_hash = run_hashing(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)??;
    Ok(NewSimplifiedAccount {
        email: email.into_string(),
        password_hash,
        full_name: request.full_name,
        company: request.company.unwrap_or_default(),
        country: country.unwrap_or_default().to_owned(),
        language,
    })
}

/// Validates the long form and hashes its password.
async fn prepare_legacy(request: CreateLegacyAccountRequest) -> Result<NewLegacyAccount, ApiError> {
    let mut errors = Errors::new("");
    if !is_valid_login_id(&request.login_id) {
        errors.add("login_id", FieldProblem::InvalidLoginId);
    }
    errors.password("password", &request.password);
    let email = errors.email("email", &request.email);
    for (field, value) in [
        ("company", &request.company),
        ("address", &request.address),
        ("city", &request.city),
        ("state", &request.state),
        ("postal_code", &request.postal_code),
        ("phone", &request.phone),
        ("contact_name", &request.contact_name),
    ] {
        errors.required(field, value);
    }
    errors.country("country", &request.country);
    let language = errors.language("language", request.language.as_deref());
    errors.finish()?;
    let email = email.ok_or_else(|| ApiError::internal("a checked email is missing"))?;
    let password = request.password;
    let password_hash = run_hashing(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)??;
    Ok(NewLegacyAccount {
        login_id: request.login_id,
        password_hash,
        email: email.into_string(),
        company: request.company,
        address: request.address,
        city: request.city,
        state: request.state,
        postal_code: request.postal_code,
        country: request.country,
        phone: request.phone,
        contact_name: request.contact_name,
        language,
    })
}

async fn record_created(
    conn: &impl ConnectionTrait,
    state: &AppState,
    account: &Account,
    req: &HttpRequest,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        AuditEntry {
            kind: AuditKind::AccountCreated,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(state, req),
            order_id: None,
            account_id: Some(account.id.0),
            detail: json!({ "profile": account.profile.as_str() }),
        },
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// Creates an account with the simplified form (email, password, full name).
///
/// An unverified account holding nothing with the same email is replaced (deleted: its
/// password and sessions stop working). The account stays unverified until a link sent to the
/// email is followed: the verification
/// link emailed now (`{CLP_PUBLIC_URL}/verify-email?token=...`, valid for
/// `CLP_VERIFICATION_TTL`, see `POST /api/v1/accounts/verify-email`) or the link of an
/// account-based activation. Sign in with `POST /api/v1/session` afterwards.
#[utoipa::path(
    tag = "accounts",
    request_body = CreateAccountRequest,
    responses(
        (status = 201, description = "The account, unverified; the email verification link \
            is sent.", body = AccountResponse),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A verified account, or one holding products, has this \
            email (`account_exists`); an unverified account holding nothing is replaced.",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each listed in `errors`: email format, \
            password of at least 12 characters, full name, two-letter country \
            (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts")]
pub async fn create_account(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CreateAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = prepare_simplified(body.into_inner(), "").await?;
    let now = Utc::now();
    let ttl =
        chrono::Duration::from_std(state.config.verification_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    let (token, hash) = new_token()?;
    // The account, its link and the email exist together or not at all.
    let txn = state.db.begin().await?;
    // An unverified account holding nothing does not squat the address: it is replaced.
    unverified_accounts::release_email(&txn, &new.email, client_ip(&state, &req), now).await?;
    let account = accounts::create_simplified(&txn, &new, now).await?;
    email_verifications::create(&txn, account.id, &hash, expires_at).await?;
    let mail = MailPayload::new(
        account.email.clone(),
        account.language,
        MailTemplate::EmailVerification(EmailVerificationMail {
            token,
            expires_at,
            full_name: account.full_name.clone(),
        }),
    );
    clp_db::outbox::enqueue(&txn, mail.outbox_message(), now).await?;
    record_created(&txn, &state, &account, &req).await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    tracing::info!(account_id = account.id.0, "account created (simplified)");
    Ok(HttpResponse::Created().json(account_response(&account)))
}

/// Verifies the email of an account created with `POST /api/v1/accounts`, or applies a change
/// of address asked with `POST /api/v1/me/email`.
///
/// `token` is the `token` parameter of the link `{CLP_PUBLIC_URL}/verify-email?token=...`
/// emailed at sign-up or to the new address of a change (the web app's page at that path posts
/// it). A change link moves the account to the new address, verified. A link works once, until it
/// expires (`CLP_VERIFICATION_TTL`, 24 hours by default).
#[utoipa::path(
    tag = "accounts",
    request_body = VerifyEmailRequest,
    responses(
        (status = 200, description = "The account, with `email_verified: true`.",
            body = AccountResponse),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No unused link has this token: unknown, or already \
            followed (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A change of address: another account has the new \
            address now; nothing changed (`account_exists`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link expired; the email stays unverified \
            (`verification_expired`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The token is empty or too long (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/verify-email")]
pub async fn verify_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<VerifyEmailRequest>,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let token = link_token::checked(&body.token)?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let (account, kind, detail) =
        match email_verifications::verify(&txn, &token_hash(token), now).await? {
            VerifyOutcome::Verified(account) => (
                account,
                AuditKind::AccountEmailVerified,
                json!({ "via": "email_verification" }),
            ),
            VerifyOutcome::EmailChanged { account, old_email } => (
                account,
                AuditKind::EmailChanged,
                json!({ "from": old_email }),
            ),
            // The transaction is rolled back when dropped (on PostgreSQL it is aborted anyway).
            VerifyOutcome::EmailTaken => return Err(ApiError::AccountExists),
            VerifyOutcome::Expired => {
                return Err(ApiError::EmailLinkExpired);
            }
            VerifyOutcome::Used | VerifyOutcome::Unknown => return Err(ApiError::NotFound),
        };
    audit::record(
        &txn,
        AuditEntry {
            kind,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(&state, &req),
            order_id: None,
            account_id: Some(account.id.0),
            detail,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(account_id = account.id.0, "email verified");
    Ok(web::Json(account_response(&account)))
}

/// Creates an account with the long registration form of the legacy flow.
///
/// Every field is required. The login ID (3 to 64 letters, digits, `.`, `_`, `-`) and the
/// email both sign in.
#[utoipa::path(
    tag = "accounts",
    request_body = CreateLegacyAccountRequest,
    responses(
        (status = 201, description = "The account.", body = AccountResponse),
        (status = 400, description = "The body is not JSON (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email or login ID is taken (`account_exists`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each listed in `errors` \
            (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/legacy")]
pub async fn create_legacy_account(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<CreateLegacyAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = prepare_legacy(body.into_inner()).await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    unverified_accounts::release_email(&txn, &new.email, client_ip(&state, &req), now).await?;
    let account = accounts::create_legacy(&txn, &new, now).await?;
    record_created(&txn, &state, &account, &req).await?;
    txn.commit().await?;
    tracing::info!(account_id = account.id.0, "account created (legacy)");
    Ok(HttpResponse::Created().json(account_response(&account)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_ids_are_checked() {
        assert!(is_valid_login_id("acme-it"));
        assert!(is_valid_login_id("A.b_c-1"));
        assert!(!is_valid_login_id("ab"));
        assert!(!is_valid_login_id("a@b.example"));
        assert!(!is_valid_login_id("with space"));
    }

    #[tokio::test]
    async fn every_bad_field_is_reported_at_once() {
        let request = CreateAccountRequest {
            email: "nope".into(),
            password: "short".into(),
            full_name: " ".into(),
            company: None,
            country: Some("USA".into()),
            language: Some("fr".into()),
        };
        let Err(ApiError::Validation(errors)) = prepare_simplified(request, "account.").await
        else {
            panic!("expected a validation error");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "account.email",
                "account.password",
                "account.full_name",
                "account.country",
                "account.language"
            ]
        );
    }
}
