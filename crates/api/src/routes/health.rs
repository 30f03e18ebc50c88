//! `GET /healthz` (liveness) and `GET /readyz` (readiness: the database answers).

use std::time::Duration;

use actix_web::{get, web};
use clp_api_types::{Health, Problem};
use sea_orm::ConnectionTrait as _;

use super::ServiceConfig;
use crate::error::ApiError;
use crate::state::AppState;

/// How long readiness waits for the database before reporting it unavailable.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Registers the health routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(check_liveness).service(check_readiness);
}

/// Liveness: the process serves HTTP.
#[utoipa::path(
    tag = "health",
    responses((status = 200, description = "The server is up.", body = Health))
)]
#[get("/healthz")]
pub async fn check_liveness() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".to_owned(),
    })
}

/// Readiness: the database answers a query.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "The database is reachable.", body = Health),
        (status = 503, description = "The database is unreachable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn check_readiness(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    match tokio::time::timeout(READY_TIMEOUT, state.db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => Ok(web::Json(Health {
            status: "ok".to_owned(),
        })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(ApiError::DATABASE_UNAVAILABLE)
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            Err(ApiError::DATABASE_UNAVAILABLE)
        }
    }
}
