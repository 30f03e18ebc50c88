//! `GET /metrics`: the Prometheus metrics of this process (see [`crate::metrics`]).

use actix_web::{HttpResponse, get, web};

use super::ServiceConfig;
use crate::error::ApiError;
use crate::metrics;
use crate::state::AppState;

/// Registers `GET /metrics`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_metrics);
}

/// Prometheus metrics of this process, in the text exposition format.
///
/// Request counters and latency histograms by route pattern, activations by outcome,
/// registrations by flow, outbox depth (all processes) and delivery failures (this process),
/// rate-limit rejections by route class.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The metrics, Prometheus text format 0.0.4.",
            body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let depth = match clp_db::outbox::pending_count(&state.db).await {
        Ok(depth) => Some(depth),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot count the outbox");
            None
        }
    };
    let text = metrics::render(depth).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .body(text))
}
