//! A pending activation's link after the first: `POST /api/v1/activations/{id}/resend` (a
//! fresh link to the same address; the earlier stops working) and
//! `DELETE /api/v1/activations/{id}` (cancel: the customer uses a different email). The
//! `activation_id` of the 202 of `POST /api/v1/activations` is the capability: a random UUID
//! known only to whoever requested the activation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use chrono::Utc;
use clp_api_types::{ActivationAccepted, ActivationStatus as ApiStatus, Problem};
use clp_db::accounts;
use clp_db::activation_links::{self, CancelOutcome, ResendOutcome};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::orders::find_order;
use clp_domain::conflict::{Conflict, ConflictReason};
use sea_orm::TransactionTrait as _;
use serde_json::json;
use uuid::Uuid;

use super::ServiceConfig;
use super::activations::verification_mail;
use super::flow_support::client_ip;
use crate::auth::link_token::new_token;
use crate::error::ApiError;
use crate::state::AppState;

/// Fresh links an activation may get after its first.
pub const MAX_RESENDS: i32 = 5;

/// Registers the resend and cancel routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(resend_activation).service(cancel_activation);
}

/// The activation id of the path; anything but a UUID is no activation (404).
fn activation_id(path: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(path).map_err(|_| ApiError::NotFound)
}

/// Sends a fresh verification link of a pending activation to the same address.
///
/// The earlier link stops working (following it answers `verification_expired`); the new one
/// is valid for the full verification time from now. At most 5 resends per activation.
#[utoipa::path(
    tag = "activations",
    params(("id" = Uuid, Path, description = "The `activation_id` of the 202 of \
        `POST /api/v1/activations`.")),
    responses(
        (status = 202, description = "A fresh link is on its way; the new expiry.",
            body = ActivationAccepted),
        (status = 404, description = "No activation has this id (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The activation is completed (`nothing_to_activate`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The activation expired or was cancelled: start again \
            (`verification_expired`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "This activation had its 5 resends, or too many requests \
            from this client (`rate_limited`); `Retry-After` says when the link expires.",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activations/{id}/resend")]
pub async fn resend_activation(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = activation_id(&path.into_inner())?;
    let now = Utc::now();
    let (token, hash) = new_token()?;
    let ttl =
        chrono::Duration::from_std(state.config.verification_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    let txn = state.db.begin().await?;
    let activation =
        match activation_links::resend(&txn, id, &hash, expires_at, MAX_RESENDS, now).await? {
            ResendOutcome::Resent(activation) => activation,
            ResendOutcome::NotFound => return Err(ApiError::NotFound),
            ResendOutcome::Completed(_) => {
                return Err(ApiError::restricted(vec![Conflict::new(
                    None,
                    ConflictReason::LinkUsed,
                )]));
            }
            ResendOutcome::Ended(_) => {
                return Err(ApiError::restricted(vec![Conflict::new(
                    None,
                    ConflictReason::LinkExpired,
                )]));
            }
            ResendOutcome::LimitReached(activation) => {
                let left = (activation.expires_at - now).num_seconds();
                return Err(ApiError::RateLimited {
                    retry_after_secs: u64::try_from(left).unwrap_or(0).max(1),
                });
            }
        };
    let order = find_order(&txn, activation.order_id)
        .await?
        .ok_or_else(|| ApiError::internal("the order of an activation is gone"))?;
    let account = accounts::find_by_id(&txn, activation.account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::ActivationResent,
            actor: Actor::Anonymous,
            client_ip: client_ip(&state, &req),
            order_id: Some(order.id),
            account_id: Some(account.id.0),
            detail: json!({ "activation_id": activation.public_id, "expires_at": expires_at }),
        },
        now,
    )
    .await?;
    let mail = verification_mail(
        &state,
        &order,
        activation.region,
        &account,
        token,
        expires_at,
        activation.new_account,
    );
    clp_db::outbox::enqueue(&txn, mail.outbox_message(), now).await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    tracing::info!(activation_id = %activation.public_id, "verification link resent");
    Ok(
        HttpResponse::build(StatusCode::ACCEPTED).json(ActivationAccepted {
            activation_id: activation.public_id,
            status: ApiStatus::Pending,
            expires_at,
        }),
    )
}

/// Cancels a pending activation (the customer will use a different email): its link stops
/// working (following it answers `verification_expired`). Cancelling one that ended already
/// changes nothing and answers 204 too.
#[utoipa::path(
    tag = "activations",
    params(("id" = Uuid, Path, description = "The `activation_id` of the 202 of \
        `POST /api/v1/activations`.")),
    responses(
        (status = 204, description = "Cancelled (or ended before)."),
        (status = 404, description = "No activation has this id (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The activation is completed (`nothing_to_activate`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/activations/{id}")]
pub async fn cancel_activation(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = activation_id(&path.into_inner())?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    match activation_links::cancel(&txn, id, now).await? {
        CancelOutcome::Cancelled(activation) => {
            audit::record(
                &txn,
                AuditEntry {
                    kind: AuditKind::ActivationCancelled,
                    actor: Actor::Anonymous,
                    client_ip: client_ip(&state, &req),
                    order_id: Some(activation.order_id),
                    account_id: Some(activation.account_id.0),
                    detail: json!({ "activation_id": activation.public_id }),
                },
                now,
            )
            .await?;
            txn.commit().await?;
            tracing::info!(activation_id = %activation.public_id, "activation cancelled");
            Ok(HttpResponse::NoContent().finish())
        }
        CancelOutcome::AlreadyEnded => Ok(HttpResponse::NoContent().finish()),
        CancelOutcome::Completed => Err(ApiError::restricted(vec![Conflict::new(
            None,
            ConflictReason::LinkUsed,
        )])),
        CancelOutcome::NotFound => Err(ApiError::NotFound),
    }
}
