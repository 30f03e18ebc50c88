//! [`ApiError`]: the one error type of the handlers, and the only place choosing status codes.
//!
//! Every error leaves the server as an RFC 9457 problem body (`application/problem+json`) with
//! our stable `code` (see [`ErrorCode`]). Handlers return `Result<T, ApiError>` and use `?`:
//! database errors convert on their own, and so do actix's extractor errors through
//! [`json_config`], [`query_config`], [`path_config`] and [`form_config`].
//!
//! A variant carries data, never prose: `title`, `detail` and `errors[].message` are rendered
//! in the language of the request ([`Lang::current`], negotiated from `Accept-Language` by
//! [`crate::i18n`]) by that language's [`Catalog`]; `code` is the same in every language, and
//! every problem response carries `Vary: Accept-Language`.

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use clp_api_types::{ErrorCode, FieldError, Problem};
use clp_domain::conflict::{Conflict, Restriction};
use clp_domain::keys::KeyError;

use clp_domain::Lang;

use crate::i18n::RequestLang as _;
use crate::messages::{
    self, BadRequestReason, Catalog, ConflictKind, FieldProblem, restriction_code,
};

/// A boxed error kept as the cause of an internal error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

pub use clp_api_types::PROBLEM_JSON;

/// What is wrong with one field: its JSON path (`lines[0].sku`) and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's path in the request.
    pub field: String,
    /// What is wrong with it.
    pub problem: FieldProblem,
}

impl FieldIssue {
    /// The `problem` of `field`.
    pub fn new(field: impl Into<String>, problem: FieldProblem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

/// Every way a request can fail. The variant decides status and `code`; its data, rendered by
/// the request's [`Catalog`], the `detail`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A restriction of DOMAIN.md (`saas_conflict`, `verification_expired`, ...), with every
    /// conflict in the way; the first decides the code. 409, or 410 for
    /// `verification_expired`.
    #[error("restriction {}", restricted_code(.0))]
    Restricted(Vec<Conflict>),
    /// 410 `verification_expired`: an email verification link past its expiry.
    #[error("email verification link expired")]
    EmailLinkExpired,
    /// 422 `invalid_key`: the key is malformed; the detail says how (length, character, check).
    #[error("invalid key: {0}")]
    InvalidKey(KeyError),
    /// 404 `unknown_key`: the key is well formed but no order line has it.
    #[error("unknown key")]
    UnknownKey,
    /// 422 `validation_failed`, listing every bad field.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldIssue>),
    /// 401 `invalid_credentials`: the same whether or not the account exists.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 401 `unauthorized`: no token, or an invalid or expired one.
    #[error("unauthorized")]
    Unauthorized,
    /// 403 `forbidden`: authenticated, but not allowed (e.g. a missing partner scope).
    #[error("forbidden")]
    Forbidden,
    /// 404 `not_found`: no such resource, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// 409 `account_exists`: the email or login ID is taken.
    #[error("account exists")]
    AccountExists,
    /// 409 `conflict`: the request conflicts with the current state.
    #[error("conflict: {0:?}")]
    Conflict(ConflictKind),
    /// 422 `idempotency_mismatch`: the `Idempotency-Key` was used with another body.
    #[error("idempotency key reused with a different body")]
    IdempotencyMismatch,
    /// 429 `rate_limited` with `Retry-After`.
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited {
        /// Seconds until the client may retry.
        retry_after_secs: u64,
    },
    /// 503 `unavailable` with `Retry-After`: the database (or another dependency) cannot be
    /// reached or cannot take writes now (its disk is full).
    #[error("service unavailable (retry after {retry_after_secs}s)")]
    Unavailable {
        /// Seconds after which the client may retry.
        retry_after_secs: u64,
    },
    /// 400 `bad_request`: the request cannot be read at all (not JSON, wrong content type).
    #[error("bad request: {0:?}")]
    BadRequest(BadRequestReason),
    /// 400 `bad_request` with `errors`: query parameters out of their range or unreadable
    /// (a listing's `limit`, `cursor`, `status`...).
    #[error("invalid query parameters: {0:?}")]
    InvalidQuery(Vec<FieldIssue>),
    /// 413 `bad_request`: the body is larger than the route accepts.
    #[error("payload larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 410 `link_expired`: a password reset or email change link was used or has expired.
    #[error("link expired or used")]
    LinkExpired,
    /// 401 `mfa_required`: the account signs in with a second factor and none was sent.
    #[error("second factor required")]
    MfaRequired,
    /// 409 `order_in_use`: the order has a registered line or a pending activation.
    #[error("order in use")]
    OrderInUse,
    /// 410 `order_cancelled`: the order of the key was cancelled by its partner.
    #[error("order cancelled")]
    OrderCancelled,
    /// 500 `internal`: a bug or an unexpected failure. The cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

/// The code of a list of conflicts: the first one's restriction.
fn restricted_code(conflicts: &[Conflict]) -> ErrorCode {
    conflicts
        .first()
        .map_or(ErrorCode::Conflict, |c| restriction_code(c.restriction()))
}

impl ApiError {
    /// A 500 whose cause is logged with its whole chain.
    pub fn internal(cause: impl Into<BoxError>) -> Self {
        Self::Internal(cause.into())
    }

    /// A restriction error for `conflicts` (the first decides the code); a 500 when there are
    /// none, which would be a bug.
    pub fn restricted(conflicts: Vec<Conflict>) -> Self {
        if conflicts.is_empty() {
            return Self::internal("a restriction without a conflict");
        }
        Self::Restricted(conflicts)
    }

    /// A 422 `validation_failed` for a single field.
    pub fn invalid_field(field: impl Into<String>, problem: FieldProblem) -> Self {
        Self::Validation(vec![FieldIssue::new(field, problem)])
    }

    /// The stable error code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Restricted(conflicts) => restricted_code(conflicts),
            Self::EmailLinkExpired => ErrorCode::VerificationExpired,
            Self::InvalidKey(_) => ErrorCode::InvalidKey,
            Self::UnknownKey => ErrorCode::UnknownKey,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Unauthorized => ErrorCode::Unauthorized,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound => ErrorCode::NotFound,
            Self::AccountExists => ErrorCode::AccountExists,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::IdempotencyMismatch => ErrorCode::IdempotencyMismatch,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::BadRequest(_) | Self::InvalidQuery(_) | Self::PayloadTooLarge { .. } => {
                ErrorCode::BadRequest
            }
            Self::LinkExpired => ErrorCode::LinkExpired,
            Self::MfaRequired => ErrorCode::MfaRequired,
            Self::OrderInUse => ErrorCode::OrderInUse,
            Self::OrderCancelled => ErrorCode::OrderCancelled,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The problem body sent for this error, in the language of the request being served.
    pub fn problem(&self) -> Problem {
        self.problem_in(Lang::current())
    }

    /// The problem body sent for this error in `lang`: the same `type`, `status`, `code` and
    /// `errors[].field` in every language.
    pub fn problem_in(&self, lang: Lang) -> Problem {
        let catalog = messages::catalog(lang);
        let mut problem = Problem::new(self.code(), self.detail(catalog))
            .with_status(self.status_code().as_u16());
        problem.title = catalog.title(self.code()).to_owned();
        match self {
            Self::Validation(issues) | Self::InvalidQuery(issues) => problem.with_errors(
                issues
                    .iter()
                    .map(|issue| FieldError::new(&issue.field, catalog.field(&issue.problem)))
                    .collect(),
            ),
            _ => problem,
        }
    }

    /// The `detail`, as `catalog` says it.
    fn detail(&self, catalog: &dyn Catalog) -> String {
        match self {
            Self::Restricted(conflicts) => messages::restriction_detail(catalog, conflicts),
            Self::EmailLinkExpired => catalog.email_link_expired().to_owned(),
            Self::InvalidKey(error) => catalog.key_error(error),
            Self::Validation(issues) | Self::InvalidQuery(issues) => {
                catalog.invalid_fields(issues.len())
            }
            Self::Conflict(kind) => catalog.conflict_kind(kind),
            Self::RateLimited { retry_after_secs } => catalog.rate_limited(*retry_after_secs),
            Self::Unavailable { retry_after_secs } => catalog.unavailable(*retry_after_secs),
            Self::BadRequest(reason) => catalog.bad_request(reason),
            Self::PayloadTooLarge { limit } => catalog.payload_too_large(*limit),
            Self::UnknownKey
            | Self::InvalidCredentials
            | Self::Unauthorized
            | Self::Forbidden
            | Self::NotFound
            | Self::AccountExists
            | Self::IdempotencyMismatch
            | Self::LinkExpired
            | Self::MfaRequired
            | Self::OrderInUse
            | Self::OrderCancelled
            | Self::Internal(_) => catalog.remedy(self.code()).to_owned(),
        }
    }

    /// Whether this is the restriction `restriction` (the first conflict's).
    pub fn is_restriction(&self, restriction: Restriction) -> bool {
        matches!(self, Self::Restricted(c) if c.first().is_some_and(|c| c.restriction() == restriction))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::EmailLinkExpired | Self::LinkExpired | Self::OrderCancelled => StatusCode::GONE,
            Self::Restricted(conflicts)
                if restricted_code(conflicts) == ErrorCode::VerificationExpired =>
            {
                StatusCode::GONE
            }
            Self::Restricted(_) | Self::AccountExists | Self::Conflict(_) | Self::OrderInUse => {
                StatusCode::CONFLICT
            }
            Self::InvalidKey(_) | Self::Validation(_) | Self::IdempotencyMismatch => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::UnknownKey | Self::NotFound => StatusCode::NOT_FOUND,
            Self::InvalidCredentials | Self::Unauthorized | Self::MfaRequired => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadRequest(_) | Self::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            if let Self::Internal(cause) = self {
                tracing::error!(error = %error_chain(cause.as_ref()), "internal error");
            } else {
                tracing::warn!(error = %self, "request failed with {status}");
            }
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        response.insert_header((header::VARY, HeaderValue::from_static("Accept-Language")));
        if let Self::RateLimited { retry_after_secs } | Self::Unavailable { retry_after_secs } =
            self
        {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if matches!(self, Self::Unauthorized) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        match serde_json::to_vec(&self.problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

/// `error: cause: cause of the cause ...`, for logs.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(text, ": {cause}");
        source = cause.source();
    }
    text
}

impl ApiError {
    /// 503 while the database cannot be reached: a retry in a few seconds may succeed.
    pub const DATABASE_UNAVAILABLE: Self = Self::Unavailable {
        retry_after_secs: 5,
    };

    /// 503 while the database's disk is full: nothing can be written until an operator frees
    /// space, so clients are told to wait longer.
    pub const STORAGE_FULL: Self = Self::Unavailable {
        retry_after_secs: 60,
    };

    /// 503 while the font of the license certificates is missing: an operator must install
    /// it (the log says where), so clients are told to wait longer still.
    pub const CERTIFICATE_FONT_MISSING: Self = Self::Unavailable {
        retry_after_secs: 300,
    };
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use clp_db::failure::DbFailure;
        match DbFailure::of(&err) {
            DbFailure::Duplicate => {
                tracing::info!(error = %err, "unique constraint violation");
                Self::Conflict(ConflictKind::Duplicate)
            }
            DbFailure::Unavailable => {
                tracing::warn!(error = %error_chain(&err), "database unavailable");
                Self::DATABASE_UNAVAILABLE
            }
            DbFailure::StorageFull => {
                tracing::error!(
                    error = %error_chain(&err),
                    "the database's disk is full: writes fail (and are rolled back) until space \
                     is freed"
                );
                Self::STORAGE_FULL
            }
            DbFailure::Other => Self::Internal(Box::new(err)),
        }
    }
}

/// JSON body extractor settings: errors become problem bodies (never echoing the body).
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|err, _req: &HttpRequest| json_error(err).into())
}

/// Form body extractor settings (the OAuth2 token route accepts forms).
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(16 * 1024)
        .error_handler(|err, _req: &HttpRequest| form_error(err).into())
}

/// Query string extractor settings.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req: &HttpRequest| {
        let actix_web::error::QueryPayloadError::Deserialize(e) = err else {
            return ApiError::BadRequest(BadRequestReason::UnreadableQuery).into();
        };
        serde_value_error("query", &e.to_string()).into()
    })
}

/// Path segment extractor settings: a path id that cannot be read names no resource, so it is
/// 404 `not_found`, like an id that reads but does not exist.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req: &HttpRequest| ApiError::NotFound.into())
}

fn json_error(err: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => {
            ApiError::PayloadTooLarge { limit }
        }
        E::ContentType => ApiError::BadRequest(BadRequestReason::NotJsonContentType),
        E::Deserialize(e) if e.is_data() => serde_field_error(&e.to_string()),
        E::Deserialize(e) => ApiError::BadRequest(BadRequestReason::NotJson {
            line: e.line(),
            column: e.column(),
        }),
        _ => ApiError::BadRequest(BadRequestReason::UnreadableBody),
    }
}

fn form_error(err: actix_web::error::UrlencodedError) -> ApiError {
    use actix_web::error::UrlencodedError as E;
    match err {
        E::Overflow { limit, .. } => ApiError::PayloadTooLarge { limit },
        E::ContentType => ApiError::BadRequest(BadRequestReason::NotFormContentType),
        E::Parse(e) => serde_field_error(&e.to_string()),
        _ => ApiError::BadRequest(BadRequestReason::UnreadableBody),
    }
}

/// A 422 naming the field of a serde data error, without echoing any input value.
fn serde_field_error(message: &str) -> ApiError {
    let message = message.split(" at line ").next().unwrap_or_default();
    if let Some(field) = backticked_after(message, "missing field ") {
        return ApiError::invalid_field(field, FieldProblem::Missing);
    }
    if let Some(field) = backticked_after(message, "unknown field ") {
        return ApiError::invalid_field(field, FieldProblem::UnknownField);
    }
    if let Some(field) = backticked_after(message, "duplicate field ") {
        return ApiError::invalid_field(field, FieldProblem::DuplicateField);
    }
    ApiError::invalid_field("body", scrub_serde_message(message))
}

fn serde_value_error(field: &str, message: &str) -> ApiError {
    if let Some(name) = backticked_after(message, "missing field ") {
        return ApiError::invalid_field(name, FieldProblem::Missing);
    }
    ApiError::invalid_field(field, scrub_serde_message(message))
}

/// The name in backticks right after `prefix` in `message`.
fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next()
}

/// serde's complaint about a value, with the input cut out: a value may be a key or a
/// password.
///
/// serde quotes the rejected input (`invalid type: string "..."`, `unknown variant `x``) and
/// states what it expected (from the type, safe to show) after `expected`.
fn scrub_serde_message(message: &str) -> FieldProblem {
    FieldProblem::WrongType {
        expected: message
            .split_once("expected ")
            .map(|(_, expected)| expected.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;
    use clp_domain::conflict::ConflictReason;

    async fn body_of(err: &ApiError) -> serde_json::Value {
        let response = err.error_response();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        let bytes = to_bytes(response.into_body()).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn saas_conflict() -> Conflict {
        Conflict::new(
            Some(7),
            ConflictReason::SaasServiceHeld {
                product: "XDR Add-On: Cloud App Security".to_owned(),
                service: "cloud-app-security".to_owned(),
            },
        )
    }

    #[actix_web::test]
    async fn restriction_is_409_and_verification_expired_410() {
        let err = ApiError::restricted(vec![saas_conflict()]);
        assert_eq!(err.status_code(), StatusCode::CONFLICT);
        let body = body_of(&err).await;
        assert_eq!(body["code"], "saas_conflict");
        assert_eq!(body["status"], 409);
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.contains("cloud-app-security"), "{detail}");
        assert!(detail.ends_with("or create a new account."), "{detail}");
        assert_eq!(body["type"], ErrorCode::SaasConflict.type_uri());
        let err = ApiError::restricted(vec![Conflict::new(None, ConflictReason::LinkExpired)]);
        assert_eq!(err.status_code(), StatusCode::GONE);
        assert_eq!(ApiError::EmailLinkExpired.status_code(), StatusCode::GONE);
        assert_eq!(ApiError::restricted(Vec::new()).code(), ErrorCode::Internal);
    }

    #[actix_web::test]
    async fn internal_error_body_is_opaque() {
        let err = ApiError::internal(std::io::Error::other("secret table users_x broke"));
        let body = body_of(&err).await;
        assert_eq!(body["status"], 500);
        assert_eq!(body["code"], "internal");
        assert!(!body.to_string().contains("users_x"));
    }

    #[actix_web::test]
    async fn rate_limited_sets_retry_after() {
        let response = ApiError::RateLimited {
            retry_after_secs: 17,
        }
        .error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "17");
    }

    #[actix_web::test]
    async fn validation_lists_fields() {
        let body = body_of(&ApiError::Validation(vec![
            FieldIssue::new("email", FieldProblem::Missing),
            FieldIssue::new("password", FieldProblem::TooShort { min: 12 }),
        ]))
        .await;
        assert_eq!(body["status"], 422);
        assert_eq!(body["code"], "validation_failed");
        assert_eq!(body["errors"][1]["field"], "password");
    }

    #[actix_web::test]
    async fn extractor_errors_are_problem_bodies_without_the_request_body() {
        use actix_web::{App, test, web};

        #[derive(serde::Deserialize)]
        struct Body {
            key: String,
            seats: u32,
        }
        async fn echo(body: web::Json<Body>) -> String {
            format!("{} {}", body.key, body.seats)
        }
        let app = test::init_service(
            App::new()
                .app_data(json_config())
                .route("/", web::post().to(echo)),
        )
        .await;
        let send = |payload: &'static str| {
            test::TestRequest::post()
                .uri("/")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload(payload)
                .to_request()
        };

        let res = test::call_service(&app, send(r#"{"key": "AB-SECRET", "#)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "bad_request");
        assert!(!body.to_string().contains("SECRET"));

        let res = test::call_service(&app, send(r#"{"key": "AB-SECRET"}"#)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "validation_failed");
        assert_eq!(body["errors"][0]["field"], "seats");

        let res =
            test::call_service(&app, send(r#"{"key": "AB-SECRET", "seats": "AB-SECRET"}"#)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = test::read_body_json(res).await;
        assert!(!body.to_string().contains("SECRET"), "{body}");
    }

    /// One error of each variant.
    fn every_variant() -> Vec<ApiError> {
        vec![
            ApiError::restricted(vec![saas_conflict()]),
            ApiError::EmailLinkExpired,
            ApiError::InvalidKey(KeyError::CheckFailed),
            ApiError::UnknownKey,
            ApiError::invalid_field("email", FieldProblem::Missing),
            ApiError::InvalidCredentials,
            ApiError::Unauthorized,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::AccountExists,
            ApiError::Conflict(ConflictKind::Duplicate),
            ApiError::IdempotencyMismatch,
            ApiError::RateLimited {
                retry_after_secs: 9,
            },
            ApiError::DATABASE_UNAVAILABLE,
            ApiError::BadRequest(BadRequestReason::UnreadableBody),
            ApiError::PayloadTooLarge { limit: 65536 },
            ApiError::InvalidQuery(vec![FieldIssue::new(
                "limit",
                FieldProblem::OutOfRange { min: 1, max: 100 },
            )]),
            ApiError::LinkExpired,
            ApiError::MfaRequired,
            ApiError::OrderInUse,
            ApiError::OrderCancelled,
            ApiError::internal(std::io::Error::other("boom")),
        ]
    }

    #[test]
    fn japanese_problems_keep_type_status_code_and_fields() {
        for err in every_variant() {
            let (en, ja) = (err.problem_in(Lang::En), err.problem_in(Lang::Ja));
            assert_eq!(
                (&en.r#type, en.status, en.code),
                (&ja.r#type, ja.status, ja.code)
            );
            assert_eq!(en.title, err.code().title());
            assert_eq!(ja.title, messages::Japanese.title(err.code()));
            assert!(
                !ja.detail.is_empty() && ja.detail != en.detail,
                "{}",
                ja.detail
            );
            let fields = |p: &Problem| {
                p.errors
                    .iter()
                    .flatten()
                    .map(|e| e.field.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(fields(&en), fields(&ja));
        }
    }

    #[test]
    fn japanese_details_keep_the_specifics() {
        let ja = |err: ApiError| err.problem_in(Lang::Ja);
        let p = ja(ApiError::InvalidKey(KeyError::WrongLength {
            expected: 20,
            found: 5,
        }));
        assert!(
            p.detail.contains("20 文字") && p.detail.contains("5 文字"),
            "{}",
            p.detail
        );
        let p = ja(ApiError::InvalidKey(KeyError::InvalidCharacter {
            character: '!',
            position: 3,
        }));
        assert!(p.detail.contains("3 文字目") && p.detail.contains("「!」"));
        let p = ja(ApiError::RateLimited {
            retry_after_secs: 17,
        });
        assert!(p.detail.contains("17 秒後"));
        let p = ja(ApiError::Validation(vec![
            FieldIssue::new("password", FieldProblem::TooShort { min: 12 }),
            FieldIssue::new("x", FieldProblem::Missing),
        ]));
        assert!(p.detail.starts_with("2 件の項目"));
        let errors = p.errors.unwrap_or_default();
        assert_eq!(errors[0].field, "password");
        assert_eq!(errors[0].message, "12 文字以上で入力してください。");
        assert_eq!(errors[1].message, "必須です");
        let p = ja(ApiError::restricted(vec![Conflict::new(
            Some(3),
            ConflictReason::RegionConflict {
                product: Some("XDR Addon: Deep Discovery Inspector (JP)".to_owned()),
                account_region: clp_domain::region::Region::Eu,
                order_region: clp_domain::region::Region::Jp,
            },
        )]));
        for specific in ["XDR Addon: Deep Discovery Inspector (JP)", "日本", "欧州"] {
            assert!(p.detail.contains(specific), "{}", p.detail);
        }
    }

    #[test]
    fn english_invalid_key_detail_is_a_sentence() {
        let p = ApiError::InvalidKey(KeyError::CheckFailed).problem_in(Lang::En);
        assert!(
            p.detail.starts_with("The key looks mistyped"),
            "{}",
            p.detail
        );
        assert!(p.detail.ends_with("original."), "{}", p.detail);
    }

    #[actix_web::test]
    async fn problems_follow_the_request_language_and_vary_on_it() {
        let response =
            crate::i18n::with_lang(Lang::Ja, async { ApiError::NotFound.error_response() }).await;
        assert_eq!(
            response.headers().get(header::VARY).unwrap(),
            "Accept-Language"
        );
        let bytes = to_bytes(response.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["title"], "見つかりません");
        assert_eq!(body["code"], "not_found");
        assert_eq!(body_of(&ApiError::NotFound).await["title"], "Not found");
    }

    #[test]
    fn serde_errors_name_the_field_without_echoing_values() {
        #[derive(Debug, serde::Deserialize)]
        #[expect(dead_code, reason = "only deserialized")]
        struct Body {
            key: u32,
            password: String,
        }
        let err = serde_json::from_str::<Body>(r#"{"password":"x"}"#).unwrap_err();
        let ApiError::Validation(errors) = serde_field_error(&err.to_string()) else {
            panic!("not a validation error");
        };
        assert_eq!(errors[0].field, "key");

        let err =
            serde_json::from_str::<Body>(r#"{"key":"AB-SECRET","password":"x"}"#).unwrap_err();
        let ApiError::Validation(errors) = serde_field_error(&err.to_string()) else {
            panic!("not a validation error");
        };
        let message = messages::English.field(&errors[0].problem);
        assert!(!message.contains("SECRET"), "{message}");
        assert!(message.contains("expected u32"), "{message}");
    }
}
