//! `Idempotency-Key` on partner `POST`s.
//!
//! The key is claimed in the database before the request runs (see [`clp_db::idempotency`]):
//! the first request with a key runs and stores its response; a replay with the same body gets
//! that response again (same status, same body, header `Idempotency-Replayed: true`); a request
//! arriving while the first still runs waits for it; a different body is 422
//! `idempotency_mismatch`. Server errors are not stored, so the client can retry them.

use std::future::{Ready, ready};
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError as _};
use chrono::Utc;
use clp_db::Database;
use clp_db::idempotency::{self, Claim};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::error::{ApiError, PROBLEM_JSON};
use crate::messages::{BadRequestReason, ConflictKind};

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Response header set on a replayed response.
pub const IDEMPOTENCY_REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// How long a request waits for a concurrent one with the same key before answering 409.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(15);
/// Poll interval while waiting.
const IN_FLIGHT_POLL: Duration = Duration::from_millis(50);

/// The `Idempotency-Key` header of a request, if any: 1 to 255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(&IDEMPOTENCY_KEY) else {
            return ready(Ok(Self(None)));
        };
        let key =
            value.to_str().ok().map(str::trim).filter(|k| {
                (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
            });
        ready(match key {
            Some(key) => Ok(Self(Some(key.to_owned()))),
            None => Err(ApiError::BadRequest(BadRequestReason::IdempotencyKeyHeader)),
        })
    }
}

/// A successful result of an idempotent handler: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: serde_json::Value,
}

impl JsonResponse {
    /// A response with `status` and `body` serialized.
    pub fn new(status: StatusCode, body: &impl Serialize) -> Result<Self, ApiError> {
        Ok(Self {
            status,
            body: serde_json::to_value(body).map_err(ApiError::internal)?,
        })
    }

    fn into_http(self) -> HttpResponse {
        HttpResponse::build(self.status).json(self.body)
    }
}

/// The hash identifying a request: route and canonical JSON body.
pub fn request_hash(route: &str, body: &impl Serialize) -> Result<String, ApiError> {
    let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let mut hasher = Sha256::new();
    hasher.update(route.as_bytes());
    hasher.update(b"\n");
    hasher.update(&body);
    Ok(hex::encode(hasher.finalize()))
}

fn replay(status: u16, body: String) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
        .insert_header((IDEMPOTENCY_REPLAYED, HeaderValue::from_static("true")))
        .body(body)
}

/// Runs `handler` at most once per partner and key: see the module documentation.
///
/// `route` and `body` identify the request (`body` is hashed in its canonical JSON form).
pub async fn run<F, Fut>(
    db: &Database,
    partner_id: i64,
    key: IdempotencyKey,
    route: &str,
    body: &impl Serialize,
    handler: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<JsonResponse, ApiError>>,
{
    let Some(key) = key.0 else {
        return handler().await.map(JsonResponse::into_http);
    };
    let hash = request_hash(route, body)?;
    let started = tokio::time::Instant::now();
    loop {
        match idempotency::claim(db, partner_id, &key, &hash, Utc::now()).await? {
            Claim::Started => break,
            Claim::Replay { status, body } => return Ok(replay(status, body)),
            Claim::Mismatch => return Err(ApiError::IdempotencyMismatch),
            Claim::InFlight if started.elapsed() < IN_FLIGHT_WAIT => {
                tokio::time::sleep(IN_FLIGHT_POLL).await;
            }
            Claim::InFlight => {
                return Err(ApiError::Conflict(ConflictKind::IdempotencyInFlight));
            }
        }
    }
    let outcome = handler().await;
    let stored = match &outcome {
        Ok(response) => Some((response.status.as_u16(), response.body.to_string())),
        Err(error) if error.status_code().is_client_error() => {
            let body = serde_json::to_string(&error.problem()).map_err(ApiError::internal)?;
            Some((error.status_code().as_u16(), body))
        }
        Err(_) => None,
    };
    let saved = match stored {
        Some((status, body)) => idempotency::complete(db, partner_id, &key, status, &body).await,
        None => idempotency::release(db, partner_id, &key).await,
    };
    if let Err(e) = saved {
        // The response itself is right; only a replay of it may run the request again.
        tracing::warn!(error = %e, "cannot store the idempotent response");
    }
    outcome.map(JsonResponse::into_http)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_route_and_body() {
        let a = request_hash("POST /x", &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(
            a,
            request_hash("POST /x", &serde_json::json!({"a": 1})).unwrap()
        );
        assert_ne!(
            a,
            request_hash("POST /y", &serde_json::json!({"a": 1})).unwrap()
        );
        assert_ne!(
            a,
            request_hash("POST /x", &serde_json::json!({"a": 2})).unwrap()
        );
    }
}
