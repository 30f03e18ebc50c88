//! [`ApiError`]: the one error type of the handlers, and the only place choosing status codes.
//!
//! Every error leaves the server as an RFC 9457 problem body (`application/problem+json`) with
//! our stable `code` (see [`ErrorCode`]). Handlers return `Result<T, ApiError>` and use `?`:
//! database errors convert on their own, and so do actix's extractor errors through
//! [`json_config`], [`query_config`], [`path_config`] and [`form_config`].
//!
//! `title`, `detail` and `errors[].message` are in the language of the request
//! ([`Lang::current`], negotiated from `Accept-Language` by [`crate::i18n`]); `code` is the
//! same in every language, and every problem response carries `Vary: Accept-Language`.

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use clp_api_types::{ErrorCode, FieldError, Problem};
use clp_domain::keys::KeyError;

use crate::i18n::{self, Lang, RequestLang as _};

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
    InvalidKey(KeyError),
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
    /// 503 `unavailable` with `Retry-After`: the database (or another dependency) cannot be
    /// reached or cannot take writes now (its disk is full).
    #[error("service unavailable (retry after {retry_after_secs}s)")]
    Unavailable {
        /// Seconds after which the client may retry.
        retry_after_secs: u64,
    },
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
            Self::Unavailable { .. } => ErrorCode::Unavailable,
            Self::BadRequest(_) | Self::PayloadTooLarge { .. } => ErrorCode::BadRequest,
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
        let detail = match lang {
            Lang::En => self.detail_en(),
            Lang::Ja => self.detail_ja(),
        };
        let mut problem =
            Problem::new(self.code(), detail).with_status(self.status_code().as_u16());
        problem.title = i18n::title(self.code(), lang).to_owned();
        match self {
            Self::Validation(errors) => problem.with_errors(match lang {
                Lang::En => errors.clone(),
                Lang::Ja => errors
                    .iter()
                    .map(|e| FieldError {
                        field: e.field.clone(),
                        message: i18n::translate_ja(&e.message)
                            .unwrap_or_else(|| e.message.clone()),
                    })
                    .collect(),
            }),
            _ => problem,
        }
    }

    /// The Japanese `detail`: the specifics the variant carries in a Japanese sentence where
    /// the server knows one, else the Japanese remedy of the code. (Restriction details are
    /// written in English by the domain, so they get the remedy of their code.)
    fn detail_ja(&self) -> String {
        match self {
            Self::InvalidKey(error) => key_error_ja(error),
            Self::Validation(errors) => {
                format!(
                    "{} 件の項目に誤りがあります。`errors` を確認してください。",
                    errors.len()
                )
            }
            Self::RateLimited { retry_after_secs } => {
                format!("リクエストが多すぎます。{retry_after_secs} 秒後に再試行してください。")
            }
            Self::PayloadTooLarge { limit } => {
                format!("リクエスト本文が大きすぎます（上限は {limit} バイトです）。")
            }
            Self::Conflict(detail) | Self::BadRequest(detail) => i18n::translate_ja(detail)
                .unwrap_or_else(|| i18n::remedy_ja(self.code()).to_owned()),
            Self::Restriction { code, detail } => {
                i18n::translate_ja(detail).unwrap_or_else(|| i18n::remedy_ja(*code).to_owned())
            }
            _ => i18n::remedy_ja(self.code()).to_owned(),
        }
    }

    /// The English `detail`.
    fn detail_en(&self) -> String {
        match self {
            Self::Restriction { detail, .. }
            | Self::Conflict(detail)
            | Self::BadRequest(detail) => detail.clone(),
            Self::InvalidKey(error) => sentence(&error.to_string()),
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
            Self::Unavailable { retry_after_secs } => format!(
                "The service is temporarily unavailable. Retry in {retry_after_secs} seconds."
            ),
            Self::PayloadTooLarge { limit } => {
                format!("The request body is larger than {limit} bytes.")
            }
            Self::Internal(_) => "An unexpected error occurred. Retry later; if it persists, \
                contact support."
                .to_owned(),
        }
    }
}

/// `message` as a sentence: capitalised, with a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What is wrong with a key, in Japanese (the key itself is never repeated).
fn key_error_ja(error: &KeyError) -> String {
    match error {
        KeyError::WrongLength { expected, found } => format!(
            "キーは英数字 {expected} 文字（ハイフンと空白を除く）ですが、入力されたキーは \
             {found} 文字です。抜けている文字や重複している文字がないか確認してください。"
        ),
        KeyError::InvalidCharacter {
            character,
            position,
        } => format!(
            "キーの {position} 文字目（英数字のみで数えます）の「{character}」は使用できません。\
             元のキーと照らし合わせて確認してください。"
        ),
        KeyError::CheckFailed => "キーの入力に誤りがあるようです（チェック文字が一致しません）。\
             1 文字ずつ元のキーと照らし合わせて確認してください。"
            .to_owned(),
        KeyError::BadPrefix => "キーの接頭辞は A〜Z の英字 2 文字にしてください。".to_owned(),
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
            Self::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
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
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use clp_db::failure::DbFailure;
        match DbFailure::of(&err) {
            DbFailure::Duplicate => {
                tracing::info!(error = %err, "unique constraint violation");
                Self::Conflict("The request conflicts with existing data (a duplicate).".to_owned())
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
            return ApiError::BadRequest("The query string cannot be read.".to_owned()).into();
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

    /// One error of each variant.
    fn every_variant() -> Vec<ApiError> {
        vec![
            ApiError::restriction(ErrorCode::SaasConflict, "XDR CAS provisions cas. Remedy."),
            ApiError::InvalidKey(KeyError::CheckFailed),
            ApiError::UnknownKey,
            ApiError::Validation(vec![FieldError::new("email", "is required")]),
            ApiError::InvalidCredentials,
            ApiError::Unauthorized,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::AccountExists,
            ApiError::Conflict("Something nobody translated.".to_owned()),
            ApiError::IdempotencyMismatch,
            ApiError::RateLimited {
                retry_after_secs: 9,
            },
            ApiError::DATABASE_UNAVAILABLE,
            ApiError::BadRequest("Something nobody translated.".to_owned()),
            ApiError::PayloadTooLarge { limit: 65536 },
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
            assert_eq!(ja.title, i18n::title_ja(err.code()));
            assert!(
                !ja.detail.is_empty() && ja.detail != en.detail,
                "{}",
                ja.detail
            );
            assert!(
                !ja.detail.contains("nobody translated"),
                "unknown English falls back to the code's remedy: {}",
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
            FieldError::new("password", "Use at least 12 characters."),
            FieldError::new("x", "an English message nobody translated"),
        ]));
        assert!(p.detail.starts_with("2 件の項目"));
        let errors = p.errors.unwrap_or_default();
        assert_eq!(errors[0].field, "password");
        assert_eq!(errors[0].message, "12 文字以上で入力してください。");
        assert_eq!(errors[1].message, "an English message nobody translated");
        let p = ja(ApiError::restriction(
            ErrorCode::VerificationExpired,
            "This verification link has expired; nothing was activated.",
        ));
        assert_eq!(p.detail, i18n::remedy_ja(ErrorCode::VerificationExpired));
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
            i18n::with_lang(Lang::Ja, async { ApiError::NotFound.error_response() }).await;
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
