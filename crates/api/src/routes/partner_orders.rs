//! Partner orders: `POST /api/v1/partner/orders` (the license certificate),
//! `GET /api/v1/partner/orders/{order_number}` (line statuses) and
//! `GET /api/v1/partner/orders/{order_number}/events` (the order's audit trail).

use std::collections::HashSet;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use clp_api_types::{
    ComponentResponse, CreateOrderRequest, EndCustomer as ApiEndCustomer, FlowKind, LineStatus,
    OrderEvent, OrderEventsResponse, OrderLineResponse, OrderResponse, OrderStatus,
    OrderType as ApiOrderType, Problem,
};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::failure::DbFailure;
use clp_db::order_state::{self, OrderHead};
use clp_db::{orders, partners};
use clp_domain::catalog::Catalog;
use clp_domain::flow::{Flow, flow_for};
use clp_domain::order::{Order, OrderType};
use sea_orm::TransactionTrait as _;

use super::ServiceConfig;
use super::flow_support::client_ip;
use crate::auth::PartnerAuth;
use crate::error::ApiError;
use crate::idempotency::{self, IdempotencyKey, JsonResponse};
use crate::messages::ConflictKind;
use crate::order_request::{OrderContext, ValidOrder, renewed_codes};
use crate::partners::{SCOPE_ORDERS_READ, SCOPE_ORDERS_WRITE};
use crate::state::AppState;

/// Attempts at inserting an order when a generated registration key clashes.
const KEY_ATTEMPTS: usize = 5;

/// Registers the order routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_order)
        .service(get_order)
        .service(list_order_events);
}

fn duplicate(order_number: &str) -> ApiError {
    ApiError::Conflict(ConflictKind::OrderNumberTaken {
        order_number: order_number.to_owned(),
    })
}

/// The response body of an order; `with_keys` puts each line's registration key in (only the
/// creation response does).
pub fn order_response(
    order: &Order,
    catalog: &Catalog,
    created_at: DateTime<Utc>,
    with_keys: bool,
) -> OrderResponse {
    let flow = match flow_for(order, catalog) {
        Flow::AccountBased => FlowKind::AccountBased,
        Flow::Legacy => FlowKind::Legacy,
    };
    OrderResponse {
        order_number: order.order_number.clone(),
        r#type: match order.order_type {
            OrderType::New => ApiOrderType::New,
            OrderType::Renewal => ApiOrderType::Renewal,
        },
        purchase_date: order.purchase_date,
        end_customer: ApiEndCustomer {
            company: order.end_customer.company.clone(),
            contact_name: order.end_customer.contact_name.clone(),
            contact_email: order.end_customer.contact_email.clone(),
            country: order.end_customer.country.clone(),
        },
        flow,
        lines: order
            .lines
            .iter()
            .map(|line| OrderLineResponse {
                line_id: line.id,
                line_no: line.line_no,
                sku: line.sku.clone(),
                product_name: catalog.name_of(&line.sku).to_owned(),
                seats: line.seats,
                term_start: line.term_start,
                term_end: line.term_end,
                registration_key: with_keys.then(|| line.registration_key.to_string()),
                components: line
                    .components
                    .iter()
                    .map(|c| ComponentResponse {
                        sku: c.sku.clone(),
                        retained_ac: c.retained_ac.as_ref().map(ToString::to_string),
                    })
                    .collect(),
                renews_ac: line.renews_ac.as_ref().map(ToString::to_string),
                status: if line.is_registered() {
                    LineStatus::Registered
                } else {
                    LineStatus::Unregistered
                },
                registered_at: line.registration.as_ref().map(|r| r.registered_at),
            })
            .collect(),
        status: if order.cancelled {
            OrderStatus::Cancelled
        } else {
            lines_status(order)
        },
        created_at,
        cancelled_at: None,
        cancel_reason: None,
    }
}

/// `response` with the cancellation of `head` (when and why).
pub fn with_cancellation(mut response: OrderResponse, head: &OrderHead) -> OrderResponse {
    response.cancelled_at = head.cancelled_at;
    response.cancel_reason.clone_from(&head.cancel_reason);
    response
}

/// The status of an order that is not cancelled, from its lines.
fn lines_status(order: &Order) -> OrderStatus {
    let registered = order.lines.iter().filter(|l| l.is_registered()).count();
    if registered == 0 {
        OrderStatus::Unregistered
    } else if registered == order.lines.len() {
        OrderStatus::Registered
    } else {
        OrderStatus::PartiallyRegistered
    }
}

/// The catalog of the state, read from the database when the state was built without one.
pub async fn catalog(state: &AppState) -> Result<Arc<Catalog>, ApiError> {
    if state.catalog.products().is_empty() {
        Ok(Arc::new(clp_db::catalog::load_catalog(&state.db).await?))
    } else {
        Ok(Arc::clone(&state.catalog))
    }
}

/// Creates an order (a license certificate) and generates a registration key per line.
///
/// Every invalid field is reported in one 422 `validation_failed`. Send an `Idempotency-Key`
/// header to make retries safe: the same key with the same body returns the first response.
#[utoipa::path(
    tag = "partner-orders",
    request_body = CreateOrderRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header,
            description = "Makes the request safe to retry (1 to 255 visible ASCII characters; \
                remembered for 24 hours)."),
    ),
    security(("partner_bearer" = ["orders:write"])),
    responses(
        (status = 201, description = "The order, with each line's `registration_key`.",
            body = OrderResponse),
        (status = 400, description = "Unreadable body or bad `Idempotency-Key` (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:write` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order number exists for this partner, or a request \
            with the same `Idempotency-Key` is still running (`conflict`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`, with `errors`), or the \
            `Idempotency-Key` was used with another body (`idempotency_mismatch`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partner/orders")]
pub async fn create_order(
    req: HttpRequest,
    state: web::Data<AppState>,
    partner: PartnerAuth,
    key: IdempotencyKey,
    body: web::Json<CreateOrderRequest>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_ORDERS_WRITE)?;
    let body = body.into_inner();
    let ip = client_ip(&state, &req);
    idempotency::run(
        &state.db,
        partner.partner_id,
        key,
        "POST /api/v1/partner/orders",
        &body,
        || insert(&state, partner.partner_id, ip, body.clone()),
    )
    .await
}

async fn insert(
    state: &AppState,
    partner_id: i64,
    client_ip: Option<String>,
    body: CreateOrderRequest,
) -> Result<JsonResponse, ApiError> {
    let catalog = catalog(state).await?;
    let existing: HashSet<String> =
        partners::existing_activation_codes(&state.db, &renewed_codes(&body))
            .await?
            .into_iter()
            .collect();
    let valid = ValidOrder::try_from((
        body,
        OrderContext {
            catalog: &catalog,
            existing_codes: &existing,
        },
    ))
    .map_err(ApiError::Validation)?;

    for _ in 0..KEY_ATTEMPTS {
        if orders::find_order_by_number(&state.db, partner_id, &valid.order_number)
            .await?
            .is_some()
        {
            return Err(duplicate(&valid.order_number));
        }
        // `rand::rng()` is a CSPRNG (ChaCha12 seeded from the OS) and not `Send`: keep it in
        // this block, away from the awaits.
        let new = {
            let mut rng = rand::rng();
            valid
                .to_new_order(partner_id, &mut rng)
                .map_err(ApiError::internal)?
        };
        let now = Utc::now();
        let txn = state.db.begin().await?;
        match orders::insert_order(&txn, &new, now).await {
            Ok(order) => {
                audit::record(
                    &txn,
                    AuditEntry {
                        kind: AuditKind::OrderCreated,
                        actor: Actor::Partner(partner_id),
                        client_ip: client_ip.clone(),
                        order_id: Some(order.id),
                        account_id: None,
                        detail: serde_json::json!({
                            "order_number": order.order_number,
                            "type": order.order_type.as_str(),
                            "lines": order.lines.len(),
                        }),
                    },
                    now,
                )
                .await?;
                txn.commit().await?;
                tracing::info!(partner_id, order_id = order.id, "order created");
                let response = order_response(&order, &catalog, now, true);
                return JsonResponse::new(StatusCode::CREATED, &response);
            }
            Err(e) if DbFailure::of(&e) == DbFailure::Duplicate => {
                txn.rollback().await?;
                // Either the order number was taken meanwhile (the loop answers 409), or a
                // generated key clashed with an existing one: draw new keys.
                tracing::info!(partner_id, "order insert hit a unique index; retrying");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::internal(
        "cannot generate unique registration keys",
    ))
}

/// An order of the calling partner, with each line's registration status.
///
/// Registration keys are not repeated here; another partner's order is 404.
#[utoipa::path(
    tag = "partner-orders",
    params(("order_number" = String, Path, description = "The partner's order number.")),
    security(("partner_bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The order.", body = OrderResponse),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:read` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/orders/{order_number}")]
pub async fn get_order(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<String>,
) -> Result<web::Json<OrderResponse>, ApiError> {
    partner.require(SCOPE_ORDERS_READ)?;
    let order = orders::find_order_by_number(&state.db, partner.partner_id, &path)
        .await?
        .ok_or(ApiError::NotFound)?;
    let head = order_state::order_head(&state.db, order.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let catalog = catalog(&state).await?;
    Ok(web::Json(with_cancellation(
        order_response(&order, &catalog, head.created_at, false),
        &head,
    )))
}

/// The audit trail of an order of the calling partner, oldest first.
#[utoipa::path(
    tag = "partner-orders",
    params(("order_number" = String, Path, description = "The partner's order number.")),
    security(("partner_bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The order's events.", body = OrderEventsResponse),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:read` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/orders/{order_number}/events")]
pub async fn list_order_events(
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<String>,
) -> Result<web::Json<OrderEventsResponse>, ApiError> {
    partner.require(SCOPE_ORDERS_READ)?;
    let order = orders::find_order_by_number(&state.db, partner.partner_id, &path)
        .await?
        .ok_or(ApiError::NotFound)?;
    let events = audit::for_order(&state.db, order.id)
        .await?
        .into_iter()
        .map(|record| OrderEvent {
            at: record.at,
            kind: record.kind.as_str().to_owned(),
            actor: record.actor.to_string(),
            detail: record.detail,
        })
        .collect();
    Ok(web::Json(OrderEventsResponse { events }))
}
