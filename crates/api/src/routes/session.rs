//! `POST /api/v1/session` (sign in) and `DELETE /api/v1/session` (sign out).
//!
//! A wrong password and an unknown login give the same 401 body, and take the same time (the
//! dummy argon2 verification runs for unknown logins). After repeated failures an account is
//! locked for a growing time (see `clp_db::accounts`): 429 with `Retry-After`.

use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use chrono::Utc;
use clp_api_types::{Problem, SessionRequest, SessionResponse};
use clp_db::accounts;
use clp_db::audit::{self, AuditEntry};
use serde_json::json;

use super::ServiceConfig;
use super::accounts::account_response;
use crate::auth::customer::{removal_cookie, session_cookie};
use crate::auth::jwt::CUSTOMER_SESSION_TTL;
use crate::auth::password::{verify_dummy, verify_password};
use crate::error::ApiError;
use crate::state::AppState;

/// Registers the session routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session).service(delete_session);
}

/// The client IP for the audit trail (forwarding headers only count behind a trusted proxy).
fn client_ip(state: &AppState, req: &HttpRequest) -> Option<String> {
    crate::rate_limit::client_ip(req, state.rate_limiter.trusts_proxy())
}

/// Whole seconds until `until`, at least 1.
fn retry_after(locked_for: chrono::Duration) -> u64 {
    let millis = u64::try_from(locked_for.num_milliseconds()).unwrap_or(0);
    millis.div_ceil(1000).max(1)
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
        (status = 401, description = "Wrong login or password; the same whether or not the \
            account exists (`invalid_credentials`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins for this account, or too many \
            requests from this client (`rate_limited`); see `Retry-After`.",
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
    let SessionRequest { login, password } = body.into_inner();
    let now = Utc::now();
    let account = accounts::find_by_login(&state.db, &login).await?;
    if let Some(locked_for) = account.as_ref().and_then(|a| a.locked_for(now)) {
        return Err(ApiError::RateLimited {
            retry_after_secs: retry_after(locked_for),
        });
    }
    let verified = match &account {
        Some(account) => {
            let hash = account.password_hash.clone();
            tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .map_err(ApiError::internal)??
        }
        None => tokio::task::spawn_blocking(move || verify_dummy(&password))
            .await
            .map_err(ApiError::internal)?,
    };
    let ip = client_ip(&state, &req);
    let Some(account) = account else {
        tracing::info!("sign-in refused: unknown login");
        return Err(ApiError::InvalidCredentials);
    };
    if !verified {
        let now = Utc::now();
        let locked_until = accounts::record_failed_sign_in(&state.db, account.id, now).await?;
        audit::record(
            &state.db,
            AuditEntry {
                kind: "session.failed".to_owned(),
                actor: "anonymous".to_owned(),
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
    accounts::reset_failed_sign_ins(&state.db, account.id).await?;
    let token = state
        .jwt
        .issue_customer(account.id.0, CUSTOMER_SESSION_TTL)?;
    let expires_at =
        now + chrono::Duration::from_std(CUSTOMER_SESSION_TTL).map_err(ApiError::internal)?;
    audit::record(
        &state.db,
        AuditEntry {
            kind: "session.created".to_owned(),
            actor: format!("account:{}", account.id.0),
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
            account: account_response(&account),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after(chrono::Duration::milliseconds(1)), 1);
        assert_eq!(retry_after(chrono::Duration::milliseconds(1001)), 2);
        assert_eq!(retry_after(chrono::Duration::seconds(900)), 900);
        assert_eq!(retry_after(chrono::Duration::zero()), 1);
    }
}
