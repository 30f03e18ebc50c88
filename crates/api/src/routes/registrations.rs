//! `POST /api/v1/registrations`: the legacy flow (the entered key's line only, effective at
//! once), kept for renewals and for orders without XDR add-ons.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use clp_api_types::{Problem, RegistrationRequest, RegistrationResponse};
use clp_db::activations::{self, LegacyRegistration, RegistrationError};
use clp_domain::account::AccountId;

use super::ServiceConfig;
use super::flow_support::{client_ip, mail_product, parse_key, registered_line};
use crate::auth::CustomerSession;
use crate::error::ApiError;
use crate::mail::{MailPayload, MailTemplate, RegistrationNoticeMail};
use crate::metrics::{self, RegistrationFlow};
use crate::state::AppState;

/// Registers the registration route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_registration);
}

/// Registers the line of a key to the signed-in account (legacy flow).
///
/// The registration takes effect at once and an email notifies the customer. A renewal extends
/// the renewed activation code, and is accepted only into the account that owns it. A key of
/// an order with XDR add-ons takes the account-based flow instead (`wrong_flow`).
#[utoipa::path(
    tag = "registrations",
    request_body = RegistrationRequest,
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 201, description = "The registered line and its activation code(s).",
            body = RegistrationResponse),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No order line has this key (`unknown_key`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A restriction: `already_registered`, `wrong_flow` \
            (naming `POST /api/v1/activations`), `saas_conflict` or \
            `renewal_account_mismatch`; nothing was registered.",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The partner cancelled the order of this key \
            (`order_cancelled`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key is malformed (`invalid_key`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations")]
pub async fn create_registration(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = parse_key(&body.key)?;
    let catalog = state.catalog.as_ref();
    let registration = activations::register_legacy(
        &state.db,
        catalog,
        &key,
        AccountId(session.account_id),
        client_ip(&state, &req),
        Utc::now(),
        |registration| notice_mail(&state, registration).outbox_message(),
    )
    .await
    .map_err(|error| match error {
        RegistrationError::UnknownKey => ApiError::UnknownKey,
        RegistrationError::Restricted(conflict) => ApiError::restricted(vec![conflict]),
        RegistrationError::OrderCancelled => ApiError::OrderCancelled,
        RegistrationError::Db(err) => err.into(),
    })?;
    state.outbox_wakeup.notify();
    metrics::registration(RegistrationFlow::Legacy);
    Ok(
        HttpResponse::build(StatusCode::CREATED).json(RegistrationResponse {
            order_number: registration.order.order_number.clone(),
            line: registered_line(catalog, &registration.line),
            renewal: registration.line.renewal,
        }),
    )
}

/// The notice email of a legacy registration.
fn notice_mail(state: &AppState, registration: &LegacyRegistration) -> MailPayload {
    MailPayload::new(
        registration.account.email.clone(),
        registration.account.language,
        MailTemplate::RegistrationNotice(RegistrationNoticeMail {
            order_number: registration.order.order_number.clone(),
            full_name: registration.account.full_name.clone(),
            renewal: registration.line.renewal,
            products: vec![mail_product(&state.catalog, &registration.line)],
        }),
    )
}
