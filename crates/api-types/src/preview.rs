//! `POST /api/v1/preview`: what an order holds, before anything is registered.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, UnknownVariant};

/// Body of `POST /api/v1/preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRequest {
    /// Registration key of any line of the order (case, spaces and hyphens are ignored).
    #[cfg_attr(feature = "openapi", schema(example = "XD-1234-5678-9012-3452"))]
    pub key: String,
}

/// Which registration process an order goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// The Vision One account-based flow: the whole order, email verification, XDR region.
    AccountBased,
    /// The original CLP registration: one line per key, effective at once.
    Legacy,
}

/// How a product is delivered when its line is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// One activation code per product.
    Ac,
    /// One service instance provisioned in the account.
    Saas,
    /// A suite: one activation code per component.
    Suite,
}

/// A Trend Micro XDR (Vision One) region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RegionCode {
    /// United States.
    Us,
    /// Europe.
    Eu,
    /// Japan.
    Jp,
    /// Singapore.
    Sg,
    /// Australia.
    Au,
    /// India.
    In,
    /// Middle East and Africa.
    Mea,
    /// United Kingdom.
    Uk,
    /// Canada.
    Ca,
}

impl RegionCode {
    /// Every region.
    pub const ALL: &'static [RegionCode] = &[
        RegionCode::Us,
        RegionCode::Eu,
        RegionCode::Jp,
        RegionCode::Sg,
        RegionCode::Au,
        RegionCode::In,
        RegionCode::Mea,
        RegionCode::Uk,
        RegionCode::Ca,
    ];

    /// The lower-case wire form, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            RegionCode::Us => "us",
            RegionCode::Eu => "eu",
            RegionCode::Jp => "jp",
            RegionCode::Sg => "sg",
            RegionCode::Au => "au",
            RegionCode::In => "in",
            RegionCode::Mea => "mea",
            RegionCode::Uk => "uk",
            RegionCode::Ca => "ca",
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RegionCode {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownVariant::new("region", s))
    }
}

/// One unregistered line of the previewed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewLine {
    /// Identifier of the order line.
    #[cfg_attr(feature = "openapi", schema(example = 42))]
    pub line_id: i64,
    /// Product SKU.
    #[cfg_attr(feature = "openapi", schema(example = "XDR-CAS"))]
    pub sku: String,
    /// Product name.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "XDR Add-On: Cloud App Security")
    )]
    pub product_name: String,
    /// Number of seats.
    #[cfg_attr(feature = "openapi", schema(example = 100))]
    pub seats: u32,
    /// First day of the license term.
    #[cfg_attr(feature = "openapi", schema(example = "2025-04-01"))]
    pub term_start: NaiveDate,
    /// Last day of the license term.
    #[cfg_attr(feature = "openapi", schema(example = "2026-03-31"))]
    pub term_end: NaiveDate,
    /// How the product is delivered.
    pub delivery: DeliveryKind,
    /// Whether the product is an XDR add-on.
    pub xdr_addon: bool,
    /// Whether the product is an XDR-related endpoint product.
    pub xdr_related: bool,
    /// SKUs of the suite's components (empty for a non-suite line).
    pub components: Vec<String>,
}

/// The order's end customer, masked (the preview is open to anyone holding a key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaskedEndCustomer {
    /// Company name.
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub company: String,
    /// Contact name, masked.
    #[cfg_attr(feature = "openapi", schema(example = "J*** D***"))]
    pub contact_name: String,
    /// Contact email, masked.
    #[cfg_attr(feature = "openapi", schema(example = "j***@acme.example"))]
    pub contact_email: String,
    /// ISO 3166-1 alpha-2 country code.
    #[cfg_attr(feature = "openapi", schema(example = "US"))]
    pub country: String,
}

/// Why an existing account is suggested for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HintReason {
    /// The account owns a retained activation code of the order (a cross grade).
    RetainedAcOwner,
    /// The account owns the activation code a renewal line of the order renews: the line can
    /// only be registered to it (`binding`).
    RenewedAcOwner,
    /// The account's email is the order's contact email.
    ContactEmail,
    /// The account's email domain matches the order's contact email domain.
    EmailDomain,
    /// The account's normalized company name matches the order's.
    CompanyName,
}

/// A possibly existing account of the end customer, found from the order information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountHint {
    /// The account's email, masked.
    #[cfg_attr(feature = "openapi", schema(example = "j***@acme.example"))]
    pub masked_email: String,
    /// Why this account is suggested.
    pub reason: HintReason,
    /// Whether the order must be activated into this account (a cross grade, a renewal).
    pub binding: bool,
}

/// A restriction that stops the order from being activated into the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictItem {
    /// Restriction code.
    #[cfg_attr(feature = "openapi", schema(example = "saas_conflict"))]
    pub code: ErrorCode,
    /// The order line concerned, when the restriction is about one line.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line_id: Option<i64>,
    /// What is wrong and the remedy, in plain words.
    pub detail: String,
}

/// Body of a successful `POST /api/v1/preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewResponse {
    /// The order (license certificate) number.
    #[cfg_attr(feature = "openapi", schema(example = "SO-2025-000123"))]
    pub order_number: String,
    /// Which registration process the order takes.
    pub flow: FlowKind,
    /// Unregistered lines (account-based: all of them; legacy: the entered key's line).
    pub lines: Vec<PreviewLine>,
    /// How many lines of the order are already registered (and left out of `lines`).
    pub registered_count: u32,
    /// The order's end customer, masked.
    pub end_customer: MaskedEndCustomer,
    /// Possibly existing accounts of the end customer, binding ones first.
    pub account_hints: Vec<AccountHint>,
    /// Restrictions for the signed-in account (empty when signed out).
    pub conflicts: Vec<ConflictItem>,
    /// The XDR region an add-on of the order pins, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region_pin: Option<RegionCode>,
    /// What is left to do with the order: `open`, `line_registered` (legacy: the entered
    /// key's own line is registered; say that of this line, not of the whole order) or
    /// `order_registered` (every line is registered; one message).
    #[serde(default)]
    pub state: PreviewState,
    /// Whether a new account may take the order. `false` when the rules bind it to an
    /// existing account, named (masked) by the binding hint of `account_hints`: a cross grade
    /// whose retained code was registered by the order's purchase date (`retained_ac_owner`)
    /// or a renewal (`renewed_ac_owner`). Offer only "sign in to that account" then: sign-up
    /// would be refused (`crossgrade_account_required`, `renewal_account_mismatch`).
    #[serde(default = "sign_up_allowed_by_default")]
    pub sign_up_allowed: bool,
}

fn sign_up_allowed_by_default() -> bool {
    true
}

/// What is left to do with a previewed order, decided by the server so the wizard says it once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreviewState {
    /// Lines are left to activate or register.
    #[default]
    Open,
    /// Legacy flow: the entered key's own line is registered (the order's other lines may not
    /// be).
    LineRegistered,
    /// Account-based flow: every line of the order is registered.
    OrderRegistered,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_serialize_lower_case_and_parse_back() {
        for r in RegionCode::ALL {
            let v = serde_json::to_value(r).unwrap();
            assert_eq!(v, serde_json::json!(r.as_str()));
            assert_eq!(r.as_str().parse::<RegionCode>().unwrap(), *r);
        }
        assert_eq!(serde_json::to_value(RegionCode::Mea).unwrap(), "mea");
        assert!("xx".parse::<RegionCode>().is_err());
    }

    #[test]
    fn flow_and_hint_reason_use_snake_case() {
        assert_eq!(
            serde_json::to_value(FlowKind::AccountBased).unwrap(),
            "account_based"
        );
        assert_eq!(serde_json::to_value(FlowKind::Legacy).unwrap(), "legacy");
        assert_eq!(
            serde_json::to_value(HintReason::RetainedAcOwner).unwrap(),
            "retained_ac_owner"
        );
        assert_eq!(serde_json::to_value(DeliveryKind::Saas).unwrap(), "saas");
    }

    #[test]
    fn conflict_without_line_omits_line_id() {
        let c = ConflictItem {
            code: ErrorCode::RegionConflict,
            line_id: None,
            detail: "pinned to jp".into(),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "region_conflict", "detail": "pinned to jp"})
        );
    }
}
