//! `/api/v1/activations`: the account-based flow (activate a whole order, verify by email).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::preview::{DeliveryKind, RegionCode};

/// A new account created together with the activation (signed-out customers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccountForActivation {
    /// Email address; the verification link is sent here.
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub email: String,
    /// Password.
    pub password: String,
    /// Full name of the customer.
    #[cfg_attr(feature = "openapi", schema(example = "Jane Doe"))]
    pub full_name: String,
    /// Company name; the order's when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub company: Option<String>,
    /// ISO 3166-1 alpha-2 country code; the order's when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Language of emails and the app (`en` or `ja`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// Body of `POST /api/v1/activations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateActivationRequest {
    /// Registration key of any line of the order.
    #[cfg_attr(feature = "openapi", schema(example = "XD-1234-5678-9012-3452"))]
    pub key: String,
    /// XDR region for an account without one; ignored when the order pins a region.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<RegionCode>,
    /// A new account to create; required when not signed in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<NewAccountForActivation>,
}

/// State of a pending activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivationStatus {
    /// Waiting for the verification link to be followed.
    Pending,
    /// The lines are registered to the account.
    Completed,
    /// The verification link expired; nothing was activated.
    Expired,
    /// A restriction stopped the activation when the link was followed.
    Failed,
}

/// Body of `202 Accepted` from `POST /api/v1/activations`: a verification email was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationAccepted {
    /// Identifier of the pending activation.
    pub activation_id: Uuid,
    /// Always `pending`.
    pub status: ActivationStatus,
    /// When the verification link expires.
    pub expires_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/activations/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyActivationRequest {
    /// The token from the verification link.
    pub token: String,
}

/// An order line registered to the account, with what it delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisteredLine {
    /// Identifier of the order line.
    #[cfg_attr(feature = "openapi", schema(example = 42))]
    pub line_id: i64,
    /// Product SKU.
    #[cfg_attr(feature = "openapi", schema(example = "XDR-DDI"))]
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Number of seats.
    pub seats: u32,
    /// First day of the license term.
    pub term_start: NaiveDate,
    /// Last day of the license term.
    pub term_end: NaiveDate,
    /// How the product is delivered.
    pub delivery: DeliveryKind,
    /// Activation codes issued or extended (a suite: one per component).
    #[cfg_attr(
        feature = "openapi",
        schema(example = json!(["XD-ABCD-EFGHI-JKLMN-OPQRS-TUVWX-YZ012"]))
    )]
    pub activation_codes: Vec<String>,
    /// The SaaS service provisioned, for SaaS delivery.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub saas_service: Option<String>,
}

/// The account's Trend Micro XDR (Vision One) console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct XdrInfo {
    /// The account's XDR region.
    pub region: RegionCode,
    /// URL of the XDR console of that region.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://portal.xdr.trendmicro.com/")
    )]
    pub console_url: String,
}

/// Body of a successful `POST /api/v1/activations/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyActivationResponse {
    /// Identifier of the activation.
    pub activation_id: Uuid,
    /// `completed`.
    pub status: ActivationStatus,
    /// The order number.
    pub order_number: String,
    /// The lines registered by this activation.
    pub registered_lines: Vec<RegisteredLine>,
    /// The XDR console to open in the pop-up.
    pub xdr: XdrInfo,
}

/// Body of `GET /api/v1/activations/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationResponse {
    /// Identifier of the activation.
    pub activation_id: Uuid,
    /// Current state.
    pub status: ActivationStatus,
    /// The order number.
    pub order_number: String,
    /// When the verification link expires (or expired).
    pub expires_at: DateTime<Utc>,
    /// When the activation completed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub completed_at: Option<DateTime<Utc>>,
}
