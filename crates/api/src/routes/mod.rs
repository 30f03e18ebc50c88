//! Route modules, one per resource.
//!
//! To add a resource: create `routes/<resource>.rs` with handlers annotated
//! `#[utoipa::path(...)]` + `#[get]`/`#[post]` and a
//! `pub fn configure(cfg: &mut ServiceConfig)` that calls `cfg.service(handler)` for each,
//! then call it from [`api_v1`] (routes under `/api/v1`) or [`root`]. Registering with
//! `.service()` inside these `utoipa_actix_web` configs puts the path in the OpenAPI document.

pub mod account_settings;
pub mod accounts;
pub mod activation_links;
pub mod activations;
mod flow_support;
pub mod health;
pub mod me;
pub mod metrics;
pub mod mfa;
mod paced_body;
pub mod partner_auth;
pub mod partner_orders;
pub mod partner_webhooks;
pub mod password_resets;
pub mod preview;
pub mod registrations;
pub mod session;

use actix_web::dev::{ServiceFactory, ServiceRequest};
use utoipa_actix_web::{UtoipaApp, scope};

pub use utoipa_actix_web::service_config::ServiceConfig;

/// Mounts the documented routes: [`root`] and [`api_v1`] under `/api/v1`.
///
/// Shared by the server and the OpenAPI document (`crate::openapi`), so the document lists
/// exactly what is served.
pub fn mount<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.configure(root)
        .service(scope::scope("/api/v1").configure(api_v1))
}

/// Routes mounted under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    // Resource modules (preview, accounts, session, activations, registrations, me,
    // partner) register here, e.g. `preview::configure(cfg);`.
    preview::configure(cfg);
    activations::configure(cfg);
    activation_links::configure(cfg);
    registrations::configure(cfg);
    accounts::configure(cfg);
    session::configure(cfg);
    me::configure(cfg);
    account_settings::configure(cfg);
    password_resets::configure(cfg);
    mfa::configure(cfg);
    partner_auth::configure(cfg);
    partner_orders::configure(cfg);
    partner_webhooks::configure(cfg);
}

/// Routes mounted at the root, outside `/api/v1` (ops endpoints).
pub fn root(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    metrics::configure(cfg);
}
