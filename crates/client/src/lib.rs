//! Typed async client of the Open CLP REST API (`/api/v1`), over reqwest with rustls.
//!
//! Requests and responses are the `clp-api-types` structs. An error answer of the server
//! (`application/problem+json`) becomes [`ClientError::Api`] with the decoded [`Problem`],
//! whose `code` is stable; a failure to reach the server is [`ClientError::Transport`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), clp_client::ClientError> {
//! let mut client = clp_client::Client::new("http://127.0.0.1:8080")?;
//! client.partner_sign_in("clp_client_id", "client-secret", None).await?;
//! let order = client.get_order("SO-2025-000123").await?;
//! println!("{} has {} lines", order.order_number, order.lines.len());
//! # Ok(()) }
//! ```

#![expect(
    clippy::result_large_err,
    reason = "`ClientError::Api` holds the `Problem` by value so callers match on it directly; \
              a network call dwarfs the cost of moving it"
)]

use std::time::Duration;

use clp_api_types::{
    AccountResponse, ActivationAccepted, ActivationResponse, CancelOrderRequest,
    CreateAccountRequest, CreateActivationRequest, CreateLegacyAccountRequest, CreateOrderRequest,
    CreateWebhookRequest, DeliveryList, OrderEventsResponse, OrderListQuery, OrderListResponse,
    OrderResponse, PreviewRequest, PreviewResponse, Problem, ProductsResponse, RegistrationRequest,
    RegistrationResponse, SessionRequest, SessionResponse, TokenRequest, TokenResponse,
    VerifyActivationRequest, VerifyActivationResponse, VerifyEmailRequest, WebhookDelivery,
    WebhookList, WebhookResponse, XdrStatus,
};
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use clp_api_types as types;

/// Header making a partner `POST` safe to retry.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with a problem body (`application/problem+json`).
    #[error("{0}")]
    Api(Problem),
    /// The server could not be reached, or the exchange broke off.
    #[error("transport: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered something this client cannot read.
    #[error("unexpected response {status}: {message}")]
    UnexpectedResponse {
        /// HTTP status of the answer.
        status: StatusCode,
        /// What could not be read.
        message: String,
    },
    /// The base URL (or a path built from it) is not a valid URL.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
}

impl ClientError {
    /// The problem of an API error, `None` for other failures.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Api(problem) => Some(problem),
            _ => None,
        }
    }
}

/// The result of a call.
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// A client of one Open CLP server. Cheap to clone (the connection pool is shared).
///
/// It carries at most one bearer token: a partner access token
/// ([`Client::partner_sign_in`]) or a customer session token ([`Client::sign_in`]).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
}

// The bearer token stays out of debug output (and so out of logs).
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("token", &self.token.as_ref().map(|_| ".."))
            .finish()
    }
}

impl Client {
    /// A client of the server at `base_url` (e.g. `https://clp.example`), with 30 s timeouts.
    pub fn new(base_url: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("clp-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Self::with_http(http, base_url)
    }

    /// A client using an existing reqwest client.
    pub fn with_http(http: reqwest::Client, base_url: &str) -> Result<Self> {
        let mut base = Url::parse(base_url)
            .map_err(|e| ClientError::InvalidUrl(format!("{base_url}: {e}")))?;
        if base.cannot_be_a_base() {
            return Err(ClientError::InvalidUrl(format!(
                "{base_url} cannot be a base URL"
            )));
        }
        // Paths are appended segment by segment; a trailing slash would add an empty one.
        let trimmed = base.path().trim_end_matches('/').to_owned();
        base.set_path(&trimmed);
        Ok(Self {
            http,
            base,
            token: None,
        })
    }

    /// The same client sending `token` as `Authorization: Bearer`.
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sets (or, with `None`, clears) the bearer token.
    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    /// The bearer token in use.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The URL of `/api/v1/<segments...>`, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| ClientError::InvalidUrl(self.base.to_string()))?
            .pop_if_empty()
            .extend(["api", "v1"])
            .extend(segments);
        Ok(url)
    }

    /// A request to `/api/v1/<segments...>` with the bearer token, for routes without a
    /// typed method.
    pub fn request(&self, method: Method, segments: &[&str]) -> Result<RequestBuilder> {
        let mut request = self.http.request(method, self.url(segments)?);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        Ok(request)
    }

    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = request.send().await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| ClientError::UnexpectedResponse {
                status,
                message: format!("cannot decode the body: {e}"),
            });
        }
        Err(problem_of(status, &bytes))
    }

    async fn send_empty(&self, request: RequestBuilder) -> Result<()> {
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let bytes = response.bytes().await?;
        Err(problem_of(status, &bytes))
    }

    async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        segments: &[&str],
        body: &B,
        idempotency_key: Option<&str>,
    ) -> Result<T> {
        let mut request = self.request(Method::POST, segments)?.json(body);
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        self.send(request).await
    }

    async fn get<T: DeserializeOwned>(&self, segments: &[&str]) -> Result<T> {
        self.send(self.request(Method::GET, segments)?).await
    }

    // ---- partner API -------------------------------------------------------------------

    /// `POST /oauth/token` (form body): a partner access token for client credentials;
    /// `scope` (space separated) narrows the granted scopes.
    pub async fn partner_token(
        &self,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
    ) -> Result<TokenResponse> {
        let body = TokenRequest {
            grant_type: "client_credentials".to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            scope: scope.map(str::to_owned),
        };
        let request = self.http.post(self.url(&["oauth", "token"])?).form(&body);
        self.send(request).await
    }

    /// Gets a partner access token and uses it for the following calls.
    pub async fn partner_sign_in(
        &mut self,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
    ) -> Result<TokenResponse> {
        let token = self.partner_token(client_id, client_secret, scope).await?;
        self.token = Some(token.access_token.clone());
        Ok(token)
    }

    /// `POST /partner/orders`: creates an order; the answer carries the registration keys.
    pub async fn create_order(
        &self,
        order: &CreateOrderRequest,
        idempotency_key: Option<&str>,
    ) -> Result<OrderResponse> {
        self.post(&["partner", "orders"], order, idempotency_key)
            .await
    }

    /// `GET /partner/orders/{order_number}`: the order with its line statuses.
    pub async fn get_order(&self, order_number: &str) -> Result<OrderResponse> {
        self.get(&["partner", "orders", order_number]).await
    }

    /// The URL of `GET /partner/orders` with the parameters of `query`.
    pub fn orders_url(&self, query: &OrderListQuery) -> Result<Url> {
        let mut url = self.url(&["partner", "orders"])?;
        {
            let time = |at: chrono::DateTime<chrono::Utc>| {
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            };
            let mut pairs = url.query_pairs_mut();
            if let Some(status) = query.status {
                pairs.append_pair("status", status.as_str());
            }
            if let Some(order_type) = query.r#type {
                pairs.append_pair(
                    "type",
                    match order_type {
                        clp_api_types::OrderType::New => "new",
                        clp_api_types::OrderType::Renewal => "renewal",
                    },
                );
            }
            if let Some(at) = query.created_after {
                pairs.append_pair("created_after", &time(at));
            }
            if let Some(at) = query.created_before {
                pairs.append_pair("created_before", &time(at));
            }
            if let Some(q) = &query.q {
                pairs.append_pair("q", q);
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
            if let Some(cursor) = &query.cursor {
                pairs.append_pair("cursor", cursor);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }

    /// `GET /partner/orders`: a page of the partner's orders, newest first.
    pub async fn list_orders(&self, query: &OrderListQuery) -> Result<OrderListResponse> {
        let mut request = self.http.get(self.orders_url(query)?);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        self.send(request).await
    }

    /// `POST /partner/orders/{order_number}/cancel`: cancels an order nobody registered.
    pub async fn cancel_order(
        &self,
        order_number: &str,
        reason: &str,
        idempotency_key: Option<&str>,
    ) -> Result<OrderResponse> {
        self.post(
            &["partner", "orders", order_number, "cancel"],
            &CancelOrderRequest {
                reason: reason.to_owned(),
            },
            idempotency_key,
        )
        .await
    }

    /// `GET /partner/orders/{order_number}/events`: the order's audit trail.
    pub async fn order_events(&self, order_number: &str) -> Result<OrderEventsResponse> {
        self.get(&["partner", "orders", order_number, "events"])
            .await
    }

    /// `POST /partner/webhooks`: subscribes a URL; the answer shows the secret once.
    pub async fn create_webhook(
        &self,
        webhook: &CreateWebhookRequest,
        idempotency_key: Option<&str>,
    ) -> Result<WebhookResponse> {
        self.post(&["partner", "webhooks"], webhook, idempotency_key)
            .await
    }

    /// `GET /partner/webhooks`: the active subscriptions.
    pub async fn list_webhooks(&self) -> Result<WebhookList> {
        self.get(&["partner", "webhooks"]).await
    }

    /// `DELETE /partner/webhooks/{id}`.
    pub async fn delete_webhook(&self, id: uuid::Uuid) -> Result<()> {
        let id = id.to_string();
        self.send_empty(self.request(Method::DELETE, &["partner", "webhooks", &id])?)
            .await
    }

    /// `GET /partner/webhooks/{id}/deliveries`: deliveries, newest first.
    pub async fn list_deliveries(&self, id: uuid::Uuid) -> Result<DeliveryList> {
        let id = id.to_string();
        self.get(&["partner", "webhooks", &id, "deliveries"]).await
    }

    /// `POST /partner/webhooks/{id}/deliveries/{delivery_id}/redeliver`.
    pub async fn redeliver(&self, id: uuid::Uuid, delivery_id: i64) -> Result<WebhookDelivery> {
        let id = id.to_string();
        let delivery = delivery_id.to_string();
        let segments = [
            "partner",
            "webhooks",
            &id,
            "deliveries",
            &delivery,
            "redeliver",
        ];
        self.send(self.request(Method::POST, &segments)?).await
    }

    // ---- customer API ------------------------------------------------------------------

    /// `POST /preview`: what a registration key unlocks.
    pub async fn preview(&self, key: &str) -> Result<PreviewResponse> {
        let body = PreviewRequest {
            key: key.to_owned(),
        };
        self.post(&["preview"], &body, None).await
    }

    /// `POST /accounts`: simplified sign-up.
    pub async fn create_account(&self, account: &CreateAccountRequest) -> Result<AccountResponse> {
        self.post(&["accounts"], account, None).await
    }

    /// `POST /accounts/legacy`: long-form sign-up.
    pub async fn create_legacy_account(
        &self,
        account: &CreateLegacyAccountRequest,
    ) -> Result<AccountResponse> {
        self.post(&["accounts", "legacy"], account, None).await
    }

    /// `POST /accounts/verify-email`: verifies an account's email with the token emailed at
    /// sign-up.
    pub async fn verify_email(&self, token: &str) -> Result<AccountResponse> {
        let body = VerifyEmailRequest {
            token: token.to_owned(),
        };
        self.post(&["accounts", "verify-email"], &body, None).await
    }

    /// `POST /session`: signs in and uses the session token for the following calls.
    pub async fn sign_in(&mut self, login: &str, password: &str) -> Result<SessionResponse> {
        let body = SessionRequest {
            login: login.to_owned(),
            password: password.to_owned(),
            otp: None,
        };
        let session: SessionResponse = self.post(&["session"], &body, None).await?;
        self.token = Some(session.token.clone());
        Ok(session)
    }

    /// `DELETE /session`: signs out and forgets the token.
    pub async fn sign_out(&mut self) -> Result<()> {
        let outcome = self
            .send_empty(self.request(Method::DELETE, &["session"])?)
            .await;
        self.token = None;
        outcome
    }

    /// `POST /activations`: starts an account-based activation (a verification email is sent).
    pub async fn create_activation(
        &self,
        activation: &CreateActivationRequest,
    ) -> Result<ActivationAccepted> {
        self.post(&["activations"], activation, None).await
    }

    /// `POST /activations/verify`: completes an activation with the emailed token.
    pub async fn verify_activation(&self, token: &str) -> Result<VerifyActivationResponse> {
        let body = VerifyActivationRequest {
            token: token.to_owned(),
        };
        self.post(&["activations", "verify"], &body, None).await
    }

    /// `GET /activations/{id}`: the state of an activation.
    pub async fn get_activation(&self, id: uuid::Uuid) -> Result<ActivationResponse> {
        let id = id.to_string();
        self.get(&["activations", &id]).await
    }

    /// `POST /registrations`: legacy registration of one line.
    pub async fn register(&self, key: &str) -> Result<RegistrationResponse> {
        let body = RegistrationRequest {
            key: key.to_owned(),
        };
        self.post(&["registrations"], &body, None).await
    }

    /// `GET /me/products`: the signed-in customer's products and services.
    pub async fn my_products(&self) -> Result<ProductsResponse> {
        self.get(&["me", "products"]).await
    }

    /// `GET /me/xdr`: the signed-in customer's XDR console.
    pub async fn my_xdr(&self) -> Result<XdrStatus> {
        self.get(&["me", "xdr"]).await
    }
}

/// The error of a non-2xx answer: its problem body when it has one.
fn problem_of(status: StatusCode, bytes: &[u8]) -> ClientError {
    match serde_json::from_slice::<Problem>(bytes) {
        Ok(problem) => ClientError::Api(problem),
        Err(_) => ClientError::UnexpectedResponse {
            status,
            message: "the error body is not a problem document".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_built_segment_by_segment() {
        let client = Client::new("http://127.0.0.1:8080/").unwrap();
        assert_eq!(
            client
                .url(&["partner", "orders", "SO 1/2"])
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/api/v1/partner/orders/SO%201%2F2"
        );
        let prefixed = Client::new("https://clp.example/base/").unwrap();
        assert_eq!(
            prefixed.url(&["preview"]).unwrap().as_str(),
            "https://clp.example/base/api/v1/preview"
        );
    }

    #[test]
    fn problem_bodies_become_api_errors() {
        let body = br#"{"type":"urn:clp:problem:not_found","title":"Not found","status":404,
            "detail":"The resource does not exist.","code":"not_found"}"#;
        let error = problem_of(StatusCode::NOT_FOUND, body);
        assert_eq!(
            error.problem().unwrap().code,
            clp_api_types::ErrorCode::NotFound
        );
        assert!(matches!(
            problem_of(StatusCode::BAD_GATEWAY, b"<html>"),
            ClientError::UnexpectedResponse { .. }
        ));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let client = Client::new("http://x.example")
            .unwrap()
            .with_token("secret-token");
        assert!(!format!("{client:?}").contains("secret-token"));
    }
}
