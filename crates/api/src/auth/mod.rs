//! Authentication: password hashing, signed tokens and the request extractors.
//!
//! A handler that needs a signed-in customer takes [`CustomerSession`] (or
//! [`OptionalCustomerSession`]); a partner route takes [`PartnerAuth`] and calls
//! [`PartnerAuth::require`] with its scope.

pub mod customer;
pub mod jwt;
pub mod link_token;
pub mod partner;
pub mod password;
pub mod totp;

pub use customer::{CustomerSession, OptionalCustomerSession, SESSION_COOKIE};
pub use jwt::JwtKeys;
pub use partner::PartnerAuth;

use actix_web::HttpRequest;
use actix_web::http::header;

/// The token of an `Authorization: Bearer <token>` header, if there is one.
///
/// `Err(())` when the header is present but is not a bearer token.
pub(crate) fn bearer_token(req: &HttpRequest) -> Result<Option<&str>, ()> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(());
    }
    Ok(Some(token.trim()))
}

/// The token keys of the app, or a 500 when the app was built without them.
pub(crate) fn token_keys(req: &HttpRequest) -> Result<&JwtKeys, crate::error::ApiError> {
    req.app_data::<actix_web::web::Data<JwtKeys>>()
        .map(|keys| keys.get_ref())
        .ok_or_else(|| crate::error::ApiError::internal("the token keys are not registered"))
}
