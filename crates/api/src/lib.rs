//! `clp-api`: the Open CLP HTTP server (binary `clp-server`).
//!
//! Start with [`startup`] (how the app is assembled), [`routes`] (where handlers go),
//! [`error::ApiError`] (how handlers fail) and [`auth`] (the customer and partner extractors).

pub mod auth;
pub mod certificate;
pub mod cli;
pub mod config;
pub mod deliverers;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod idempotency;
pub mod log_sink;
pub mod mail;
pub mod messages;
pub mod metrics;
pub mod openapi;
pub mod order_request;
pub mod partners;
pub mod rate_limit;
pub mod route_class;
pub mod routes;
pub mod spa;
pub mod startup;
pub mod state;
pub mod sweeper;
pub mod telemetry;
pub mod webhooks;
pub mod workers;

pub use config::Config;
pub use error::ApiError;
pub use startup::Application;
pub use state::AppState;
