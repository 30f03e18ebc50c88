//! `POST /api/v1/accounts` and `POST /api/v1/accounts/legacy`: customer sign-up.

use serde::{Deserialize, Serialize};

use crate::preview::RegionCode;

/// Body of `POST /api/v1/accounts`: the simplified sign-up form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAccountRequest {
    /// Email address; also the login.
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub email: String,
    /// Password.
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery staple"))]
    pub password: String,
    /// Full name of the customer.
    #[cfg_attr(feature = "openapi", schema(example = "Jane Doe"))]
    pub full_name: String,
    /// Company name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub company: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Language of emails and the app (`en` or `ja`); `en` when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// Body of `POST /api/v1/accounts/legacy`: the long registration form of the legacy flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateLegacyAccountRequest {
    /// Login ID (an alternative to the email for signing in).
    #[cfg_attr(feature = "openapi", schema(example = "acme-it"))]
    pub login_id: String,
    /// Password.
    pub password: String,
    /// Email address.
    #[cfg_attr(feature = "openapi", schema(example = "it@acme.example"))]
    pub email: String,
    /// Company name.
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub company: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State, prefecture or province.
    pub state: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code.
    #[cfg_attr(feature = "openapi", schema(example = "US"))]
    pub country: String,
    /// Phone number.
    pub phone: String,
    /// Contact person's name.
    #[cfg_attr(feature = "openapi", schema(example = "Jane Doe"))]
    pub contact_name: String,
    /// Language of emails and the app (`en` or `ja`); `en` when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// Which sign-up form created an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountProfile {
    /// The simplified form (email, password, full name).
    Simplified,
    /// The long legacy form (login ID, address, phone, ...).
    Legacy,
}

/// A customer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountResponse {
    /// Account identifier.
    #[cfg_attr(feature = "openapi", schema(example = 7))]
    pub account_id: i64,
    /// Email address (lower case).
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub email: String,
    /// Login ID, for accounts created with the legacy form.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub login_id: Option<String>,
    /// Full name (the contact name for legacy accounts).
    pub full_name: String,
    /// Company name (may be empty).
    pub company: String,
    /// ISO 3166-1 alpha-2 country code (may be empty).
    pub country: String,
    /// Which form created the account.
    pub profile: AccountProfile,
    /// Whether the email address has been verified.
    pub email_verified: bool,
    /// The account's XDR region, once set (it never changes).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub xdr_region: Option<RegionCode>,
    /// Language of emails and the app (`en` or `ja`).
    #[cfg_attr(feature = "openapi", schema(example = "en"))]
    pub language: String,
    /// Whether sign-in asks for a second factor (TOTP).
    #[serde(default)]
    pub mfa_enabled: bool,
}

/// Body of `POST /api/v1/accounts/verify-email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyEmailRequest {
    /// The `token` parameter of the link `{CLP_PUBLIC_URL}/verify-email?token=...` emailed at
    /// sign-up or for a change of email address.
    pub token: String,
}
