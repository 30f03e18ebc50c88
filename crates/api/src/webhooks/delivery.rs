//! The deliverer of `webhook` outbox messages: one signed HTTP POST per attempt.

use std::time::Instant;

use chrono::Utc;
use clp_db::Database;
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::outbox::OutboxMessage;
use clp_db::webhooks::{self, NewAttempt};
use serde_json::json;

use super::signing::{self, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};
use super::{describe, truncate};
use crate::workers::outbox::{Deliverer, DeliveryFailure, DeliveryFuture};

/// Posts webhook messages to their subscription's URL, signed with its secret.
///
/// A 2xx answer is a delivery; timeouts, refused connections, 408, 429 and 5xx answers are
/// retried by the worker; other 4xx answers are too (the receiver may be fixed), and a deleted
/// subscription fails the message for good. Every attempt is recorded in `webhook_attempts`.
#[derive(Debug, Clone)]
pub struct WebhookDeliverer {
    db: Database,
    http: reqwest::Client,
}

impl WebhookDeliverer {
    /// A deliverer reading subscriptions from `db` and posting with `http`
    /// (see [`super::http_client`]).
    pub fn new(db: Database, http: reqwest::Client) -> Self {
        Self { db, http }
    }

    async fn attempt(&self, message: &OutboxMessage) -> Result<(), DeliveryFailure> {
        let subscription_id = message
            .subscription_id
            .ok_or_else(|| DeliveryFailure::permanent("webhook message without subscription"))?;
        let event_id = message
            .event_id
            .clone()
            .ok_or_else(|| DeliveryFailure::permanent("webhook message without event id"))?;
        let subscription = webhooks::find_by_id(&self.db, subscription_id)
            .await
            .map_err(|e| DeliveryFailure::retryable(format!("database: {e}")))?
            .filter(|s| s.active)
            .ok_or_else(|| DeliveryFailure::permanent("the subscription was deleted"))?;

        let body = message.payload.to_string();
        let timestamp = Utc::now().timestamp();
        let signature = signing::sign(&subscription.secret, &event_id, timestamp, body.as_bytes())
            .map_err(|e| DeliveryFailure::permanent(e.to_string()))?;

        let started_at = Utc::now();
        let clock = Instant::now();
        let sent = self
            .http
            .post(&subscription.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(WEBHOOK_ID, &event_id)
            .header(WEBHOOK_TIMESTAMP, timestamp.to_string())
            .header(WEBHOOK_SIGNATURE, signature)
            .body(body)
            .send()
            .await;
        let duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (status_code, outcome) = match sent {
            Ok(response) => {
                let status = response.status();
                // Drain a little of the body so the connection can be reused; its content is
                // not needed.
                let _ = response.bytes().await;
                if status.is_success() {
                    (Some(status.as_u16()), Ok(()))
                } else {
                    (
                        Some(status.as_u16()),
                        Err(DeliveryFailure::retryable(format!(
                            "the receiver answered {status}"
                        ))),
                    )
                }
            }
            Err(e) => (None, Err(DeliveryFailure::retryable(describe(e)))),
        };
        let attempt = NewAttempt {
            outbox_id: message.id,
            attempt: message.attempts + 1,
            at: started_at,
            status_code,
            error: outcome.as_ref().err().map(|f| truncate(f.error.clone())),
            duration_ms,
        };
        if let Err(e) = webhooks::record_attempt(&self.db, &attempt).await {
            tracing::warn!(id = message.id, error = %e, "cannot record the webhook attempt");
        }
        audit_attempt(&self.db, message, &subscription, &attempt).await;
        outcome
    }
}

/// Records a delivery attempt in the order's audit trail (`webhook.delivered` or
/// `webhook.failed`), which the partner reads at `GET /partner/orders/{n}/events`. No account
/// is set: a customer's activity does not list deliveries to the partner.
async fn audit_attempt(
    db: &Database,
    message: &OutboxMessage,
    subscription: &webhooks::Subscription,
    attempt: &NewAttempt,
) {
    let order_id = match message.payload["data"]["order_number"].as_str() {
        Some(number) => {
            match clp_db::orders::find_order_by_number(db, subscription.partner_id, number).await {
                Ok(order) => order.map(|o| o.id),
                Err(e) => {
                    tracing::warn!(id = message.id, error = %e, "cannot find the webhook's order");
                    None
                }
            }
        }
        None => None,
    };
    let entry = AuditEntry {
        kind: if attempt.error.is_none() {
            AuditKind::WebhookDelivered
        } else {
            AuditKind::WebhookFailed
        },
        actor: Actor::System,
        client_ip: None,
        order_id,
        account_id: None,
        detail: json!({
            "event_id": message.event_id,
            "type": message.payload["type"],
            "subscription_id": subscription.public_id,
            "attempt": attempt.attempt,
            "status_code": attempt.status_code,
            "error": attempt.error,
        }),
    };
    if let Err(e) = audit::record(db, entry, Utc::now()).await {
        tracing::warn!(id = message.id, error = %e, "cannot audit the webhook attempt");
    }
}

impl Deliverer for WebhookDeliverer {
    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> DeliveryFuture<'a> {
        Box::pin(self.attempt(message))
    }
}
