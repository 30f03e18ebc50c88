//! `POST /api/v1/preview`: what a registration key unlocks, before anything is registered.

use actix_web::{post, web};
use clp_api_types::{
    AccountHint, ConflictItem, FlowKind, HintReason, MaskedEndCustomer, PreviewLine,
    PreviewRequest, PreviewResponse, PreviewState, Problem,
};
use clp_db::holdings::{find_ac_owners, find_hint_candidates, load_holdings, referenced_codes};
use clp_db::orders::find_order_by_key;
use clp_db::rows::RowSource;
use clp_domain::RegistrationKey;
use clp_domain::account::AcOwner;
use clp_domain::catalog::Catalog;
use clp_domain::conflict::Target;
use clp_domain::flow::{Flow, flow_for};
use clp_domain::hints::{self, rank_account_hints_with_catalog};
use clp_domain::order::Order;
use clp_domain::preview::{OrderPreview, PreviewState as DomainState, build_preview};

use super::ServiceConfig;
use super::flow_support::{conflict_text, delivery_kind, parse_key, region_code};
use crate::auth::OptionalCustomerSession;
use crate::error::ApiError;
use crate::messages;
use crate::state::AppState;

/// Registers the preview route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(preview_order);
}

/// Previews the order of a registration key.
///
/// Anyone holding a key may call it. The account-based flow shows every unregistered line of
/// the order (registered ones are left out and counted) and possible existing accounts of the
/// end customer (masked); the legacy flow shows the entered key's line. Signed in, `conflicts`
/// lists the restrictions for that account. Personal data of the end customer is masked.
#[utoipa::path(
    tag = "preview",
    request_body = PreviewRequest,
    security((), ("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The order preview.", body = PreviewResponse),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No order line has this key (`unknown_key`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key is malformed: wrong length, a character that is \
            not allowed, or a failed check character (`invalid_key`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preview")]
pub async fn preview_order(
    state: web::Data<AppState>,
    session: OptionalCustomerSession,
    body: web::Json<PreviewRequest>,
) -> Result<web::Json<PreviewResponse>, ApiError> {
    let key = parse_key(&body.key)?;
    let catalog = state.catalog.as_ref();
    let reads = state.db.reads();
    let found = find_order_data(&reads, catalog, &key).await?;
    let (order, owners, hints) = found.ok_or(ApiError::UnknownKey)?;
    // A session whose account is gone previews as signed out.
    let holdings = match session.0 {
        Some(session) => {
            let account = clp_domain::account::AccountId(session.account_id);
            load_holdings(&reads, account).await?
        }
        None => None,
    };
    let target = holdings.as_ref().map(Target::Existing);
    let preview = build_preview(&order, catalog, &key, target.as_ref(), &owners, hints);
    Ok(web::Json(preview_response(preview)))
}

/// The order of `key` with the owners of the ACs it refers to and, for the account-based
/// flow, the ranked hints of the end customer's existing accounts: one statement for a legacy
/// order, up to three for an account-based one.
async fn find_order_data(
    source: &impl RowSource,
    catalog: &Catalog,
    key: &RegistrationKey,
) -> Result<Option<(Order, Vec<AcOwner>, Vec<hints::AccountHint>)>, ApiError> {
    let Some(order) = find_order_by_key(source, key).await? else {
        return Ok(None);
    };
    let owners = find_ac_owners(source, &referenced_codes(&order)).await?;
    let hints = match flow_for(&order, catalog) {
        Flow::AccountBased => {
            let candidates = find_hint_candidates(source, &order).await?;
            rank_account_hints_with_catalog(&order, catalog, &owners, &candidates)
        }
        Flow::Legacy => Vec::new(),
    };
    Ok(Some((order, owners, hints)))
}

fn hint_reason(reason: hints::HintReason) -> HintReason {
    match reason {
        hints::HintReason::RetainedAcOwner => HintReason::RetainedAcOwner,
        hints::HintReason::RenewedAcOwner => HintReason::RenewedAcOwner,
        hints::HintReason::ContactEmail => HintReason::ContactEmail,
        hints::HintReason::EmailDomain => HintReason::EmailDomain,
        hints::HintReason::CompanyName => HintReason::CompanyName,
    }
}

fn preview_response(preview: OrderPreview) -> PreviewResponse {
    PreviewResponse {
        order_number: preview.order_number,
        flow: match preview.flow {
            Flow::AccountBased => FlowKind::AccountBased,
            Flow::Legacy => FlowKind::Legacy,
        },
        lines: preview
            .lines
            .into_iter()
            .map(|line| PreviewLine {
                line_id: line.line_id,
                sku: line.sku,
                product_name: line.product_name,
                seats: line.seats,
                term_start: line.term_start,
                term_end: line.term_end,
                delivery: delivery_kind(line.delivery),
                xdr_addon: line.xdr_addon,
                xdr_related: line.xdr_related,
                components: line.components,
            })
            .collect(),
        registered_count: preview.registered_count,
        end_customer: MaskedEndCustomer {
            company: preview.end_customer.company,
            contact_name: preview.end_customer.contact_name,
            contact_email: preview.end_customer.contact_email,
            country: preview.end_customer.country,
        },
        // The account id of a hint stays on the server: only the masked email goes out.
        account_hints: preview
            .account_hints
            .into_iter()
            .map(|hint| AccountHint {
                masked_email: hint.masked_email,
                reason: hint_reason(hint.reason),
                binding: hint.binding,
            })
            .collect(),
        conflicts: preview
            .conflicts
            .iter()
            .map(|conflict| ConflictItem {
                code: messages::restriction_code(conflict.restriction()),
                line_id: conflict.line_id,
                detail: conflict_text(conflict),
            })
            .collect(),
        region_pin: preview.region_pin.map(region_code),
        state: match preview.state {
            DomainState::Open => PreviewState::Open,
            DomainState::LineRegistered => PreviewState::LineRegistered,
            DomainState::OrderRegistered => PreviewState::OrderRegistered,
        },
        sign_up_allowed: preview.sign_up_allowed,
    }
}
