//! The server's messages: what a problem body says, kept as data until it is rendered in the
//! language of the request.
//!
//! Handlers and the domain never write prose. They report a [`ConflictReason`] (what breaks a
//! restriction), a [`FieldProblem`] (what is wrong with a field), a [`BadRequestReason`] or a
//! [`ConflictKind`]; [`crate::error::ApiError`] picks the status and `code`, and a [`Catalog`]
//! (one file a language: [`en`], [`ja`]) renders `title` and `detail`. Each catalog matches
//! every variant exhaustively, so a new variant or a new language does not compile until every
//! language says it.
//!
//! Emails are rendered by their templates (`crate::mail`), in the same two languages.

mod en;
mod ja;

use clp_api_types::ErrorCode;
use clp_domain::conflict::{Conflict, ConflictReason, Restriction};
use clp_domain::region::Region;
use clp_domain::{KeyError, Lang};

pub use en::English;
pub use ja::Japanese;

/// What is wrong with one field of a request.
///
/// The partner API's and the extractors' messages are fragments after the field name
/// (`must not be empty`); the customer forms' are sentences (`This field is required.`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// Customer form: the field is empty.
    Required,
    /// Customer form: not an email address.
    InvalidEmail,
    /// Customer form: shorter than `min` characters.
    TooShort {
        /// The least number of characters.
        min: usize,
    },
    /// Customer form: longer than `max` characters.
    TooLong {
        /// The most characters accepted.
        max: usize,
    },
    /// Customer form: not a two-letter ISO 3166 country code.
    InvalidCountry,
    /// Customer form: not a supported language.
    InvalidLanguage,
    /// Customer form: not a login ID.
    InvalidLoginId,
    /// The body's `account` while signed in: the order goes to the signed-in account.
    AccountWhileSignedIn,
    /// Not the token of a link the server sent.
    InvalidLinkToken,
    /// A change of email address: the address is the account's already.
    SameEmail,
    /// Customer form: not the current code of the authenticator app (nor, where accepted, an
    /// unused recovery code).
    WrongCode,
    /// Customer form: not the account's password.
    WrongPassword,
    /// Extractor: the field is missing.
    Missing,
    /// Extractor: the body names a field the route does not know.
    UnknownField,
    /// Extractor: the field appears twice.
    DuplicateField,
    /// Extractor: the value has the wrong type or value; `expected` comes from the type, never
    /// from the input.
    WrongType {
        /// What the type expects, when serde says (`u32`, `a valid date`, ...).
        expected: Option<String>,
    },
    /// Partner API: empty.
    Empty,
    /// Partner API: longer than `max` characters.
    Longer {
        /// The most characters accepted.
        max: usize,
    },
    /// Partner API: contains control characters.
    ControlCharacters,
    /// Partner API: an order number with characters other than letters, digits, `-_.`.
    OrderNumberCharacters,
    /// Partner API: not an email address.
    NotAnEmail,
    /// Partner API: not a two-letter ISO 3166-1 country code.
    NotACountry,
    /// Partner API: an order without lines.
    NoLines,
    /// Partner API: more lines than an order may have.
    TooManyLines {
        /// The most lines accepted.
        max: usize,
    },
    /// Partner API: a SKU the catalog does not have.
    UnknownProduct,
    /// Partner API: zero where at least 1 is needed.
    Zero,
    /// Partner API: a number too large.
    TooLarge,
    /// Partner API: a term ending before it starts.
    EndsBeforeStart,
    /// Partner API: components on a line whose product is not a suite.
    NotASuite {
        /// The line's SKU.
        sku: String,
    },
    /// Partner API: a component the suite does not have.
    NotAComponent {
        /// The suite's SKU.
        suite: String,
        /// Its components.
        components: Vec<String>,
    },
    /// Partner API: listed twice.
    ListedTwice,
    /// Partner API: `renews_ac` missing on a renewal line.
    RenewalNeedsCode,
    /// Partner API: `renews_ac` on a new order.
    OnlyOnRenewals,
    /// Partner API: an activation code that does not exist.
    NoSuchActivationCode,
    /// Partner API: a malformed activation code.
    MalformedActivationCode(KeyError),
    /// Partner API: a webhook subscription without events.
    NoEvents,
    /// Partner API: not a URL at all.
    NotAUrl,
    /// Partner API: not an http(s) URL.
    NotAnHttpUrl,
    /// Partner API: a URL without host.
    NoHost,
    /// Partner API: a URL with credentials in it.
    UrlCredentials,
}

/// Why a request cannot be read at all (400 `bad_request`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadRequestReason {
    /// The body is not JSON; where it stops being JSON.
    NotJson {
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// A JSON route got another content type.
    NotJsonContentType,
    /// A form route got another content type.
    NotFormContentType,
    /// The body cannot be read.
    UnreadableBody,
    /// The query string cannot be read.
    UnreadableQuery,
    /// A malformed `Idempotency-Key` header.
    IdempotencyKeyHeader,
    /// An OAuth2 grant type other than `expected`.
    UnsupportedGrantType {
        /// The grant type to use.
        expected: &'static str,
    },
    /// A scope nobody has.
    UnknownScope {
        /// The scope asked for.
        scope: String,
        /// The scopes that exist.
        known: Vec<&'static str>,
    },
    /// A scope the client was not granted.
    ScopeNotGranted {
        /// The scope asked for.
        scope: String,
    },
}

/// Why a request conflicts with the current state (409 `conflict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictKind {
    /// A unique index refused the write.
    Duplicate,
    /// The partner has an order with this number already.
    OrderNumberTaken {
        /// The order number.
        order_number: String,
    },
    /// The first request with this `Idempotency-Key` is still being processed.
    IdempotencyInFlight,
    /// The webhook delivery is still pending.
    DeliveryPending,
    /// The activation was stopped by a restriction when its link was first followed.
    ActivationStopped,
    /// Two-factor sign-in is on already: turn it off before enrolling again.
    MfaAlreadyOn,
    /// No two-factor enrolment is waiting for its first code: start one.
    MfaNotEnrolling,
    /// Two-factor sign-in is off: nothing to turn off.
    MfaOff,
}

/// The messages of one language. Every method matches its input exhaustively.
pub trait Catalog: Sync {
    /// The language.
    fn lang(&self) -> Lang;

    /// The problem `title` of `code`.
    fn title(&self, code: ErrorCode) -> &'static str;

    /// What to do about `code`, or what happened when nothing more specific is known.
    fn remedy(&self, code: ErrorCode) -> &'static str;

    /// What breaks a restriction, naming the products, regions and (masked) accounts.
    fn conflict(&self, reason: &ConflictReason) -> String;

    /// The message of a field's problem.
    fn field(&self, problem: &FieldProblem) -> String;

    /// Why a request cannot be read.
    fn bad_request(&self, reason: &BadRequestReason) -> String;

    /// Why a request conflicts with the current state.
    fn conflict_kind(&self, kind: &ConflictKind) -> String;

    /// What is wrong with a key (the key is never repeated).
    fn key_error(&self, error: &KeyError) -> String;

    /// The detail of a 422 listing `count` bad fields.
    fn invalid_fields(&self, count: usize) -> String;

    /// The detail of a 429.
    fn rate_limited(&self, retry_after_secs: u64) -> String;

    /// The detail of a 503.
    fn unavailable(&self, retry_after_secs: u64) -> String;

    /// The detail of a 413.
    fn payload_too_large(&self, limit: usize) -> String;

    /// The email verification link expired (the account's email is not verified).
    fn email_link_expired(&self) -> &'static str;

    /// The name of a Trend Micro XDR region.
    fn region(&self, region: Region) -> &'static str;

    /// Sentences one after the other (English puts a space between them, Japanese does not).
    fn join(&self, sentences: &[String]) -> String;
}

/// The catalog of `lang`.
pub fn catalog(lang: Lang) -> &'static dyn Catalog {
    match lang {
        Lang::En => &English,
        Lang::Ja => &Japanese,
    }
}

/// The API code of a restriction.
pub const fn restriction_code(restriction: Restriction) -> ErrorCode {
    match restriction {
        Restriction::SaasConflict => ErrorCode::SaasConflict,
        Restriction::RegionConflict => ErrorCode::RegionConflict,
        Restriction::CrossgradeAccountRequired => ErrorCode::CrossgradeAccountRequired,
        Restriction::RenewalAccountMismatch => ErrorCode::RenewalAccountMismatch,
        Restriction::NothingToActivate => ErrorCode::NothingToActivate,
        Restriction::VerificationExpired => ErrorCode::VerificationExpired,
        Restriction::AlreadyRegistered => ErrorCode::AlreadyRegistered,
        Restriction::WrongFlow => ErrorCode::WrongFlow,
    }
}

/// Whether the remedy of the restriction follows a reason: not when the reason says what to
/// do itself (the right step of a wrong flow, a link already used).
const fn remedy_follows(reason: &ConflictReason) -> bool {
    match reason {
        ConflictReason::LegacyOrder { .. }
        | ConflictReason::AccountBasedOrder { .. }
        | ConflictReason::LinkUsed => false,
        ConflictReason::SaasServiceHeld { .. }
        | ConflictReason::RegionPinsDiffer { .. }
        | ConflictReason::RegionConflict { .. }
        | ConflictReason::CrossGrade { .. }
        | ConflictReason::RenewalOwnedElsewhere { .. }
        | ConflictReason::ExtendedCodeElsewhere { .. }
        | ConflictReason::EveryLineRegistered { .. }
        | ConflictReason::KeyNotInOrder { .. }
        | ConflictReason::LineRegistered { .. }
        | ConflictReason::RegisteredMeanwhile { .. }
        | ConflictReason::LinkExpired => true,
    }
}

/// The text of one conflict: what is in the way, then (unless the reason says it) the remedy
/// of its restriction.
pub fn conflict_text(catalog: &dyn Catalog, conflict: &Conflict) -> String {
    restriction_detail(catalog, std::slice::from_ref(conflict))
}

/// The `detail` of a restriction error: every distinct reason, then the remedy of the first
/// conflict's restriction (which decides the `code`).
pub fn restriction_detail(catalog: &dyn Catalog, conflicts: &[Conflict]) -> String {
    let mut sentences: Vec<String> = Vec::new();
    for conflict in conflicts {
        let text = catalog.conflict(&conflict.reason);
        if !sentences.contains(&text) {
            sentences.push(text);
        }
    }
    if let Some(first) = conflicts.first()
        && remedy_follows(&first.reason)
    {
        let code = restriction_code(first.restriction());
        sentences.push(catalog.remedy(code).to_owned());
    }
    catalog.join(&sentences)
}

#[cfg(test)]
mod tests;
