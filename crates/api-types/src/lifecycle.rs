//! The account's lifecycle: password reset, profile, password and email changes, and two-factor
//! sign-in with TOTP (RFC 6238).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/password-resets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    /// The email address of the account.
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub email: String,
}

/// Body of the `202 Accepted` of `POST /api/v1/password-resets`: the same whether or not an
/// account has the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetAccepted {
    /// Always `accepted`: if an account has this address, a link was emailed to it.
    #[cfg_attr(feature = "openapi", schema(example = "accepted"))]
    pub status: String,
}

/// Body of `POST /api/v1/password-resets/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    /// The `token` parameter of the emailed link `{CLP_PUBLIC_URL}/reset-password?token=...`.
    pub token: String,
    /// The new password (12 to 1024 characters).
    pub new_password: String,
}

/// Body of `PATCH /api/v1/me`: the fields to change (any subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateProfileRequest {
    /// Full name (the contact name of a legacy account).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub full_name: Option<String>,
    /// Company name (may be empty).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub company: Option<String>,
    /// ISO 3166-1 alpha-2 country code (may be empty).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Language of emails and the app: `en` or `ja`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// Body of `POST /api/v1/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    /// The password now.
    pub current_password: String,
    /// The new password (12 to 1024 characters).
    pub new_password: String,
}

/// Body of `POST /api/v1/me/email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEmailRequest {
    /// The new address; it takes effect when the link sent to it is followed.
    #[cfg_attr(feature = "openapi", schema(example = "jane@new.example"))]
    pub new_email: String,
    /// The account's password.
    pub password: String,
}

/// Body of the `202 Accepted` of `POST /api/v1/me/email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEmailAccepted {
    /// The address the confirmation link was sent to.
    pub new_email: String,
    /// When the link expires.
    pub expires_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/me/mfa/totp`: a new TOTP secret, not yet active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// The secret, base32 (for typing into an authenticator app).
    pub secret: String,
    /// The `otpauth://totp/...` URI (what the QR code shows).
    pub otpauth_uri: String,
}

/// Body of `POST /api/v1/me/mfa/totp/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpConfirmRequest {
    /// The current 6-digit code of the authenticator app.
    #[cfg_attr(feature = "openapi", schema(example = "492039"))]
    pub code: String,
}

/// Body of a confirmed enrolment: the recovery codes, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// Ten one-time codes, each accepted once as `otp` at sign-in instead of a TOTP code.
    pub recovery_codes: Vec<String>,
}

/// Body of `DELETE /api/v1/me/mfa/totp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisableTotpRequest {
    /// The account's password.
    pub password: String,
    /// A current TOTP code, or a recovery code.
    pub code: String,
}

/// Body of `GET /api/v1/session`: whether the request is signed in (never 401, so a page can
/// ask without an error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionStatus {
    /// Whether a valid session came with the request.
    pub signed_in: bool,
    /// The signed-in account.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<crate::accounts::AccountResponse>,
}
