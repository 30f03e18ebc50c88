//! Partner access tokens (OAuth2 client credentials), sent as `Authorization: Bearer`.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::{bearer_token, token_keys};
use crate::error::ApiError;

/// An authenticated partner; extracting it fails with 401 `unauthorized` otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerAuth {
    /// The `partners.id` of the caller.
    pub partner_id: i64,
    /// The scopes granted to the token.
    pub scopes: Vec<String>,
}

impl PartnerAuth {
    /// `Ok` when the token carries `scope`, 403 `forbidden` otherwise.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    fn from_request(req: &HttpRequest) -> Result<Self, ApiError> {
        let keys = token_keys(req)?;
        let token = bearer_token(req)
            .map_err(|()| ApiError::Unauthorized)?
            .ok_or(ApiError::Unauthorized)?;
        let claims = keys.verify_partner(token)?;
        Ok(Self {
            partner_id: claims.sub.parse().map_err(|_| ApiError::Unauthorized)?,
            scopes: claims.scope.split_whitespace().map(str::to_owned).collect(),
        })
    }
}

impl FromRequest for PartnerAuth {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::from_request(req))
    }
}
