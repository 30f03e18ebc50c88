//! [`ApiError`]: the one error type of the handlers, and the only place choosing status codes.
//!
//! Every error leaves the server as an RFC 9457 problem body (`application/problem+json`) with
//! our stable `code` (see [`ErrorCode`]). Handlers return `Result<T, ApiError>` and use `?`:
//! database errors convert on their own, and so do actix's extractor errors through
//! [`json_config`], [`query_config`], [`path_config`] and [`form_config`].

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use clp_api_types::{ErrorCode, FieldError, Problem};

/// A boxed error kept as the cause of an internal error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Content type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every way a request can fail. The variant decides status, `code` and `detail`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An activation restriction of DOMAIN.md (`saas_conflict`, `verification_expired`, ...):
    /// 409, or 410 for `verification_expired`. `detail` states the remedy in plain words.
    #[error("restriction {code}: {detail}")]
    Restriction {
        /// One of the restriction codes ([`ErrorCode::is_restriction`]).
        code: ErrorCode,
        /// What happened and what to do about it.
        detail: String,
    },
    /// 422 `invalid_key`: the key is malformed; the detail says how (length, character, check).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// 404 `unknown_key`: the key is well formed but no order line has it.
    #[error("unknown key")]
    UnknownKey,
    /// 422 `validation_failed`, listing every bad field.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
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
    /// 409 `conflict`, with a detail saying what conflicts (e.g. a duplicate order number).
    #[error("conflict: {0}")]
    Conflict(String),
    /// 422 `idempotency_mismatch`: the `Idempotency-Key` was used with another body.
    #[error("idempotency key reused with a different body")]
    IdempotencyMismatch,
    /// 429 `rate_limited` with `Retry-After`.
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited {
        /// Seconds until the client may retry.
        retry_after_secs: u64,
    },
    /// 503 `unavailable`: the database (or another dependency) cannot be reached.
    #[error("service unavailable")]
    Unavailable,
    /// 400 `bad_request`: the request cannot be read at all (not JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 413 `bad_request`: the body is larger than the route accepts.
    #[error("payload larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 500 `internal`: a bug or an unexpected failure. The cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

impl ApiError {
    /// A 500 whose cause is logged with its whole chain.
    pub fn internal(cause: impl Into<BoxError>) -> Self {
        Self::Internal(cause.into())
    }

    /// A restriction `code` (409, or 410 for `verification_expired`) with the remedy in `detail`.
    pub fn restriction(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Restriction {
            code,
            detail: detail.into(),
        }
    }

    /// A 422 `validation_failed` for a single field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The stable error code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Restriction { code, .. } => *code,
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
            Self::Unavailable => ErrorCode::Unavailable,
            Self::BadRequest(_) | Self::PayloadTooLarge { .. } => ErrorCode::BadRequest,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The problem body sent for this error.
    pub fn problem(&self) -> Problem {
        let detail = match self {
            Self::Restriction { detail, .. }
            | Self::InvalidKey(detail)
            | Self::Conflict(detail)
            | Self::BadRequest(detail) => detail.clone(),
            Self::UnknownKey => "No order line has this registration key. Check the key on \
                your license certificate and enter it again."
                .to_owned(),
            Self::Validation(errors) => match errors.len() {
                1 => "1 field is invalid; see `errors`.".to_owned(),
                n => format!("{n} fields are invalid; see `errors`."),
            },
            Self::InvalidCredentials => {
                "The login or the password is wrong. Check both and try again.".to_owned()
            }
            Self::Unauthorized => "Sign in, or send a valid bearer token; the session may \
                have expired."
                .to_owned(),
            Self::Forbidden => "Your credentials do not allow this action.".to_owned(),
            Self::NotFound => "The resource does not exist.".to_owned(),
            Self::AccountExists => "An account with this email or login ID already exists. \
                Sign in to it, or sign up with another email."
                .to_owned(),
            Self::IdempotencyMismatch => "This Idempotency-Key was already used with a \
                different request body. Send a new key for a new request."
                .to_owned(),
            Self::RateLimited { retry_after_secs } => {
                format!("Too many requests. Retry in {retry_after_secs} seconds.")
            }
            Self::Unavailable => {
                "The service is temporarily unavailable. Retry in a moment.".to_owned()
            }
            Self::PayloadTooLarge { limit } => {
                format!("The request body is larger than {limit} bytes.")
            }
            Self::Internal(_) => "An unexpected error occurred. Retry later; if it persists, \
                contact support."
                .to_owned(),
        };
        let problem = Problem::new(self.code(), detail).with_status(self.status_code().as_u16());
        match self {
            Self::Validation(errors) => problem.with_errors(errors.clone()),
            _ => problem,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Restriction {
                code: ErrorCode::VerificationExpired,
                ..
            } => StatusCode::GONE,
            Self::Restriction { .. } | Self::AccountExists | Self::Conflict(_) => {
                StatusCode::CONFLICT
            }
            Self::InvalidKey(_) | Self::Validation(_) | Self::IdempotencyMismatch => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::UnknownKey | Self::NotFound => StatusCode::NOT_FOUND,
            Self::InvalidCredentials | Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
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
        if let Self::RateLimited { retry_after_secs } = self {
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

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::{DbErr, SqlErr};
        if let Some(SqlErr::UniqueConstraintViolation(_)) = err.sql_err() {
            tracing::info!(error = %err, "unique constraint violation");
            return Self::Conflict(
                "The request conflicts with existing data (a duplicate).".to_owned(),
            );
        }
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::warn!(error = %error_chain(&err), "database unavailable");
                Self::Unavailable
            }
            other => Self::Internal(Box::new(other)),
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
            return ApiError::BadRequest("The query string cannot be read.".to_owned()).into();
        };
        serde_value_error("query", &e.to_string()).into()
    })
}

/// Path segment extractor settings.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req: &HttpRequest| {
        let actix_web::error::PathError::Deserialize(e) = err else {
            return ApiError::NotFound.into();
        };
        serde_value_error("path", &e.to_string()).into()
    })
}

fn json_error(err: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => {
            ApiError::PayloadTooLarge { limit }
        }
        E::ContentType => ApiError::BadRequest(
            "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
        ),
        E::Deserialize(e) if e.is_data() => serde_field_error(&e.to_string()),
        E::Deserialize(e) => ApiError::BadRequest(format!(
            "The body is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        )),
        _ => ApiError::BadRequest("The request body cannot be read.".to_owned()),
    }
}

fn form_error(err: actix_web::error::UrlencodedError) -> ApiError {
    use actix_web::error::UrlencodedError as E;
    match err {
        E::Overflow { limit, .. } => ApiError::PayloadTooLarge { limit },
        E::ContentType => {
            ApiError::BadRequest("Send the body as `application/x-www-form-urlencoded`.".to_owned())
        }
        E::Parse(e) => serde_field_error(&e.to_string()),
        _ => ApiError::BadRequest("The request body cannot be read.".to_owned()),
    }
}

/// A 422 naming the field of a serde data error, without echoing any input value.
fn serde_field_error(message: &str) -> ApiError {
    let message = message.split(" at line ").next().unwrap_or_default();
    if let Some(field) = backticked_after(message, "missing field ") {
        return ApiError::invalid_field(field, "is required");
    }
    if let Some(field) = backticked_after(message, "unknown field ") {
        return ApiError::invalid_field(field, "is not a known field");
    }
    if let Some(field) = backticked_after(message, "duplicate field ") {
        return ApiError::invalid_field(field, "appears twice");
    }
    ApiError::invalid_field("body", scrub_serde_message(message))
}

fn serde_value_error(field: &str, message: &str) -> ApiError {
    if let Some(name) = backticked_after(message, "missing field ") {
        return ApiError::invalid_field(name, "is required");
    }
    ApiError::invalid_field(field, scrub_serde_message(message))
}

/// The name in backticks right after `prefix` in `message`.
fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split('`').next()
}

/// serde's message with every input value cut out: a value may be a key or a password.
///
/// serde quotes the rejected input (`invalid type: string "..."`, `unknown variant `x``) and
/// states what it expected (from the type, safe to show) after `expected`.
fn scrub_serde_message(message: &str) -> String {
    match message.split_once("expected ") {
        Some((_, expected)) => format!("has the wrong type or value; expected {expected}"),
        None => "has the wrong type or value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(err: &ApiError) -> serde_json::Value {
        let response = err.error_response();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        let bytes = to_bytes(response.into_body()).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[actix_web::test]
    async fn restriction_is_409_and_verification_expired_410() {
        let err = ApiError::restriction(ErrorCode::SaasConflict, "Use another account.");
        assert_eq!(err.status_code(), StatusCode::CONFLICT);
        let body = body_of(&err).await;
        assert_eq!(body["code"], "saas_conflict");
        assert_eq!(body["status"], 409);
        assert_eq!(body["detail"], "Use another account.");
        assert_eq!(body["type"], ErrorCode::SaasConflict.type_uri());
        let err = ApiError::restriction(ErrorCode::VerificationExpired, "Start again.");
        assert_eq!(err.status_code(), StatusCode::GONE);
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
            FieldError::new("email", "is required"),
            FieldError::new("password", "is too short"),
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
        assert!(
            !errors[0].message.contains("SECRET"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[0].message.contains("expected u32"),
            "{}",
            errors[0].message
        );
    }
}
