//! `POST /api/v1/oauth/token`: OAuth2 client credentials for partners (form or JSON body).

use actix_web::http::header;
use actix_web::{FromRequest as _, HttpRequest, post, web};
use clp_api_types::{Problem, TokenRequest, TokenResponse};
use clp_db::partners;

use super::ServiceConfig;
use crate::auth::jwt::PARTNER_TOKEN_TTL;
use crate::auth::password::{run_hashing, verify_dummy, verify_password};
use crate::error::ApiError;
use crate::messages::BadRequestReason;
use crate::partners::{ALL_SCOPES, parse_scopes};
use crate::state::AppState;

/// The only grant type offered.
pub const CLIENT_CREDENTIALS: &str = "client_credentials";

/// Registers the token route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(issue_token);
}

/// Reads the body as a form when the content type says so, as JSON otherwise.
async fn read_token_request(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<TokenRequest, actix_web::Error> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut payload = payload.into_inner();
    if is_form {
        Ok(web::Form::<TokenRequest>::from_request(req, &mut payload)
            .await?
            .into_inner())
    } else {
        Ok(web::Json::<TokenRequest>::from_request(req, &mut payload)
            .await?
            .into_inner())
    }
}

/// Issues a short-lived partner access token for OAuth2 client credentials.
///
/// The body is `application/x-www-form-urlencoded` (RFC 6749); the same fields as a JSON
/// object are accepted too. Without `scope`, every scope of the partner is granted; with it,
/// exactly the requested scopes, which must be a subset of the partner's.
//
// The document names the form body only: client generators (openapi-python-client,
// openapi-typescript) handle one content type per request body well, and two made the Python
// client's token module fail to import (`NameError: Unset`). JSON stays accepted.
#[utoipa::path(
    tag = "partner-auth",
    request_body(
        description = "Client credentials (`application/x-www-form-urlencoded`, RFC 6749 \
            section 4.4; the server also accepts them as JSON).",
        content((TokenRequest = "application/x-www-form-urlencoded"))
    ),
    responses(
        (status = 200, description = "The access token.", body = TokenResponse),
        (status = 400, description = "Unsupported `grant_type` or a scope not granted to the \
            partner (`bad_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown client or wrong secret (`invalid_credentials`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
pub async fn issue_token(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<web::Json<TokenResponse>, actix_web::Error> {
    let body = read_token_request(&req, payload).await?;
    Ok(web::Json(grant(&state, body).await?))
}

async fn grant(state: &AppState, body: TokenRequest) -> Result<TokenResponse, ApiError> {
    if body.grant_type != CLIENT_CREDENTIALS {
        return Err(ApiError::BadRequest(
            BadRequestReason::UnsupportedGrantType {
                expected: CLIENT_CREDENTIALS,
            },
        ));
    }
    let partner = partners::find_by_client_id(&state.db, &body.client_id).await?;
    let secret = body.client_secret;
    let verified = match &partner {
        Some(partner) => {
            let hash = partner.client_secret_hash.clone();
            run_hashing(move || verify_password(&secret, &hash))
                .await
                .map_err(ApiError::internal)??
        }
        None => run_hashing(move || verify_dummy(&secret))
            .await
            .map_err(ApiError::internal)?,
    };
    let Some(partner) = partner.filter(|_| verified) else {
        tracing::info!("partner token refused: invalid client credentials");
        return Err(ApiError::InvalidCredentials);
    };
    let scopes = match body
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => partner.scopes.clone(),
        Some(requested) => {
            let requested = parse_scopes(requested.split_whitespace()).map_err(|unknown| {
                ApiError::BadRequest(BadRequestReason::UnknownScope {
                    scope: unknown.0,
                    known: ALL_SCOPES.to_vec(),
                })
            })?;
            if let Some(missing) = requested.iter().find(|s| !partner.scopes.contains(s)) {
                return Err(ApiError::BadRequest(BadRequestReason::ScopeNotGranted {
                    scope: missing.clone(),
                }));
            }
            requested
        }
    };
    let scope_refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let access_token = state
        .jwt
        .issue_partner(partner.id, &scope_refs, PARTNER_TOKEN_TTL)?;
    tracing::info!(partner_id = partner.id, "partner token issued");
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: PARTNER_TOKEN_TTL.as_secs(),
        scope: scopes.join(" "),
    })
}
