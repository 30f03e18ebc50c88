//! Partner webhook subscriptions and their deliveries:
//! `POST/GET /api/v1/partner/webhooks`, `DELETE /api/v1/partner/webhooks/{id}`,
//! `GET /api/v1/partner/webhooks/{id}/deliveries` and
//! `POST /api/v1/partner/webhooks/{id}/deliveries/{delivery_id}/redeliver`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::Utc;
use clp_api_types::{
    CreateWebhookRequest, DeliveryList, DeliveryStatus, Problem, WebhookDelivery, WebhookEvent,
    WebhookList, WebhookResponse,
};
use clp_db::outbox::{self, OutboxMessage, OutboxStatus};
use clp_db::webhooks::{self, Attempt, NewSubscription, Subscription};
use uuid::Uuid;

use super::ServiceConfig;
use crate::auth::PartnerAuth;
use crate::error::{ApiError, FieldIssue};
use crate::idempotency::{self, IdempotencyKey, JsonResponse};
use crate::messages::{ConflictKind, FieldProblem};
use crate::partners::SCOPE_WEBHOOKS_MANAGE;
use crate::state::AppState;
use crate::webhooks::signing::generate_secret;

/// Deliveries listed per subscription (newest first).
const DELIVERY_PAGE: u64 = 100;
/// Longest accepted URL.
const MAX_URL_LEN: usize = 2048;

/// Registers the webhook routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_webhook)
        .service(list_webhooks)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(redeliver);
}

fn to_response(subscription: &Subscription, with_secret: bool) -> WebhookResponse {
    WebhookResponse {
        id: subscription.public_id,
        url: subscription.url.clone(),
        events: subscription
            .events
            .iter()
            .filter_map(|e| e.parse::<WebhookEvent>().ok())
            .collect(),
        created_at: subscription.created_at,
        secret: with_secret.then(|| subscription.secret.clone()),
    }
}

fn check_url(url: &str) -> Result<String, FieldProblem> {
    let url = url.trim();
    if url.len() > MAX_URL_LEN {
        return Err(FieldProblem::Longer { max: MAX_URL_LEN });
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| FieldProblem::NotAUrl)?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(FieldProblem::NotAnHttpUrl);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(FieldProblem::NoHost);
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(FieldProblem::UrlCredentials);
    }
    Ok(parsed.to_string())
}

fn to_delivery(message: &OutboxMessage, attempts: &[Attempt]) -> Option<WebhookDelivery> {
    let event = message
        .payload
        .get("type")
        .and_then(|t| t.as_str())
        .and_then(|t| t.parse::<WebhookEvent>().ok())?;
    let last = attempts.iter().rev().find(|a| a.outbox_id == message.id);
    let status = match message.status {
        OutboxStatus::Pending => DeliveryStatus::Pending,
        OutboxStatus::Sent => DeliveryStatus::Sent,
        OutboxStatus::Failed => DeliveryStatus::Failed,
    };
    Some(WebhookDelivery {
        id: message.id,
        event_id: message.event_id.clone().unwrap_or_default(),
        event,
        status,
        attempts: message.attempts,
        last_error: message.last_error.clone(),
        last_status_code: last.and_then(|a| a.status_code),
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(message.next_attempt_at),
        created_at: message.created_at,
        sent_at: message.sent_at,
    })
}

async fn owned_subscription(
    state: &AppState,
    partner: &PartnerAuth,
    id: Uuid,
) -> Result<Subscription, ApiError> {
    webhooks::find_for_partner(&state.db, partner.partner_id, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Subscribes a URL to events. The response shows the signing secret, once.
///
/// Deliveries are `POST`s of a JSON body `{id, type, timestamp, data}` with the Standard
/// Webhooks headers `webhook-id` (the same across retries: de-duplicate on it),
/// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
/// "{webhook-id}.{webhook-timestamp}.{body}">`, keyed with the base64-decoded part of the
/// `whsec_` secret. A 2xx answer acknowledges; anything else is retried with exponential
/// back-off (2 s doubling, at most 1 h apart, ±20 %): 35 attempts over about 24 hours, then
/// the delivery is `failed` (see the deliveries route).
#[utoipa::path(
    tag = "partner-webhooks",
    request_body = CreateWebhookRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header,
            description = "Makes the request safe to retry (remembered for 24 hours)."),
    ),
    security(("partner_bearer" = ["webhooks:manage"])),
    responses(
        (status = 201, description = "The subscription, with its `secret`.", body = WebhookResponse),
        (status = 400, description = "A malformed `Idempotency-Key` header (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `webhooks:manage` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same `Idempotency-Key` is still \
            running (`conflict`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid URL or events (`validation_failed`), or the \
            `Idempotency-Key` was used with another body (`idempotency_mismatch`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partner/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    key: IdempotencyKey,
    body: web::Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_WEBHOOKS_MANAGE)?;
    let body = body.into_inner();
    idempotency::run(
        &state.db,
        partner.partner_id,
        key,
        "POST /api/v1/partner/webhooks",
        &body,
        || async {
            let mut errors = Vec::new();
            let url = check_url(&body.url)
                .map_err(|problem| errors.push(FieldIssue::new("url", problem)))
                .unwrap_or_default();
            let mut events: Vec<String> = Vec::new();
            for event in &body.events {
                if !events.iter().any(|e| e == event.as_str()) {
                    events.push(event.as_str().to_owned());
                }
            }
            if events.is_empty() {
                errors.push(FieldIssue::new("events", FieldProblem::NoEvents));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let subscription = webhooks::create(
                &state.db,
                &NewSubscription {
                    partner_id: partner.partner_id,
                    url,
                    events,
                    secret: generate_secret(),
                },
                Utc::now(),
            )
            .await?;
            tracing::info!(partner_id = partner.partner_id, id = %subscription.public_id,
                "webhook subscription created");
            JsonResponse::new(StatusCode::CREATED, &to_response(&subscription, true))
        },
    )
    .await
}

/// The calling partner's active subscriptions (without their secrets).
#[utoipa::path(
    tag = "partner-webhooks",
    security(("partner_bearer" = ["webhooks:manage"])),
    responses(
        (status = 200, description = "The subscriptions, oldest first.", body = WebhookList),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `webhooks:manage` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    partner: PartnerAuth,
) -> Result<web::Json<WebhookList>, ApiError> {
    partner.require(SCOPE_WEBHOOKS_MANAGE)?;
    let webhooks = webhooks::list_for_partner(&state.db, partner.partner_id)
        .await?
        .iter()
        .map(|s| to_response(s, false))
        .collect();
    Ok(web::Json(WebhookList { webhooks }))
}

/// Deletes a subscription: no new deliveries are queued for it, and pending ones fail.
#[utoipa::path(
    tag = "partner-webhooks",
    params(("id" = Uuid, Path, description = "Identifier of the subscription.")),
    security(("partner_bearer" = ["webhooks:manage"])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `webhooks:manage` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/partner/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_WEBHOOKS_MANAGE)?;
    if !webhooks::deactivate(&state.db, partner.partner_id, *path).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(partner_id = partner.partner_id, id = %*path, "webhook subscription deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// The deliveries of a subscription, newest first (at most 100), with their attempts so far.
#[utoipa::path(
    tag = "partner-webhooks",
    params(("id" = Uuid, Path, description = "Identifier of the subscription.")),
    security(("partner_bearer" = ["webhooks:manage"])),
    responses(
        (status = 200, description = "The deliveries.", body = DeliveryList),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `webhooks:manage` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<Uuid>,
) -> Result<web::Json<DeliveryList>, ApiError> {
    partner.require(SCOPE_WEBHOOKS_MANAGE)?;
    let subscription = owned_subscription(&state, &partner, *path).await?;
    let messages = outbox::for_subscription(&state.db, subscription.id, DELIVERY_PAGE).await?;
    let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    let attempts = webhooks::attempts_for(&state.db, &ids).await?;
    let deliveries = messages
        .iter()
        .filter_map(|m| to_delivery(m, &attempts))
        .collect();
    Ok(web::Json(DeliveryList { deliveries }))
}

/// Queues a delivery again, for a fresh round of attempts (same `webhook-id`).
///
/// Only a delivery that is `sent` or `failed` can be redelivered; a pending one is 409.
#[utoipa::path(
    tag = "partner-webhooks",
    params(
        ("id" = Uuid, Path, description = "Identifier of the subscription."),
        ("delivery_id" = i64, Path, description = "Identifier of the delivery."),
    ),
    security(("partner_bearer" = ["webhooks:manage"])),
    responses(
        (status = 202, description = "Queued; the delivery as it is now.", body = WebhookDelivery),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `webhooks:manage` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription or delivery (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The delivery is still pending (`conflict`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partner/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<(Uuid, i64)>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_WEBHOOKS_MANAGE)?;
    let (id, delivery_id) = path.into_inner();
    let subscription = owned_subscription(&state, &partner, id).await?;
    let message = outbox::find(&state.db, delivery_id)
        .await?
        .filter(|m| m.subscription_id == Some(subscription.id))
        .ok_or(ApiError::NotFound)?;
    if message.status == OutboxStatus::Pending {
        return Err(ApiError::Conflict(ConflictKind::DeliveryPending));
    }
    outbox::requeue(&state.db, message.id, Utc::now()).await?;
    state.outbox_wakeup.notify();
    tracing::info!(
        partner_id = partner.partner_id,
        delivery_id,
        "webhook redelivery queued"
    );
    let message = outbox::find(&state.db, delivery_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let attempts = webhooks::attempts_for(&state.db, &[message.id]).await?;
    let delivery = to_delivery(&message, &attempts).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Accepted().json(delivery))
}
