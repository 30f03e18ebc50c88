//! `GET /healthz` and `GET /readyz`.

use serde::{Deserialize, Serialize};

/// Liveness or readiness of the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`, or what is not ready.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
}
