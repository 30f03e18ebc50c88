//! Customer sessions: a JWT in the `clp_session` cookie or an `Authorization: Bearer` header.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::jwt::CUSTOMER_SESSION_TTL;
use super::{bearer_token, token_keys};
use crate::config::Config;
use crate::error::ApiError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "clp_session";

/// A signed-in customer; extracting it fails with 401 `unauthorized` otherwise.
///
/// The `Authorization: Bearer` header wins over the cookie when both are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerSession {
    /// The `accounts.id` of the customer.
    pub account_id: i64,
}

impl CustomerSession {
    fn from_request(req: &HttpRequest) -> Result<Option<Self>, ApiError> {
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
        Ok(Some(Self { account_id }))
    }
}

impl FromRequest for CustomerSession {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::from_request(req).and_then(|s| s.ok_or(ApiError::Unauthorized)))
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
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match CustomerSession::from_request(req) {
            Ok(session) => Ok(Self(session)),
            Err(ApiError::Unauthorized) => Ok(Self(None)),
            Err(e) => Err(e),
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
