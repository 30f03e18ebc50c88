//! `POST /api/v1/partner/orders/{order_number}/cancel`: a partner voids an order nobody has
//! registered or started activating (see `clp_db::order_state` for the race with activations).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{SubsecRound as _, Utc};
use clp_api_types::{CancelOrderRequest, OrderResponse, Problem};
use clp_db::order_state::{self, CancelOutcome};
use clp_db::orders;

use super::ServiceConfig;
use super::flow_support::client_ip;
use super::partner_orders::{catalog, order_response, with_cancellation};
use crate::auth::PartnerAuth;
use crate::error::{ApiError, FieldIssue};
use crate::idempotency::{self, IdempotencyKey, JsonResponse};
use crate::messages::FieldProblem;
use crate::partners::SCOPE_ORDERS_WRITE;
use crate::state::AppState;

/// The most characters of a cancellation reason.
pub const MAX_REASON: usize = 500;

/// Registers the cancel route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(cancel_order);
}

/// The reason, trimmed; 422 when it is empty, too long or holds control characters.
fn valid_reason(reason: &str) -> Result<String, ApiError> {
    let reason = reason.trim();
    let problem = if reason.is_empty() {
        Some(FieldProblem::Empty)
    } else if reason.chars().count() > MAX_REASON {
        Some(FieldProblem::Longer { max: MAX_REASON })
    } else if reason.chars().any(char::is_control) {
        Some(FieldProblem::ControlCharacters)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ApiError::Validation(vec![FieldIssue::new(
            "reason", problem,
        )])),
        None => Ok(reason.to_owned()),
    }
}

/// Cancels an order of the calling partner.
///
/// Only while no line is registered and no activation is pending; the order then answers
/// `status: "cancelled"` (with `cancelled_at` and `cancel_reason`), its keys answer
/// `410 order_cancelled` on preview, activation and registration, and the partner's webhooks
/// receive `order.cancelled`. Cancelling a cancelled order answers the order again (200, the
/// first reason kept). A cancellation and a concurrent activation request are ordered by the
/// database: exactly one of them succeeds.
#[utoipa::path(
    tag = "partner-orders",
    request_body = CancelOrderRequest,
    params(
        ("order_number" = String, Path, description = "The partner's order number."),
        ("Idempotency-Key" = Option<String>, Header,
            description = "Makes the request safe to retry (1 to 255 visible ASCII characters; \
                remembered for 24 hours)."),
    ),
    security(("partner_bearer" = ["orders:write"])),
    responses(
        (status = 200, description = "The cancelled order.", body = OrderResponse),
        (status = 400, description = "Unreadable body or bad `Idempotency-Key` (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:write` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A line is registered or an activation is pending \
            (`order_in_use`); or a request with the same `Idempotency-Key` is still running \
            (`conflict`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reason` empty, longer than 500 characters or with \
            control characters (`validation_failed`), or the `Idempotency-Key` was used with \
            another body (`idempotency_mismatch`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partner/orders/{order_number}/cancel")]
pub async fn cancel_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    partner: PartnerAuth,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: web::Json<CancelOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_ORDERS_WRITE)?;
    let order_number = path.into_inner();
    let body = body.into_inner();
    let ip = client_ip(&state, &req);
    // The order number is part of the route: one key for two orders is a mismatch.
    let route = format!("POST /api/v1/partner/orders/{order_number}/cancel");
    idempotency::run(&state.db, partner.partner_id, key, &route, &body, || {
        cancel(&state, partner.partner_id, &order_number, &body.reason, ip)
    })
    .await
}

async fn cancel(
    state: &AppState,
    partner_id: i64,
    order_number: &str,
    reason: &str,
    client_ip: Option<String>,
) -> Result<JsonResponse, ApiError> {
    let reason = valid_reason(reason)?;
    // Microseconds, as PostgreSQL keeps them: a repeated cancel answers the same time.
    let now = Utc::now().trunc_subsecs(6);
    let head = match order_state::cancel_order(
        &state.db,
        partner_id,
        order_number,
        &reason,
        client_ip,
        now,
    )
    .await?
    {
        CancelOutcome::Cancelled(head) => {
            tracing::info!(partner_id, order_id = head.id, "order cancelled");
            state.outbox_wakeup.notify();
            head
        }
        CancelOutcome::AlreadyCancelled(head) => head,
        CancelOutcome::InUse => return Err(ApiError::OrderInUse),
        CancelOutcome::NotFound => return Err(ApiError::NotFound),
    };
    let order = orders::find_order(&state.db, head.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let catalog = catalog(state).await?;
    let response = with_cancellation(
        order_response(&order, &catalog, head.created_at, false),
        &head,
    );
    JsonResponse::new(StatusCode::OK, &response)
}
