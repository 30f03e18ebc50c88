//! `GET /api/v1/partner/orders/{order_number}/certificate`: the license certificate of an
//! order as a PDF, in the language of `Accept-Language`.

use std::sync::Arc;

use actix_web::http::header::{
    self, CacheControl, CacheDirective, ContentDisposition, DispositionParam, DispositionType,
    HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use clp_api_types::{PDF, PdfDocument, Problem};
use clp_db::{orders, partners};

use super::ServiceConfig;
use super::partner_orders::catalog;
use crate::auth::PartnerAuth;
use crate::certificate::{self, Certificate, FontError, RenderError};
use crate::error::ApiError;
use crate::i18n::{Lang, RequestLang as _, add_vary_accept_language};
use crate::partners::SCOPE_ORDERS_READ;
use crate::state::AppState;

/// Registers the certificate route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_certificate);
}

/// Why a certificate was not rendered.
enum Failure {
    Font(FontError),
    Render(RenderError),
}

/// The license certificate of an order of the calling partner, as a PDF to hand to the end
/// customer.
///
/// It prints the order number, the purchase date, the end customer, each line's product,
/// seats, term and registration key, and how to activate: the portal's
/// `/FullRegistration?T=TM` address as text and as a QR code. The language follows
/// `Accept-Language` (`en`, `ja`; English otherwise). Another partner's order is 404; a
/// cancelled order is 410 (`order_cancelled`).
#[utoipa::path(
    tag = "partner-orders",
    params(
        ("order_number" = String, Path, description = "The partner's order number."),
        ("Accept-Language" = Option<String>, Header,
            description = "The certificate's language: `en` (default) or `ja`."),
    ),
    security(("partner_bearer" = ["orders:read"])),
    responses(
        (status = 200, description = "The certificate (`Content-Disposition: attachment`, \
            file name `license-certificate-<order number>.pdf`).",
            body = inline(PdfDocument), content_type = "application/pdf"),
        (status = 401, description = "No valid access token (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks `orders:read` (`forbidden`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order for this partner (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The order is cancelled (`order_cancelled`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The certificate font is not installed on the server, or \
            the database is unavailable (`unavailable`, with `Retry-After`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partner/orders/{order_number}/certificate")]
pub async fn get_certificate(
    req: HttpRequest,
    state: web::Data<AppState>,
    partner: PartnerAuth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    partner.require(SCOPE_ORDERS_READ)?;
    let order = orders::find_order_by_number(&state.db, partner.partner_id, &path)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A cancelled order's keys no longer activate: no certificate to hand out.
    if order.cancelled {
        return Err(ApiError::OrderCancelled);
    }
    let catalog = catalog(&state).await?;
    let partner_name = partners::find(&state.db, partner.partner_id)
        .await?
        .map(|p| p.name);
    let lang = Lang::from_headers(req.headers());
    let certificate = Certificate::of_order(
        &order,
        &catalog,
        partner_name,
        &state.config.public_url,
        lang,
        Utc::now().date_naive(),
    );
    let file_name = certificate.file_name();
    let font = Arc::clone(&state.certificate_font);
    // Reading the font and laying out the PDF are blocking work: off the async workers.
    let rendered = web::block(move || {
        let file = font.load().map_err(Failure::Font)?;
        certificate::render(&certificate, &file).map_err(Failure::Render)
    })
    .await
    .map_err(ApiError::internal)?;
    let pdf = match rendered {
        Ok(pdf) => pdf,
        Err(Failure::Font(error)) => {
            tracing::error!(%error, "license certificate not rendered: the font is missing");
            return Err(ApiError::CERTIFICATE_FONT_MISSING);
        }
        Err(Failure::Render(error)) => return Err(ApiError::internal(error)),
    };
    tracing::info!(
        partner_id = partner.partner_id,
        order_id = order.id,
        lang = %lang,
        bytes = pdf.len(),
        "license certificate rendered"
    );
    let mut response = HttpResponse::Ok()
        .content_type(PDF)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        // The registration keys are secrets: no cache keeps a copy.
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .insert_header((
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        ))
        .body(pdf);
    add_vary_accept_language(response.headers_mut());
    Ok(response)
}
