//! The server's English.

use clp_api_types::ErrorCode;
use clp_domain::conflict::ConflictReason;
use clp_domain::region::Region;
use clp_domain::{KeyError, Lang};

use super::{BadRequestReason, Catalog, ConflictKind, FieldProblem};

/// The English catalog.
#[derive(Debug, Clone, Copy)]
pub struct English;

impl English {
    /// A region as the English messages name it: `Japan (jp)`.
    fn region_text(self, region: Region) -> String {
        format!("{} ({})", self.region(region), region.as_str())
    }
}

impl Catalog for English {
    fn lang(&self) -> Lang {
        Lang::En
    }

    fn title(&self, code: ErrorCode) -> &'static str {
        // The English titles are the API's own (`ErrorCode::title`, also used by clients).
        code.title()
    }

    fn remedy(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::SaasConflict | ErrorCode::RegionConflict => {
                "Register this order to another account, or create a new account."
            }
            ErrorCode::CrossgradeAccountRequired => {
                "Sign in to the account that owns the Activation Code this order extends (its \
                 email is shown masked)."
            }
            ErrorCode::RenewalAccountMismatch => {
                "Sign in to the account that owns the Activation Code this renewal extends."
            }
            ErrorCode::NothingToActivate => {
                "Nothing to do: every product of this order is already registered."
            }
            ErrorCode::VerificationExpired => "Start the activation again.",
            ErrorCode::AlreadyRegistered => "View your products.",
            ErrorCode::WrongFlow => {
                "This key takes a different activation process; follow the step named in the \
                 message."
            }
            ErrorCode::InvalidKey => {
                "Check the key against your license certificate and enter it again."
            }
            ErrorCode::UnknownKey => {
                "No order line has this registration key. Check the key on your license \
                 certificate and enter it again."
            }
            ErrorCode::ValidationFailed => "Correct the fields listed in `errors`.",
            ErrorCode::InvalidCredentials => {
                "The login or the password is wrong. Check both and try again."
            }
            ErrorCode::Unauthorized => {
                "Sign in, or send a valid bearer token; the session may have expired."
            }
            ErrorCode::Forbidden => "Your credentials do not allow this action.",
            ErrorCode::NotFound => "The resource does not exist.",
            ErrorCode::AccountExists => {
                "An account with this email or login ID already exists. Sign in to it, or sign \
                 up with another email."
            }
            ErrorCode::Conflict => "The request conflicts with existing data.",
            ErrorCode::IdempotencyMismatch => {
                "This Idempotency-Key was already used with a different request body. Send a \
                 new key for a new request."
            }
            ErrorCode::RateLimited => "Too many requests. Wait a moment, then retry.",
            ErrorCode::Unavailable => "The service is temporarily unavailable. Retry in a moment.",
            ErrorCode::Internal => {
                "An unexpected error occurred. Retry later; if it persists, contact support."
            }
            ErrorCode::BadRequest => "The request cannot be read. Check its format.",
            ErrorCode::LinkExpired => {
                "This link was used already or has expired. Ask for a new one."
            }
            ErrorCode::MfaRequired => {
                "This account signs in with a second factor: enter the code of your \
                 authenticator app, or one of your recovery codes."
            }
            ErrorCode::OrderInUse => {
                "A product of this order is registered, or an activation of it is pending: the \
                 order cannot be cancelled."
            }
            ErrorCode::OrderCancelled => {
                "This order was cancelled by the reseller that sold it; its keys activate \
                 nothing. Contact your reseller."
            }
        }
    }

    fn conflict(&self, reason: &ConflictReason) -> String {
        match reason {
            ConflictReason::SaasServiceHeld { product, service } => format!(
                "{product} provisions the SaaS service {service}, and this account already has \
                 an active {service} instance from another order; an account holds only one \
                 instance of each SaaS service."
            ),
            ConflictReason::RegionPinsDiffer {
                product,
                region,
                other_product,
                other_region,
            } => format!(
                "{product} fixes the Trend Micro XDR region to {}, but {other_product} in the \
                 same order fixes it to {}; one account has one region.",
                self.region_text(*region),
                self.region_text(*other_region)
            ),
            ConflictReason::RegionConflict {
                product,
                account_region,
                order_region,
            } => format!(
                "{} fixes the Trend Micro XDR region to {}, but this account's XDR region is \
                 {}, and it never changes.",
                product.as_deref().unwrap_or("This order"),
                self.region_text(*order_region),
                self.region_text(*account_region)
            ),
            ConflictReason::CrossGrade {
                suite,
                component,
                owner,
            } => format!(
                "This order is a cross grade: {suite} extends the {component} Activation Code \
                 registered to the account {owner}, so the order must be registered to that \
                 account."
            ),
            ConflictReason::RenewalOwnedElsewhere {
                product,
                owner: Some(owner),
            } => format!(
                "This renewal of {product} extends an Activation Code registered to the account \
                 {owner}; a renewal is accepted only into the account that owns the code."
            ),
            ConflictReason::RenewalOwnedElsewhere {
                product,
                owner: None,
            } => format!(
                "This renewal of {product} extends an Activation Code that is not registered to \
                 this account; a renewal is accepted only into the account that owns the code."
            ),
            ConflictReason::ExtendedCodeElsewhere { .. } => {
                "The Activation Code this order extends is not registered to this account; only \
                 the account that owns it can extend it."
                    .to_owned()
            }
            ConflictReason::EveryLineRegistered { order_number } => {
                format!("Every product of order {order_number} is already registered.")
            }
            ConflictReason::KeyNotInOrder { order_number } => {
                format!("The entered key is not a key of order {order_number}.")
            }
            ConflictReason::LineRegistered {
                product,
                order_number,
            } => format!("{product} of order {order_number} is already registered."),
            ConflictReason::RegisteredMeanwhile { order_number } => format!(
                "A product of order {order_number} was registered by another activation \
                 meanwhile; nothing was activated by this one."
            ),
            ConflictReason::LegacyOrder { order_number } => format!(
                "Order {order_number} takes the original registration process: register each \
                 product with its own key at the registration step. The right step: register \
                 each product with its own key at POST /api/v1/registrations (signed in)."
            ),
            ConflictReason::AccountBasedOrder { order_number } => format!(
                "Order {order_number} includes Trend Micro XDR add-ons: activate the whole order \
                 with the account-based activation (order preview, account, region, email \
                 verification). The right step: preview the order (POST /api/v1/preview), then \
                 activate it with POST /api/v1/activations."
            ),
            ConflictReason::LinkExpired => {
                "This verification link has expired; nothing was activated.".to_owned()
            }
            ConflictReason::LinkUsed => "This verification link was already used: the order is \
                 activated. View your products."
                .to_owned(),
        }
    }

    fn field(&self, problem: &FieldProblem) -> String {
        let text = match problem {
            FieldProblem::Required => "This field is required.",
            FieldProblem::InvalidEmail => "Enter a valid email address, such as jane@example.com.",
            FieldProblem::TooShort { min } => return format!("Use at least {min} characters."),
            FieldProblem::TooLong { max } => return format!("Use at most {max} characters."),
            FieldProblem::InvalidCountry => {
                "Use the two-letter ISO 3166 country code, such as US or JP."
            }
            FieldProblem::InvalidLanguage => "Use `en` or `ja`.",
            FieldProblem::InvalidLoginId => {
                "Use 3 to 64 letters, digits, dots, hyphens or underscores."
            }
            FieldProblem::AccountWhileSignedIn => {
                "must be absent when signed in: the order is activated into the signed-in account"
            }
            FieldProblem::InvalidLinkToken => "must be the token of a verification link",
            FieldProblem::SameEmail => "is already the address of your account",
            FieldProblem::WrongCode => {
                "This code is not valid. Enter the current 6-digit code of your authenticator \
                 app, or an unused recovery code where one is accepted."
            }
            FieldProblem::WrongPassword => "The password is not correct.",
            FieldProblem::Missing => "is required",
            FieldProblem::UnknownField => "is not a known field",
            FieldProblem::DuplicateField => "appears twice",
            FieldProblem::WrongType { expected: None } => "has the wrong type or value",
            FieldProblem::WrongType {
                expected: Some(expected),
            } => return format!("has the wrong type or value; expected {expected}"),
            FieldProblem::Empty => "must not be empty",
            FieldProblem::Longer { max } => return format!("must be at most {max} characters"),
            FieldProblem::ControlCharacters => "must not contain control characters",
            FieldProblem::OrderNumberCharacters => {
                "may contain only letters, digits, '-', '_' and '.'"
            }
            FieldProblem::NotAnEmail => "is not an email address",
            FieldProblem::NotACountry => "must be a two-letter ISO 3166-1 country code",
            FieldProblem::NoLines => "must list at least one line",
            FieldProblem::TooManyLines { max } => return format!("must list at most {max} lines"),
            FieldProblem::UnknownProduct => "is not a product of the catalog",
            FieldProblem::Zero => "must be at least 1",
            FieldProblem::TooLarge => "is too large",
            FieldProblem::EndsBeforeStart => "must not be before term_start",
            FieldProblem::NotASuite { sku } => {
                return format!("only suite lines have components; {sku} is not a suite");
            }
            FieldProblem::NotAComponent { suite, components } => {
                return format!(
                    "is not a component of {suite}; expected one of {}",
                    components.join(", ")
                );
            }
            FieldProblem::ListedTwice => "is listed twice",
            FieldProblem::RenewalNeedsCode => "is required on a renewal order",
            FieldProblem::OnlyOnRenewals => "is only allowed on a renewal order",
            FieldProblem::NoSuchActivationCode => "no such activation code",
            FieldProblem::MalformedActivationCode(error) => {
                return format!(
                    "is not a well-formed activation code: {}",
                    key_error_text(error)
                );
            }
            FieldProblem::NoEvents => "must list at least one event",
            FieldProblem::NotAUrl => "is not a URL",
            FieldProblem::NotAnHttpUrl => "must be an https:// (or http://) URL",
            FieldProblem::NoHost => "must name a host",
            FieldProblem::UrlCredentials => {
                "must not carry credentials; authenticate with the signature"
            }
        };
        text.to_owned()
    }

    fn bad_request(&self, reason: &BadRequestReason) -> String {
        match reason {
            BadRequestReason::NotJson { line, column } => {
                format!("The body is not valid JSON (line {line}, column {column}).")
            }
            BadRequestReason::NotJsonContentType => {
                "Send the body as JSON with `Content-Type: application/json`.".to_owned()
            }
            BadRequestReason::NotFormContentType => {
                "Send the body as `application/x-www-form-urlencoded`.".to_owned()
            }
            BadRequestReason::UnreadableBody => "The request body cannot be read.".to_owned(),
            BadRequestReason::UnreadableQuery => "The query string cannot be read.".to_owned(),
            BadRequestReason::IdempotencyKeyHeader => {
                "The Idempotency-Key header must be 1 to 255 visible ASCII characters.".to_owned()
            }
            BadRequestReason::UnsupportedGrantType { expected } => {
                format!("Unsupported grant_type; use `{expected}`.")
            }
            BadRequestReason::UnknownScope { scope, known } => format!(
                "Invalid scope: unknown scope `{scope}`; expected some of {}.",
                known.join(", ")
            ),
            BadRequestReason::ScopeNotGranted { scope } => {
                format!("Invalid scope: `{scope}` is not granted to this client.")
            }
        }
    }

    fn conflict_kind(&self, kind: &ConflictKind) -> String {
        match kind {
            ConflictKind::Duplicate => {
                "The request conflicts with existing data (a duplicate).".to_owned()
            }
            ConflictKind::OrderNumberTaken { order_number } => {
                format!("An order numbered `{order_number}` already exists for this partner.")
            }
            ConflictKind::IdempotencyInFlight => {
                "A request with this Idempotency-Key is still being processed. Retry later."
                    .to_owned()
            }
            ConflictKind::DeliveryPending => {
                "This delivery is still pending; it is attempted again on its own.".to_owned()
            }
            ConflictKind::ActivationStopped => {
                "This activation was stopped by a restriction when its link was first followed; \
                 nothing was activated. Start the activation again."
                    .to_owned()
            }
            ConflictKind::MfaAlreadyOn => "Two-factor sign-in is already on for this account. \
                 Turn it off first to set up a new authenticator app."
                .to_owned(),
            ConflictKind::MfaNotEnrolling => {
                "No two-factor setup is waiting for its first code. Start the setup again."
                    .to_owned()
            }
            ConflictKind::MfaOff => "Two-factor sign-in is not on for this account.".to_owned(),
        }
    }

    fn key_error(&self, error: &KeyError) -> String {
        let text = key_error_text(error);
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => String::new(),
        }
    }

    fn invalid_fields(&self, count: usize) -> String {
        match count {
            1 => "1 field is invalid; see `errors`.".to_owned(),
            n => format!("{n} fields are invalid; see `errors`."),
        }
    }

    fn rate_limited(&self, retry_after_secs: u64) -> String {
        format!("Too many requests. Retry in {retry_after_secs} seconds.")
    }

    fn unavailable(&self, retry_after_secs: u64) -> String {
        format!("The service is temporarily unavailable. Retry in {retry_after_secs} seconds.")
    }

    fn payload_too_large(&self, limit: usize) -> String {
        format!("The request body is larger than {limit} bytes.")
    }

    fn email_link_expired(&self) -> &'static str {
        "This email verification link has expired, so the address is not verified. Activating \
         an order with this account also verifies it."
    }

    fn region(&self, region: Region) -> &'static str {
        match region {
            Region::Us => "United States",
            Region::Eu => "Europe",
            Region::Jp => "Japan",
            Region::Sg => "Singapore",
            Region::Au => "Australia",
            Region::In => "India",
            Region::Mea => "Middle East and Africa",
            Region::Uk => "United Kingdom",
            Region::Ca => "Canada",
        }
    }

    fn join(&self, sentences: &[String]) -> String {
        sentences.join(" ")
    }
}

/// What is wrong with a key, as a clause (the key itself is never repeated).
fn key_error_text(error: &KeyError) -> String {
    match error {
        KeyError::WrongLength { expected, found } => format!(
            "the key should have {expected} letters and digits, not counting hyphens and \
             spaces, but it has {found}; check that none is missing or repeated"
        ),
        KeyError::InvalidCharacter {
            character,
            position,
        } => format!(
            "the character '{character}' is not allowed at position {position} of the key \
             (counting letters and digits only); check it against the original"
        ),
        KeyError::CheckFailed => "the key looks mistyped: its check character does not match; \
             check each character against the original"
            .to_owned(),
        KeyError::BadPrefix => "a key prefix must be two letters from A to Z".to_owned(),
    }
}
