//! `GET /api/v1/partner/orders`: the calling partner's orders, newest first, a page at a time
//! (keyset pagination, see `clp_db::order_listing`), or every matching order as CSV.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use clp_api_types::{
    EndCustomer, ORDERS_CSV_HEADER, OrderListQuery, OrderListResponse, OrderStatus, OrderSummary,
    OrderType as ApiOrderType, Problem,
};
use clp_db::Database;
use clp_db::order_listing::{ListCursor, ListedOrder, OrderFilter, list_orders};
use clp_db::orders::OrderState;
use clp_domain::order::OrderType;

use super::ServiceConfig;
use super::csv_export::{TEXT_CSV, csv_bytes, wants_csv};
use crate::auth::PartnerAuth;
use crate::error::{ApiError, FieldIssue};
use crate::messages::{BadRequestReason, FieldProblem};
use crate::partners::SCOPE_ORDERS_READ;
use crate::state::AppState;

/// Orders a page holds when `limit` is absent.
pub const DEFAULT_LIMIT: u32 = 25;
/// The most orders a page holds.
pub const MAX_LIMIT: u32 = 100;
/// Orders read per statement while a CSV export streams.
const CSV_PAGE: u64 = 500;
/// The most characters of `q`.
const MAX_QUERY_TEXT: usize = 200;

/// Registers the listing route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_partner_orders);
}

/// The opaque cursor of the page after `cursor`: base64url of `created_at|id`.
pub fn encode_cursor(cursor: ListCursor) -> String {
    let text = format!(
        "{}|{}",
        cursor
            .created_at
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        cursor.id
    );
    URL_SAFE_NO_PAD.encode(text)
}

/// The cursor that [`encode_cursor`] gave; `None` for anything else.
pub fn decode_cursor(text: &str) -> Option<ListCursor> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (at, id) = text.split_once('|')?;
    Some(ListCursor {
        created_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        id: id.parse().ok()?,
    })
}

fn api_status(state: OrderState) -> OrderStatus {
    match state {
        OrderState::Unregistered => OrderStatus::Unregistered,
        OrderState::PartiallyRegistered => OrderStatus::PartiallyRegistered,
        OrderState::Registered => OrderStatus::Registered,
        OrderState::Cancelled => OrderStatus::Cancelled,
    }
}

fn db_state(status: OrderStatus) -> OrderState {
    match status {
        OrderStatus::Unregistered => OrderState::Unregistered,
        OrderStatus::PartiallyRegistered => OrderState::PartiallyRegistered,
        OrderStatus::Registered => OrderState::Registered,
        OrderStatus::Cancelled => OrderState::Cancelled,
    }
}

fn api_type(order_type: OrderType) -> ApiOrderType {
    match order_type {
        OrderType::New => ApiOrderType::New,
        OrderType::Renewal => ApiOrderType::Renewal,
    }
}

fn summary(order: ListedOrder) -> OrderSummary {
    OrderSummary {
        order_number: order.order_number,
        r#type: api_type(order.order_type),
        purchase_date: order.purchase_date,
        end_customer: EndCustomer {
            company: order.company,
            contact_name: order.contact_name,
            contact_email: order.contact_email,
            country: order.country,
        },
        status: api_status(order.status),
        line_count: order.line_count,
        registered_count: order.registered_count,
        created_at: order.created_at,
        cancelled_at: order.cancelled_at,
    }
}

/// One CSV record of `order`, in [`ORDERS_CSV_HEADER`]'s order.
fn csv_record(order: &OrderSummary) -> Vec<String> {
    let time = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    vec![
        order.order_number.clone(),
        match order.r#type {
            ApiOrderType::New => "new".to_owned(),
            ApiOrderType::Renewal => "renewal".to_owned(),
        },
        order.purchase_date.to_string(),
        order.end_customer.company.clone(),
        order.end_customer.contact_name.clone(),
        order.end_customer.contact_email.clone(),
        order.end_customer.country.clone(),
        order.status.as_str().to_owned(),
        order.line_count.to_string(),
        order.registered_count.to_string(),
        time(order.created_at),
        order.cancelled_at.map(time).unwrap_or_default(),
    ]
}

/// The listing's query, checked: every problem in one 400.
struct Listing {
    filter: OrderFilter,
    limit: u32,
    after: Option<ListCursor>,
}

/// What a query parameter should have been, for its field issue.
fn wrong(field: &str, expected: &str) -> FieldIssue {
    FieldIssue::new(
        field,
        FieldProblem::WrongType {
            expected: Some(expected.to_owned()),
        },
    )
}

/// Reads the listing's query parameters (the names of [`OrderListQuery`]; others are
/// ignored), reporting every bad one in one 400.
fn read_query(req: &HttpRequest) -> Result<Listing, ApiError> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map_err(|_| ApiError::BadRequest(BadRequestReason::UnreadableQuery))?
        .into_inner();
    let mut query = OrderListQuery::default();
    let mut issues = Vec::new();
    let time = |value: &str| {
        DateTime::parse_from_rfc3339(value.trim())
            .ok()
            .map(|at| at.with_timezone(&Utc))
    };
    for (name, value) in pairs {
        match name.as_str() {
            "status" => match value.parse::<OrderStatus>() {
                Ok(status) => query.status = Some(status),
                Err(_) => issues.push(wrong(
                    "status",
                    "one of `unregistered`, `partially_registered`, `registered`, `cancelled`",
                )),
            },
            "type" => match serde_json::from_value(serde_json::Value::String(value)) {
                Ok(order_type) => query.r#type = Some(order_type),
                Err(_) => issues.push(wrong("type", "`new` or `renewal`")),
            },
            "created_after" => match time(&value) {
                Some(at) => query.created_after = Some(at),
                None => issues.push(wrong("created_after", "an RFC 3339 time")),
            },
            "created_before" => match time(&value) {
                Some(at) => query.created_before = Some(at),
                None => issues.push(wrong("created_before", "an RFC 3339 time")),
            },
            "q" => query.q = Some(value),
            "limit" => match value.trim().parse::<u32>() {
                Ok(limit) => query.limit = Some(limit),
                Err(_) => issues.push(FieldIssue::new(
                    "limit",
                    FieldProblem::OutOfRange {
                        min: 1,
                        max: u64::from(MAX_LIMIT),
                    },
                )),
            },
            "cursor" => query.cursor = Some(value),
            _ => {}
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        issues.push(FieldIssue::new(
            "limit",
            FieldProblem::OutOfRange {
                min: 1,
                max: u64::from(MAX_LIMIT),
            },
        ));
    }
    let after = match query.cursor.as_deref() {
        Some(text) => {
            let cursor = decode_cursor(text);
            if cursor.is_none() {
                issues.push(FieldIssue::new("cursor", FieldProblem::InvalidCursor));
            }
            cursor
        }
        None => None,
    };
    let text = query
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if text
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_TEXT)
    {
        issues.push(FieldIssue::new(
            "q",
            FieldProblem::Longer {
                max: MAX_QUERY_TEXT,
            },
        ));
    }
    if !issues.is_empty() {
        return Err(ApiError::InvalidQuery(issues));
    }
    Ok(Listing {
        filter: OrderFilter {
            status: query.status.map(db_state),
            order_type: query.r#type.map(|t| match t {
                ApiOrderType::New => OrderType::New,
                ApiOrderType::Renewal => OrderType::Renewal,
            }),
            created_after: query.created_after,
            created_before: query.created_before,
            text,
        },
        limit,
        after,
    })
}

/// The partner's orders, newest first, filtered; a page of `limit` orders and the cursor of
/// the next page.
///
/// Pagination is by keyset (`created_at`, then order id): a page costs the same however many
/// orders there are and however deep it is, and orders created while a client walks the pages
/// never shift them (every order that existed when the walk began appears exactly once). `q`
/// matches orders whose number or end customer company *contains* it, case-insensitively.
/// Another partner's orders never appear.
///
/// With `Accept: text/csv` the answer is every matching order (from `cursor`, if given), as CSV
/// with a header line, streamed page by page; `limit` is then only checked.
#[utoipa::path(
    tag = "partner-orders",
    params(OrderListQuery),
    security(("partner_bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "A page of orders (JSON), or every matching order (CSV).",
            content(
                (OrderListResponse = "application/json"),
                (String = "text/csv", example = "order_number,type,purchase_date,company,\
contact_name,contact_email,country,status,line_count,registered_count,created_at,cancelled_at\n\
SO-1,new,2026-03-28,Acme,Jane Doe,jane@acme.example,US,unregistered,2,0,2026-03-28T09:00:00Z,\n"),
            )),
        (status = 400, description = "A parameter out of range or unreadable: `limit` outside \
            1 to 100, a `cursor` this listing did not give, an unknown `status` or `type`, a \
            time that is not RFC 3339 (`bad_request`, with `errors`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:read` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/orders")]
pub async fn list_partner_orders(
    req: HttpRequest,
    state: web::Data<AppState>,
    partner: PartnerAuth,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_ORDERS_READ)?;
    let listing = read_query(&req)?;
    if wants_csv(&req) {
        return Ok(csv_response(
            state.db.clone(),
            partner.partner_id,
            listing.filter,
            listing.after,
        ));
    }
    let limit = u64::from(listing.limit);
    // One more than the page: whether there is a next page, without a second query.
    let mut orders = list_orders(
        state.db.read_pool(),
        partner.partner_id,
        &listing.filter,
        listing.after,
        limit + 1,
    )
    .await?;
    let more = orders.len() as u64 > limit;
    orders.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more
        .then(|| orders.last().map(|o| encode_cursor(o.cursor())))
        .flatten();
    Ok(HttpResponse::Ok().json(OrderListResponse {
        orders: orders.into_iter().map(summary).collect(),
        next_cursor,
    }))
}

/// Where a CSV export stands between two pages.
enum Export {
    /// The header line is still to send; the first page starts after this cursor.
    Start(Option<ListCursor>),
    /// The next page starts after this cursor.
    After(ListCursor),
    /// The last page was sent.
    Done,
}

/// Every order of `filter` from `after` as CSV: the header line, then one chunk a page of
/// [`CSV_PAGE`] orders, each read when the connection has taken the one before (at most one
/// page in memory, whatever the number of orders).
fn csv_response(
    db: Database,
    partner_id: i64,
    filter: OrderFilter,
    after: Option<ListCursor>,
) -> HttpResponse {
    let body = futures_util::stream::unfold(Export::Start(after), move |state| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let (header, after) = match state {
                Export::Done => return None,
                Export::Start(after) => (true, after),
                Export::After(cursor) => (false, Some(cursor)),
            };
            let page = match list_orders(db.read_pool(), partner_id, &filter, after, CSV_PAGE).await
            {
                Ok(page) => page,
                Err(err) => {
                    tracing::error!(error = %err, "CSV export of orders failed mid-way");
                    return Some((Err(ApiError::from(err)), Export::Done));
                }
            };
            let next = match page.last() {
                Some(last) if page.len() as u64 == CSV_PAGE => Export::After(last.cursor()),
                _ => Export::Done,
            };
            let rows: Vec<Vec<String>> = page
                .into_iter()
                .map(|order| csv_record(&summary(order)))
                .collect();
            let chunk: Result<Bytes, ApiError> =
                csv_bytes(header.then_some(ORDERS_CSV_HEADER), rows);
            Some((chunk, next))
        }
    });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, TEXT_CSV))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"orders.csv\"",
        ))
        .streaming(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let cursor = ListCursor {
            created_at: "2026-12-03T10:11:12.123456789Z".parse().unwrap(),
            id: 42,
        };
        assert_eq!(decode_cursor(&encode_cursor(cursor)), Some(cursor));
        for bad in [
            "",
            "abc",
            "MjAyNg",
            "!!!",
            &URL_SAFE_NO_PAD.encode("2026|x"),
        ] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }
}
