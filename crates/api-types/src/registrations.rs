//! `POST /api/v1/registrations`: the legacy flow (one line per key, effective at once).

use serde::{Deserialize, Serialize};

use crate::activations::RegisteredLine;

/// Body of `POST /api/v1/registrations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    /// Registration key of the line to register.
    #[cfg_attr(feature = "openapi", schema(example = "SM-1234-5678-9012-3452"))]
    pub key: String,
}

/// Body of `201 Created` from `POST /api/v1/registrations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationResponse {
    /// The order number.
    pub order_number: String,
    /// The registered line and its activation code(s).
    pub line: RegisteredLine,
    /// Whether the line renewed (extended) an existing activation code.
    pub renewal: bool,
}
