//! The license certificate of a partner order
//! (`GET /api/v1/partner/orders/{order_number}/certificate`).

/// The media type of the certificate.
pub const PDF: &str = "application/pdf";

/// A PDF document: the body of an `application/pdf` response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = Binary))]
pub struct PdfDocument(pub Vec<u8>);
