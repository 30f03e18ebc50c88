//! What the routes share: key parsing, the text of a conflict, conversions between domain
//! values and the API's DTOs, and the client IP of the audit trail.

use actix_web::HttpRequest;
use clp_api_types::{DeliveryKind, RegionCode, RegisteredLine};
use clp_db::activations::RegisteredLineRecord;
use clp_domain::Lang;
use clp_domain::RegistrationKey;
use clp_domain::catalog::{Catalog, Delivery};
use clp_domain::conflict::Conflict;
use clp_domain::region::Region;

use crate::error::ApiError;
use crate::i18n::RequestLang as _;
use crate::mail::MailProduct;
use crate::messages;
use crate::state::AppState;

/// Parses a registration key as typed; a malformed key is 422 `invalid_key` saying what is
/// wrong, in the request's language (the messages never repeat the key).
pub fn parse_key(input: &str) -> Result<RegistrationKey, ApiError> {
    RegistrationKey::parse(input).map_err(ApiError::InvalidKey)
}

/// The text of a conflict for customers, in the request's language: what is wrong, then the
/// remedy.
pub fn conflict_text(conflict: &Conflict) -> String {
    messages::conflict_text(messages::catalog(Lang::current()), conflict)
}

/// The API form of a delivery.
pub fn delivery_kind(delivery: Delivery) -> DeliveryKind {
    match delivery {
        Delivery::Ac => DeliveryKind::Ac,
        Delivery::Saas => DeliveryKind::Saas,
        Delivery::Suite => DeliveryKind::Suite,
    }
}

/// The API form of a region.
pub fn region_code(region: Region) -> RegionCode {
    match region {
        Region::Us => RegionCode::Us,
        Region::Eu => RegionCode::Eu,
        Region::Jp => RegionCode::Jp,
        Region::Sg => RegionCode::Sg,
        Region::Au => RegionCode::Au,
        Region::In => RegionCode::In,
        Region::Mea => RegionCode::Mea,
        Region::Uk => RegionCode::Uk,
        Region::Ca => RegionCode::Ca,
    }
}

/// The domain form of an API region.
pub fn region_of(code: RegionCode) -> Region {
    match code {
        RegionCode::Us => Region::Us,
        RegionCode::Eu => Region::Eu,
        RegionCode::Jp => Region::Jp,
        RegionCode::Sg => Region::Sg,
        RegionCode::Au => Region::Au,
        RegionCode::In => Region::In,
        RegionCode::Mea => Region::Mea,
        RegionCode::Uk => Region::Uk,
        RegionCode::Ca => Region::Ca,
    }
}

/// A registered line as the API shows it.
pub fn registered_line(catalog: &Catalog, line: &RegisteredLineRecord) -> RegisteredLine {
    RegisteredLine {
        line_id: line.line_id,
        sku: line.sku.clone(),
        product_name: catalog.name_of(&line.sku).to_owned(),
        seats: line.seats,
        term_start: line.term_start,
        term_end: line.term_end,
        delivery: delivery_kind(catalog.get(&line.sku).map_or(Delivery::Ac, |p| p.delivery)),
        activation_codes: line
            .activation_codes
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        saas_service: line.saas_service.clone(),
    }
}

/// A registered line as the emails list it.
pub fn mail_product(catalog: &Catalog, line: &RegisteredLineRecord) -> MailProduct {
    MailProduct {
        sku: line.sku.clone(),
        product_name: catalog.name_of(&line.sku).to_owned(),
        seats: line.seats,
        term_start: Some(line.term_start),
        term_end: Some(line.term_end),
        activation_codes: line
            .activation_codes
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        saas_service: line.saas_service.clone(),
    }
}

/// The client's IP address for the audit trail, as the rate limiter sees it: the peer address,
/// or with `CLP_TRUST_PROXY=1` the forwarded one (a client can write `X-Forwarded-For` itself,
/// so the header counts only behind a proxy that sets it).
pub fn client_ip(state: &AppState, req: &HttpRequest) -> Option<String> {
    crate::rate_limit::client_ip(req, state.config.trust_proxy)
}
