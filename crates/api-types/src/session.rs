//! `POST /api/v1/session`: customer sign-in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::AccountResponse;

/// Body of `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRequest {
    /// Email address or login ID.
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub login: String,
    /// Password.
    pub password: String,
    /// For an account with two-factor sign-in: the current TOTP code, or a recovery code
    /// (accepted once). Without it such an account gets 401 `mfa_required`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub otp: Option<String>,
}

/// Body of a successful sign-in; the token is also set as an HttpOnly cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionResponse {
    /// JWT to send as `Authorization: Bearer <token>` (or rely on the cookie).
    pub token: String,
    /// Always `Bearer`.
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// When the token expires.
    pub expires_at: DateTime<Utc>,
    /// The signed-in account.
    pub account: AccountResponse,
}
