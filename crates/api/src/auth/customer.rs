//! Customer sessions: a JWT in the `clp_session` cookie or an `Authorization: Bearer` header.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use clp_db::Database;
use clp_domain::account::AccountId;
use futures_util::future::LocalBoxFuture;

use super::jwt::CUSTOMER_SESSION_TTL;
use super::{bearer_token, token_keys};
use crate::config::Config;
use crate::error::ApiError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "clp_session";

/// A signed-in customer; extracting it fails with 401 `unauthorized` otherwise.
///
/// The `Authorization: Bearer` header wins over the cookie when both are sent. A token is
/// valid while its account exists and its `epoch` claim is the account's `session_epoch`: one
/// read of the account's row by primary key a request (no cache), so a password reset or
/// change on any server process ends the earlier sessions at once everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerSession {
    /// The `accounts.id` of the customer.
    pub account_id: i64,
}

impl CustomerSession {
    /// The token's account and session epoch, `None` without a token; 401 for a bad token.
    fn claims(req: &HttpRequest) -> Result<Option<(i64, i32)>, ApiError> {
        let keys = token_keys(req)?;
        let token = match bearer_token(req) {
            Ok(Some(token)) => token.to_owned(),
            Ok(None) => match req.cookie(SESSION_COOKIE) {
                Some(cookie) => cookie.value().to_owned(),
                None => return Ok(None),
            },
            Err(()) => return Err(ApiError::Unauthorized),
        };
        let claims = keys.verify_customer(&token)?;
        let account_id = claims.sub.parse().map_err(|_| ApiError::Unauthorized)?;
        Ok(Some((account_id, claims.epoch)))
    }

    /// The session of the request, checked against the account's current epoch.
    fn resolve(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Option<Self>, ApiError>> {
        let claims = Self::claims(req);
        let db = req.app_data::<web::Data<Database>>().cloned();
        Box::pin(async move {
            let Some((account_id, epoch)) = claims? else {
                return Ok(None);
            };
            let db = db.ok_or_else(|| ApiError::internal("the database is not registered"))?;
            let current =
                clp_db::account_changes::session_epoch(&db.reads(), AccountId(account_id)).await?;
            if current != Some(epoch) {
                tracing::debug!(account_id, "customer token refused: ended or account gone");
                return Err(ApiError::Unauthorized);
            }
            Ok(Some(Self { account_id }))
        })
    }
}

impl FromRequest for CustomerSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = Self::resolve(req);
        Box::pin(async move { session.await?.ok_or(ApiError::Unauthorized) })
    }
}

/// The customer if signed in, `None` for anonymous callers.
///
/// An invalid or expired token counts as anonymous here (a stale cookie must not break a
/// route that anyone may call); routes that need a customer take [`CustomerSession`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalCustomerSession(pub Option<CustomerSession>);

impl FromRequest for OptionalCustomerSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = CustomerSession::resolve(req);
        Box::pin(async move {
            match session.await {
                Ok(session) => Ok(Self(session)),
                Err(ApiError::Unauthorized) => Ok(Self(None)),
                Err(e) => Err(e),
            }
        })
    }
}

/// The session cookie carrying `token`: HttpOnly, SameSite=Strict, Path=/, Secure when the
/// public URL is HTTPS, living as long as the token.
pub fn session_cookie(token: String, config: &Config) -> Cookie<'static> {
    let max_age = i64::try_from(CUSTOMER_SESSION_TTL.as_secs()).unwrap_or(i64::MAX);
    Cookie::build(SESSION_COOKIE, token)
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(config.is_https())
        .max_age(time::Duration::seconds(max_age))
        .finish()
}

/// A cookie that deletes the session cookie (sign-out).
pub fn removal_cookie(config: &Config) -> Cookie<'static> {
    let mut cookie = session_cookie(String::new(), config);
    cookie.make_removal();
    cookie
}
