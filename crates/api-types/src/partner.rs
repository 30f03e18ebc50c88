//! Partner API: OAuth2 tokens, orders, webhooks.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::preview::FlowKind;

/// Body of `POST /api/v1/oauth/token` (JSON or form): OAuth2 client credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[cfg_attr(feature = "openapi", schema(example = "client_credentials"))]
    pub grant_type: String,
    /// The partner's client ID.
    pub client_id: String,
    /// The partner's client secret.
    pub client_secret: String,
    /// Space-separated scopes requested; all granted scopes when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
}

/// Body of a successful `POST /api/v1/oauth/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT to send as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Lifetime of the token in seconds.
    #[cfg_attr(feature = "openapi", schema(example = 3600))]
    pub expires_in: u64,
    /// Space-separated scopes granted.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "orders:write orders:read webhooks")
    )]
    pub scope: String,
}

/// Whether an order is a new purchase or a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// A new purchase.
    New,
    /// A renewal of existing activation codes (always the legacy flow).
    Renewal,
}

/// The customer an order was sold to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndCustomer {
    /// Company name.
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub company: String,
    /// Contact person's name.
    #[cfg_attr(feature = "openapi", schema(example = "Jane Doe"))]
    pub contact_name: String,
    /// Contact person's email.
    #[cfg_attr(feature = "openapi", schema(example = "jane.doe@acme.example"))]
    pub contact_email: String,
    /// ISO 3166-1 alpha-2 country code.
    #[cfg_attr(feature = "openapi", schema(example = "US"))]
    pub country: String,
}

/// A suite component of an order line being created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateComponent {
    /// Component SKU (one of the suite's components).
    #[cfg_attr(feature = "openapi", schema(example = "A1"))]
    pub sku: String,
    /// An activation code the customer already owns that this purchase extends (cross grade).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retained_ac: Option<String>,
}

/// A line of an order being created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrderLine {
    /// Product SKU from the catalog.
    #[cfg_attr(feature = "openapi", schema(example = "XDR-CAS"))]
    pub sku: String,
    /// Number of seats (at least 1).
    #[cfg_attr(feature = "openapi", schema(example = 100))]
    pub seats: u32,
    /// First day of the license term.
    #[cfg_attr(feature = "openapi", schema(example = "2025-04-01"))]
    pub term_start: NaiveDate,
    /// Last day of the license term.
    #[cfg_attr(feature = "openapi", schema(example = "2026-03-31"))]
    pub term_end: NaiveDate,
    /// Suite components (suite SKUs only); the suite's catalog components when absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub components: Option<Vec<CreateComponent>>,
    /// The activation code this line renews (renewal orders).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub renews_ac: Option<String>,
}

/// Body of `POST /api/v1/partner/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrderRequest {
    /// The partner's order (license certificate) number, unique per partner.
    #[cfg_attr(feature = "openapi", schema(example = "SO-2025-000123"))]
    pub order_number: String,
    /// New purchase or renewal.
    #[serde(rename = "type")]
    pub r#type: OrderType,
    /// Date of purchase.
    #[cfg_attr(feature = "openapi", schema(example = "2025-03-28"))]
    pub purchase_date: NaiveDate,
    /// The customer the order was sold to.
    pub end_customer: EndCustomer,
    /// Order lines (at least one).
    pub lines: Vec<CreateOrderLine>,
}

/// Registration state of an order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Not yet registered to an account.
    Unregistered,
    /// Registered to an account.
    Registered,
}

/// A suite component of an order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentResponse {
    /// Component SKU.
    #[cfg_attr(feature = "openapi", schema(example = "A1"))]
    pub sku: String,
    /// The retained activation code of a cross grade.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retained_ac: Option<String>,
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLineResponse {
    /// Identifier of the line.
    #[cfg_attr(feature = "openapi", schema(example = 42))]
    pub line_id: i64,
    /// Position of the line in the order, from 1.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub line_no: u32,
    /// Product SKU.
    #[cfg_attr(feature = "openapi", schema(example = "XDR-CAS"))]
    pub sku: String,
    /// Product name.
    pub product_name: String,
    /// Number of seats.
    pub seats: u32,
    /// First day of the license term.
    pub term_start: NaiveDate,
    /// Last day of the license term.
    pub term_end: NaiveDate,
    /// The line's registration key (the license certificate); only in the `201` response.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "openapi", schema(example = "XD-1234-5678-9012-3452"))]
    pub registration_key: Option<String>,
    /// Suite components (empty for a non-suite line).
    pub components: Vec<ComponentResponse>,
    /// The activation code this line renews.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub renews_ac: Option<String>,
    /// Registration state.
    pub status: LineStatus,
    /// When the line was registered.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub registered_at: Option<DateTime<Utc>>,
}

/// State of an order, derived from its lines (and its cancellation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// No line is registered yet.
    Unregistered,
    /// Some lines are registered, not all.
    PartiallyRegistered,
    /// Every line is registered.
    Registered,
    /// The partner cancelled the order; its keys answer `410 order_cancelled`.
    Cancelled,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: &'static [OrderStatus] = &[
        OrderStatus::Unregistered,
        OrderStatus::PartiallyRegistered,
        OrderStatus::Registered,
        OrderStatus::Cancelled,
    ];

    /// The snake_case wire name, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Unregistered => "unregistered",
            OrderStatus::PartiallyRegistered => "partially_registered",
            OrderStatus::Registered => "registered",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

impl std::fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for OrderStatus {
    type Err = crate::error::UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderStatus::ALL
            .iter()
            .copied()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| crate::error::UnknownVariant::new("order status", s))
    }
}

/// An order (license certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderResponse {
    /// The partner's order number.
    #[cfg_attr(feature = "openapi", schema(example = "SO-2025-000123"))]
    pub order_number: String,
    /// New purchase or renewal.
    #[serde(rename = "type")]
    pub r#type: OrderType,
    /// Date of purchase.
    pub purchase_date: NaiveDate,
    /// The customer the order was sold to.
    pub end_customer: EndCustomer,
    /// Which registration process the order takes.
    pub flow: FlowKind,
    /// Order lines.
    pub lines: Vec<OrderLineResponse>,
    /// State of the order.
    pub status: OrderStatus,
    /// When the order was created.
    pub created_at: DateTime<Utc>,
    /// When the order was cancelled (cancelled orders only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The reason given when the order was cancelled (cancelled orders only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cancel_reason: Option<String>,
}

/// Query of `GET /api/v1/partner/orders`: every filter is optional; all given filters apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OrderListQuery {
    /// Only orders in this state.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<OrderStatus>,
    /// Only new purchases or only renewals.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none", default)]
    pub r#type: Option<OrderType>,
    /// Only orders created at or after this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub created_after: Option<DateTime<Utc>>,
    /// Only orders created before this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub created_before: Option<DateTime<Utc>>,
    /// Text contained in the order number or the end customer's company (case-insensitive).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub q: Option<String>,
    /// Orders per page, 1 to 100 (default 25).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100, example = 25))]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (opaque); the first page without it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cursor: Option<String>,
}

/// An order in the partner's listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    /// The partner's order number.
    #[cfg_attr(feature = "openapi", schema(example = "SO-2025-000123"))]
    pub order_number: String,
    /// New purchase or renewal.
    #[serde(rename = "type")]
    pub r#type: OrderType,
    /// Date of purchase.
    pub purchase_date: NaiveDate,
    /// The customer the order was sold to.
    pub end_customer: EndCustomer,
    /// State of the order.
    pub status: OrderStatus,
    /// Number of lines.
    pub line_count: u32,
    /// Number of registered lines.
    pub registered_count: u32,
    /// When the order was created.
    pub created_at: DateTime<Utc>,
    /// When the order was cancelled (cancelled orders only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// Body of `GET /api/v1/partner/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderListResponse {
    /// Orders, newest first.
    pub orders: Vec<OrderSummary>,
    /// Cursor of the next page (pass it as `cursor`); `null` on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// Columns of `GET /api/v1/partner/orders` as CSV (`Accept: text/csv`), in order.
pub const ORDERS_CSV_HEADER: &[&str] = &[
    "order_number",
    "type",
    "purchase_date",
    "company",
    "contact_name",
    "contact_email",
    "country",
    "status",
    "line_count",
    "registered_count",
    "created_at",
    "cancelled_at",
];

/// Body of `POST /api/v1/partner/orders/{order_number}/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelOrderRequest {
    /// Why the order is cancelled (1 to 500 characters), kept with the order.
    #[cfg_attr(feature = "openapi", schema(example = "Ordered by mistake"))]
    pub reason: String,
}

/// An event a partner can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEvent {
    /// An account-based activation of an order completed.
    #[serde(rename = "order.activated")]
    OrderActivated,
    /// An order line was registered to an account.
    #[serde(rename = "line.registered")]
    LineRegistered,
    /// A pending activation expired unverified.
    #[serde(rename = "activation.expired")]
    ActivationExpired,
    /// The partner cancelled an order.
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    /// A license sold by the partner ends in 60, 30 or 7 days.
    #[serde(rename = "license.expiring")]
    LicenseExpiring,
    /// A license sold by the partner has ended.
    #[serde(rename = "license.expired")]
    LicenseExpired,
}

impl WebhookEvent {
    /// Every event.
    pub const ALL: &'static [WebhookEvent] = &[
        WebhookEvent::OrderActivated,
        WebhookEvent::LineRegistered,
        WebhookEvent::ActivationExpired,
        WebhookEvent::OrderCancelled,
        WebhookEvent::LicenseExpiring,
        WebhookEvent::LicenseExpired,
    ];

    /// The dotted wire name, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::OrderActivated => "order.activated",
            WebhookEvent::LineRegistered => "line.registered",
            WebhookEvent::ActivationExpired => "activation.expired",
            WebhookEvent::OrderCancelled => "order.cancelled",
            WebhookEvent::LicenseExpiring => "license.expiring",
            WebhookEvent::LicenseExpired => "license.expired",
        }
    }
}

impl std::fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for WebhookEvent {
    type Err = crate::error::UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WebhookEvent::ALL
            .iter()
            .copied()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| crate::error::UnknownVariant::new("webhook event", s))
    }
}

/// Body of `POST /api/v1/partner/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateWebhookRequest {
    /// HTTPS URL that receives the signed deliveries.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://partner.example/clp/webhooks")
    )]
    pub url: String,
    /// Events to deliver (at least one).
    pub events: Vec<WebhookEvent>,
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookResponse {
    /// Identifier of the subscription.
    pub id: Uuid,
    /// URL that receives the deliveries.
    pub url: String,
    /// Subscribed events.
    pub events: Vec<WebhookEvent>,
    /// When the subscription was created.
    pub created_at: DateTime<Utc>,
    /// Signing secret (HMAC-SHA256); shown only in the create response, keep it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub secret: Option<String>,
}

/// The partner's webhook subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    /// Subscriptions, oldest first.
    pub webhooks: Vec<WebhookResponse>,
}

/// State of a webhook delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet (waiting for its first or next attempt).
    Pending,
    /// Delivered (the endpoint answered 2xx).
    Sent,
    /// Given up after the last attempt.
    Failed,
}

/// One webhook delivery and its attempts so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// Identifier of the delivery.
    pub id: i64,
    /// The event's identifier (the payload's `id`; the same across retries).
    pub event_id: String,
    /// The event delivered.
    pub event: WebhookEvent,
    /// Delivery state.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Error of the last failed attempt.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_error: Option<String>,
    /// HTTP status the endpoint answered at the last attempt.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_status_code: Option<u16>,
    /// When the next attempt is due (pending deliveries).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the delivery was queued.
    pub created_at: DateTime<Utc>,
    /// When the delivery succeeded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sent_at: Option<DateTime<Utc>>,
}

/// Deliveries of a webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryList {
    /// Deliveries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}

/// The body POSTed to a webhook URL (signed; see the signature headers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookPayload {
    /// Event identifier; the same across retries, so receivers can de-duplicate.
    pub id: String,
    /// The event.
    #[serde(rename = "type")]
    pub r#type: WebhookEvent,
    /// When the event happened.
    pub timestamp: DateTime<Utc>,
    /// Event data, depending on `type` (order number, line ids, ...).
    pub data: serde_json::Value,
}

/// One entry of an order's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened, e.g. `order.created`, `line.registered`.
    #[cfg_attr(feature = "openapi", schema(example = "line.registered"))]
    pub kind: String,
    /// Who did it, e.g. `partner:3`, `account:7`, `system`.
    pub actor: String,
    /// Details, depending on `kind` (never a key in full).
    pub detail: serde_json::Value,
}

/// Body of the order events route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderEventsResponse {
    /// Events, oldest first.
    pub events: Vec<OrderEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn webhook_events_use_dotted_names() {
        let expected = [
            (WebhookEvent::OrderActivated, "order.activated"),
            (WebhookEvent::LineRegistered, "line.registered"),
            (WebhookEvent::ActivationExpired, "activation.expired"),
            (WebhookEvent::OrderCancelled, "order.cancelled"),
            (WebhookEvent::LicenseExpiring, "license.expiring"),
            (WebhookEvent::LicenseExpired, "license.expired"),
        ];
        assert_eq!(expected.len(), WebhookEvent::ALL.len());
        for (e, s) in expected {
            assert_eq!(serde_json::to_value(e).unwrap(), json!(s));
            assert_eq!(serde_json::from_value::<WebhookEvent>(json!(s)).unwrap(), e);
            assert_eq!(e.as_str(), s);
            assert_eq!(s.parse::<WebhookEvent>().unwrap(), e);
        }
    }

    #[test]
    fn create_order_request_round_trips_with_type() {
        let body = json!({
            "order_number": "SO-1",
            "type": "new",
            "purchase_date": "2025-03-28",
            "end_customer": {
                "company": "Acme",
                "contact_name": "Jane Doe",
                "contact_email": "jane@acme.example",
                "country": "US"
            },
            "lines": [
                {"sku": "XDR-CAS", "seats": 10, "term_start": "2025-04-01", "term_end": "2026-03-31"},
                {
                    "sku": "CUP", "seats": 50, "term_start": "2025-04-01", "term_end": "2026-03-31",
                    "components": [{"sku": "A1", "retained_ac": "A1-AAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF"}, {"sku": "SMEX"}]
                }
            ]
        });
        let req: CreateOrderRequest = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(req.r#type, OrderType::New);
        assert_eq!(
            req.purchase_date,
            NaiveDate::from_ymd_opt(2025, 3, 28).unwrap()
        );
        assert_eq!(req.lines[0].components, None);
        assert_eq!(req.lines[1].components.as_ref().unwrap().len(), 2);
        assert_eq!(serde_json::to_value(&req).unwrap(), body);

        let renewal = json!({"type": "renewal"});
        assert_eq!(
            serde_json::from_value::<OrderType>(renewal["type"].clone()).unwrap(),
            OrderType::Renewal
        );
    }

    #[test]
    fn optional_fields_are_omitted() {
        let line = OrderLineResponse {
            line_id: 1,
            line_no: 1,
            sku: "DDI".into(),
            product_name: "Deep Discovery Inspector".into(),
            seats: 1,
            term_start: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
            term_end: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            registration_key: None,
            components: vec![],
            renews_ac: None,
            status: LineStatus::Unregistered,
            registered_at: None,
        };
        let v = serde_json::to_value(&line).unwrap();
        let obj = v.as_object().unwrap();
        for absent in ["registration_key", "renews_ac", "registered_at"] {
            assert!(!obj.contains_key(absent), "{absent} should be omitted");
        }
        assert_eq!(v["status"], "unregistered");
        assert_eq!(
            serde_json::from_value::<OrderLineResponse>(v).unwrap(),
            line
        );

        let hook = WebhookResponse {
            id: Uuid::nil(),
            url: "https://partner.example/hook".into(),
            events: vec![WebhookEvent::LineRegistered],
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            secret: None,
        };
        let v = serde_json::to_value(&hook).unwrap();
        assert!(v.get("secret").is_none());
        assert_eq!(v["events"], json!(["line.registered"]));
    }

    #[test]
    fn webhook_payload_serializes_type() {
        let p = WebhookPayload {
            id: "evt_1".into(),
            r#type: WebhookEvent::OrderActivated,
            timestamp: DateTime::<Utc>::UNIX_EPOCH,
            data: json!({"order_number": "SO-1"}),
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "order.activated");
        assert_eq!(v["timestamp"], "1970-01-01T00:00:00Z");
        assert_eq!(serde_json::from_value::<WebhookPayload>(v).unwrap(), p);
    }
}
