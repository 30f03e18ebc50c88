//! `/api/v1/me`: the signed-in customer's account, products, XDR console and activity.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use clp_api_types::{
    AccountResponse, ActivityEvent, ActivityResponse, DeliveryKind, PRODUCTS_CSV_HEADER, Problem,
    ProductItem, ProductStatus, ProductsResponse, RegionCode, XdrStatus, days_left,
};
use clp_db::accounts::{self, Account};
use clp_db::audit;
use clp_domain::catalog::Delivery;

use super::ServiceConfig;
use super::accounts::account_response;
use super::csv_export::{TEXT_CSV, csv_bytes, wants_csv};
use super::paced_body::json_holding;
use crate::auth::CustomerSession;
use crate::error::ApiError;
use crate::state::AppState;

/// Product lists built or being sent at once by `GET /me/products` in the whole process, when
/// the database's reads await a pool (PostgreSQL).
///
/// Each holds about a megabyte while it is read and converted and its JSON (300 KB at 1,000
/// products) until sent. A list waits for PostgreSQL's answers while holding its permit: with
/// 2 permits the process built at most 2 lists a round trip, 150 a second with a quarter of
/// the CPU idle; 8 gave 224 a second (docs/benchmarks.md) for at most 8 MB more.
static PRODUCT_LISTS_POOLED: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(8);

/// [`PRODUCT_LISTS_POOLED`] when the reads run on the worker thread (a SQLite file): the
/// workers already bound the building, so more permits only keep more bodies in memory
/// (`make bench` on SQLite: 152–162 lists a second with 8, 179–198 with 2).
static PRODUCT_LISTS_SYNCHRONOUS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Events listed by `GET /me/activity`.
pub const ACTIVITY_LIMIT: u64 = 200;

/// Registers the `/me` routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me)
        .service(list_products)
        .service(get_xdr)
        .service(list_activity);
}

/// The signed-in account; a token of a deleted account is 401.
async fn signed_in(state: &AppState, session: CustomerSession) -> Result<Account, ApiError> {
    accounts::find_by_id(
        state.db.read_pool(),
        clp_domain::account::AccountId(session.account_id),
    )
    .await?
    .ok_or(ApiError::Unauthorized)
}

/// The account's XDR status: enabled once it has a region, with that region's console.
pub fn xdr_status(state: &AppState, account: &Account) -> XdrStatus {
    match account.xdr_region {
        Some(region) => XdrStatus {
            enabled: true,
            region: region.as_str().parse::<RegionCode>().ok(),
            console_url: state
                .config
                .xdr_console_urls
                .get(region.as_str())
                .map(str::to_owned),
        },
        None => XdrStatus {
            enabled: false,
            region: None,
            console_url: None,
        },
    }
}

fn delivery_kind(delivery: Delivery) -> DeliveryKind {
    match delivery {
        Delivery::Ac => DeliveryKind::Ac,
        Delivery::Saas => DeliveryKind::Saas,
        Delivery::Suite => DeliveryKind::Suite,
    }
}

/// The signed-in customer's account.
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The account.", body = AccountResponse),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    session: CustomerSession,
) -> Result<web::Json<AccountResponse>, ApiError> {
    let account = signed_in(&state, session).await?;
    let mfa_enabled = clp_db::mfa::is_active(state.db.read_pool(), account.id).await?;
    Ok(web::Json(AccountResponse {
        mfa_enabled,
        ..account_response(&account)
    }))
}

/// Every product and service of the account.
///
/// One item per registered order line: its activation codes (a suite: one per component),
/// its SaaS service, its `status` and `days_left` by its term end (`expiring` with 60 days or
/// fewer left), and, for XDR add-ons and XDR-related products of an account with an XDR
/// region, the console link. With `Accept: text/csv`, the same products as CSV (a header line,
/// activation codes separated by spaces).
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The products and the XDR status (JSON), or the products \
            as CSV.",
            content(
                (ProductsResponse = "application/json"),
                (String = "text/csv", example = "sku,product_name,delivery,seats,term_start,\
term_end,status,days_left,activation_codes,order_number,saas_service,xdr_addon,xdr_related,\
console_url\nSMEX,ScanMail for Exchange,ac,50,2026-04-01,2027-03-31,active,118,\
SM-ABCD-EFGHJ-KLMNP-QRSTU-VWXYZ-23456,SO-1,,false,false,\n"),
            )),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/products")]
pub async fn list_products(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: CustomerSession,
) -> Result<HttpResponse, ApiError> {
    let account = signed_in(&state, session).await?;
    // The permit is held until the body is sent (`PRODUCT_LISTS_POOLED` says how many and why).
    let reads = state.db.reads();
    let lists = if reads.is_synchronous() {
        &PRODUCT_LISTS_SYNCHRONOUS
    } else {
        &PRODUCT_LISTS_POOLED
    };
    let permit = lists.acquire().await.map_err(ApiError::internal)?;
    let held = accounts::products_of_account(&reads, account.id).await?;
    let xdr = xdr_status(&state, &account);
    let today = Utc::now().date_naive();
    let products = held
        .lines
        .into_iter()
        .map(|line| {
            let product = state.catalog.get(&line.sku);
            let xdr_addon = product.is_some_and(|p| p.xdr_addon);
            let xdr_related = product.is_some_and(|p| p.xdr_related);
            ProductItem {
                product_name: product.map_or_else(|| line.sku.clone(), |p| p.name.clone()),
                delivery: product.map_or(DeliveryKind::Ac, |p| delivery_kind(p.delivery)),
                seats: line.seats,
                term_start: line.term_start,
                term_end: line.term_end,
                activation_codes: line.activation_codes.into_iter().map(|c| c.code).collect(),
                status: ProductStatus::from_days_left(days_left(line.term_end, today)),
                days_left: days_left(line.term_end, today),
                xdr_addon,
                xdr_related,
                saas_service: line
                    .saas
                    .map(|s| s.service)
                    .or_else(|| product.and_then(|p| p.saas_service.clone())),
                order_number: line.order_number,
                console_url: if xdr_addon || xdr_related {
                    xdr.console_url.clone()
                } else {
                    None
                },
                sku: line.sku,
            }
        })
        .collect::<Vec<_>>();
    if wants_csv(&req) {
        let body = csv_bytes(
            Some(PRODUCTS_CSV_HEADER),
            products.iter().map(product_record),
        )?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, TEXT_CSV))
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"products.csv\"",
            ))
            .body(body));
    }
    json_holding(&ProductsResponse { products, xdr }, permit)
}

/// One CSV record of `product`, in [`PRODUCTS_CSV_HEADER`]'s order.
fn product_record(product: &ProductItem) -> Vec<String> {
    vec![
        product.sku.clone(),
        product.product_name.clone(),
        match product.delivery {
            DeliveryKind::Ac => "ac",
            DeliveryKind::Saas => "saas",
            DeliveryKind::Suite => "suite",
        }
        .to_owned(),
        product.seats.to_string(),
        product.term_start.to_string(),
        product.term_end.to_string(),
        product.status.as_str().to_owned(),
        product.days_left.to_string(),
        product.activation_codes.join(" "),
        product.order_number.clone(),
        product.saas_service.clone().unwrap_or_default(),
        product.xdr_addon.to_string(),
        product.xdr_related.to_string(),
        product.console_url.clone().unwrap_or_default(),
    ]
}

/// The account's Trend Micro XDR status and console link.
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "Whether XDR is enabled, its region and console.",
            body = XdrStatus),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/xdr")]
pub async fn get_xdr(
    state: web::Data<AppState>,
    session: CustomerSession,
) -> Result<web::Json<XdrStatus>, ApiError> {
    let account = signed_in(&state, session).await?;
    Ok(web::Json(xdr_status(&state, &account)))
}

/// The account's activity: sign-ins, activations, registrations (latest 200, newest first).
#[utoipa::path(
    tag = "me",
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The events, newest first.", body = ActivityResponse),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/activity")]
pub async fn list_activity(
    state: web::Data<AppState>,
    session: CustomerSession,
) -> Result<web::Json<ActivityResponse>, ApiError> {
    let account = signed_in(&state, session).await?;
    let records = audit::for_account(state.db.read_pool(), account.id.0, ACTIVITY_LIMIT).await?;
    let mut order_ids: Vec<i64> = records.iter().filter_map(|r| r.order_id).collect();
    order_ids.sort_unstable();
    order_ids.dedup();
    let numbers = accounts::order_numbers(state.db.read_pool(), &order_ids).await?;
    let events = records
        .into_iter()
        .rev()
        .map(|r| ActivityEvent {
            at: r.at,
            order_number: r.order_id.and_then(|id| numbers.get(&id).cloned()),
            kind: r.kind.as_str().to_owned(),
            detail: r.detail,
        })
        .collect();
    Ok(web::Json(ActivityResponse { events }))
}
