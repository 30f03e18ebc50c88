//! `/api/v1/me/...`: what the signed-in customer's account holds.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::preview::{DeliveryKind, RegionCode};

/// Whether a product's term is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// The term has not ended and more than 60 days are left.
    Active,
    /// The term ends in 60 days or fewer (renew it).
    Expiring,
    /// The term has ended.
    Expired,
}

impl ProductStatus {
    /// Days left at or under which a product is `expiring`.
    pub const EXPIRING_WITHIN_DAYS: i64 = 60;

    /// Every status, in the order that needs attention first.
    pub const ALL: &'static [ProductStatus] = &[
        ProductStatus::Expired,
        ProductStatus::Expiring,
        ProductStatus::Active,
    ];

    /// The status of a term with `days_left` days left (see [`days_left`]).
    pub const fn from_days_left(days_left: i64) -> ProductStatus {
        if days_left < 0 {
            ProductStatus::Expired
        } else if days_left <= Self::EXPIRING_WITHIN_DAYS {
            ProductStatus::Expiring
        } else {
            ProductStatus::Active
        }
    }

    /// The snake_case wire name, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Expiring => "expiring",
            ProductStatus::Expired => "expired",
        }
    }
}

/// Days left in a term whose last day is `term_end`, seen on `today` (UTC): 0 on the last day,
/// negative once the term has ended.
pub fn days_left(term_end: NaiveDate, today: NaiveDate) -> i64 {
    (term_end - today).num_days()
}

/// A product or service of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductItem {
    /// Product SKU.
    #[cfg_attr(feature = "openapi", schema(example = "XDR-CAS"))]
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// How the product is delivered.
    pub delivery: DeliveryKind,
    /// Number of seats.
    pub seats: u32,
    /// First day of the license term.
    pub term_start: NaiveDate,
    /// Last day of the license term.
    pub term_end: NaiveDate,
    /// Activation codes of the product.
    pub activation_codes: Vec<String>,
    /// Whether the term is current: `active`, `expiring` (60 days or fewer left) or `expired`.
    pub status: ProductStatus,
    /// Days left in the term, from today (UTC): 0 on `term_end`, negative once expired.
    #[cfg_attr(feature = "openapi", schema(example = 45))]
    pub days_left: i64,
    /// Whether the product is an XDR add-on.
    pub xdr_addon: bool,
    /// Whether the product is an XDR-related endpoint product.
    pub xdr_related: bool,
    /// The SaaS service, for SaaS delivery.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub saas_service: Option<String>,
    /// The order the product was registered from.
    pub order_number: String,
    /// XDR console link, for XDR add-ons and XDR-related products.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub console_url: Option<String>,
}

/// The account's Trend Micro XDR (Vision One) status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct XdrStatus {
    /// Whether XDR is enabled in the account.
    pub enabled: bool,
    /// The account's XDR region, once set (`null` before).
    #[serde(default)]
    pub region: Option<RegionCode>,
    /// URL of the XDR console of that region (`null` before XDR is enabled).
    #[serde(default)]
    pub console_url: Option<String>,
}

/// Body of `GET /api/v1/me/products`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductsResponse {
    /// Every product and service of the account.
    pub products: Vec<ProductItem>,
    /// The account's XDR status.
    pub xdr: XdrStatus,
}

/// Columns of `GET /api/v1/me/products` as CSV (`Accept: text/csv`), in order. Activation
/// codes are joined with a space.
pub const PRODUCTS_CSV_HEADER: &[&str] = &[
    "sku",
    "product_name",
    "delivery",
    "seats",
    "term_start",
    "term_end",
    "status",
    "days_left",
    "activation_codes",
    "order_number",
    "saas_service",
    "xdr_addon",
    "xdr_related",
    "console_url",
];

/// One entry of the account's activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened, e.g. `activation.completed`.
    #[cfg_attr(feature = "openapi", schema(example = "activation.completed"))]
    pub kind: String,
    /// The order concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order_number: Option<String>,
    /// Details, depending on `kind` (never a key in full).
    pub detail: serde_json::Value,
}

/// Body of `GET /api/v1/me/activity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityResponse {
    /// Events, newest first.
    pub events: Vec<ActivityEvent>,
}
