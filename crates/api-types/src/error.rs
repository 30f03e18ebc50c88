//! Error bodies: RFC 9457 problem details with a stable snake_case `code`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Stable machine-readable error code carried by every problem body (`code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The account already holds an active instance of a SaaS service in the order.
    SaasConflict,
    /// The order pins an XDR region other than the account's region.
    RegionConflict,
    /// A cross grade must use the account that owns the retained activation code.
    CrossgradeAccountRequired,
    /// A renewal for an activation code that another account owns.
    RenewalAccountMismatch,
    /// Every line of the order is already registered.
    NothingToActivate,
    /// The verification link is past its expiry.
    VerificationExpired,
    /// The entered line was registered meanwhile.
    AlreadyRegistered,
    /// The key belongs to the other flow (account based vs. legacy).
    WrongFlow,
    /// The key is malformed (length, characters or check character).
    InvalidKey,
    /// The key is well formed but no order line has it.
    UnknownKey,
    /// One or more fields are invalid; see `errors`.
    ValidationFailed,
    /// Sign-in failed (the same whether or not the account exists).
    InvalidCredentials,
    /// Authentication is missing or invalid.
    Unauthorized,
    /// Authenticated, but not allowed to do this.
    Forbidden,
    /// The resource does not exist (or is not visible to the caller).
    NotFound,
    /// An account with this email or login ID already exists.
    AccountExists,
    /// The request conflicts with existing data (e.g. a duplicate order number).
    Conflict,
    /// The `Idempotency-Key` was already used with a different body.
    IdempotencyMismatch,
    /// Too many requests; retry after the `Retry-After` delay.
    RateLimited,
    /// The service is temporarily unavailable.
    Unavailable,
    /// An unexpected server error.
    Internal,
    /// The request could not be read (malformed JSON, wrong content type, ...).
    BadRequest,
    /// The link (a password reset, an email change) was used already or has expired.
    LinkExpired,
    /// The account signs in with a second factor: send `otp` (a TOTP code or a recovery code).
    MfaRequired,
    /// The order cannot be cancelled: a line is registered or an activation is pending.
    OrderInUse,
    /// The order was cancelled by the partner that sold it; its keys activate nothing.
    OrderCancelled,
}

impl ErrorCode {
    /// Every error code, in declaration order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::SaasConflict,
        ErrorCode::RegionConflict,
        ErrorCode::CrossgradeAccountRequired,
        ErrorCode::RenewalAccountMismatch,
        ErrorCode::NothingToActivate,
        ErrorCode::VerificationExpired,
        ErrorCode::AlreadyRegistered,
        ErrorCode::WrongFlow,
        ErrorCode::InvalidKey,
        ErrorCode::UnknownKey,
        ErrorCode::ValidationFailed,
        ErrorCode::InvalidCredentials,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::AccountExists,
        ErrorCode::Conflict,
        ErrorCode::IdempotencyMismatch,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
        ErrorCode::BadRequest,
        ErrorCode::LinkExpired,
        ErrorCode::MfaRequired,
        ErrorCode::OrderInUse,
        ErrorCode::OrderCancelled,
    ];

    /// The snake_case wire form, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::SaasConflict => "saas_conflict",
            ErrorCode::RegionConflict => "region_conflict",
            ErrorCode::CrossgradeAccountRequired => "crossgrade_account_required",
            ErrorCode::RenewalAccountMismatch => "renewal_account_mismatch",
            ErrorCode::NothingToActivate => "nothing_to_activate",
            ErrorCode::VerificationExpired => "verification_expired",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::WrongFlow => "wrong_flow",
            ErrorCode::InvalidKey => "invalid_key",
            ErrorCode::UnknownKey => "unknown_key",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AccountExists => "account_exists",
            ErrorCode::Conflict => "conflict",
            ErrorCode::IdempotencyMismatch => "idempotency_mismatch",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::LinkExpired => "link_expired",
            ErrorCode::MfaRequired => "mfa_required",
            ErrorCode::OrderInUse => "order_in_use",
            ErrorCode::OrderCancelled => "order_cancelled",
        }
    }

    /// The HTTP status this code is normally sent with.
    pub const fn default_status(self) -> u16 {
        match self {
            ErrorCode::SaasConflict
            | ErrorCode::RegionConflict
            | ErrorCode::CrossgradeAccountRequired
            | ErrorCode::RenewalAccountMismatch
            | ErrorCode::NothingToActivate
            | ErrorCode::AlreadyRegistered
            | ErrorCode::WrongFlow
            | ErrorCode::AccountExists
            | ErrorCode::Conflict
            | ErrorCode::OrderInUse => 409,
            ErrorCode::VerificationExpired | ErrorCode::LinkExpired | ErrorCode::OrderCancelled => {
                410
            }
            ErrorCode::InvalidKey
            | ErrorCode::ValidationFailed
            | ErrorCode::IdempotencyMismatch => 422,
            ErrorCode::UnknownKey | ErrorCode::NotFound => 404,
            ErrorCode::InvalidCredentials | ErrorCode::Unauthorized | ErrorCode::MfaRequired => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
            ErrorCode::BadRequest => 400,
        }
    }

    /// A short English title, used as the problem's `title`.
    pub const fn title(self) -> &'static str {
        match self {
            ErrorCode::SaasConflict => "SaaS service already active in this account",
            ErrorCode::RegionConflict => "XDR region conflict",
            ErrorCode::CrossgradeAccountRequired => "Cross grade requires the owning account",
            ErrorCode::RenewalAccountMismatch => "Renewal belongs to another account",
            ErrorCode::NothingToActivate => "Nothing to activate",
            ErrorCode::VerificationExpired => "Verification link expired",
            ErrorCode::AlreadyRegistered => "Already registered",
            ErrorCode::WrongFlow => "Wrong registration flow",
            ErrorCode::InvalidKey => "Invalid key",
            ErrorCode::UnknownKey => "Unknown key",
            ErrorCode::ValidationFailed => "Validation failed",
            ErrorCode::InvalidCredentials => "Invalid credentials",
            ErrorCode::Unauthorized => "Unauthorized",
            ErrorCode::Forbidden => "Forbidden",
            ErrorCode::NotFound => "Not found",
            ErrorCode::AccountExists => "Account already exists",
            ErrorCode::Conflict => "Conflict",
            ErrorCode::IdempotencyMismatch => "Idempotency key reused with a different body",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::Unavailable => "Service unavailable",
            ErrorCode::Internal => "Internal server error",
            ErrorCode::BadRequest => "Bad request",
            ErrorCode::LinkExpired => "Link expired or already used",
            ErrorCode::MfaRequired => "Second factor required",
            ErrorCode::OrderInUse => "Order in use",
            ErrorCode::OrderCancelled => "Order cancelled",
        }
    }

    /// Whether this is one of the activation restrictions of DOMAIN.md (a conflict with a remedy).
    pub const fn is_restriction(self) -> bool {
        matches!(
            self,
            ErrorCode::SaasConflict
                | ErrorCode::RegionConflict
                | ErrorCode::CrossgradeAccountRequired
                | ErrorCode::RenewalAccountMismatch
                | ErrorCode::NothingToActivate
                | ErrorCode::VerificationExpired
                | ErrorCode::AlreadyRegistered
                | ErrorCode::WrongFlow
        )
    }

    /// The problem `type` URI of this code (stable, not meant to be dereferenced).
    pub fn type_uri(self) -> String {
        format!("{PROBLEM_TYPE_PREFIX}{}", self.as_str())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ErrorCode {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownVariant::new("error code", s))
    }
}

/// Media type of every error body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Prefix of the problem `type` URIs: `urn:clp:problem:<code>`.
pub const PROBLEM_TYPE_PREFIX: &str = "urn:clp:problem:";

/// A string that names no variant of one of this crate's enumerations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    /// What was being parsed, e.g. "region".
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
}

impl UnknownVariant {
    /// A rejection of `value` as a `kind`.
    pub fn new(kind: &'static str, value: &str) -> Self {
        Self {
            kind,
            value: value.to_owned(),
        }
    }
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {}: {:?}", self.kind, self.value)
    }
}

impl std::error::Error for UnknownVariant {}

/// An RFC 9457 problem details body (`application/problem+json`), sent with every error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI identifying the problem type (`urn:clp:problem:<code>`).
    #[cfg_attr(feature = "openapi", schema(example = "urn:clp:problem:saas_conflict"))]
    pub r#type: String,
    /// Short English summary of the problem type.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "SaaS service already active in this account")
    )]
    pub title: String,
    /// HTTP status code of this response.
    #[cfg_attr(feature = "openapi", schema(example = 409))]
    pub status: u16,
    /// Human-readable explanation of this occurrence, including the remedy when there is one.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "This account already has an active Cloud App Security instance. Register the order to another account, or create a new one."
        )
    )]
    pub detail: String,
    /// Stable machine-readable error code.
    pub code: ErrorCode,
    /// Per-field validation errors (with `validation_failed`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub errors: Option<Vec<FieldError>>,
    /// URI reference of this occurrence (e.g. the request path).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance: Option<String>,
}

impl Problem {
    /// A problem for `code` with its default status, type URI and title.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            r#type: code.type_uri(),
            title: code.title().to_owned(),
            status: code.default_status(),
            detail: detail.into(),
            code,
            errors: None,
            instance: None,
        }
    }

    /// The same problem with per-field errors.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = Some(errors);
        self
    }

    /// The same problem with another HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The same problem with an `instance` URI.
    pub fn with_instance(mut self, instance: impl Into<String>) -> Self {
        self.instance = Some(instance.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.title, self.code, self.detail)?;
        if let Some(errors) = &self.errors {
            for e in errors {
                write!(f, "; {}: {}", e.field, e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

/// One invalid field of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON path of the field, e.g. `lines[0].sku`.
    #[cfg_attr(feature = "openapi", schema(example = "lines[0].sku"))]
    pub field: String,
    /// What is wrong with it, in plain English.
    #[cfg_attr(feature = "openapi", schema(example = "unknown SKU"))]
    pub message: String,
}

impl FieldError {
    /// An error for `field` saying `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialize_to_the_contract_strings() {
        let expected = [
            (ErrorCode::SaasConflict, "saas_conflict"),
            (ErrorCode::RegionConflict, "region_conflict"),
            (
                ErrorCode::CrossgradeAccountRequired,
                "crossgrade_account_required",
            ),
            (
                ErrorCode::RenewalAccountMismatch,
                "renewal_account_mismatch",
            ),
            (ErrorCode::NothingToActivate, "nothing_to_activate"),
            (ErrorCode::VerificationExpired, "verification_expired"),
            (ErrorCode::AlreadyRegistered, "already_registered"),
            (ErrorCode::WrongFlow, "wrong_flow"),
            (ErrorCode::InvalidKey, "invalid_key"),
            (ErrorCode::UnknownKey, "unknown_key"),
            (ErrorCode::ValidationFailed, "validation_failed"),
            (ErrorCode::InvalidCredentials, "invalid_credentials"),
            (ErrorCode::Unauthorized, "unauthorized"),
            (ErrorCode::Forbidden, "forbidden"),
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::AccountExists, "account_exists"),
            (ErrorCode::Conflict, "conflict"),
            (ErrorCode::IdempotencyMismatch, "idempotency_mismatch"),
            (ErrorCode::RateLimited, "rate_limited"),
            (ErrorCode::Unavailable, "unavailable"),
            (ErrorCode::Internal, "internal"),
            (ErrorCode::BadRequest, "bad_request"),
            (ErrorCode::LinkExpired, "link_expired"),
            (ErrorCode::MfaRequired, "mfa_required"),
            (ErrorCode::OrderInUse, "order_in_use"),
            (ErrorCode::OrderCancelled, "order_cancelled"),
        ];
        assert_eq!(expected.len(), ErrorCode::ALL.len());
        for (code, s) in expected {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(s));
            assert_eq!(code.as_str(), s);
            assert_eq!(s.parse::<ErrorCode>().unwrap(), code);
            let back: ErrorCode = serde_json::from_value(serde_json::json!(s)).unwrap();
            assert_eq!(back, code);
        }
    }

    #[test]
    fn error_code_all_lists_each_code_once() {
        for (i, a) in ErrorCode::ALL.iter().enumerate() {
            assert!(!ErrorCode::ALL[i + 1..].contains(a), "{a} listed twice");
        }
    }

    #[test]
    fn statuses_follow_the_contract() {
        assert_eq!(ErrorCode::VerificationExpired.default_status(), 410);
        assert_eq!(ErrorCode::InvalidKey.default_status(), 422);
        assert_eq!(ErrorCode::UnknownKey.default_status(), 404);
        assert_eq!(ErrorCode::IdempotencyMismatch.default_status(), 422);
        assert_eq!(ErrorCode::RateLimited.default_status(), 429);
        assert_eq!(ErrorCode::SaasConflict.default_status(), 409);
        assert_eq!(ErrorCode::InvalidCredentials.default_status(), 401);
    }

    #[test]
    fn problem_omits_absent_errors_and_instance() {
        let p = Problem::new(ErrorCode::UnknownKey, "No order line has this key.");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "type": "urn:clp:problem:unknown_key",
                "title": "Unknown key",
                "status": 404,
                "detail": "No order line has this key.",
                "code": "unknown_key",
            })
        );
        let back: Problem = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn problem_with_field_errors_round_trips() {
        let p =
            Problem::new(ErrorCode::ValidationFailed, "2 fields are invalid.").with_errors(vec![
                FieldError::new("lines[0].sku", "unknown SKU"),
                FieldError::new("order_number", "must not be empty"),
            ]);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["errors"][0]["field"], "lines[0].sku");
        assert_eq!(serde_json::from_value::<Problem>(v).unwrap(), p);
        assert!(p.to_string().contains("lines[0].sku: unknown SKU"));
    }
}
